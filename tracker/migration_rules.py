"""What Alembic's autogenerate compares: not APScheduler's table, not procrastinate's task-queue
schema (its own SQL, applied by 0015_workers on PostgreSQL only), not the hand-written indexes
(backend-specific columns, an expression) that the models do not declare."""

MANUAL_INDEXES = {
    "ix_opportunity_list", "ix_opportunity_deadline_sort", "ix_opportunity_order_deadline",
    "ix_opportunity_order_status_deadline", "ix_opportunity_order_title", "ix_opportunity_order_newest",
    "ix_opportunity_order_amount",
}
FOREIGN_PREFIXES = ("apscheduler", "procrastinate")


def include_object(obj, name, type_, reflected, compare_to) -> bool:  # noqa: ANN001
    if type_ == "table" and name and name.startswith(FOREIGN_PREFIXES):
        return False
    if type_ == "index" and name and (name.startswith(FOREIGN_PREFIXES) or name.startswith("idx_procrastinate")):
        return False
    return not (type_ == "index" and name in MANUAL_INDEXES)
