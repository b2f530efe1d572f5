"""0004 decisions and search: analysts' decisions outlive re-merges; full-text search over events.

* ``event_sources.pinned_event_id``: the event an analyst's merge, split or review put a
  report's event in; re-merging keeps it there.
* ``event_locks``: fields an analyst edited, with the value the store had computed then.
* ``events.conflicts``: locked fields that new evidence disagrees with (the event is flagged).
* ``event_aliases``: ids of events merged away, pointing at the event that took them over.
* Search: an FTS5 table kept by triggers on SQLite; a GIN index on the same words on PostgreSQL.
* Covering indexes for the timeline, the map grid and the filter choices.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SEARCHED = ("id", "notes", "actor1", "actor2", "assoc_actor_1", "assoc_actor_2", "location", "admin1", "admin2",
            "country", "source")
"""The event columns full-text search reads (khaldun.store.search uses the same list)."""


COVERING = {
    "ix_events_date_type": ["event_date", "event_type"],
    "ix_events_map": ["latitude", "longitude", "event_type", "fatalities", "fatalities_known"],
    "ix_events_actor1": ["actor1"],
    "ix_events_actor2": ["actor2"],
    "ix_events_source": ["source"],
}
"""Indexes that hold every column the timeline, the map grid and the facets read: no scan of the wide rows."""


def upgrade() -> None:
    with op.batch_alter_table("event_sources") as batch:
        batch.add_column(sa.Column("pinned_event_id", sa.String(64)))
    op.create_index("ix_event_sources_pinned_event_id", "event_sources", ["pinned_event_id"])
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("conflicts", sa.Text()))
    op.create_index("ix_events_review_status", "events", ["review_status"])
    for name, columns in COVERING.items():
        op.create_index(name, "events", columns)
    op.create_table(
        "event_locks",
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("field", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("machine", sa.Text(), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "event_aliases",
        sa.Column("old_id", sa.String(64), primary_key=True),
        sa.Column("new_id", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        columns = ", ".join(SEARCHED)
        new = ", ".join(f"new.{c}" for c in SEARCHED)
        old = ", ".join(f"old.{c}" for c in SEARCHED)
        op.execute(f"CREATE VIRTUAL TABLE events_fts USING fts5({columns}, content='events', content_rowid='rowid', "
                   "tokenize='unicode61 remove_diacritics 2')")
        op.execute(f"CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN "
                   f"INSERT INTO events_fts(rowid, {columns}) VALUES (new.rowid, {new}); END")
        op.execute(f"CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN "
                   f"INSERT INTO events_fts(events_fts, rowid, {columns}) VALUES ('delete', old.rowid, {old}); END")
        op.execute(f"CREATE TRIGGER events_fts_update AFTER UPDATE ON events BEGIN "
                   f"INSERT INTO events_fts(events_fts, rowid, {columns}) VALUES ('delete', old.rowid, {old}); "
                   f"INSERT INTO events_fts(rowid, {columns}) VALUES (new.rowid, {new}); END")
        op.execute("INSERT INTO events_fts(events_fts) VALUES ('rebuild')")
    elif dialect == "postgresql":
        op.execute(f"CREATE INDEX ix_events_search ON events USING gin ({pg_document()})")


def pg_document() -> str:
    """The tsvector PostgreSQL searches; queries must use this exact expression to use the index."""
    joined = " || ' ' || ".join(f"coalesce({c}, '')" for c in SEARCHED)
    return f"to_tsvector('simple'::regconfig, {joined})"


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS events_fts_{name}")
        op.execute("DROP TABLE IF EXISTS events_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_events_search")
    op.drop_table("event_aliases")
    op.drop_table("event_locks")
    for name in COVERING:
        op.drop_index(name, table_name="events")
    op.drop_index("ix_events_review_status", table_name="events")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("conflicts")
    op.drop_index("ix_event_sources_pinned_event_id", table_name="event_sources")
    with op.batch_alter_table("event_sources") as batch:
        batch.drop_column("pinned_event_id")
