"""funder links: a call's funder linked to its 360Giving funding organisation (by charity or
company number, else by name with a confidence; admins confirm or fix), and each need's
shortlist of possible lead partners

Revision ID: 0013_funder_links
Revises: 0012_grants
Create Date: 2026-12-02 12:50:00
"""
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = '0013_funder_links'
down_revision = '0012_grants'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('funder_link',
    sa.Column('funder_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('funder_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('org_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('confirmed', sa.Boolean(), nullable=False),
    sa.Column('confirmed_by', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('funder_key', name=op.f('pk_funder_link'))
    )
    op.create_table('need_partner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('need_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('org_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('added_by', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('added_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['need_id'], ['need.id'], name=op.f('fk_need_partner_need_id_need')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_need_partner')),
    sa.UniqueConstraint('need_id', 'org_id', name='uq_need_partner_need_org')
    )
    with op.batch_alter_table('need_partner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_partner_need_id'), ['need_id'], unique=False)


def downgrade() -> None:
    op.drop_table('need_partner')
    op.drop_table('funder_link')
