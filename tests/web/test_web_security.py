"""The workbench against a hostile user: stored XSS, forged or stale sessions, password guessing, gzip bombs."""

from __future__ import annotations

import base64
import gzip
import io
import json
import os
import re
import stat

import itsdangerous
import pytest
from sqlalchemy import inspect, text, update

from khaldun.store.web_models import TokenRow
from web_harness import PASSWORD, make_bench

XSS = '</script><script>document.title="pwned"</script><img src=x onerror=alert(1)>'


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def sign_in(client, username: str, password: str = PASSWORD):
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token},
                       follow_redirects=False)


def event_id(bench, location: str) -> str:
    events = bench.client.get("/api/events", headers=bench.headers("viewer")).json()["events"]
    return next(e["id"] for e in events if e["location"] == location)


# --- stored XSS -----------------------------------------------------------------------------

def test_an_edited_value_cannot_close_the_script_block_of_the_event_page(bench):
    target = event_id(bench, "Gao")
    edited = bench.client.patch(f"/api/events/{target}", json={"changes": {"location": XSS}, "reason": "test"},
                                headers=bench.headers("analyst"))
    assert edited.status_code == 200
    assert sign_in(bench.client, "analyst").status_code == 303
    html = bench.client.get(f"/events/{target}").text
    assert "</script><script>" not in html and "<img src=x" not in html
    data = re.search(r'<script type="application/json" id="edit-values">(.*?)</script>', html, re.S).group(1)
    assert json.loads(data)["location"] == XSS  # the value survives, as data
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, f"inline script: {tag}"


@pytest.mark.parametrize("path", ["/login", "/api/events", "/static/map.js", "/no-such-page"])
def test_every_response_carries_a_strict_content_security_policy_and_protective_headers(bench, path):
    response = bench.client.get(path, headers=bench.headers("viewer"))
    policy = response.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_the_tile_server_is_the_only_other_origin_images_may_come_from(web_db, template):
    for bench in make_bench(web_db, template.tokens, tile_url="https://{s}.tile.example.org/{z}/{x}/{y}.png"):
        policy = bench.client.get("/login").headers["content-security-policy"]
        assert "img-src 'self' https://*.tile.example.org;" in policy


# --- the signing key and sessions -----------------------------------------------------------

def forged_cookie(key: str, data: dict) -> str:
    """A cookie as Starlette's session middleware signs it."""
    payload = base64.b64encode(json.dumps(data).encode())
    return itsdangerous.TimestampSigner(key).sign(payload).decode()


def test_nothing_in_the_database_forges_a_session(bench, session_key_file):
    """Sign every long value of every table as a cookie naming the admin: none signs in, nor does the real key."""
    with bench.store.read() as conn:
        admin = conn.execute(text("SELECT id FROM users WHERE username = 'admin'")).scalar()
        values = {str(value) for table in inspect(conn).get_table_names()
                  for row in conn.execute(text(f'SELECT * FROM "{table}"')) for value in row
                  if isinstance(value, str) and len(value) >= 16}
    assert values
    for key in sorted(values):
        bench.client.cookies.set("khaldun_session", forged_cookie(key, {"user_id": admin}))
        assert bench.client.get("/api/me").status_code == 401, f"a cookie signed with {key[:20]!r} signs in"
    assert stat.S_IMODE(session_key_file.stat().st_mode) == 0o600
    real = session_key_file.read_text().strip()
    assert real not in values
    bench.client.cookies.set("khaldun_session", forged_cookie(real, {"user_id": admin, "sid": "guessed"}))
    assert bench.client.get("/api/me").status_code == 401
    assert bench.client.get("/", follow_redirects=False).status_code == 303


def test_sign_out_ends_the_session_even_for_a_copied_cookie(bench):
    assert sign_in(bench.client, "admin").status_code == 303
    copied = bench.client.cookies.get("khaldun_session")
    csrf = csrf_of(bench.client.get("/").text)
    assert bench.client.get("/api/me").json()["username"] == "admin"
    assert bench.client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    bench.client.cookies.set("khaldun_session", copied)
    assert bench.client.get("/api/me").status_code == 401


