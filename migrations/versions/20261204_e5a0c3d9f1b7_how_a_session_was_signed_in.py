"""How each signed-in session was signed in: the password (with or without the two-factor
code) or the province's identity service (OpenID Connect). Sessions from before are marked
"password", the only way there was.

Revision ID: e5a0c3d9f1b7
Revises: b12af13027ea
Create Date: 2026-12-04 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5a0c3d9f1b7'
down_revision = 'b12af13027ea'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'sign_in_method', sa.String(length=16), nullable=False, server_default='password'
            )
        )


def downgrade():
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_column('sign_in_method')
