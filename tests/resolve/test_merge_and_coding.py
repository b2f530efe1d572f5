"""Resolution: merging mentions of one event, and ACLED's derived columns."""

from __future__ import annotations

import datetime as dt
import itertools

from khaldun.extract.events import EventCandidate
from khaldun.resolve.acled import _interaction
from khaldun.resolve.merge import EventGroup, merge_candidates, places_compatible
from khaldun.schema import ActorMention, ActorRef, DateMention, GeoEntry, NumberMention, PlaceMention, Span, TriggerMention

SENTENCES = itertools.count()
ABSORBED = {"Air/drone strike", "Shelling/artillery/missile attack", "Grenade"}
EVENT_TYPE = {"Armed clash": "Battles", "Air/drone strike": "Explosions/Remote violence",
              "Shelling/artillery/missile attack": "Explosions/Remote violence", "Suicide bomb": "Explosions/Remote violence",
              "Government regains territory": "Battles"}


def span(start: int = 0, text: str = "x") -> Span:
    return Span(start=start, end=start + len(text), text=text)


def day(value: str) -> DateMention:
    date = dt.date.fromisoformat(value)
    return DateMention(span=span(), kind="day", value=value, start=date, end=date, precision=1)


def actor(name: str, inter: int, key: str = "") -> ActorMention:
    return ActorMention(span=span(), actor=ActorRef(name=name, inter=inter, country="Syria", key=key or name))


def place(name: str, lat: float, lon: float, code: str = "PPL", admin1: str = "Aleppo") -> PlaceMention:
    entry = GeoEntry(id=f"geonames:{name}", name=name, latitude=lat, longitude=lon, feature_class="P", feature_code=code,
                     country_code="SY", country="Syria", admin1=admin1)
    return PlaceMention(span=span(), name=name, entry=entry, relation="in")


def candidate(sub: str, date: str | None = None, actor1: ActorMention | None = None, place_: PlaceMention | None = None,
              deaths: int | None = None, strength: int = 3) -> EventCandidate:
    trigger = TriggerMention(span=span(), event_type=EVENT_TYPE.get(sub, ""), sub_event_type=sub, lemma="x", strength=strength)
    index = next(SENTENCES)  # each candidate told in its own sentence
    found = EventCandidate(trigger=trigger, sub_event_type=sub, sentence_index=index, paragraph=index,
                           sentence_span=(index * 100, index * 100 + 90))
    found.date = day(date) if date else None
    found.actor1 = actor1
    found.place = place_
    if deaths is not None:
        found.deaths = NumberMention(span=span(), value=deaths, category="killed")
    return found


ARMY = actor("Military Forces of Syria", 1, "military")
FSA = actor("Free Syrian Army", 2, "sy-fsa")
ALEPPO = place("Aleppo", 36.20, 37.16)
HOMS = place("Homs", 34.73, 36.71, admin1="Homs")


def test_same_type_same_day_same_place_merges() -> None:
    groups = merge_candidates([candidate("Suicide bomb", "2013-09-07", place_=ALEPPO, deaths=15),
                               candidate("Suicide bomb", "2013-09-07", place_=ALEPPO, deaths=18)], ABSORBED)
    assert len(groups) == 1 and len(groups[0].members) == 2


def test_different_days_do_not_merge() -> None:
    groups = merge_candidates([candidate("Armed clash", "2013-07-27", ARMY), candidate("Armed clash", "2013-07-29", ARMY)],
                              ABSORBED)
    assert len(groups) == 2


def test_different_places_do_not_merge() -> None:
    groups = merge_candidates([candidate("Armed clash", "2013-07-27", ARMY, ALEPPO),
                               candidate("Armed clash", "2013-07-27", ARMY, HOMS)], ABSORBED)
    assert len(groups) == 2


def test_different_actors_do_not_merge() -> None:
    groups = merge_candidates([candidate("Shelling/artillery/missile attack", "2013-07-27", ARMY),
                               candidate("Shelling/artillery/missile attack", "2013-07-27", FSA)], ABSORBED)
    assert len(groups) == 2


def test_undated_mention_joins_the_dated_one() -> None:
    groups = merge_candidates([candidate("Suicide bomb", "2013-09-07"), candidate("Suicide bomb", None)], ABSORBED)
    assert len(groups) == 1
    assert groups[0].date().value == "2013-09-07"


def test_shelling_folds_into_a_battle_same_day_place_actor() -> None:
    groups = merge_candidates([candidate("Armed clash", "2013-07-27", ARMY, ALEPPO),
                               candidate("Shelling/artillery/missile attack", "2013-07-27", ARMY, ALEPPO)], ABSORBED)
    assert len(groups) == 1
    assert groups[0].sub_event_type() == "Armed clash"


def test_territory_wins_over_clash_in_a_group() -> None:
    group = EventGroup([candidate("Armed clash", "2013-07-31", ARMY), candidate("Government regains territory", "2013-07-31", ARMY)])
    assert group.sub_event_type() == "Government regains territory"


def test_suicide_bomb_is_not_absorbed_by_a_battle() -> None:
    groups = merge_candidates([candidate("Armed clash", "2013-07-27", ARMY, ALEPPO),
                               candidate("Suicide bomb", "2013-07-27", None, ALEPPO)], ABSORBED)
    assert len(groups) == 2


def test_places_compatible() -> None:
    near = place("Aleppo-east", 36.21, 37.18)
    assert places_compatible(ALEPPO, near)
    assert not places_compatible(ALEPPO, HOMS)
    assert places_compatible(ALEPPO, None)


def test_interaction_codes() -> None:
    assert _interaction(1, 2) == 12
    assert _interaction(2, 1) == 12
    assert _interaction(3, 7) == 37
    assert _interaction(1, None) == 10
    assert _interaction(None, None) is None


def test_fatalities_most_conservative_across_mentions(events_of) -> None:
    text = ("Un kamikaze s'est fait exploser samedi devant un restaurant de Mogadiscio, tuant au moins 15 personnes, selon "
            "la police.\n\nL'attentat-suicide de samedi a fait 18 morts, selon un responsable de l'hôpital.")
    events = [e for e in events_of(text, "2013-09-09", "fr") if e.sub_event_type == "Suicide bomb"]
    assert len(events) == 1
    assert events[0].fatalities == 15 and events[0].fatalities_known


def test_gazetteer_names_are_written_as_acled_writes_places() -> None:
    from khaldun.resolve.acled import plain

    assert plain("Ḩamāh") == "Hamah" and plain("Ta‘izz") == "Taizz" and plain("Homs") == "Homs"
    assert plain("حمص") == "حمص"
