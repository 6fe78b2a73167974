"""crawlrun owner: the process that runs a crawl (host:pid:start), so a run left
'running' by a killed process can be told from one still running

Revision ID: 0008_crawl_owner
Revises: 0007_login_limits
Create Date: 2026-12-02 06:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0008_crawl_owner'
down_revision = '0007_login_limits'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('crawlrun', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner', sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('crawlrun', schema=None) as batch_op:
        batch_op.drop_column('owner')
