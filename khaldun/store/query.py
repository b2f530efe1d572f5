"""Read merged events back from the store as :class:`StoredEvent` records."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Connection, Row, or_, select

from khaldun.schema import ACLED_COLUMNS, Evidence
from khaldun.store.models import EventRow, EventSourceRow
from khaldun.store.records import SourceRef, StoredEvent

EVENTS = EventRow.__table__
SOURCES = EventSourceRow.__table__


def load_events(conn: Connection, *, since: dt.date | None = None, until: dt.date | None = None,
                country: str | None = None, event_type: str | None = None) -> list[StoredEvent]:
    """Merged events in date order, filtered; ``event_type`` matches the type or the sub-event type."""
    query = select(EVENTS).order_by(EventRow.event_date, EventRow.id)
    if since:
        query = query.where(EventRow.event_date >= since)
    if until:
        query = query.where(EventRow.event_date <= until)
    if country:
        query = query.where(EventRow.country == country)
    if event_type:
        query = query.where(or_(EventRow.event_type == event_type, EventRow.sub_event_type == event_type))
    rows = conn.execute(query).all()
    sources = _sources(conn, [r.id for r in rows])
    return [_stored(row, sources.get(row.id, [])) for row in rows]


def get_event(conn: Connection, event_id: str) -> StoredEvent | None:
    row = conn.execute(select(EVENTS).where(EventRow.id == event_id)).first()
    return _stored(row, _sources(conn, [event_id]).get(event_id, [])) if row else None


def _sources(conn: Connection, ids: list[str]) -> dict[str, list[SourceRef]]:
    found: dict[str, list[SourceRef]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        query = (select(SOURCES).where(EventSourceRow.event_id.in_(chunk))
                 .order_by(EventSourceRow.event_date, EventSourceRow.document_id, EventSourceRow.position))
        for r in conn.execute(query):
            found.setdefault(r.event_id, []).append(SourceRef(
                document_id=r.document_id, position=r.position, outlet=r.outlet, event_date=r.event_date,
                sub_event_type=r.sub_event_type, location=r.location, fatalities=r.fatalities,
                claimed_by=r.claimed_by, reasons=json.loads(r.merge_reason or "[]")))
    return found


def _stored(row: Row[Any], sources: list[SourceRef]) -> StoredEvent:
    data = row._asdict()
    values = {name: data[name] for name in ACLED_COLUMNS if name != "event_id_cnty"}
    return StoredEvent(
        **values, event_id_cnty=data["id"], doc_id=data["doc_id"], confidence=data["confidence"],
        background=data["background"], claimed_by=data["claimed_by"], fatalities_known=data["fatalities_known"],
        place_id=data["place_id"], evidence=[Evidence(**e) for e in json.loads(data["evidence"])],
        fatalities_low=data["fatalities_low"], fatalities_best=data["fatalities_best"],
        fatalities_high=data["fatalities_high"], source_count=data["source_count"],
        review_status=data["review_status"], sources=sources, merge_notes=json.loads(data["merge_notes"]))
