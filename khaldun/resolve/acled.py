"""Fill ACLED's columns for a merged event, with the evidence behind each field."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from khaldun.extract.actors import ActorDictionary
from khaldun.extract.dates import coded_day
from khaldun.resolve.merge import TERRITORY, EventGroup, _scale
from khaldun.schema import INTER_NON_STATE, ActorMention, ActorRef, Evidence, Event, Report, TriggerMention

CIVILIANS_TARGETED = "Civilians targeted"
UNIDENTIFIED_PERPETRATORS = {"unidentified-armed-group", "islamist-militia"}
"""Generic actors that stand for a perpetrator the report may name elsewhere."""
NON_STATE_BOMBINGS = {"Suicide bomb", "Remote explosive/landmine/IED", "Grenade"}


class AcledCoder:
    """Stage: merged event groups of one report -> ACLED-coded :class:`Event` records."""

    def __init__(self, *, taxonomy: dict[str, Any], dictionary: ActorDictionary | None = None) -> None:
        self.dictionary = dictionary or ActorDictionary.default()
        self.event_type_of: dict[str, str] = {}
        self.disorder: dict[str, str] = {}
        for event_type, spec in taxonomy["event_types"].items():
            for sub in spec["sub_event_types"]:
                self.event_type_of[sub] = event_type
                self.disorder[sub] = taxonomy.get("disorder_overrides", {}).get(sub, spec["disorder_type"])
        self.background_days = int(taxonomy.get("background_days", 30))

    def __call__(self, groups: list[EventGroup], report: Report, text: str, focus_country: str | None,
                 claimants: Sequence[ActorRef] = ()) -> list[Event]:
        """``claimants``: the named groups the report holds responsible (``ActorFinder.claimants``)."""
        events = []
        publication = report.publication_date or dt.date.today()
        for number, group in enumerate(groups, start=1):
            date = group.date()
            if date is None:
                continue
            sub_event_type = group.sub_event_type()
            actor1, actor2 = self._actors(group, sub_event_type)
            if actor1 is None and sub_event_type == "Armed clash":
                actor1, actor2 = actor2, None  # "soldiers were killed in clashes": one side known, and it fought
            if actor1 is None:
                continue  # ACLED codes no event without the actor who carried it out
            if self.event_type_of[sub_event_type] == "Riots" and actor1.actor.inter == 6:
                rioters = self.dictionary.generic("rioters", actor1.actor.country,
                                                  from_report=actor1.actor.country_from_report)
                actor1 = actor1.model_copy(update={"actor": rioters}) if rioters else actor1  # the protest turned violent
            place = group.place()
            if place is not None and place.entry is None:  # "Jdaidet al-Fadl, au sud-ouest de Damas": coded at Damascus
                known = next((m.nearest_known for m in group.members if m.nearest_known is not None), None)
                place = known.model_copy(update={"relation": "near" if known.relation != "region" else "region"}) \
                    if known is not None else place
            entry = place.entry if place else None
            country_name = self._country_name(entry.country_code if entry else None) or focus_country or ""
            country = self.dictionary.country(country_name)
            day = coded_day(date)
            actor1, actor2 = self._situated(actor1, country_name), self._situated(actor2, country_name)
            actor1 = self._claimed(actor1, claimants, country_name)
            if actor2 is not None and actor2.actor.name == actor1.actor.name:
                actor2 = self._other_side(group, actor1, country_name)
            if actor2 is None:
                actor2 = self._bombing_victims(group, sub_event_type, actor1, country_name)
            deaths = [m.deaths for m in group.members if m.deaths is not None]
            fatalities = min(d.value for d in deaths) if deaths else 0
            defining = sorted(group.members, key=lambda m: m.sub_event_type != sub_event_type)  # stable: report order
            claim = next((m.claim for m in defining if m.claim is not None), None)
            event = Event(
                event_date=day,
                year=day.year,
                time_precision=date.precision,
                disorder_type=self.disorder[sub_event_type],
                event_type=self.event_type_of[sub_event_type],
                sub_event_type=sub_event_type,
                actor1=self._name(actor1, day),
                assoc_actor_1="; ".join(dict.fromkeys(self._name(self._situated(a, country_name), day)
                                                      for m in group.members for a in m.assoc1
                                                      if self._name(self._situated(a, country_name), day)
                                                      != self._name(actor1, day))),
                inter1=actor1.actor.inter if actor1 else None,
                actor2=self._name(actor2, day),
                inter2=actor2.actor.inter if actor2 else None,
                civilian_targeting=CIVILIANS_TARGETED if actor2 and actor2.actor.inter == 7 else "",
                iso=country.iso_numeric if country else None,
                region=country.region if country else "",
                country=country.name if country else country_name,
                admin1=plain(entry.admin1) if entry else "",
                admin2=plain(entry.admin2) if entry else "",
                admin3=plain(entry.admin3) if entry else "",
                location=plain(entry.name) if entry else (place.name if place else ""),
                latitude=entry.latitude if entry else None,
                longitude=entry.longitude if entry else None,
                geo_precision=self._geo_precision(place) if place else None,
                source=report.source or "",
                source_scale=report.source_scale or "",
                notes=_notes(group, text),
                fatalities=fatalities,
                timestamp=int(dt.datetime(publication.year, publication.month, publication.day, tzinfo=dt.timezone.utc).timestamp()),
                doc_id=report.id,
                background=date.end < publication - dt.timedelta(days=self.background_days),
                claimed_by=claim.source if claim else (report.source or "reporter"),
                fatalities_known=bool(deaths),
                place_id=entry.id if entry else None,
            )
            event.interaction = _interaction(event.inter1, event.inter2)
            event.event_id_cnty = f"{(country.iso2 if country else 'XX')}-{report.id}-{number}"
            event.evidence = _evidence(group, text)
            event.confidence = _confidence(group, event)
            events.append(event)
        return events

    @staticmethod
    def _actors(group: EventGroup, sub_event_type: str) -> tuple[ActorMention | None, ActorMention | None]:
        """The event's two sides. A place taken in a battle was taken by the capture's agent (ACLED's
        actor1), from the other side the battle names, whoever was the subject of the fighting words
        ('after fighting between the army and the rebels, the rebels took the town')."""
        actor1, actor2 = group.actor("actor1"), group.actor("actor2")
        if sub_event_type not in TERRITORY:
            return actor1, actor2
        capture = EventGroup(members=[m for m in group.members if m.sub_event_type in TERRITORY])
        taker = capture.actor("actor1")
        if taker is None or actor1 is None or taker.actor.name == actor1.actor.name:
            return actor1, actor2
        loser = capture.actor("actor2") or (actor2 if actor2 is not None and actor2.actor.name != taker.actor.name else actor1)
        return taker, loser

    def _situated(self, mention: ActorMention | None, country: str) -> ActorMention | None:
        """'The army', 'gunmen', 'civilians' belong to the country where the event happens (ACLED's
        'X' in 'Unidentified Armed Group (X)'), which may not be the country the report is mostly about."""
        if mention is None or not mention.actor.country_from_report or not country \
                or mention.actor.country == country or self.dictionary.country(country) is None:
            return mention
        ref = self.dictionary.generic(mention.actor.key, country)
        return mention.model_copy(update={"actor": ref}) if ref is not None else mention

    def _claimed(self, actor1: ActorMention, claimants: Sequence[ActorRef], country: str) -> ActorMention:
        """An unidentified perpetrator is the one group the report holds responsible ('Al Shabaab
        claimed responsibility'), when that group operates in the event's country."""
        if actor1.actor.key not in UNIDENTIFIED_PERPETRATORS or len(claimants) != 1:
            return actor1
        group = claimants[0]
        operates = group.country is None or group.country == country or country in self.dictionary.operates_in(group.key)
        return actor1.model_copy(update={"actor": group}) if operates else actor1

    def _other_side(self, group: EventGroup, actor1: ActorMention, country: str) -> ActorMention | None:
        """ACLED never codes an actor against itself: when the mentions give one actor both roles,
        the second is another actor the group's mentions name, else nobody."""
        for member in group.members:
            for mention in (member.actor2, member.actor1):
                mention = self._situated(mention, country)
                if mention is not None and mention.actor.name != actor1.actor.name and not mention.implied:
                    return mention
        return None

    def _bombing_victims(self, group: EventGroup, sub_event_type: str, actor1: ActorMention,
                         country: str) -> ActorMention | None:
        """A bomb set off by a non-state actor that killed people, with no armed target named: ACLED
        codes its victims as civilians ('a car bomb killed 12 at a market'); a suicide bomber who
        killed only himself hit nobody known."""
        deaths = [m.deaths.value for m in group.members if m.deaths is not None]
        bomber = 1 if sub_event_type == "Suicide bomb" else 0  # ACLED counts the suicide bomber among the dead
        if sub_event_type not in NON_STATE_BOMBINGS or actor1.actor.inter not in INTER_NON_STATE or not deaths \
                or min(deaths) <= bomber:
            return None
        return self.dictionary.implied("civilians", country, group.first.trigger)

    def _name(self, mention: ActorMention | None, day: dt.date) -> str:
        return self.dictionary.name_on(mention.actor, day) if mention else ""

    def _country_name(self, iso2: str | None) -> str | None:
        country = self.dictionary.countries.get(iso2 or "")
        return country.name if country else None

    @staticmethod
    def _geo_precision(place) -> int:  # type: ignore[no-untyped-def]
        if place.entry is None:
            return 3
        if place.relation == "near":
            return 2
        if place.relation == "region" or _scale(place) >= 3:
            return 3
        return 1


def plain(name: str) -> str:
    """A gazetteer name as ACLED writes places: Latin letters without diacritics or ayn/hamza
    marks ("Ḩamāh" is "Hamah", "Ta‘izz" "Taizz"); names in other scripts are kept."""
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
    folded = re.sub(r"[‘’ʿʾ`]", "", folded)
    return folded if folded.isascii() else name


def _interaction(inter1: int | None, inter2: int | None) -> int | None:
    if inter1 is None:
        return None
    if inter2 is None:
        return inter1 * 10
    low, high = sorted((inter1, inter2))
    return low * 10 + high


def _notes(group: EventGroup, text: str) -> str:
    start, end = group.first.sentence_span
    return " ".join(text[start:end].split())


def _evidence(group: EventGroup, text: str) -> list[Evidence]:
    evidence: list[Evidence] = []
    seen: set[tuple[str, int, int]] = set()

    def add(field: str, start: int, end: int, note: str = "") -> None:
        if (field, start, end) not in seen:
            seen.add((field, start, end))
            evidence.append(Evidence(field=field, start=start, end=end, text=text[start:end], note=note))

    for member in group.members:
        add("sentence", *member.sentence_span)
        add("sub_event_type", member.trigger.span.start, member.trigger.span.end, _decided_by(member.trigger))
        if member.date is not None:
            add("event_date", member.date.span.start, member.date.span.end)
        for role, mention in (("actor1", member.actor1), ("actor2", member.actor2)):
            if mention is not None:
                add(role, mention.span.start, mention.span.end)
        for mention in member.assoc1:
            add("assoc_actor_1", mention.span.start, mention.span.end)
        if member.place is not None:
            add("location", member.place.span.start, member.place.span.end)
        if member.deaths is not None:
            add("fatalities", member.deaths.span.start, member.deaths.span.end)
        if member.claim is not None:
            add("claimed_by", member.claim.span.start, member.claim.span.end)
    return evidence


def _decided_by(trigger: TriggerMention) -> str:
    """Which component chose the type, and how sure the classifier was."""
    if trigger.confidence is None:
        return trigger.decided_by
    return f"{trigger.decided_by} {trigger.confidence:.2f}"


def _confidence(group: EventGroup, event: Event) -> float:
    first = group.first
    score = 0.35
    score += 0.15 if event.actor1 else 0.0
    score += 0.15 if any(m.date is not None and not m.date_inherited for m in group.members) else 0.05
    score += 0.15 if event.latitude is not None else 0.0
    score += 0.1 if first.trigger.strength >= 3 else 0.0
    score += 0.05 * min(2, len(group.members) - 1)
    return round(min(score, 1.0), 2)
