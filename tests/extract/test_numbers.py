"""Counts of people: killed vs injured, vague counts, minimums, subsets, pronoun deaths."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def numbers(stages):
    def run(language: str, text: str):
        stage = stages(language)
        doc = stage.nlp(text)
        return [n for sentence in doc.sents for n in stage.numbers(doc, sentence)]

    return run


def summary(found) -> list[tuple[str, int, str]]:
    return [(n.span.text, n.value, n.category) for n in found]


@pytest.mark.parametrize(("language", "text", "expected"), [
    ("fr", "Le raid a fait cinq morts et douze blessés, selon l'OSDH.",
     [("cinq morts", 5, "killed"), ("douze blessés", 12, "injured")]),
    ("fr", "Trois personnes ont été blessées dans l'explosion.", [("Trois personnes", 3, "injured")]),
    ("en", "The clashes killed eight people and wounded 20 others.",
     [("eight people", 8, "killed"), ("20 others", 20, "injured")]),
    ("en", "Gunmen killed three soldiers and wounded five civilians.",
     [("three soldiers", 3, "killed"), ("five civilians", 5, "injured")]),
])
def test_killed_versus_injured(numbers, language, text, expected) -> None:
    assert summary(numbers(language, text)) == expected


@pytest.mark.parametrize(("language", "text", "value", "category"), [
    ("en", "Dozens of people were killed in the shelling.", 12, "killed"),
    ("en", "Hundreds of civilians were killed in the offensive.", 100, "killed"),
    ("en", "Tens of fighters were killed on both sides.", 10, "killed"),
    ("en", "Dozens of people were wounded in the blast.", 12, "injured"),
    ("fr", "Des dizaines de personnes ont été tuées dans le bombardement.", 10, "killed"),
    ("fr", "Des centaines de civils ont été blessés.", 100, "injured"),
    ("fr", "Une vingtaine de combattants ont péri dans l'embuscade.", 20, "killed"),
])
def test_vague_counts_take_acled_values(numbers, language, text, value, category) -> None:
    found = numbers(language, text)
    assert [(n.value, n.category, n.vague) for n in found] == [(value, category, True)]


@pytest.mark.parametrize(("language", "text", "value"), [
    ("en", "At least 15 people were killed in the attack.", 15),
    ("fr", "Au moins treize soldats ont été tués.", 13),
    ("fr", "Plus de 40 personnes ont été tuées.", 40),
])
def test_at_least_is_a_minimum(numbers, language, text, value) -> None:
    found = [n for n in numbers(language, text) if n.category == "killed"]
    assert [(n.value, n.minimum) for n in found] == [(value, True)]


@pytest.mark.parametrize(("language", "text", "total", "part"), [
    ("en", "At least 15 people were killed, including two soldiers, police said.", 15, 2),
    ("fr", "Au moins 12 civils ont été tués, dont quatre enfants.", 12, 4),
    ("fr", "Dix-huit personnes ont été tuées, dont six femmes.", 18, 6),
    ("en", "Twenty people died, among them six children.", 20, 6),
])
def test_breakdowns_are_flagged_as_subsets(numbers, language, text, total, part) -> None:
    found = numbers(language, text)
    main = [n for n in found if not n.subset]
    subsets = [n for n in found if n.subset]
    assert [(n.value, n.category) for n in main] == [(total, "killed")]
    assert [n.value for n in subsets] == [part]


@pytest.mark.parametrize(("language", "text"), [
    ("fr", "Touché par un éclat d'obus, il est mort sur le coup."),
    ("fr", "Blessée par balle, elle est morte à l'hôpital."),
    ("en", "He died of his wounds in hospital."),
])
def test_pronoun_deaths_count_one(numbers, language, text) -> None:
    found = [n for n in numbers(language, text) if n.category == "killed"]
    assert [n.value for n in found] == [1]


def test_years_are_not_counts(numbers) -> None:
    assert numbers("fr", "Les rebelles ont pris la ville en 2012.") == []


def test_spans_match_the_text(numbers) -> None:
    text = "Le bombardement a fait au moins 24 morts et des dizaines de blessés dans le quartier de Jobar."
    for mention in numbers("fr", text):
        assert text[mention.span.start:mention.span.end] == mention.span.text


def test_people_counted_without_fate(numbers) -> None:
    found = numbers("en", "Thousands of protesters marched peacefully in Hama.")
    assert [(n.value, n.category) for n in found] == [(1000, "people")]


@pytest.mark.parametrize("text", [
    "Gunmen shot dead a policeman outside the station on Tuesday.",
    "A villager was killed when the militia raided the market.",
    "An insurgent was killed in the firefight, the army said.",
    "Police said one protester died of his wounds.",
])
def test_one_person_told_in_the_singular_is_one_death(numbers, text) -> None:
    assert [(n.value, n.category) for n in numbers("en", text)] == [(1, "killed")]


def test_a_singular_person_not_killed_is_no_death(numbers) -> None:
    assert not [n for n in numbers("en", "A member of the council said the talks would resume.") if n.category == "killed"]
