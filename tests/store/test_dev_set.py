"""Acceptance on the shared development set (skipped when ../shared is absent).

Only reads the shared files at test time; nothing from them is copied into the project.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from store_factories import dump

from khaldun.cli import cli
from khaldun.store import open_store
from khaldun.store.control import control_at
from khaldun.store.ingest import ingest_paths
from khaldun.store.query import load_events

SHARED = Path(__file__).resolve().parents[3] / "shared"
DEV = SHARED / "eval" / "dev"
SEED = SHARED / "examples" / "seed" / "report.txt"

pytestmark = pytest.mark.skipif(not (DEV / "dev.input.jsonl").is_file(), reason="../shared/eval/dev is not available")


def gold() -> dict[str, dict]:
    return {d["doc_id"]: d for d in map(json.loads, (DEV / "dev.gold.jsonl").read_text().splitlines()) if d}


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    p = math.pi / 180
    h = math.sin((b[0] - a[0]) * p / 2) ** 2 + math.cos(a[0] * p) * math.cos(b[0] * p) * math.sin((b[1] - a[1]) * p / 2) ** 2
    return 12742 * math.asin(math.sqrt(min(1.0, h)))


def fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


@pytest.fixture(scope="module")
def dev_store(tmp_path_factory, pipeline):
    db = str(tmp_path_factory.mktemp("dev") / "dev.db")
    with open_store(db) as store:
        list(ingest_paths(store, [DEV / "dev.input.jsonl"], pipeline=pipeline))
        yield store


def test_ingesting_the_dev_set_twice_gives_the_same_database(dev_store, pipeline):
    before = dump(dev_store)
    outcomes = list(ingest_paths(dev_store, [DEV / "dev.input.jsonl"], pipeline=pipeline))
    assert {o.status for o in outcomes} == {"unchanged"}
    assert dump(dev_store) == before


def test_reports_of_the_same_event_merge(dev_store):
    """Gold events told by several reports: when extraction found each, they are one stored event."""
    required = [(doc, e) for doc, d in gold().items() for e in d["events"] if e["required"]]
    clusters: list[list[tuple[str, dict]]] = []
    for doc, e in required:
        for cluster in clusters:
            other = cluster[0][1]
            if (other["types"][0][0] == e["types"][0][0] and e["date"][0] <= other["date"][1]
                    and other["date"][0] <= e["date"][1] and all(d != doc for d, _ in cluster)
                    and km((e["location"]["lat"], e["location"]["lon"]),
                           (other["location"]["lat"], other["location"]["lon"])) <= 10):
                cluster.append((doc, e))
                break
        else:
            clusters.append([(doc, e)])
    with dev_store.read() as conn:
        events = load_events(conn)
    checked = 0
    for cluster in (c for c in clusters if len(c) > 1):
        found: dict[str, set[str]] = {}
        for doc, e in cluster:
            window = (dt.date.fromisoformat(e["date"][0]) - dt.timedelta(days=1), dt.date.fromisoformat(e["date"][1]))
            types = {tuple(t) for t in e["types"]}
            found[doc] = {ev.event_id_cnty for ev in events for s in ev.sources
                          if s.document_id == doc and window[0] <= s.event_date <= window[1]
                          and (ev.event_type, s.sub_event_type) in types and ev.latitude is not None
                          and km((ev.latitude, ev.longitude), (e["location"]["lat"], e["location"]["lon"])) <= 50}
        found = {doc: ids for doc, ids in found.items() if ids}
        if len(found) >= 2:
            checked += 1
            together = max(sum(event_id in ids for ids in found.values()) for ids in found.values() for event_id in ids)
            assert together >= 2, f"no two of {sorted(found)} merged"
    assert checked >= 1


@pytest.mark.skipif(not SEED.is_file(), reason="the seed report is not available")
def test_seed_control_on_30_july_2013(tmp_path):
    """The customer's example through ``khaldun ingest`` and ``khaldun control --at 2013-07-30``."""
    db = str(tmp_path / "seed.db")
    ingested = CliRunner().invoke(cli, ["ingest", str(SEED), "--db", db])
    assert ingested.exit_code == 0, ingested.output
    with open_store(db) as store:
        held = control_at(store, dt.date(2013, 7, 30))
    places = {fold(p.place_name): p for p in held}
    khaldiye = next(p for name, p in places.items() if name.startswith("khaldiy"))
    assert khaldiye.holder.startswith("Military Forces of Syria") and khaldiye.since == dt.date(2013, 7, 29)
    assert khaldiye.evidence
    for name in ("old homs", "jouret al-shiyah", "al-qarabis"):
        assert places[name].holder == "Free Syrian Army" and places[name].evidence, name
    assert not places["baba amr"].holder.startswith("Opposition")  # retaken in 2012, not a rebel holding
    shown = CliRunner().invoke(cli, ["control", "--at", "2013-07-30", "--db", db])
    assert shown.exit_code == 0 and "Jouret al-Shiyah, Syria: held by Free Syrian Army" in shown.output


@pytest.mark.skipif(not SEED.is_file(), reason="the seed report is not available")
@pytest.mark.xfail(strict=True, reason="known regression: the mosque taken on Saturday (an event the seed's gold codes) "
                                       "is coded at Homs, the place the mosque is in, and the capture then claims "
                                       "the whole city in the control timeline")
def test_seed_control_holds_neighbourhoods_not_the_city(tmp_path):
    db = str(tmp_path / "seed.db")
    assert CliRunner().invoke(cli, ["ingest", str(SEED), "--db", db]).exit_code == 0
    with open_store(db) as store:
        held = control_at(store, dt.date(2013, 7, 30))
    assert "homs" not in {fold(p.place_name) for p in held}  # the neighbourhoods are held, not the whole city
