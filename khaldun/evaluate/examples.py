"""Check the pipeline's events on the bundled examples against the hand-coded expectations.

``khaldun/data/examples/expected.yaml`` holds, for each example report, the events a careful
ACLED coder codes from it (written by hand, see the README beside it). :func:`check_report`
pairs the pipeline's events with them, field by field, so ``khaldun demo`` can show each
event's match and the test suite can fail when the pipeline drifts. A known deviation
(the machine's recorded error) is checked exactly: it fails when it changes either way.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

from khaldun.resources import load_yaml
from khaldun.schema import Event

FIELDS: tuple[str, ...] = ("event_date", "time_precision", "sub_event_type", "actor1", "actor2", "location",
                           "admin1", "country", "geo_precision", "fatalities", "background")
"""The fields compared, in the order they are reported."""

_WEIGHTS = {"sub_event_type": 3, "event_date": 2, "location": 2}
_MIN_SCORE = 8  # of 15: below this an expected and a pipeline event are not the same event
_KEY_FIELDS = ("sub_event_type", "event_date", "location")

Status = Literal["ok", "known", "differs", "missing", "known_missing", "unexpected", "known_unexpected"]


@dataclass(frozen=True)
class Difference:
    """One field where the pipeline differs from what is expected of it."""

    field: str
    expected: str
    actual: str


@dataclass
class EventCheck:
    """One expected event and the pipeline event paired with it (either may be absent).

    ``status``: ok (as hand-coded), known (a recorded deviation, unchanged), differs (a
    difference not recorded, or a recorded one that changed), missing / known_missing (no
    pipeline event), unexpected / known_unexpected (a pipeline event no coder would code).
    """

    status: Status
    event: Event | None = None
    expected: dict[str, Any] | None = None
    differences: list[Difference] = field(default_factory=list)
    note: str = ""

    @property
    def passed(self) -> bool:
        return self.status in ("ok", "known", "known_missing", "known_unexpected")


def load_expectations() -> dict[str, dict[str, Any]]:
    """The hand-coded expectations, by report id."""
    data = load_yaml("examples", "expected.yaml")
    return {report["id"]: report for report in data["reports"]}


def _plain(text: str) -> str:
    """A name without accents, case or punctuation: 'Al Fallūjah' and 'al-fallujah' compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in decomposed if not unicodedata.combining(c)).casefold())


def _accepted(spec: Any) -> list[Any]:
    return list(spec) if isinstance(spec, list) else [spec]


def _show(spec: Any) -> str:
    if isinstance(spec, dict):
        return f"{spec['from']}..{spec['to']}"
    values = _accepted(spec)
    shown = [repr(v) if v == "" else str(v) for v in values]
    return shown[0] if len(shown) == 1 else " or ".join(shown)


def _value(event: Event, name: str) -> Any:
    value = getattr(event, name)
    return value.isoformat() if isinstance(value, dt.date) else value


def _same(event: Event, name: str, value: Any) -> bool:
    """Exact equality, for recorded deviations (YAML reads dates as dates)."""
    return _value(event, name) == (value.isoformat() if isinstance(value, dt.date) else value)


def _field_ok(name: str, spec: Any, event: Event) -> bool:
    """Does the event's value of one field agree with the expectation ``spec``?"""
    if name == "event_date":
        if isinstance(spec, dict):
            return _as_date(spec["from"]) <= event.event_date <= _as_date(spec["to"])
        return event.event_date in {_as_date(v) for v in _accepted(spec)}
    if name == "location":
        return _plain(event.location) in {_plain(str(v)) for v in _accepted(spec)}
    if name in ("actor1", "actor2"):
        return _actors_ok(name, spec, event)
    return _value(event, name) in _accepted(spec)


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _actors_ok(name: str, spec: Any, event: Event) -> bool:
    """In an armed clash actor1 is who started it, which reports rarely tell: either order is accepted."""
    if getattr(event, name) in _accepted(spec):
        return True
    if event.sub_event_type != "Armed clash":
        return False
    other = "actor2" if name == "actor1" else "actor1"
    return getattr(event, other) in _accepted(spec)


def _deviation(expected: dict[str, Any]) -> dict[str, Any]:
    return expected.get("known_deviation") or {}


def _score(expected: dict[str, Any], event: Event) -> int:
    """How well a pipeline event fits an expected one (known deviations count as fitting)."""
    actual = _deviation(expected).get("actual", {})
    score = 0
    for name in FIELDS:
        if name in actual:
            fits = _same(event, name, actual[name])
        else:
            fits = _field_ok(name, expected[name], event)
        score += _WEIGHTS.get(name, 1) if fits else 0
    return score


