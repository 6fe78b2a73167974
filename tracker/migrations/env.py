"""Alembic environment: runs on the connection handed over by tracker.db.upgrade,
or on sqlalchemy.url for the alembic CLI."""

from alembic import context
from sqlalchemy import engine_from_config, pool
from sqlmodel import SQLModel

import tracker.models  # noqa: F401  (registers every table on SQLModel.metadata)
from tracker.migration_rules import include_object

config = context.config
target_metadata = SQLModel.metadata
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
target_metadata.naming_convention = NAMING


def run(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = engine_from_config(config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.",
                                poolclass=pool.NullPool)
    with engine.connect() as conn:
        run(conn)
