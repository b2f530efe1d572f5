"""Accounts of the web workbench: users with roles, argon2id password hashes, API tokens, sessions.

Passwords are hashed with argon2id (argon2-cffi's defaults, the OWASP recommendation);
API tokens and session ids are random 32-byte strings stored as SHA-256 digests, so the
database never holds anything that signs someone in. Tokens expire; sessions end at
sign-out, at a password change and when the account is disabled. Failed sign-ins are
counted per account and per address, and lock further attempts for a while.

    >>> from khaldun.store import open_store
    >>> from khaldun.store.users import create_user, issue_token
    >>> with open_store("events.db") as store:
    ...     admin = create_user(store, "ana", "a long passphrase", "admin")
    ...     token = issue_token(store, admin.id, "scripts")
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel
from sqlalchemy import ColumnElement, Connection, Select, delete, insert, select, update

from khaldun.errors import error
from khaldun.store.db import Store
from khaldun.store.web_models import ROLES, LoginThrottleRow, SessionRow, TokenRow, UserRow

USERS = UserRow.__table__
TOKENS = TokenRow.__table__
MIN_PASSWORD = 8
USERNAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_HASHER = PasswordHasher()

TOKEN_DAYS = 90
"""Default lifetime of an API token."""
MAX_TOKEN_DAYS = 366
SESSION_LIFETIME = dt.timedelta(days=14)
TOKEN_ID_LENGTH = 12
"""Hex digits of a token's digest that name it in ``khaldun user token list/revoke`` (not secret)."""


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failed sign-ins within ``window`` lock an account or an address, and for how long."""

    per_account: int = 5
    per_address: int = 20
    window: dt.timedelta = dt.timedelta(minutes=15)
    lockout: dt.timedelta = dt.timedelta(minutes=15)


THROTTLE = ThrottlePolicy()


class User(BaseModel):
    """A signed-in account, as the web layer sees it (never the password hash)."""

    id: int
    username: str
    role: str
    active: bool = True

    def can(self, role: str) -> bool:
        """Whether this user has ``role`` or a stronger one."""
        return ROLES.index(self.role) >= ROLES.index(role)


def create_user(store: Store, username: str, password: str, role: str) -> User:
    """Add an account; coded errors for a bad name, role or password, or a taken name."""
    if not USERNAME.match(username):
        raise error("E916", username=username)
    if role not in ROLES:
        raise error("E910", role=role, roles=", ".join(ROLES))
    _check_password(password)
    with store.write() as conn:
        if conn.execute(select(UserRow.id).where(UserRow.username == username)).first():
            raise error("E909", username=username)
        result = conn.execute(insert(UserRow).values(
            username=username, password_hash=_HASHER.hash(password), role=role, active=True,
            created_at=dt.datetime.now(dt.timezone.utc)))
        user_id = result.inserted_primary_key[0]
    return User(id=user_id, username=username, role=role)


def authenticate(store: Store, username: str, password: str) -> User | None:
    """The user if the password is right, else None; rehashes when argon2's parameters changed."""
    user = _active_user(store, UserRow.username == username)
    if user is None:
        _HASHER.hash(password)  # spend the same time as a real check, so timing does not reveal user names
        return None
    try:
        _HASHER.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _HASHER.check_needs_rehash(user.password_hash):
        with store.write() as conn:
            conn.execute(update(UserRow).where(UserRow.id == user.id).values(password_hash=_HASHER.hash(password)))
    return _user(user)


def get_user(store: Store, user_id: int) -> User | None:
    """The active account with this id (None for a disabled or unknown one)."""
    row = _active_user(store, UserRow.id == user_id)
    return _user(row) if row else None


def list_users(store: Store) -> list[User]:
    with store.read() as conn:
        rows = conn.execute(select(USERS).order_by(UserRow.username)).all()
    return [_user(r) for r in rows]


