"""The real pipeline into the store: idempotent re-ingest, a killed ingest resumed, concurrent ingests.

These run extraction, so they check properties that hold whatever the extraction finds
("the same events as an uninterrupted run"), not exact events.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from corpus import write_reports
from store_factories import dump

from khaldun.store import open_store
from khaldun.store.ingest import ingest_paths

BOOT = "import sys; from khaldun.cli.store import ingest_command; ingest_command(sys.argv[1:], prog_name='khaldun ingest')"
"""The ``khaldun ingest`` command, run the way the console script runs it."""


def start_ingest(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", BOOT, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


def committed(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def events_of(url: str) -> list[tuple]:
    with open_store(url) as store:
        return dump(store)["events"]


@pytest.fixture(scope="module")
def reference(tmp_path_factory, pipeline):
    """An uninterrupted in-process ingest of the 30-report corpus."""
    root = tmp_path_factory.mktemp("reference")
    corpus = write_reports(root / "reports", 30)
    db = root / "reference.db"
    with open_store(str(db)) as store:
        outcomes = list(ingest_paths(store, [corpus], pipeline=pipeline))
    assert [o.status for o in outcomes] == ["added"] * 30, [o.error for o in outcomes if o.error]
    return corpus, str(db)


def test_ingesting_twice_gives_the_same_database(reference, pipeline):
    corpus, db = reference
    with open_store(db) as store:
        before = dump(store)
        outcomes = list(ingest_paths(store, [corpus], pipeline=pipeline))
        assert {o.status for o in outcomes} == {"unchanged"}
        assert dump(store) == before
        assert len(before["events"]) < len(before["event_sources"]), "the FR/EN pairs should merge"


def test_a_killed_ingest_resumes_to_the_same_events(reference, tmp_path):
    corpus, reference_db = reference
    db = tmp_path / "killed.db"
    process = start_ingest(str(corpus), "--db", str(db))
    deadline = time.monotonic() + 120
    while committed(db) == 0 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    stored = committed(db)
    assert process.returncode == -signal.SIGKILL
    assert 0 < stored < 30, f"kill landed outside the batch ({stored} documents committed)"
    rerun = start_ingest(str(corpus), "--db", str(db))
    out, err = rerun.communicate(timeout=180)
    assert rerun.returncode == 0, err.decode()
    assert f"{stored} unchanged" in out.decode()
    assert events_of(str(db)) == events_of(reference_db)


def test_two_processes_ingesting_into_postgresql(reference, postgres_url):
    corpus, reference_db = reference
    first = start_ingest(str(corpus), "--db", postgres_url)
    second = start_ingest(str(corpus), "--db", postgres_url)
    for process in (first, second):
        _, err = process.communicate(timeout=180)
        assert process.returncode == 0, err.decode()
    with open_store(postgres_url) as store:
        tables = dump(store)
    assert len(tables["documents"]) == 30
    assert tables["events"] == events_of(reference_db)


def test_ingesting_with_two_workers_gives_the_same_events(reference, tmp_path):
    corpus, db = reference
    run = subprocess.run([sys.executable, "-c", BOOT, str(corpus), "--db", str(tmp_path / "two.db"), "--workers", "2"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "30 documents: 30 added" in run.stdout
    assert events_of(str(tmp_path / "two.db")) == events_of(db)
