"""Storing pipeline results: idempotence, changed documents, failures, cross-report merges (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from store_factories import HOMS, KHALDIYE, REBELS, dump, event, result

from khaldun.store.explain import explain
from khaldun.store.ingest import store_result
from khaldun.store.models import DocumentRow, EventRow
from khaldun.store.query import load_events

DAY = dt.date(2014, 3, 10)


def reports():
    return [
        result("fr-1", DAY, [event("fr-1", DAY, KHALDIYE, sub="Government regains territory", fatalities=4,
                                   outlet="Le Quotidien")], outlet="Le Quotidien", places=(KHALDIYE,)),
        result("en-1", DAY, [event("en-1", DAY, HOMS, actor2=REBELS, fatalities=9, outlet="Daily Wire"),
                             event("en-1", DAY - dt.timedelta(days=20), HOMS, sub="Air/drone strike",
                                   event_type="Explosions/Remote violence", outlet="Daily Wire", number=2)],
               outlet="Daily Wire", places=(HOMS,)),
    ]


def test_reports_merge_in_the_store(store):
    outcomes = [store_result(store, r) for r in reports()]
    assert [o.status for o in outcomes] == ["added", "added"]
    with store.read() as conn:
        events = load_events(conn)
    assert len(events) == 2
    merged = next(e for e in events if e.source_count == 2)
    assert merged.location == "Khaldiyé" and merged.fatalities == 4
    assert (merged.fatalities_low, merged.fatalities_high) == (4, 9)
    assert {s.document_id for s in merged.sources} == {"fr-1", "en-1"}
    explained = explain(store, merged.event_id_cnty)
    assert any("part of Homs" in reason for s in explained.sources for reason in s.reasons)


def test_reingesting_changes_nothing(store):
    for r in reports():
        store_result(store, r)
    before = dump(store)
    outcomes = [store_result(store, r) for r in reports()]
    assert [o.status for o in outcomes] == ["unchanged", "unchanged"]
    assert dump(store) == before


def test_ingest_order_does_not_matter(db_url, tmp_path):
    from khaldun.store import open_store

    with open_store(db_url) as first:
        for r in reports():
            store_result(first, r)
        expected = dump(first)["events"]
    with open_store(str(tmp_path / "reversed.db")) as second:
        for r in reversed(reports()):
            store_result(second, r)
        assert dump(second)["events"] == expected


def test_a_changed_document_replaces_only_its_own_events(store):
    for r in reports():
        store_result(store, r)
    changed = result("en-1", DAY, [event("en-1", DAY, HOMS, actor2=REBELS, fatalities=12, outlet="Daily Wire")],
                     outlet="Daily Wire", text="report en-1, corrected", places=(HOMS,))
    assert store_result(store, changed).status == "replaced"
    with store.read() as conn:
        events = load_events(conn)
    assert len(events) == 1
    assert events[0].source_count == 2 and events[0].fatalities_high == 12
    assert {s.document_id for s in events[0].sources} == {"fr-1", "en-1"}


def test_review_status_survives_a_remerge(store):
    store_result(store, reports()[0])
    with store.write() as conn:
        conn.execute(update(EventRow).values(review_status="accepted"))
    store_result(store, reports()[1])  # joins the event, which may take a new id from its new first report
    with store.read() as conn:
        merged = next(e for e in load_events(conn) if e.source_count == 2)
    assert merged.review_status == "accepted"


def test_a_failing_document_is_recorded_and_retried(store):
    failed = result("bad", DAY, [], error="E501: bad.txt: extraction failed: boom")
    outcome = store_result(store, failed)
    assert outcome.status == "failed" and outcome.error.startswith("E501")
    with store.read() as conn:
        row = conn.execute(select(DocumentRow.status, DocumentRow.error).where(DocumentRow.id == "bad")).one()
    assert row.status == "failed" and "boom" in row.error
    fixed = result("bad", DAY, [event("bad", DAY, HOMS)])
    assert store_result(store, fixed).status == "replaced"
