"""login limits: one counter row per limit key, counted by an atomic upsert before the
password is checked (the per-failure rows were counted with a separate SELECT, which
parallel guesses on PostgreSQL all passed)

Revision ID: 0007_login_limits
Revises: 0006_order
Create Date: 2026-11-27 09:00:00
"""
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = '0007_login_limits'
down_revision = '0006_order'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('loginlimit',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('window_start', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    with op.batch_alter_table('loginlimit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loginlimit_window_start'), ['window_start'], unique=False)
    # Recent failures are not carried over: they lapse within the 15-minute window anyway.
    op.drop_table('loginfailure')


def downgrade() -> None:
    op.create_table('loginfailure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('loginfailure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loginfailure_key'), ['key'], unique=False)
        batch_op.create_index(batch_op.f('ix_loginfailure_at'), ['at'], unique=False)
    op.drop_table('loginlimit')
