"""The HTML pages without a browser: sign-in, CSRF on forms, roles, review forms, errors as pages."""

from __future__ import annotations

import re

import pytest

from web_harness import PASSWORD


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def sign_in(bench, role: str, next_page: str = "/") -> str:
    token = csrf_of(bench.client.get("/login").text)
    response = bench.client.post("/login", data={"username": role, "password": PASSWORD, "csrf_token": token,
                                                 "next": next_page}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == next_page
    return csrf_of(bench.client.get("/").text)


def event_id(bench, location: str) -> str:
    events = bench.client.get("/api/events", headers=bench.headers("viewer")).json()["events"]
    return next(e["id"] for e in events if e["location"] == location)


@pytest.mark.parametrize("path", ["/", "/upload", "/events/SY-x"])
def test_pages_send_strangers_to_sign_in(bench, path):
    response = bench.client.get(path, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/login?next={path}"


def test_a_bearer_token_does_not_open_the_pages(bench):
    response = bench.client.get("/", headers=bench.headers("admin"), follow_redirects=False)
    assert response.status_code == 303


def test_sign_in_needs_the_form_csrf_token_and_the_right_password(bench):
    bench.client.get("/login")
    refused = bench.client.post("/login", data={"username": "analyst", "password": PASSWORD})
    assert refused.status_code == 403 and "CSRF" in refused.text
    token = csrf_of(bench.client.get("/login").text)
    wrong = bench.client.post("/login", data={"username": "analyst", "password": "not it", "csrf_token": token})
    assert wrong.status_code == 401 and "wrong user name or password" in wrong.text


def test_sign_in_redirects_only_within_the_site(bench):
    token = csrf_of(bench.client.get("/login").text)
    response = bench.client.post("/login", data={"username": "viewer", "password": PASSWORD, "csrf_token": token,
                                                 "next": "//evil.example/"}, follow_redirects=False)
    assert response.headers["location"] == "/"


def test_session_is_rotated_at_sign_in_and_cleared_at_sign_out(bench):
    before = csrf_of(bench.client.get("/login").text)
    after = sign_in(bench, "viewer")
    assert after != before
    assert bench.client.post("/logout", data={"csrf_token": "forged"}).status_code == 403
    response = bench.client.post("/logout", data={"csrf_token": after}, follow_redirects=False)
    assert response.status_code == 303
    assert bench.client.get("/", follow_redirects=False).status_code == 303


def test_map_page_carries_the_tile_url_only_when_configured(bench, web_db, template):
    from web_harness import make_bench

    sign_in(bench, "viewer")
    assert 'data-tile-url=""' in bench.client.get("/").text
    for other in make_bench(web_db, template.tokens, tile_url="https://tiles.example.org/{z}/{x}/{y}.png"):
        sign_in(other, "viewer")
        assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in other.client.get("/").text


def test_viewers_see_events_but_not_upload_or_review(bench):
    sign_in(bench, "viewer")
    gao = event_id(bench, "Gao")
    page = bench.client.get(f"/events/{gao}")
    assert page.status_code == 200 and "Peaceful protest" in page.text and 'id="edit-form"' not in page.text
    assert '<mark class="evidence" data-fields="location"' in page.text
    assert bench.client.get("/upload").status_code == 403
    token = csrf_of(page.text)
    refused = bench.client.post(f"/events/{gao}/review", data={"action": "accept", "csrf_token": token})
    assert refused.status_code == 403
    assert bench.client.get(f"/api/events/{gao}", headers=bench.headers("viewer")).json()["event"][
        "review_status"] == "unreviewed"


def test_review_forms_need_the_csrf_token(bench):
    sign_in(bench, "analyst")
    gao = event_id(bench, "Gao")
    refused = bench.client.post(f"/events/{gao}/review", data={"action": "accept"})
    assert refused.status_code == 403 and "E912" in refused.text
    assert not bench.client.get(f"/api/events/{gao}", headers=bench.headers("viewer")).json()["history"]


def test_review_forms_accept_edit_merge_split_and_undo(bench):
    token = sign_in(bench, "analyst")
    gao, hama = event_id(bench, "Gao"), event_id(bench, "Hama")

    def act(target: str, **fields: str):
        return bench.client.post(f"/events/{target}/review", data={"csrf_token": token, **fields},
                                 follow_redirects=False)

    accepted = act(gao, action="accept", reason="seen on video")
    assert accepted.status_code == 303 and accepted.headers["location"] == f"/events/{gao}?message=accept%20saved"
    assert act(gao, action="edit", field="fatalities", value="2", reason="radio").status_code == 303
    page = bench.client.get(f"/events/{gao}").text
    assert "accept saved" not in page and "radio" in page and "seen on video" in page
    assert act(hama, action="merge", other_id=gao, reason="same event").status_code == 303
    merged = bench.client.get(f"/events/{hama}").text
    assert "gao-fr #0" in merged and 'name="source"' in merged
    assert act(hama, action="split", source="gao-fr#0", reason="not the same").status_code == 303
    history = bench.client.get(f"/api/events/{hama}", headers=bench.headers("viewer")).json()["history"]
    undone = act(hama, action="revert", change_id=str(history[-1]["id"]), reason="oops")
    assert undone.status_code == 303
    assert "gao-fr #0" in bench.client.get(f"/events/{hama}").text


@pytest.mark.parametrize("fields,status,code", [
    ({"action": "edit", "field": "fatalities", "value": "lots", "reason": "r"}, 422, "E905"),
    ({"action": "edit", "field": "review_status", "value": "accepted", "reason": "r"}, 422, "E904"),
    ({"action": "edit", "field": "notes", "value": "x", "reason": ""}, 422, "E918"),
    ({"action": "merge", "other_id": "SY-none", "reason": "r"}, 404, "E706"),
    ({"action": "split", "source": "nothing", "reason": "r"}, 404, "E913"),
    ({"action": "revert", "change_id": "abc"}, 404, "E917"),
    ({"action": "dance"}, 422, "E914"),
])
def test_bad_review_forms_show_the_error_on_the_event_page(bench, fields, status, code):
    token = sign_in(bench, "analyst")
    gao = event_id(bench, "Gao")
    response = bench.client.post(f"/events/{gao}/review", data={"csrf_token": token, **fields})
    assert response.status_code == status
    assert f"{code}:" in response.text and "Peaceful protest" in response.text


def test_unknown_event_page_is_a_404_page(bench):
    sign_in(bench, "viewer")
    response = bench.client.get("/events/SY-nothing")
    assert response.status_code == 404 and "E706" in response.text


def test_unknown_paths_and_methods_answer_coded_json(bench):
    missing = bench.client.get("/nothing-here")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "E919"
    wrong = bench.client.delete("/api/events", headers=bench.headers("admin"))
    assert wrong.status_code == 405 and wrong.json()["error"]["code"] == "E920"


def test_static_files_and_offline_base_layer_are_served(bench):
    for path in ("/static/map.js", "/static/timeline.js", "/static/vendor/leaflet/leaflet.js",
                 "/static/vendor/markercluster/leaflet.markercluster.js"):
        assert bench.client.get(path).status_code == 200
    atlas = bench.client.get("/static/vendor/world-atlas/countries-50m.json").json()
    assert atlas["type"] == "Topology" and "countries" in atlas["objects"]
