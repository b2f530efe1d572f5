"""Match lexicon phrases (from the YAML data files) against spaCy tokens.

A phrase is written as words separated by spaces; each word matches a token whose
lower-cased form or lemma equals it once accents are folded ("tués" and "tuer" both match
"tuer"). Names (actors) match on the words as written only: a lemma would turn "pu" into
"pouvoir"; they may take a plural -s ("anti-Balakas"). ``*`` stands for up to five tokens of any kind ("signer * accord").
Matching is indexed by first word, so the cost does not grow with the lexicon's size.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

from spacy.tokens import Doc, Token

Payload = TypeVar("Payload")
GAP = "*"
MAX_GAP = 5
FOLD_CACHE = 1 << 16
STARTS_CACHE = 1 << 16
_SERIALS = itertools.count()
ELISION = re.compile(r"^(?:[ldjnmstcq]u?|jusqu|lorsqu|puisqu|quoiqu)'", re.IGNORECASE)


@lru_cache(maxsize=FOLD_CACHE)
def fold(text: str) -> str:
    """Lower case without accents or typographic apostrophes: the key all matching uses.

    Cached: every finder folds the same few thousand word forms over and over (bounded,
    so memory stays flat on a long stream).
    """
    text = unicodedata.normalize("NFKD", text.replace("’", "'").lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def token_keys(token: Token, *, lemmas: bool = True, plurals: bool = False) -> frozenset[str]:
    """The keys a token matches a phrase word by (folded form, lemma, without elision)."""
    return _keys(token.text, token.lemma_ if lemmas else None, plurals)


def doc_text(doc: Doc) -> str:
    """The document's text, built once: spaCy joins every token anew on each ``Doc.text``."""
    text = doc.user_data.get("khaldun.text")
    if text is None:
        text = doc.user_data["khaldun.text"] = doc.text
    return text


def doc_keys(doc: Doc, *, lemmas: bool = True, plurals: bool = False) -> list[frozenset[str]]:
    """Every token's keys, computed once per document: each finder matches its own lexicon over
    the same tokens, and making spaCy tokens is what costs."""
    cache = doc.user_data.setdefault("khaldun.token_keys", {})
    if (lemmas, plurals) not in cache:
        cache[(lemmas, plurals)] = [token_keys(token, lemmas=lemmas, plurals=plurals) for token in doc]
    return cache[(lemmas, plurals)]


@lru_cache(maxsize=FOLD_CACHE)
def _keys(text: str, lemma: str | None, plurals: bool) -> frozenset[str]:
    keys = {fold(text), fold(lemma)} if lemma is not None else {fold(text)}
    if plurals:
        keys |= {k[:-1] for k in keys if len(k) > 4 and k.endswith("s")}  # "anti-Balakas", "Houthis"
    bare = ELISION.sub("", fold(text))
    if bare:
        keys.add(bare)
    return frozenset(keys)


def phrase_words(phrase: str, *, keep_hyphens: bool = False) -> list[str]:
    """Split a lexicon phrase the way spaCy splits text: apostrophes (and hyphens) apart.

    spaCy keeps some hyphenated words whole ("anti-Balakas") and splits others, so the
    index holds both forms of a hyphenated phrase.
    """
    pattern = r"[\w-]+'|[\w]+(?:-[\w]+)*|[^\w\s]" if keep_hyphens else r"[\w]+'|[\w]+|[^\w\s]"
    words: list[str] = []
    for word in fold(phrase).split():
        if word == GAP:
            words.append(word)
            continue
        words.extend(re.findall(pattern, word))
    return words


def english_words(phrase: str) -> list[str]:
    """Split a phrase the way spaCy's English tokenizer does: the possessive apart ("People's"
    is "People" + "'s"), an apostrophe inside a name kept ("Ta'ang")."""
    words: list[str] = []
    for word in fold(phrase).split():
        stem = word[:-2] if word.endswith("'s") and len(word) > 2 else None
        if stem is not None and "'" not in stem:
            words.extend(phrase_words(stem) + ["'s"])
        elif re.fullmatch(r"\w+'\w+", word) and not ELISION.match(word):
            words.append(word)
        else:
            words.extend(phrase_words(word))
    return words


@dataclass(frozen=True)
class PhraseMatch(Generic[Payload]):
    start: int  # first token index
    end: int  # one past the last token
    payload: Payload
    phrase: str