def test_a_key_file_others_can_read_is_refused(tmp_path, monkeypatch, web_db):
    from khaldun.errors import KhaldunError
    from khaldun.web import create_app
    from khaldun.web.keys import KEY_FILE_ENV

    path = tmp_path / "session.key"
    path.write_text("k" * 48)
    os.chmod(path, 0o644)
    monkeypatch.setenv(KEY_FILE_ENV, str(path))
    with pytest.raises(KhaldunError) as caught:
        create_app(web_db)
    assert caught.value.code == "E925" and "chmod 600" in caught.value.message


def test_the_key_may_come_from_the_environment_instead(monkeypatch, tmp_path):
    from khaldun.errors import KhaldunError
    from khaldun.web.keys import KEY_ENV, session_key

    monkeypatch.setenv(KEY_ENV, "s" * 40)
    assert session_key() == "s" * 40
    monkeypatch.setenv(KEY_ENV, "short")
    with pytest.raises(KhaldunError) as caught:
        session_key()
    assert caught.value.code == "E925"


# --- tokens ---------------------------------------------------------------------------------

def test_api_tokens_expire(bench):
    response = bench.client.post("/api/token", json={"username": "viewer", "password": PASSWORD, "days": 1})
    token = response.json()["token"]
    assert bench.client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    with bench.store.write() as conn:
        conn.execute(update(TokenRow).values(expires_at=TokenRow.created_at))
    assert bench.client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_token_cannot_be_asked_for_longer_than_a_year(bench):
    response = bench.client.post("/api/token", json={"username": "viewer", "password": PASSWORD, "days": 5000})
    assert response.status_code == 422


# --- sign-in throttling ---------------------------------------------------------------------

def test_wrong_passwords_lock_the_account_with_429_and_retry_after(bench):
    answers = [sign_in(bench.client, "analyst", "wrong guess").status_code for _ in range(6)]
    assert answers == [401] * 5 + [429]
    locked = sign_in(bench.client, "analyst")  # even the right password, while locked
    assert locked.status_code == 429 and 0 < int(locked.headers["retry-after"]) <= 900
    api = bench.client.post("/api/token", json={"username": "analyst", "password": PASSWORD})
    assert api.status_code == 429 and api.json()["error"]["code"] == "E921" and "retry-after" in api.headers
    assert sign_in(bench.client, "viewer").status_code == 303  # other accounts are not locked


def test_guessing_many_accounts_from_one_address_locks_the_address(bench):
    answers = [bench.client.post("/api/token", json={"username": f"user{n}", "password": "x"}).status_code
               for n in range(21)]
    assert answers == [401] * 20 + [429]
    assert sign_in(bench.client, "viewer").status_code == 429


def test_a_right_password_clears_the_account_count(bench):
    for _ in range(4):
        sign_in(bench.client, "viewer", "wrong guess")
    assert sign_in(bench.client, "viewer").status_code == 303
    assert [sign_in(bench.client, "viewer", "wrong").status_code for _ in range(4)] == [401] * 4


# --- uploads --------------------------------------------------------------------------------

def upload(bench, name: str, data: bytes):
    return bench.client.post("/api/reports", files=[("files", (name, data))], data={"publication_date": "2024-05-02"},
                             headers=bench.headers("analyst"))


def test_a_gzip_bomb_is_refused_before_it_is_decompressed_whole(web_db, template):
    for bench in make_bench(web_db, template.tokens, max_expanded=64 * 1024):
        bomb = gzip.compress(b"A" * (10 * 1024 * 1024))
        assert len(bomb) < 20 * 1024  # under the upload limit
        response = upload(bench, "report.txt.gz", bomb)
        assert response.status_code == 413 and response.json()["error"]["code"] == "E922"
        nested = upload(bench, "report.txt.gz.gz", gzip.compress(bomb))
        assert nested.status_code == 413


def test_a_small_gzip_upload_is_still_read(web_db, template):
    for bench in make_bench(web_db, template.tokens, max_expanded=64 * 1024):
        line = json.dumps({"id": "gz-1", "text": "Rebels attacked a village near Gao.",
                           "publication_date": "2024-05-02"})
        buffer = io.BytesIO()
        with gzip.GzipFile(fileobj=buffer, mode="wb") as out:
            out.write((line + "\n").encode())
        response = upload(bench, "reports.jsonl.gz", buffer.getvalue())
        assert response.status_code == 202 and response.json()["total"] == 1
