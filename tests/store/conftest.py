"""Store fixtures: a database URL per test, on SQLite and (when a server is given) PostgreSQL.

PostgreSQL tests need a real server: set ``KHALDUN_TEST_POSTGRES_URL`` (``.ci/postgres.sh``
starts one and prints it). Each test gets a fresh database, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from store_factories import drop_database

POSTGRES_ENV = "KHALDUN_TEST_POSTGRES_URL"


def postgres_database() -> Iterator[str]:
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set (run .ci/postgres.sh)")
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(base)
    name = f"khaldun_t_{uuid.uuid4().hex[:12]}"
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        drop_database(admin, name)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "khaldun.db")
    else:
        yield from postgres_database()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from postgres_database()


@pytest.fixture
def store(db_url):
    from khaldun.store import open_store

    with open_store(db_url) as opened:
        yield opened

