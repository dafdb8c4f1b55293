"""Two levels: an office takes a task of the office above in once (a unique key on the
taking office and the task taken in; NULLs, the tasks of the office's own, stay free).

Revision ID: a7c2e9d41b30
Revises: a7c3e9d1f2b4
Create Date: 2026-12-05 09:00:00

"""

from alembic import op

revision = "a7c2e9d41b30"
down_revision = "a7c3e9d1f2b4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("tasks") as batch_op:
        batch_op.create_unique_constraint(
            "uq_tasks_office_id_upper_task_id", ["office_id", "upper_task_id"]
        )


def downgrade():
    with op.batch_alter_table("tasks") as batch_op:
        batch_op.drop_constraint("uq_tasks_office_id_upper_task_id", type_="unique")
