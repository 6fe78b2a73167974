"""web: API tokens, login failures (rate limiting), list indexes

The opportunities list filters and sorts 20,000+ rows per request. Two indexes that are
not declared on the models (one differs by dialect) keep that fast:
- ix_opportunity_list: a covering index of the filter/sort columns, so SQLite scans a
  narrow index instead of the wide table (summary text); on PostgreSQL without the JSON
  columns (json has no btree operator class);
- ix_opportunity_deadline_sort: (deadline IS NULL, deadline, id), the default order.

Revision ID: 0004_web
Revises: 0003_scheduler
Create Date: 2026-11-26 05:00:00
"""
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = '0004_web'
down_revision = '0003_scheduler'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('apitoken',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('apitoken', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_apitoken_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_apitoken_token_hash'), ['token_hash'], unique=True)
    op.create_table('loginfailure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('loginfailure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loginfailure_key'), ['key'], unique=False)
        batch_op.create_index(batch_op.f('ix_loginfailure_at'), ['at'], unique=False)
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.create_index('ix_opportunity_funder', ['funder'], unique=False)
        batch_op.create_index('ix_opportunity_first_seen', ['first_seen'], unique=False)
        batch_op.create_index('ix_opportunity_amount_max', ['amount_max'], unique=False)
    with op.batch_alter_table('bid', schema=None) as batch_op:
        batch_op.create_index('ix_bid_status', ['status'], unique=False)
    cols = ['duplicate_of_id', 'status', 'deadline', 'funder', 'amount_min', 'amount_max', 'first_seen', 'title']
    if op.get_bind().dialect.name == 'sqlite':
        cols += ['themes', 'areas']
    op.create_index('ix_opportunity_list', 'opportunity', cols + ['id'], unique=False)
    op.create_index('ix_opportunity_deadline_sort', 'opportunity',
                    [sa.text('(deadline IS NULL)'), 'deadline', 'id'], unique=False)


def downgrade() -> None:
    # IF EXISTS: on SQLite a later batch migration's table rebuild may have dropped them.
    op.execute('DROP INDEX IF EXISTS ix_opportunity_deadline_sort')
    op.execute('DROP INDEX IF EXISTS ix_opportunity_list')
    with op.batch_alter_table('bid', schema=None) as batch_op:
        batch_op.drop_index('ix_bid_status')
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.drop_index('ix_opportunity_amount_max')
        batch_op.drop_index('ix_opportunity_first_seen')
        batch_op.drop_index('ix_opportunity_funder')
    op.drop_table('loginfailure')
    op.drop_table('apitoken')