def set_active(store: Store, username: str, active: bool) -> User:
    """Enable or disable an account; disabling ends its sessions and revokes its API tokens (E924 if unknown)."""
    with store.write() as conn:
        row = _named(conn, username)
        conn.execute(update(UserRow).where(UserRow.id == row.id).values(active=active))
        if not active:
            conn.execute(delete(SessionRow).where(SessionRow.user_id == row.id))
            conn.execute(delete(TokenRow).where(TokenRow.user_id == row.id))
    return User(id=row.id, username=row.username, role=row.role, active=active)


def set_password(store: Store, username: str, password: str) -> User:
    """Change a password and end every session of the account (E911 too short, E924 unknown)."""
    _check_password(password)
    with store.write() as conn:
        row = _named(conn, username)
        conn.execute(update(UserRow).where(UserRow.id == row.id).values(password_hash=_HASHER.hash(password)))
        conn.execute(delete(SessionRow).where(SessionRow.user_id == row.id))
    return _user(row)


class TokenInfo(BaseModel):
    """An API token as listed to admins: never the token itself, only a short id of its digest."""

    id: str
    username: str
    name: str
    created_at: dt.datetime
    expires_at: dt.datetime
    expired: bool


def issue_token(store: Store, user_id: int, name: str = "api", days: int = TOKEN_DAYS) -> str:
    """A new API token for the user, valid ``days`` days; only its digest is stored, so show it to the user now."""
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise error("E905", field="days", value=days, reason=f"between 1 and {MAX_TOKEN_DAYS}")
    token = secrets.token_urlsafe(32)
    now = _now()
    with store.write() as conn:
        conn.execute(insert(TokenRow).values(token_hash=_digest(token), user_id=user_id, name=name,
                                             created_at=now, expires_at=now + dt.timedelta(days=days)))
    return token


def user_for_token(store: Store, token: str) -> User | None:
    """The active account of an unexpired token, else None."""
    return _holder(store, TokenRow, TokenRow.token_hash, token)


def list_tokens(store: Store, username: str | None = None) -> list[TokenInfo]:
    """Every API token (or one account's), oldest first, with its id for :func:`revoke_token`."""
    query = _tokens().order_by(TokenRow.created_at, TokenRow.token_hash)
    if username is not None:
        query = query.where(UserRow.username == username)
    with store.read() as conn:
        rows = conn.execute(query).all()
    return [_token_info(row) for row in rows]


def token_details(store: Store, token: str) -> TokenInfo | None:
    """What :func:`list_tokens` says of this token (None if it does not exist)."""
    with store.read() as conn:
        row = conn.execute(_tokens().where(TokenRow.token_hash == _digest(token))).first()
    return _token_info(row) if row else None


def revoke_token(store: Store, token_id: str) -> TokenInfo:
    """Delete the token named ``token_id`` (its listed id, or a unique prefix of 6+ digits; E923 otherwise)."""
    wanted = token_id.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{6,64}", wanted):
        raise error("E923", token_id=token_id)
    with store.write() as conn:
        rows = conn.execute(_tokens().where(TokenRow.token_hash.startswith(wanted))).all()
        if len(rows) != 1:
            raise error("E923", token_id=token_id)
        conn.execute(delete(TokenRow).where(TokenRow.token_hash == rows[0].token_hash))
    return _token_info(rows[0])


def _tokens() -> Select[Any]:
    """API tokens with their account's name: what :class:`TokenInfo` is made of."""
    return select(TOKENS, UserRow.username).join(UserRow, TokenRow.user_id == UserRow.id)


def _token_info(row) -> TokenInfo:  # noqa: ANN001 - a row of ``api_tokens`` with the account's username
    expires = _aware(row.expires_at)
    return TokenInfo(id=row.token_hash[:TOKEN_ID_LENGTH], username=row.username, name=row.name,
                     created_at=_aware(row.created_at), expires_at=expires, expired=expires <= _now())


def start_session(store: Store, user_id: int) -> str:
    """A new session id for a browser that just signed in (the cookie holds it; the table its digest)."""
    session_id = secrets.token_urlsafe(32)
    now = _now()
    with store.write() as conn:
        conn.execute(delete(SessionRow).where(SessionRow.expires_at <= now))
        conn.execute(insert(SessionRow).values(id_hash=_digest(session_id), user_id=user_id, created_at=now,
                                               expires_at=now + SESSION_LIFETIME))
    return session_id


