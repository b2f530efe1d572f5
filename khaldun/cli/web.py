"""``khaldun serve`` and ``khaldun user``: run the analyst workbench and manage its accounts.

Both are thin: ``serve`` hands :func:`khaldun.web.create_app` to uvicorn, ``user`` calls
:mod:`khaldun.store.users`. Passwords are prompted (hidden, twice) unless given with
``--password-stdin``, so they never land in the shell history.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

import click

from khaldun.cli.store import _open, db_option
from khaldun.errors import KhaldunError
from khaldun.store import Store
from khaldun.store.users import (MAX_TOKEN_DAYS, TOKEN_DAYS, User, create_user, issue_token, list_tokens, list_users,
                                 revoke_token, set_active, set_password)
from khaldun.store.web_models import ROLES

T = TypeVar("T")


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--tile-url", envvar="KHALDUN_TILE_URL", show_envvar=True, metavar="TEMPLATE",
              help="Map tiles (https://.../{z}/{x}/{y}.png) under the offline country outlines; none by default.")
@click.option("--max-upload", type=click.IntRange(min=1), default=2 * 1024 * 1024, show_default=True,
              help="Largest upload request, in bytes.")
@click.option("--max-expanded", type=click.IntRange(min=1), default=16 * 1024 * 1024, show_default=True,
              help="Largest upload once its .gz files are decompressed, in bytes.")
@click.option("--secure-cookies", is_flag=True, help="Send the session cookie over HTTPS only (behind a TLS proxy).")
def serve_command(db: str | None, host: str, port: int, tile_url: str | None, max_upload: int, max_expanded: int,
                  secure_cookies: bool) -> None:
    """Serve the analyst workbench: the map, timeline, event and review pages, and the JSON API.

    The API is documented at /docs (OpenAPI spec at /openapi.json). Create the first
    account with ``khaldun user add NAME --role admin``. Session cookies are signed with
    $KHALDUN_SECRET_KEY, else the key file $KHALDUN_SECRET_FILE or session.key in the
    user data directory (made on first use, mode 600).

    \b
    Example:
      khaldun serve --db events.db --port 8000
    """
    import uvicorn

    from khaldun.web import create_app

    try:
        app = create_app(db, tile_url=tile_url, max_upload=max_upload, max_expanded=max_expanded,
                         secure_cookies=secure_cookies)
    except KhaldunError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"khaldun workbench on http://{host}:{port}/ ({app.state.workbench.store.url})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info")


@click.group("user")
def user_group() -> None:
    """Manage workbench accounts (viewer, analyst, admin)."""


@user_group.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), default="analyst", show_default=True,
              help="viewer reads; analyst also reviews and uploads; admin also manages accounts.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@click.option("--token", "with_token", is_flag=True, help="Also issue an API token and print it (shown once).")
@click.option("--days", type=click.IntRange(1, MAX_TOKEN_DAYS), default=TOKEN_DAYS, show_default=True,
              help="Days until the --token expires.")
@db_option
def user_add(username: str, role: str, password_stdin: bool, with_token: bool, days: int, db: str | None) -> None:
    """Create an account; the first one should be an admin.

    \b
    Example:
      khaldun user add ana --role admin --db events.db
    """
    password = _password(password_stdin)

    def add(store: Store) -> tuple[User, str | None]:
        user = create_user(store, username, password, role)
        return user, issue_token(store, user.id, "cli", days) if with_token else None

    user, token = _in_store(db, add)
    click.echo(f"created {user.role} {user.username!r}")
    if token:
        click.echo(f"API token (shown once): {token}")


@user_group.command("list")
@db_option
def user_list(db: str | None) -> None:
    """List the accounts, their roles and whether they are disabled.

    \b
    Example:
      khaldun user list --db events.db
    """
    for user in _in_store(db, list_users):
        click.echo(f"{user.username}\t{user.role}" + ("" if user.active else "\tdisabled"))


@user_group.command("disable")
@click.argument("username")
@db_option
def user_disable(username: str, db: str | None) -> None:
    """Disable an account: it cannot sign in, its sessions end and its API tokens are revoked.

    \b
    Example:
      khaldun user disable ana --db events.db
    """
    _switch(username, db, active=False)


@user_group.command("enable")
@click.argument("username")
@db_option
def user_enable(username: str, db: str | None) -> None:
    """Enable a disabled account again (it needs new API tokens).

    \b
    Example:
      khaldun user enable ana --db events.db
    """
    _switch(username, db, active=True)


@user_group.command("passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the new password from the first line of stdin.")
@db_option
def user_passwd(username: str, password_stdin: bool, db: str | None) -> None:
    """Set an account's password; every session it had ends (API tokens stay: revoke them apart).

    \b
    Example:
      khaldun user passwd ana --db events.db
    """
    password = _password(password_stdin)
    user = _in_store(db, set_password, username, password)
    click.echo(f"password changed for {user.username!r}; its sessions are ended")


@user_group.group("token")
def token_group() -> None:
    """List and revoke API tokens."""


@token_group.command("list")
@click.option("--user", "username", metavar="NAME", help="Only this account's tokens.")
@db_option
def token_list(username: str | None, db: str | None) -> None:
    """List API tokens: id, account, name, created, expires (never the tokens themselves).

    \b
    Example:
      khaldun user token list --user ana --db events.db
    """
    for token in _in_store(db, list_tokens, username):
        state = "expired" if token.expired else "expires"
        click.echo(f"{token.id}\t{token.username}\t{token.name}\tcreated {token.created_at:%Y-%m-%d %H:%M}"
                   f"\t{state} {token.expires_at:%Y-%m-%d %H:%M}")


@token_group.command("revoke")
@click.argument("token_id")
@db_option
def token_revoke(token_id: str, db: str | None) -> None:
    """Revoke an API token by the id 'khaldun user token list' shows; it stops working at once.

    \b
    Example:
      khaldun user token revoke 3f2a9c1b07d4 --db events.db
    """
    token = _in_store(db, revoke_token, token_id)
    click.echo(f"revoked token {token.id} ({token.username}, {token.name!r})")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def _switch(username: str, db: str | None, *, active: bool) -> None:
    user = _in_store(db, set_active, username, active)
    click.echo(f"{'enabled' if active else 'disabled'} {user.username!r}")


def _in_store(db: str | None, function: Callable[..., T], *args: object) -> T:
    """Open the store and run ``function(store, *args)``: a coded error becomes click's one-line error (exit 1)."""
    with _open(db) as store:
        try:
            return function(store, *args)
        except KhaldunError as exc:
            raise click.ClickException(str(exc)) from None
