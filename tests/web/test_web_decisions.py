"""Analysts' decisions are facts: later merges, re-ingests and new reports never silently undo them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json

from khaldun.store.ingest import store_result

from web_factories import ARMY, HOMS, REPORTS, Coded, Invented, to_result

ADDED = " Residents said the streets were quiet again by the evening."


def by_location(bench, **params) -> dict[str, str]:
    events = bench.client.get("/api/events", params=params, headers=bench.headers("viewer")).json()["events"]
    return {e["location"]: e["id"] for e in events}


def report(report_id: str) -> Invented:
    return next(r for r in REPORTS if r.id == report_id)


def updated(report_id: str) -> Invented:
    """A new version of an invented report: same events, one more sentence."""
    original = report(report_id)
    return dataclasses.replace(original, text=original.text + ADDED)


def get(bench, event_id: str) -> dict:
    response = bench.client.get(f"/api/events/{event_id}", headers=bench.headers("viewer"))
    assert response.status_code == 200, response.text
    return response.json()


def post(bench, url: str, body: dict) -> dict:
    response = bench.client.post(url, json=body, headers=bench.headers("analyst"))
    assert response.status_code == 200, response.text
    return response.json()


def hama_events(bench) -> tuple[str, str]:
    strike = by_location(bench, event_type="Air/drone strike")["Hama"]
    taken = by_location(bench, event_type="Strategic developments")["Hama"]
    return strike, taken


def test_edit_then_merge_keeps_the_edited_field(bench):
    strike, taken = hama_events(bench)
    bench.client.patch(f"/api/events/{strike}", json={"changes": {"fatalities": 9}, "reason": "hospital count"},
                       headers=bench.headers("analyst"))
    post(bench, f"/api/events/{strike}/merge", {"other_ids": [taken], "reason": "same day, same town"})
    body = get(bench, strike)
    assert body["event"]["fatalities"] == 9
    assert {s["ref"]["document_id"] for s in body["sources"]} == {"hama-fr", "hama-en"}
    merge = body["history"][-1]
    assert merge["action"] == "merge"
    assert all(d["field"] != "fatalities" for d in merge["diffs"])


def test_merge_history_lists_only_real_changes(bench):
    strike, taken = hama_events(bench)
    change = post(bench, f"/api/events/{strike}/merge", {"other_ids": [taken], "reason": "same"})
    gone = [d for d in change["diffs"] if d["event_id"] == taken]
    assert gone == [{"event_id": taken, "field": "event", "before": "present", "after": "absent"}]
    assert all(d["after"] is not None or d["before"] is not None for d in change["diffs"])
    assert all(d["before"] != d["after"] for d in change["diffs"])


def test_merge_then_reingest_of_the_merged_report_keeps_the_merge(bench):
    strike, taken = hama_events(bench)
    post(bench, f"/api/events/{strike}/merge", {"other_ids": [taken], "reason": "same"})
    outcome = store_result(bench.store, to_result(updated("hama-en")))
    assert outcome.status == "replaced"
    events = bench.client.get("/api/events", headers=bench.headers("viewer")).json()
    assert events["count"] == 3
    body = get(bench, strike)
    assert {s["ref"]["document_id"] for s in body["sources"]} == {"hama-fr", "hama-en"}
    assert body["event"]["review_status"] == "edited"


def test_merge_then_upload_of_an_updated_report_keeps_the_merge(web_db, template):
    from khaldun.web import create_app
    from fastapi.testclient import TestClient

    from web_factories import FakePipeline

    new = updated("hama-en")
    app = create_app(web_db, pipeline=FakePipeline([*REPORTS, new]))
    with TestClient(app) as client:
        headers = {"Authorization": f"Bearer {template.tokens['analyst']}"}
        events = client.get("/api/events", headers=headers).json()["events"]
        strike = next(e["id"] for e in events if e["sub_event_type"] == "Air/drone strike")
        taken = next(e["id"] for e in events if e["event_type"] == "Strategic developments")
        assert client.post(f"/api/events/{strike}/merge", json={"other_ids": [taken], "reason": "same"},
                           headers=headers).status_code == 200
        line = json.dumps({"id": "hama-en", "text": new.text, "publication_date": new.published.isoformat(),
                           "language": "en", "source": new.outlet})
        job = client.post("/api/reports", files={"files": ("update.jsonl", io.BytesIO(line.encode()))},
                          headers=headers).json()
        for _ in range(200):
            job = client.get(f"/api/jobs/{job['id']}", headers=headers).json()
            if job["state"] == "done":
                break
        assert job["outcomes"][0]["status"] == "replaced"
        after = client.get("/api/events", headers=headers).json()
        assert after["count"] == 3
        assert job["event_ids"] == [strike]


def test_a_rejected_event_stays_rejected_when_its_report_changes(bench):
    gao = by_location(bench, country="Mali")["Gao"]
    post(bench, f"/api/events/{gao}/reject", {"reason": "not an event"})
    store_result(bench.store, to_result(updated("gao-fr")))
    assert get(bench, gao)["event"]["review_status"] == "rejected"


def test_a_split_stays_split_when_a_report_is_reingested(bench):
    homs = by_location(bench)["Homs"]
    post(bench, f"/api/events/{homs}/split", {"document_id": "homs-fr", "position": 0, "reason": "figures differ"})
    store_result(bench.store, to_result(updated("homs-fr")))
    store_result(bench.store, to_result(updated("homs-en")))
    battles = bench.client.get("/api/events", params={"event_type": "Battles"}, headers=bench.headers("viewer")).json()
    assert battles["count"] == 2 and all(e["source_count"] == 1 for e in battles["events"])


def test_an_edited_field_survives_reingest_and_new_evidence_is_flagged(bench):
    homs = by_location(bench)["Homs"]
    bench.client.patch(f"/api/events/{homs}", json={"changes": {"fatalities": 7}, "reason": "ministry figure"},
                       headers=bench.headers("analyst"))
    store_result(bench.store, to_result(updated("homs-en")))
    body = get(bench, homs)
    assert body["event"]["fatalities"] == 7 and body["conflicts"] == []
    # a third outlet reports a lower figure: the computed low figure changes, the analyst's value stays, flagged
    third = Invented("homs-third", dt.date(2024, 3, 4), "en", "Valley Post",
                     "Army units fought rebels in Homs on Sunday; two died.",
                     [Coded(dt.date(2024, 3, 3), HOMS, "Battles", "Armed clash", ARMY, ("Free Syrian Army", 2), 2,
                            {"location": "Homs", "fatalities": "two died"})])
    store_result(bench.store, to_result(third))
    body = get(bench, homs)
    assert body["event"]["fatalities"] == 7
    assert body["conflicts"] == [{"field": "fatalities", "locked": 7, "machine": 2}]
    flagged = bench.client.get("/api/events", params={"flagged": "true"}, headers=bench.headers("viewer")).json()
    assert [e["id"] for e in flagged["events"]] == [homs]
    post(bench, f"/api/events/{homs}/accept", {"reason": "our figure stands"})
    body = get(bench, homs)
    assert body["conflicts"] == [] and body["event"]["fatalities"] == 7


def test_undoing_a_merge_releases_the_reports(bench):
    strike, taken = hama_events(bench)
    change = post(bench, f"/api/events/{strike}/merge", {"other_ids": [taken], "reason": "same"})
    post(bench, f"/api/changes/{change['id']}/revert", {})
    store_result(bench.store, to_result(updated("hama-en")))
    assert bench.client.get("/api/events", headers=bench.headers("viewer")).json()["count"] == 4
    assert [s["ref"]["document_id"] for s in get(bench, taken)["sources"]] == ["hama-en"]
