"""GeoJSON export: one Point feature per event, every field in its properties.

Properties are ACLED's columns in ACLED's order, then khaldun's, then whatever else the
record carries (for stored events: low / best / high fatalities, sources, review status).
An event without coordinates keeps a ``null`` geometry (valid GeoJSON, RFC 7946 §3.2)
rather than being dropped, so a map and a table of the same export count the same events.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any

from khaldun.schema import Event


def event_properties(event: Event) -> dict[str, Any]:
    """All fields of an event, JSON-ready: ACLED's order first, then khaldun's, then the rest."""
    row = event.acled_row()
    for name, value in event.model_dump(mode="json").items():
        row.setdefault(name, value)
    return row


def feature(event: Event) -> dict[str, Any]:
    geometry = None
    if event.latitude is not None and event.longitude is not None:
        geometry = {"type": "Point", "coordinates": [event.longitude, event.latitude]}
    return {"type": "Feature", "id": event.event_id_cnty or None, "geometry": geometry,
            "properties": event_properties(event)}


def write_geojson(events: Iterable[Event], out: IO[str]) -> int:
    """A FeatureCollection, written feature by feature so large exports stream."""
    out.write('{"type": "FeatureCollection", "features": [\n')
    count = 0
    for event in events:
        out.write((",\n" if count else "") + json.dumps(feature(event), ensure_ascii=False))
        count += 1
    out.write("\n]}\n")
    return count
