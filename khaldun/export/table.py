"""A readable table of events or mentions for the terminal (rich)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from rich.console import Console
from rich.table import Table

from khaldun.schema import Event, Mentions

EVENT_COLUMNS = (("doc", "doc_id"), ("date", "event_date"), ("prec", "time_precision"), ("type", "sub_event_type"),
                 ("actor1", "actor1"), ("actor2", "actor2"), ("location", "location"), ("deaths", "fatalities"),
                 ("claimed by", "claimed_by"), ("conf", "confidence"))


def write_table(events: Iterable[Event], out: IO[str]) -> int:
    table = Table(show_lines=False, header_style="bold")
    for title, _ in EVENT_COLUMNS:
        table.add_column(title, overflow="fold")
    count = 0
    for event in events:
        row = event.acled_row()
        cells = [str(row.get(name) if row.get(name) is not None else "") for _, name in EVENT_COLUMNS]
        if event.background:
            cells[1] += " (bg)"
        if not event.fatalities_known:
            cells[7] = "?"
        table.add_row(*cells)
        count += 1
    Console(file=out, width=160).print(table)
    return count


def mention_rows(mentions: Mentions) -> list[dict[str, object]]:
    """Every mention of a report as flat rows: kind, span, text and what it resolved to."""
    rows: list[dict[str, object]] = []

    def add(kind: str, span, **value: object) -> None:  # type: ignore[no-untyped-def]
        rows.append({"doc_id": mentions.doc_id, "kind": kind, "start": span.start, "end": span.end, "text": span.text, **value})

    for d in mentions.dates:
        add("date", d.span, value=d.value, start_date=d.start.isoformat(), end_date=d.end.isoformat(), precision=d.precision,
            duration=d.duration, since=d.since, timex_type=d.timex_type, tense=d.tense)
    for a in mentions.actors:
        add("actor", a.span, value=a.actor.name, inter=a.actor.inter, country=a.actor.country)
    rows.extend(place_rows(mentions))
    for n in mentions.numbers:
        add("number", n.span, value=n.value, category=n.category, vague=n.vague, minimum=n.minimum, subset=n.subset)
    for c in mentions.claims:
        add("claim", c.span, value=c.source)
    for t in mentions.triggers:
        add("trigger", t.span, value=t.sub_event_type, event_type=t.event_type, strength=t.strength, modality=t.modality)
    rows.sort(key=lambda r: (r["start"], r["kind"]))
    return rows


def place_rows(mentions: Mentions) -> list[dict[str, object]]:
    """Place mentions with their resolved gazetteer entry: what ``khaldun places`` prints."""
    rows: list[dict[str, object]] = []
    for place in mentions.places:
        entry = place.entry
        rows.append({
            "doc_id": mentions.doc_id, "kind": "place", "start": place.span.start, "end": place.span.end,
            "text": place.span.text, "value": entry.name if entry else None, "relation": place.relation,
            "score": place.score, "place_kind": place.kind, "place_id": entry.id if entry else None,
            "feature_code": entry.feature_code if entry else None, "country_code": entry.country_code if entry else None,
            "country": entry.country if entry else None, "admin1": entry.admin1 if entry else None,
            "admin2": entry.admin2 if entry else None, "admin3": entry.admin3 if entry else None,
            "latitude": entry.latitude if entry else None, "longitude": entry.longitude if entry else None,
        })
    return rows


def write_mention_table(rows: list[dict[str, object]], out: IO[str]) -> None:
    table = Table(header_style="bold")
    for title in ("doc", "kind", "span", "text", "value", "details"):
        table.add_column(title, overflow="fold")
    for row in rows:
        details = ", ".join(f"{k}={v}" for k, v in row.items()
                            if k not in {"doc_id", "kind", "start", "end", "text", "value"} and v not in (None, False, ""))
        table.add_row(str(row["doc_id"]), str(row["kind"]), f"{row['start']}-{row['end']}", str(row["text"]),
                      str(row["value"]), details)
    Console(file=out, width=160).print(table)
