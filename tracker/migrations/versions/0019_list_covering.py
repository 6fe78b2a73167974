"""list covering indexes: the list's order indexes also hold status (and, on SQLite, the
themes and areas JSON), so a page of the default "open and upcoming" list, or one filtered
by theme or area, is read from the index alone instead of looking up each table row it
passes (wide rows: summary text)

Revision ID: 0019_list_covering
Revises: 0018_team_mail
Create Date: 2026-12-02 16:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0019_list_covering'
down_revision = '0018_team_mail'
branch_labels = None
depends_on = None

# as made by 0006_order: (name, sort columns after duplicate_of_id)
ORDERS = {
    'ix_opportunity_order_deadline': [sa.text('(deadline IS NULL)'), 'deadline', 'id'],
    'ix_opportunity_order_title': ['title', 'id'],
    'ix_opportunity_order_newest': ['first_seen', 'id'],
    'ix_opportunity_order_amount': [sa.text('(amount_max IS NULL)'), sa.text('amount_max DESC'), 'id'],
}


def _recreate(extra: list[str]) -> None:
    for name, columns in ORDERS.items():
        op.execute(f'DROP INDEX IF EXISTS {name}')
        op.create_index(name, 'opportunity', ['duplicate_of_id', *columns, *extra], unique=False)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == 'sqlite'
    # PostgreSQL's json has no btree operator class: status only there
    _recreate(['status', 'themes', 'areas'] if sqlite else ['status'])
    if sqlite:
        op.execute('ANALYZE')


def downgrade() -> None:
    _recreate([])
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ANALYZE')
