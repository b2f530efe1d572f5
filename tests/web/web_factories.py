"""Invented reports and their hand-coded events, stored without running extraction.

Every report here was written for these tests. Each event carries evidence spans into its
report's text (found with ``str.index``, so a typo in a phrase fails loudly), and the text
is kept as an upload would keep it, so the event page can highlight the supporting words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from khaldun.schema import DocumentResult, Event, Evidence, GeoEntry, Mentions, PlaceMention, Report, Span
from khaldun.store.db import Store
from khaldun.store.ingest import store_result
from khaldun.store.review import save_text

HOMS = GeoEntry(id="test:homs", name="Homs", latitude=34.7308, longitude=36.7094, feature_class="P",
                feature_code="PPLA", country_code="SY", country="Syria", admin1="Homs")
HAMA = GeoEntry(id="test:hama", name="Hama", latitude=35.1318, longitude=36.7578, feature_class="P",
                feature_code="PPLA", country_code="SY", country="Syria", admin1="Hama")
GAO = GeoEntry(id="test:gao", name="Gao", latitude=16.2666, longitude=-0.0400, feature_class="P",
               feature_code="PPLA", country_code="ML", country="Mali", admin1="Gao")
ARMY = ("Military Forces of Syria (2000-)", 1)
FSA = ("Free Syrian Army", 2)


@dataclass
class Coded:
    """One event of a report: its type, place, actors, figure, and the phrases supporting each field."""

    day: dt.date
    place: GeoEntry
    event_type: str
    sub: str
    actor1: tuple[str, int]
    actor2: tuple[str, int] | None
    fatalities: int | None
    phrases: dict[str, str] = field(default_factory=dict)
    iso: int = 760
    region: str = "Middle East"


@dataclass
class Invented:
    id: str
    published: dt.date
    language: str
    outlet: str
    text: str
    events: list[Coded]


REPORTS = [
    Invented("homs-en", dt.date(2024, 3, 4), "en", "Desert Wire",
             "Government troops clashed with Free Syrian Army fighters in Homs on Sunday. "
             "Five fighters were killed, the rebels said.",
             [Coded(dt.date(2024, 3, 3), HOMS, "Battles", "Armed clash", ARMY, FSA, 5,
                    {"sub_event_type": "clashed", "actor1": "Government troops", "actor2": "Free Syrian Army fighters",
                     "location": "Homs", "event_date": "on Sunday", "fatalities": "Five fighters were killed"})]),
    Invented("homs-fr", dt.date(2024, 3, 4), "fr", "Le Courrier du Levant",
             "Des combats ont opposé dimanche l'armée syrienne à l'Armée syrienne libre à Homs, "
             "faisant six morts selon une ONG.",
             [Coded(dt.date(2024, 3, 3), HOMS, "Battles", "Armed clash", ARMY, FSA, 6,
                    {"sub_event_type": "combats", "actor1": "l'armée syrienne", "actor2": "l'Armée syrienne libre",
                     "location": "Homs", "fatalities": "six morts"})]),
    Invented("hama-fr", dt.date(2024, 3, 8), "fr", "Le Courrier du Levant",
             "Une frappe aérienne a touché jeudi un marché de Hama, tuant douze civils.",
             [Coded(dt.date(2024, 3, 7), HAMA, "Explosions/Remote violence", "Air/drone strike", ARMY,
                    ("Civilians (Syria)", 7), 12,
                    {"sub_event_type": "frappe aérienne", "location": "Hama", "fatalities": "douze civils"})]),
    Invented("gao-fr", dt.date(2024, 3, 12), "fr", "Sahel Hebdo",
             "Des centaines de commerçants ont manifesté mardi à Gao contre la hausse des taxes.",
             [Coded(dt.date(2024, 3, 12), GAO, "Protests", "Peaceful protest", ("Protesters (Mali)", 6), None, None,
                    {"sub_event_type": "manifesté", "location": "Gao", "actor1": "commerçants"},
                    iso=466, region="Western Africa")]),
    Invented("hama-en", dt.date(2024, 3, 11), "en", "Desert Wire",
             "Free Syrian Army fighters seized the town of Hama on Sunday after the army withdrew.",
             [Coded(dt.date(2024, 3, 10), HAMA, "Strategic developments", "Non-state actor overtakes territory", FSA,
                    None, None, {"sub_event_type": "seized", "actor1": "Free Syrian Army fighters", "location": "Hama",
                                 "event_date": "on Sunday"})]),
]


def to_event(report: Invented, number: int, coded: Coded) -> Event:
    evidence = [Evidence(field=name, start=report.text.index(phrase), end=report.text.index(phrase) + len(phrase),
                         text=phrase) for name, phrase in coded.phrases.items()]
    place = coded.place
    return Event(
        event_id_cnty=f"{place.country_code}-{report.id}-{number}", event_date=coded.day, year=coded.day.year,
        event_type=coded.event_type, sub_event_type=coded.sub,
        disorder_type="Demonstrations" if coded.event_type == "Protests" else "Political violence",
        actor1=coded.actor1[0], inter1=coded.actor1[1], actor2=coded.actor2[0] if coded.actor2 else "",
        inter2=coded.actor2[1] if coded.actor2 else None, iso=coded.iso, region=coded.region,
        country=place.country, admin1=place.admin1, location=place.name, latitude=place.latitude,
        longitude=place.longitude, geo_precision=1, place_id=place.id, source=report.outlet,
        notes=report.text[:120], fatalities=coded.fatalities or 0, fatalities_known=coded.fatalities is not None,
        doc_id=report.id, claimed_by=report.outlet, evidence=evidence, confidence=0.8)


def to_result(report: Invented) -> DocumentResult:
    """The pipeline result an extraction of ``report`` would give, as coded by hand above."""
    document = Report(id=report.id, text=report.text, publication_date=report.published, language=report.language,
                      source=report.outlet, origin=f"{report.id}.txt")
    places = {c.place.id: c.place for c in report.events}
    mentions = Mentions(doc_id=report.id, language=report.language, publication_date=report.published,
                        text=report.text,
                        places=[PlaceMention(span=Span(start=0, end=1, text="x"), name=p.name, entry=p)
                                for p in places.values()])
    return DocumentResult(report=document, mentions=mentions,
                          events=[to_event(report, n + 1, c) for n, c in enumerate(report.events)])


def seed(store: Store, reports: list[Invented] = REPORTS) -> None:
    """Store the reports' events (merged as ingestion merges them) and keep their texts."""
    for report in reports:
        outcome = store_result(store, to_result(report))
        assert outcome.status == "added", outcome
        with store.write() as conn:
            save_text(conn, report.id, report.text)


class FakePipeline:
    """Stands in for the spaCy pipeline in upload tests: returns the hand-coded events of a known text."""

    def __init__(self, reports: list[Invented] = REPORTS) -> None:
        self.by_text = {r.text: r for r in reports}

    def process(self, report: Report) -> DocumentResult:
        known = self.by_text.get(report.text)
        if known is None:
            return DocumentResult(report=report, mentions=None, events=[])
        result = to_result(known)
        return result.model_copy(update={"report": report, "events": [
            e.model_copy(update={"doc_id": report.id}) for e in result.events]})
