"""Indexes SQLite chooses well without statistics: the take-in key only over tasks taken in
(as a whole-table key it was chosen for every count of an office's own tasks, and read them
all), and the documents' kind under the office (the list's kind choices read every document
of the office through the office's own index).

Revision ID: b3d5f7a9c1e2
Revises: a7c4e2b9d813
Create Date: 2026-12-06 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "b3d5f7a9c1e2"
down_revision = "a7c4e2b9d813"
branch_labels = None
depends_on = None

TAKEN_IN = sa.text("upper_task_id IS NOT NULL")


def upgrade():
    with op.batch_alter_table("tasks") as batch_op:
        batch_op.drop_constraint("uq_tasks_office_id_upper_task_id", type_="unique")
    op.create_index(
        "uq_tasks_office_id_upper_task_id",
        "tasks",
        ["office_id", "upper_task_id"],
        unique=True,
        sqlite_where=TAKEN_IN,
        postgresql_where=TAKEN_IN,
    )
    op.create_index("ix_documents_office_kind", "documents", ["office_id", "kind"])
    op.drop_index("ix_documents_kind", table_name="documents")
    op.drop_index("ix_documents_office_id", table_name="documents")


def downgrade():
    op.create_index("ix_documents_office_id", "documents", ["office_id"])
    op.create_index("ix_documents_kind", "documents", ["kind"])
    op.drop_index("ix_documents_office_kind", table_name="documents")
    op.drop_index("uq_tasks_office_id_upper_task_id", table_name="tasks")
    with op.batch_alter_table("tasks") as batch_op:
        batch_op.create_unique_constraint(
            "uq_tasks_office_id_upper_task_id", ["office_id", "upper_task_id"]
        )
