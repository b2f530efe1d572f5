"""The JSON API, endpoint by endpoint: answers, refused access (no token, wrong role) and bad input."""

from __future__ import annotations

import csv
import io
import json
import time

import pytest
from sqlalchemy import func, select

from khaldun.store.models import DocumentRow
from khaldun.store.web_models import ChangeRow

from web_harness import PASSWORD
from web_factories import REPORTS

READ_ENDPOINTS = ["/api/me", "/api/events", "/api/timeline", "/api/facets", "/api/control?at=2024-03-11",
                  "/api/export", "/api/events/SY-x"]


def ids(bench, **params) -> dict[str, str]:
    """Event id by location for the filters."""
    events = bench.client.get("/api/events", params=params, headers=bench.headers("viewer")).json()["events"]
    return {e["location"]: e["id"] for e in events}


def coded(response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"]["code"] == code
    assert body["error"]["message"]


def counts(bench) -> tuple[int, int]:
    with bench.store.read() as conn:
        return (conn.execute(select(func.count()).select_from(DocumentRow)).scalar(),
                conn.execute(select(func.count()).select_from(ChangeRow)).scalar())


def wait(bench, job_id: str) -> dict:
    for _ in range(200):
        job = bench.client.get(f"/api/jobs/{job_id}", headers=bench.headers("analyst")).json()
        if job["state"] == "done":
            return job
        time.sleep(0.05)
    raise AssertionError("upload job did not finish")


# accounts

def test_token_for_a_right_password_works_as_bearer(bench):
    response = bench.client.post("/api/token", json={"username": "analyst", "password": PASSWORD, "name": "script"})
    assert response.status_code == 200
    token = response.json()["token"]
    me = bench.client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json() == {"id": response.json()["user"]["id"], "username": "analyst", "role": "analyst",
                         "active": True}


def test_token_refused_for_a_wrong_password_or_unknown_user(bench):
    coded(bench.client.post("/api/token", json={"username": "analyst", "password": "wrong password"}), 401, "E901")
    coded(bench.client.post("/api/token", json={"username": "nobody", "password": PASSWORD}), 401, "E901")


def test_token_request_without_password_is_invalid(bench):
    coded(bench.client.post("/api/token", json={"username": "analyst"}), 422, "E900")
    coded(bench.client.post("/api/token", content=b"not json", headers={"content-type": "application/json"}),
          422, "E900")


@pytest.mark.parametrize("url", READ_ENDPOINTS)
def test_every_read_needs_a_token(bench, url):
    coded(bench.client.get(url), 401, "E903")
    coded(bench.client.get(url, headers={"Authorization": "Bearer not-a-token"}), 401, "E903")


@pytest.mark.parametrize("method,url", [
    ("post", "/api/events/SY-x/accept"), ("post", "/api/events/SY-x/reject"), ("patch", "/api/events/SY-x"),
    ("post", "/api/events/SY-x/merge"), ("post", "/api/events/SY-x/split"), ("post", "/api/changes/1/revert"),
    ("post", "/api/reports"), ("get", "/api/jobs/abc"), ("post", "/api/users"), ("get", "/api/users")])
def test_changes_need_a_signed_in_analyst(bench, method, url):
    body = {"reason": "r", "changes": {"notes": "x"}, "other_ids": ["a"], "document_id": "d", "position": 0,
            "username": "u", "password": PASSWORD, "role": "viewer"}
    call = getattr(bench.client, method)
    kwargs = {} if method == "get" else ({"data": {"text": "x"}} if url == "/api/reports" else {"json": body})
    coded(call(url, **kwargs), 401, "E903")
    coded(call(url, headers=bench.headers("viewer"), **kwargs), 403, "E902")
    assert counts(bench) == (len(REPORTS), 0)


def test_me_for_each_role(bench):
    for role in ("viewer", "analyst", "admin"):
        assert bench.client.get("/api/me", headers=bench.headers(role)).json()["role"] == role


def test_admin_lists_and_creates_users(bench):
    listed = bench.client.get("/api/users", headers=bench.headers("admin")).json()
    assert [u["username"] for u in listed] == ["admin", "analyst", "viewer"]
    response = bench.client.post("/api/users", json={"username": "nadia", "password": PASSWORD, "role": "analyst"},
                                 headers=bench.headers("admin"))
    assert response.status_code == 201 and response.json()["role"] == "analyst"
    token = bench.client.post("/api/token", json={"username": "nadia", "password": PASSWORD}).json()["token"]
    assert bench.client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_only_admins_manage_users(bench):
    coded(bench.client.get("/api/users", headers=bench.headers("analyst")), 403, "E902")
    coded(bench.client.post("/api/users", json={"username": "x", "password": PASSWORD, "role": "admin"},
                            headers=bench.headers("analyst")), 403, "E902")


@pytest.mark.parametrize("body,status,code", [
    ({"username": "analyst", "password": PASSWORD, "role": "viewer"}, 409, "E909"),
    ({"username": "bad name!", "password": PASSWORD, "role": "viewer"}, 422, "E916"),
    ({"username": "short", "password": "short", "role": "viewer"}, 422, "E911"),
    ({"username": "boss", "password": PASSWORD, "role": "owner"}, 422, "E900"),
])
def test_bad_new_users_are_refused(bench, body, status, code):
    coded(bench.client.post("/api/users", json=body, headers=bench.headers("admin")), status, code)
    assert len(bench.client.get("/api/users", headers=bench.headers("admin")).json()) == 3


# reading events

def test_events_list_every_merged_event_in_date_order(bench):
    body = bench.client.get("/api/events", headers=bench.headers("viewer")).json()
    assert body["count"] == 4
    assert [e["location"] for e in body["events"]] == ["Homs", "Hama", "Hama", "Gao"]
    homs = body["events"][0]
    assert homs["source_count"] == 2 and homs["fatalities"] in (5, 6) and homs["review_status"] == "unreviewed"
    assert homs["latitude"] == pytest.approx(34.7308)


@pytest.mark.parametrize("params,locations", [
    ({"event_type": "Battles"}, ["Homs"]),
    ({"event_type": "Air/drone strike"}, ["Hama"]),
    ({"since": "2024-03-05", "until": "2024-03-10"}, ["Hama", "Hama"]),
    ({"country": "Mali"}, ["Gao"]),
    ({"actor": "free syrian"}, ["Homs", "Hama"]),
    ({"source": "sahel"}, ["Gao"]),
    ({"review_status": "accepted"}, []),
    ({"country": "Nowhere"}, []),
])
def test_event_filters(bench, params, locations):
    body = bench.client.get("/api/events", params=params, headers=bench.headers("viewer")).json()
    assert [e["location"] for e in body["events"]] == locations


def test_event_limit(bench):
    body = bench.client.get("/api/events", params={"limit": 1}, headers=bench.headers("viewer")).json()
    assert body["count"] == 4 and len(body["events"]) == 1


@pytest.mark.parametrize("params", [{"since": "2024-13-01"}, {"until": "yesterday"}, {"review_status": "maybe"},
                                    {"limit": 0}, {"limit": "many"}, {"country": "x" * 201}])
def test_bad_filters_are_refused(bench, params):
    coded(bench.client.get("/api/events", params=params, headers=bench.headers("viewer")), 422, "E900")


def test_event_detail_has_sources_evidence_text_and_history(bench):
    homs = ids(bench)["Homs"]
    body = bench.client.get(f"/api/events/{homs}", headers=bench.headers("viewer")).json()
    assert body["event"]["event_id_cnty"] == homs
    assert {s["ref"]["document_id"] for s in body["sources"]} == {"homs-en", "homs-fr"}
    english = next(s for s in body["sources"] if s["ref"]["document_id"] == "homs-en")
    assert english["text"] == REPORTS[0].text
    clashed = next(e for e in english["evidence"] if e["field"] == "sub_event_type")
    assert english["text"][clashed["start"]:clashed["end"]] == "clashed"
    assert body["history"] == []


def test_unknown_event_is_404(bench):
    coded(bench.client.get("/api/events/SY-nothing", headers=bench.headers("viewer")), 404, "E706")


def test_timeline_counts_events_per_day_and_type(bench):
    body = bench.client.get("/api/timeline", headers=bench.headers("viewer")).json()
    assert body["types"] == ["Battles", "Explosions/Remote violence", "Protests", "Strategic developments"]
    assert [(d["date"], d["counts"]) for d in body["days"]] == [
        ("2024-03-03", {"Battles": 1}), ("2024-03-07", {"Explosions/Remote violence": 1}),
        ("2024-03-10", {"Strategic developments": 1}), ("2024-03-12", {"Protests": 1})]
    filtered = bench.client.get("/api/timeline", params={"country": "Mali"}, headers=bench.headers("viewer")).json()
    assert filtered["types"] == ["Protests"]


def test_timeline_refuses_bad_dates(bench):
    coded(bench.client.get("/api/timeline", params={"since": "03/03/2024"}, headers=bench.headers("viewer")),
          422, "E900")


def test_facets_offer_the_values_present(bench):
    body = bench.client.get("/api/facets", headers=bench.headers("viewer")).json()
    assert body["countries"] == ["Mali", "Syria"]
    assert "Protests" in body["event_types"] and "Sahel Hebdo" in body["sources"]
    assert body["first_date"] == "2024-03-03" and body["last_date"] == "2024-03-12"
    assert body["review_statuses"] == ["unreviewed", "accepted", "rejected", "edited"]


def test_control_on_a_date(bench):
    before = bench.client.get("/api/control", params={"at": "2024-03-09"}, headers=bench.headers("viewer")).json()
    assert before == []
    after = bench.client.get("/api/control", params={"at": "2024-03-11"}, headers=bench.headers("viewer")).json()
    assert [(p["place_name"], p["holder"]) for p in after] == [("Hama", "Free Syrian Army")]


@pytest.mark.parametrize("params", [{}, {"at": "2024-02-30"}, {"at": "soon"}])
def test_control_needs_a_valid_date(bench, params):
    coded(bench.client.get("/api/control", params=params, headers=bench.headers("viewer")), 422, "E900")


# review

def test_accept_and_reject_are_recorded(bench):
    hama = ids(bench, event_type="Air/drone strike")["Hama"]
    change = bench.client.post(f"/api/events/{hama}/accept", json={"reason": "two sources agree"},
                               headers=bench.headers("analyst")).json()
    assert change["action"] == "accept" and change["username"] == "analyst" and change["reason"] == "two sources agree"
    assert change["diffs"] == [{"event_id": hama, "field": "review_status", "before": "unreviewed",
                                "after": "accepted"}]
    bench.client.post(f"/api/events/{hama}/reject", json={}, headers=bench.headers("admin"))
    body = bench.client.get(f"/api/events/{hama}", headers=bench.headers("viewer")).json()
    assert body["event"]["review_status"] == "rejected"
    assert [(c["action"], c["username"]) for c in body["history"]] == [("accept", "analyst"), ("reject", "admin")]


def test_review_of_unknown_event_is_404_and_stores_nothing(bench):
    for url in ("/api/events/SY-none/accept", "/api/events/SY-none/reject"):
        coded(bench.client.post(url, json={}, headers=bench.headers("analyst")), 404, "E706")
    coded(bench.client.patch("/api/events/SY-none", json={"changes": {"notes": "x"}, "reason": "r"},
                             headers=bench.headers("analyst")), 404, "E706")
    assert counts(bench)[1] == 0


def test_edit_changes_a_field_with_a_reason_and_can_be_undone(bench):
    gao = ids(bench)["Gao"]
    change = bench.client.patch(f"/api/events/{gao}", json={"changes": {"fatalities": "2", "location": "Gao city"},
                                                            "reason": "local radio figure"},
                                headers=bench.headers("analyst")).json()
    assert change["action"] == "edit"
    assert {(d["field"], d["before"], d["after"]) for d in change["diffs"]} == {
        ("fatalities", 0, 2), ("location", "Gao", "Gao city"), ("review_status", "unreviewed", "edited")}
    event = bench.client.get(f"/api/events/{gao}", headers=bench.headers("viewer")).json()["event"]
    assert (event["fatalities"], event["location"], event["review_status"]) == (2, "Gao city", "edited")
    undo = bench.client.post(f"/api/changes/{change['id']}/revert", json={"reason": "wrong town"},
                             headers=bench.headers("analyst"))
    assert undo.status_code == 200 and undo.json()["reverts"] == change["id"]
    body = bench.client.get(f"/api/events/{gao}", headers=bench.headers("viewer")).json()
    assert (body["event"]["fatalities"], body["event"]["location"], body["event"]["review_status"]) == (
        0, "Gao", "unreviewed")
    assert [c["reverted_by"] for c in body["history"]] == [undo.json()["id"], None]
    assert [s["ref"]["document_id"] for s in body["sources"]] == ["gao-fr"]  # undoing keeps the report linked


@pytest.mark.parametrize("body,code", [
    ({"changes": {"fatalities": "many"}, "reason": "r"}, "E905"),
    ({"changes": {"event_date": "2024-02-31"}, "reason": "r"}, "E905"),
    ({"changes": {"latitude": "north"}, "reason": "r"}, "E905"),
    ({"changes": {"review_status": "accepted"}, "reason": "r"}, "E904"),
    ({"changes": {"password": "x"}, "reason": "r"}, "E904"),
    ({"changes": {"location": "Gao"}, "reason": "r"}, "E914"),
    ({"changes": {"notes": "x"}, "reason": ""}, "E900"),
    ({"changes": {"notes": "x"}, "reason": "   "}, "E918"),
    ({"changes": {}, "reason": "r"}, "E900"),
    ({"reason": "r"}, "E900"),
])
def test_bad_edits_are_refused_and_store_nothing(bench, body, code):
    gao = ids(bench)["Gao"]
    coded(bench.client.patch(f"/api/events/{gao}", json=body, headers=bench.headers("analyst")), 422, code)
    assert counts(bench)[1] == 0
    assert bench.client.get(f"/api/events/{gao}", headers=bench.headers("viewer")).json()["event"][
        "review_status"] == "unreviewed"


def test_edit_of_the_date_moves_the_event_on_the_timeline(bench):
    gao = ids(bench)["Gao"]
    bench.client.patch(f"/api/events/{gao}", json={"changes": {"event_date": "2024-03-13"}, "reason": "late wire"},
                       headers=bench.headers("analyst"))
    event = bench.client.get(f"/api/events/{gao}", headers=bench.headers("viewer")).json()["event"]
    assert (event["event_date"], event["year"]) == ("2024-03-13", 2024)
    days = bench.client.get("/api/timeline", headers=bench.headers("viewer")).json()["days"]
    assert days[-1]["date"] == "2024-03-13"


def test_merge_then_split_then_undo(bench):
    found = ids(bench, since="2024-03-07", until="2024-03-07") | ids(bench, country="Mali")
    hama, gao = found["Hama"], found["Gao"]
    merged = bench.client.post(f"/api/events/{hama}/merge", json={"other_ids": [gao], "reason": "same strike"},
                               headers=bench.headers("analyst"))
    assert merged.status_code == 200 and merged.json()["action"] == "merge"
    moved = bench.client.get(f"/api/events/{gao}", headers=bench.headers("viewer"), follow_redirects=False)
    assert moved.status_code == 307 and moved.headers["location"] == f"/api/events/{hama}"
    body = bench.client.get(f"/api/events/{hama}", headers=bench.headers("viewer")).json()
    assert {s["ref"]["document_id"] for s in body["sources"]} == {"hama-fr", "gao-fr"}
    split = bench.client.post(f"/api/events/{hama}/split", json={"document_id": "gao-fr", "position": 0,
                                                                  "reason": "different town"},
                              headers=bench.headers("analyst"))
    assert split.status_code == 200
    assert bench.client.get("/api/events", headers=bench.headers("viewer")).json()["count"] == 4
    # undo the split, then the merge: back to the seeded events
    coded(bench.client.post(f"/api/changes/{merged.json()['id']}/revert", json={}, headers=bench.headers("analyst")),
          409, "E906")
    assert bench.client.post(f"/api/changes/{split.json()['id']}/revert", json={},
                             headers=bench.headers("analyst")).status_code == 200
    assert bench.client.post(f"/api/changes/{merged.json()['id']}/revert", json={},
                             headers=bench.headers("analyst")).status_code == 200
    restored = bench.client.get(f"/api/events/{gao}", headers=bench.headers("viewer")).json()
    assert [s["ref"]["document_id"] for s in restored["sources"]] == ["gao-fr"]


def test_split_of_a_report_merged_by_ingestion(bench):
    homs = ids(bench)["Homs"]
    change = bench.client.post(f"/api/events/{homs}/split", json={"document_id": "homs-fr", "position": 0,
                                                                   "reason": "casualty figures differ"},
                               headers=bench.headers("analyst")).json()
    events = bench.client.get("/api/events", params={"event_type": "Battles"}, headers=bench.headers("viewer")).json()
    assert events["count"] == 2 and all(e["source_count"] == 1 for e in events["events"])
    assert "split out" in change["summary"]


@pytest.mark.parametrize("url,body,status,code", [
    ("merge", {"other_ids": ["SY-none"], "reason": "r"}, 404, "E706"),
    ("merge", {"other_ids": ["SELF"], "reason": "r"}, 422, "E914"),
    ("merge", {"other_ids": [], "reason": "r"}, 422, "E900"),
    ("merge", {"other_ids": ["SY-none"]}, 422, "E900"),
    ("split", {"document_id": "nope", "position": 0, "reason": "r"}, 404, "E913"),
    ("split", {"document_id": "homs-en", "position": -1, "reason": "r"}, 422, "E900"),
    ("split", {"document_id": "homs-en", "position": "first", "reason": "r"}, 422, "E900"),
])
def test_bad_merges_and_splits_are_refused(bench, url, body, status, code):
    homs = ids(bench)["Homs"]
    body = json.loads(json.dumps(body).replace("SELF", homs))
    coded(bench.client.post(f"/api/events/{homs}/{url}", json=body, headers=bench.headers("analyst")), status, code)
    assert counts(bench)[1] == 0


def test_split_of_a_single_report_event_is_refused(bench):
    gao = ids(bench)["Gao"]
    coded(bench.client.post(f"/api/events/{gao}/split", json={"document_id": "gao-fr", "position": 0, "reason": "r"},
                            headers=bench.headers("analyst")), 422, "E914")


def test_revert_refusals(bench):
    coded(bench.client.post("/api/changes/999/revert", json={}, headers=bench.headers("analyst")), 404, "E917")
    coded(bench.client.post("/api/changes/0/revert", json={}, headers=bench.headers("analyst")), 422, "E900")
    coded(bench.client.post("/api/changes/abc/revert", json={}, headers=bench.headers("analyst")), 422, "E900")
    gao = ids(bench)["Gao"]
    first = bench.client.patch(f"/api/events/{gao}", json={"changes": {"fatalities": 1}, "reason": "a"},
                               headers=bench.headers("analyst")).json()
    bench.client.patch(f"/api/events/{gao}", json={"changes": {"fatalities": 3}, "reason": "b"},
                       headers=bench.headers("analyst"))
    coded(bench.client.post(f"/api/changes/{first['id']}/revert", json={}, headers=bench.headers("analyst")),
          409, "E906")
    last = bench.client.get(f"/api/events/{gao}", headers=bench.headers("viewer")).json()["history"][-1]
    assert bench.client.post(f"/api/changes/{last['id']}/revert", json={},
                             headers=bench.headers("analyst")).status_code == 200
    coded(bench.client.post(f"/api/changes/{last['id']}/revert", json={}, headers=bench.headers("analyst")),
          409, "E906")


# session cookie + CSRF

def signed_in(bench, role: str) -> str:
    """Sign in through the login form; returns the CSRF token of the new session (rotated at sign-in)."""
    page = bench.client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    response = bench.client.post("/login", data={"username": role, "password": PASSWORD, "csrf_token": token},
                                 follow_redirects=False)
    assert response.status_code == 303
    page = bench.client.get("/")
    return page.text.split('name="csrf-token" content="')[1].split('"')[0]


def test_cookie_session_reads_without_token_and_writes_only_with_csrf(bench):
    csrf = signed_in(bench, "analyst")
    assert bench.client.get("/api/me").json()["username"] == "analyst"
    gao = ids(bench)["Gao"]
    coded(bench.client.post(f"/api/events/{gao}/accept", json={}), 403, "E912")
    coded(bench.client.post(f"/api/events/{gao}/accept", json={}, headers={"X-CSRF-Token": "forged"}), 403, "E912")
    assert bench.client.post(f"/api/events/{gao}/accept", json={}, headers={"X-CSRF-Token": csrf}).status_code == 200


# export

def test_export_csv_and_geojson(bench):
    text = bench.client.get("/api/export", headers=bench.headers("viewer"))
    assert text.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(text.text)))
    assert len(rows) == 4 and list(rows[0])[0] == "event_id_cnty"
    geo = bench.client.get("/api/export", params={"format": "geojson", "country": "Mali"},
                           headers=bench.headers("viewer")).json()
    assert [f["properties"]["location"] for f in geo["features"]] == ["Gao"]


