"""The JSON API under ``/api``: events, timeline, control, review, uploads, accounts, export.

Every endpoint but ``POST /api/token`` needs a user: a bearer token, or the session cookie
of the pages (with the CSRF header for changes). Viewers read; analysts review and
upload; admins also manage accounts. Errors are ``{"error": {"code", "message"}}`` with
the status of :mod:`khaldun.web.errors`.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import re
import tempfile
import zlib
from pathlib import Path
from urllib.parse import quote
from collections.abc import Callable
from typing import Annotated, Literal, TypeVar

from fastapi import APIRouter, Depends, File, Form, Path as PathParam, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile as ReceivedFile
from sqlalchemy import Connection, select

from khaldun.errors import KhaldunError, error
from khaldun.export import write_csv
from khaldun.export.geojson import write_geojson
from khaldun.export.parquet import write_parquet
from khaldun.ingest import ReadOptions, read_paths
from khaldun.schema import Report
from khaldun.store.control import ControlPeriod, control_at
from khaldun.store.db import Store
from khaldun.store.decisions import Conflict, resolve
from khaldun.store.models import REVIEW_STATUSES, EventRow
from khaldun.store.query import get_event
from khaldun.store import search
from khaldun.store.records import StoredEvent
from khaldun.store import review
from khaldun.store.users import User, create_user, issue_token, list_users, token_details
from khaldun.web.auth import api_user, check_password
from khaldun.web.jobs import Job
from khaldun.web.models import (ERRORS, MAX_PAGE, BulkRequest, BulkResult, EditRequest, EventDetail, EventList,
                                EventSummary, Facets, MapData, MergeRequest, ReasonRequest, SourceDetail, SplitRequest,
                                Timeline, TimelineDay, TokenRequest, TokenResponse, UserCreate)
from khaldun.web.state import workbench

router = APIRouter(prefix="/api", responses=ERRORS)
Viewer = Annotated[User, Depends(api_user("viewer"))]
Analyst = Annotated[User, Depends(api_user("analyst"))]
Admin = Annotated[User, Depends(api_user("admin"))]
EXPAND_CHUNK = 64 * 1024
T = TypeVar("T")


class EventFilters:
    """The filters the map, the timeline, the list and the export share, as query parameters."""

    def __init__(self, since: dt.date | None = None, until: dt.date | None = None,
                 country: Annotated[str | None, Query(max_length=200)] = None,
                 event_type: Annotated[str | None, Query(max_length=200)] = None,
                 actor: Annotated[str | None, Query(max_length=200)] = None,
                 review_status: Literal["unreviewed", "accepted", "rejected", "edited"] | None = None,
                 source: Annotated[str | None, Query(max_length=200)] = None,
                 q: Annotated[str | None, Query(max_length=200, description="Full-text search: notes, actors, "
                                                "places, outlets, ids (every word, as a prefix)")] = None,
                 flagged: Annotated[bool | None, Query(description="Only events whose locked fields new evidence "
                                                       "disagrees with (true), or only the others (false)")] = None,
                 ) -> None:
        self.since, self.until, self.country, self.event_type = since, until, country, event_type
        self.actor, self.review_status, self.source, self.q, self.flagged = actor, review_status, source, q, flagged

    def query(self) -> search.EventQuery:
        return search.EventQuery(since=self.since, until=self.until, country=self.country or None,
                                 event_type=self.event_type or None, actor=self.actor or None,
                                 review_status=self.review_status, source=self.source or None, q=self.q or None,
                                 flagged=self.flagged)

    def load(self, conn: Connection) -> list[StoredEvent]:
        return search.load(conn, self.query())


Filters = Annotated[EventFilters, Depends()]


@router.post("/token", response_model=TokenResponse, tags=["accounts"])
def create_token(request: Request, body: TokenRequest) -> TokenResponse:
    """Exchange a user name and password for an API token (shown once; send it as ``Authorization: Bearer``).

    The token expires after ``days`` (90 by default). Failed attempts count towards the
    sign-in lockout (429 with ``Retry-After``), as on the sign-in page.
    """
    store = workbench(request).store
    user = check_password(request, body.username, body.password)
    token = issue_token(store, user.id, body.name, body.days)
    details = token_details(store, token)
    assert details is not None  # just issued
    return TokenResponse(token=token, user=user, expires_at=details.expires_at)


@router.get("/me", response_model=User, tags=["accounts"])
def me(user: Viewer) -> User:
    """The account the token or session belongs to."""
    return user


@router.get("/users", response_model=list[User], tags=["accounts"])
def users(request: Request, _: Admin) -> list[User]:
    """Every account (admins only)."""
    return list_users(workbench(request).store)


@router.post("/users", response_model=User, status_code=201, tags=["accounts"])
def add_user(request: Request, body: UserCreate, _: Admin) -> User:
    """Create an account with a role (admins only)."""
    return create_user(workbench(request).store, body.username, body.password, body.role)


@router.get("/events", response_model=EventList, tags=["events"])
def events(request: Request, filters: Filters, _: Viewer,
           limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
           offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
           sort: Literal[search.SORTABLE] = "event_date",  # type: ignore[valid-type]
           order: Literal["asc", "desc"] = "asc") -> EventList:
    """A page of merged events matching the filters and the search, sorted; ``count`` is the total."""
    with workbench(request).store.read() as conn:
        query = filters.query()
        total = search.count(conn, query)
        rows = search.page(conn, query, sort=sort, descending=order == "desc", limit=limit, offset=offset)
    following = offset + len(rows)
    return EventList(count=total, limit=limit, offset=offset, next_offset=following if following < total else None,
                     events=[summary_row(r) for r in rows])


@router.get("/events/{event_id}", response_model=EventDetail, tags=["events"],
            responses={307: {"description": "The event was merged into another: its address"}})
def event_detail(request: Request, event_id: str, _: Viewer) -> Response | EventDetail:
    """Every field of an event, each report merged into it with its supporting words, and its history.

    An id merged into another event answers 307 with the surviving event's address.
    """
    store = workbench(request).store
    target = surviving(store, event_id)
    if target != event_id:
        return RedirectResponse(f"/api/events/{quote(target, safe='')}", status_code=307)
    return detail(store, event_id)


@router.get("/timeline", response_model=Timeline, tags=["events"])
def timeline(request: Request, filters: Filters, _: Viewer,
             unit: Literal["day", "week", "month"] | None = None) -> Timeline:
    """Events per day, week or month (by default, whichever keeps the bars readable), by event type."""
    def compute(conn: Connection) -> Timeline:
        chosen, types, buckets = search.timeline(conn, filters.query(), unit)
        return Timeline(unit=chosen, types=types, days=[TimelineDay(date=d, counts=c) for d, c in buckets])

    return cached(request, ("timeline", str(request.query_params), unit), compute)


@router.get("/map", response_model=MapData, tags=["events"])
def map_data(request: Request, filters: Filters, _: Viewer, zoom: Annotated[int, Query(ge=0, le=18)] = 3,
             bbox: Annotated[str | None, Query(max_length=200, description="west,south,east,north")] = None
             ) -> MapData:
    """What the map draws: every event in the view when they are few, else counts per grid cell (by type)."""
    bounds = None
    if bbox:
        try:
            west, south, east, north = (float(v) for v in bbox.split(","))
        except ValueError:
            raise error("E900", reason=f"bbox: expected west,south,east,north, got {bbox[:60]!r}") from None
        bounds = (max(-540.0, west), max(-90.0, south), min(540.0, east), min(90.0, north))
        if bounds[2] - bounds[0] >= 360:
            bounds = (-180.0, bounds[1], 180.0, bounds[3])
    def compute(conn: Connection) -> MapData:
        view = search.map_view(conn, filters.query(), zoom, bounds)
        return MapData(mode=view.mode, total=view.total, unplaced=view.unplaced, points=view.points, cells=view.cells)

    return cached(request, ("map", str(request.query_params), zoom, bounds), compute)


@router.get("/facets", response_model=Facets, tags=["events"])
def facets(request: Request, _: Viewer) -> Facets:
    """The countries, types, outlets and actors present (the 500 most frequent), and the date range."""
    return cached(request, ("facets",),
                  lambda conn: Facets(review_statuses=list(REVIEW_STATUSES), **search.facets(conn)))


@router.get("/control", response_model=list[ControlPeriod], tags=["events"])
def control(request: Request, at: dt.date, _: Viewer,
            country: Annotated[str | None, Query(max_length=200)] = None) -> list[ControlPeriod]:
    """Who held each place on a date, with the evidence; ``country`` keeps that country's places."""
    periods = control_at(workbench(request).store, at)
    return [p for p in periods if not country or p.country == country]


