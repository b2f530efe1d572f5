"""Merging obeys analysts' pins; a changed report's events find the events they formed before."""

from __future__ import annotations

import dataclasses
import datetime as dt

from store_factories import HAMA, HOMS, KHALDIYE, event
from test_merge import DAY, fall_of_khaldiye, source

from khaldun.store.decisions import match_reingested
from khaldun.store.merge import merge_sources


def test_pinned_groups_stay_apart_and_keep_their_ids():
    fr, en, en2 = fall_of_khaldiye()
    merged = merge_sources([en2], pinned={"SY-kept": [fr], "SY-other": [en]})
    by_id = {m.id: {s.document_id for s in m.members} for m in merged}
    assert set(by_id) == {"SY-kept", "SY-other"}  # merging would have made one event of them
    assert "fr-1" in by_id["SY-kept"] and "en-1" in by_id["SY-other"]
    assert sum(len(v) for v in by_id.values()) == 3  # the unpinned report joined one group, not both
    assert all(m.event.event_id_cnty == m.id for m in merged)


def test_a_pinned_group_holds_reports_merging_would_keep_apart():
    homs = source("a", event("a", DAY, HOMS))
    hama = source("b", event("b", DAY + dt.timedelta(days=9), HAMA))
    assert len(merge_sources([homs, hama])) == 2
    merged = merge_sources([], pinned={"SY-hand": [homs, hama]})
    assert [(m.id, len(m.members)) for m in merged] == [("SY-hand", 2)]


def test_an_unpinned_group_never_takes_a_pinned_id():
    fr = fall_of_khaldiye()[0]
    taken = merge_sources([fr])[0].id
    elsewhere = source("b", event("b", DAY + dt.timedelta(days=9), HAMA))
    merged = merge_sources([fr], pinned={taken: [elsewhere]})
    ids = {m.id: [s.document_id for s in m.members] for m in merged}
    assert ids[taken] == ["b"] and ids[f"{taken}-2"] == ["fr-1"]


def test_reingested_events_match_the_events_they_formed():
    old = [(source("doc", event("doc", DAY, KHALDIYE)), "SY-1", "SY-1")]
    elsewhere = source("doc", event("doc", DAY, HAMA))
    same = dataclasses.replace(source("doc", event("doc", DAY, KHALDIYE)), position=1)
    assert match_reingested(old, [elsewhere]) == {}
    assert match_reingested(old, [elsewhere, same]) == {1: ("SY-1", "SY-1")}
