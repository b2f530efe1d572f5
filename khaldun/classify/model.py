"""The event classifier: a sentence -> an ACLED sub-event type or ``None``, with a probability.

A multinomial logistic regression over tf-idf word and character n-grams. It is stored as
plain arrays (vocabularies, idf weights, coefficients) in an ``.npz`` file beside a JSON
card, never as a pickle: loading runs no code, and the file is a few MB.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from scipy import sparse

from khaldun.classify.corpus import NO_EVENT
from khaldun.classify.features import prepare, vectorizers
from khaldun.errors import error
from khaldun.resources import data_path

MODEL_FILE = "model.npz"
CARD_FILE = "model.json"
FORMAT = 1


@dataclass(frozen=True)
class Prediction:
    """The classifier's reading of one sentence."""

    label: str  # a sub-event type, or "None"
    confidence: float  # probability of ``label``
    event_probability: float  # 1 - probability of "None"
    event_type: str = ""  # the likeliest sub-event type, even when "None" is likelier still
    type_confidence: float = 0.0  # probability of ``event_type`` given that the sentence tells an event


@dataclass
class Weights:
    """Everything the classifier needs at prediction time."""

    classes: list[str]
    word_vocabulary: list[str]
    char_vocabulary: list[str]
    word_idf: np.ndarray
    char_idf: np.ndarray
    coef: np.ndarray  # (classes, features)
    intercept: np.ndarray
    card: dict

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(folder / MODEL_FILE, classes=np.array(self.classes), word_vocabulary=np.array(self.word_vocabulary),
                            char_vocabulary=np.array(self.char_vocabulary), word_idf=self.word_idf.astype(np.float32),
                            char_idf=self.char_idf.astype(np.float32), coef=self.coef.astype(np.float16),
                            intercept=self.intercept.astype(np.float32))
        (folder / CARD_FILE).write_text(json.dumps(self.card, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> Weights:
        try:
            with np.load(folder / MODEL_FILE, allow_pickle=False) as arrays:
                card = json.loads((folder / CARD_FILE).read_text(encoding="utf-8"))
                if card.get("format") != FORMAT:
                    raise ValueError(f"format {card.get('format')!r}, expected {FORMAT}")
                return cls(classes=[str(c) for c in arrays["classes"]], word_vocabulary=[str(t) for t in arrays["word_vocabulary"]],
                           char_vocabulary=[str(t) for t in arrays["char_vocabulary"]], word_idf=arrays["word_idf"],
                           char_idf=arrays["char_idf"], coef=arrays["coef"].astype(np.float32),
                           intercept=arrays["intercept"], card=card)
        except (OSError, ValueError, KeyError) as exc:
            raise error("E412", path=str(folder), reason=str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None


def tfidf(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Sublinear term frequency times idf, each row scaled to unit length."""
    counts = counts.tocsr(copy=True).astype(np.float32)
    counts.data = 1.0 + np.log(counts.data)
    weighted = counts @ sparse.diags(idf.astype(np.float32))
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1))).ravel()
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ weighted)


class EventClassifier:
    """Stage: sentence texts -> :class:`Prediction` per sentence."""

    def __init__(self, weights: Weights) -> None:
        self.weights = weights
        self._word, self._char = vectorizers(weights.word_vocabulary, weights.char_vocabulary)
        self._none = weights.classes.index(NO_EVENT)

    @classmethod
    def default(cls) -> EventClassifier:
        """The model shipped in the package (loaded once per process)."""
        return _shipped()

    @classmethod
    def from_disk(cls, folder: Path) -> EventClassifier:
        return cls(Weights.load(folder))

    @property
    def card(self) -> dict:
        return self.weights.card

    def features(self, texts: Sequence[str]) -> sparse.csr_matrix:
        prepared = [prepare(t) for t in texts]
        words = tfidf(self._word.transform(prepared), self.weights.word_idf)
        chars = tfidf(self._char.transform(prepared), self.weights.char_idf)
        return sparse.hstack([words, chars], format="csr")

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities, one row per text, columns in ``weights.classes`` order."""
        if not texts:
            return np.zeros((0, len(self.weights.classes)), dtype=np.float32)
        logits = self.features(texts) @ self.weights.coef.T + self.weights.intercept
        logits = np.asarray(logits, dtype=np.float64)
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def __call__(self, texts: Sequence[str]) -> list[Prediction]:
        predictions = []
        for row in self.probabilities(texts):
            best = int(np.argmax(row))
            events = row.copy()
            events[self._none] = -1.0
            typed = int(np.argmax(events))
            event_probability = float(1.0 - row[self._none])
            predictions.append(Prediction(label=self.weights.classes[best], confidence=float(row[best]),
                                          event_probability=event_probability, event_type=self.weights.classes[typed],
                                          type_confidence=float(row[typed] / event_probability) if event_probability > 0 else 0.0))
        return predictions


@cache
def _shipped() -> EventClassifier:
    return EventClassifier.from_disk(Path(str(data_path("classifier"))))
