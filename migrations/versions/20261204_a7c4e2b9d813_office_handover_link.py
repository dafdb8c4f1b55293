"""An ended office's task handed over to a successor office: the successor's task names the
task it continues (``tasks.handed_from_task_id``). The ended office's task is closed with the
state "handed_over" from the day the office ended (a new value of the state column, which is
plain text: no schema change for it).

Revision ID: a7c4e2b9d813
Revises: a7c2e9d41b30
Create Date: 2026-12-04 18:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "a7c4e2b9d813"
down_revision = "a7c2e9d41b30"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handed_from_task_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_tasks_handed_from_task_id", ["handed_from_task_id"])
        batch_op.create_foreign_key(
            "fk_tasks_handed_from_task_id_tasks", "tasks", ["handed_from_task_id"], ["id"]
        )


def downgrade():
    bind = op.get_bind()
    handed = bind.execute(
        sa.text("SELECT COUNT(*) FROM tasks WHERE state = 'handed_over'")
    ).scalar()
    if handed:
        raise RuntimeError(
            f"{handed} tasks were handed over by an ended office: the older schema has no "
            "such state"
        )
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_constraint("fk_tasks_handed_from_task_id_tasks", type_="foreignkey")
        batch_op.drop_index("ix_tasks_handed_from_task_id")
        batch_op.drop_column("handed_from_task_id")
