"""Who claims what: attribution of each sentence ("selon l'OSDH", "activists said").

A claim's source is the noun phrase after an attribution preposition, or the subject of a
reporting verb. First-person testimony ("nous avons tiré...") is attributed to the last
person the report named before it. The event stage falls back to the report's outlet.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span as SpacySpan, Token

from khaldun.extract.lexicon import PhraseIndex, doc_text, fold
from khaldun.schema import ClaimMention, Span

MAX_SOURCE_TOKENS = 12
FIRST_PERSON = {"nous", "je", "j'", "we", "i", "our", "notre", "nos", "us"}
LEADING_WORDS = {"le", "la", "les", "l'", "the", "a", "an", "un", "une", "des", "de", "d'"}


class ClaimFinder:
    """Stage: a parsed sentence -> the attribution stated in it, if any."""

    def __init__(self, *, lexicon: dict[str, Any]) -> None:
        claims = lexicon["claims"]
        self.prepositions = PhraseIndex((p, True) for p in claims["prepositions"])
        self.verbs = {fold(v) for v in claims["verbs"]}

    def __call__(self, doc: Doc, sentence: SpacySpan) -> list[ClaimMention]:
        found: list[ClaimMention] = []
        for match in self.prepositions.longest(doc, sentence.start, sentence.end):
            phrase = self._phrase_after(doc, match.end, sentence.end)
            if phrase is not None:
                found.append(self._mention(doc, phrase))
        for token in sentence:
            if token.pos_ not in {"VERB", "AUX"} or fold(token.lemma_) not in self.verbs:
                continue
            if any(c.dep_ in {"aux:pass", "auxpass", "nsubj:pass", "nsubjpass"} for c in token.children):
                continue  # "aucune victime n'a été signalée": what is reported, not who reports
            subject = next((c for c in token.children if c.dep_ == "nsubj"), None) or _inverted_subject(token)
            if subject is None:
                phrase = _speaker_before(token)
                if phrase is not None and not any(fold(t.text) in FIRST_PERSON for t in phrase):
                    found.append(self._mention(doc, phrase))
                continue
            if subject.pos_ == "PRON":
                continue
            phrase = doc[subject.left_edge.i:subject.right_edge.i + 1]
            if len(phrase) > MAX_SOURCE_TOKENS:
                phrase = doc[subject.left_edge.i:subject.i + 1]
            if len(phrase) <= MAX_SOURCE_TOKENS and not any(fold(t.text) in FIRST_PERSON for t in phrase):
                found.append(self._mention(doc, phrase))
        return found

    def _phrase_after(self, doc: Doc, start: int, stop: int) -> SpacySpan | None:
        end = start
        while end < stop and end - start < MAX_SOURCE_TOKENS and doc[end].text not in {",", ".", ";", ":", "(", "«", '"'}:
            end += 1
        return doc[start:end] if end > start else None

    def _mention(self, doc: Doc, phrase: SpacySpan) -> ClaimMention:
        tokens = list(phrase)
        while tokens and (fold(tokens[0].text) in LEADING_WORDS or tokens[0].is_punct):
            tokens = tokens[1:]
        if not tokens:
            tokens = list(phrase)
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        return ClaimMention(span=Span(start=start, end=end, text=doc_text(doc)[start:end]), source=doc_text(doc)[start:end])


def _inverted_subject(verb: Token) -> Token | None:
    """"..., a annoncé le ministère", "..., ont indiqué des responsables": in an incise the
    speaker follows the verb, and parsers often label it an object."""
    if not any(c.text == "," and c.i < verb.i for c in verb.children):
        return None
    return next((c for c in verb.children if c.dep_ in {"obj", "dobj"} and c.i > verb.i and c.pos_ in {"NOUN", "PROPN"}),
                None)


def _speaker_before(verb: Token) -> SpacySpan | None:
    """"..., killing seven fighters, the Syrian Observatory said.": a sentence-final reporting
    verb whose speaker the parser attached elsewhere; the speaker is the words since the comma."""
    doc = verb.doc
    if verb.i + 1 < len(doc) and not doc[verb.i + 1].is_punct:
        return None
    start = verb.i
    while start > verb.sent.start and doc[start - 1].text != "," and verb.i - start < MAX_SOURCE_TOKENS:
        start -= 1
    phrase = doc[start:verb.i]
    if start == verb.sent.start or not any(t.pos_ in {"NOUN", "PROPN"} for t in phrase):
        return None
    return phrase


def is_first_person(sentence: SpacySpan) -> bool:
    return any(fold(token.text) in FIRST_PERSON and token.pos_ in {"PRON", "DET"} for token in sentence)


def testimony_source(doc: Doc, before: int) -> ClaimMention | None:
    """The last person named before character ``before``: the speaker of first-person testimony."""
    people = [ent for ent in doc.ents if ent.label_ in {"PER", "PERSON"} and ent.end_char <= before]
    if not people:
        return None
    ent = people[-1]
    return ClaimMention(span=Span(start=ent.start_char, end=ent.end_char, text=ent.text), source=ent.text)