@router.post("/events/{event_id}/accept", response_model=review.Change, tags=["review"])
def accept(request: Request, event_id: str, body: ReasonRequest, user: Analyst) -> review.Change:
    """Mark an event accepted."""
    return review.set_status(workbench(request).store, event_id, "accepted", user.username, body.reason)


@router.post("/events/{event_id}/reject", response_model=review.Change, tags=["review"])
def reject(request: Request, event_id: str, body: ReasonRequest, user: Analyst) -> review.Change:
    """Mark an event rejected (kept, but out of reviewed exports)."""
    return review.set_status(workbench(request).store, event_id, "rejected", user.username, body.reason)


@router.patch("/events/{event_id}", response_model=review.Change, tags=["review"])
def edit(request: Request, event_id: str, body: EditRequest, user: Analyst) -> review.Change:
    """Change fields of an event, with a reason; the event becomes ``edited``."""
    return review.edit(workbench(request).store, event_id, dict(body.changes), user.username, body.reason)


@router.post("/events/{event_id}/merge", response_model=review.Change, tags=["review"])
def merge(request: Request, event_id: str, body: MergeRequest, user: Analyst) -> review.Change:
    """Merge other events into this one."""
    return review.merge(workbench(request).store, event_id, body.other_ids, user.username, body.reason)


