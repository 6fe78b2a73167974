"""team mail: assignment and @mention emails queued with their assignment or comment and
retried until sent, instead of sent once from the web request

Revision ID: 0018_team_mail
Revises: 0017_big_amounts
Create Date: 2026-12-02 13:20:00
"""
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = '0018_team_mail'
down_revision = '0017_big_amounts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('team_mail',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('recipient', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('message_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('claimed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_mail')),
    sa.UniqueConstraint('message_id', name=op.f('uq_team_mail_message_id'))
    )
    with op.batch_alter_table('team_mail', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_mail_recipient'), ['recipient'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_mail_status'), ['status'], unique=False)


def downgrade() -> None:
    op.drop_table('team_mail')
