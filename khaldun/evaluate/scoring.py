"""One-to-one matching of system events to gold events, and the scores that follow."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from khaldun.evaluate.gold import GoldDocument, GoldEvent
from khaldun.evaluate.matching import Fit, actor_scores, as_number, fit


@dataclass
class Pair:
    event: dict[str, Any]
    gold: GoldEvent
    fit: Fit


@dataclass
class DocumentScore:
    """One document: its events, the pairs matched, and what was missed or extra."""

    doc_id: str
    system_events: int
    matched_events: int
    required_gold: int
    matched_required: int
    pairs: list[Pair] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)  # ids of required gold events left unmatched
    unmatched: list[dict[str, Any]] = field(default_factory=list)  # system events left unmatched


@dataclass
class FieldTally:
    """Right answers over attempts, for one field over all matched pairs."""

    right: float = 0.0
    total: int = 0

    def add(self, right: float) -> None:
        self.right += right
        self.total += 1

    @property
    def accuracy(self) -> float | None:
        return self.right / self.total if self.total else None


@dataclass
class Evaluation:
    """Precision, recall, F1 and per-field accuracies of a run against gold."""

    documents: list[DocumentScore]
    fields: dict[str, FieldTally]

    @property
    def system_events(self) -> int:
        return sum(d.system_events for d in self.documents)

    @property
    def required_gold(self) -> int:
        return sum(d.required_gold for d in self.documents)

    @property
    def precision(self) -> float:
        total = self.system_events
        return sum(d.matched_events for d in self.documents) / total if total else 0.0

    @property
    def recall(self) -> float:
        total = self.required_gold
        return sum(d.matched_required for d in self.documents) / total if total else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def summary(self) -> dict[str, Any]:
        """JSON-ready scores: counts, P/R/F1 (3 decimals), field accuracies, misses, extras, per document."""
        return {
            "documents": len(self.documents), "system_events": self.system_events, "required_gold": self.required_gold,
            "precision": round(self.precision, 3), "recall": round(self.recall, 3), "f1": round(self.f1, 3),
            **{f"{name}_acc": tally.accuracy for name, tally in self.fields.items()},
            "missed_required": [f"{d.doc_id}:{gold_id}" for d in self.documents for gold_id in d.missed],
            "unmatched_system": [f"{d.doc_id}: {e.get('event_date')} {e.get('sub_event_type')} @ {e.get('location')}"
                                 for d in self.documents for e in d.unmatched],
            "per_doc": [{"doc_id": d.doc_id, "system_events": d.system_events, "matched_events": d.matched_events,
                         "required_gold": d.required_gold, "matched_required": d.matched_required}
                        for d in self.documents],
        }


FIELDS = ("sub_event_type", "location", "actor", "fatalities")


def evaluate(gold: list[GoldDocument], events: list[dict[str, Any]]) -> Evaluation:
    """Score ``events`` (dicts with ACLED columns and ``doc_id``) against ``gold``.

    Only documents in the gold count: events of other documents are ignored.
    """
    by_document: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in events:
        by_document[str(event.get("doc_id"))].append(event)
    fields = {name: FieldTally() for name in FIELDS}
    documents = []
    for document in gold:
        score = match_document(document, by_document.get(str(document.doc_id), []))
        for pair in score.pairs:
            _score_fields(pair, fields)
        documents.append(score)
    return Evaluation(documents=documents, fields=fields)


def match_document(document: GoldDocument, events: list[dict[str, Any]]) -> DocumentScore:
    """Match greedily, best pair first: required gold before optional, then right sub-type, then nearest.

    Equal pairs keep system-event order, then gold order, so results are reproducible.
    """
    candidates = []
    for i, event in enumerate(events):
        for j, gold in enumerate(document.events):
            quality = fit(event, gold)
            if quality is not None:
                candidates.append((gold.required, quality, i, j))
    candidates.sort(key=lambda c: (c[0], c[1]), reverse=True)
    used_events: set[int] = set()
    used_gold: set[int] = set()
    pairs = []
    for _, quality, i, j in candidates:
        if i not in used_events and j not in used_gold:
            used_events.add(i)
            used_gold.add(j)
            pairs.append(Pair(event=events[i], gold=document.events[j], fit=quality))
    required = [j for j, gold in enumerate(document.events) if gold.required]
    return DocumentScore(
        doc_id=document.doc_id, system_events=len(events), matched_events=len(used_events),
        required_gold=len(required), matched_required=sum(1 for j in required if j in used_gold), pairs=pairs,
        missed=[document.events[j].id for j in required if j not in used_gold],
        unmatched=[event for i, event in enumerate(events) if i not in used_events],
    )


def _score_fields(pair: Pair, fields: dict[str, FieldTally]) -> None:
    fields["sub_event_type"].add(pair.fit.sub_event_type)
    fields["location"].add(-pair.fit.closeness <= pair.gold.location.radius_km)
    for score in actor_scores(pair.event, pair.gold):
        fields["actor"].add(score)
    if pair.gold.fatalities is not None:
        low, high = pair.gold.fatalities
        fields["fatalities"].add(low <= (as_number(pair.event.get("fatalities")) or 0.0) <= high)
