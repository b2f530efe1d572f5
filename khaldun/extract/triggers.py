"""Find the words that announce events, and whether each event is asserted.

Trigger phrases come from the language's lexicon with an ACLED sub-event type (or a meta
type that the event stage resolves from the actors) and a strength. Modality comes from
the parse: a negated trigger, a trigger in the future or conditional, or one governed by a
verb of threat, fear, plan or promise is not an asserted event.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span as SpacySpan, Token

from khaldun.extract.lexicon import PhraseIndex, fold
from khaldun.schema import Span, TriggerMention

MAX_GOVERNOR_STEPS = 4


def _neighbourhood(head: Token) -> set[int]:
    """Token indices of the trigger's clause: its subtree, its governor and the governor's
    arguments, but not coordinated clauses that tell another act."""
    near = {t.i for t in head.subtree}
    governor = head.head
    if governor.i != head.i:
        near.add(governor.i)
        for child in governor.children:
            if child.dep_ not in {"conj", "cc", "advcl", "parataxis"} and child.i != head.i:
                near.update(t.i for t in child.subtree)
    return near


def holds_rather_than_takes(head: Token) -> bool:
    """A capture verb in the simple imperfect tells who held a place, not a capture.

    The imperfect is the aspect of ongoing states: "la ville qu'ils occupaient depuis le 20
    novembre", "les quartiers que contrôlait l'armée". A completed capture takes a perfective
    form ("ont pris", "s'emparèrent"); the pluperfect ("avaient pris") has its imperfect on the
    auxiliary, not on the verb, and stays an event.
    """
    if head.pos_ != "VERB" or head.morph.get("Tense") != ["Imp"] or head.morph.get("VerbForm") not in ([], ["Fin"]):
        return False
    return not any(child.dep_.startswith("aux") for child in head.children)


def _shares_auxiliary(verb: Token) -> bool:
    """A verb coordinated with no subject or auxiliary of its own takes its first conjunct's:
    "he will arrest them and throw them in jail", "ils vont attaquer et piller"."""
    return verb.dep_ == "conj" and verb.head.pos_ in {"VERB", "AUX"} \
        and not any(c.dep_.startswith(("aux", "nsubj")) for c in verb.children)


class TriggerFinder:
    """Stage: a parsed sentence -> trigger mentions with type, strength and modality."""

    def __init__(self, *, lexicon: dict[str, Any], taxonomy: dict[str, Any]) -> None:
        entries = []
        for group in lexicon["triggers"]:
            for term in group["terms"]:
                entries.append((term, (group["type"], int(group.get("strength", 2)))))
        self.index = PhraseIndex(entries)
        self.refinements = [
            (rule["from"], rule["to"], PhraseIndex((c, True) for c in rule["context"])) for rule in lexicon.get("refinements", [])
        ]
        modality = lexicon["modality"]
        self.negation = {fold(w) for w in modality["negation"]}
        self.negation_particle = {fold(w) for w in modality.get("negation_particle", [])}
        self.negative_subjects = {fold(w) for w in modality.get("negative_subjects", [])}
        self.irrealis = {fold(w) for w in modality["irrealis"] if " " not in w}
        self.conditional = {fold(w) for w in modality["conditional_markers"] if " " not in w}
        self.speech = {fold(w) for w in modality["speech_nouns"]}
        self.habitual = {fold(w) for w in modality.get("habitual", [])}
        self.purpose = {fold(w) for w in modality.get("purpose_markers", [])}
        self.future_endings = tuple(fold(w) for w in modality.get("future_endings", []))
        self.events_without_object = {fold(w) for w in lexicon.get("events_without_object", [])}
        self.opposing_prefixes = tuple(fold(w) for w in lexicon.get("opposing_prefixes", []))
        self.holding_markers = {fold(w) for w in lexicon.get("holding_markers", [])}
        self.event_type_of = {
            sub: event_type for event_type, spec in taxonomy["event_types"].items() for sub in spec["sub_event_types"]
        }

    def __call__(self, doc: Doc, sentence: SpacySpan) -> list[TriggerMention]:
        found = []
        matches = self.index.longest(doc, sentence.start, sentence.end)
        trigger_tokens = {i for match in matches for i in range(match.start, match.end)}
        for match in matches:
            sub_event_type, strength = match.payload
            head = self._head(doc[match.start:match.end])
            if head.pos_ in {"PROPN"} or head.ent_type_ in {"PER", "PERSON", "ORG", "LOC", "GPE"}:
                continue  # "Mine" as a name, "Raid" in an organisation's name
            if head.dep_ == "compound" and head.head.i not in trigger_tokens:
                continue  # "a missile base", "rocket launchers": a kind of thing, not an act
            if self._prefixed(doc, match.start):
                continue  # "anti-riot police", "brigade anti-émeute": a unit named after what it stops
            if fold(head.lemma_) in self.events_without_object and any(c.dep_ in {"obj", "dobj"} for c in head.children):
                continue  # "Russia can demonstrate its goodwill": to show, not to march
            refined = self._refine(doc, head, sub_event_type)
            if refined != sub_event_type:
                sub_event_type, strength = refined, max(strength, 3)  # "jets conducted raids": specific
            modality = self.modality(head, sentence)
            if modality == "asserted" and sub_event_type == "territory" \
                    and (holds_rather_than_takes(head) or self._held_since(head)):
                modality = "not_an_event"
            found.append(TriggerMention(
                span=Span(start=doc[match.start].idx, end=doc[match.end - 1].idx + len(doc[match.end - 1].text),
                          text=doc[match.start:match.end].text),
                event_type=self.event_type_of.get(sub_event_type, ""),
                sub_event_type=sub_event_type,
                lemma=match.phrase,
                strength=strength,
                head=head.i,
                negated=modality == "negated",
                modality=modality,
            ))
        return found

    def _held_since(self, verb: Token) -> bool:
        """A capture verb with a starting point tells a holding: "après avoir occupé la localité
        depuis plusieurs mois", "the town they have controlled since 2019"."""
        if verb.pos_ != "VERB":
            return False
        for child in verb.children:
            if child.dep_ in {"prep", "mark"} and fold(child.text) in self.holding_markers:
                return True
            if any(c.dep_ == "case" and fold(c.text) in self.holding_markers for c in child.children):
                return True
        return False

    def _prefixed(self, doc: Doc, start: int) -> bool:
        """A trigger behind a prefix that turns it against itself: "anti-riot", "anti-terror"."""
        return start >= 2 and doc[start - 1].text == "-" and fold(doc[start - 2].text) in self.opposing_prefixes

    @staticmethod
    def _head(span: SpacySpan) -> Token:
        """The syntactic head of a multi-word trigger: the token whose head lies outside."""
        for token in span:
            if token.head.i < span.start or token.head.i >= span.end or token.head.i == token.i:
                if token.pos_ in {"NOUN", "VERB", "PROPN", "ADJ"}:
                    return token
        content = [t for t in span if t.pos_ in {"NOUN", "VERB"}]
        return content[0] if content else span.root

    def _refine(self, doc: Doc, head: Token, sub_event_type: str) -> str:
        """Apply a refinement when its context word is in the trigger's own clause."""
        near = _neighbourhood(head)
        for source, target, context in self.refinements:
            if sub_event_type == source and any(set(range(m.start, m.end)) <= near for m in context.matches(doc, min(near), max(near) + 1)):
                return target
        return sub_event_type

    def modality(self, head: Token, sentence: SpacySpan) -> str:
        """asserted, negated, future, hypothetical, threat or habitual, from the trigger's clause."""
        chain = [head]
        node = head
        for _ in range(MAX_GOVERNOR_STEPS):
            if node.head.i == node.i:
                break
            node = node.head
            chain.append(node)
        clause = [t for t in chain if t.pos_ in {"VERB", "AUX", "NOUN", "ADJ"}]
        first_verb = next((t for t in chain if t.pos_ in {"VERB", "AUX"}), None)
        if self._denied_by_subject(head) or self._negated(head) or (head.pos_ != "VERB" and head.dep_ in {"obj", "dobj", "xcomp"} and first_verb is not None and self._negated(first_verb)) \
                or (head.pos_ == "VERB" and self._negated_control(head)):
            return "negated"
        for token in clause[1:] if head.pos_ == "VERB" else clause:
            if token.i != head.i and (fold(token.lemma_) in self.irrealis or fold(token.text) in self.irrealis):
                return "threat" if fold(token.lemma_).startswith(("menac", "threat")) else "hypothetical"
        upto_verb = chain[:chain.index(first_verb) + 1] if first_verb is not None else chain[:2]
        clause_words = {fold(c.text) for t in upto_verb for c in t.children} | {fold(t.text) for t in head.subtree}
        if clause_words & self.habitual:
            return "habitual"  # "frequently deploy air power": a pattern, not an event
        if any(fold(c.lemma_) in self.irrealis or fold(c.text) in self.irrealis for c in head.children
               if c.dep_.startswith("aux") or c.dep_ in {"amod", "advmod"}):
            return "hypothetical"  # "could attack", "a proposed ceasefire", "une éventuelle offensive"
        if self._purpose(head):
            return "hypothetical"  # "an offensive to retake Luhansk": the aim, not the outcome
        verbs = [t for t in chain[:3] if t.pos_ in {"VERB", "AUX"}]
        verbs += [v.head for v in verbs if _shares_auxiliary(v)]
        if any(self._future(verb) for verb in verbs) or any(self._future_form(token) for token in chain[:3]):
            return "future"
        for token in (head, first_verb):
            if token is not None and any(fold(c.text) in self.conditional and c.dep_ in {"mark"} for c in token.children):
                return "hypothetical"
        if head.pos_ == "NOUN" and head.head.pos_ == "NOUN" and fold(head.head.lemma_) in self.speech:
            return "reported_opinion"
        return "asserted"

    def _purpose(self, head: Token) -> bool:
        """An infinitive that modifies another act and is introduced as its aim ("pour reprendre",
        "to retake", "in order to seize"); "a pu reprendre" and "managed to retake" are not aims."""
        if head.pos_ != "VERB" or not ("Inf" in head.morph.get("VerbForm") or head.tag_ == "VB"):
            return False
        markers = {fold(c.text) for c in head.children if c.dep_ in {"mark", "aux", "case", "advmod"}}
        if head.lang_ == "en":
            return bool(markers & self.purpose) and head.dep_ in {"acl", "advcl", "relcl"}
        return bool(markers & self.purpose)

    def _denied_by_subject(self, head: Token) -> bool:
        """'Personne n'a été tué', 'no one was killed': the subject says it did not happen."""
        for child in head.children:
            if child.dep_.startswith("nsubj"):
                words = " ".join(fold(t.text) for t in child.subtree)
                if fold(child.text) in self.negative_subjects or words in self.negative_subjects \
                        or any(fold(c.text) in self.negation for c in child.children if c.dep_ == "det"):
                    return True
        return False

    def _negated(self, token: Token) -> bool:
        children = [fold(c.text) for c in token.children if c.dep_ in {"advmod", "neg", "det"} or fold(c.text) in self.negation]
        if any(c in self.negation for c in children):
            if fold(token.text) in {"plus", "more"}:
                return False
            if "plus" in children and not any(c in self.negation_particle for c in children) and token.lang_ == "fr":
                return False
            return True
        return False

    def _negated_control(self, verb: Token | None) -> bool:
        """An infinitive under a negated verb did not happen: "n'ont pas réussi à déjouer",
        "did not manage to retake", "n'a pas pu reprendre"."""
        node = verb
        for _ in range(2):
            if node is None or node.dep_ != "xcomp" or node.head.i == node.i:
                return False
            node = node.head
            if self._negated(node):
                return True
        return False

    def _future_form(self, token: Token) -> bool:
        """A word with an ending only a future verb has, whatever tense or part of speech the
        tagger gave it ("bombarderont" read as a pronoun)."""
        word = fold(token.text)
        return bool(self.future_endings) and token.pos_ not in {"NOUN", "PROPN", "ADJ", "NUM"} and len(word) > 6 \
            and word.endswith(self.future_endings)

    @staticmethod
    def _future(verb: Token) -> bool:
        if verb.dep_ == "xcomp" and verb.head.lemma_ == "go" and verb.head.tag_ == "VBG":
            return True  # "are going to attack"
        morph = verb.morph
        if "Fut" in morph.get("Tense") or "Cnd" in morph.get("Mood"):
            return True
        for child in verb.children:
            if child.dep_.startswith("aux") and ("Fut" in child.morph.get("Tense") or "Cnd" in child.morph.get("Mood")):
                return True
            if child.lemma_.lower() in {"will", "would", "shall"} and child.dep_ == "aux":
                return True
            if child.lemma_.lower() == "aller" and child.dep_.startswith("aux") and "Imp" not in child.morph.get("Tense"):
                return True
        return False
