"""``khaldun serve`` and ``khaldun user``: run the analyst workbench and manage its accounts.

Both are thin: ``serve`` hands :func:`khaldun.web.create_app` to uvicorn, ``user`` calls
:mod:`khaldun.store.users`. Passwords are prompted (hidden, twice) unless given with
``--password-stdin``, so they never land in the shell history.
"""

from __future__ import annotations

import sys

import click

from khaldun.cli.store import _open, db_option
from khaldun.errors import KhaldunError
from khaldun.store.users import create_user, issue_token, list_users
from khaldun.store.web_models import ROLES


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--tile-url", envvar="KHALDUN_TILE_URL", show_envvar=True, metavar="TEMPLATE",
              help="Map tiles (https://.../{z}/{x}/{y}.png) under the offline country outlines; none by default.")
@click.option("--max-upload", type=click.IntRange(min=1), default=2 * 1024 * 1024, show_default=True,
              help="Largest upload request, in bytes.")
@click.option("--secure-cookies", is_flag=True, help="Send the session cookie over HTTPS only (behind a TLS proxy).")
def serve_command(db: str | None, host: str, port: int, tile_url: str | None, max_upload: int,
                  secure_cookies: bool) -> None:
    """Serve the analyst workbench: the map, timeline, event and review pages, and the JSON API.

    The API is documented at /docs (OpenAPI spec at /openapi.json). Create the first
    account with ``khaldun user add NAME --role admin``.

    \b
    Example:
      khaldun serve --db events.db --port 8000
    """
    import uvicorn

    from khaldun.web import create_app

    try:
        app = create_app(db, tile_url=tile_url, max_upload=max_upload, secure_cookies=secure_cookies)
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
@db_option
def user_add(username: str, role: str, password_stdin: bool, with_token: bool, db: str | None) -> None:
    """Create an account; the first one should be an admin.

    \b
    Example:
      khaldun user add ana --role admin --db events.db
    """
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with _open(db) as store:
        try:
            user = create_user(store, username, password, role)
            token = issue_token(store, user.id, "cli") if with_token else None
        except KhaldunError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"created {user.role} {user.username!r}")
    if token:
        click.echo(f"API token (shown once): {token}")


@user_group.command("list")
@db_option
def user_list(db: str | None) -> None:
    """List the accounts and their roles.

    \b
    Example:
      khaldun user list --db events.db
    """
    with _open(db) as store:
        for user in list_users(store):
            click.echo(f"{user.username}\t{user.role}")