@router.post("/events/{event_id}/split", response_model=review.Change, tags=["review"])
def split(request: Request, event_id: str, body: SplitRequest, user: Analyst) -> review.Change:
    """Take one report's event out of this event, as an event of its own."""
    return review.split(workbench(request).store, event_id, body.document_id, body.position, user.username,
                        body.reason)


@router.post("/changes/{change_id}/revert", response_model=review.Change, tags=["review"])
def revert(request: Request, change_id: Annotated[int, PathParam(ge=1, le=2**62)], body: ReasonRequest,
           user: Analyst) -> review.Change:
    """Undo a change (refused with 409 if the events changed since)."""
    return review.revert(workbench(request).store, change_id, user.username, body.reason)


@router.post("/reports", response_model=Job, status_code=202, tags=["uploads"])
async def upload(request: Request, user: Analyst,
                 files: Annotated[list[UploadFile] | None,
                                  File(description="Reports: text, HTML or JSON Lines")] = None,
                 text: Annotated[str | None, Form(max_length=2_000_000)] = None,
                 publication_date: Annotated[dt.date | None, Form()] = None,
                 language: Annotated[Literal["fr", "en"] | None, Form()] = None,
                 source: Annotated[str | None, Form(max_length=200)] = None) -> Job:
    """Queue reports for extraction (pasted text and/or files); poll ``/api/jobs/{id}`` for progress."""
    bench = workbench(request)
    options = ReadOptions(publication_date=publication_date, language=language, source=source or None)
    items: list[Report | KhaldunError] = []
    size = 0
    if text and text.strip():
        size += len(text.encode())
        items.append(pasted_report(text, options))
    uploads = [f for f in files or [] if isinstance(f, ReceivedFile)]  # FastAPI hands Starlette's class
    contents = []
    for part in uploads:
        data = await part.read(bench.max_upload + 1)
        size += len(data)
        if size > bench.max_upload:
            raise error("E907", limit=bench.max_upload)
        contents.append((part.filename or "upload.txt", data))
    if size > bench.max_upload:
        raise error("E907", limit=bench.max_upload)
    items += read_uploads(expand_all(contents, bench.max_expanded), options)
    if not items:
        raise error("E915")
    if all(isinstance(item, KhaldunError) for item in items):
        # nothing readable: say why now rather than queue a job that can only fail
        raise next(item for item in items if isinstance(item, KhaldunError))
    return bench.jobs.submit(items)


@router.get("/jobs/{job_id}", response_model=Job, tags=["uploads"])
def job(request: Request, job_id: str, _: Analyst) -> Job:
    """Progress of an upload: reports done out of the total, outcomes, events found."""
    found = workbench(request).jobs.get(job_id)
    if found is None:
        raise error("E908", job_id=job_id)
    return found


@router.post("/review/bulk", response_model=BulkResult, tags=["review"])
def bulk_review(request: Request, filters: Filters, body: BulkRequest, user: Analyst) -> BulkResult:
    """Accept or reject every event the filters select (at most ``limit``), with one reason; one change each."""
    changes = review.bulk_status(workbench(request).store, filters.query(), body.action, user.username, body.reason,
                                 body.limit)
    return BulkResult(count=len(changes), change_ids=[c.id for c in changes])


@router.get("/export", tags=["events"], response_class=Response,
            responses={200: {"content": {"text/csv": {}, "application/geo+json": {},
                                         "application/vnd.apache.parquet": {}}}})
def export(request: Request, filters: Filters, _: Viewer, format: Literal["csv", "geojson", "parquet"] = "csv",
           reviewed: bool = False) -> Response:
    """The filtered events as ACLED-ordered CSV, GeoJSON or Parquet; ``reviewed=true`` keeps accepted and edited ones."""
    with workbench(request).store.read() as conn:
        found = filters.load(conn)
    if reviewed:
        found = [e for e in found if e.review_status in review.REVIEWED]
    headers = {"Content-Disposition": f'attachment; filename="khaldun-events.{format}"'}
    if format == "parquet":
        binary = io.BytesIO()
        write_parquet(found, binary, record=StoredEvent)
        return Response(binary.getvalue(), media_type="application/vnd.apache.parquet", headers=headers)
    out = io.StringIO()
    (write_csv if format == "csv" else write_geojson)(found, out)
    media = "text/csv" if format == "csv" else "application/geo+json"
    return Response(out.getvalue(), media_type=media, headers=headers)


