"""Rules and model together, with the classifier's reading fixed by the test.

Each test gives the sentence a reading (label, probability) and checks what the events
stage then codes: a confident "no event" silences the lexicon, a confident type of
another family replaces the rules' type, a confident event with no trigger becomes one,
and inside a family the actors decide.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from khaldun.api import extract_text
from khaldun.classify.model import Prediction


class FixedReading:
    """A classifier that reads every sentence the same way."""

    def __init__(self, label: str, confidence: float) -> None:
        event = label != "None"
        self.prediction = Prediction(label=label, confidence=confidence, event_probability=confidence if event else 1 - confidence,
                                     event_type=label if event else "Armed clash", type_confidence=confidence if event else 0.5)

    def __call__(self, texts: Sequence[str]) -> list[Prediction]:
        return [self.prediction for _ in texts]


@pytest.fixture
def reading(pipeline, monkeypatch):
    def use(label: str, confidence: float):
        monkeypatch.setattr(pipeline, "classifier", FixedReading(label, confidence))
        return pipeline
    return use


RIOT_EN = "Protesters burned tyres and threw stones at police in Mombasa on Tuesday."
NO_TRIGGER_FR = "Le 4 mars 2024, les FARDC ont installé une nouvelle position à Kitshanga, dans le territoire de Masisi."


def test_confident_no_event_silences_a_weak_trigger(reading) -> None:
    text = "Soldiers attacked a rebel camp near Gao on Monday, the army said."
    assert extract_text(text, "2024-03-05", language="en", pipeline=reading("Armed clash", 0.9))
    assert not extract_text(text, "2024-03-05", language="en", pipeline=reading("None", 0.95))


def test_a_main_verb_that_counts_its_dead_is_not_silenced(reading) -> None:
    text = "Soldiers killed two men in Gao on Monday."
    assert extract_text(text, "2024-03-05", language="en", pipeline=reading("None", 0.95))


def test_unsure_no_event_leaves_the_rules_alone(reading) -> None:
    text = "Soldiers killed two men in Gao on Monday, the army said."
    assert extract_text(text, "2024-03-05", language="en", pipeline=reading("None", 0.55))


def test_confident_type_of_another_family_replaces_the_rules_type(reading) -> None:
    events = extract_text(RIOT_EN, "2024-03-06", language="en", pipeline=reading("Violent demonstration", 0.9))
    assert [e.sub_event_type for e in events] == ["Violent demonstration"]
    note = next(ev.note for ev in events[0].evidence if ev.field == "sub_event_type")
    assert note.startswith("classifier") or note.startswith("rules+classifier")


def test_type_inside_a_family_is_decided_by_the_actors(reading) -> None:
    """The model may say 'Armed clash'; civilians as the target make it an attack."""
    text = "Gunmen killed five villagers in Konduga, Borno State, on Sunday."
    events = extract_text(text, "2024-03-04", language="en", pipeline=reading("Armed clash", 0.9))
    assert [e.sub_event_type for e in events] == ["Attack"]


def test_confident_event_without_a_trigger_becomes_one(reading) -> None:
    pipeline = reading("Headquarters or base established", 0.92)
    events = extract_text(NO_TRIGGER_FR, "2024-03-06", language="fr", pipeline=pipeline)
    assert [e.sub_event_type for e in events] == ["Headquarters or base established"]
    assert events[0].event_date.isoformat() == "2024-03-04"
    assert any(ev.field == "sub_event_type" and ev.note == "classifier 0.92" for ev in events[0].evidence)


def test_unsure_event_without_a_trigger_is_not_coded(reading) -> None:
    assert not extract_text(NO_TRIGGER_FR, "2024-03-06", language="fr", pipeline=reading("Headquarters or base established", 0.4))


def test_a_future_act_is_not_made_an_event_by_the_model(reading) -> None:
    text = "Les FARDC installeront une nouvelle position à Kitshanga la semaine prochaine."
    assert not extract_text(text, "2024-03-06", language="fr", pipeline=reading("Headquarters or base established", 0.95))


def test_rules_only_pipeline_ignores_the_model(pipeline) -> None:
    from khaldun.pipeline import Pipeline

    rules = Pipeline(place_finder=pipeline.places, use_classifier=False)
    result = rules.process(__import__("khaldun.schema", fromlist=["Report"]).Report(
        id="r", text=RIOT_EN, publication_date=__import__("datetime").date(2024, 3, 6), language="en"))
    assert all(t.decided_by == "rules" for t in result.mentions.triggers)
    assert all(not s.label for s in result.mentions.sentences)
