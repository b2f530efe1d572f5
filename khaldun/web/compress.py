"""Gzip the API's JSON and the static files, never the pages.

An event list or a map answer is mostly repeated keys and names: gzip cuts it by five
to ten times. Pages are left alone: they carry the CSRF token next to text a visitor
can influence, the combination compression attacks (BREACH) need.
"""

from __future__ import annotations

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

COMPRESSED_PREFIXES = ("/api/", "/static/", "/openapi.json")
MINIMUM_SIZE = 1024


class CompressData:
    """Starlette's gzip for the API and static files (when the client accepts it), plain for everything else."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=MINIMUM_SIZE, compresslevel=6)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(COMPRESSED_PREFIXES):
            await self.gzip(scope, receive, send)
        else:
            await self.app(scope, receive, send)