def test_export_limited_to_reviewed_events(bench):
    found = ids(bench)
    bench.client.post(f"/api/events/{found['Gao']}/accept", json={}, headers=bench.headers("analyst"))
    bench.client.post(f"/api/events/{found['Homs']}/reject", json={}, headers=bench.headers("analyst"))
    rows = list(csv.DictReader(io.StringIO(bench.client.get("/api/export", params={"reviewed": "true"},
                                                            headers=bench.headers("viewer")).text)))
    assert [r["location"] for r in rows] == ["Gao"]


def test_export_refuses_an_unknown_format(bench):
    coded(bench.client.get("/api/export", params={"format": "xlsx"}, headers=bench.headers("viewer")), 422, "E900")


# uploads (extraction faked: these test the web layer, not the pipeline)

def test_pasted_report_is_extracted_and_its_events_listed(bench):
    text = REPORTS[0].text
    response = bench.client.post("/api/reports", data={"text": text, "publication_date": "2024-03-04",
                                                       "language": "en", "source": "Desert Wire"},
                                 headers=bench.headers("analyst"))
    assert response.status_code == 202, response.text
    job = wait(bench, response.json()["id"])
    assert (job["total"], job["done"]) == (1, 1)
    assert job["outcomes"][0]["status"] == "added" and job["outcomes"][0]["events"] == 1
    assert job["event_ids"] == [ids(bench)["Homs"]]
    detail = bench.client.get(f"/api/events/{job['event_ids'][0]}", headers=bench.headers("viewer")).json()
    pasted = next(s for s in detail["sources"] if s["ref"]["document_id"].startswith("pasted-"))
    assert pasted["text"] == text
    again = wait(bench, bench.client.post("/api/reports", data={"text": text, "publication_date": "2024-03-04",
                                                                "language": "en", "source": "Desert Wire"},
                                          headers=bench.headers("analyst")).json()["id"])
    assert again["outcomes"][0]["status"] == "unchanged"


