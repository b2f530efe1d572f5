"""Place mentions: find the places a report names, resolve them, and say how each is named.

Named-entity labels are only a hint here: the French model tags "Baba Amr" as a person and
the English one tags "Aleppo" as a language. So the stage spots names in the gazetteer
itself (capitalised token runs, longest first), keeps the entities it can check against the
gazetteer, and drops names that behave like persons or organisations. Each name is then
resolved against the report's context (country focus, other places, "quartier de",
"province") and given a relation read off the words before it ("à", "near", "north of").
The cues are data: ``khaldun/data/gazetteer/placefinder.yaml``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from khaldun.geo.build import distance_km
from khaldun.geo.gazetteer import Candidate, Gazetteer, importance
from khaldun.geo.translit import key
from khaldun.resources import load_yaml
from khaldun.schema import GeoEntry, PlaceMention, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
CHECKED_LABELS = frozenset({"PER", "PERSON", "MISC", "ORG", "NORP", "LANGUAGE", "EVENT", "PRODUCT", "WORK_OF_ART"})
CONNECTORS = frozenset({"-", "al", "el", "ez", "es", "ad", "ed", "as", "ash", "ar", "az", "at", "an", "ibn", "bin", "ben",
                        "de", "du", "des", "d'", "la", "le", "of", "al-", "el-", "'", "’"})
ARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|ed|as|es|ash|ar|az|at|an|ez)-\w", re.IGNORECASE)
MAX_TOKENS = 6
FOREIGN_IMPORTANCE = 10.0
"""A name the parser did not see as a place, outside the report's country and its neighbours,
must be this prominent to be taken for a place there (Geneva, not Baní)."""
FOREIGN_TAGGED_IMPORTANCE = 6.0
"""The same for a name the parser did see as a place: a hamlet abroad that shares its spelling
(Konna, Mali and Conna, Ireland) is not the place the report means."""
REGION_CODES = frozenset({"PCLI", "ADM1", "ADM2", "ADM3"})
CONTAINER_FIT = {
    "neighbourhood": lambda e: e.feature_code == "PPLX" or (e.id.startswith("supplement:") and e.feature_class == "P"),
    "town": lambda e: e.feature_class == "P",
    "region": lambda e: e.feature_code in REGION_CODES,
    "landmark": lambda e: e.feature_class == "S",
}


@cache
def lexicon(language: str) -> dict[str, Any]:
    """The cue lists for ``language`` (English for languages without their own)."""
    data = load_yaml("gazetteer", "placefinder.yaml")
    lex = dict(data.get(language) or data["en"])
    lex["near"] = [tuple(p) for p in lex["near"]]
    lex["container_of"] = {w: kind for kind, words in lex["containers"].items() for w in words}
    for name in ("in", "distance_units", "distance_links", "directions", "direction_links", "container_links",
                 "articles", "person_titles", "stop", "qualifiers", "capital"):
        lex[name] = frozenset(lex[name])
    return lex


@dataclass
class Found:
    """A candidate place name in the text, before and after resolution."""

    start: int  # token indices [start, end)
    end: int
    text: str
    label: str  # NER label or "" when spotted in the gazetteer
    candidates: list[Candidate]
    relation: str = "mention"
    container: str | None = None
    cue: bool = False
    fuzzy: bool = False
    entry: GeoEntry | None = None
    score: float = 0.0
    inherit_from: int | None = None
    capital: bool = False  # "la capitale": the focus country's capital, resolved once the focus is known
    options: list[tuple[float, GeoEntry]] = field(default_factory=list)


class PlaceFinder:
    """Pipeline stage: spaCy Doc of a report's normalised text -> place mentions, resolved."""

    def __init__(self, *, gazetteer: Gazetteer | None = None, fuzzy_threshold: float = 88.0, fuzzy_min_key: int = 6) -> None:
        self._gazetteer = gazetteer
        self.fuzzy_threshold = fuzzy_threshold
        self.fuzzy_min_key = fuzzy_min_key

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = Gazetteer.open()
        return self._gazetteer

    def __call__(self, doc: "Doc", *, language: str, country_hint: str | None = None) -> list[PlaceMention]:
        """``country_hint``: ISO2 the report's dateline or named actors point to, a vote for focus."""
        lex = lexicon(language)
        found = self._find(doc, lex)
        for item in found:
            self._relation(doc, item, lex)
        self._inherit(doc, found)
        self._resolve(found, country_hint)
        mentions = [self._mention(doc, item) for item in found if item.entry is not None or item.label in PLACE_LABELS or item.cue]
        mentions.extend(self._directions(doc, lex, found))
        return sorted(mentions, key=lambda m: m.span.start)

    def focus_country(self, mentions: list[PlaceMention]) -> str | None:
        """ISO2 of the country the report is mostly about (None without resolved places)."""
        votes: Counter[str] = Counter()
        for m in mentions:
            if m.entry and m.entry.country_code:
                votes[m.entry.country_code] += (1.0 if m.relation != "mention" else 0.5) * max(m.score, 0.1)
        return votes.most_common(1)[0][0] if votes else None

    # --- finding names -------------------------------------------------------------

    def _candidates(self, text: str) -> list[Candidate]:
        return self.gazetteer.candidates(text) if key(text) else []

    def _landmark_side(self, doc: "Doc", start: int, end: int, lex: dict[str, Any]) -> tuple[int, int] | None:
        """The span widened by an adjacent landmark noun ("mosquée X", "X mosque"), if any."""
        kinds = lex["container_of"]
        if start > 0 and kinds.get(doc[start - 1].lower_) == "landmark":
            return start - 1, end
        if end < len(doc) and kinds.get(doc[end].lower_) == "landmark":
            return start, end + 1
        return None

    def _qualified(self, doc: "Doc", start: int, end: int, lex: dict[str, Any]) -> tuple[int, list[Candidate]] | None:
        """The span opened by a lowercase qualifier that belongs to the name ("vieux Homs"), if the
        gazetteer knows that exact name."""
        first = start
        while first > 0 and start - first < 2 and doc[first - 1].lower_ in lex["qualifiers"]:
            first -= 1
        if first == start:
            return None
        text = doc[first:end].text
        cands = [c for c in self._candidates(text) if c.exact(text)]
        return (first, cands) if cands else None

    def _lookup(self, doc: "Doc", start: int, end: int, lex: dict[str, Any]) -> tuple[int, int, list[Candidate]]:
        """Candidates for a span, preferring the landmark reading ("mosquée X") and the qualified
        one ("vieux Homs") when known."""
        wide = self._landmark_side(doc, start, end, lex)
        if wide:
            cands = self._candidates(doc[wide[0]:wide[1]].text)
            if cands:
                return wide[0], wide[1], cands
        qualified = self._qualified(doc, start, end, lex)
        if qualified:
            return qualified[0], end, qualified[1]
        return start, end, self._candidates(doc[start:end].text)

    def _find(self, doc: "Doc", lex: dict[str, Any]) -> list[Found]:
        taken = [False] * len(doc)
        found: list[Found] = []
        surnames = {ent[-1].lower_ for ent in doc.ents if ent.label_ in ("PER", "PERSON") and len(ent) > 1}
        for ent in doc.ents:
            if ent.label_ not in PLACE_LABELS and ent.label_ not in CHECKED_LABELS:
                continue
            start, end = self._trim(doc, ent.start, ent.end, lex)
            if start >= end:
                continue
            start, end, cands = self._lookup(doc, start, end, lex)
            text = doc[start:end].text
            if cands:
                found.append(Found(start, end, text, ent.label_, cands))
            elif self._landmark_side(doc, start, end, lex):
                found.append(Found(start, end, text, ent.label_, [], container="landmark", cue=True))
            elif (ent.label_ in PLACE_LABELS or _transliterated(doc[start:end])) and text.lower() not in lex["stop"]:
                sub = [f for f in self._spot_range(doc, start, end, lex, taken, surnames)
                       if any(c.exact(f.text) for c in f.candidates)]  # "Jour" of "Jour al-Chiyah" is not Győr
                if sub:
                    found.extend(sub)
                else:
                    found.append(Found(start, end, text, ent.label_, []))
            for i in range(ent.start, ent.end):
                taken[i] = True
        found.extend(self._spot_range(doc, 0, len(doc), lex, taken, surnames))
        found.extend(self._capitals(doc, lex, taken))
        found.sort(key=lambda f: f.start)
        return [f for f in found if not self._is_person(doc, f, lex, surnames)]

    def _trim(self, doc: "Doc", start: int, end: int, lex: dict[str, Any]) -> tuple[int, int]:
        """Drop leading articles and container words, trailing containers and punctuation."""
        while start < end and (doc[start].lower_ in lex["articles"] or doc[start].is_punct):
            start += 1
        while end > start and (doc[end - 1].lower_ in lex["container_of"] or doc[end - 1].is_punct or doc[end - 1].lower_ in ("'s", "’s")):
            end -= 1
        return start, end

    def _capitalised(self, token: "Token") -> bool:
        text = token.text
        return bool(text) and (text[0].isupper() or bool(ARTICLE_PREFIX.match(text))) and any(ch.isalpha() for ch in text)

    def _spot_range(self, doc: "Doc", lo: int, hi: int, lex: dict[str, Any], taken: list[bool], surnames: set[str]) -> list[Found]:
        """Longest capitalised token runs in [lo, hi) that are gazetteer names."""
        out: list[Found] = []
        i = lo
        while i < hi:
            token = doc[i]
            if taken[i] or not self._capitalised(token) or token.lower_ in lex["stop"]:
                i += 1
                continue
            match = None
            for n in range(min(MAX_TOKENS, hi - i), 0, -1):
                last = doc[i + n - 1]
                if not self._capitalised(last) or last.lower_ in lex["stop"]:
                    continue
                inner = doc[i:i + n]
                if any(taken[j] for j in range(i, i + n)):
                    continue
                if any(not self._capitalised(t) and t.lower_ not in CONNECTORS for t in inner):
                    continue
                if n == 1 and token.is_sent_start and token.pos_ not in ("PROPN", "X") and not token.ent_type_:
                    continue
                if n == 1 and token.is_upper and len(token.text) <= 5:
                    continue
                start, end, cands = self._lookup(doc, i, i + n, lex)
                if cands:
                    match = Found(start, end, doc[start:end].text, "", cands)
                    break
            if match and not any(taken[j] for j in range(match.start, match.end)):
                out.append(match)
                for j in range(match.start, match.end):
                    taken[j] = True
                i = match.end
            else:
                i += 1
        return out

    def _capitals(self, doc: "Doc", lex: dict[str, Any], taken: list[bool]) -> list[Found]:
        """"la capitale", "the capital" after a determiner, not followed by the name or country it
        belongs to ("la capitale du Mali", "the capital, Bamako", "the capital of northern Iraq")."""
        out = []
        for token in doc:
            if taken[token.i] or token.lower_ not in lex["capital"] or token.i == 0:
                continue
            if doc[token.i - 1].lower_ not in lex["articles"]:
                continue
            following = [t for t in doc[token.i + 1:token.i + 3] if t.text != ","]
            if following and following[0].lower_ in lex["container_links"] or any(t.pos_ == "PROPN" for t in following):
                continue
            out.append(Found(token.i, token.i + 1, token.text, "", [], capital=True))
        return out

    def _is_person(self, doc: "Doc", item: Found, lex: dict[str, Any], surnames: set[str]) -> bool:
        """Names introduced by a title, or a person's surname used alone."""
        before = doc[item.start - 1].lower_ if item.start else ""
        if before in lex["person_titles"]:
            return True
        if item.end - item.start == 1 and doc[item.start].lower_ in surnames and item.label not in PLACE_LABELS:
            return True
        return False

    # --- relations --------------------------------------------------------------------

    def _relation(self, doc: "Doc", item: Found, lex: dict[str, Any]) -> None:
        """Read the words before (and right after) the name: in / near / region / mention."""
        sent_start = doc[item.start].sent.start
        words = [t.lower_ for t in doc[sent_start:item.start]]
        pos = len(words) - 1
        following = doc[item.end].lower_ if item.end < len(doc) else ""
        if following in lex["container_of"]:
            item.container = lex["container_of"][following]
        if words and lex["container_of"].get(doc[item.start].lower_) == "landmark":
            item.container = "landmark"
        landmark_before = pos >= 0 and words[pos] in lex["container_of"] and lex["container_of"][words[pos]] == "landmark"
        if pos >= 1 and words[pos] in lex["container_links"] and words[pos - 1] in lex["container_of"]:
            item.container = item.container or lex["container_of"][words[pos - 1]]
            pos -= 2
            item.cue = True
        elif landmark_before or (pos >= 0 and words[pos] in lex["container_of"] and words[pos] not in lex["stop"]):
            item.container = item.container or lex["container_of"][words[pos]]
            pos -= 1
            item.cue = True
        while pos >= 0 and words[pos] in lex["articles"] and words[pos] not in lex["distance_links"]:
            pos -= 1
        if item.cue and pos >= 1 and words[pos] in lex["directions"] and words[pos - 1] in lex["articles"]:
            pos -= 2  # "near the northern city of X": the direction describes the city
        if pos < 0:
            return
        for phrase in lex["near"]:
            n = len(phrase)
            if pos - n + 1 >= 0 and tuple(words[pos - n + 1:pos + 1]) == phrase:
                item.relation, item.cue = "near", True
                return
        word = words[pos]
        if word in lex["distance_links"] or word in lex["container_links"] or word == "of":
            prev = words[pos - 1] if pos >= 1 else ""
            if prev in lex["directions"]:
                before_dir = words[pos - 2] if pos >= 2 else ""
                if before_dir in lex["articles"] and pos >= 3 and words[pos - 3] in lex["in"]:
                    item.relation, item.cue = "in", True
                else:
                    item.relation, item.cue = "near", True
                return
            if prev in lex["distance_units"]:
                item.relation, item.cue = "near", True
                return
        while pos >= 1 and word in lex["articles"]:
            pos -= 1
            word = words[pos]
        if word in lex["directions"] and pos >= 1 and words[pos - 1] in lex["in"]:
            item.relation, item.cue = "in", True
            return
        if word in lex["in"]:
            item.relation, item.cue = "in", True

    def _inherit(self, doc: "Doc", found: list[Found]) -> None:
        """Coordinated names ("à Homs et Hama") and "X neighbourhood of Y" share a relation."""
        by_token = {}
        for idx, item in enumerate(found):
            for t in range(item.start, item.end):
                by_token[t] = idx
        for idx, item in enumerate(found):
            if item.relation != "mention":
                continue
            root = doc[item.start:item.end].root
            if root.dep_ == "conj" and root.head.i in by_token and by_token[root.head.i] != idx:
                item.inherit_from = by_token[root.head.i]
            elif item.start >= 2 and doc[item.start - 1].lower_ in ("of", "de", "d'", "du") and doc[item.start - 2].lower_ in lexicon_words():
                for j in range(item.start - 3, max(item.start - 6, -1), -1):
                    if j in by_token and by_token[j] != idx:
                        item.inherit_from = by_token[j]
                        item.container = None
                        break
        for item in found:
            if item.inherit_from is not None:
                source = found[item.inherit_from]
                item.relation = source.relation
                item.cue = item.cue or source.cue

    # --- resolution ---------------------------------------------------------------------

    def _fuzzy(self, item: Found, focus: str | None) -> list[Candidate]:
        if not focus or len(key(item.text)) < self.fuzzy_min_key:
            return []
        if not (item.cue or item.label in PLACE_LABELS or (item.label and _has_article(item.text))):
            return []
        return self.gazetteer.fuzzy_candidates(item.text, country=focus, threshold=self.fuzzy_threshold, limit=5)

    def _resolve(self, found: list[Found], hint: str | None = None) -> None:
        for item in found:
            self._choose(item, None, [])
        focus = self._focus(found, hint)
        capital = self.gazetteer.capital(focus) if focus else None
        for item in found:
            if item.capital and capital is not None:
                item.candidates = [Candidate(capital, item.text)]
        for _ in range(2):
            context = [f.entry for f in found if f.entry is not None and (focus is None or f.entry.country_code == focus)]
            for item in found:
                if not item.candidates and not item.fuzzy:
                    item.candidates = self._fuzzy(item, focus)
                    item.fuzzy = bool(item.candidates)
                self._choose(item, focus, [e for e in context if e is not item.entry])
            focus = self._focus(found, hint) or focus
        for idx, item in enumerate(found):
            self._fallback(found, idx, focus)
            self._regionalise(item)
            self._drop_weak(item, focus)

    def _focus(self, found: list[Found], hint: str | None = None) -> str | None:
        votes: Counter[str] = Counter()
        if hint:
            votes[hint] += 2.0
        for item in found:
            if item.entry is None:
                continue
            weight = 1.0 if (item.cue or item.label in PLACE_LABELS) else 0.5
            if not any(c.exact(item.text) and c.entry.id == item.entry.id for c in item.candidates):
                weight *= 0.25  # a key collision is weak evidence of the country
            if item.entry.feature_code == "PCLI":
                weight *= 2
            votes[item.entry.country_code] += weight
        return votes.most_common(1)[0][0] if votes else None

    def _choose(self, item: Found, focus: str | None, context: list[GeoEntry]) -> None:
        if not item.candidates:
            item.entry, item.score = None, 0.0
            return
        neighbours = set(self.gazetteer.neighbours(focus)) if focus else set()
        cities = {e.id for e in context if e.feature_class == "P"}
        scored: list[tuple[float, GeoEntry]] = []
        for cand in item.candidates:
            e = cand.entry
            s = 4.0 if cand.exact(item.text) else 0.0
            s += min(importance(e), 12.0) * 0.25
            if cand.score < 100:
                s -= (100.0 - cand.score) / 5.0
            if focus:
                s += 3.0 if e.country_code == focus else (0.5 if e.country_code in neighbours else 0.0)
            if context:
                d = min(distance_km(e.latitude, e.longitude, c.latitude, c.longitude) for c in context)
                s += 2.0 if d < 30 else (1.0 if d < 100 else 0.0)
            if e.parent_id and e.parent_id in cities:
                s += 3.0
            if item.container:
                s += 2.0 if CONTAINER_FIT[item.container](e) else -0.5
            if e.id.startswith("supplement:"):
                s += 0.5
            scored.append((s, e))
        scored.sort(key=lambda pair: (-pair[0], pair[1].id))
        item.options = scored
        best, runner = scored[0][0], (scored[1][0] if len(scored) > 1 else 0.0)
        item.entry = scored[0][1]
        margin = best - runner
        item.score = round(max(0.05, min(1.0, (1 - math.exp(-best / 6.0)) * (0.6 + 0.4 * min(margin, 2.0) / 2.0))), 3)

    def _fallback(self, found: list[Found], idx: int, focus: str | None) -> None:
        """An unknown neighbourhood or landmark takes the city named before it (lower score)."""
        item = found[idx]
        if item.entry is not None or item.container not in ("neighbourhood", "landmark"):
            return
        for other in list(reversed(found[:idx])) + found[idx + 1:]:
            e = other.entry
            if e is not None and e.feature_class == "P" and e.population > 0 and (focus is None or e.country_code == focus):
                item.entry, item.score = e, 0.3
                return

    def _regionalise(self, item: Found) -> None:
        """"province de Homs": the governorate, coded to its capital, not the city."""
        e = item.entry
        if e is None:
            return
        if item.container == "region" and e.feature_code not in REGION_CODES:
            division = self.gazetteer.admin1_entry(e.country_code, item.text) or self.gazetteer.admin2_entry(e.country_code, item.text)
            if division is not None:
                item.entry = e = division
        if e.feature_code in REGION_CODES and item.relation in ("in", "near"):
            item.relation = "region"
        elif item.container == "region" and item.relation == "in":
            item.relation = "region"

    def _drop_weak(self, item: Found, focus: str | None) -> None:
        """Spotted names with nothing for them (no cue, foreign, obscure) are not places.

        A spelling that only shares a transliteration key with a place abroad ("Touareg" and
        Tauragė, "Reuters" and Retiro) is not that place, whatever the cue before it.
        """
        e = item.entry
        if e is None:
            return
        exact = any(c.exact(item.text) and c.entry.id == e.id for c in item.candidates)
        nearby = focus is None or e.country_code == focus or e.country_code in self.gazetteer.neighbours(focus)
        if not exact and (not nearby or len(key(item.text)) < 4):
            item.entry = None
            return
        bar = FOREIGN_IMPORTANCE if item.label not in PLACE_LABELS else FOREIGN_TAGGED_IMPORTANCE
        if not nearby and e.feature_code not in REGION_CODES and importance(e) < bar and not item.capital:
            item.entry = None  # "the village of Bani al-Haddad" in a report on Yemen is not Baní, Dominican Republic
            return
        if item.cue or item.label in PLACE_LABELS:
            return
        in_focus = focus is not None and e.country_code == focus
        strong = importance(e) >= 9.0 or e.feature_code == "PCLI"
        if item.label in ("PER", "PERSON"):
            keep = exact and in_focus and (e.population > 0 or e.id.startswith("supplement:") or e.feature_code in REGION_CODES)
        else:
            keep = (exact and (in_focus or strong)) or (in_focus and e.id.startswith("supplement:"))
        if not keep:
            item.entry = None

    # --- output ---------------------------------------------------------------------------

    def _mention(self, doc: "Doc", item: Found) -> PlaceMention:
        span = doc[item.start:item.end]
        return PlaceMention(
            span=Span(start=span.start_char, end=span.end_char, text=span.text),
            name=span.text, entry=item.entry, relation=item.relation,  # type: ignore[arg-type]
            head=span.root.i, score=item.score if item.entry else 0.0,
        )

    def _directions(self, doc: "Doc", lex: dict[str, Any], found: list[Found]) -> list[PlaceMention]:
        """Bare directions with no place after them: "au sud", "to the north"."""
        covered = {t for f in found for t in range(f.start, f.end)}
        out = []
        for token in doc:
            if token.lower_ not in lex["directions"] or token.i in covered or token.i == 0:
                continue
            if doc[token.i - 1].lower_ not in lex["direction_links"]:
                continue
            nxt = doc[token.i + 1].lower_ if token.i + 1 < len(doc) else ""
            if nxt in lex["distance_links"] or nxt in lex["container_links"] or nxt == "of":
                continue
            out.append(PlaceMention(span=Span(start=token.idx, end=token.idx + len(token.text), text=token.text),
                                    name=token.text, entry=None, relation="direction", head=token.i, score=0.0))
        return out


def _transliterated(span: Any) -> bool:
    """A multi-word name with an Arabic article ("Jour al-Chiyah"): a place name whatever its NER label,
    unless the model saw a person or an organisation."""
    return span.label_ not in ("PER", "PERSON", "ORG") and _has_article(span.text)


def _has_article(name: str) -> bool:
    """Words after the first carry an Arabic article: "Jour al-Chiyah", "Tell el-Abyad"."""
    return any(ARTICLE_PREFIX.match(word) for word in name.split()[1:])


@cache
def lexicon_words() -> frozenset[str]:
    """Container nouns of every language (for "the X neighbourhood of Y")."""
    data = load_yaml("gazetteer", "placefinder.yaml")
    return frozenset(w for lang in data.values() for words in lang["containers"].values() for w in words)