ANSWERS = search.AnswerCache()


def cached(request: Request, key: tuple[object, ...], compute: Callable[[Connection], T]) -> T:
    """``compute``'s answer, reused while the store's data version is unchanged (aggregates over every event)."""
    store = workbench(request).store
    with store.read() as conn:
        full = (store.url, search.data_version(conn), *key)
        found = ANSWERS.get(full)
        if found is None:
            found = compute(conn)
            ANSWERS.put(full, found)
    return found


def summary_row(row: dict[str, object]) -> EventSummary:
    values = {name: row[name] for name in EventSummary.model_fields if name in row}
    return EventSummary(**values, flagged=row.get("conflicts") is not None)


def surviving(store: Store, event_id: str) -> str:
    """The event id itself if it exists, else the event it was merged into (E706 when neither)."""
    with store.read() as conn:
        if conn.execute(select(EventRow.id).where(EventRow.id == event_id)).first():
            return event_id
        target = resolve(conn, event_id)
    if target is None:
        raise error("E706", event_id=event_id)
    return target


def detail(store: Store, event_id: str) -> EventDetail:
    """An event with each source's evidence and text, its conflicts and review history (E706 if unknown)."""
    with store.read() as conn:
        event = get_event(conn, event_id)
        if event is None:
            raise error("E706", event_id=event_id)
        sources = [SourceDetail(ref=ref, evidence=review.source_evidence(conn, ref.document_id, ref.position),
                                text=review.report_text(conn, ref.document_id)) for ref in event.sources]
        flagged = conn.execute(select(EventRow.conflicts).where(EventRow.id == event_id)).scalar()
        return EventDetail(event=event, sources=sources, history=review.history(conn, event_id),
                           conflicts=[Conflict(**c) for c in json.loads(flagged or "[]")])


def pasted_report(text: str, options: ReadOptions) -> Report | KhaldunError:
    """A report pasted in the upload form; its id is a digest of the text, so pasting twice is idempotent."""
    origin = "pasted-" + hashlib.sha256(text.encode()).hexdigest()[:12]
    if options.publication_date is None:
        return error("E106", origin=origin)
    return Report(id=origin, text=text, publication_date=options.publication_date, language=options.language,
                  source=options.source, origin=origin)


def expand_all(contents: list[tuple[str, bytes]], limit: int) -> list[tuple[str, bytes]]:
    """Gunzip the ``.gz`` uploads here, at most ``limit`` bytes out for the whole request (E922 beyond).

    A few hundred kilobytes of gzip can hold gigabytes of text: the readers would gunzip it
    whole, so the server reads it first, a chunk at a time, and stops at the limit.
    """
    budget = limit
    expanded = []
    for name, data in contents:
        name, data = _gunzip(name, data, budget, limit)
        budget -= len(data)
        if budget < 0:
            raise error("E922", limit=limit)
        expanded.append((name, data))
    return expanded


def _gunzip(name: str, data: bytes, budget: int, limit: int) -> tuple[str, bytes]:
    """``name`` without its ``.gz`` suffixes and the bytes they held; bad gzip is left for the reader to report."""
    while name.lower().endswith(".gz"):
        out = bytearray()
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
                while chunk := stream.read(EXPAND_CHUNK):
                    out += chunk
                    if len(out) > budget:
                        raise error("E922", limit=limit)
        except (OSError, EOFError, zlib.error):
            return name, data
        name, data = name[:-3], bytes(out)
    return name, data


def read_uploads(contents: list[tuple[str, bytes]], options: ReadOptions) -> list[Report | KhaldunError]:
    """Uploaded files read by the same readers as ``khaldun ingest`` (by their suffix)."""
    items: list[Report | KhaldunError] = []
    with tempfile.TemporaryDirectory(prefix="khaldun-upload-") as folder:
        for n, (name, data) in enumerate(contents):
            safe = re.sub(r"[^A-Za-z0-9._-]", "_", Path(name).name).lstrip(".")[-100:] or "upload.txt"
            target = Path(folder) / str(n) / safe
            target.parent.mkdir()
            target.write_bytes(data)
            for item in read_paths([target], options):
                if isinstance(item, Report):
                    item = item.model_copy(update={"origin": safe})
                items.append(item)
    return items
