"""digest ledger: claim lease, transport, one digest per recipient and period; used action tokens

Revision ID: 0002_digest
Revises: 0001
Create Date: 2026-11-26 04:10:00
"""
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = '0002_digest'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('digest', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('transport', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default=''))
        batch_op.create_unique_constraint('uq_digest_recipient_period', ['recipient', 'period'])

    op.create_table('actiontokenuse',
    sa.Column('jti', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('jti')
    )


def downgrade() -> None:
    op.drop_table('actiontokenuse')
    with op.batch_alter_table('digest', schema=None) as batch_op:
        batch_op.drop_constraint('uq_digest_recipient_period', type_='unique')
        batch_op.drop_column('transport')
        batch_op.drop_column('claimed_at')
