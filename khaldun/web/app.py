"""Build the workbench application: one FastAPI app serving the API, the pages and the static files."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from importlib.resources import files
from typing import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from khaldun import __version__
from khaldun.errors import KhaldunError, error
from khaldun.pipeline import Pipeline
from khaldun.store import open_store
from khaldun.store.users import secret_key
from khaldun.web import api, pages
from khaldun.web.errors import error_body, status_of
from khaldun.web.jobs import UploadJobs
from khaldun.web.state import DEFAULT_MAX_UPLOAD, Workbench

TILE_ENV = "KHALDUN_TILE_URL"
"""A tile URL template (``https://tile.example.org/{z}/{x}/{y}.png``) for users with internet."""

UPLOAD_PATHS = ("/api/reports",)


def create_app(db_url: str | None = None, *, pipeline: Pipeline | None = None, tile_url: str | None = None,
               max_upload: int = DEFAULT_MAX_UPLOAD, secure_cookies: bool = False) -> FastAPI:
    """The workbench over the store at ``db_url`` (same forms as ``--db``; migrated on open).

    ``pipeline`` is the extraction pipeline for uploads (default: khaldun's, loaded on the
    first upload). ``tile_url`` (default ``$KHALDUN_TILE_URL``) adds a tile layer under the
    offline country outlines. ``max_upload`` bounds one upload request, in bytes.
    """
    store = open_store(db_url)
    bench = Workbench(store=store, jobs=UploadJobs(store, pipeline), tile_url=tile_url or os.environ.get(TILE_ENV),
                      max_upload=max_upload)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        bench.jobs.shutdown()
        store.close()

    app = FastAPI(title="khaldun", version=__version__, lifespan=lifespan,
                  description="Conflict events extracted from news reports: read, review, upload. "
                              "Authenticate with `Authorization: Bearer TOKEN` (POST /api/token).")
    app.state.workbench = bench
    app.add_middleware(SessionMiddleware, secret_key=secret_key(store), session_cookie="khaldun_session",
                       same_site="lax", https_only=secure_cookies, max_age=14 * 24 * 3600)
    app.middleware("http")(_upload_limit(max_upload))
    app.add_exception_handler(KhaldunError, _coded)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(files("khaldun.web") / "static")), name="static")
    return app


def _upload_limit(limit: int) -> Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]:
    """Refuse an upload whose declared size is over the limit before reading a byte of it."""

    async def middleware(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if request.url.path in UPLOAD_PATHS:
            declared = request.headers.get("content-length", "")
            # multipart framing adds a little to the files themselves
            if declared.isdigit() and int(declared) > limit + 64 * 1024:
                return JSONResponse(error_body(error("E907", limit=limit)), status_code=413)
        return await call_next(request)

    return middleware


async def _coded(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, KhaldunError)
    return JSONResponse(error_body(exc), status_code=status_of(exc))


async def _invalid(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors())
    return JSONResponse(error_body(error("E900", reason=problems[:1000])), status_code=422)
