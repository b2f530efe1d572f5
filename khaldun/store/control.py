"""Territorial control: who holds each place, over time, and on a given date.

Two kinds of facts feed a place's timeline:

* **territory events** in the store ("Government regains territory", "Non-state actor
  overtakes territory", "Non-violent transfer of territory"): ``actor1`` holds the place
  from the event's date;
* **control statements** found in reports ("les rebelles contrôlaient cette zone depuis
  septembre 2011", "rebels still hold Old Homs"): the actor holds the place from the
  stated start (``since``) when there is one, else at least on the report's date.

Facts are ordered by the date they take effect (an event after a statement on the same
day: events are changes). Consecutive facts with the same holder make one period; a new
holder closes the previous period on the day it takes over.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field
from sqlalchemy import select

from khaldun.errors import error
from khaldun.extract.lexicon import fold
from khaldun.schema import Record
from khaldun.store.db import Store
from khaldun.store.merge import TERRITORY_TYPES, actor_key
from khaldun.store.models import ControlRow, EventRow


class ControlFact(Record):
    """One piece of evidence that an actor held a place."""

    kind: Literal["event", "statement"]
    holder: str
    start: dt.date | None  # when the holding began, if known
    observed: dt.date  # a date on which the holding is known to be true
    document_id: str
    event_id: str | None = None
    sub_event_type: str = ""
    text: str = ""  # the supporting words

    def effective(self) -> dt.date:
        return self.start or self.observed


class ControlPeriod(Record):
    """An actor holding a place from ``since`` (or at least from ``known_from``) until ``until``."""

    place_key: str
    place_name: str
    latitude: float | None = None
    longitude: float | None = None
    country: str = ""
    holder: str
    since: dt.date | None  # None: the start of the holding is not known
    known_from: dt.date  # the first date the holding is attested
    until: dt.date | None = None  # the day another holder took over; None: still held as far as we know
    evidence: list[ControlFact] = Field(default_factory=list)


class PlaceFacts(Record):
    place_key: str
    place_name: str
    latitude: float | None = None
    longitude: float | None = None
    country: str = ""
    facts: list[ControlFact] = Field(default_factory=list)


def timelines(store: Store, place: str | None = None) -> list[list[ControlPeriod]]:
    """Every place's control timeline (periods in date order), places sorted by name."""
    places = _facts(store)
    chosen = [p for p in places.values() if place is None or _place_matches(place, p)]
    if place is not None and not chosen:
        raise error("E707", place=place)
    return [timeline(p) for p in sorted(chosen, key=lambda p: (fold(p.place_name), p.place_key))]


def control_at(store: Store, day: dt.date, place: str | None = None) -> list[ControlPeriod]:
    """Who held each place on ``day``, with the evidence; places with no fact yet are left out."""
    held = []
    for periods in timelines(store, place):
        current = [p for p in periods if p.known_from <= day and (p.until is None or day < p.until)]
        if current:
            held.append(current[-1])
    return held


def timeline(place: PlaceFacts) -> list[ControlPeriod]:
    """The periods of control of one place, from its facts."""
    periods: list[ControlPeriod] = []
    for fact in sorted(place.facts, key=lambda f: (f.effective(), f.kind == "event", f.document_id, f.text)):
        current = periods[-1] if periods else None
        if current is not None and actor_key(current.holder) == actor_key(fact.holder):
            current.evidence.append(fact)
            if fact.kind == "event" or len(fact.holder) > len(current.holder):
                current.holder = fact.holder
            continue
        if current is not None:
            current.until = fact.effective()
        periods.append(ControlPeriod(place_key=place.place_key, place_name=place.place_name,
                                     latitude=place.latitude, longitude=place.longitude, country=place.country,
                                     holder=fact.holder, since=fact.start, known_from=fact.effective(),
                                     evidence=[fact]))
    return periods


def _facts(store: Store) -> dict[str, PlaceFacts]:
    places: dict[str, PlaceFacts] = {}
    with store.read() as conn:
        for r in conn.execute(select(ControlRow.__table__)):
            entry = places.setdefault(r.place_key, PlaceFacts(place_key=r.place_key, place_name=r.place_name,
                                                              latitude=r.latitude, longitude=r.longitude,
                                                              country=r.country))
            entry.facts.append(ControlFact(kind="statement", holder=r.holder, start=r.since, observed=r.stated_on,
                                           document_id=r.document_id, text=r.text))
        query = select(EventRow.__table__).where(EventRow.sub_event_type.in_(TERRITORY_TYPES), EventRow.actor1 != "")
        for r in conn.execute(query):
            key = r.place_id or f"name:{' '.join(fold(r.location).split())}"
            entry = places.setdefault(key, PlaceFacts(place_key=key, place_name=r.location, latitude=r.latitude,
                                                      longitude=r.longitude, country=r.country))
            entry.facts.append(ControlFact(kind="event", holder=r.actor1, start=r.event_date, observed=r.event_date,
                                           document_id=r.doc_id, event_id=r.id, sub_event_type=r.sub_event_type,
                                           text=r.notes))
    return places


def _place_matches(query: str, place: PlaceFacts) -> bool:
    wanted = " ".join(fold(query).split())
    return query == place.place_key or wanted == " ".join(fold(place.place_name).split()) or \
        (len(wanted) >= 4 and wanted in fold(place.place_name))
