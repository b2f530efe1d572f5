"""The pages: sign-in, the map with its timeline, the event page with review forms, uploads.

Pages read through the same functions as the API; the map and upload pages are thin
HTML shells whose scripts call the API with the session cookie and the CSRF header.
Review forms post here (with the CSRF field) and redirect back to the event page.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from khaldun.errors import KhaldunError, error
from khaldun.store import review
from khaldun.store.db import Store
from khaldun.store.review import EDITABLE_FIELDS, EvidenceSpan
from khaldun.store.users import User
from khaldun.web.api import detail
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
        found = detail(workbench(request).store, event_id)
    except KhaldunError as exc:
        return refused(request, exc)
    return _event(request, user, found, message=message[:200])


@router.post("/events/{event_id}/review")
def review_action(request: Request, event_id: str, action: Field, csrf_token: Field = "", reason: Field = "",
                  field: Field = "", value: Field = "", other_id: Field = "", source: Field = "",
                  change_id: Field = "") -> Response:
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
    return render(request, "event.html", user, status_code, event=found.event, fields=fields, sources=sources,
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
