"""Merge the same real event told by several reports into one event with all its sources.

ACLED's rule is that one event is one day, one place, one actor pair and one type. Reports
of the same event disagree on details, so each dimension has a tolerance:

* **date**: the same day, or one day apart (a report filed after midnight, "hier" read
  against a different publication date); wider only when a report dates the event to a
  week (7 days) or a month (15 days);
* **place**: the same gazetteer place; or a neighbourhood (or landmark) and the town it
  is part of (its gazetteer parent, or within ``CITY_KM`` of it); or the same place
  geocoded twice (within ``SAME_PLACE_KM``). Two different neighbourhoods, or two towns,
  never merge;
* **actors**: equal names; a name and a more precise form of it ("Military Forces of
  Syria" / "Military Forces of Syria (2000-)"); a generic label and a named group with
  the same ACLED inter code ("Opposition Rebels (Syria)" / "Free Syrian Army"); an
  "Unidentified Armed Group" and any armed actor another report names; or an actor one
  report leaves unnamed. Battle actors may be listed in either order;
* **type**: the same sub-event type, or a pair in ``TYPE_TOLERANCE`` (an armed clash
  told by one outlet, the government regaining the place by another).

Two events of the same report never merge (the pipeline already split them on purpose),
and a report joins a merged event only if it is compatible with *every* report already in
it, so tolerances never chain (day 1 ~ day 2 ~ day 3). Reports are taken in a canonical
order (event date, publication date, document id, position), each joining the compatible
event it matches most exactly, so the result depends only on the set of reports, never on
the order they were ingested in. Each merge keeps its reasons, shown by ``khaldun explain``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from khaldun.extract.lexicon import fold
from khaldun.schema import Event

CITY_KM = 15.0
"""How far a neighbourhood may lie from the centre of the town it is reported as."""

SAME_PLACE_KM = 1.0
"""Two gazetteer entries this close are one place geocoded twice."""

DATE_TOLERANCE = {1: 1, 2: 7, 3: 15}
"""Days two reports may disagree by, by the coarser of their ACLED time precisions."""

TERRITORY_TYPES = ("Government regains territory", "Non-state actor overtakes territory",
                   "Non-violent transfer of territory")

TYPE_TOLERANCE: frozenset[frozenset[str]] = frozenset({
    frozenset({"Armed clash", "Government regains territory"}),
    frozenset({"Armed clash", "Non-state actor overtakes territory"}),
})
"""Sub-event types that outlets use for the same fight: one sees a clash, another the outcome."""

GENERIC_ACTORS = ("unidentified", "opposition rebels", "rebels", "militia", "civilians", "protesters", "rioters")
"""Folded name prefixes of labels that stand for any actor of their inter code."""

UNARMED = {5, 6, 7}
"""Inter codes of rioters, protesters and civilians: never the 'unidentified armed group' of another report."""

SCALE_RANK = {"part": 0, "settlement": 1, "region": 2, "country": 3}
PERIOD = re.compile(r"\s*\(\d{4}-(\d{4})?\)\s*$")


@dataclass(frozen=True)
class SourceEvent:
    """One event as one report codes it, with what merging needs to know about the report."""

    document_id: str
    position: int
    event: Event
    outlet: str = ""
    publication_date: dt.date | None = None
    place_scale: str | None = None  # part (neighbourhood, landmark), settlement, region, country
    place_parent_id: str | None = None

    @property
    def key(self) -> tuple[str, int]:
        return (self.document_id, self.position)

    def order(self) -> tuple[dt.date, dt.date, str, int]:
        return (self.event.event_date, self.publication_date or dt.date.max, self.document_id, self.position)


@dataclass
class MergedEvent:
    """A real-world event: the merged record, its sources and why they were merged."""

    id: str
    event: Event
    members: list[SourceEvent]
    reasons: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # how each field of the merged record was chosen
    fatalities_low: int | None = None
    fatalities_best: int | None = None
    fatalities_high: int | None = None


@dataclass
class Match:
    reasons: list[str]
    exact: int  # dimensions that agree exactly: a tie-breaker between candidate events


def merge_sources(sources: Iterable[SourceEvent], pinned: dict[str, list[SourceEvent]] | None = None,
                  pinned_reasons: dict[tuple[str, int], list[str]] | None = None) -> list[MergedEvent]:
    """Group source events into real events; the result depends only on the sets given.

    ``pinned`` holds the groups analysts decided (event id -> its reports' events): they
    stay together and apart from each other, keep their id, and other reports may still
    join them when compatible with every report in them.
    """
    pinned = pinned or {}
    groups: list[list[SourceEvent]] = []
    reasons: dict[tuple[str, int], list[str]] = {}
    fixed: dict[int, str] = {}
    for pin, members in sorted(pinned.items(), key=lambda kv: min(m.order() for m in kv[1])):
        fixed[len(groups)] = pin
        groups.append(sorted(members, key=SourceEvent.order))
        for member in members:
            reasons[member.key] = (pinned_reasons or {}).get(member.key) or ["put in this event by an analyst"]
    for source in sorted(sources, key=SourceEvent.order):
        best: tuple[int, int, Match] | None = None
        for index, group in enumerate(groups):
            match = match_group(source, group)
            if match is not None and (best is None or match.exact > best[1]):
                best = (index, match.exact, match)
        if best is None:
            groups.append([source])
            reasons[source.key] = ["first report of this event (earliest in canonical order)"]
        else:
            groups[best[0]].append(source)
            reasons[source.key] = best[2].reasons
    merged = [combine(group, {m.key: reasons[m.key] for m in group}) for group in groups]
    for index, pin in fixed.items():
        merged[index].id = merged[index].event.event_id_cnty = pin
    taken = set(fixed.values())
    for index, item in enumerate(merged):
        if index not in fixed and item.id in taken:
            n = 2
            while f"{item.id}-{n}" in taken:
                n += 1
            item.id = item.event.event_id_cnty = f"{item.id}-{n}"
        taken.add(item.id)
    return merged


def match_group(source: SourceEvent, group: list[SourceEvent]) -> Match | None:
    """How ``source`` matches the event ``group`` (against its first report), or None."""
    if any(m.document_id == source.document_id for m in group):
        return None
    matches = [match(source, member) for member in group]
    if any(m is None for m in matches):
        return None
    first = matches[0]
    assert first is not None
    anchor = group[0]
    reasons = [f"joins the report {anchor.document_id} ({anchor.outlet or 'unknown outlet'})"] + first.reasons
    if len(group) > 1:
        reasons.append(f"compatible with all {len(group)} reports already merged")
    return Match(reasons, min(m.exact for m in matches if m is not None))


def match(a: SourceEvent, b: SourceEvent) -> Match | None:
    """ACLED's same-event rule with tolerances, between two reports' events; None if they differ."""
    reasons: list[str] = []
    exact = 0
    for check in (_country, _date, _type, _place, _actors):
        verdict = check(a, b)
        if verdict is None:
            return None
        reason, same = verdict
        if reason:
            reasons.append(reason)
        exact += same
    return Match(reasons, exact)


def _country(a: SourceEvent, b: SourceEvent) -> tuple[str, bool] | None:
    if a.event.country and b.event.country and a.event.country != b.event.country:
        return None
    return ("", True)


def _date(a: SourceEvent, b: SourceEvent) -> tuple[str, bool] | None:
    days = abs((a.event.event_date - b.event.event_date).days)
    precision = max(a.event.time_precision, b.event.time_precision)
    if days == 0:
        return (f"date: same day {a.event.event_date}", True)
    if days <= DATE_TOLERANCE.get(precision, 1):
        unit = "day" if days == 1 else "days"
        return (f"date: {a.event.event_date} vs {b.event.event_date}, {days} {unit} apart "
                f"(tolerance {DATE_TOLERANCE.get(precision, 1)} at time precision {precision})", False)
    return None


def _type(a: SourceEvent, b: SourceEvent) -> tuple[str, bool] | None:
    x, y = a.event.sub_event_type, b.event.sub_event_type
    if x == y:
        return (f"type: same ({x})", True)
    if frozenset({x, y}) in TYPE_TOLERANCE:
        return (f"type: {x} vs {y} (the same fight told as a clash and as its outcome)", False)
    return None


def _place(a: SourceEvent, b: SourceEvent) -> tuple[str, bool] | None:
    ea, eb = a.event, b.event
    if ea.place_id and ea.place_id == eb.place_id:
        return (f"place: same ({ea.location})", True)
    if not ea.place_id or not eb.place_id:
        if fold(ea.location) == fold(eb.location) and (ea.place_id is None) == (eb.place_id is None):
            return (f"place: same name ({ea.location or 'unnamed in both'})", bool(ea.location))
        return None
    if a.place_parent_id == eb.place_id or b.place_parent_id == ea.place_id:
        part, whole = (ea, eb) if a.place_parent_id == eb.place_id else (eb, ea)
        return (f"place: {part.location} is part of {whole.location}", False)
    km = _km(ea, eb)
    if km is None:
        return None
    if km <= SAME_PLACE_KM:
        return (f"place: {ea.location} and {eb.location} are the same spot ({km:.1f} km)", False)
    scales = {a.place_scale, b.place_scale}
    if scales == {"part", "settlement"} and km <= CITY_KM:
        part, whole = (ea, eb) if a.place_scale == "part" else (eb, ea)
        return (f"place: {part.location} is a neighbourhood of {whole.location} ({km:.1f} km)", False)
    return None


def _km(a: Event, b: Event) -> float | None:
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    p = math.pi / 180
    h = (math.sin((b.latitude - a.latitude) * p / 2) ** 2
         + math.cos(a.latitude * p) * math.cos(b.latitude * p) * math.sin((b.longitude - a.longitude) * p / 2) ** 2)
    return 12742 * math.asin(math.sqrt(min(1.0, h)))


def _actors(a: SourceEvent, b: SourceEvent) -> tuple[str, bool] | None:
    ea, eb = a.event, b.event
    straight = [_actor(ea.actor1, ea.inter1, eb.actor1, eb.inter1), _actor(ea.actor2, ea.inter2, eb.actor2, eb.inter2)]
    if all(v is not None for v in straight):
        return _actor_verdict(straight)
    if ea.event_type == "Battles" or eb.event_type == "Battles":
        swapped = [_actor(ea.actor1, ea.inter1, eb.actor2, eb.inter2), _actor(ea.actor2, ea.inter2, eb.actor1, eb.inter1)]
        if all(v is not None for v in swapped):
            reason, same = _actor_verdict(swapped)
            return (reason + " (listed in the other order)", False)
    return None


def _actor_verdict(verdicts: list[tuple[str, bool] | None]) -> tuple[str, bool]:
    parts = [v[0] for v in verdicts if v is not None and v[0]]
    return ("actors: " + "; ".join(parts), all(v is not None and v[1] for v in verdicts))


def _actor(x: str, inter_x: int | None, y: str, inter_y: int | None) -> tuple[str, bool] | None:
    nx, ny = actor_key(x), actor_key(y)
    if nx == ny:
        return (f"same ({x})" if x else "", True)
    if not nx or not ny:
        return (f"{x or y} unnamed in one report", False)
    if re.search(rf"\b{re.escape(nx)}\b", ny) or re.search(rf"\b{re.escape(ny)}\b", nx):
        return (f"{x} ~ {y} (named more or less precisely)", False)
    if inter_x is not None and inter_x == inter_y and (is_generic(x) or is_generic(y)):
        return (f"{x} ~ {y} (generic label, same inter code {inter_x})", False)
    for unknown, named, code in ((x, y, inter_y), (y, x, inter_x)):
        if actor_key(unknown).startswith("unidentified") and code not in UNARMED:
            return (f"{unknown} ~ {named} (one report does not know who the armed group was)", False)
    return None


def actor_key(name: str) -> str:
    """A name without its ACLED period suffix, folded: 'Military Forces of Syria (2000-)' -> 'military forces of syria'."""
    return " ".join(fold(PERIOD.sub("", name)).split())


def is_generic(name: str) -> bool:
    return actor_key(name).startswith(GENERIC_ACTORS)


def combine(group: list[SourceEvent], reasons: dict[tuple[str, int], list[str]]) -> MergedEvent:
    """The merged record of a group, with a note on how each disputed field was chosen."""
    notes: list[str] = []
    sub_type = _chosen_type(group)
    lead = next(m for m in group if m.event.sub_event_type == sub_type)
    event = lead.event.model_copy(deep=True)
    if len({m.event.sub_event_type for m in group}) > 1:
        notes.append(f"sub_event_type: {sub_type} (a territory outcome beats a clash; else the most reported)")

    dates = Counter(m.event.event_date for m in group)
    day = min(dates, key=lambda d: (-dates[d], d))
    if len(dates) > 1:
        notes.append(f"event_date: {day} (most reported, earliest on a tie; reports say "
                     + ", ".join(f"{d} x{n}" for d, n in sorted(dates.items())) + ")")
    event.event_date, event.year = day, day.year
    event.time_precision = min(m.event.time_precision for m in group if m.event.event_date == day)

    place = min(group, key=lambda m: (SCALE_RANK.get(m.place_scale or "", 4), m.event.geo_precision or 9,
                                       m.event.place_id is None, m.order()))
    for name in ("location", "latitude", "longitude", "geo_precision", "admin1", "admin2", "admin3", "place_id",
                 "country", "iso", "region"):
        setattr(event, name, getattr(place.event, name))
    if len({m.event.location for m in group}) > 1:
        notes.append(f"location: {event.location} (the most precise of "
                     + ", ".join(sorted({m.event.location for m in group if m.event.location})) + ")")

    for role, inter in (("actor1", "inter1"), ("actor2", "inter2")):
        name, code = _most_precise(role, getattr(event, role), getattr(event, inter), group)
        if name != getattr(event, role):
            notes.append(f"{role}: {name} (more precise than {getattr(event, role) or 'unnamed'})")
            setattr(event, role, name)
            setattr(event, inter, code)
    event.interaction = _interaction(event.inter1, event.inter2)

    figures = [(m.event.fatalities, m) for m in group if m.event.fatalities_known]
    low = best = high = None
    if figures:
        values = sorted(v for v, _ in figures)
        counts = Counter(values)
        low, high = values[0], values[-1]
        top = max(counts.values())
        best = min(v for v, n in counts.items() if n == top) if top > 1 else statistics.median_low(values)
        if low != high:
            told = "; ".join(f"{v} per {m.outlet or m.document_id}" for v, m in sorted(figures, key=lambda f: f[1].order()))
            notes.append(f"fatalities: {low} (the lowest reported; best estimate {best}, high {high}: {told})")
            event.notes = f"{event.notes} Reported fatalities range from {low} to {high} ({told}).".strip()
    event.fatalities = low or 0
    event.fatalities_known = bool(figures)

    event.source = _joined(m.outlet or m.event.source for m in group)
    event.source_scale = "-".join(dict.fromkeys(s for m in group for s in m.event.source_scale.split("-") if s))
    event.claimed_by = _joined(c for m in group for c in m.event.claimed_by.split("; "))
    event.tags = _joined(t for m in group for t in m.event.tags.split("; "))
    event.confidence = max(m.event.confidence for m in group)
    event.background = all(m.event.background for m in group)
    event.timestamp = max(m.event.timestamp for m in group)
    event.doc_id = lead.document_id
    merged_id = event_id(group[0])
    event.event_id_cnty = merged_id
    return MergedEvent(id=merged_id, event=event, members=list(group), reasons=reasons, notes=notes,
                       fatalities_low=low, fatalities_best=best, fatalities_high=high)


def event_id(anchor: SourceEvent) -> str:
    """A merged event's id, from its first report: stable while that report stays its first.

    The country prefix comes from the pipeline's id ("SY-report-2"); a digest keeps ids
    short and safe to type whatever the document ids look like.
    """
    prefix = anchor.event.event_id_cnty[:2] if re.match(r"^[A-Z]{2}-", anchor.event.event_id_cnty) else "XX"
    digest = hashlib.sha256(f"{anchor.document_id}\x00{anchor.position}".encode()).hexdigest()[:10]
    return f"{prefix}-{digest}"


def _chosen_type(group: list[SourceEvent]) -> str:
    counts = Counter(m.event.sub_event_type for m in group)
    territory = [t for t in counts if t in TERRITORY_TYPES]
    pool = territory or list(counts)
    return min(pool, key=lambda t: (-counts[t], t))


def _most_precise(role: str, name: str, inter: int | None, group: list[SourceEvent]) -> tuple[str, int | None]:
    """The most specific name any report gives for this actor: named beats generic, longer beats shorter.

    An actor the lead report leaves unnamed takes the name other reports give in the same role.
    """
    candidates = [(name, inter)]
    for m in group:
        for other, code in ((m.event.actor1, m.event.inter1), (m.event.actor2, m.event.inter2)):
            if other and name and _actor(name, inter, other, code) is not None:
                candidates.append((other, code))
    if not name:
        inter_role = "inter1" if role == "actor1" else "inter2"
        candidates += [(getattr(m.event, role), getattr(m.event, inter_role)) for m in group if getattr(m.event, role)]
    return min(candidates, key=lambda c: (not c[0], is_generic(c[0]), -len(actor_key(c[0])), -len(c[0]), c[0]))


def _interaction(a: int | None, b: int | None) -> int | None:
    if a is None:
        return None
    if b is None:
        return a * 10
    return int(f"{min(a, b)}{max(a, b)}")


def _joined(values: Iterable[str]) -> str:
    return "; ".join(dict.fromkeys(v.strip() for v in values if v and v.strip()))
