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


def test_planning_migration_keeps_existing_bids(tmp_path) -> None:
    """0011_planning on a database with calls and bids: the bids keep their data and get an
    empty funder feedback; decisions can be recorded against the old rows; and back down."""
    import sqlalchemy as sa

    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    upgrade(engine, "0009_digest_frequency")
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO opportunity (id, url, title, summary, currency, status, eligible_org_types, "
                             "excluded_org_types, areas, themes, eligibility_text, body, problems, content_hash, "
                             "first_seen, last_seen, last_changed, rolling) VALUES (1, 'https://f.example/1', "
                             "'Old call', '', 'GBP', 'closed', '[]', '[]', '[]', '[]', '', '', '[]', '', "
                             "'2025-01-01', '2025-01-01', '2025-01-01', 0)"))
        conn.execute(sa.text("INSERT INTO bid (id, opportunity_id, status, amount_requested, amount_awarded, notes, "
                             "created_at, updated_at) VALUES (1, 1, 'awarded', 20000, 15000, 'kept', "
                             "'2025-02-01', '2025-02-01')"))
    upgrade(engine)
    with engine.begin() as conn:
        row = conn.execute(sa.text("SELECT status, amount_awarded, notes, feedback FROM bid")).one()
        assert tuple(row) == ("awarded", 15000, "kept", "")
        conn.execute(sa.text("INSERT INTO decision (opportunity_id, decision, reason, note, decided_at) "
                             "VALUES (1, 'bid', 'strong_fit', '', '2025-01-15')"))
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0009_digest_frequency")
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT notes FROM bid")).scalar_one() == "kept"
