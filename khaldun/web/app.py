"""Build the workbench application: one FastAPI app serving the API, the pages and the static files."""

from __future__ import annotations

import os
import re
from contextlib import asynccontextmanager
from importlib.resources import files
from typing import AsyncIterator
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from khaldun import __version__
from khaldun.errors import KhaldunError, error
from khaldun.pipeline import Pipeline
from khaldun.store import open_store, search
from khaldun.web import api, pages
from khaldun.web.compress import CompressData
from khaldun.web.errors import error_body, headers_of, status_of
from khaldun.web.jobs import UploadJobs
from khaldun.web.keys import session_key
from khaldun.web.state import DEFAULT_MAX_EXPANDED, DEFAULT_MAX_UPLOAD, Workbench, workbench

TILE_ENV = "KHALDUN_TILE_URL"
"""A tile URL template (``https://tile.example.org/{z}/{x}/{y}.png``) for users with internet."""

UPLOAD_PATHS = ("/api/reports",)
MULTIPART_SLACK = 64 * 1024
"""Room for multipart framing on top of the files themselves."""


def create_app(db_url: str | None = None, *, pipeline: Pipeline | None = None, tile_url: str | None = None,
               max_upload: int = DEFAULT_MAX_UPLOAD, max_expanded: int = DEFAULT_MAX_EXPANDED,
               secure_cookies: bool = False, secret_key: str | None = None) -> FastAPI:
    """The workbench over the store at ``db_url`` (same forms as ``--db``; migrated on open).

    ``pipeline`` is the extraction pipeline for uploads (default: khaldun's, loaded on the
    first upload). ``tile_url`` (default ``$KHALDUN_TILE_URL``) adds a tile layer under the
    offline country outlines. ``max_upload`` bounds one upload request, in bytes, and
    ``max_expanded`` the same once its gzip files are decompressed. ``secret_key`` signs
    the cookies (default: :func:`khaldun.web.keys.session_key`, never the database).
    """
    key = secret_key or session_key()
    store = open_store(db_url)
    tile_url = tile_url or os.environ.get(TILE_ENV)
    bench = Workbench(store=store, jobs=UploadJobs(store, pipeline), tile_url=tile_url, max_upload=max_upload,
                      max_expanded=max_expanded)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        with store.read() as conn:
            search.warm(conn)
        yield
        bench.jobs.shutdown()
        store.close()

    app = FastAPI(title="khaldun", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  form_limits={"max_part_size": max_upload + MULTIPART_SLACK},  # E907 comes from the handler
                  description="Conflict events extracted from news reports: read, review, upload. "
                              "Authenticate with `Authorization: Bearer TOKEN` (POST /api/token).")
    app.state.workbench = bench
    app.add_middleware(SessionMiddleware, secret_key=key, session_cookie="khaldun_session",
                       same_site="lax", https_only=secure_cookies, max_age=14 * 24 * 3600)
    app.add_middleware(UploadLimit, limit=max_upload)
    app.add_middleware(SecurityHeaders, tile_url=tile_url, https=secure_cookies)
    app.add_middleware(CompressData)
    app.add_exception_handler(KhaldunError, _coded)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(HTTPException, _http)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(files("khaldun.web") / "static")), name="static")
    return app


class UploadLimit:
    """Refuse an upload over the limit (E907, 413): at once when its declared size is, else when its bytes are.

    Checking the declared size alone would let a chunked request (no Content-Length) stream
    without bound to the temporary files the multipart parser spools to.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in UPLOAD_PATHS:
            await self.app(scope, receive, send)
            return
        bound = self.limit + MULTIPART_SLACK
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > bound:
            await JSONResponse(error_body(error("E907", limit=self.limit)), status_code=413)(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > bound:
                    raise HTTPException(413)  # FastAPI lets HTTPException through body parsing, to _http
            return message

        await self.app(scope, counted, send)


DOCS_PATHS: tuple[str, ...] = ()
"""Pages allowed a looser policy: none since ``/docs`` is khaldun's own page, built from the spec by a local script."""


class SecurityHeaders:
    """Add a strict Content-Security-Policy and the usual protective headers to every response.

    Pages may only run scripts and styles served from here, never inline ones, so text that
    slipped through escaping still cannot run; no page may be framed (clickjacking); the
    browser must not guess content types; URLs (event ids) are not sent to other sites.
    """

    def __init__(self, app: ASGIApp, tile_url: str | None = None, https: bool = False) -> None:
        self.app = app
        images = " ".join(["'self'", *([_image_source(tile_url)] if tile_url else [])])
        self.policy = (f"default-src 'none'; script-src 'self'; style-src 'self'; img-src {images}; "
                       "connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                       "base-uri 'none'; object-src 'none'")
        self.docs_policy = ("default-src 'none'; script-src 'self' https://cdn.jsdelivr.net 'unsafe-inline'; "
                            "style-src 'self' https://cdn.jsdelivr.net 'unsafe-inline'; img-src 'self' data: "
                            "https://fastapi.tiangolo.com; connect-src 'self'; frame-ancestors 'none'; "
                            "base-uri 'none'; object-src 'none'")
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = self.docs_policy if path in DOCS_PATHS else self.policy
                headers["X-Frame-Options"] = "DENY"
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
                headers["Cross-Origin-Opener-Policy"] = "same-origin"
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
                if not path.startswith("/static/") and "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"  # pages and data are per user: no shared caches
                if self.https:
                    headers["Strict-Transport-Security"] = "max-age=31536000"
            await send(message)

        await self.app(scope, receive, with_headers)


def _image_source(tile_url: str) -> str:
    """The CSP source allowing a tile template's images (``{s}.tile.example.org`` → ``*.tile.example.org``)."""
    parts = urlsplit(tile_url)
    scheme = parts.scheme if parts.scheme in {"http", "https"} else "https"
    host = re.sub(r"\{[^}]*\}", "*", parts.netloc)
    if not re.fullmatch(r"(\*\.)?[A-Za-z0-9.-]+(:\d+)?", host):
        return f"{scheme}:"
    return f"{scheme}://{host}"


async def _coded(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, KhaldunError)
    return JSONResponse(error_body(exc), status_code=status_of(exc), headers=headers_of(exc))


async def _invalid(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors())
    return JSONResponse(error_body(error("E900", reason=problems[:1000])), status_code=422)


async def _http(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (unknown path, wrong method, unparsable body) in the coded format."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        coded = error("E919", path=request.url.path)
    elif exc.status_code == 413:
        coded = error("E907", limit=workbench(request).max_upload)
    elif exc.status_code == 405:
        coded = error("E920", method=request.method, path=request.url.path)
    else:
        coded = error("E900", reason=str(exc.detail))
    return JSONResponse(error_body(coded), status_code=exc.status_code, headers=exc.headers)