def _key_fits(expected: dict[str, Any], event: Event) -> bool:
    actual = _deviation(expected).get("actual", {})
    return any(_same(event, n, actual[n]) if n in actual else _field_ok(n, expected[n], event) for n in _KEY_FIELDS)


def _compare(expected: dict[str, Any], event: Event) -> EventCheck:
    """Field-by-field check of a paired event; a recorded deviation must still be exactly what it was."""
    deviation = _deviation(expected)
    actual = deviation.get("actual", {})
    differences = []
    for name in FIELDS:
        if name in actual:
            if not _same(event, name, actual[name]):
                differences.append(Difference(name, f"{actual[name]!r} (known deviation; hand-coded {_show(expected[name])})",
                                              repr(_value(event, name))))
        elif not _field_ok(name, expected[name], event):
            differences.append(Difference(name, _show(expected[name]), repr(_value(event, name))))
    if deviation.get("missing"):
        return EventCheck("differs", event, expected, differences,
                          "recorded as missing, but the pipeline now codes it: update known_deviation")
    if differences:
        return EventCheck("differs", event, expected, differences, deviation.get("note", ""))
    return EventCheck("known" if actual else "ok", event, expected, [], deviation.get("note", ""))


def _unexpected_fits(spec: dict[str, Any], event: Event) -> bool:
    return all(_same(event, name, value) for name, value in spec.items() if name in FIELDS)


def check_report(report_id: str, events: list[Event], expectations: dict[str, dict[str, Any]] | None = None) -> list[EventCheck]:
    """Pair a report's pipeline events with its expected events and check each pair.

    Pairs are made best first on a weighted count of agreeing fields (type, date and place
    weigh most; an optional event pairs only with one of its type); an unpaired expected
    event is missing unless optional, an unpaired
    pipeline event unexpected unless it is recorded under ``unexpected``.
    """
    expectations = load_expectations() if expectations is None else expectations
    report = expectations.get(report_id, {"events": [], "unexpected": []})
    expected = list(report.get("events", []))
    candidates = sorted(((_score(exp, ev), -i, -j, i, j) for i, exp in enumerate(expected) for j, ev in enumerate(events)
                         if _key_fits(exp, ev) and (not exp.get("optional")
                                                    or _field_ok("sub_event_type", exp["sub_event_type"], ev))),
                        reverse=True)
    paired_expected: dict[int, int] = {}
    paired_events: set[int] = set()
    for score, _, _, i, j in candidates:
        if score >= _MIN_SCORE and i not in paired_expected and j not in paired_events:
            paired_expected[i] = j
            paired_events.add(j)
    checks: list[EventCheck] = []
    for i, exp in enumerate(expected):
        if i in paired_expected:
            checks.append(_compare(exp, events[paired_expected[i]]))
        elif _deviation(exp).get("missing"):
            checks.append(EventCheck("known_missing", None, exp, [], _deviation(exp).get("note", "")))
        elif not exp.get("optional"):
            checks.append(EventCheck("missing", None, exp))
    recorded = list(report.get("unexpected", []))
    for j, event in enumerate(events):
        if j in paired_events:
            continue
        spec = next((s for s in recorded if _unexpected_fits(s, event)), None)
        if spec is not None:
            recorded.remove(spec)
            checks.append(EventCheck("known_unexpected", event, None, [], spec.get("note", "")))
        else:
            checks.append(EventCheck("unexpected", event))
    for spec in recorded:
        checks.append(EventCheck("differs", None, spec, [], "recorded as unexpected, but the pipeline no longer codes it: "
                                 "remove it from `unexpected`"))
    return checks


def describe(check: EventCheck) -> str:
    """One line saying what went wrong, for a test failure or the demo."""
    if check.status == "missing":
        return f"missing: {summary(check.expected or {})}"
    if check.status == "unexpected" and check.event is not None:
        return f"unexpected: {summary(check.event.model_dump())}"
    parts = [f"{d.field}: expected {d.expected}, got {d.actual}" for d in check.differences]
    if check.note:
        parts.append(check.note)
    return "; ".join(parts) or check.status


def summary(fields: dict[str, Any]) -> str:
    """Date, type, actors and place of an event (expected or coded), on one line."""
    actors = " vs ".join(_show(fields[n]) for n in ("actor1", "actor2") if fields.get(n) not in (None, ""))
    return (f"{_show(fields.get('event_date'))} {_show(fields.get('sub_event_type'))} "
            f"[{actors}] at {_show(fields.get('location'))}")
