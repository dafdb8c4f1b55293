"""Key task groups (nhóm nhiệm vụ trọng tâm), the tasks they hold, and the office's
evaluations of groups and of units over a period (revisions kept with their reason).

Revision ID: e7a3c91d5b20
Revises: ec1942f78cf9
Create Date: 2026-12-04 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7a3c91d5b20'
down_revision = 'ec1942f78cf9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('key_task_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('issuer_id', sa.Integer(), nullable=False),
    sa.Column('period_from', sa.Date(), nullable=False),
    sa.Column('period_to', sa.Date(), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('display_order', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['issuer_id'], ['issuers.id'], name=op.f('fk_key_task_groups_issuer_id_issuers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_key_task_groups'))
    )
    with op.batch_alter_table('key_task_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_key_task_groups_issuer_id'), ['issuer_id'], unique=False)

    op.create_table('key_task_members',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['key_task_groups.id'], name=op.f('fk_key_task_members_group_id_key_task_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_key_task_members_task_id_tasks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'task_id', name=op.f('pk_key_task_members'))
    )
    op.create_table('evaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('period_from', sa.Date(), nullable=False),
    sa.Column('period_to', sa.Date(), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('grade', sa.String(length=128), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('decided_by', sa.String(length=255), nullable=False),
    sa.Column('revises_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('proposal', sa.String(length=128), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['key_task_groups.id'], name=op.f('fk_evaluations_group_id_key_task_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_evaluations_department_id_departments')),
    sa.ForeignKeyConstraint(['revises_id'], ['evaluations.id'], name=op.f('fk_evaluations_revises_id_evaluations')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_evaluations_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluations'))
    )
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluations_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluations_department_id'), ['department_id'], unique=False)


def downgrade():
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluations_department_id'))
        batch_op.drop_index(batch_op.f('ix_evaluations_group_id'))
    op.drop_table('evaluations')
    op.drop_table('key_task_members')
    with op.batch_alter_table('key_task_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_key_task_groups_issuer_id'))
    op.drop_table('key_task_groups')
