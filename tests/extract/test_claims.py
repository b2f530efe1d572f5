"""Claims: who says so ("selon l'OSDH", "according to activists", "X said", "a indiqué X")."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def claims(stages):
    def run(language: str, text: str) -> list[str]:
        stage = stages(language)
        doc = stage.nlp(text)
        found = [c for sentence in doc.sents for c in stage.claims(doc, sentence)]
        for claim in found:
            assert text[claim.span.start:claim.span.end] == claim.span.text
        return [c.source for c in found]

    return run


@pytest.mark.parametrize(("language", "text", "source"), [
    ("fr", "Cinq civils ont été tués samedi à Douma, selon l'OSDH.", "OSDH"),
    ("fr", "Cinq civils ont été tués, selon l'Observatoire syrien des droits de l'homme.",
     "Observatoire syrien des droits de l'homme"),
    ("fr", "D'après un responsable local, le village a été attaqué à l'aube.", "responsable local"),
    ("fr", "Les combats ont fait dix morts, a indiqué un porte-parole de l'armée.", "porte-parole de l'armée"),
    ("fr", "Un porte-parole de l'armée a affirmé que les rebelles avaient fui.", "porte-parole de l'armée"),
    ("en", "Five civilians were killed, according to activists.", "activists"),
    ("en", "Gunmen attacked the village on Tuesday, the governor said.", "governor"),
    ("en", "A military spokesman said the soldiers had repelled the attack.", "military spokesman"),
    ("en", "The Syrian Observatory for Human Rights reported that 20 people died.", "Syrian Observatory for Human Rights"),
    ("en", "Troops clashed with rebels in Saraqeb on Sunday, killing seven fighters, the Syrian Observatory for Human "
           "Rights said.", "Syrian Observatory for Human Rights"),
    ("fr", "Des avions ont bombardé lundi des positions à Konna, a annoncé le ministère de la Défense.",
     "ministère de la Défense"),
])
def test_attribution(claims, language, text, source) -> None:
    assert claims(language, text) == [source]


@pytest.mark.parametrize(("language", "text"), [
    ("fr", "Aucune victime n'a été signalée lors des tirs de lundi."),
    ("fr", "L'attentat a été revendiqué par le MUJAO."),
    ("en", "The attack was reported on Tuesday."),
])
def test_the_subject_of_a_passive_verb_is_not_a_source(claims, language, text) -> None:
    sources = claims(language, text)
    assert "Aucune victime" not in sources and "attentat" not in sources and "attack" not in sources


def test_no_attribution(claims) -> None:
    assert claims("en", "Gunmen attacked the village of Izghe on Saturday.") == []


def test_first_person_is_not_a_source(claims) -> None:
    assert claims("fr", "« Nous avons vu les avions », avons-nous dit.") == []
