"""The layout of ``khaldun demo``: each example report, its events with their evidence, checked.

One block per report (id, language, source, publication date, dateline), one per event:
date and precision, type, actors, place, deaths and claim, each with the quoted words that
support it, a ``?`` on fields the report does not support with words, then the event's match
against the hand-coded expectation (``khaldun/data/examples/expected.yaml``). A legend ends
the output. rich drops colour when the output is not a terminal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import IO, Any

from rich.console import Console
from rich.markup import escape

from khaldun.evaluate.examples import EventCheck, check_report, describe, load_expectations, summary
from khaldun.schema import DocumentResult, Event

UNCERTAIN_BELOW = 0.6  # a classifier probability under this marks the type as uncertain
QUOTE_CHARS = 60
SENTENCE_CHARS = 110
_PROBABILITY = re.compile(r"(\d\.\d+)")

LEGEND = """\
Legend
  date (prec N)  ACLED time_precision: 1 the day is told, 2 only the week or a few days
                 ("earlier this week", "later"), 3 only the month (coded mid-month)
  place (geo N)  ACLED geo_precision: 1 the named town, village or neighbourhood itself,
                 2 near it or on a road to it, 3 only a region or province is known
  (bg)           background: told as context more than 30 days before publication;
                 `khaldun extract` leaves these out unless --background
  ?              uncertain field: no words of the report support it (a default, e.g. the
                 usual actor of that type), no toll was reported (deaths ? = unknown, not
                 zero), or the classifier chose the type with probability under 0.6
  "..."          the report's own words behind the field (the event's evidence records)
  conf           how fully the report supports the event, 0-1: a named actor, a date of its
                 own, a place found, a specific event word, told more than once
  check          the event against the events a careful coder codes from the report, written
                 by hand in khaldun/data/examples/expected.yaml:
                   ✓ as hand-coded
                   ≈ known deviation: a recorded error of the machine, with what and why
                   ✗ a difference not recorded (expected.yaml or the pipeline needs work)
                 "missed" lists hand-coded events the pipeline did not code."""


def write_showcase(results: Iterable[DocumentResult], out: IO[str], *, width: int = 100) -> dict[str, int]:
    """Print every report's events with evidence and checks, then totals and the legend.

    Lines are not wrapped (``soft_wrap``): a terminal wraps them, a pipe keeps them whole.
    Returns the count of each check status, for the caller's summary or exit status.
    """
    console = Console(file=out, width=width, highlight=False, soft_wrap=True)
    expectations = load_expectations()
    totals: dict[str, int] = {}
    for result in results:
        checks = check_report(result.report.id, list(result.events), expectations)
        for check in checks:
            totals[check.status] = totals.get(check.status, 0) + 1
        _report_block(console, result, checks)
    console.print(_totals_line(totals))
    console.print()
    console.print(escape(LEGEND))
    return totals


def _report_block(console: Console, result: DocumentResult, checks: list[EventCheck]) -> None:
    report = result.report
    published = report.publication_date
    when = f"published {published.isoformat()} ({published.strftime('%A')})" if published else "no publication date"
    header = f"{report.id} · {report.language or '?'} · {report.source or '?'} · {when}"
    dateline = _dateline(report.text)
    console.print()
    console.print(f"[bold]━━ {escape(header)}[/bold]")
    if dateline:
        console.print(f"   dateline: {escape(dateline)}")
    by_event = {id(c.event): c for c in checks if c.event is not None}
    for number, event in enumerate(result.events, 1):
        _event_block(console, number, event, by_event.get(id(event)))
    for check in checks:
        if check.event is None:
            _missed_line(console, check)
    if not result.events and not checks:
        console.print("   no events")


def _event_block(console: Console, number: int, event: Event, check: EventCheck | None) -> None:
    evidence = _evidence(event)
    background = " (bg)" if event.background else ""
    date = f"{event.event_date.isoformat()} (prec {event.time_precision}){background}"
    console.print(f" [bold]{number}. {escape(date)}  {escape(event.event_type)} › {escape(event.sub_event_type)}[/bold]"
                  f"{_mark(event, 'sub_event_type', evidence)}  conf {event.confidence:.2f}")
    sentence = evidence.get("sentence")
    if sentence:
        console.print(f"    [dim]from: «{escape(_cut(sentence[0], SENTENCE_CHARS))}»[/dim]")
    _line(console, "date", "", "event_date", event, evidence)
    _line(console, "type", "", "sub_event_type", event, evidence)
    _line(console, "actor1", event.actor1 or "—", "actor1", event, evidence)
    if event.actor2:
        _line(console, "actor2", event.actor2, "actor2", event, evidence)
    _line(console, "place", _place(event), "location", event, evidence)
    deaths = str(event.fatalities) if event.fatalities_known else "?"
    _line(console, "deaths", deaths, "fatalities", event, evidence)
    if event.claimed_by:
        _line(console, "claimed", event.claimed_by, "claimed_by", event, evidence)
    if check is not None:
        console.print(f"    check   {_check_text(check)}")


def _line(console: Console, label: str, value: str, field: str, event: Event, evidence: dict[str, list[str]]) -> None:
    quotes = ", ".join(f'"{_cut(text, QUOTE_CHARS)}"' for text in evidence.get(field, [])[:3])
    mark = _mark(event, field, evidence) if value else ""
    shown = f"{value}{mark}" if value else ""
    arrow = " ← " if value and quotes else ""
    console.print(f"    {label:<7} {escape(shown)}{arrow}[italic]{escape(quotes)}[/italic]".rstrip())


def _mark(event: Event, field: str, evidence: dict[str, list[str]]) -> str:
    """' ?' when the field is a default, an unknown toll, or a low-probability classifier choice."""
    if field == "fatalities":
        return "" if event.fatalities_known else " (no toll reported)"
    if field == "sub_event_type":
        probability = _type_probability(event)
        if probability is not None and probability < UNCERTAIN_BELOW:
            return " ?"
        return "" if evidence.get(field) else " ?"
    if field in ("actor1", "actor2", "location", "event_date") and not evidence.get(field):
        return " ?"
    return ""


def _type_probability(event: Event) -> float | None:
    for record in event.evidence:
        if record.field == "sub_event_type" and "classifier" in record.note:
            found = _PROBABILITY.search(record.note)
            if found:
                return float(found.group(1))
    return None


def _evidence(event: Event) -> dict[str, list[str]]:
    """The distinct words behind each field, in the order the pipeline recorded them."""
    found: dict[str, list[str]] = {}
    for record in event.evidence:
        texts = found.setdefault(record.field, [])
        text = " ".join(record.text.split())
        if text and text not in texts:
            texts.append(text)
    return found


def _place(event: Event) -> str:
    parts = [p for p in (event.location, event.admin1, event.country) if p]
    unique = [p for i, p in enumerate(parts) if p not in parts[:i]]
    where = ", ".join(unique) or "—"
    coordinates = (f"  {event.latitude:.3f}, {event.longitude:.3f}"
                   if event.latitude is not None and event.longitude is not None else "")
    precision = f" (geo {event.geo_precision})" if event.geo_precision is not None else ""
    return f"{where}{precision}{coordinates}"


def _check_text(check: EventCheck) -> str:
    if check.status == "ok":
        return "[green]✓ as hand-coded[/green]"
    if check.status == "known":
        fields = ", ".join(_deviation_fields(check))
        return f"[yellow]≈ known deviation ({escape(fields)}): {escape(check.note)}[/yellow]"
    if check.status == "known_unexpected":
        return f"[yellow]≈ known deviation, a coder would not code this event: {escape(check.note)}[/yellow]"
    if check.status == "unexpected":
        return "[red]✗ not among the hand-coded events[/red]"
    return f"[red]✗ {escape(describe(check))}[/red]"


def _deviation_fields(check: EventCheck) -> list[str]:
    """'actor2: hand-coded Civilians (Syria)' for each field the recorded deviation covers."""
    expected = check.expected or {}
    actual = (expected.get("known_deviation") or {}).get("actual", {})
    return [f"{name} hand-coded {_shown(expected.get(name))}" for name in actual]


def _shown(spec: Any) -> str:
    if isinstance(spec, dict):
        return f"{spec['from']}..{spec['to']}"
    values = spec if isinstance(spec, list) else [spec]
    return " or ".join("''" if v == "" else str(v) for v in values)


def _missed_line(console: Console, check: EventCheck) -> None:
    expected = check.expected or {}
    if check.status == "known_missing":
        console.print(f" [yellow]≈ missed (known deviation): {escape(summary(expected))}[/yellow]")
        console.print(f"    [yellow]{escape(check.note)}[/yellow]")
    else:
        console.print(f" [red]✗ {escape(describe(check))}[/red]")
    why = expected.get("why")
    if why:
        console.print(f"    [dim]hand-coded from: {escape(_cut(str(why), SENTENCE_CHARS))}[/dim]")


def _totals_line(totals: dict[str, int]) -> str:
    matched = totals.get("ok", 0)
    known = totals.get("known", 0) + totals.get("known_missing", 0) + totals.get("known_unexpected", 0)
    wrong = sum(n for status, n in totals.items() if status in ("differs", "missing", "unexpected"))
    return (f"\nChecked against the hand-coded events: {matched} as coded, {known} known deviations, "
            f"{wrong} new differences")


def _dateline(text: str) -> str:
    """The report's dateline ('ALEP, Syrie (AFP)'), when its first line starts with one."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    found = re.match(r"^([^\n()]{2,60}\([^()]{1,30}\))\s*[—–-]", first)
    return found.group(1).strip() if found else ""


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

