"""Find control statements: who holds which place, as a report states it.

"Les rebelles contrôlaient cette zone depuis septembre 2011", "les quartiers de A, B et C,
encore tenus par l'ASL", "rebels still hold Old Homs", "rebel-held Bustan". Three shapes,
each a list in the language lexicon's ``control`` section:

* ``holder_subject`` verbs (contrôler, tenir, hold, control): the holder is the verb's
  subject, the places are what follows the verb in its clause;
* ``holder_after`` phrases (tenus par, sous le contrôle de, held by): the holder is the
  actor right after the phrase, the places the ones just before it in its clause;
* ``holder_compound`` participles (English "rebel-held"): the holder is the first part of
  the compound, the place the noun it modifies.

Coordinated places all count ("les quartiers de A, B et C"). An ``anaphora`` phrase
("cette zone", "this area") where a place is expected stands for the last place named
before it. Negated statements ("ne contrôlent plus", "does not control") and intended
ones ("pour contrôler", "to control") are not holdings. A date marked ``since`` in the
sentence ("depuis septembre 2011") is when the holding began.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span as SpacySpan, Token

from khaldun.extract.lexicon import PhraseIndex, doc_text, fold
from khaldun.schema import ActorMention, ControlStatement, DateMention, PlaceMention, Span

HOLDER_REACH = 3  # tokens allowed between "tenus par" and the holder ("tenus par les combattants de l'ASL")
PLACE_REACH = 3  # tokens allowed between "rebel-held" and the place it modifies
LOST_REACH = 4  # tokens after the holder where "repris par" still speaks of the same holding
LOCATOR_REACH = 120  # characters between a place and the town named to locate it
LINKING = {"etre", "rester", "demeurer", "be", "remain", "stay"}
CLAUSE_BREAKS = {";", "mais", "but", "while", "alors", "tandis", "whereas", "cependant", "however"}


class ControlFinder:
    """Stage: a parsed sentence, with its actors, places and dates -> the control statements in it."""

    def __init__(self, *, lexicon: dict[str, Any]) -> None:
        control = lexicon.get("control") or {}
        self.subject_verbs = {fold(v) for v in control.get("holder_subject", [])}
        self.after = PhraseIndex([(p, "after") for p in control.get("holder_after", [])]
                                 + [(p, "apposition") for p in control.get("apposition", [])])
        self.compound = {fold(v) for v in control.get("holder_compound", [])}
        self.anaphora = PhraseIndex((p, "anaphora") for p in control.get("anaphora", []))
        self.negation = {fold(v) for v in control.get("negation", [])}
        self.lost = PhraseIndex((p, "lost") for p in control.get("lost", []))
        self.former = {fold(v) for v in control.get("former", [])}

    def __call__(self, doc: Doc, sentence: SpacySpan, actors: list[ActorMention], places: list[PlaceMention],
                 dates: list[DateMention]) -> list[ControlStatement]:
        """Statements in ``sentence``. ``places`` may hold the whole report's places: anaphora look back."""
        start, end = sentence.start_char, sentence.end_char
        local_actors = [a for a in actors if start <= a.span.start < end]
        usable = sorted((p for p in places if not (p.entry and p.entry.feature_code.startswith("PCL"))
                         and not any(a.span.start < p.span.end and p.span.start < a.span.end for a in actors)),
                        key=lambda p: p.span.start)
        since = next((d.start for d in dates if d.since and start <= d.span.start < end), None)
        found: list[ControlStatement] = []
        claimed: set[int] = set()
        for match in self.after.longest(doc, sentence.start, sentence.end):
            claimed.update(range(match.start, match.end))
            holder = _actor_after(doc, match.end, sentence.end, local_actors)
            if holder is None or self._negated(doc[match.start]) or self._over(doc, match.start, holder, sentence.end):
                continue
            targets = self._places_before(doc, sentence, match.start, usable)
            if match.payload == "apposition":
                targets = targets[-1:]
            found += [self._statement(doc, sentence, holder, place, since, match.start, match.end) for place in targets]
        for token in sentence:
            if token.i in claimed:
                continue
            if fold(token.text) in self.compound and token.i >= 2 and doc[token.i - 1].text == "-":
                holder = _actor_covering(doc[token.i - 2], local_actors)
                place = _place_after(doc, token.i + 1, sentence.end, usable)
                if holder is not None and place is not None:
                    found.append(self._statement(doc, sentence, holder, place, since, token.i - 2, token.i + 1))
            elif token.pos_ in {"VERB", "AUX"} and fold(token.lemma_) in self.subject_verbs and self._asserted(doc, token):
                holder = _subject(token, local_actors) or _actor_before(token, local_actors)
                if holder is None:
                    continue
                targets = self._places_after(doc, sentence, token, usable)
                found += [self._statement(doc, sentence, holder, place, since, token.i, token.i + 1)
                          for place in targets]
        return _unique(found)

    def _asserted(self, doc: Doc, verb: Token) -> bool:
        if self._negated(verb):
            return False
        if "Inf" in verb.morph.get("VerbForm") and not any(c.dep_ == "aux" and fold(c.lemma_) == "do"
                                                           for c in verb.children):
            return False  # "veut contrôler", "pour tenir", "to control": an aim, not a holding
        if "Part" in verb.morph.get("VerbForm") and any(c.dep_ in {"obl:agent", "agent"} for c in verb.children):
            return False  # "tenus par X": a holder_after phrase handles it
        return True

    def _over(self, doc: Doc, start: int, holder: ActorMention, stop: int) -> bool:
        """"ancien bastion de X", "bastion de X repris par Y": a holding the report says has ended."""
        if any(fold(t.text) in self.former for t in doc[max(start - 2, 0):start]):
            return True
        after = next((t.i for t in doc[start:stop] if t.idx >= holder.span.end), stop)
        return bool(self.lost.longest(doc, after, min(after + LOST_REACH, stop)))

    def _negated(self, verb: Token) -> bool:
        return any(c.dep_ in {"neg", "advmod"} and fold(c.text) in self.negation for c in verb.children)

    def _places_after(self, doc: Doc, sentence: SpacySpan, verb: Token, places: list[PlaceMention]) -> list[PlaceMention]:
        stop = sentence.end
        for token in doc[verb.i + 1:sentence.end]:
            if fold(token.text) in CLAUSE_BREAKS or (token.pos_ == "VERB" and "Fin" in token.morph.get("VerbForm")):
                stop = token.i
                break
        limit = doc[stop - 1].idx + len(doc[stop - 1]) if stop > verb.i + 1 else verb.idx
        chosen = [p for p in places if verb.idx < p.span.start and p.span.end <= limit]
        return chosen or self._antecedent(doc, verb.i + 1, stop, places)

    def _places_before(self, doc: Doc, sentence: SpacySpan, trigger: int, places: list[PlaceMention]) -> list[PlaceMention]:
        begin = sentence.start
        for token in reversed(doc[sentence.start:trigger]):
            if fold(token.text) in CLAUSE_BREAKS or (token.pos_ == "VERB" and fold(token.lemma_) not in LINKING):
                begin = token.i + 1
                break
        chosen = [p for p in places if doc[begin].idx <= p.span.start and p.span.end <= doc[trigger].idx]
        return chosen or self._antecedent(doc, begin, trigger, places)

    def _antecedent(self, doc: Doc, begin: int, stop: int, places: list[PlaceMention]) -> list[PlaceMention]:
        """'cette zone' between ``begin`` and ``stop``: the last place named before it."""
        for match in self.anaphora.longest(doc, begin, stop):
            before = [p for p in places if p.span.end <= doc[match.start].idx]
            return [_focus(before)] if before else []
        return []

    @staticmethod
    def _statement(doc: Doc, sentence: SpacySpan, holder: ActorMention, place: PlaceMention, since: Any, start: int,
                   end: int) -> ControlStatement:
        """The statement, its evidence the words from trigger, holder and place (the sentence for an anaphora)."""
        if not sentence.start_char <= place.span.start < sentence.end_char:
            first, last = sentence.start_char, sentence.end_char
        else:
            first = min(doc[start].idx, holder.span.start, place.span.start)
            last = max(doc[end - 1].idx + len(doc[end - 1]), holder.span.end, place.span.end)
        return ControlStatement(span=Span(start=first, end=last, text=doc_text(doc)[first:last]), actor=holder.actor,
                                place=place, since=since)


