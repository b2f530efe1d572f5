"""Review and accounts in the store itself, on SQLite and PostgreSQL: every change recorded and reversible."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from khaldun.errors import KhaldunError
from khaldun.store import review
from khaldun.store.query import load_events
from khaldun.store.users import authenticate, create_user, get_user, issue_token, list_users, user_for_token
from khaldun.store.web_models import UserRow

from web_harness import PASSWORD


def by_location(store) -> dict[str, str]:
    with store.read() as conn:
        return {e.location: e.event_id_cnty for e in load_events(conn) if e.event_type != "Strategic developments"}


def snapshot(store) -> list[tuple]:
    with store.read() as conn:
        return [(e.event_id_cnty, e.fatalities, e.location, e.review_status, tuple(
            (s.document_id, s.position) for s in e.sources)) for e in load_events(conn)]


def test_every_action_is_recorded_and_undoing_them_all_restores_the_events(any_store):
    store = any_store
    seeded = snapshot(store)
    ids = by_location(store)
    changes = [
        review.set_status(store, ids["Gao"], "accepted", "ana", "checked"),
        review.edit(store, ids["Gao"], {"fatalities": 3, "admin2": "Gao cercle"}, "ana", "local radio"),
        review.merge(store, ids["Hama"], [ids["Gao"]], "ben", "same day"),
        review.split(store, ids["Homs"], "homs-fr", 0, "ben", "figures differ"),
        review.set_status(store, ids["Hama"], "rejected", "ana"),
    ]
    assert [c.action for c in changes] == ["accept", "edit", "merge", "split", "reject"]
    assert all(c.at.tzinfo is not None or isinstance(c.at, dt.datetime) for c in changes)
    with store.read() as conn:
        gao_history = review.history(conn, ids["Gao"])
    assert [c.action for c in gao_history] == ["accept", "edit", "merge"]
    for change in reversed(changes):
        undo = review.revert(store, change.id, "ana", "start over")
        assert undo.reverts == change.id
    assert snapshot(store) == seeded
    with store.read() as conn:
        everything = review.history(conn, ids["Homs"])
    assert [c.action for c in everything] == ["split", "revert"]
    assert everything[0].reverted_by == everything[1].id


def test_edit_coerces_values_to_column_types(any_store):
    store = any_store
    gao = by_location(store)["Gao"]
    review.edit(store, gao, {"event_date": "2024-03-13", "latitude": "16.3", "fatalities_known": "yes",
                             "inter2": ""}, "ana", "from the wire")
    with store.read() as conn:
        event = next(e for e in load_events(conn) if e.event_id_cnty == gao)
    assert (event.event_date, event.year, event.latitude, event.fatalities_known, event.inter2) == (
        dt.date(2024, 3, 13), 2024, 16.3, True, None)
    assert event.review_status == "edited"


@pytest.mark.parametrize("changes,code", [({"fatalities": 1.5}, "E905"), ({"fatalities": True}, "E905"),
                                          ({"latitude": "nan"}, "E905"), ({"event_date": None}, "E905"),
                                          ({"fatalities": 2**60}, "E905"), ({"notes": {"a": 1}}, "E905"),
                                          ({"source_count": 3}, "E904")])
def test_edit_refuses_values_that_do_not_fit(any_store, changes, code):
    with pytest.raises(KhaldunError) as caught:
        review.edit(any_store, by_location(any_store)["Gao"], changes, "ana", "why")
    assert caught.value.code == code


def test_reviewed_events_are_the_accepted_and_edited_ones(any_store):
    store = any_store
    ids = by_location(store)
    review.set_status(store, ids["Gao"], "accepted", "ana")
    review.edit(store, ids["Homs"], {"notes": "checked against a second wire"}, "ana", "notes")
    review.set_status(store, ids["Hama"], "rejected", "ana")
    with store.read() as conn:
        assert sorted(e.location for e in review.reviewed_events(conn)) == ["Gao", "Homs"]
        assert [e.location for e in review.reviewed_events(conn, country="Mali")] == ["Gao"]


def test_accounts_hash_passwords_with_argon2_and_tokens_with_sha256(any_store):
    store = any_store
    ana = create_user(store, "ana", PASSWORD, "admin")
    with store.read() as conn:
        stored = conn.execute(select(UserRow.password_hash).where(UserRow.id == ana.id)).scalar()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert authenticate(store, "ana", PASSWORD) == ana
    assert authenticate(store, "ana", "wrong password") is None
    assert authenticate(store, "nobody", PASSWORD) is None
    token = issue_token(store, ana.id)
    assert user_for_token(store, token) == ana
    assert user_for_token(store, token + "x") is None
    assert get_user(store, ana.id) == ana and get_user(store, 999) is None
    assert [u.username for u in list_users(store)] == ["ana"]
    with pytest.raises(KhaldunError) as caught:
        create_user(store, "ana", PASSWORD, "viewer")
    assert caught.value.code == "E909"


def test_roles_are_ordered(any_store):
    viewer = create_user(any_store, "v", PASSWORD, "viewer")
    admin = create_user(any_store, "a", PASSWORD, "admin")
    assert viewer.can("viewer") and not viewer.can("analyst")
    assert admin.can("analyst") and admin.can("admin")