def session_user(store: Store, session_id: str) -> User | None:
    """The active account of a live session, else None (ended, expired, or never started)."""
    return _holder(store, SessionRow, SessionRow.id_hash, session_id)


def end_session(store: Store, session_id: str) -> None:
    with store.write() as conn:
        conn.execute(delete(SessionRow).where(SessionRow.id_hash == _digest(session_id)))


def login_lock(store: Store, keys: list[str]) -> int:
    """Seconds until sign-in is allowed again for the first locked key (``user:NAME``, ``addr:IP``), 0 if none."""
    now = _now()
    with store.read() as conn:
        rows = conn.execute(select(LoginThrottleRow.locked_until).where(LoginThrottleRow.key.in_(keys))).scalars()
        waits = [(_aware(until) - now).total_seconds() for until in rows if until is not None]
    return max([int(w) + 1 for w in waits if w > 0], default=0)


def record_failure(store: Store, account_key: str, address_key: str, policy: ThrottlePolicy = THROTTLE) -> None:
    """Count a failed sign-in against the account and the address; lock one that reached its limit."""
    now = _now()
    with store.write() as conn:
        conn.execute(delete(LoginThrottleRow).where(  # forget what no longer counts, so the table stays small
            LoginThrottleRow.first_at <= now - policy.window,
            (LoginThrottleRow.locked_until.is_(None)) | (LoginThrottleRow.locked_until <= now)))
        for key, limit in ((account_key, policy.per_account), (address_key, policy.per_address)):
            row = conn.execute(select(LoginThrottleRow.__table__).where(LoginThrottleRow.key == key)).first()
            if row is None:
                conn.execute(insert(LoginThrottleRow).values(key=key, failures=1, first_at=now,
                                                             locked_until=now + policy.lockout if limit <= 1 else None))
                continue
            stale = _aware(row.first_at) <= now - policy.window or (
                row.locked_until is not None and _aware(row.locked_until) <= now)
            failures, first = (1, now) if stale else (row.failures + 1, _aware(row.first_at))
            locked = now + policy.lockout if failures >= limit else None
            conn.execute(update(LoginThrottleRow).where(LoginThrottleRow.key == key)
                         .values(failures=failures, first_at=first, locked_until=locked))


def clear_failures(store: Store, key: str) -> None:
    """Forget an account's failed sign-ins after it signed in (an address's count stays)."""
    with store.write() as conn:
        conn.execute(delete(LoginThrottleRow).where(LoginThrottleRow.key == key))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise error("E911", minimum=MIN_PASSWORD)


def _active_user(store: Store, which: ColumnElement[bool]):  # noqa: ANN202 - a SQLAlchemy row of ``users``
    """The row of the active account ``which`` selects, or None (unknown or disabled)."""
    with store.read() as conn:
        return conn.execute(select(USERS).where(which, UserRow.active.is_(True))).first()


def _holder(store: Store, secrets_table: type[TokenRow] | type[SessionRow], digest: Any, secret: str) -> User | None:
    """The active account holding an unexpired API token or session (``secrets_table``) whose digest is ``digest``'s."""
    with store.read() as conn:
        row = conn.execute(select(USERS).join(secrets_table, secrets_table.user_id == UserRow.id)
                           .where(digest == _digest(secret), secrets_table.expires_at > _now(),
                                  UserRow.active.is_(True))).first()
    return _user(row) if row else None


def _named(conn: Connection, username: str):  # noqa: ANN202 - a SQLAlchemy row
    row = conn.execute(select(USERS).where(UserRow.username == username)).first()
    if row is None:
        raise error("E924", username=username)
    return row


def _user(row) -> User:  # noqa: ANN001 - a SQLAlchemy row of ``users``
    return User(id=row.id, username=row.username, role=row.role, active=row.active)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes: every time khaldun stores is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
