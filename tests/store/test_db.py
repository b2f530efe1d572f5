"""Opening the store: URLs, the default location, migrations on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from khaldun.errors import KhaldunError
from khaldun.store import database_url, default_path, open_store
from khaldun.store.db import DB_ENV, alembic_config, schema_revision
from khaldun.store.models import Base


def test_url_forms(tmp_path, monkeypatch):
    monkeypatch.delenv(DB_ENV, raising=False)
    assert database_url(str(tmp_path / "a.db")) == f"sqlite:///{tmp_path / 'a.db'}"
    assert database_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"
    assert database_url() == f"sqlite:///{default_path()}"
    monkeypatch.setenv(DB_ENV, str(tmp_path / "env.db"))
    assert database_url() == f"sqlite:///{tmp_path / 'env.db'}"


def test_unsupported_url_is_a_coded_error():
    with pytest.raises(KhaldunError) as caught:
        open_store("mysql://u@h/db")
    assert caught.value.code == "E702"


def test_migrations_reach_head_and_match_models(db_url):
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with open_store(db_url) as store:
        assert schema_revision(store) == head
        with store.read() as conn:
            assert set(Base.metadata.tables) <= set(inspect(conn).get_table_names())
            context = MigrationContext.configure(conn, opts={"include_name": _not_search_index})
            assert compare_metadata(context, Base.metadata) == []
    with open_store(db_url) as again:
        assert schema_revision(again) == head


def _not_search_index(name, kind, _parent) -> bool:
    """The full-text index (SQLite's FTS5 tables, PostgreSQL's GIN index) is built by SQL, not by the models."""
    return not (kind == "table" and name.startswith("events_fts")) and name != "ix_events_search"


def test_migrations_are_named_and_ordered():
    script = ScriptDirectory.from_config(alembic_config())
    revisions = list(reversed(list(script.walk_revisions())))
    assert revisions[0].down_revision is None
    for before, after in zip(revisions, revisions[1:]):
        assert after.down_revision == before.revision
    for revision in revisions:
        assert revision.doc and revision.doc.split()[0] == revision.revision


def test_a_newer_schema_is_refused(db_url):
    with open_store(db_url) as store, store.write() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(KhaldunError) as caught:
        open_store(db_url)
    assert caught.value.code == "E704"
