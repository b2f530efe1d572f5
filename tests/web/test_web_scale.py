"""Search, paging, compression, the aggregated map, timeline units, evidence in the normalised text, the queue."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert

from khaldun.ingest.normalise import normalise
from khaldun.schema import Evidence
from khaldun.store.ingest import store_result
from khaldun.store.models import EventRow
from khaldun.store.search import EventQuery, bucket, outlet_key, unit_for

from web_factories import GAO, Coded, Invented, to_result


def listed(bench, **params) -> dict:
    response = bench.client.get("/api/events", params=params, headers=bench.headers("viewer"))
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("q,locations", [
    ("homs", ["Homs"]), ("free syrian", ["Homs", "Hama"]), ("sahel", ["Gao"]), ("courrier", ["Homs", "Hama"]),
    ("commerçants", ["Gao"]), ("nothing-like-this", []), ("marché", ["Hama"]),
])
def test_full_text_search_over_notes_actors_places_and_outlets(bench, q, locations):
    assert [e["location"] for e in listed(bench, q=q)["events"]] == locations


def test_search_finds_an_event_by_its_id(bench):
    gao = listed(bench, country="Mali")["events"][0]["id"]
    assert [e["id"] for e in listed(bench, q=gao)["events"]] == [gao]


def test_search_keeps_up_with_edits(bench):
    gao = listed(bench, country="Mali")["events"][0]["id"]
    bench.client.patch(f"/api/events/{gao}", json={"changes": {"notes": "Traders marched past the grand mosque."},
                                                   "reason": "clearer note"}, headers=bench.headers("analyst"))
    assert [e["id"] for e in listed(bench, q="mosque")["events"]] == [gao]
    assert listed(bench, q="taxes")["count"] == 0


def test_pages_sorted_both_ways_never_overlap(bench):
    first = listed(bench, limit=2, offset=0, sort="location")
    second = listed(bench, limit=2, offset=2, sort="location")
    assert first["count"] == second["count"] == 4
    assert first["next_offset"] == 2 and second["next_offset"] is None
    names = [e["location"] for e in first["events"] + second["events"]]
    assert names == sorted(names)
    down = listed(bench, sort="event_date", order="desc")
    assert [e["event_date"] for e in down["events"]] == sorted((e["event_date"] for e in down["events"]), reverse=True)


def test_bad_sort_is_refused(bench):
    response = bench.client.get("/api/events", params={"sort": "password"}, headers=bench.headers("viewer"))
    assert response.status_code == 422 and response.json()["error"]["code"] == "E900"


def test_api_answers_are_compressed_and_pages_are_not(bench):
    response = bench.client.get("/api/export", params={"format": "geojson"},
                                headers={**bench.headers("viewer"), "Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    page = bench.client.get("/login", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in page.headers


def test_merged_away_event_page_redirects_to_the_survivor(bench):
    events = listed(bench)["events"]
    strike = next(e["id"] for e in events if e["sub_event_type"] == "Air/drone strike")
    gao = next(e["id"] for e in events if e["location"] == "Gao")
    bench.client.post(f"/api/events/{strike}/merge", json={"other_ids": [gao], "reason": "same"},
                      headers=bench.headers("analyst"))
    bench.client.post("/login", data={"username": "viewer", "password": "a long test passphrase",
                                      "csrf_token": _csrf(bench)})
    page = bench.client.get(f"/events/{gao}", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith(f"/events/{strike}?")


def _csrf(bench) -> str:
    import re

    return re.search(r'name="csrf_token" value="([^"]+)"', bench.client.get("/login").text).group(1)


def test_map_sends_points_when_few_and_cells_when_many(bench):
    points = bench.client.get("/api/map", params={"zoom": 3}, headers=bench.headers("viewer")).json()
    assert points["mode"] == "points" and points["total"] == 4 and len(points["points"]) == 4
    with bench.store.write() as conn:
        base = {c.name: None for c in EventRow.__table__.columns}
        for n in range(2100):
            conn.execute(insert(EventRow).values(**{
                **base, "id": f"ZZ-{n}", "event_date": dt.date(2024, 1, 1) + dt.timedelta(days=n % 300), "year": 2024,
                "time_precision": 1, "disorder_type": "", "event_type": "Battles", "sub_event_type": "Armed clash",
                "actor1": "", "assoc_actor_1": "", "actor2": "", "assoc_actor_2": "", "civilian_targeting": "",
                "region": "", "country": "Mali", "admin1": "", "admin2": "", "admin3": "", "location": f"P{n}",
                "latitude": 15 + (n % 40) / 10, "longitude": -1 + (n % 30) / 10, "source": "", "source_scale": "",
                "notes": "", "fatalities": 1, "tags": "", "timestamp": 0, "doc_id": "x", "confidence": 0.5,
                "background": False, "claimed_by": "", "fatalities_known": True, "source_count": 1,
                "review_status": "unreviewed", "merge_notes": "[]", "evidence": "[]"}))
    cells = bench.client.get("/api/map", params={"zoom": 3, "country": "Mali"}, headers=bench.headers("viewer")).json()
    assert cells["mode"] == "cells" and cells["total"] == 2101
    assert sum(c["count"] for c in cells["cells"]) == 2101 and len(cells["cells"]) < 50
    box = bench.client.get("/api/map", params={"zoom": 9, "bbox": "-0.05,16.2,0.0,16.3", "country": "Mali"},
                           headers=bench.headers("viewer")).json()
    assert box["mode"] == "points" and [p["location"] for p in box["points"]] == ["Gao"]
    timeline = bench.client.get("/api/timeline", params={"country": "Mali"}, headers=bench.headers("viewer")).json()
    assert timeline["unit"] == "week"
    assert all(dt.date.fromisoformat(d["date"]).weekday() == 0 for d in timeline["days"])


def test_map_counts_events_without_coordinates(bench):
    gao = listed(bench, country="Mali")["events"][0]["id"]
    bench.client.patch(f"/api/events/{gao}", json={"changes": {"latitude": None, "longitude": None},
                                                   "reason": "place uncertain"}, headers=bench.headers("analyst"))
    body = bench.client.get("/api/map", headers=bench.headers("viewer")).json()
    assert body["unplaced"] == 1 and body["total"] == 3


def test_bad_bbox_is_refused(bench):
    response = bench.client.get("/api/map", params={"bbox": "a,b"}, headers=bench.headers("viewer"))
    assert response.status_code == 422 and response.json()["error"]["code"] == "E900"


def test_timeline_units_keep_bars_readable():
    assert unit_for(dt.date(2024, 1, 1), dt.date(2024, 3, 1)) == "day"
    assert unit_for(dt.date(2022, 1, 1), dt.date(2024, 3, 1)) == "week"
    assert unit_for(dt.date(2015, 1, 1), dt.date(2024, 3, 1)) == "month"
    assert bucket(dt.date(2024, 3, 7), "week") == dt.date(2024, 3, 4)
    assert bucket(dt.date(2024, 3, 7), "month") == dt.date(2024, 3, 1)


def test_outlets_differing_by_a_dash_are_one_outlet(bench):
    assert outlet_key("France 24 \u2013 Les Observateurs") == outlet_key("France 24 - Les  Observateurs")
    for n, outlet in enumerate(("Radio Fleuve \u2013 Nord", "Radio Fleuve - Nord")):
        store_result(bench.store, to_result(Invented(
            f"fleuve-{n}", dt.date(2024, 4, 2 + 5 * n), "fr", outlet,
            "Des habitants ont manifesté lundi à Gao contre les coupures.",
            [Coded(dt.date(2024, 4, 1 + 5 * n), GAO, "Protests", "Peaceful protest", ("Protesters (Mali)", 6), None,
                   None, {"location": "Gao"}, iso=466, region="Western Africa")])))
    sources = bench.client.get("/api/facets", headers=bench.headers("viewer")).json()["sources"]
    assert [s for s in sources if "Fleuve" in s] == ["Radio Fleuve - Nord"]
    assert listed(bench, source="Radio Fleuve - Nord")["count"] == 2


def test_control_follows_the_country_filter(bench):
    found = bench.client.get("/api/control", params={"at": "2024-03-11", "country": "Mali"},
                             headers=bench.headers("viewer")).json()
    assert found == []


def test_export_parquet_follows_the_filters(bench):
    import io

    import pyarrow.parquet as pq

    response = bench.client.get("/api/export", params={"format": "parquet", "country": "Syria"},
                                headers=bench.headers("viewer"))
    assert response.status_code == 200
    table = pq.read_table(io.BytesIO(response.content))
    assert table.num_rows == 3 and set(table.column("country").to_pylist()) == {"Syria"}


def test_docs_page_works_without_a_cdn(bench):
    page = bench.client.get("/docs")
    assert page.status_code == 200 and "/static/docs.js" in page.text
    assert "cdn" not in page.text.lower() and "'unsafe-inline'" not in page.headers["content-security-policy"]


def test_ingested_report_keeps_its_normalised_text_and_evidence_points_into_it(bench):
    """A report ingested from the command line: its raw text has carriage returns and soft hyphens, which
    normalising removes, so offsets into the normalised text drawn on the raw text would be shifted."""
    raw = "Des ha\u00adbitants ont manifesté\r\nmardi à Gao contre la hausse\u00a0des prix du pain."
    text = normalise(raw).text
    assert text != raw
    report = Invented("gao-raw", dt.date(2024, 5, 8), "fr", "Sahel Hebdo", raw,
                      [Coded(dt.date(2024, 5, 7), GAO, "Protests", "Peaceful protest", ("Protesters (Mali)", 6), None,
                             None, {}, iso=466, region="Western Africa")])
    result = to_result(report)
    phrases = {"location": "Gao", "sub_event_type": "manifesté", "actor1": "habitants", "notes": "des prix du pain"}
    evidence = [Evidence(field=f, start=text.index(p), end=text.index(p) + len(p), text=p) for f, p in phrases.items()]
    result = result.model_copy(update={
        "mentions": result.mentions.model_copy(update={"text": text}),
        "events": [result.events[0].model_copy(update={"evidence": evidence})]})
    store_result(bench.store, result)
    event = listed(bench, since="2024-05-07", until="2024-05-07")["events"][0]["id"]
    body = bench.client.get(f"/api/events/{event}", headers=bench.headers("viewer")).json()
    source = body["sources"][0]
    assert source["text"] == text
    assert {e["field"]: source["text"][e["start"]:e["end"]] for e in source["evidence"]} == phrases


def test_bulk_accept_of_a_filtered_selection_records_each_decision(bench):
    response = bench.client.post("/api/review/bulk", params={"country": "Syria"},
                                 json={"action": "accept", "reason": "checked against the ministry list"},
                                 headers=bench.headers("analyst"))
    assert response.status_code == 200 and response.json()["count"] == 3
    assert listed(bench, review_status="accepted")["count"] == 3
    assert listed(bench, review_status="unreviewed")["count"] == 1
    some = listed(bench, review_status="accepted")["events"][0]["id"]
    history = bench.client.get(f"/api/events/{some}", headers=bench.headers("viewer")).json()["history"]
    assert [(c["action"], c["reason"]) for c in history] == [("accept", "checked against the ministry list")]


def test_bulk_refuses_a_selection_over_its_limit_and_changes_nothing(bench):
    response = bench.client.post("/api/review/bulk", json={"action": "reject", "reason": "r", "limit": 2},
                                 headers=bench.headers("analyst"))
    assert response.status_code == 422 and response.json()["error"]["code"] == "E914"
    assert listed(bench, review_status="unreviewed")["count"] == 4


def test_bulk_needs_an_analyst(bench):
    response = bench.client.post("/api/review/bulk", json={"action": "accept", "reason": "r"},
                                 headers=bench.headers("viewer"))
    assert response.status_code == 403


def test_queue_orders_by_confidence_lowest_first(bench):
    with bench.store.write() as conn:
        from sqlalchemy import update

        conn.execute(update(EventRow).where(EventRow.location == "Gao").values(confidence=0.3))
    from khaldun.store import search

    with bench.store.read() as conn:
        order = search.ids(conn, EventQuery(review_status="unreviewed"), sort="confidence")
        locations = [conn.execute(EventRow.__table__.select().where(EventRow.id == i)).first().location for i in order]
    assert locations[0] == "Gao"
