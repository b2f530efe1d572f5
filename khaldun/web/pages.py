"""The pages: sign-in, the map with its timeline, the event page with review forms, uploads.

Pages read through the same functions as the API; the map and upload pages are thin
HTML shells whose scripts call the API with the session cookie and the CSRF header.
Review forms post here (with the CSRF field) and redirect back to the event page.
"""

from __future__ import annotations

import datetime as dt
from importlib.resources import files
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from khaldun.errors import KhaldunError, error
from khaldun.store import review
from khaldun.store.db import Store
from khaldun.store.review import EDITABLE_FIELDS, EvidenceSpan
from khaldun.store.users import User
from khaldun.store import search
from khaldun.store.search import EventQuery
from khaldun.web.api import detail, surviving
from khaldun.web.models import BULK_MAX
from khaldun.web.models import EventDetail
from khaldun.web.auth import check_csrf, check_password, csrf_token, current_user, require, sign_in, sign_out
from khaldun.web.errors import headers_of, status_of
from khaldun.web.state import workbench

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(files("khaldun.web") / "templates"))
Field = Annotated[str, Form(max_length=10_000)]
SENTENCE = "sentence"
"""The evidence 'field' naming the whole sentence an event was read from: shaded, not labelled."""


def render(request: Request, name: str, user: User | None, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"user": user, "csrf": csrf_token(request), **context},
                                      status_code=status_code)


def refused(request: Request, exc: KhaldunError) -> Response:
    """Nobody signed in: to the sign-in page; anything else: an error page with the code's status."""
    if exc.code == "E903":
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    return render(request, "error.html", current_user(request), status_of(exc), error=exc)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "login.html", None, next=_local(next))


@router.post("/login")
def login(request: Request, username: Field, password: Field, csrf_token: Field = "", next: Field = "/") -> Response:
    try:
        check_csrf(request, csrf_token)
        user = check_password(request, username, password)
    except KhaldunError as exc:
        page = render(request, "login.html", None, status_of(exc), next=_local(next), error=exc)
        page.headers.update(headers_of(exc))
        return page
    sign_in(request, user)
    return RedirectResponse(_local(next), status_code=303)


@router.post("/logout")
def logout(request: Request, csrf_token: Field = "") -> Response:
    try:
        check_csrf(request, csrf_token)
    except KhaldunError as exc:
        return refused(request, exc)
    sign_out(request)
    return RedirectResponse("/login", status_code=303)


@router.get("/", response_class=HTMLResponse)
def map_page(request: Request) -> Response:
    try:
        user = require(request, "viewer")
    except KhaldunError as exc:
        return refused(request, exc)
    return render(request, "map.html", user, tile_url=workbench(request).tile_url or "")


@router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request) -> HTMLResponse:
    """The API documentation, drawn from ``/openapi.json`` by a local script: it works offline."""
    return render(request, "docs.html", current_user(request))


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request) -> Response:
    try:
        user = require(request, "analyst")
    except KhaldunError as exc:
        return refused(request, exc)
    return render(request, "upload.html", user, max_upload=workbench(request).max_upload)


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str, message: str = "") -> Response:
    try:
        user = require(request, "viewer")
        target = surviving(workbench(request).store, event_id)
        if target != event_id:
            return RedirectResponse(f"/events/{quote(target, safe='')}?message={quote(f'{event_id} was merged into this event')}",
                                    status_code=303)
        found = detail(workbench(request).store, event_id)
    except KhaldunError as exc:
        return refused(request, exc)
    return _event(request, user, found, message=message[:200])


QUEUE_FILTERS = ("since", "until", "country", "event_type", "actor", "source", "q")


def _queue_query(request: Request) -> tuple[EventQuery, str, dict[str, str]]:
    """The queue's selection from the query string: unreviewed (or flagged) events, the filters, the order."""
    params = {k: request.query_params.get(k, "")[:200] for k in QUEUE_FILTERS}
    params = {k: v for k, v in params.items() if v.strip()}
    dates = {}
    for name in ("since", "until"):
        if name in params:
            try:
                dates[name] = dt.date.fromisoformat(params[name])
            except ValueError:
                raise error("E900", reason=f"{name}: not a date: {params[name]!r}") from None
    flagged = request.query_params.get("flagged") == "true"
    order = request.query_params.get("order", "confidence")
    order = order if order in {"confidence", "event_date"} else "confidence"
    query = EventQuery(since=dates.get("since"), until=dates.get("until"), country=params.get("country"),
                       event_type=params.get("event_type"), actor=params.get("actor"), source=params.get("source"),
                       q=params.get("q"), review_status=None if flagged else "unreviewed", flagged=True if flagged else None)
    if flagged:
        params["flagged"] = "true"
    params["order"] = order
    return query, order, params


@router.get("/review", response_class=HTMLResponse)
def queue_page(request: Request, message: str = "") -> Response:
    """The review queue: what is left to review for the filters, a bulk decision, and one-by-one review."""
    try:
        user = require(request, "viewer")
        query, order, params = _queue_query(request)
        with workbench(request).store.read() as conn:
            total = search.count(conn, query)
            rows = search.page(conn, query, sort=order, limit=50)
    except KhaldunError as exc:
        return refused(request, exc)
    return render(request, "queue.html", user, params=params, total=total, rows=rows, order=order,
                  query=urlencode(params), message=message[:200])


