"""opportunity body: the call's page text, kept for matching

Revision ID: 0005_body
Revises: 0004_web
Create Date: 2026-11-26 05:30:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0005_body'
down_revision = '0004_web'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body', sa.Text(), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.drop_column('body')
