"""Control timelines from territory events and statements, and who held what on a date."""

from __future__ import annotations

import datetime as dt

import pytest
from store_factories import ARMY, BAB_SBAA, FSA, HOMS, KHALDIYE, REBELS, event, result, statement

from khaldun.errors import KhaldunError
from khaldun.store.control import control_at, timelines
from khaldun.store.ingest import store_result

PUBLISHED = dt.date(2014, 3, 11)
TAKEOVER = dt.date(2014, 3, 10)


@pytest.fixture
def filled(store):
    controls = [
        statement(KHALDIYE, REBELS, "the rebels had controlled this area since June 2012", since=dt.date(2012, 6, 1)),
        statement(BAB_SBAA, FSA, "Bab Sbaa, still held by the FSA"),
    ]
    takeover = event("r1", TAKEOVER, KHALDIYE, sub="Government regains territory", actor1=ARMY, actor2=REBELS,
                     outlet="Daily Wire", notes="Government forces took Khaldiyé.")
    store_result(store, result("r1", PUBLISHED, [takeover], outlet="Daily Wire", places=(KHALDIYE, BAB_SBAA, HOMS),
                               controls=controls))
    return store


def test_timeline_of_a_place(filled):
    (periods,) = timelines(filled, "Khaldiyé")
    assert [(p.holder, p.since, p.until) for p in periods] == [
        ("Opposition Rebels (Syria)", dt.date(2012, 6, 1), TAKEOVER),
        ("Military Forces of Syria (2000-)", TAKEOVER, None),
    ]
    assert periods[1].evidence[0].kind == "event" and "took" in periods[1].evidence[0].text


def test_who_held_what_on_a_date(filled):
    held = {p.place_name: p for p in control_at(filled, dt.date(2014, 3, 12))}
    assert held["Khaldiyé"].holder.startswith("Military Forces of Syria") and held["Khaldiyé"].since == TAKEOVER
    assert held["Bab Sbaa"].holder == "Free Syrian Army" and held["Bab Sbaa"].since is None
    assert "still held" in held["Bab Sbaa"].evidence[0].text
    before = {p.place_name: p.holder for p in control_at(filled, dt.date(2013, 1, 1))}
    assert before == {"Khaldiyé": "Opposition Rebels (Syria)"}


def test_unknown_place_is_a_coded_error(filled):
    with pytest.raises(KhaldunError) as caught:
        timelines(filled, "Atlantis")
    assert caught.value.code == "E707"
