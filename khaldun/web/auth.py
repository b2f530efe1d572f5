"""Who is asking: a bearer token (scripts) or a session cookie (the pages), and may they?

The session cookie is signed (itsdangerous, through Starlette's ``SessionMiddleware``,
with the key of :mod:`khaldun.web.keys`) and holds a CSRF token and, once signed in, a
session id that the server looks up: signing out deletes the session on the server, so
a copied cookie is worthless afterwards. Sign-ins are throttled per account and per
address (E921, 429 with ``Retry-After``). Requests authenticated by the cookie that change
data must echo the CSRF token (form field ``csrf_token`` or header ``X-CSRF-Token``): a
page on another site can make the browser send the cookie, but cannot read the token.
Requests with a bearer token need no CSRF token, since browsers never add one by themselves.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from typing import Annotated

from fastapi import Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from khaldun.errors import KhaldunError, error
from khaldun.store.users import (User, authenticate, clear_failures, end_session, login_lock, record_failure,
                                 session_user, start_session, user_for_token)
from khaldun.web.state import workbench

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def check_csrf(request: Request, given: str | None) -> None:
    expected = request.session.get("csrf")
    if not expected or not given or not hmac.compare_digest(expected, given):
        raise error("E912")


def bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_user(request: Request) -> User | None:
    """The user of a bearer token, else of the session cookie's live server-side session, else None."""
    store = workbench(request).store
    token = bearer(request)
    if token is not None:
        return user_for_token(store, token)
    session_id = request.session.get("sid")
    return session_user(store, session_id) if isinstance(session_id, str) else None


class LoginLocked(KhaldunError):
    """Too many failed sign-ins for this account or address: E921, answered 429 with ``Retry-After``."""

    def __init__(self, seconds: int) -> None:
        coded = error("E921", seconds=seconds)
        super().__init__(coded.code, coded.message)
        self.retry_after = seconds


def check_password(request: Request, username: str, password: str) -> User:
    """The user if the password is right (E901 if not); E921 while the account or the address is locked.

    The lock is checked before the password, so a locked attacker learns nothing even
    with the right password; each failure counts against both the account and the address.
    """
    store = workbench(request).store
    account, address = f"user:{username[:150]}", f"addr:{request.client.host if request.client else 'unknown'}"
    wait = login_lock(store, [account, address])
    if wait:
        raise LoginLocked(wait)
    user = authenticate(store, username, password)
    if user is None:
        record_failure(store, account, address)
        raise error("E901")
    clear_failures(store, account)
    return user


def sign_in(request: Request, user: User) -> None:
    """Start a server-side session for ``user`` in a fresh cookie (a new CSRF token comes with it)."""
    request.session.clear()
    request.session["sid"] = start_session(workbench(request).store, user.id)


def sign_out(request: Request) -> None:
    """End the server-side session and empty the cookie."""
    session_id = request.session.get("sid")
    if isinstance(session_id, str):
        end_session(workbench(request).store, session_id)
    request.session.clear()


BEARER = HTTPBearer(auto_error=False, description="An API token from POST /api/token.")
"""Declares the bearer scheme in the OpenAPI spec; :func:`bearer` reads the header itself."""


def api_user(role: str) -> Callable[..., User]:
    """A FastAPI dependency: the caller, who must have ``role``; CSRF checked for cookie writes."""

    def dependency(request: Request, _: Annotated[HTTPAuthorizationCredentials | None, Security(BEARER)]) -> User:
        user = current_user(request)
        if user is None:
            raise error("E903")
        if not user.can(role):
            raise error("E902", role=role, current=user.role)
        if request.method not in SAFE_METHODS and bearer(request) is None:
            check_csrf(request, request.headers.get("x-csrf-token"))
        return user

    dependency.__name__ = f"require_{role}"
    return dependency


def require(request: Request, role: str) -> User:
    """For pages: the signed-in user with ``role`` (E903 when nobody is signed in)."""
    user = current_user(request) if bearer(request) is None else None
    if user is None:
        raise error("E903")
    if not user.can(role):
        raise error("E902", role=role, current=user.role)
    return user
