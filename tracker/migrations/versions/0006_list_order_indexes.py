"""list order indexes: the opportunities list reads a page in index order, not by sorting
every row (duplicate_of_id, then the sort keys; status for the common status filter)

Revision ID: 0006_order
Revises: 0005_body
Create Date: 2026-11-26 05:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0006_order'
down_revision = '0005_body'
branch_labels = None
depends_on = None

INDEXES = {
    'ix_opportunity_order_deadline': ['duplicate_of_id', sa.text('(deadline IS NULL)'), 'deadline', 'id'],
    'ix_opportunity_order_status_deadline': ['duplicate_of_id', 'status', sa.text('(deadline IS NULL)'), 'deadline',
                                             'id'],
    'ix_opportunity_order_title': ['duplicate_of_id', 'title', 'id'],
    'ix_opportunity_order_newest': ['duplicate_of_id', 'first_seen', 'id'],
    'ix_opportunity_order_amount': ['duplicate_of_id', sa.text('(amount_max IS NULL)'), sa.text('amount_max DESC'),
                                    'id'],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, 'opportunity', columns, unique=False)
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ANALYZE')  # let the planner tell a selective filter from a cheap order


def downgrade() -> None:
    for name in INDEXES:
        op.execute(f'DROP INDEX IF EXISTS {name}')
