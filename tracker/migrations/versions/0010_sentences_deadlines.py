"""opportunity deadlines: every closing date a call's page gives (quarterly panels), the next of
which is `deadline`; a passed deadline moves on to the next one without a re-crawl

Revision ID: 0010_sentences_deadlines
Revises: 0009_digest_frequency
Create Date: 2026-12-02 09:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0010_sentences_deadlines'
down_revision = '0009_digest_frequency'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deadlines', sa.JSON(), nullable=False, server_default='[]'))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+): batch mode would copy and drop the opportunity table,
    # which the bids' foreign keys refuse while bids exist.
    op.execute('ALTER TABLE opportunity DROP COLUMN deadlines')