def _focus(before: list[PlaceMention]) -> PlaceMention:
    """The last place named, unless it only locates an earlier one ("Khaldiyé, à Homs": Khaldiyé)."""
    last = before[-1]
    if last.entry is not None:
        for place in reversed(before[:-1]):
            if last.span.start - place.span.end > LOCATOR_REACH:
                break
            if place.entry is not None and place.entry.parent_id == last.entry.id:
                return place
    return last


def _actor_after(doc: Doc, start: int, stop: int, actors: list[ActorMention]) -> ActorMention | None:
    limit = doc[min(start + HOLDER_REACH, stop - 1)].idx if start < stop else None
    if limit is None:
        return None
    after = [a for a in actors if doc[start].idx <= a.span.start <= limit]
    return min(after, key=lambda a: a.span.start) if after else None


def _actor_covering(token: Token, actors: list[ActorMention]) -> ActorMention | None:
    return next((a for a in actors if a.span.start <= token.idx < a.span.end), None)


def _place_after(doc: Doc, start: int, stop: int, places: list[PlaceMention]) -> PlaceMention | None:
    if start >= stop:
        return None
    limit = doc[min(start + PLACE_REACH, stop - 1)].idx
    after = [p for p in places if doc[start].idx <= p.span.start <= limit]
    return after[0] if after else None


def _subject(verb: Token, actors: list[ActorMention]) -> ActorMention | None:
    """The actor heading (or inside) the verb's subject; the subject of a coordinated verb counts too."""
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubj:pass"}]
    if not subjects and verb.dep_ == "conj":
        subjects = [c for c in verb.head.children if c.dep_ in {"nsubj", "nsubj:pass"}]
    for subject in subjects:
        inside = [a for a in actors if subject.left_edge.idx <= a.span.start < subject.right_edge.idx + len(subject.right_edge)]
        if inside:
            return inside[0]
    return None


def _actor_before(verb: Token, actors: list[ActorMention]) -> ActorMention | None:
    before = [a for a in actors if a.span.end <= verb.idx]
    return before[-1] if before else None


def _unique(statements: list[ControlStatement]) -> list[ControlStatement]:
    seen: set[tuple[int, int, str]] = set()
    kept = []
    for statement in statements:
        key = (statement.place.span.start, statement.place.span.end, statement.actor.name)
        if key not in seen:
            seen.add(key)
            kept.append(statement)
    return kept