def test_a_batch_of_files_reports_progress_per_file(bench):
    files = [("files", ("one.txt", b"Nothing happened in this invented town today.", "text/plain")),
             ("files", ("two.html", b"<html><body><p>A quiet day in an invented village.</p></body></html>",
                        "text/html"))]
    response = bench.client.post("/api/reports", files=files, data={"publication_date": "2024-04-01"},
                                 headers=bench.headers("analyst"))
    assert response.status_code == 202
    job = wait(bench, response.json()["id"])
    assert (job["total"], job["done"]) == (2, 2)
    assert [o["status"] for o in job["outcomes"]] == ["added", "added"]
    assert job["event_ids"] == []


def test_upload_too_large_is_refused_and_nothing_stored(small_bench):
    bench = small_bench
    before = counts(bench)
    big = b"Des combats ont eu lieu. " * 100
    coded(bench.client.post("/api/reports", files=[("files", ("big.txt", big, "text/plain"))],
                            data={"publication_date": "2024-03-04"}, headers=bench.headers("analyst")), 413, "E907")
    coded(bench.client.post("/api/reports", data={"text": big.decode(), "publication_date": "2024-03-04"},
                            headers=bench.headers("analyst")), 413, "E907")
    assert counts(bench) == before


def test_streamed_upload_without_declared_size_is_cut_off(small_bench):
    bench = small_bench
    before = counts(bench)
    boundary = "khaldunboundary"
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n'
            "Content-Type: text/plain\r\n\r\n").encode()

    def chunks():
        yield head
        for _ in range(200):  # 200 kB, no Content-Length: sent chunked
            yield b"Des combats ont eu lieu. " * 40
        yield f"\r\n--{boundary}--\r\n".encode()

    response = bench.client.post("/api/reports", content=chunks(), headers={
        **bench.headers("analyst"), "content-type": f"multipart/form-data; boundary={boundary}"})
    coded(response, 413, "E907")
    assert counts(bench) == before


