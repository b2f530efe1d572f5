"""The workbench's queries on SQLite and PostgreSQL alike: full-text search, filters, sorted pages, the queue's
order, timeline buckets and the map grid (the web tests run them on SQLite only)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert, update

from khaldun.store import search
from khaldun.store.models import EventRow
from khaldun.store.search import EventQuery

ROWS = [
    # id, date, type, sub-event, actor1, actor2, country, location, lat, lon, outlet, notes, confidence
    ("ML-1", dt.date(2024, 1, 3), "Protests", "Peaceful protest", "Protesters (Mali)", "", "Mali", "Gao", 16.27, -0.04,
     "Radio Fleuve \u2013 Nord", "Des commerçants ont manifesté contre les taxes au marché.", 0.9),
    ("ML-2", dt.date(2024, 2, 14), "Battles", "Armed clash", "Military Forces of Mali", "JNIM", "Mali", "Kidal", 18.44,
     1.41, "Radio Fleuve - Nord", "Soldiers and militants fought near the airport.", 0.4),
    ("SY-1", dt.date(2024, 3, 9), "Explosions/Remote violence", "Air/drone strike", "Military Forces of Syria",
     "Civilians (Syria)", "Syria", "Hama", 35.13, 36.76, "Courrier du Levant", "An air strike hit a bakery.", 0.2),
    ("SY-2", dt.date(2024, 3, 9), "Battles", "Armed clash", "Free Syrian Army", "Military Forces of Syria", "Syria",
     "Homs", 34.73, 36.71, "Courrier du Levant", "Rebels clashed with the army in the old city.", 0.7),
    ("SY-3", dt.date(2024, 9, 30), "Battles", "Armed clash", "Free Syrian Army", "", "Syria", "", None, None,
     "Wire", "Fighting somewhere in the north.", 0.5),
]


@pytest.fixture
def filled(store):
    base = {c.name: None for c in EventRow.__table__.columns}
    with store.write() as conn:
        for (id_, day, kind, sub, a1, a2, country, place, lat, lon, outlet, notes, confidence) in ROWS:
            conn.execute(insert(EventRow).values(**{
                **base, "id": id_, "event_date": day, "year": day.year, "time_precision": 1, "disorder_type": "",
                "event_type": kind, "sub_event_type": sub, "actor1": a1, "assoc_actor_1": "", "actor2": a2,
                "assoc_actor_2": "", "civilian_targeting": "", "region": "", "country": country, "admin1": "",
                "admin2": "", "admin3": "", "location": place, "latitude": lat, "longitude": lon, "source": outlet,
                "source_scale": "", "notes": notes, "fatalities": 2, "tags": "", "timestamp": 0, "doc_id": "d",
                "confidence": confidence, "background": False, "claimed_by": "", "fatalities_known": True,
                "source_count": 1, "review_status": "unreviewed", "merge_notes": "[]", "evidence": "[]"}))
    return store


def found(store, **filters) -> list[str]:
    with store.read() as conn:
        return [r["id"] for r in search.page(conn, EventQuery(**filters), sort="id")]


@pytest.mark.parametrize("q,ids", [
    ("taxes", ["ML-1"]), ("commerçants", ["ML-1"]), ("free syrian", ["SY-2", "SY-3"]), ("courrier", ["SY-1", "SY-2"]),
    ("kid", ["ML-2"]), ("bakery hama", ["SY-1"]), ("SY-2", ["SY-2"]), ("nothing-of-the-kind", []), ("  ", None),
])
def test_full_text_search_every_word_as_a_prefix(filled, q, ids):
    assert found(filled, q=q) == (ids if ids is not None else [r[0] for r in ROWS])


def test_search_follows_edits(filled):
    with filled.write() as conn:
        conn.execute(update(EventRow).where(EventRow.id == "ML-2").values(notes="A convoy was ambushed."))
    assert found(filled, q="convoy") == ["ML-2"]
    assert found(filled, q="airport") == []


def test_filters_combine(filled):
    assert found(filled, country="Syria", event_type="Battles") == ["SY-2", "SY-3"]
    assert found(filled, event_type="Air/drone strike") == ["SY-1"]  # a sub-event type filters too
    assert found(filled, actor="syrian army") == ["SY-2", "SY-3"]  # any actor, any case
    assert found(filled, source="Radio Fleuve - Nord") == ["ML-1", "ML-2"]  # the dash variants are one outlet
    assert found(filled, since=dt.date(2024, 3, 1), until=dt.date(2024, 3, 31)) == ["SY-1", "SY-2"]
    assert found(filled, flagged=True) == []


def test_pages_are_sorted_and_never_overlap(filled):
    with filled.read() as conn:
        pages = [search.page(conn, EventQuery(), sort="event_date", descending=True, limit=2, offset=n)
                 for n in (0, 2, 4)]
        assert search.count(conn, EventQuery(country="Syria")) == 3
        assert search.ids(conn, EventQuery(), sort="confidence") == ["SY-1", "ML-2", "SY-3", "SY-2", "ML-1"]
    ids = [e["id"] for p in pages for e in p]
    assert ids == ["SY-3", "SY-2", "SY-1", "ML-2", "ML-1"]  # the same day's events in id order, reversed


def test_timeline_and_map_with_filters(filled):
    with filled.read() as conn:
        unit, types, buckets = search.timeline(conn, EventQuery(country="Syria"))
        assert unit == "week" and types == ["Battles", "Explosions/Remote violence"]
        assert buckets == [(dt.date(2024, 3, 4), {"Battles": 1, "Explosions/Remote violence": 1}),
                           (dt.date(2024, 9, 30), {"Battles": 1})]
        view = search.map_view(conn, EventQuery(country="Syria"), 3, None, max_points=1)
        assert (view.mode, view.total, view.unplaced) == ("cells", 2, 1)
        assert [c["count"] for c in view.cells] == [2]  # Hama and Homs share a cell at zoom 3
        points = search.map_view(conn, EventQuery(country="Mali"), 9, (-1.0, 15.0, 0.5, 17.0))
        assert points.mode == "points" and [p["location"] for p in points.points] == ["Gao"]
        facets = search.facets(conn)
    assert facets["sources"] == ["Courrier du Levant", "Radio Fleuve - Nord", "Wire"]
    assert facets["first_date"] == dt.date(2024, 1, 3) and facets["last_date"] == dt.date(2024, 9, 30)



def test_warming_an_empty_store(store):
    with store.read() as conn:
        search.warm(conn)  # a server may start before the first ingest


def test_warming_asks_the_first_questions_and_changes_nothing(filled):
    from store_factories import dump

    before = dump(filled)
    with filled.read() as conn:
        search.warm(conn)
    assert dump(filled) == before
