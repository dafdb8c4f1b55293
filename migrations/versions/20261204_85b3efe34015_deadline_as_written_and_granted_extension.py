"""The deadline as the document wrote it, and the date an extension was granted to

tasks.deadline_written: the date the document wrote when it fell on a day off (the deadline
counted is the working day after it, as before); None otherwise, so nothing to fill in.
extensions.approved_deadline: the date the office granted, which may differ from the one
asked; the extensions approved until now were granted the date asked.

Revision ID: 85b3efe34015
Revises: c835e1a082c4
Create Date: 2026-12-04 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '85b3efe34015'
down_revision = 'c835e1a082c4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deadline_written', sa.Date(), nullable=True))
    with op.batch_alter_table('extensions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approved_deadline', sa.Date(), nullable=True))
    op.execute(
        "UPDATE extensions SET approved_deadline = requested_deadline WHERE status = 'approved'"
    )


def downgrade():
    with op.batch_alter_table('extensions', schema=None) as batch_op:
        batch_op.drop_column('approved_deadline')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_column('deadline_written')
