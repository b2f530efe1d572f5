"""Accounts, tokens, sessions and sign-in throttling in the store, on SQLite and PostgreSQL; migration 0003."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import insert, select, update

from khaldun.errors import KhaldunError
from khaldun.store.db import alembic_config
from khaldun.store.users import (ThrottlePolicy, authenticate, create_user, end_session, issue_token, list_tokens,
                                 login_lock, record_failure, revoke_token, session_user, set_active, set_password,
                                 start_session, user_for_token, clear_failures)
from khaldun.store.web_models import LoginThrottleRow, SettingRow, TokenRow, UserRow
from web_harness import PASSWORD


def test_tokens_are_listed_without_their_secret_and_revoked_by_id(any_store):
    ana = create_user(any_store, "ana", PASSWORD, "analyst")
    first, second = issue_token(any_store, ana.id, "laptop"), issue_token(any_store, ana.id, "server", days=7)
    listed = list_tokens(any_store, "ana")
    assert [t.name for t in listed] == ["laptop", "server"]
    assert all(first not in t.model_dump_json() and len(t.id) == 12 and not t.expired for t in listed)
    assert dt.timedelta(days=6) < listed[1].expires_at - listed[1].created_at <= dt.timedelta(days=7)
    revoked = revoke_token(any_store, listed[0].id)
    assert revoked.name == "laptop"
    assert user_for_token(any_store, first) is None and user_for_token(any_store, second) == ana
    for bad in ("zzzzzz", "abc", listed[0].id):
        with pytest.raises(KhaldunError) as caught:
            revoke_token(any_store, bad)
        assert caught.value.code == "E923"


def test_an_expired_token_signs_nobody_in(any_store):
    ana = create_user(any_store, "ana", PASSWORD, "analyst")
    token = issue_token(any_store, ana.id)
    with any_store.write() as conn:
        conn.execute(update(TokenRow).values(expires_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)))
    assert user_for_token(any_store, token) is None
    assert list_tokens(any_store)[0].expired
    with pytest.raises(KhaldunError):
        issue_token(any_store, ana.id, days=0)


def test_sessions_live_on_the_server_and_end(any_store):
    ana = create_user(any_store, "ana", PASSWORD, "analyst")
    session = start_session(any_store, ana.id)
    assert session_user(any_store, session) == ana
    assert session_user(any_store, session + "x") is None
    end_session(any_store, session)
    assert session_user(any_store, session) is None


def test_disabling_an_account_ends_its_sessions_and_tokens(any_store):
    ana = create_user(any_store, "ana", PASSWORD, "analyst")
    session, token = start_session(any_store, ana.id), issue_token(any_store, ana.id)
    assert not set_active(any_store, "ana", False).active
    assert session_user(any_store, session) is None and user_for_token(any_store, token) is None
    assert authenticate(any_store, "ana", PASSWORD) is None
    set_active(any_store, "ana", True)
    assert authenticate(any_store, "ana", PASSWORD) is not None
    assert user_for_token(any_store, token) is None  # revoked, not suspended
    with pytest.raises(KhaldunError) as caught:
        set_active(any_store, "nobody", False)
    assert caught.value.code == "E924"


def test_a_new_password_ends_the_sessions(any_store):
    ana = create_user(any_store, "ana", PASSWORD, "analyst")
    session = start_session(any_store, ana.id)
    set_password(any_store, "ana", "another long passphrase")
    assert session_user(any_store, session) is None
    assert authenticate(any_store, "ana", PASSWORD) is None
    assert authenticate(any_store, "ana", "another long passphrase") == ana
    with pytest.raises(KhaldunError) as caught:
        set_password(any_store, "ana", "short")
    assert caught.value.code == "E911"


def test_failures_lock_an_account_then_the_lock_expires(any_store):
    policy = ThrottlePolicy(per_account=3, per_address=10)
    keys = ["user:ana", "addr:10.0.0.1"]
    for _ in range(2):
        record_failure(any_store, *keys, policy=policy)
    assert login_lock(any_store, keys) == 0
    record_failure(any_store, *keys, policy=policy)
    assert 0 < login_lock(any_store, keys) <= 15 * 60
    assert login_lock(any_store, ["user:ben", "addr:10.0.0.2"]) == 0
    with any_store.write() as conn:
        conn.execute(update(LoginThrottleRow).values(locked_until=dt.datetime.now(dt.timezone.utc)))
    assert login_lock(any_store, keys) == 0
    record_failure(any_store, *keys, policy=policy)  # a lock that ran out starts a new count
    assert login_lock(any_store, keys) == 0
    clear_failures(any_store, "user:ana")
    with any_store.read() as conn:
        assert conn.execute(select(LoginThrottleRow.key)).scalars().all() == ["addr:10.0.0.1"]


def test_migration_0003_expires_old_tokens_and_drops_the_key_from_the_database(any_store):
    config = alembic_config()
    with any_store.write() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0002")
    now = dt.datetime.now(dt.timezone.utc)
    with any_store.write() as conn:
        user_id = conn.execute(insert(UserRow).values(username="old", password_hash="x", role="viewer", active=True,
                                                      created_at=now)).inserted_primary_key[0]
        conn.execute(insert(SettingRow).values(key="session_secret", value="a key next to the data"))
        conn.exec_driver_sql("INSERT INTO api_tokens (token_hash, user_id, name, created_at) "
                             f"VALUES ('{'ab' * 32}', {user_id}, 'legacy', '2024-01-01 00:00:00')")
    with any_store.write() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    with any_store.read() as conn:
        assert conn.execute(select(SettingRow.key)).scalars().all() == []
    legacy = list_tokens(any_store, "old")[0]
    assert not legacy.expired and legacy.expires_at - now > dt.timedelta(days=89)
