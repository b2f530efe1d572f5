"""Find counts of people and what happened to them: killed, injured, or just counted.

Vague counts take ACLED's conventional values ("dozens" 12, "des centaines" 100).
A count that only breaks down another ("including six children", "dont deux soldats")
is marked ``subset``; the event stage leaves it out of the total. A death told with a
singular pronoun ("il est mort sur le coup", "he died") counts one.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Doc, Span as SpacySpan, Token

from khaldun.extract.lexicon import PhraseIndex, doc_text, fold, phrase_words
from khaldun.schema import NumberMention, Span

DIGITS = re.compile(r"^\d{1,3}(?:[.,\u202f ]\d{3})+$|^\d+$")
SUBSET_CUES = {"dont", "including", "among", "parmi", "notamment", "incluant", "y compris"}


class NumberFinder:
    """Stage: a parsed sentence -> counts of people with their category."""

    def __init__(self, *, lexicon: dict[str, Any]) -> None:
        numbers = lexicon["numbers"]
        self.words = {fold(k): int(v) for k, v in numbers["words"].items() if " " not in k}
        self.vague = PhraseIndex((k, int(v)) for k, v in numbers["vague"].items())
        self.multiword = PhraseIndex((k, int(v)) for k, v in numbers["words"].items() if " " in k)
        self.minimum = PhraseIndex((k, True) for k in numbers["minimum"])
        self.killed = {fold(w) for w in numbers["killed"]}
        self.killed_phrases = PhraseIndex((k, True) for k in numbers["killed"] if len(phrase_words(k)) > 1)
        self.injured = {fold(w) for w in numbers["injured"]}
        self.people = {fold(w) for w in numbers["people"]}
        self.articles = {"un", "une", "a", "an", "one"}

    def __call__(self, doc: Doc, sentence: SpacySpan) -> list[NumberMention]:
        found: list[NumberMention] = []
        used: set[int] = set()
        for match in self.vague.longest(doc, sentence.start, sentence.end) + self.multiword.longest(doc, sentence.start, sentence.end):
            tokens = doc[match.start:match.end]
            used.update(range(match.start, match.end))
            mention = self._mention(doc, sentence, tokens, match.payload, vague=match.payload is not None and match in self._vague_cache(doc, sentence))
            if mention:
                found.append(mention)
        for token in sentence:
            if token.i in used:
                continue
            value = self._value(token)
            if value is None:
                continue
            if fold(token.text) in self.articles and not self._article_counts(token):
                continue
            mention = self._mention(doc, sentence, doc[token.i:token.i + 1], value, vague=False)
            if mention:
                found.append(mention)
        found.extend(self._pronoun_deaths(doc, sentence, used))
        return sorted(found, key=lambda m: m.span.start)

    def _pronoun_deaths(self, doc: Doc, sentence: SpacySpan, used: set[int]) -> list[NumberMention]:
        deaths = []
        for token in sentence:
            if token.pos_ not in {"VERB", "ADJ"} or not {fold(token.text), fold(token.lemma_)} & self.killed:
                continue
            for child in token.children:
                if child.dep_.startswith("nsubj") and child.pos_ == "PRON" and "Sing" in child.morph.get("Number") \
                        and "3" in child.morph.get("Person") and child.i not in used:
                    start, end = child.idx, token.idx + len(token.text)
                    deaths.append(NumberMention(span=Span(start=start, end=end, text=doc_text(doc)[start:end]), value=1,
                                                category="killed", head=child.i))
        return deaths

    def _vague_cache(self, doc: Doc, sentence: SpacySpan) -> list[Any]:
        return self.vague.longest(doc, sentence.start, sentence.end)

    def _value(self, token: Token) -> int | None:
        text = token.text
        if DIGITS.match(text):
            if re.fullmatch(r"(?:19|20)\d\d", text) and not self._counts_people(token):
                return None
            return int(re.sub(r"\D", "", text))
        return self.words.get(fold(text))

    def _article_counts(self, token: Token) -> bool:
        """'un combattant mort', 'a soldier was killed': the article counts one person."""
        noun = token.head
        if fold(noun.lemma_) not in self.people and fold(noun.text) not in self.people:
            return fold(noun.text) in self.killed | self.injured and noun.pos_ == "NOUN"
        return self._fate(noun) is not None

    def _counts_people(self, token: Token) -> bool:
        return fold(token.head.lemma_) in self.people | self.killed | self.injured

    def _mention(self, doc: Doc, sentence: SpacySpan, tokens: SpacySpan, value: int, *, vague: bool) -> NumberMention | None:
        noun = self._counted_noun(tokens, sentence)
        if noun is None:
            return None
        fate = self._fate(noun) or (self._fate(tokens.root) if tokens.root.i != noun.i else None)
        noun_key = {fold(noun.text), fold(noun.lemma_)}
        if fate is None and not noun_key & self.people:
            return None
        category = fate or "people"
        minimum = any(m.end >= tokens.start - 1 and m.end <= tokens.start + 1 for m in self.minimum.longest(doc, max(sentence.start, tokens.start - 4), tokens.start))
        start = doc[tokens.start].idx
        end = noun.idx + len(noun.text) if noun.i >= tokens.end - 1 else tokens.end_char
        return NumberMention(
            span=Span(start=start, end=end, text=doc_text(doc)[start:end]),
            value=value,
            category=category,
            vague=vague,
            minimum=minimum,
            subset=self._is_subset(doc, tokens, sentence),
            head=noun.i,
        )

    def _counted_noun(self, tokens: SpacySpan, sentence: SpacySpan) -> Token | None:
        """The noun being counted: '113 morts' -> morts, 'des centaines de morts' -> morts."""
        last = tokens[-1]
        for token in sentence.doc[last.i + 1:min(sentence.end, last.i + 4)]:
            if token.pos_ in {"NOUN", "PROPN"} or fold(token.text) in self.killed | self.injured | self.people:
                return token
            if token.pos_ not in {"ADP", "DET", "ADJ", "ADV"} and token.text not in {"d'", "de", "of"}:
                break
        head = last.head
        if head.pos_ in {"NOUN", "PROPN", "ADJ", "VERB"} and head.i != last.i:
            return head
        if fold(last.text) in self.killed | self.injured:
            return last
        return None

    def _fate(self, noun: Token) -> str | None:
        """Killed or injured, from the noun itself, its modifiers or the verb it depends on."""
        keys = {fold(noun.text), fold(noun.lemma_)}
        if keys & self.injured and not keys & self.killed:
            return "injured"
        if keys & self.killed and not keys & self.people:
            return "killed"
        for child in noun.children:
            child_keys = {fold(child.text), fold(child.lemma_)}
            if child.dep_ in {"amod", "acl", "acl:relcl", "relcl"}:
                if child_keys & self.killed:
                    return "killed"
                if child_keys & self.injured:
                    return "injured"
        verb = noun.head
        steps = 0
        while steps < 3 and verb.pos_ not in {"VERB", "AUX"} and verb.head is not verb:
            verb = verb.head
            steps += 1
        verb_keys = {fold(verb.text), fold(verb.lemma_)}
        # a bare noun the parser left as an oblique: "tuant douze civils", "Au moins 85 personnes ... ont été tuées"
        direct = (noun.dep_ == "obl:arg" or (noun.dep_ == "obl:mod" and noun.i < verb.i and keys & self.people)) \
            and not any(c.dep_ == "case" for c in noun.children)
        if noun.dep_.startswith(("nsubj", "obj", "dobj")) or noun.dep_ in {"conj", "appos"} or direct:
            if verb_keys & self.killed or any(fold(c.text) in self.killed for c in verb.children if c.dep_ in {"acomp", "xcomp", "attr", "obj"} and c.i != noun.i):
                return "killed"
            if verb_keys & self.injured:
                return "injured"
        return None

    def _is_subset(self, doc: Doc, tokens: SpacySpan, sentence: SpacySpan) -> bool:
        window = doc[max(sentence.start, tokens.start - 3):tokens.start]
        text = " ".join(fold(t.text) for t in window)
        return any(re.search(rf"(?<!\w){re.escape(cue)}(?!\w)", text) for cue in SUBSET_CUES)


