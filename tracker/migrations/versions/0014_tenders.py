"""tenders: per-source filters and the last date window read, for the live tender kinds
(contracts-finder, find-a-tender)

Revision ID: 0014_tenders
Revises: 0013_funder_links
Create Date: 2026-12-02 12:45:00
"""
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = '0014_tenders'
down_revision = '0013_funder_links'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.add_column(sa.Column('filters', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('window_end', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    op.drop_column('source', 'window_end')
    op.drop_column('source', 'filters')
