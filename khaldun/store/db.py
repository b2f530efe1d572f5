"""Open the event store: a database URL in, a migrated :class:`Store` out.

Where the database is, in order of precedence:

1. ``url`` given by the caller (the CLI's ``--db``): a file path (``events.db``),
   ``sqlite:///path/events.db`` or ``postgresql://user:password@host/dbname``;
2. the ``KHALDUN_DB`` environment variable, same forms;
3. ``khaldun.db`` in the user data directory (``platformdirs``: ``~/.local/share/khaldun``
   on Linux), so ``khaldun ingest`` works with zero set-up from any working directory and
   every command finds the same dataset.

Opening runs the Alembic migrations up to the newest, in one transaction. Writers are
serialised: SQLite transactions start with ``BEGIN IMMEDIATE`` (WAL journal, so readers
never wait), and PostgreSQL write transactions take a transaction-level advisory lock.
A write holds the lock only for storing one document and re-merging its neighbourhood
(milliseconds); extraction, the slow part, runs outside it, so concurrent ingests still
overlap their real work.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from khaldun.errors import KhaldunError, error

DB_ENV = "KHALDUN_DB"
"""Environment variable naming the database when ``--db`` is not given."""

WRITE_LOCK = 0x6B68_616C  # "khal": PostgreSQL advisory lock key for writers
SQLITE_BUSY_MS = 120_000


def default_path() -> Path:
    """The default SQLite file: ``khaldun.db`` in the user data directory."""
    return Path(platformdirs.user_data_dir("khaldun", appauthor=False)) / "khaldun.db"


def database_url(value: str | None = None) -> str:
    """The SQLAlchemy URL for ``value``, ``$KHALDUN_DB`` or the default file."""
    raw = value or os.environ.get(DB_ENV) or str(default_path())
    if "://" not in raw:
        return f"sqlite:///{Path(raw).expanduser().resolve()}"
    scheme, _, rest = raw.partition("://")
    if scheme in {"postgresql", "postgres", "postgresql+psycopg"}:
        return f"postgresql+psycopg://{rest}"
    if scheme == "sqlite":
        return raw
    raise error("E702", url=raw)


@dataclass
class Store:
    """An open, migrated database. Use :meth:`write` for changes and :meth:`read` for queries."""

    engine: Engine
    url: str  # for messages: the password is masked

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One transaction, exclusive among writers; committed on exit, rolled back on error."""
        with self.engine.begin() as conn:
            if self.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for queries (one consistent transaction)."""
        with self.engine.connect() as conn:
            yield conn.execution_options(khaldun_read_only=True)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(url: str | None = None, *, migrate: bool = True) -> Store:
    """Connect to the database (creating a SQLite file if needed) and bring its schema up to date."""
    resolved = database_url(url)
    try:
        parsed = make_url(resolved)
    except ArgumentError:
        raise error("E702", url=url or resolved) from None
    shown = parsed.render_as_string(hide_password=True)
    try:
        engine = _engine(resolved, parsed.get_backend_name())
        store = Store(engine=engine, url=shown)
        if migrate:
            _migrate(store)
        return store
    except KhaldunError:
        raise
    except (SQLAlchemyError, OSError) as exc:
        raise error("E701", url=shown, reason=_first_line(exc)) from None


def _engine(url: str, backend: str) -> Engine:
    if backend == "sqlite":
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if backend == "postgresql":
        return create_engine(url, pool_pre_ping=True)
    raise error("E702", url=url)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """Let SQLAlchemy, not the sqlite3 module, decide where transactions begin (DDL included)."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """Writers take the write lock at BEGIN, so two writers queue instead of failing mid-transaction."""
    conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("khaldun_read_only") else "BEGIN IMMEDIATE")


def alembic_config() -> Config:
    """Alembic's configuration pointing at the migrations shipped in the package."""
    config = Config()
    config.set_main_option("script_location", "khaldun.store:migrations")
    return config


def _migrate(store: Store) -> None:
    config = alembic_config()
    script = ScriptDirectory.from_config(config)
    with store.write() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        if current is not None and current not in {s.revision for s in script.walk_revisions()}:
            raise error("E704", url=store.url, revision=current)
        if current == script.get_current_head():
            return
        config.attributes["connection"] = conn
        try:
            command.upgrade(config, "head")
        except SQLAlchemyError as exc:
            raise error("E703", url=store.url, reason=_first_line(exc)) from None


def schema_revision(store: Store) -> str | None:
    """The migration the database is at (``None`` for an empty database)."""
    with store.read() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
