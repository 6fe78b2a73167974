"""big amounts: a call's amounts and pot in 64-bit columns (a £3 billion programme overflowed
PostgreSQL's 32-bit integer and failed the crawl's batch). SQLite's INTEGER is 64-bit already.

Revision ID: 0017_big_amounts
Revises: 0015_workers
Create Date: 2026-12-02 13:10:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0017_big_amounts'
down_revision = '0015_workers'
branch_labels = None
depends_on = None

COLUMNS = ("amount_min", "amount_max", "total_pot")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # no table copy on SQLite: bids' foreign keys refuse it, and the type is 64-bit there
    for column in COLUMNS:
        op.alter_column("opportunity", column, type_=sa.BigInteger(), existing_type=sa.Integer(),
                        existing_nullable=True)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in COLUMNS:
        # Values over 2^31-1 cannot go back: cap them rather than fail the downgrade.
        op.execute(f"UPDATE opportunity SET {column} = 2147483647 WHERE {column} > 2147483647")
        op.alter_column("opportunity", column, type_=sa.Integer(), existing_type=sa.BigInteger(),
                        existing_nullable=True)
