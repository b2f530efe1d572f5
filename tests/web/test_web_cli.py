"""``khaldun user`` and ``khaldun serve``, and ``khaldun export --reviewed``: thin commands over the store and app."""

from __future__ import annotations

import csv
import io

from click.testing import CliRunner

from khaldun.cli import cli
from khaldun.store import open_store, review
from khaldun.store.users import authenticate, user_for_token

from web_harness import PASSWORD


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin)


def test_user_add_creates_the_first_admin_with_a_token(tmp_path):
    db = str(tmp_path / "k.db")
    result = run("user", "add", "ana", "--role", "admin", "--password-stdin", "--token", "--db", db,
                 stdin=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "created admin 'ana'" in result.output
    token = result.output.split("API token (shown once): ")[1].strip()
    with open_store(db) as store:
        assert authenticate(store, "ana", PASSWORD).role == "admin"
        assert user_for_token(store, token).username == "ana"
    listed = run("user", "list", "--db", db)
    assert listed.output == "ana\tadmin\n"


def test_user_add_prompts_twice_for_the_password(tmp_path):
    db = str(tmp_path / "k.db")
    result = run("user", "add", "ben", "--db", db, stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0 and "created analyst 'ben'" in result.output


def test_user_add_refusals_are_one_coded_line(tmp_path):
    db = str(tmp_path / "k.db")
    run("user", "add", "ana", "--password-stdin", "--db", db, stdin=PASSWORD + "\n")
    taken = run("user", "add", "ana", "--password-stdin", "--db", db, stdin=PASSWORD + "\n")
    assert taken.exit_code == 1 and "E909" in taken.output
    short = run("user", "add", "cy", "--password-stdin", "--db", db, stdin="short\n")
    assert short.exit_code == 1 and "E911" in short.output
    bad_role = run("user", "add", "cy", "--role", "owner", "--password-stdin", "--db", db, stdin=PASSWORD + "\n")
    assert bad_role.exit_code == 2


def test_serve_runs_the_app_on_the_given_address(tmp_path, monkeypatch):
    import uvicorn

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: seen.update(app=app, **options))
    result = run("serve", "--db", str(tmp_path / "k.db"), "--host", "0.0.0.0", "--port", "8123",
                 "--tile-url", "https://tiles.example.org/{z}/{x}/{y}.png")
    assert result.exit_code == 0, result.output
    assert (seen["host"], seen["port"]) == ("0.0.0.0", 8123)
    bench = seen["app"].state.workbench
    assert bench.tile_url == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert {"/api/events", "/api/reports"} <= set(seen["app"].openapi()["paths"])
    bench.store.close()


def test_serve_reports_a_bad_database_url(tmp_path):
    result = run("serve", "--db", "mysql://nowhere/db")
    assert result.exit_code == 1 and "E702" in result.output


def test_export_reviewed_keeps_accepted_and_edited_events(web_db):
    with open_store(web_db) as store, store.read() as conn:
        from khaldun.store.query import load_events

        ids = {e.location: e.event_id_cnty for e in load_events(conn)}
    with open_store(web_db) as store:
        review.set_status(store, ids["Gao"], "accepted", "ana")
        review.set_status(store, ids["Homs"], "rejected", "ana")
    everything = run("export", "--format", "csv", "--db", web_db)
    reviewed = run("export", "--format", "csv", "--reviewed", "--db", web_db)
    assert len(list(csv.DictReader(io.StringIO(everything.output)))) == 4
    assert [r["location"] for r in csv.DictReader(io.StringIO(reviewed.output))] == ["Gao"]


def test_user_disable_enable_and_passwd(tmp_path):
    db = str(tmp_path / "k.db")
    run("user", "add", "ana", "--password-stdin", "--token", "--db", db, stdin=PASSWORD + "\n")
    assert run("user", "disable", "ana", "--db", db).output == "disabled 'ana'\n"
    assert run("user", "list", "--db", db).output == "ana\tanalyst\tdisabled\n"
    with open_store(db) as store:
        assert authenticate(store, "ana", PASSWORD) is None
    assert run("user", "enable", "ana", "--db", db).exit_code == 0
    changed = run("user", "passwd", "ana", "--password-stdin", "--db", db, stdin="a brand new passphrase\n")
    assert changed.exit_code == 0 and "sessions are ended" in changed.output
    with open_store(db) as store:
        assert authenticate(store, "ana", "a brand new passphrase") is not None
    unknown = run("user", "disable", "nobody", "--db", db)
    assert unknown.exit_code == 1 and "E924" in unknown.output
    short = run("user", "passwd", "ana", "--password-stdin", "--db", db, stdin="short\n")
    assert short.exit_code == 1 and "E911" in short.output


def test_user_token_list_and_revoke(tmp_path):
    db = str(tmp_path / "k.db")
    added = run("user", "add", "ana", "--password-stdin", "--token", "--days", "3", "--db", db, stdin=PASSWORD + "\n")
    token = added.output.split("API token (shown once): ")[1].strip()
    listed = run("user", "token", "list", "--db", db).output.splitlines()
    assert len(listed) == 1 and token not in listed[0]
    token_id, username, name, _, expiry = listed[0].split("\t")
    assert (username, name) == ("ana", "cli") and expiry.startswith("expires ")
    revoked = run("user", "token", "revoke", token_id, "--db", db)
    assert revoked.exit_code == 0 and f"revoked token {token_id}" in revoked.output
    with open_store(db) as store:
        assert user_for_token(store, token) is None
    assert run("user", "token", "list", "--db", db).output == ""
    again = run("user", "token", "revoke", token_id, "--db", db)
    assert again.exit_code == 1 and "E923" in again.output
