"""digest frequency: each user's digest is weekly or daily (off is user.digest = false); the
ledger's period is then an ISO week ('2026-W49') or a date ('2026-12-02'), already a string

Revision ID: 0009_digest_frequency
Revises: 0008_crawl_owner
Create Date: 2026-12-02 07:00:00
"""
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = '0009_digest_frequency'
down_revision = '0008_crawl_owner'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest_frequency', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default='weekly'))


def downgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('digest_frequency')
