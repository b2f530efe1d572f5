"""Training: deterministic, better than a trivial baseline, stored as plain arrays."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from khaldun.classify.corpus import read_corpus, sample, split
from khaldun.classify.model import EventClassifier, Weights
from khaldun.classify.train import evaluate, fit, train
from khaldun.errors import KhaldunError


@pytest.fixture(scope="module")
def small():
    """A slice small enough to train in seconds: 40 sentences of each label."""
    return sample(read_corpus(), 40, seed=3)


@pytest.fixture(scope="module")
def trained(small):
    return train(small, seed=5, holdout=0.25)


def test_small_model_beats_the_majority_baseline(trained) -> None:
    _, evaluation = trained
    assert evaluation.accuracy > evaluation.baseline_accuracy + 0.3, evaluation.as_dict()
    assert evaluation.event_recall > 0.8


def test_training_is_deterministic(small) -> None:
    train_part, _ = split(small, 5, 0.25)
    first, second = fit(train_part, seed=5), fit(train_part, seed=5)
    assert first.word_vocabulary == second.word_vocabulary and first.classes == second.classes
    assert np.array_equal(first.coef, second.coef)


def test_saved_model_predicts_as_the_trained_one(trained, tmp_path: Path) -> None:
    weights, _ = trained
    weights.save(tmp_path)
    texts = ["Police fired tear gas at protesters in Dakar on Friday.", "Les pourparlers reprendront la semaine prochaine."]
    reloaded = EventClassifier.from_disk(tmp_path)
    assert [p.label for p in reloaded(texts)] == [p.label for p in EventClassifier(Weights.load(tmp_path))(texts)]
    before = EventClassifier(weights).probabilities(texts)
    assert np.allclose(before, reloaded.probabilities(texts), atol=2e-3)  # coefficients are stored as float16


def test_card_records_how_the_model_was_made(trained) -> None:
    card = trained[0].card
    assert card["seed"] == 5 and card["holdout"] == 0.25 and len(card["corpus_sha256"]) == 64
    assert "per_label" in card["evaluation"]


def test_missing_model_is_a_coded_error(tmp_path: Path) -> None:
    with pytest.raises(KhaldunError) as caught:
        EventClassifier.from_disk(tmp_path)
    assert caught.value.code == "E412"


def test_too_small_a_corpus_is_refused(small) -> None:
    with pytest.raises(KhaldunError) as caught:
        fit(small[:5])
    assert caught.value.code == "E413"


def test_evaluate_counts_per_label(trained, small) -> None:
    classifier = EventClassifier(trained[0])
    evaluation = evaluate(classifier, small[:60], baseline_label="None")
    assert sum(s.support for s in evaluation.per_label) == 60


def test_shipped_model_loads_from_the_package() -> None:
    classifier = EventClassifier.default()
    assert len(classifier.weights.classes) == 26
    assert classifier.card["sentences"] >= 6000
    reading = classifier(["A roadside bomb exploded under a police vehicle near Kandahar on Monday, killing three officers."])[0]
    assert reading.label == "Remote explosive/landmine/IED" and reading.confidence > 0.5
