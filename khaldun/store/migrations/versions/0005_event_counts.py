"""0005 event counts: the workbench's aggregates kept at write time, so the first map load is as fast as the next.

Three summary tables, maintained by triggers on ``events`` in the same transaction as
every write (ingest, re-merge, review, merge, split, undo, or a script's own INSERT), so
they are never stale and need no rebuild after a restart:

* ``event_day_counts``: events per day and event type (the unfiltered timeline);
* ``event_value_counts``: events per country, event type, actor (either role), outlet
  string, and the number without coordinates (the filter choices, the map's "unplaced");
* ``event_cell_counts``: events per map-grid cell at zoom 7 and type, with the sums of
  their coordinates and fatalities (the unfiltered map at zoom 7 and below: coarser cells
  are unions of these).

A count that falls to zero deletes its row. Writers are serialised (``Store.write``), and
on PostgreSQL each change is an ``INSERT ... ON CONFLICT`` under the row's lock anyway.

Also, PostgreSQL's full-text index now reads hyphens as spaces: its parser took the ``-2``
of an event id ``SY-2`` (or of a date) for a negative number, so a search for the id found
nothing; SQLite's tokenizer already split there.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

GRID_ZOOM = 7
CELL_DEGREES = 360.0 / 2 ** GRID_ZOOM / 4
"""A cell is a quarter of a map tile at zoom 7 (0.703125 degrees); khaldun.store.search uses the same grid."""

SEARCHED = ("id", "notes", "actor1", "actor2", "assoc_actor_1", "assoc_actor_2", "location", "admin1", "admin2",
            "country", "source")


def pg_document(hyphens: bool = False) -> str:
    """The tsvector PostgreSQL searches (0004's kept hyphens); queries must use this exact expression."""
    joined = " || ' ' || ".join(f"coalesce({c}, '')" for c in SEARCHED)
    words = joined if hyphens else f"translate({joined}, '-', ' ')"
    return f"to_tsvector('simple'::regconfig, {words})"


WATCHED = ("event_date", "event_type", "country", "actor1", "actor2", "source", "latitude", "longitude",
           "fatalities", "fatalities_known")
"""The event columns the counts read: an UPDATE touching none of them leaves the counts alone."""


def upgrade() -> None:
    op.create_table(
        "event_day_counts",
        sa.Column("event_date", sa.Date(), primary_key=True),
        sa.Column("event_type", sa.Text(), primary_key=True),
        sa.Column("n", sa.Integer(), nullable=False),
    )
    op.create_table(
        "event_value_counts",
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("value", sa.Text(), primary_key=True),
        sa.Column("n", sa.Integer(), nullable=False),
    )
    op.create_table(
        "event_cell_counts",
        sa.Column("gy", sa.Integer(), primary_key=True),
        sa.Column("gx", sa.Integer(), primary_key=True),
        sa.Column("event_type", sa.Text(), primary_key=True),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("latitude_sum", sa.Float(), nullable=False),
        sa.Column("longitude_sum", sa.Float(), nullable=False),
        sa.Column("fatalities", sa.Integer(), nullable=False),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        columns = ", ".join(WATCHED)
        op.execute(f"CREATE TRIGGER events_counts_insert AFTER INSERT ON events BEGIN {changes('new', 1, dialect)} END")
        op.execute(f"CREATE TRIGGER events_counts_delete AFTER DELETE ON events BEGIN {changes('old', -1, dialect)} END")
        op.execute(f"CREATE TRIGGER events_counts_update AFTER UPDATE OF {columns} ON events BEGIN "
                   f"{changes('old', -1, dialect)} {changes('new', 1, dialect)} END")
    elif dialect == "postgresql":
        op.execute("CREATE FUNCTION khaldun_event_counts() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                   f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {changes('OLD', -1, dialect)} END IF; "
                   f"IF TG_OP IN ('UPDATE', 'INSERT') THEN {changes('NEW', 1, dialect)} END IF; "
                   "RETURN NULL; END $$")
        changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in WATCHED)
        op.execute("CREATE TRIGGER events_counts_write AFTER INSERT OR DELETE ON events "
                   "FOR EACH ROW EXECUTE FUNCTION khaldun_event_counts()")
        op.execute(f"CREATE TRIGGER events_counts_update AFTER UPDATE ON events FOR EACH ROW WHEN ({changed}) "
                   "EXECUTE FUNCTION khaldun_event_counts()")
        op.execute("DROP INDEX IF EXISTS ix_events_search")
        op.execute(f"CREATE INDEX ix_events_search ON events USING gin ({pg_document()})")
    backfill(dialect)


def cell(row: str, column: str, offset: int, dialect: str) -> str:
    """The grid index of a coordinate (offset to be positive, so truncation is floor)."""
    value = f"({row}.{column} + {offset}) / {CELL_DEGREES!r}"
    return f"CAST(floor({value}) AS INTEGER)" if dialect == "postgresql" else f"CAST({value} AS INTEGER)"


def bump(table: str, keys: dict[str, str], sums: dict[str, str], sign: int, when: str | None = None) -> str:
    """Add ``sign`` to a row's count (and ``sign`` times each value to its sums); a count at zero goes."""
    values = {**keys, "n": str(sign), **{k: f"{sign} * ({v})" for k, v in sums.items()}}
    names = ", ".join(values)
    update = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in ("n", *sums))
    statement = (f"INSERT INTO {table} ({names}) SELECT {', '.join(values.values())}"
                 f"{f' WHERE {when}' if when else ' WHERE TRUE'} "
                 f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {update};")
    if sign < 0:
        match = " AND ".join(f"{k} = {v}" for k, v in keys.items())
        statement += f" DELETE FROM {table} WHERE {match} AND n <= 0;"
    return statement


def changes(row: str, sign: int, dialect: str) -> str:
    """The statements counting (``sign`` 1) or uncounting (-1) the event ``row`` (``new``/``old``)."""
    placed = f"{row}.latitude IS NOT NULL AND {row}.longitude IS NOT NULL"
    statements = [bump("event_day_counts", {"event_date": f"{row}.event_date", "event_type": f"{row}.event_type"},
                       {}, sign)]
    for kind, column in (("country", "country"), ("event_type", "event_type"), ("actor", "actor1"),
                         ("actor", "actor2"), ("source", "source")):
        statements.append(bump("event_value_counts", {"kind": f"'{kind}'", "value": f"{row}.{column}"}, {}, sign))
    statements.append(bump("event_value_counts", {"kind": "'unplaced'", "value": "''"}, {}, sign,
                           when=f"NOT ({placed})"))
    statements.append(bump(
        "event_cell_counts",
        {"gy": cell(row, "latitude", 90, dialect), "gx": cell(row, "longitude", 180, dialect),
         "event_type": f"{row}.event_type"},
        {"latitude_sum": f"{row}.latitude", "longitude_sum": f"{row}.longitude",
         "fatalities": f"CASE WHEN {row}.fatalities_known THEN {row}.fatalities ELSE 0 END"},
        sign, when=placed))
    return " ".join(statements)


def backfill(dialect: str) -> None:
    """Count the events already stored."""
    op.execute("INSERT INTO event_day_counts (event_date, event_type, n) "
               "SELECT event_date, event_type, count(*) FROM events GROUP BY event_date, event_type")
    parts = [f"SELECT '{kind}' AS kind, {column} AS value FROM events" for kind, column in
             (("country", "country"), ("event_type", "event_type"), ("actor", "actor1"), ("actor", "actor2"),
              ("source", "source"))]
    parts.append("SELECT 'unplaced' AS kind, '' AS value FROM events WHERE latitude IS NULL OR longitude IS NULL")
    op.execute(f"INSERT INTO event_value_counts (kind, value, n) SELECT kind, value, count(*) "
               f"FROM ({' UNION ALL '.join(parts)}) AS counted GROUP BY kind, value")
    gy, gx = cell("events", "latitude", 90, dialect), cell("events", "longitude", 180, dialect)
    op.execute(f"INSERT INTO event_cell_counts (gy, gx, event_type, n, latitude_sum, longitude_sum, fatalities) "
               f"SELECT {gy}, {gx}, event_type, count(*), sum(latitude), sum(longitude), "
               f"sum(CASE WHEN fatalities_known THEN fatalities ELSE 0 END) FROM events "
               f"WHERE latitude IS NOT NULL AND longitude IS NOT NULL GROUP BY {gy}, {gx}, event_type")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS events_counts_{name}")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS events_counts_write ON events")
        op.execute("DROP TRIGGER IF EXISTS events_counts_update ON events")
        op.execute("DROP FUNCTION IF EXISTS khaldun_event_counts()")
        op.execute("DROP INDEX IF EXISTS ix_events_search")
        op.execute(f"CREATE INDEX ix_events_search ON events USING gin ({pg_document(hyphens=True)})")
    for table in ("event_cell_counts", "event_value_counts", "event_day_counts"):
        op.drop_table(table)
