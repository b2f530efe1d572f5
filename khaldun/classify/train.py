"""``khaldun train``: rebuild the event classifier from the corpus, deterministically.

The same corpus and seed give the same model, byte for byte in its arrays: the split is a
hash of each sentence, the solver (L-BFGS) is deterministic, and nothing depends on
file-system order or Python's salted ``hash``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import sklearn
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from khaldun.classify.corpus import NO_EVENT, Example, labels, split
from khaldun.classify.features import prepare, vectorizers
from khaldun.classify.model import FORMAT, EventClassifier, Weights, tfidf
from khaldun.errors import error

DEFAULT_SEED = 13
DEFAULT_HOLDOUT = 0.15
DEFAULT_C = 8.0
MIN_EXAMPLES = 20


@dataclass
class TypeScore:
    """Precision and recall of one label on the held-out part."""

    label: str
    support: int
    predicted: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.support if self.support else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    """Scores on the held-out part, per label and overall."""

    per_label: list[TypeScore] = field(default_factory=list)
    accuracy: float = 0.0
    macro_f1: float = 0.0
    event_precision: float = 0.0  # "is it an event at all", whatever its type
    event_recall: float = 0.0
    baseline_accuracy: float = 0.0  # always the most frequent training label

    def as_dict(self) -> dict:
        return {
            "accuracy": round(self.accuracy, 4), "macro_f1": round(self.macro_f1, 4),
            "event_precision": round(self.event_precision, 4), "event_recall": round(self.event_recall, 4),
            "baseline_accuracy": round(self.baseline_accuracy, 4),
            "per_label": {s.label: {"support": s.support, "precision": round(s.precision, 4), "recall": round(s.recall, 4)}
                          for s in self.per_label},
        }


def fit(examples: Sequence[Example], *, seed: int = DEFAULT_SEED, c: float = DEFAULT_C) -> Weights:
    """Train on ``examples``: vocabularies, idf weights and a logistic regression."""
    if len(examples) < MIN_EXAMPLES or len({e.label for e in examples}) < 2:
        raise error("E413", origin="corpus", reason=f"{len(examples)} sentences, {len({e.label for e in examples})} labels")
    texts = [prepare(e.text) for e in examples]
    word, char = vectorizers(min_df=2)
    word_counts, char_counts = word.fit_transform(texts), char.fit_transform(texts)
    word_vocabulary = sorted(word.vocabulary_, key=word.vocabulary_.__getitem__)
    char_vocabulary = sorted(char.vocabulary_, key=char.vocabulary_.__getitem__)
    word_idf, char_idf = _idf(word_counts), _idf(char_counts)
    matrix = sparse.hstack([tfidf(word_counts, word_idf), tfidf(char_counts, char_idf)], format="csr")
    known = labels()
    targets = np.array([known.index(e.label) for e in examples])
    model = LogisticRegression(C=c, max_iter=3000, solver="lbfgs", random_state=seed)
    model.fit(matrix, targets)
    classes = [known[int(i)] for i in model.classes_]
    if NO_EVENT not in classes:
        raise error("E413", origin="corpus", reason="no 'None' (non-event) sentences")
    card = {
        "format": FORMAT, "seed": seed, "c": c, "sentences": len(examples),
        "labels": dict(sorted(Counter(e.label for e in examples).items())),
        "languages": dict(sorted(Counter(e.lang for e in examples).items())),
        "corpus_sha256": _digest(examples), "scikit_learn": sklearn.__version__,
        "features": {"word": len(word_vocabulary), "char": len(char_vocabulary)},
    }
    return Weights(classes=classes, word_vocabulary=word_vocabulary, char_vocabulary=char_vocabulary,
                   word_idf=word_idf, char_idf=char_idf, coef=model.coef_, intercept=model.intercept_, card=card)


def evaluate(classifier: EventClassifier, examples: Sequence[Example], baseline_label: str) -> Evaluation:
    """Per-label precision and recall of ``classifier`` on ``examples``."""
    predicted = [p.label for p in classifier([e.text for e in examples])] if examples else []
    gold = [e.label for e in examples]
    scores = []
    for label in labels():
        support = sum(g == label for g in gold)
        guessed = sum(p == label for p in predicted)
        if support or guessed:
            scores.append(TypeScore(label, support, guessed, sum(g == p == label for g, p in zip(gold, predicted))))
    gold_events = sum(g != NO_EVENT for g in gold)
    guessed_events = sum(p != NO_EVENT for p in predicted)
    both = sum(g != NO_EVENT and p != NO_EVENT for g, p in zip(gold, predicted))
    total = len(gold) or 1
    return Evaluation(
        per_label=scores,
        accuracy=sum(g == p for g, p in zip(gold, predicted)) / total,
        macro_f1=float(np.mean([s.f1 for s in scores if s.support])) if scores else 0.0,
        event_precision=both / guessed_events if guessed_events else 0.0,
        event_recall=both / gold_events if gold_events else 0.0,
        baseline_accuracy=sum(g == baseline_label for g in gold) / total,
    )


def train(examples: Sequence[Example], *, seed: int = DEFAULT_SEED, holdout: float = DEFAULT_HOLDOUT,
          c: float = DEFAULT_C) -> tuple[Weights, Evaluation]:
    """Train on the corpus less its held-out part, score on that part, then (the model that
    ships) retrain on everything with the same settings."""
    training, test = split(examples, seed, holdout)
    held_model = EventClassifier(fit(training, seed=seed, c=c))
    baseline = Counter(e.label for e in training).most_common(1)[0][0]
    evaluation = evaluate(held_model, test, baseline)
    final = fit(examples, seed=seed, c=c) if holdout > 0 else held_model.weights
    final.card.update({"holdout": holdout, "held_out_sentences": len(test), "evaluation": evaluation.as_dict(),
                       "trained": dt.date.today().isoformat()})
    return final, evaluation


def _idf(counts: sparse.csr_matrix) -> np.ndarray:
    """Smoothed inverse document frequency, as scikit-learn's TfidfTransformer computes it."""
    documents = counts.shape[0]
    frequency = np.bincount(sparse.csr_matrix(counts).indices, minlength=counts.shape[1])
    return (np.log((1 + documents) / (1 + frequency)) + 1).astype(np.float32)


def _digest(examples: Sequence[Example]) -> str:
    hasher = hashlib.sha256()
    for e in sorted(examples, key=lambda e: (e.lang, e.text)):
        hasher.update(f"{e.lang}\x00{e.label}\x00{e.text}\n".encode())
    return hasher.hexdigest()
