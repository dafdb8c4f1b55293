"""Rows of an unfinished import: the job that is still writing a task or a document
(app.models.unfinished); NULL once the import is done

Revision ID: 5e0c1a7d2b44
Revises: 773db04247a3
Create Date: 2026-12-04 07:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e0c1a7d2b44'
down_revision = '773db04247a3'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('tasks', 'documents'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('import_job_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                f'fk_{table}_import_job_id_import_jobs', 'import_jobs', ['import_job_id'], ['id']
            )


def downgrade():
    for table in ('tasks', 'documents'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f'fk_{table}_import_job_id_import_jobs', type_='foreignkey')
            batch_op.drop_column('import_job_id')
