"""Typed request and response bodies of the JSON API (they make the OpenAPI spec)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from khaldun.store.decisions import Conflict
from khaldun.store.records import SourceRef, StoredEvent
from khaldun.store.review import Change, EvidenceSpan
from khaldun.store.users import MAX_TOKEN_DAYS, TOKEN_DAYS, User

Text = Field(default="", max_length=2000)
MAX_PAGE = 1000
"""Most events one page of ``/api/events`` holds: the list pages, the map asks ``/api/map``."""
BULK_MAX = 5000


class TokenRequest(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=1024)
    name: str = Field(default="api", max_length=100)
    days: int = Field(default=TOKEN_DAYS, ge=1, le=MAX_TOKEN_DAYS, description="Days until the token expires.")


class TokenResponse(BaseModel):
    token: str
    user: User
    expires_at: dt.datetime


class UserCreate(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=1024)
    role: Literal["viewer", "analyst", "admin"]


class EventSummary(BaseModel):
    """What the map, the timeline and the list need of an event."""

    id: str
    event_date: dt.date
    event_type: str
    sub_event_type: str
    actor1: str
    actor2: str
    country: str
    admin1: str
    location: str
    latitude: float | None
    longitude: float | None
    fatalities: int
    fatalities_known: bool
    review_status: str
    source: str
    source_count: int
    confidence: float
    flagged: bool = False  # new evidence disagrees with a field an analyst locked


class EventList(BaseModel):
    count: int  # every event matching, not just this page
    limit: int
    offset: int
    next_offset: int | None  # where the next page starts; None on the last page
    events: list[EventSummary]


class MapPoint(BaseModel):
    id: str
    latitude: float
    longitude: float
    event_type: str
    sub_event_type: str
    event_date: dt.date
    location: str
    actor1: str
    actor2: str
    fatalities: int
    fatalities_known: bool


class MapCell(BaseModel):
    """Events in one grid cell of the view: where they are on average, how many, of which types."""

    count: int
    latitude: float
    longitude: float
    fatalities: int
    types: dict[str, int]


class MapData(BaseModel):
    mode: Literal["points", "cells"]
    total: int  # events with coordinates in the view
    unplaced: int  # events matching the filters without coordinates (not on the map)
    points: list[MapPoint]
    cells: list[MapCell]


class BulkRequest(BaseModel):
    action: Literal["accept", "reject"]
    reason: str = Field(min_length=1, max_length=2000)
    limit: int = Field(default=BULK_MAX, ge=1, le=BULK_MAX, description="Refuse (E914) if more events match.")


class BulkResult(BaseModel):
    count: int
    change_ids: list[int]


class SourceDetail(BaseModel):
    """One report merged into an event: its reference, the supporting words, and its text if kept."""

    ref: SourceRef
    evidence: list[EvidenceSpan]
    text: str | None


class EventDetail(BaseModel):
    event: StoredEvent
    sources: list[SourceDetail]
    history: list[Change]
    conflicts: list[Conflict] = Field(default_factory=list)  # locked fields new evidence disagrees with


class TimelineDay(BaseModel):
    date: dt.date
    counts: dict[str, int]


class Timeline(BaseModel):
    unit: Literal["day", "week", "month"] = "day"  # each entry of ``days`` starts a bucket of this length
    types: list[str]
    days: list[TimelineDay]


class Facets(BaseModel):
    """Values the filters offer."""

    countries: list[str]
    event_types: list[str]
    review_statuses: list[str]
    sources: list[str]
    actors: list[str]
    first_date: dt.date | None
    last_date: dt.date | None


class ReasonRequest(BaseModel):
    reason: str = Text


class EditRequest(BaseModel):
    changes: dict[str, str | int | float | bool | None] = Field(min_length=1, max_length=60)
    reason: str = Field(min_length=1, max_length=2000)


class MergeRequest(BaseModel):
    other_ids: list[str] = Field(min_length=1, max_length=50)
    reason: str = Field(min_length=1, max_length=2000)


class SplitRequest(BaseModel):
    document_id: str = Field(max_length=255)
    position: int = Field(ge=0, le=100_000)
    reason: str = Field(min_length=1, max_length=2000)


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse} for status in (400, 401, 403, 404, 409, 413, 422, 429)
}
