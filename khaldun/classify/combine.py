"""Rules and model together: the classifier's reading of each sentence checks the lexicon's triggers.

The lexicon finds where an event is told and its arguments; the classifier, trained on
sentences the project wrote, judges whether the sentence tells an event at all and of which
type. For each sentence: a confident "no event" silences its rule triggers, unless the
sentence's main verb tells the act and it counts its dead; where the rules
found an event, the classifier's likeliest type given that there is one replaces the
strongest trigger's type when it is of another family and confident; a confident event
with no trigger at all becomes one, anchored on the sentence's main verb. Inside a family
(who took a town, whom the violence targeted), the rules decide from the actors.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Span as SpacySpan, Token

from khaldun.classify.corpus import NO_EVENT
from khaldun.extract.triggers import TriggerFinder
from khaldun.schema import NumberMention, Sentence, Span, TriggerMention


class Combiner:
    """Stage: triggers + the classifier's sentence readings -> the triggers the events stage uses."""

    def __init__(self, *, policy: dict[str, Any], taxonomy: dict[str, Any]) -> None:
        self.veto = float(policy["veto"])
        self.veto_spares = int(policy["veto_spares_strength"])
        self.retype = float(policy["retype"])
        self.retype_needs_event = float(policy.get("retype_needs_event", 0.0))
        self.add = float(policy["add"])
        self.family = {label: name for name, members in policy["families"].items() for label in members}
        self.family.update(policy.get("meta_families", {}))
        self.as_meta: dict[str, str] = policy.get("as_meta", {})
        self.event_type_of = {sub: event_type for event_type, spec in taxonomy["event_types"].items()
                              for sub in spec["sub_event_types"]}

    def family_of(self, sub_event_type: str) -> str:
        return self.family.get(sub_event_type, sub_event_type)

    def __call__(self, sentences: list[SpacySpan], records: list[Sentence], triggers: list[TriggerMention],
                 finder: TriggerFinder, numbers: list[NumberMention] | None = None) -> list[TriggerMention]:
        combined: list[TriggerMention] = []
        seen: set[int] = set()
        for sentence, record in zip(sentences, records):
            own = [t for t in triggers if record.start <= t.span.start < record.end]
            seen.update(id(t) for t in own)
            counted = any(record.start <= n.span.start < record.end and n.category == "killed" and not n.vague
                          for n in numbers or [])
            combined += self._sentence(sentence, record, own, finder, counted)
        combined += [t for t in triggers if id(t) not in seen]  # outside any sentence: kept as they are
        return sorted(combined, key=lambda t: (t.span.start, t.span.end))

    def _sentence(self, sentence: SpacySpan, record: Sentence, own: list[TriggerMention],
                  finder: TriggerFinder, counted: bool = False) -> list[TriggerMention]:
        if not record.label:
            return own
        asserted = [t for t in own if t.modality == "asserted"]
        if asserted:
            if 1 - record.event_probability >= self.veto and max(t.strength for t in asserted) < self.veto_spares \
                    and not (counted and any(t.head == sentence.root.i for t in asserted)):
                return [t.model_copy(update={"modality": "not_an_event", "decided_by": "classifier",
                                             "confidence": round(1 - record.event_probability, 3)})
                        if t.modality == "asserted" else t for t in own]
            return self._typed(record, own, asserted)
        if record.label == NO_EVENT or record.label_confidence < self.add:
            return own
        anchor = _anchor(sentence)
        if anchor is None or finder.modality(anchor, sentence) != "asserted":
            return own
        trigger = TriggerMention(span=Span(start=anchor.idx, end=anchor.idx + len(anchor.text), text=anchor.text),
                                 event_type="", sub_event_type="", lemma=anchor.lemma_.lower(), strength=2, head=anchor.i)
        return [*own, self._as(record.label, trigger, round(record.label_confidence, 3))]

    def _typed(self, record: Sentence, own: list[TriggerMention], asserted: list[TriggerMention]) -> list[TriggerMention]:
        """The rules found an event; the classifier's likeliest type, given that it is one, checks its type."""
        family = self.family_of(record.event_type)
        confidence = round(record.type_confidence, 3)
        if any(self.family_of(t.sub_event_type) == family for t in asserted):
            return [t.model_copy(update={"decided_by": "rules+classifier", "confidence": confidence})
                    if t.modality == "asserted" and self.family_of(t.sub_event_type) == family else t for t in own]
        if confidence < self.retype or record.event_probability < self.retype_needs_event:
            return own
        if any(self.family_of(t.sub_event_type) == family for t in own):
            return own  # the rules read that act as an aim, a threat or a denial ("an offensive to retake X")
        strongest = max(asserted, key=lambda t: t.strength)
        return [self._as(record.event_type, t, confidence) if t is strongest else t for t in own]

    def _as(self, label: str, trigger: TriggerMention, confidence: float) -> TriggerMention:
        """``trigger`` retyped as the classifier reads its sentence."""
        sub_event_type = self.as_meta.get(label, label)
        return trigger.model_copy(update={
            "sub_event_type": sub_event_type, "event_type": self.event_type_of.get(sub_event_type, ""),
            "strength": max(trigger.strength, 2), "decided_by": "classifier", "confidence": confidence,
        })


def _anchor(sentence: SpacySpan) -> Token | None:
    """The word an event found by the classifier hangs on: the main verb, else the root."""
    root = sentence.root
    if root.pos_ in {"VERB", "NOUN", "PROPN"}:
        return root
    return next((t for t in sentence if t.pos_ == "VERB"), root if root.pos_ not in {"PUNCT", "SPACE"} else None)
