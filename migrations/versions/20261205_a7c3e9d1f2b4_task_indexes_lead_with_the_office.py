"""The task indexes of the lists and the dashboard lead with the office: (office_id, state,
deadline) and (office_id, state, done_on) instead of (state, deadline), (state, done_on) and
(office_id) alone. With the index of the office alone, PostgreSQL read a whole office's tasks
through it to find its open ones (a province's 50,000 for each list).

Revision ID: a7c3e9d1f2b4
Revises: f1a2b3c4d5e6
Create Date: 2026-12-05 09:00:00

"""

from alembic import op

revision = "a7c3e9d1f2b4"
down_revision = "f1a2b3c4d5e6"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("tasks") as batch_op:
        batch_op.create_index("ix_tasks_office_state_deadline", ["office_id", "state", "deadline"])
        batch_op.create_index("ix_tasks_office_state_done_on", ["office_id", "state", "done_on"])
        batch_op.drop_index("ix_tasks_state_deadline")
        batch_op.drop_index("ix_tasks_state_done_on")
        batch_op.drop_index("ix_tasks_office_id")


def downgrade():
    with op.batch_alter_table("tasks") as batch_op:
        batch_op.create_index("ix_tasks_office_id", ["office_id"])
        batch_op.create_index("ix_tasks_state_done_on", ["state", "done_on"])
        batch_op.create_index("ix_tasks_state_deadline", ["state", "deadline"])
        batch_op.drop_index("ix_tasks_office_state_done_on")
        batch_op.drop_index("ix_tasks_office_state_deadline")