def test_a_pasted_report_may_use_the_whole_limit(bench):
    text = "Rien ne s'est passé dans ce village imaginaire. " * 30_000  # 1.4 MB, under the 2 MiB default
    response = bench.client.post("/api/reports", data={"text": text, "publication_date": "2024-03-04"},
                                 headers=bench.headers("analyst"))
    assert response.status_code == 202, response.text
    assert wait(bench, response.json()["id"])["outcomes"][0]["status"] == "added"


@pytest.mark.parametrize("data,files,code", [
    ({}, None, "E915"),
    ({"text": "   "}, None, "E915"),
    ({"text": "Des combats ont eu lieu."}, None, "E106"),
    ({"text": "Des combats.", "publication_date": "2024-02-30"}, None, "E900"),
    ({"text": "Des combats.", "publication_date": "2024-03-01", "language": "de"}, None, "E900"),
    ({"publication_date": "2024-03-01"}, [("files", ("empty.txt", b"", "text/plain"))], "E102"),
    ({"publication_date": "2024-03-01"}, [("files", ("x.bin", bytes(range(256)) * 4, "application/octet-stream"))],
     "E103"),
])
def test_bad_uploads_are_refused_and_nothing_stored(bench, data, files, code):
    before = counts(bench)
    coded(bench.client.post("/api/reports", data=data, files=files, headers=bench.headers("analyst")), 422, code)
    assert counts(bench) == before


