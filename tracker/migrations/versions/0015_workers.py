"""workers: the task queue for `tracker worker` (procrastinate's own schema, PostgreSQL only),
the per-host politeness slots shared by every crawl process and the names of queue workers

Revision ID: 0015_workers
Revises: 0014_tenders
Create Date: 2026-12-02 13:00:00
"""
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = '0015_workers'
down_revision = '0014_tenders'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('host_slot',
    sa.Column('host', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('next_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('host', name=op.f('pk_host_slot'))
    )
    op.create_table('queue_worker',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('seen_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_queue_worker'))
    )
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        from procrastinate.schema import SchemaManager

        # procrastinate's schema as its version ships it, unqualified: it lands in the first
        # schema of the search_path, beside the tracker's tables. Run as one script on the raw
        # psycopg connection (several statements, dollar-quoted function bodies).
        bind.connection.driver_connection.execute(SchemaManager.get_schema())


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        raw = bind.connection.driver_connection
        for kind, sql in (
            ('TABLE', "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema() "
                      "AND tablename LIKE 'procrastinate%%'"),
            ('FUNCTION', "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                         "WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate%%'"),
            ('TYPE', "SELECT quote_ident(t.typname) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                     "WHERE n.nspname = current_schema() AND t.typname LIKE 'procrastinate%%' AND t.typtype IN ('e', 'c') "
                     "AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.reltype = t.oid AND c.relkind <> 'c')"),
        ):
            for (name,) in raw.execute(sql.replace('%%', '%')).fetchall():
                raw.execute(f'DROP {kind} IF EXISTS {name} CASCADE')
    op.drop_table('queue_worker')
    op.drop_table('host_slot')
