"""Accounts of the web workbench: users with roles, argon2id password hashes, API tokens.

Passwords are hashed with argon2id (argon2-cffi's defaults, the OWASP recommendation);
API tokens are random 32-byte strings shown once and stored as SHA-256 digests, so the
database never holds anything that signs someone in.

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

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel
from sqlalchemy import insert, select, update

from khaldun.errors import error
from khaldun.store.db import Store
from khaldun.store.web_models import ROLES, SettingRow, TokenRow, UserRow

USERS = UserRow.__table__
MIN_PASSWORD = 8
USERNAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_HASHER = PasswordHasher()


class User(BaseModel):
    """A signed-in account, as the web layer sees it (never the password hash)."""

    id: int
    username: str
    role: str

    def can(self, role: str) -> bool:
        """Whether this user has ``role`` or a stronger one."""
        return ROLES.index(self.role) >= ROLES.index(role)


def create_user(store: Store, username: str, password: str, role: str) -> User:
    """Add an account; coded errors for a bad name, role or password, or a taken name."""
    if not USERNAME.match(username):
        raise error("E916", username=username)
    if role not in ROLES:
        raise error("E910", role=role, roles=", ".join(ROLES))
    if len(password) < MIN_PASSWORD:
        raise error("E911", minimum=MIN_PASSWORD)
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
    with store.read() as conn:
        user = conn.execute(select(USERS).where(UserRow.username == username, UserRow.active.is_(True))).first()
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
    return User(id=user.id, username=user.username, role=user.role)


def get_user(store: Store, user_id: int) -> User | None:
    with store.read() as conn:
        row = conn.execute(select(USERS).where(UserRow.id == user_id, UserRow.active.is_(True))).first()
    return User(id=row.id, username=row.username, role=row.role) if row else None


def list_users(store: Store) -> list[User]:
    with store.read() as conn:
        rows = conn.execute(select(USERS).order_by(UserRow.username)).all()
    return [User(id=r.id, username=r.username, role=r.role) for r in rows]


def issue_token(store: Store, user_id: int, name: str = "api") -> str:
    """A new API token for the user; only its digest is stored, so show it to the user now."""
    token = secrets.token_urlsafe(32)
    with store.write() as conn:
        conn.execute(insert(TokenRow).values(token_hash=_digest(token), user_id=user_id, name=name,
                                             created_at=dt.datetime.now(dt.timezone.utc)))
    return token


def user_for_token(store: Store, token: str) -> User | None:
    with store.read() as conn:
        row = conn.execute(select(USERS).join(TokenRow, TokenRow.user_id == UserRow.id)
                           .where(TokenRow.token_hash == _digest(token), UserRow.active.is_(True))).first()
    return User(id=row.id, username=row.username, role=row.role) if row else None


def secret_key(store: Store) -> str:
    """The key signing session cookies: made once per database, so every server process on it agrees."""
    with store.write() as conn:
        row = conn.execute(select(SettingRow.value).where(SettingRow.key == "session_secret")).first()
        if row:
            return row[0]
        value = secrets.token_urlsafe(48)
        conn.execute(insert(SettingRow).values(key="session_secret", value=value))
        return value


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