class CrashingPipeline:
    def process(self, report):  # noqa: ANN001, ANN201
        raise RuntimeError("model file truncated")


def test_a_crash_in_extraction_fails_that_report_not_the_job(web_db, template):
    from web_harness import make_bench

    for bench in make_bench(web_db, template.tokens, pipeline=CrashingPipeline()):
        files = [("files", (f"{n}.txt", b"Invented report text.", "text/plain")) for n in range(2)]
        response = bench.client.post("/api/reports", files=files, data={"publication_date": "2024-03-04"},
                                     headers=bench.headers("analyst"))
        job = wait(bench, response.json()["id"])
        assert (job["done"], [o["status"] for o in job["outcomes"]]) == (2, ["failed", "failed"])
        assert job["outcomes"][0]["error"].startswith("E501: ")


def test_spec_declares_the_bearer_scheme(bench):
    spec = bench.client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert spec["paths"]["/api/events"]["get"]["security"] == [{"HTTPBearer": []}]
    assert "security" not in spec["paths"]["/api/token"]["post"]


def test_unknown_job_is_404(bench):
    coded(bench.client.get("/api/jobs/not-a-job", headers=bench.headers("analyst")), 404, "E908")


def test_openapi_spec_documents_every_endpoint(bench):
    spec = bench.client.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/token", "/api/me", "/api/users", "/api/events", "/api/events/{event_id}", "/api/timeline",
            "/api/facets", "/api/control", "/api/events/{event_id}/accept", "/api/events/{event_id}/reject",
            "/api/events/{event_id}/merge", "/api/events/{event_id}/split", "/api/changes/{change_id}/revert",
            "/api/reports", "/api/jobs/{job_id}", "/api/export"} <= paths
    assert not any(p.startswith(("/login", "/upload")) for p in paths)
