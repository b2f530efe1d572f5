"""Typed records passed between khaldun's stages.

The pipeline reads a :class:`Report`, finds :class:`Mentions` in it (places, actors,
dates, numbers, claims, triggers), assembles :class:`Event` records and resolves them.
Every mention carries a :class:`Span` into the report's *normalised* text, so each field
of an event can point back to the words that support it.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type",
    "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2",
    "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region",
    "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)
"""ACLED's column names in ACLED's order (see docs/acled-columns in the README)."""

KHALDUN_COLUMNS: tuple[str, ...] = (
    "doc_id", "evidence", "confidence", "background", "claimed_by", "fatalities_known",
)
"""Columns khaldun adds after ACLED's."""


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Span(Record):
    """A character range ``[start, end)`` in a report's normalised text."""

    start: int
    end: int
    text: str


class Report(Record):
    """One input report, after reading and before normalisation."""

    id: str
    text: str
    publication_date: dt.date | None = None
    language: str | None = None
    url: str | None = None
    source: str | None = None
    source_scale: str | None = None
    origin: str = ""  # path (and line) the report came from, for error messages


class Sentence(Record):
    start: int
    end: int
    paragraph: int
    paragraph_start: int = 0
    is_caption: bool = False  # photo/video caption or credit line
    is_quote: bool = False  # a paragraph that is only quoted testimony (pull quote)
    label: str = ""  # the event classifier's reading: a sub-event type, "None", or "" when not run
    label_confidence: float = 0.0  # probability of ``label``
    event_probability: float = 0.0  # the classifier's probability that the sentence tells an event
    event_type: str = ""  # the classifier's likeliest sub-event type for the sentence
    type_confidence: float = 0.0  # probability of ``event_type`` if the sentence tells an event


class DateMention(Record):
    """A temporal expression and what it resolves to, against the publication date.

    ``value`` is TimeML-like: ``2013-07-27`` (day), ``2013-W30`` (week),
    ``2013-07`` (month), ``2013`` (year), ``P6M`` style durations are kept in
    ``duration`` with ``value`` the period they cover, e.g. ``2013-01-29/2013-07-29``.
    ``precision`` follows ACLED's time_precision: 1 day, 2 week/few days, 3 month.
    ``timex_type`` is the TimeML type; a TIME's ``value`` carries its clock time or part of the
    day (``2013-07-27T18:00``, ``2013-07-27TEV``), a SET's its repetition (``P1W``,
    ``XXXX-WXX-5``). ``tense`` is that of the clause the expression was resolved with.
    """

    span: Span
    kind: Literal["day", "week", "month", "year", "period", "time_of_day", "duration", "set"]
    value: str
    start: dt.date
    end: dt.date
    precision: int
    duration: str | None = None
    since: bool = False  # "depuis ...", "since ...": the start of an ongoing state
    timex_type: Literal["DATE", "TIME", "DURATION", "SET"] = "DATE"
    tense: Literal["past", "present", "future"] | None = None


INTER_STATE = 1
"""ACLED's inter codes of the actors a rule needs to tell apart: state forces,"""
INTER_NON_STATE = frozenset({2, 3, 4})
"""rebels, political and identity militias,"""
INTER_ARMED = INTER_NON_STATE | {8}
"""and with external forces, every organised armed group;"""
INTER_CROWDS = frozenset({5, 6})
"""rioters and protesters."""


class ActorRef(Record):
    """A normalised actor, as ACLED names it."""

    name: str
    inter: int
    country: str | None = None
    key: str = ""  # dictionary id, stable across languages
    generic: bool = False  # a generic form ("the rebels", "l'armée") rather than a named actor
    country_from_report: bool = False  # its country is the report's, not named ("l'armée" vs "l'armée malienne")


class ActorMention(Record):
    span: Span
    actor: ActorRef
    head: int = -1  # token index of the mention's head in the spaCy doc
    implied: bool = False  # not named: implied by the event word ("a bombardment" implies an armed group)


class GeoEntry(Record):
    """A place from the gazetteer (GeoNames row or analyst supplement)."""

    id: str  # "geonames:169577" or "supplement:<file>:<n>"
    name: str
    latitude: float
    longitude: float
    feature_class: str = ""
    feature_code: str = ""
    country_code: str = ""
    country: str = ""
    admin1: str = ""
    admin2: str = ""
    admin3: str = ""
    population: int = 0
    parent_id: str | None = None