@router.get("/review/item", response_class=HTMLResponse)
def queue_item(request: Request, i: int = 0, message: str = "") -> Response:
    """One event of the queue, with previous/next and keyboard shortcuts; decisions come back here."""
    try:
        user = require(request, "viewer")
        query, order, params = _queue_query(request)
        store = workbench(request).store
        with store.read() as conn:
            chosen = search.ids(conn, query, sort=order)
        if not chosen:
            return RedirectResponse(f"/review?{urlencode(params)}&message={quote('nothing left to review')}",
                                    status_code=303)
        i = max(0, min(i, len(chosen) - 1))
        found = detail(store, chosen[i])
    except KhaldunError as exc:
        return refused(request, exc)
    here = f"/review/item?{urlencode({**params, 'i': i})}"
    nav = {"position": i + 1, "total": len(chosen), "here": here, "list": f"/review?{urlencode(params)}",
           "previous": f"/review/item?{urlencode({**params, 'i': i - 1})}" if i > 0 else None,
           "next": f"/review/item?{urlencode({**params, 'i': i + 1})}" if i + 1 < len(chosen) else None}
    return _event(request, user, found, message=message[:200], queue=nav)


@router.post("/review/bulk")
def queue_bulk(request: Request, action: Field, reason: Field, csrf_token: Field = "", query: Field = "") -> Response:
    """Accept or reject every event of the queue's selection with one reason (one change per event)."""
    try:
        user = require(request, "analyst")
        check_csrf(request, csrf_token)
        if action not in {"accept", "reject"}:
            raise error("E914", action=action, reason="unknown bulk action")
        scope = Request({**request.scope, "query_string": query.encode()})
        selection, _, params = _queue_query(scope)
        changes = review.bulk_status(workbench(request).store, selection, action, user.username, reason, BULK_MAX)
    except KhaldunError as exc:
        if exc.code in {"E903", "E902", "E912"}:
            return refused(request, exc)
        return RedirectResponse(f"/review?{query}&message={quote(f'{exc.code}: {exc.message}'[:200])}",
                                status_code=303)
    told = f"{action}: {len(changes)} event{'' if len(changes) == 1 else 's'}"
    return RedirectResponse(f"/review?{urlencode(params)}&message={quote(told)}", status_code=303)


@router.post("/events/{event_id}/review")
def review_action(request: Request, event_id: str, action: Field, csrf_token: Field = "", reason: Field = "",
                  field: Field = "", value: Field = "", other_id: Field = "", source: Field = "",
                  change_id: Field = "", next: Field = "") -> Response:
    """One form for every review action; errors come back on the event page with their status."""
    store = workbench(request).store
    try:
        user = require(request, "analyst")
        check_csrf(request, csrf_token)
        if action in {"accept", "reject"}:
            review.set_status(store, event_id, f"{action}ed", user.username, reason)
        elif action == "edit":
            review.edit(store, event_id, {field: value}, user.username, reason)
        elif action == "merge":
            review.merge(store, event_id, [i.strip() for i in other_id.split(",") if i.strip()], user.username, reason)
        elif action == "split":
            document_id, _, position = source.rpartition("#")
            if not position.isdigit():
                raise error("E913", event_id=event_id, document_id=document_id, position=position)
            review.split(store, event_id, document_id, int(position), user.username, reason)
        elif action == "revert":
            if not change_id.isdigit():
                raise error("E917", change_id=change_id)
            review.revert(store, int(change_id), user.username, reason)
        else:
            raise error("E914", action=action, reason="unknown review action")
    except KhaldunError as exc:
        if exc.code in {"E903", "E902", "E912"}:
            return refused(request, exc)
        try:
            found = detail(store, event_id)
        except KhaldunError:
            return refused(request, exc)
        return _event(request, current_user(request), found, error=exc, status_code=status_of(exc))
    if next.startswith("/review/item?") and "\\" not in next:
        return RedirectResponse(f"{_local(next)}&message={quote(action + ' saved')}", status_code=303)
    target = event_id if _exists(store, event_id) else ""
    return RedirectResponse(f"/events/{quote(target)}?message={quote(action + ' saved')}" if target else "/",
                            status_code=303)


def _event(request: Request, user: User | None, found: EventDetail, status_code: int = 200,
           **context: Any) -> HTMLResponse:
    sources = [{"ref": s.ref, "evidence": s.evidence, "segments": highlight(s.text, s.evidence) if s.text else None}
               for s in found.sources]
    fields = found.event.model_dump(mode="json", exclude={"sources", "evidence", "merge_notes"})
    support: dict[str, list[str]] = {}
    for source in found.sources:
        for span in source.evidence:
            if span.field != SENTENCE and span.text not in support.setdefault(span.field, []):
                support[span.field].append(span.text)
    context.setdefault("queue", None)
    return render(request, "event.html", user, status_code, event=found.event, fields=fields, sources=sources,
                  conflicts=found.conflicts,
                  support=support, history=found.history, editable=EDITABLE_FIELDS, sentence=SENTENCE,
                  values={k: fields.get(k) for k in EDITABLE_FIELDS if k in fields}, **context)


def highlight(text: str, spans: list[EvidenceSpan]) -> list[tuple[str, list[str]]]:
    """The text cut into pieces, each with the fields whose evidence covers it (overlaps allowed)."""
    valid = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in valid), *(s.end for s in valid)})
    pieces = []
    for start, end in zip(cuts, cuts[1:]):
        fields = sorted({s.field for s in valid if s.start <= start and end <= s.end})
        pieces.append((text[start:end], fields))
    return pieces


def _exists(store: Store, event_id: str) -> bool:
    try:
        detail(store, event_id)
    except KhaldunError:
        return False
    return True


def _local(target: str) -> str:
    """Only redirect within this site after signing in (an open redirect would help phishing)."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"