class PhraseIndex(Generic[Payload]):
    """Phrases to payloads, matched longest-first over a Doc."""

    def __init__(self, entries: Iterable[tuple[str, Payload]], *, lemmas: bool = True, plurals: bool = False) -> None:
        self.lemmas = lemmas
        self.plurals = plurals
        self._serial = next(_SERIALS)  # names this index's per-document cache in ``Doc.user_data``
        self._starting: dict[frozenset[str], list[str]] = {}
        self._by_first: dict[str, list[tuple[list[str], Payload, str]]] = defaultdict(list)
        for phrase, payload in entries:
            forms = {tuple(phrase_words(phrase)), tuple(phrase_words(phrase, keep_hyphens=True)),
                     tuple(english_words(phrase))}
            for form in forms:
                words = list(form)
                if words and words[0] != GAP:
                    self._by_first[words[0]].append((words, payload, phrase))
        # Second level, by second word: "armée {adj}" gives hundreds of phrases starting with
        # "armee"; only those whose second word is the next token's are worth trying.
        self._open: dict[str, list[int]] = defaultdict(list)  # one word, or a gap second
        self._by_second: dict[tuple[str, str], list[int]] = defaultdict(list)
        for first, options in self._by_first.items():
            options.sort(key=lambda item: -len(item[0]))
            for position, (words, _payload, _phrase) in enumerate(options):
                if len(words) == 1 or words[1] == GAP:
                    self._open[first].append(position)
                else:
                    self._by_second[(first, words[1])].append(position)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_first.values())

    def matches(self, doc: Doc, start: int = 0, end: int | None = None) -> Iterator[PhraseMatch[Payload]]:
        """Every match starting in ``doc[start:end]``, overlapping ones included (for each start
        and first word, longest phrases first, as listed)."""
        start = max(start, 0)
        stop = len(doc) if end is None else end
        keys = doc_keys(doc, lemmas=self.lemmas, plurals=self.plurals)[start:stop]
        starts, orders = self._starts(doc)
        for index in starts[bisect_left(starts, start):bisect_left(starts, start + len(keys))]:
            offset = index - start
            following = keys[offset + 1] if offset + 1 < len(keys) else frozenset()
            for key in orders[index]:
                options = self._by_first[key]
                positions = list(self._open.get(key, ()))
                for second in following:
                    positions += self._by_second.get((key, second), ())
                for position in sorted(positions):
                    words, payload, phrase = options[position]
                    last = _match_at(words, keys, offset)
                    if last is not None:
                        yield PhraseMatch(start + offset, start + last, payload, phrase)

    def _starts(self, doc: Doc) -> tuple[list[int], dict[int, list[str]]]:
        """The tokens of ``doc`` whose keys start a phrase, and those keys in matching order.

        Computed once per document and index: the finders match sentence by sentence, and a
        token that starts no phrase (most of them) is then skipped without being looked at.
        """
        cache = doc.user_data.setdefault("khaldun.phrase_starts", {})
        if self._serial not in cache:
            if len(self._starting) > STARTS_CACHE:
                self._starting.clear()
            positions: list[int] = []
            orders: dict[int, list[str]] = {}
            for index, keys in enumerate(doc_keys(doc, lemmas=self.lemmas, plurals=self.plurals)):
                starting = self._starting.get(keys)
                if starting is None:
                    starting = self._starting[keys] = [key for key in keys if key in self._by_first]
                if starting:
                    positions.append(index)
                    orders[index] = self._key_order(doc, index, keys) if len(starting) > 1 else starting
            cache[self._serial] = (positions, orders)
        return cache[self._serial]

    def _key_order(self, doc: Doc, index: int, keys: frozenset[str]) -> list[str]:
        """The token's keys that start a phrase, the lemma's first, then alphabetical.

        A frozenset's order changes with the string hash seed, and the first match found wins
        a tie in :meth:`longest`: "saccagé" (the verb) would match "saccage" (the noun) in one
        run and "saccager" in the next. The lemma is the parser's reading of the word, so it
        goes first; the rest are sorted, so the same text always gives the same matches.
        """
        starting = [key for key in keys if key in self._by_first]
        if len(starting) < 2:
            return starting
        lemma = fold(doc[index].lemma_) if self.lemmas else None
        return sorted(starting, key=lambda key: (key != lemma, key))

    def longest(self, doc: Doc, start: int = 0, end: int | None = None) -> list[PhraseMatch[Payload]]:
        """Non-overlapping matches, longest first, then leftmost."""
        found = sorted(self.matches(doc, start, end), key=lambda m: (-(m.end - m.start), m.start))
        taken: set[int] = set()
        kept: list[PhraseMatch[Payload]] = []
        for match in found:
            span = set(range(match.start, match.end))
            if span & taken:
                continue
            taken |= span
            kept.append(match)
        return sorted(kept, key=lambda m: m.start)


def _match_at(words: list[str], keys: list[frozenset[str]], offset: int) -> int | None:
    """End offset (exclusive) of ``words`` matched from ``offset``, allowing ``*`` gaps."""
    position = offset
    index = 0
    while index < len(words):
        word = words[index]
        if word == GAP:
            following = words[index + 1]
            for skip in range(MAX_GAP + 1):
                probe = position + skip
                if probe < len(keys) and following in keys[probe]:
                    position = probe
                    break
            else:
                return None
            index += 1
            continue
        if position >= len(keys) or word not in keys[position]:
            return None
        position += 1
        index += 1
    return position
