"""ACLED's actor conventions applied when an event is coded: the event's country, the group held
responsible, never one actor against itself, civilians as the victims of a bombing."""

from __future__ import annotations

import datetime as dt

import pytest

from khaldun.extract.actors import ActorDictionary
from khaldun.extract.events import EventCandidate
from khaldun.resolve.acled import AcledCoder
from khaldun.resolve.merge import EventGroup
from khaldun.resources import load_yaml
from khaldun.schema import (
    ActorMention, ActorRef, DateMention, GeoEntry, NumberMention, PlaceMention, Report, Span, TriggerMention,
)

EVENT_TYPE = {"Suicide bomb": "Explosions/Remote violence", "Remote explosive/landmine/IED": "Explosions/Remote violence", "Air/drone strike": "Explosions/Remote violence",
              "Armed clash": "Battles", "Attack": "Violence against civilians", "Non-state actor overtakes territory": "Battles"}


@pytest.fixture(scope="module")
def dictionary() -> ActorDictionary:
    return ActorDictionary.default()


@pytest.fixture(scope="module")
def coder(dictionary) -> AcledCoder:
    return AcledCoder(taxonomy=load_yaml("taxonomy.yaml"), dictionary=dictionary)


def span(text: str = "x") -> Span:
    return Span(start=0, end=len(text), text=text)


def mention(dictionary: ActorDictionary, key: str, country: str, implied: bool = False) -> ActorMention:
    ref = dictionary.generic(key, country)
    assert ref is not None
    return ActorMention(span=span(), actor=ref, implied=implied)


def named(name: str, inter: int, country: str | None, key: str) -> ActorMention:
    return ActorMention(span=span(), actor=ActorRef(name=name, inter=inter, country=country, key=key))


def place(country_code: str, country: str) -> PlaceMention:
    entry = GeoEntry(id="geonames:1", name="Town", latitude=14.0, longitude=1.0, feature_class="P", feature_code="PPL",
                     country_code=country_code, country=country)
    return PlaceMention(span=span(), name="Town", entry=entry, relation="in")


def group(sub: str, actor1: ActorMention, actor2: ActorMention | None = None, deaths: int | None = None,
          where: PlaceMention | None = None) -> EventGroup:
    trigger = TriggerMention(span=span(), event_type=EVENT_TYPE[sub], sub_event_type=sub, lemma="x", strength=3)
    candidate = EventCandidate(trigger=trigger, sub_event_type=sub, sentence_index=0, paragraph=0, sentence_span=(0, 1))
    day = dt.date(2017, 2, 22)
    candidate.date = DateMention(span=span(), kind="day", value=day.isoformat(), start=day, end=day, precision=1)
    candidate.actor1, candidate.actor2, candidate.place = actor1, actor2, where
    if deaths is not None:
        candidate.deaths = NumberMention(span=span(), value=deaths, category="killed")
    return EventGroup(members=[candidate])


def code(coder: AcledCoder, groups: list[EventGroup], focus: str, claimants: list[ActorRef] = ()) -> list:
    report = Report(id="t", text="x", publication_date=dt.date(2017, 2, 23))
    return coder(groups, report, "x", focus, claimants=claimants)


def test_unnamed_actors_take_the_event_country(coder, dictionary) -> None:
    """A report mostly about Mali tells of gunmen attacking soldiers in Niger: Niger's gunmen."""
    gunmen = mention(dictionary, "unidentified-armed-group", "Mali")
    soldiers = named("Military Forces of Niger", 1, "Niger", "military")
    [event] = code(coder, [group("Armed clash", gunmen, soldiers, where=place("NE", "Niger"))], "Mali")
    assert event.actor1 == "Unidentified Armed Group (Niger)"


def test_a_named_country_is_kept_whatever_the_event_country(coder, dictionary) -> None:
    malian = mention(dictionary, "military", "Mali").model_copy()
    malian = malian.model_copy(update={"actor": malian.actor.model_copy(update={"country_from_report": False})})
    [event] = code(coder, [group("Armed clash", malian, where=place("NE", "Niger"))], "Niger")
    assert event.actor1.startswith("Military Forces of Mali")


def test_the_group_held_responsible_replaces_unidentified_attackers(coder, dictionary) -> None:
    shabaab = ActorRef(name="Al Shabaab", inter=2, country="Somalia", key="so-al-shabaab")
    bomber = mention(dictionary, "unidentified-armed-group", "Somalia", implied=True)
    [event] = code(coder, [group("Suicide bomb", bomber, deaths=5)], "Somalia", claimants=[shabaab])
    assert event.actor1 == "Al Shabaab"


def test_two_groups_held_responsible_name_neither(coder, dictionary) -> None:
    claimants = [ActorRef(name="Al Shabaab", inter=2, country="Somalia", key="a"),
                 ActorRef(name="Islamic State (Somalia)", inter=2, country="Somalia", key="b")]
    bomber = mention(dictionary, "unidentified-armed-group", "Somalia", implied=True)
    [event] = code(coder, [group("Suicide bomb", bomber, deaths=5)], "Somalia", claimants=claimants)
    assert event.actor1 == "Unidentified Armed Group (Somalia)"


def test_a_group_of_another_country_is_not_held_responsible(coder, dictionary) -> None:
    shabaab = ActorRef(name="Al Shabaab", inter=2, country="Somalia", key="so-al-shabaab")
    gunmen = mention(dictionary, "unidentified-armed-group", "Mali")
    [event] = code(coder, [group("Attack", gunmen, mention(dictionary, "civilians", "Mali"))], "Mali", claimants=[shabaab])
    assert event.actor1 == "Unidentified Armed Group (Mali)"


def test_an_actor_is_never_coded_against_itself(coder) -> None:
    rsf = named("Rapid Support Forces", 2, "Sudan", "sd-rsf")
    [event] = code(coder, [group("Armed clash", rsf, rsf)], "Sudan")
    assert event.actor1 == "Rapid Support Forces" and event.actor2 == ""


@pytest.mark.parametrize(("sub", "key", "deaths", "victims"), [
    ("Suicide bomb", "unidentified-armed-group", 12, "Civilians (Iraq)"),
    ("Suicide bomb", "unidentified-armed-group", 0, ""),
    ("Suicide bomb", "unidentified-armed-group", 1, ""),
    ("Remote explosive/landmine/IED", "unidentified-armed-group", 1, "Civilians (Iraq)"),
    ("Air/drone strike", "military", 12, ""),
])
def test_a_deadly_bombing_by_a_non_state_actor_hits_civilians(coder, dictionary, sub, key, deaths, victims) -> None:
    [event] = code(coder, [group(sub, mention(dictionary, key, "Iraq", implied=True), deaths=deaths)], "Iraq")
    assert event.actor2 == victims


def test_a_place_taken_in_a_battle_was_taken_by_the_capture_s_agent(coder, dictionary) -> None:
    """'After fighting between the army and the Taliban, the insurgents took the district.'"""
    army = mention(dictionary, "military", "Afghanistan")
    taliban = named("Taliban", 2, "Afghanistan", "af-taliban")
    fighting, capture = group("Armed clash", army, taliban), group("Non-state actor overtakes territory", taliban)
    [event] = code(coder, [EventGroup(members=fighting.members + capture.members)], "Afghanistan")
    assert event.sub_event_type == "Non-state actor overtakes territory"
    assert event.actor1 == "Taliban" and event.actor2.startswith("Military Forces of Afghanistan")
