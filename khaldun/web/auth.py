"""Who is asking: a bearer token (scripts) or a signed session cookie (the pages), and may they?

The session cookie is signed (itsdangerous, through Starlette's ``SessionMiddleware``)
and holds the user id and a CSRF token. Requests authenticated by the cookie that change
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

from khaldun.errors import error
from khaldun.store.users import User, get_user, user_for_token
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
    """The user of a bearer token, else of the session cookie, else None."""
    store = workbench(request).store
    token = bearer(request)
    if token is not None:
        return user_for_token(store, token)
    user_id = request.session.get("user_id")
    return get_user(store, user_id) if isinstance(user_id, int) else None


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
