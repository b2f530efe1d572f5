"""ControlFinder on invented French and English sentences: who holds which place, since when."""

from __future__ import annotations

import datetime as dt

import pytest

from khaldun.extract.control import ControlFinder
from khaldun.schema import GeoEntry, PlaceMention, Span

PUBLISHED = dt.date(2014, 3, 11)
CITY = "test:city"


def places_in(text: str, names: list[str], parent: dict[str, str] | None = None) -> list[PlaceMention]:
    """Place mentions for the given names, as the gazetteer stage would give them."""
    found = []
    for name in names:
        start = text.find(name)
        while start >= 0:
            entry = GeoEntry(id=f"test:{name}", name=name, latitude=34.7, longitude=36.7, feature_class="P",
                             feature_code="PPLX", parent_id=(parent or {}).get(name))
            found.append(PlaceMention(span=Span(start=start, end=start + len(name), text=name), name=name, entry=entry))
            start = text.find(name, start + 1)
    return sorted(found, key=lambda p: p.span.start)


@pytest.fixture(scope="module")
def find(pipeline, lexicon):
    def run(language: str, text: str, names: list[str], parent: dict[str, str] | None = None):
        stages = pipeline.stages_for(language)
        finder = ControlFinder(lexicon=lexicon(language))
        doc = stages.nlp(text)
        places = places_in(text, names, parent)
        dates = stages.dates(text, PUBLISHED)
        statements = []
        for sentence in doc.sents:
            actors = pipeline.actors(doc, sentence, focus_country="Syria")
            statements += finder(doc, sentence, actors, places, dates)
        return [(s.actor.name, s.place.name, s.since) for s in statements]
    return run


def test_subject_of_tenir_holds_coordinated_places(find):
    text = "Les combattants de l'ASL tiennent encore les quartiers de Bab Sbaa, Jadida et al-Waer."
    assert find("fr", text, ["Bab Sbaa", "Jadida", "al-Waer"]) == [
        ("Free Syrian Army", "Bab Sbaa", None), ("Free Syrian Army", "Jadida", None),
        ("Free Syrian Army", "al-Waer", None)]


def test_anaphora_and_since(find):
    text = ("Les soldats sont entrés dans Jadida, près de Homs. "
            "Les rebelles contrôlaient cette zone depuis mars 2012.")
    assert find("fr", text, ["Jadida", "Homs"], parent={"Jadida": "test:Homs"}) == [
        ("Opposition Rebels (Syria)", "Jadida", dt.date(2012, 3, 1))]


def test_participle_agent_holds_the_places_before_it(find):
    text = "L'armée syrienne a repris Jadida lundi, mais les quartiers de Bab Sbaa et al-Waer, encore tenus par l'ASL, résistent."
    assert find("fr", text, ["Bab Sbaa", "Jadida", "al-Waer"]) == [
        ("Free Syrian Army", "Bab Sbaa", None), ("Free Syrian Army", "al-Waer", None)]


def test_negated_and_intended_control_are_not_holdings(find):
    text = "L'armée veut contrôler Jadida. Les rebelles ne contrôlent plus Bab Sbaa."
    assert find("fr", text, ["Bab Sbaa", "Jadida"]) == []
    assert find("en", "The army does not control Jadida. The army wants to control Bustan.", ["Jadida", "Bustan"]) == []


def test_english_shapes(find):
    text = ("Rebels still hold the old city of Raqqa and the Bustan district. "
            "Shelling hit rebel-held Karm on Sunday, while Jadida remains under the control of the army.")
    assert find("en", text, ["Raqqa", "Bustan", "Karm", "Jadida"]) == [
        ("Opposition Rebels (Syria)", "Raqqa", None), ("Opposition Rebels (Syria)", "Bustan", None),
        ("Military Forces of Syria", "Jadida", None), ("Opposition Rebels (Syria)", "Karm", None)]


def test_apposition_names_one_place(find):
    text = "Les soldats ont pilonné Homs et Baba Amr, bastion de la rébellion."
    assert find("fr", text, ["Homs", "Baba Amr"]) == [("Opposition Rebels (Syria)", "Baba Amr", None)]


def test_a_stronghold_since_retaken_is_not_held(find):
    text = "La chute de Jadida rappelle celle de Bab Sbaa, longtemps fief de l'ASL reconquis par les troupes en 2012."
    assert find("fr", text, ["Jadida", "Bab Sbaa"]) == []


def test_a_former_stronghold_is_not_held(find):
    text = "Troops entered Bab Sbaa, a former stronghold of the rebels, on Monday."
    assert find("en", text, ["Bab Sbaa"]) == []


def test_a_stronghold_still_standing_is_held(find):
    text = "Les soldats encerclent Bab Sbaa, bastion de l'ASL."
    assert find("fr", text, ["Bab Sbaa"]) == [("Free Syrian Army", "Bab Sbaa", None)]
