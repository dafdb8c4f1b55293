"""The device a failed sign-in came from (device cookies: a known browser's failures count
against that browser only)

Revision ID: 773db04247a3
Revises: ba87a1308971
Create Date: 2026-12-04 03:11:38.407894

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '773db04247a3'
down_revision = 'ba87a1308971'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('device', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_login_failures_device'), ['device'], unique=False)


def downgrade():
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failures_device'))
        batch_op.drop_column('device')
