"""Web fixtures: an app over a fresh SQLite store, seeded with invented reports, and one user per role."""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(1, str(Path(__file__).parent.parent / "store"))  # store_factories.drop_database

from web_factories import seed  # noqa: E402
from web_harness import PASSWORD, ROLES, Bench, make_bench  # noqa: E402
from store_factories import drop_database  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def session_key_file(tmp_path_factory) -> Iterator[Path]:
    """The workbench's cookie-signing key file in a temporary folder, never the user's data directory."""
    from khaldun.web.keys import KEY_ENV, KEY_FILE_ENV

    path = tmp_path_factory.mktemp("keys") / "session.key"
    saved = {name: os.environ.pop(name, None) for name in (KEY_ENV, KEY_FILE_ENV)}
    os.environ[KEY_FILE_ENV] = str(path)
    yield path
    for name, value in saved.items():
        os.environ.pop(name, None)
        if value is not None:
            os.environ[name] = value


@dataclass
class Template:
    """A seeded database file with a user and a token per role, built once and copied for each test."""

    path: Path
    tokens: dict[str, str]


@pytest.fixture(scope="session")
def template(tmp_path_factory) -> Template:
    from khaldun.store import open_store
    from khaldun.store.users import create_user, issue_token

    path = tmp_path_factory.mktemp("web-template") / "web.db"
    with open_store(str(path)) as store:
        tokens = {}
        for role in ROLES:
            user = create_user(store, role, PASSWORD, role)
            tokens[role] = issue_token(store, user.id, "tests")
        seed(store)
    return Template(path=path, tokens=tokens)


@pytest.fixture
def web_db(template, tmp_path) -> str:
    """A fresh copy of the seeded database."""
    target = tmp_path / "web.db"
    for suffix in ("", "-wal"):  # closing the store checkpoints the WAL, but copy any leftover too
        if Path(f"{template.path}{suffix}").exists():
            shutil.copyfile(f"{template.path}{suffix}", f"{target}{suffix}")
    return str(target)


@pytest.fixture
def bench(web_db, template) -> Iterator[Bench]:
    yield from make_bench(web_db, template.tokens)


@pytest.fixture
def small_bench(web_db, template) -> Iterator[Bench]:
    """Like ``bench`` but refusing uploads over 1 kB, to test the limit cheaply."""
    yield from make_bench(web_db, template.tokens, max_upload=1024)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request, tmp_path) -> Iterator[object]:
    """A seeded store on SQLite, and on PostgreSQL when ``KHALDUN_TEST_POSTGRES_URL`` names a server."""
    from khaldun.store import open_store

    if request.param == "sqlite":
        with open_store(str(tmp_path / "review.db")) as store:
            seed(store)
            yield store
        return
    base = os.environ.get("KHALDUN_TEST_POSTGRES_URL")
    if not base:
        pytest.skip("KHALDUN_TEST_POSTGRES_URL is not set (run .ci/postgres.sh)")
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(base)
    name = f"khaldun_w_{uuid.uuid4().hex[:12]}"
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        with open_store(url.set(database=name).render_as_string(hide_password=False)) as store:
            seed(store)
            yield store
    finally:
        drop_database(admin, name)
