"""Actors: dictionary normalisation to ACLED names, country binding, named beats generic."""

from __future__ import annotations

import datetime as dt

import pytest

from khaldun.extract.actors import ActorDictionary, ActorFinder
from khaldun.schema import ActorRef


@pytest.fixture(scope="module")
def dictionary() -> ActorDictionary:
    return ActorDictionary.default()


@pytest.fixture(scope="module")
def actors(stages, dictionary):
    finder = ActorFinder(dictionary=dictionary)

    def run(language: str, text: str, focus: str | None = None, date: dt.date | None = dt.date(2013, 7, 27)):
        doc = stages(language).nlp(text)
        found = [a for sentence in doc.sents for a in finder(doc, sentence, focus_country=focus, date=date)]
        for mention in found:
            assert text[mention.span.start:mention.span.end] == mention.span.text
        return found

    return run


def names(found) -> list[str]:
    return [a.actor.name for a in found]


def test_syrian_army_on_a_2013_date(actors) -> None:
    found = actors("fr", "L'armée syrienne a bombardé samedi le quartier de Jobar.")
    assert [(a.span.text, a.actor.name, a.actor.inter, a.actor.country) for a in found] == [
        ("armée syrienne", "Military Forces of Syria (2000-)", 1, "Syria")]


def test_regime_suffix_from_date(dictionary) -> None:
    ref = ActorRef(name="Military Forces of Syria", inter=1, country="Syria", key="military")
    assert dictionary.name_on(ref, dt.date(2013, 7, 27)) == "Military Forces of Syria (2000-)"


@pytest.mark.parametrize(("language", "text"), [
    ("fr", "Les rebelles de l'ASL ont attaqué un barrage."),
    ("fr", "Les combattants de l'Armée syrienne libre ont attaqué un barrage."),
    ("en", "FSA fighters attacked a checkpoint."),
    ("en", "The Free Syrian Army attacked a checkpoint."),
])
def test_free_syrian_army(actors, language, text) -> None:
    found = actors(language, text)
    assert names(found) == ["Free Syrian Army"]
    assert found[0].actor.inter == 2


def test_bare_army_is_bound_to_the_report_country(actors) -> None:
    assert names(actors("fr", "L'armée a bombardé Douma.", focus="Syria")) == ["Military Forces of Syria (2000-)"]
    assert names(actors("fr", "L'armée a bombardé Douentza.", focus="Mali", date=dt.date(2013, 2, 8))) == [
        "Military Forces of Mali (2012-2013)"]


def test_bare_army_without_country_is_not_guessed(actors) -> None:
    assert actors("fr", "L'armée a bombardé la ville.", focus=None) == []


def test_named_actor_beats_generic(actors) -> None:
    found = actors("en", "Boko Haram gunmen killed villagers.", focus="Nigeria", date=dt.date(2014, 2, 15))
    assert names(found)[0].startswith("Boko Haram")
    assert "Unidentified Armed Group (Nigeria)" not in names(found)
    found = actors("fr", "Les rebelles du M23 se sont retirés de Goma.", focus="Democratic Republic of Congo")
    assert names(found) == ["M23: March 23 Movement"]


def test_generic_actors(actors) -> None:
    found = actors("fr", "Des hommes armés ont tué trois civils.", focus="Syria")
    assert [(a.actor.name, a.actor.inter) for a in found] == [
        ("Unidentified Armed Group (Syria)", 3), ("Civilians (Syria)", 7)]


def test_national_adjective_binds_country_whatever_the_focus(actors) -> None:
    found = actors("en", "Iraqi security forces fought ISIL militants.", focus="Syria", date=dt.date(2014, 1, 3))
    assert found[0].actor.name.startswith("Military Forces of Iraq")


def test_coordinated_nationalities_give_two_actors(actors) -> None:
    found = actors("fr", "Les soldats maliens et français ont affronté les islamistes du MUJAO.", focus="Mali",
                   date=dt.date(2013, 2, 10))
    found_names = names(found)
    assert any(n.startswith("Military Forces of Mali") for n in found_names)
    assert any(n.startswith("Military Forces of France") for n in found_names)
    assert "MUJAO: Movement for Unity and Jihad in West Africa" in found_names


def test_acronyms_match_case_sensitively(actors) -> None:
    """"au" is a French word, not the African Union (AU)."""
    found = actors("fr", "Les soldats sont arrivés au marché de Mogadiscio.", focus="Somalia", date=dt.date(2013, 9, 7))
    assert "African Union" not in " ".join(names(found))
