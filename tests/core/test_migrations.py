"""Migrations: the models and the migration chain agree, and the chain goes down and up."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from tracker.db import MIGRATIONS, current_revision, make_engine, upgrade
from tracker.migration_rules import include_object


def test_models_match_the_migrations(engine) -> None:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": include_object})
        diff = compare_metadata(ctx, SQLModel.metadata)
    assert diff == []


def test_downgrade_to_base_and_up_again(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    upgrade(engine)
    head = current_revision(engine)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head
