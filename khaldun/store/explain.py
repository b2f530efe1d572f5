"""Why a merged event looks the way it does: its reports, why each was merged, how fields were chosen."""

from __future__ import annotations

from khaldun.errors import error
from khaldun.store.db import Store
from khaldun.store.query import get_event
from khaldun.store.records import StoredEvent


def explain(store: Store, event_id: str) -> StoredEvent:
    """The stored event with its sources and merge reasons; a coded error if there is none."""
    with store.read() as conn:
        event = get_event(conn, event_id)
    if event is None:
        raise error("E706", event_id=event_id)
    return event


def explanation_lines(event: StoredEvent) -> list[str]:
    """A plain-text account of the event, one line per fact, for the terminal."""
    figures = ""
    if event.fatalities_known:
        figures = f" (low {event.fatalities_low}, best {event.fatalities_best}, high {event.fatalities_high})"
    lines = [
        f"{event.event_id_cnty}: {event.sub_event_type} on {event.event_date} at {event.location or 'unknown place'}"
        f"{', ' + event.country if event.country else ''}",
        f"  actors: {event.actor1 or '?'} vs {event.actor2 or '-'}",
        f"  fatalities: {event.fatalities if event.fatalities_known else 'unknown'}{figures}",
        f"  review: {event.review_status}",
        f"  {event.source_count} report(s) merged under ACLED's rule (same day, place, actors and type, with tolerances):",
    ]
    for source in event.sources:
        toll = "no figure" if source.fatalities is None else f"{source.fatalities} killed"
        lines.append(f"  - {source.document_id} #{source.position} ({source.outlet or 'unknown outlet'}): "
                     f"{source.sub_event_type} on {source.event_date} at {source.location or '?'}, {toll}, "
                     f"claimed by {source.claimed_by or '?'}")
        lines += [f"      {reason}" for reason in source.reasons]
    if event.merge_notes:
        lines.append("  fields chosen:")
        lines += [f"  - {note}" for note in event.merge_notes]
    return lines
