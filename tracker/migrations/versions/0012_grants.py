"""grants: 360Giving grants already made (grant_record) and the funding organisations
that made them, for funder history beside each call and local partner suggestions

Revision ID: 0012_grants
Revises: 0011_planning
Create Date: 2026-12-02 12:40:00
"""
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = '0012_grants'
down_revision = '0011_planning'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('fundingorg',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('charity_number', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('company_number', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('grants', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fundingorg'))
    )
    with op.batch_alter_table('fundingorg', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fundingorg_name_key'), ['name_key'], unique=False)
    op.create_table('grant_record',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=True),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('award_date', sa.Date(), nullable=True),
    sa.Column('programme', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('funder_org_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('funder_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('recipient_org_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('recipient_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('recipient_type', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('recipient_charity_number', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('recipient_company_number', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('recipient_postcode', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('recipient_district_code', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('recipient_district_name', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('recipient_ward_code', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('beneficiary_codes', sa.JSON(), nullable=False),
    sa.Column('publisher', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('data_source', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('imported_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_record'))
    )
    with op.batch_alter_table('grant_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_record_award_date'), ['award_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_grant_record_funder_org_id'), ['funder_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grant_record_recipient_org_id'), ['recipient_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grant_record_recipient_district_code'), ['recipient_district_code'],
                              unique=False)


def downgrade() -> None:
    op.drop_table('grant_record')
    op.drop_table('fundingorg')
