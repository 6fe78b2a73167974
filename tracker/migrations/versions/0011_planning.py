"""planning: bid / no-bid decisions per call and need (reason, note, who, when), the
funder's feedback on a bid's outcome, and team work: assignments, comments, follows

Revision ID: 0011_planning
Revises: 0010_sentences_deadlines
Create Date: 2026-12-02 09:20:00
"""
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = '0011_planning'
down_revision = '0010_sentences_deadlines'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('need_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('decision', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['need_id'], ['need.id'], name=op.f('fk_decision_need_id_need')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunity.id'],
                            name=op.f('fk_decision_opportunity_id_opportunity')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_decision_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision'))
    )
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_opportunity_id'), ['opportunity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decision_need_id'), ['need_id'], unique=False)
    with op.batch_alter_table('bid', schema=None) as batch_op:
        batch_op.add_column(sa.Column('feedback', sa.Text(), nullable=False, server_default=''))
    op.create_table('assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('need_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('answered_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['user.id'], name=op.f('fk_assignment_assigned_by_id_user')),
    sa.ForeignKeyConstraint(['assignee_id'], ['user.id'], name=op.f('fk_assignment_assignee_id_user')),
    sa.ForeignKeyConstraint(['need_id'], ['need.id'], name=op.f('fk_assignment_need_id_need')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunity.id'],
                            name=op.f('fk_assignment_opportunity_id_opportunity')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment'))
    )
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_opportunity_id'), ['opportunity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_assignee_id'), ['assignee_id'], unique=False)
    op.create_table('comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('bid_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('mentioned', sa.JSON(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['bid_id'], ['bid.id'], name=op.f('fk_comment_bid_id_bid')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunity.id'], name=op.f('fk_comment_opportunity_id_opportunity')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_comment_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment'))
    )
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_opportunity_id'), ['opportunity_id'], unique=False)
    op.create_table('follow',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunity.id'], name=op.f('fk_follow_opportunity_id_opportunity')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_follow_user_id_user')),
    sa.PrimaryKeyConstraint('user_id', 'opportunity_id', name=op.f('pk_follow'))
    )
    with op.batch_alter_table('follow', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_opportunity_id'), ['opportunity_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('follow', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_opportunity_id'))
    op.drop_table('follow')
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_opportunity_id'))
    op.drop_table('comment')
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_assignee_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_opportunity_id'))
    op.drop_table('assignment')
    with op.batch_alter_table('bid', schema=None) as batch_op:
        batch_op.drop_column('feedback')
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_need_id'))
        batch_op.drop_index(batch_op.f('ix_decision_opportunity_id'))
    op.drop_table('decision')