class PlaceMention(Record):
    span: Span
    name: str
    entry: GeoEntry | None = None
    relation: Literal["in", "near", "region", "direction", "mention"] = "mention"
    head: int = -1
    score: float = 0.0
    # "place": a place the report names; the others resolve to a place but never are an event's
    # place: "demonym" (Malian -> Mali), "in_name" (inside an organisation or facility name:
    # "University of Manitoba"), "actor" (a capital standing for its government: "Paris a dit")
    kind: Literal["place", "demonym", "in_name", "actor"] = "place"


class NumberMention(Record):
    """A count of people, with what happened to them."""

    span: Span
    value: int
    category: Literal["killed", "injured", "people", "other"]
    vague: bool = False  # "dozens", "des centaines": ACLED's conventional values
    minimum: bool = False  # "at least", "plus de"
    subset: bool = False  # a breakdown of another count: "including six children", "dont deux soldats"
    head: int = -1


class ClaimMention(Record):
    span: Span
    source: str


class TriggerMention(Record):
    span: Span
    event_type: str
    sub_event_type: str
    lemma: str
    strength: int = 2  # 3 specific ("raid aérien"), 2 generic ("combats"), 1 weak ("tuer")
    head: int = -1
    negated: bool = False
    modality: Literal["asserted", "negated", "hypothetical", "future", "threat", "habitual", "reported_opinion",
                      "not_an_event"] = "asserted"
    decided_by: Literal["rules", "classifier", "rules+classifier"] = "rules"  # who chose the type
    confidence: float | None = None  # the classifier's probability, when it took part


class ControlStatement(Record):
    """Who holds a place, stated in the text ("quartiers encore tenus par l'ASL")."""

    span: Span
    actor: ActorRef
    place: PlaceMention
    since: dt.date | None = None


class Mentions(Record):
    """Everything the mention stages found in one report, before events are assembled."""

    doc_id: str
    language: str
    publication_date: dt.date
    text: str
    sentences: list[Sentence] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    actors: list[ActorMention] = Field(default_factory=list)
    places: list[PlaceMention] = Field(default_factory=list)
    numbers: list[NumberMention] = Field(default_factory=list)
    claims: list[ClaimMention] = Field(default_factory=list)
    triggers: list[TriggerMention] = Field(default_factory=list)
    controls: list[ControlStatement] = Field(default_factory=list)


class Evidence(Record):
    """The words supporting one field of an event."""

    field: str
    start: int
    end: int
    text: str
    note: str = ""  # how the field was decided ("classifier 0.91", "rules: trigger"), when it says more than the words


class Event(Record):
    """One coded event: ACLED's columns, then khaldun's own."""

    event_id_cnty: str = ""
    event_date: dt.date
    year: int
    time_precision: int = 1
    disorder_type: str = ""
    event_type: str
    sub_event_type: str
    actor1: str = ""
    assoc_actor_1: str = ""
    inter1: int | None = None
    actor2: str = ""
    assoc_actor_2: str = ""
    inter2: int | None = None
    interaction: int | None = None
    civilian_targeting: str = ""
    iso: int | None = None
    region: str = ""
    country: str = ""
    admin1: str = ""
    admin2: str = ""
    admin3: str = ""
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    source: str = ""
    source_scale: str = ""
    notes: str = ""
    fatalities: int = 0
    tags: str = ""
    timestamp: int = 0
    doc_id: str = ""
    evidence: list[Evidence] = Field(default_factory=list)
    confidence: float = 0.0
    background: bool = False
    claimed_by: str = ""
    fatalities_known: bool = False  # False: no figure reported (fatalities is then 0)
    place_id: str | None = None  # gazetteer id of the location

    def acled_row(self) -> dict[str, object]:
        """The event as ACLED columns then khaldun's, JSON-ready."""
        data = self.model_dump(mode="json")
        ordered = {name: data[name] for name in ACLED_COLUMNS}
        for name in KHALDUN_COLUMNS:
            ordered[name] = data[name]
        ordered["place_id"] = data["place_id"]
        return ordered


class DocumentResult(Record):
    """The output of the pipeline for one report."""

    report: Report
    mentions: Mentions | None = None
    events: list[Event] = Field(default_factory=list)
    error: str | None = None  # coded one-line error when the report could not be processed
