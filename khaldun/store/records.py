"""Typed records the store returns: merged events with their sources, and ingest outcomes."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from khaldun.schema import Event, Record


class SourceRef(Record):
    """One report supporting a merged event, with its own figure and attribution."""

    document_id: str
    position: int
    outlet: str
    event_date: dt.date
    sub_event_type: str
    location: str
    fatalities: int | None  # None: this report gives no figure
    claimed_by: str
    reasons: list[str] = Field(default_factory=list)  # why it was merged into the event


class StoredEvent(Event):
    """A merged event as stored: the ACLED record, plus the figures and sources behind it."""

    fatalities_low: int | None = None
    fatalities_best: int | None = None
    fatalities_high: int | None = None
    source_count: int = 1
    review_status: str = "unreviewed"
    sources: list[SourceRef] = Field(default_factory=list)
    merge_notes: list[str] = Field(default_factory=list)


class IngestOutcome(Record):
    """What ingesting one input did."""

    document_id: str | None  # None for an input that could not even be read
    status: Literal["added", "replaced", "unchanged", "failed"]
    events: int = 0
    error: str | None = None
