"""The counts kept at write time (migration 0005) always equal what the events say, on SQLite and PostgreSQL.

The workbench answers its unfiltered timeline, filter choices and map grid from them, so a
count that drifts would show the analyst a wrong map: every test recounts from the events.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections import Counter

import pytest
from alembic import command
from sqlalchemy import delete, insert, select, update

from khaldun.store import open_store, search
from khaldun.store.db import alembic_config
from khaldun.store.models import CellCountRow, DayCountRow, EventRow, ValueCountRow
from khaldun.store.search import EventQuery

from store_factories import HAMA, HOMS, event, result

TYPES = ("Battles", "Riots", "Protests", "Strategic developments")
PLACES = ((34.7, 36.7, "Syria"), (16.27, -0.04, "Mali"), (12.37, -1.53, "Burkina Faso"), (-1.95, 30.06, "Rwanda"),
          (None, None, "Mali"))


def row(n: int, rng: random.Random) -> dict:
    """An event row as a script or the store would write it (every NOT NULL column given)."""
    lat, lon, country = PLACES[rng.randrange(len(PLACES))]
    day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(900))
    return {c.name: None for c in EventRow.__table__.columns} | {
        "id": f"T-{n}", "event_date": day, "year": day.year, "time_precision": 1, "disorder_type": "",
        "event_type": rng.choice(TYPES), "sub_event_type": "Armed clash", "actor1": rng.choice(["Militia A", "Army B", ""]),
        "assoc_actor_1": "", "actor2": rng.choice(["Militia A", "Civilians", ""]), "assoc_actor_2": "",
        "civilian_targeting": "", "region": "", "country": country, "admin1": "", "admin2": "", "admin3": "",
        "location": f"P{n}", "latitude": None if lat is None else lat + rng.uniform(-3, 3),
        "longitude": None if lon is None else lon + rng.uniform(-3, 3), "source": rng.choice(["Radio X", "Radio X; Paper Y", ""]),
        "source_scale": "", "notes": "", "fatalities": rng.randrange(5), "tags": "", "timestamp": 0, "doc_id": "d",
        "confidence": 0.5, "background": False, "claimed_by": "", "fatalities_known": rng.random() < 0.8,
        "source_count": 1, "review_status": "unreviewed", "merge_notes": "[]", "evidence": "[]"}


def recount(conn) -> dict[str, Counter]:
    """What the count tables must hold, computed from the events in Python."""
    size = 360.0 / 2 ** search.GRID_ZOOM / 4
    days, values, cells, sums = Counter(), Counter(), Counter(), Counter()
    for e in conn.execute(select(EventRow.__table__)).all():
        days[(e.event_date, e.event_type)] += 1
        for kind, value in (("country", e.country), ("event_type", e.event_type), ("actor", e.actor1),
                            ("actor", e.actor2), ("source", e.source)):
            values[(kind, value)] += 1
        if e.latitude is None or e.longitude is None:
            values[("unplaced", "")] += 1
        else:
            key = (int((e.latitude + 90) // size), int((e.longitude + 180) // size), e.event_type)
            cells[key] += 1
            sums[key + ("fatalities",)] += e.fatalities if e.fatalities_known else 0
            sums[key + ("latitude",)] += e.latitude
    return {"days": days, "values": values, "cells": cells, "sums": sums}


def stored(conn) -> dict[str, Counter]:
    cells = conn.execute(select(CellCountRow.__table__)).all()
    sums = Counter()
    for c in cells:
        sums[(c.gy, c.gx, c.event_type, "fatalities")] = c.fatalities
        sums[(c.gy, c.gx, c.event_type, "latitude")] = c.latitude_sum
    return {"days": Counter({(r.event_date, r.event_type): r.n for r in conn.execute(select(DayCountRow.__table__))}),
            "values": Counter({(r.kind, r.value): r.n for r in conn.execute(select(ValueCountRow.__table__))}),
            "cells": Counter({(c.gy, c.gx, c.event_type): c.n for c in cells}), "sums": sums}


def assert_counts_match(store) -> None:
    with store.read() as conn:
        want, got = recount(conn), stored(conn)
    assert got["days"] == want["days"]
    assert got["values"] == want["values"]
    assert got["cells"] == want["cells"]
    assert got["sums"].keys() == want["sums"].keys()
    for key, value in want["sums"].items():
        assert got["sums"][key] == pytest.approx(value, abs=1e-6), key
    assert all(n > 0 for table in ("days", "values", "cells") for n in got[table].values())  # no row left at zero


def test_inserts_updates_and_deletes_keep_every_count(store):
    rng = random.Random(5)
    with store.write() as conn:
        conn.execute(insert(EventRow), [row(n, rng) for n in range(300)])
    assert_counts_match(store)
    with store.write() as conn:
        for n in rng.sample(range(300), 60):  # a review edit: type, place, outlet, fatalities
            conn.execute(update(EventRow).where(EventRow.id == f"T-{n}").values(
                event_type=rng.choice(TYPES), latitude=rng.choice([None, 10.5]), longitude=20.25,
                source="Agency Z", fatalities=7, fatalities_known=True, country="Chad"))
        conn.execute(update(EventRow).where(EventRow.id.in_([f"T-{n}" for n in range(0, 300, 7)]))
                     .values(review_status="accepted", notes="checked"))  # no counted column: nothing moves
        conn.execute(delete(EventRow).where(EventRow.id.in_([f"T-{n}" for n in range(0, 300, 3)])))
    assert_counts_match(store)
    with store.write() as conn:
        conn.execute(delete(EventRow))
    with store.read() as conn:
        assert stored(conn) == {"days": Counter(), "values": Counter(), "cells": Counter(), "sums": Counter()}


def test_ingest_rematch_and_review_keep_every_count(store):
    from khaldun.store.ingest import store_result
    from khaldun.store.review import edit, merge

    day = dt.date(2024, 3, 5)
    store_result(store, result("a", day, [event("a", day, HOMS, outlet="Radio X", fatalities=2)], outlet="Radio X"))
    store_result(store, result("b", day, [event("b", day, HAMA, sub="Peaceful protest", event_type="Protests",
                                                outlet="Paper Y")], outlet="Paper Y"))
    store_result(store, result("c", day, [event("c", day, HOMS, outlet="Paper Y", fatalities=4)], outlet="Paper Y"))
    assert_counts_match(store)
    with store.read() as conn:
        ids = [r[0] for r in conn.execute(select(EventRow.id).order_by(EventRow.id))]
    edit(store, ids[0], {"fatalities": 9, "event_type": "Riots", "sub_event_type": "Mob violence"}, "analyst", "read again")
    assert_counts_match(store)
    if len(ids) > 1:
        merge(store, ids[0], ids[1:], "analyst", "one event")
    assert_counts_match(store)


def test_concurrent_writers_keep_every_count(db_url):
    """Two processes' worth of writers at once: each write is counted exactly once."""
    with open_store(db_url) as store:
        failures: list[BaseException] = []

        def writer(first: int) -> None:
            rng = random.Random(first)
            try:
                for n in range(first, first + 40):
                    with store.write() as conn:
                        conn.execute(insert(EventRow), [row(n, rng)])
                        if n % 4 == 0:
                            conn.execute(update(EventRow).where(EventRow.id == f"T-{n}").values(event_type="Riots"))
                        if n % 5 == 0:
                            conn.execute(delete(EventRow).where(EventRow.id == f"T-{n - 2}"))
            except BaseException as exc:  # reported below: a thread's failure must fail the test
                failures.append(exc)

        threads = [threading.Thread(target=writer, args=(k * 1000,)) for k in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert failures == []
        assert_counts_match(store)


def test_upgrading_a_0004_store_counts_its_events(db_url):
    """A store written before the counts existed gets them at the upgrade."""
    with open_store(db_url, migrate=False) as store:
        config = alembic_config()
        with store.write() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0004")
        rng = random.Random(9)
        with store.write() as conn:
            conn.execute(insert(EventRow), [row(n, rng) for n in range(120)])
    with open_store(db_url) as store:
        assert_counts_match(store)


def test_unfiltered_answers_equal_the_filtered_path(store):
    """The timeline, map cells and filter choices read from the counts agree with the same questions asked of
    the events (a filter that keeps everything takes the events' path)."""
    rng = random.Random(11)
    with store.write() as conn:
        conn.execute(insert(EventRow), [row(n, rng) for n in range(2500)])
    everything, keeps_all = EventQuery(), EventQuery(since=dt.date(1900, 1, 1))
    assert everything.everything() and not keeps_all.everything()
    with store.read() as conn:
        for unit in (None, "day", "week", "month"):
            assert search.timeline(conn, everything, unit) == search.timeline(conn, keeps_all, unit)
        for zoom in (2, 5, 7):
            counted = search.map_view(conn, everything, zoom, None, max_points=100)
            direct = search.map_view(conn, keeps_all, zoom, None, max_points=100)
            assert counted.mode == direct.mode == "cells"
            assert (counted.total, counted.unplaced) == (direct.total, direct.unplaced)
            assert _cells(counted) == _cells(direct)
        few = search.map_view(conn, everything, 3, None, max_points=5000)  # few events: every point, exactly
        assert few.mode == "points" and few.total == direct.total
        facets = search.facets(conn)
    assert facets["countries"] == ["Burkina Faso", "Mali", "Rwanda", "Syria"]
    assert facets["actors"] == ["Army B", "Civilians", "Militia A"]
    assert facets["sources"] == ["Paper Y", "Radio X"]


def _cells(view) -> list[tuple]:
    """Each cell's count, fatalities, types and centre (to about 100 m: sums add up in another order)."""
    return sorted((c["count"], c["fatalities"], sorted(c["types"].items()), round(c["latitude"], 3),
                   round(c["longitude"], 3)) for c in view.cells)


def test_a_view_keeps_the_cells_that_meet_it(store):
    rng = random.Random(3)
    with store.write() as conn:
        conn.execute(insert(EventRow), [row(n, rng) for n in range(600)])
    with store.read() as conn:
        west_africa = search.map_view(conn, EventQuery(), 4, (-10.0, 5.0, 10.0, 25.0), max_points=10)
        world = search.map_view(conn, EventQuery(), 4, None, max_points=10)
        mali_and_burkina = conn.execute(select(EventRow.id).where(EventRow.country.in_(["Mali", "Burkina Faso"]),
                                                                  EventRow.latitude.is_not(None))).all()
    assert west_africa.mode == "cells"
    assert west_africa.total == len(mali_and_burkina) < world.total
    assert all(-10 <= c["longitude"] <= 10 and 5 <= c["latitude"] <= 25 for c in west_africa.cells)

