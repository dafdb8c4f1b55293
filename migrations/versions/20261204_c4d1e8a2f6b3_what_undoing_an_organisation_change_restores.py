"""What undoing an organisation change restores (unit_changes.undo); NULL for the changes
entered before: they cannot be undone

Revision ID: c4d1e8a2f6b3
Revises: b3f88bb2a88e
Create Date: 2026-12-04 08:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4d1e8a2f6b3'
down_revision = 'b3f88bb2a88e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('unit_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('undo', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('unit_changes', schema=None) as batch_op:
        batch_op.drop_column('undo')
