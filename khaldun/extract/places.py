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
from khaldun.geo.translit import fold, key, surface
from khaldun.resources import load_yaml
from khaldun.schema import GeoEntry, PlaceMention, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
NAME_LABELS = frozenset({"ORG", "FAC"})
"""Entities whose names may hold a place ("University of Manitoba") that is not the event's place."""
DIVISION_CODES = frozenset({"PCLI", "ADM1", "ADM2"})
CHECKED_LABELS = frozenset({"PER", "PERSON", "MISC", "ORG", "NORP", "LANGUAGE", "EVENT", "PRODUCT", "WORK_OF_ART"})
CONNECTORS = frozenset({"-", "al", "el", "ez", "es", "ad", "ed", "as", "ash", "ar", "az", "at", "an", "ibn", "bin", "ben",
                        "de", "du", "des", "d'", "la", "le", "of", "al-", "el-", "'", "’"})
ARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|ed|as|es|ash|ar|az|at|an|ez)-\w", re.IGNORECASE)
MAX_TOKENS = 6
MAX_CANDIDATES = 40
"""Candidates kept per name (exact spellings first, then by prominence): a common name has
hundreds of namesake villages, and scoring each against the report's places costs time."""
FOREIGN_IMPORTANCE = 10.0
"""A name the parser did not see as a place, outside the report's country and its neighbours,
must be this prominent to be taken for a place there (Geneva, not Baní)."""
FOREIGN_TAGGED_IMPORTANCE = 6.0
"""The same for a name the parser did see as a place: a hamlet abroad that shares its spelling
(Konna, Mali and Conna, Ireland) is not the place the report means."""
REGION_CODES = frozenset({"PCLI", "ADM1", "ADM2", "ADM3", "CONT", "RGN"})
WIDE_CODES = frozenset({"CONT", "RGN"})
"""Continents and world regions: resolved, but never an event's place."""
UNNAMED_COUNTRY_IMPORTANCE = 8.0
"""The same, for a place the parser saw, in a country the report neither names nor qualifies
with a demonym: a district seat abroad (Moura, Portugal) is not what a report on Mali means,
a city of 300,000 may be."""
SMALL_PLACE = 3.0
"""Importance under which a place (a village of unknown population) is only taken for the
name with evidence: a cue ("in", "the village of"), a place label from the parser, or a qualifier."""
RIVAL_IMPORTANCE = 4.0
"""A reading this prominent (a town of 10,000, a seat, a division) in another country makes a
name split evidence of the report's country."""
NAMED_AREAS = frozenset({"PCLI", "CONT", "RGN"})
"""A name spelled like a country, continent or world region means it, not a town so called,
unless a qualifier says otherwise ("China, Maine")."""
SPLIT_MARGIN = 0.5
"""How much more the report's other names must support a namesake's country than the chosen
reading's for an ambiguous name to go there (about one name the parser saw as a place)."""
STATED_CODES = frozenset({"PCLI", "ADM1"})
"""Names that state the report's countries before its places are chosen: countries and
first-level divisions ("Ohio", "Borno", "Nord-Kivu")."""
QUALIFIER_BONUS = 6.0
"""Score for a candidate inside the division or country named next to it ("Paris, Texas")."""
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
                 "articles", "person_titles", "stop", "qualifiers", "capital", "actor_nouns", "qualifier_links"):
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
    kind: str = "place"  # PlaceMention.kind
    fixed: bool = False  # resolved when found (demonym, abbreviation): not scored
    countries: tuple[str, ...] = ()  # a demonym's countries (ISO2), most populous first when several
    qualifier: int | None = None  # index of the division/country named next to it ("Paris, Texas")
    qualifies: bool = False  # this name qualifies the one before it
    qualifier_entry: GeoEntry | None = None  # what the qualifier resolved to
    output: bool = True  # False: evidence of the country only (a lowercase French adjective)


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
            if item.kind == "place":  # the words before an organisation's name are about the organisation
                self._relation(doc, item, lex)
        self._inherit(doc, found)
        self._link_qualifiers(doc, found, lex)
        self._resolve(found, country_hint)
        self._metonyms(doc, found, lex)
        mentions = [self._mention(doc, item) for item in found
                    if item.output and (item.entry is not None or item.label in PLACE_LABELS or item.cue)]
        mentions.extend(self._directions(doc, lex, found))
        return sorted(mentions, key=lambda m: m.span.start)

    def focus_country(self, mentions: list[PlaceMention]) -> str | None:
        """ISO2 of the country the report is mostly about (None without resolved places)."""
        votes: Counter[str] = Counter()
        for m in mentions:
            if m.entry and m.entry.country_code:
                weight = 1.0 if m.kind == "place" else (0.5 if m.kind == "demonym" else 0.25)
                votes[m.entry.country_code] += weight * (1.0 if m.relation != "mention" else 0.5) * max(m.score, 0.1)
        return votes.most_common(1)[0][0] if votes else None

    # --- finding names -------------------------------------------------------------

    def _candidates(self, text: str) -> list[Candidate]:
        """Candidates of a name, exact spellings first, at most MAX_CANDIDATES."""
        return self.gazetteer.candidates(text)[:MAX_CANDIDATES] if key(text) else []

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
        found: list[Found] = self._country_words(doc, taken) + self._abbreviations(doc, taken)
        surnames = {ent[-1].lower_ for ent in doc.ents if ent.label_ in ("PER", "PERSON") and len(ent) > 1}
        for ent in doc.ents:
            if ent.label_ not in PLACE_LABELS and ent.label_ not in CHECKED_LABELS:
                continue
            if any(taken[i] for i in range(ent.start, ent.end)):
                if ent.label_ in NAME_LABELS:  # "U.S. Army", "Nigerian Air Force": the rest of the name
                    found.extend(self._in_name(doc, ent.start, ent.end, lex, taken, surnames))
                for i in range(ent.start, ent.end):
                    taken[i] = True
                continue
            start, end, cands = self._whole(doc, ent.start, ent.end, lex)
            if not cands:
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
                sub = [] if _has_article(text) else [  # "Jour" of "Jour al-Chiyah" is neither Győr nor a village Jour
                    f for f in self._spot_range(doc, start, end, lex, taken, surnames) if any(c.exact(f.text) for c in f.candidates)]
                if sub:
                    found.extend(sub)
                else:
                    found.append(Found(start, end, text, ent.label_, []))
            elif ent.label_ in NAME_LABELS:
                found.extend(self._in_name(doc, start, end, lex, taken, surnames))
            for i in range(ent.start, ent.end):
                taken[i] = True
        found.extend(self._spot_range(doc, 0, len(doc), lex, taken, surnames))
        found.extend(self._capitals(doc, lex, taken))
        found.sort(key=lambda f: f.start)
        return [f for f in found if f.fixed or not self._is_person(doc, f, lex, surnames)]

    def _whole(self, doc: "Doc", start: int, end: int, lex: dict[str, Any]) -> tuple[int, int, list[Candidate]]:
        """A name whose last word is a container noun, when the gazetteer knows it whole
        ("Laurel County", "Kansas City", "Rapides Parish"): not a part of it."""
        while start < end and (doc[start].lower_ in lex["articles"] or doc[start].is_punct):
            start += 1
        if end - start < 2 or not self._capitalised(doc[end - 1]):
            return start, end, []
        text = doc[start:end].text
        cands = [c for c in self._candidates(text) if c.exact(text)]
        return start, end, cands

    def _in_name(self, doc: "Doc", start: int, end: int, lex: dict[str, Any], taken: list[bool],
                 surnames: set[str]) -> list[Found]:
        """Places inside an organisation or facility name ("University of Manitoba", "Dublin
        City Council"): evidence of the country, never an event's place."""
        out = []
        for item in self._spot_range(doc, start, end, lex, taken, surnames, inside=True):
            if item.end < len(doc) and doc[item.end].lower_ in lex["container_links"] | {"of"}:
                continue  # "University of", "Banque du": the kind of organisation, not a place
            if any(c.exact(item.text) for c in item.candidates):
                item.kind = "in_name"
                item.candidates = [c for c in item.candidates if c.exact(item.text)]
                out.append(item)
        return out

    def _country_words(self, doc: "Doc", taken: list[bool]) -> list[Found]:
        """Demonyms and adjectives ("Kenyan", "malienne", "Sri Lankan") and the short names of
        countries ("U.S.", "RDC", "UAE"): the country, never a town of that spelling."""
        table = country_words()
        firsts = country_first_words()
        words = [t.text for t in doc]
        out: list[Found] = []
        i = 0
        while i < len(doc):
            hit = None
            if fold_words(words[i]) not in firsts:
                i += 1
                continue
            for n in (3, 2, 1):
                if i + n > len(doc) or any(taken[j] for j in range(i, i + n)):
                    continue
                span = doc[i:i + n]
                word = table.get(fold_words(span.text))
                if word is None or (word.abbreviation and span.text not in word.forms):
                    continue
                if word.adjective and not word.lowercase and not span.text[0].isupper():
                    continue
                if i > 0 and self._capitalised(doc[i - 1]) and any(
                        c.exact(doc[i - 1:i + n].text) for c in self._candidates(doc[i - 1:i + n].text)):
                    continue  # "North America", "South Sudanese": a longer name
                hit = (n, word)
                break
            if hit is None:
                i += 1
                continue
            n, word = hit
            entries = sorted((e for e in (self.gazetteer.country_entry(cc) for cc in word.countries) if e is not None),
                             key=lambda e: -e.population)
            if word.place_id:
                entries = [e for e in (self.gazetteer.get(word.place_id),) if e is not None]
            if entries:
                item = Found(i, i + n, doc[i:i + n].text, "", [Candidate(e, surface(e.name)) for e in entries],
                             kind="demonym" if word.adjective else "place", fixed=True, countries=word.countries,
                             output=doc[i].text[0].isupper())
                item.entry, item.score = entries[0], 0.9
                out.append(item)
                for j in range(i, i + n):
                    taken[j] = True
            i += n
        return out

    def _abbreviations(self, doc: "Doc", taken: list[bool]) -> list[Found]:
        """Abbreviated divisions after a town ("Lexington, Ky.", "Surrey, B.C.")."""
        table = division_abbreviations()
        out = []
        for token in doc:
            if taken[token.i] or token.text not in table:
                continue
            cc, code = table[token.text]
            entry = self.gazetteer.admin1_entry(cc, code)
            if entry is None:
                continue
            item = Found(token.i, token.i + 1, token.text, "", [Candidate(entry, surface(entry.name))], fixed=True)
            item.entry, item.score = entry, 0.9
            out.append(item)
            taken[token.i] = True
        return out

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

    def _spot_range(self, doc: "Doc", lo: int, hi: int, lex: dict[str, Any], taken: list[bool], surnames: set[str],
                    inside: bool = False) -> list[Found]:
        """Longest capitalised token runs in [lo, hi) that are gazetteer names. A run may begin
        with a listed word or end with a container word ("West Virginia", "North America",
        "Boone County", "Dodge City") when the gazetteer has it whole."""
        out: list[Found] = []
        i = lo
        while i < hi:
            token = doc[i]
            if taken[i] or not self._capitalised(token):
                i += 1
                continue
            lead_stop = token.lower_ in lex["stop"]
            match = None
            for n in range(min(MAX_TOKENS, hi - i), 1 if lead_stop else 0, -1):
                last = doc[i + n - 1]
                whole_only = n > 1 and (lead_stop or last.lower_ in lex["container_of"])
                if not self._capitalised(last) or (last.lower_ in lex["stop"] and not whole_only):
                    continue
                inner = doc[i:i + n]
                if any(taken[j] for j in range(i, i + n)):
                    continue
                if any(not self._capitalised(t) and t.lower_ not in CONNECTORS for t in inner):
                    continue
                dateline = _dateline(doc, i, i + n)
                if n == 1 and token.is_sent_start and token.pos_ not in ("PROPN", "X") and not token.ent_type_ \
                        and not inside and not dateline:
                    continue
                if n == 1 and token.is_upper and len(token.text) <= 5 and not dateline:
                    continue
                start, end, cands = self._lookup(doc, i, i + n, lex)
                if whole_only:
                    cands = [c for c in cands if c.exact(doc[start:end].text)]
                if cands:
                    match = Found(start, end, doc[start:end].text, "", cands, cue=dateline)
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

    def _link_qualifiers(self, doc: "Doc", found: list[Found], lex: dict[str, Any]) -> None:
        """"Paris, Texas", "Lexington, Ky.", "Masisi in North Kivu province": the division or
        country named right after a place, when one of the place's candidates lies in it."""
        by_start = {f.start: idx for idx, f in enumerate(found)}
        skip = lex["articles"] | lex["container_links"] | frozenset(lex["container_of"]) | lex["qualifier_links"]
        for idx, item in enumerate(found):
            j = item.end
            if item.kind == "demonym" or j >= len(doc) or doc[j].lower_ not in lex["qualifier_links"]:
                continue
            j += 1
            while j < len(doc) and j - item.end <= 4 and j not in by_start and doc[j].lower_ in skip:
                j += 1
            other = by_start.get(j)
            if other is None or found[other].kind == "demonym":
                continue
            q = found[other]
            divisions = [c.entry for c in q.candidates if c.entry.feature_code in DIVISION_CODES and (q.fixed or c.exact(q.text))]
            fitting = [d for d in divisions if any(_inside(c.entry, d) for c in item.candidates if c.entry.id != d.id)]
            if fitting:
                item.qualifier = other
                q.qualifies = True
                q.options = [(0.0, d) for d in fitting]

    def _metonyms(self, doc: "Doc", found: list[Found], lex: dict[str, Any]) -> None:
        """A capital that acts or speaks ("Kigali accuse", "Washington said"), or a capital or a
        country whose decision or inaction is meant ("l'inaction de Paris"), stands for its
        government: not the event's place. ("Le Mali a connu des violences" is about the country.)"""
        for item in found:
            e = item.entry
            if e is None or item.kind != "place" or item.relation != "mention" or e.feature_code not in ("PPLC", "PCLI"):
                continue
            root = doc[item.start:item.end].root
            head = root.head
            if root.dep_ == "nsubj" and head.pos_ in ("VERB", "AUX") and head.i != root.i and e.feature_code == "PPLC":
                item.kind = "actor"
            elif root.dep_ in ("poss", "nmod", "nmod:poss") and head.lower_ in lex["actor_nouns"]:
                item.kind = "actor"

    # --- resolution ---------------------------------------------------------------------

    def _fuzzy(self, item: Found, focus: str | None) -> list[Candidate]:
        if not focus or len(key(item.text)) < self.fuzzy_min_key:
            return []
        if not (item.cue or item.label in PLACE_LABELS or (item.label and _has_article(item.text))):
            return []
        return self.gazetteer.fuzzy_candidates(item.text, country=focus, threshold=self.fuzzy_threshold, limit=5)

    def _resolve(self, found: list[Found], hint: str | None = None) -> None:
        found_order = sorted(found, key=lambda f: not f.qualifies)  # a qualifier before the place it qualifies
        for item in found_order:
            self._choose(item, None, [], found)
        stated = self._focus([f for f in found if f.fixed or (f.entry is not None and f.entry.feature_code in STATED_CODES)], hint)
        if stated:  # the report's countries first (dateline, actors, country names, demonyms), then its places
            for item in found_order:
                self._choose(item, stated, [], found)
        focus = self._focus(found, hint)
        capital = self.gazetteer.capital(focus) if focus else None
        for item in found:
            if item.capital and capital is not None:
                item.candidates = [Candidate(capital, item.text)]
        for _ in range(2):
            context = [f.entry for f in found if f.entry is not None and (focus is None or f.entry.country_code == focus)]
            for item in found_order:
                if not item.candidates and not item.fuzzy and not item.fixed:
                    item.candidates = self._fuzzy(item, focus)
                    item.fuzzy = bool(item.candidates)
                self._choose(item, focus, [e for e in context if e is not item.entry], found)
            focus = self._focus(found, hint) or focus
        named = {hint} | {f.entry.country_code for f in found if f.entry is not None
                          and (f.fixed or (f.entry.feature_code == "PCLI" and f.kind == "place"))}
        named.discard(None)
        names_in: dict[str, set[str]] = {}  # country -> the report's names resolved there
        for f in found:
            if f.entry is not None:
                names_in.setdefault(f.entry.country_code, set()).add(fold_words(f.text))
        for idx, item in enumerate(found):
            self._regionalise(item)
            if not item.fixed:
                self._drop_weak(item, focus, named, names_in)
            self._fallback(found, idx, focus)

    def _focus(self, found: list[Found], hint: str | None = None) -> str | None:
        """The country most of the report's names point to. A name with prominent namesakes in
        several countries ("Georgia", "Dublin") goes to the one of them the other names support."""
        votes: Counter[str] = Counter()
        split: list[tuple[tuple[str, ...], float]] = []
        names: dict[str, dict[str, float]] = {}  # country -> each distinct name's weight (a name repeated is one name)
        if hint:
            votes[hint] += 2.0
            names[hint] = {"": 2.0}
        for item in found:
            if item.entry is None:
                continue
            if item.entry.feature_code in WIDE_CODES:
                continue
            if item.kind == "demonym":
                votes[item.entry.country_code] += 0.5
                _note(names, item, 0.5)
                continue
            weight = 1.0 if (item.cue or item.label in PLACE_LABELS or item.qualifier is not None) else 0.5
            if not item.fixed and not any(c.exact(item.text) and c.entry.id == item.entry.id for c in item.candidates):
                weight *= 0.25  # a key collision is weak evidence of the country
            if item.entry.feature_code == "PCLI":
                weight *= 2
            if item.kind != "place":
                weight *= 0.5  # inside a name, or a government: weaker evidence of where things happen
            countries = _rival_countries(item)
            if len(countries) == 1:
                votes[countries[0]] += weight
                _note(names, item, weight)
            else:
                split.append((countries, weight))
        support = {cc: sum(weights.values()) for cc, weights in names.items()}
        for countries, weight in split:
            best = max(countries, key=lambda cc: support.get(cc, 0.0))
            beaten = support.get(best, 0.0) >= support.get(countries[0], 0.0) + SPLIT_MARGIN
            votes[best if beaten else countries[0]] += weight
        return votes.most_common(1)[0][0] if votes else None

    def _choose(self, item: Found, focus: str | None, context: list[GeoEntry], found: list[Found]) -> None:
        if item.fixed:
            return
        if not item.candidates:
            item.entry, item.score = None, 0.0
            return
        neighbours = set(self.gazetteer.neighbours(focus)) if focus else set()
        cities = {e.id for e in context if e.feature_class == "P"}
        named = {(e.country_code, e.admin1) for e in context if e.feature_code == "ADM1"}  # states the report names
        holding = {(e.country_code, e.admin1) for e in context if e.feature_code not in DIVISION_CODES and e.admin1}
        towns = {(c.entry.country_code, c.entry.admin1) for c in item.candidates if c.entry.feature_class == "P" and c.exact(item.text)}
        scored: list[tuple[float, GeoEntry]] = []
        country_name = item.qualifier is None and any(c.entry.feature_code in NAMED_AREAS and c.exact(item.text) for c in item.candidates)
        for cand in item.candidates:
            e = cand.entry
            s = 4.0 if cand.exact(item.text) else 0.0
            s += min(importance(e), 12.0) * 0.25
            if cand.score < 100:
                s -= (100.0 - cand.score) / 5.0
            if focus and not (country_name and e.feature_class == "P"):  # "Ireland", "the Middle East": not a town so called
                s += 3.0 if e.country_code == focus else (0.5 if e.country_code in neighbours else 0.0)
            if context:
                d = min((distance_km(e.latitude, e.longitude, c.latitude, c.longitude) for c in context
                         if abs(c.latitude - e.latitude) < 1.0), default=1000.0)  # 1° of latitude: 111 km
                s += 2.0 if d < 30 else (1.0 if d < 100 else 0.0)
            if e.parent_id and e.parent_id in cities:
                s += 3.0
            if e.feature_code != "ADM1" and (e.country_code, e.admin1) in named:
                s += 1.5
            elif e.feature_code == "ADM1" and (e.country_code, e.admin1) in holding and (e.country_code, e.admin1) not in towns:
                s += 1.5  # the state that holds the report's other places ("Atlanta ... Georgia"), not a seat's namesake
            if item.container:
                s += 2.0 if CONTAINER_FIT[item.container](e) else -0.5
            if e.id.startswith("supplement:"):
                s += 0.5
            if item.qualifies and any(e.id == d.id for _, d in item.options):
                s += QUALIFIER_BONUS
            if item.qualifier is not None:
                division = item.qualifier_entry = found[item.qualifier].entry
                if division is not None and e.id != division.id and _inside(e, division):
                    s += QUALIFIER_BONUS
            scored.append((s, e))
        scored.sort(key=lambda pair: (-pair[0], pair[1].id))
        if not item.qualifies:
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

    def _drop_weak(self, item: Found, focus: str | None, named: set[str | None], names_in: dict[str, set[str]]) -> None:
        """Spotted names with nothing for them (no cue, foreign, obscure) are not places.

        A spelling that only shares a transliteration key with a place abroad ("Touareg" and
        Tauragė, "Reuters" and Retiro) is not that place, whatever the cue before it.
        """
        e = item.entry
        if e is None:
            return
        exact = any(c.exact(item.text) and c.entry.id == e.id for c in item.candidates)
        if item.container == "neighbourhood" and focus is not None and e.country_code != focus:
            item.entry = None  # "le quartier de X": a quarter of the city the report is about, not a village abroad
            return
        nearby = focus is None or e.country_code == focus or e.country_code in self.gazetteer.neighbours(focus)
        if nearby and named and e.country_code not in named and names_in.get(e.country_code, set()) <= {fold_words(item.text)} \
                and not any(e.country_code in self.gazetteer.neighbours(cc) for cc in named if cc):
            nearby = False  # nothing else in the report is in that country, and it states others ("Malian ... in Moura")
        if not exact and (not nearby or len(key(item.text)) < 4):
            item.entry = None
            return
        bar = FOREIGN_IMPORTANCE if item.label not in PLACE_LABELS else \
            FOREIGN_TAGGED_IMPORTANCE if e.country_code in named else UNNAMED_COUNTRY_IMPORTANCE
        if not nearby and e.feature_code not in REGION_CODES and importance(e) < bar and not item.capital:
            item.entry = None  # "the village of Bani al-Haddad" in a report on Yemen is not Baní, Dominican Republic
            return
        if item.qualifier is not None and _inside(e, item.qualifier_entry):
            return
        if item.cue or item.label in PLACE_LABELS:
            return
        if importance(e) < SMALL_PLACE and e.feature_code not in REGION_CODES and not e.id.startswith("supplement:"):
            item.entry = None  # a village of that spelling, and nothing in the text says a place is meant
            return
        in_focus = focus is not None and e.country_code == focus
        strong = importance(e) >= 9.0 or e.feature_code in ("PCLI", "ADM1")
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
            head=span.root.i, score=item.score if item.entry else 0.0, kind=item.kind,  # type: ignore[arg-type]
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


DATELINE_MARKS = frozenset({"—", "–", "--", "-", ":", ","})


def _dateline(doc: "Doc", start: int, end: int) -> bool:
    """A name in capitals opening a sentence and followed by a dash, colon or comma ("BEIRUT:",
    "COLUMBUS --", "FALLS VILLAGE —"): a dateline, the place the report was written from."""
    span = doc[start:end]
    return (doc[start].is_sent_start and all(t.is_upper or not t.is_alpha for t in span) and len(span.text) >= 3
            and end < len(doc) and doc[end].text in DATELINE_MARKS)


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



def _note(names: dict[str, dict[str, float]], item: Found, weight: float) -> None:
    """Record a name's weight for its country, once per distinct name."""
    assert item.entry is not None
    weights = names.setdefault(item.entry.country_code, {})
    name = fold_words(item.text)
    weights[name] = max(weights.get(name, 0.0), weight)


def _rival_countries(item: Found) -> tuple[str, ...]:
    """The countries a name may be in: its chosen entry's, and those of other readings spelled
    the same that are prominent enough to be meant (RIVAL_IMPORTANCE). "Georgia" is the country
    or the US state, "Dublin" Ireland's capital or a US city of 40,000: such a name is split
    evidence, and the report's other names decide. A country's name has only divisions for
    rivals: a town called China or Malta is meant only with its state named next to it."""
    assert item.entry is not None
    chosen = item.entry.country_code
    if item.fixed:
        return (chosen,)
    country = item.entry.feature_code == "PCLI"
    out = [chosen]
    for cand in item.candidates:
        e = cand.entry
        if e.country_code in out or e.feature_code in WIDE_CODES or not cand.exact(item.text):
            continue
        if (e.feature_code in DIVISION_CODES) if country else importance(e) >= RIVAL_IMPORTANCE:
            out.append(e.country_code)
    return tuple(out)


def _inside(entry: GeoEntry, division: GeoEntry | None) -> bool:
    """``entry`` lies in ``division`` (a country, a first- or second-level division)."""
    if division is None or entry.country_code != division.country_code:
        return False
    if division.feature_code == "PCLI":
        return True
    if division.feature_code == "ADM1":
        return bool(entry.admin1) and entry.admin1 == division.admin1
    if division.feature_code == "ADM2":
        return bool(entry.admin2) and entry.admin2 == division.admin2
    return False


@dataclass(frozen=True)
class CountryWord:
    """A word that names a country without being a place name: a demonym or an abbreviation."""

    countries: tuple[str, ...]
    adjective: bool
    abbreviation: bool = False
    lowercase: bool = False  # French adjectives are written in lowercase ("l'armée malienne")
    forms: frozenset[str] = frozenset()  # exact spellings of an abbreviation ("US", not "us")
    place_id: str = ""  # a region's gazetteer id ("European" -> Europe) instead of countries


def fold_words(text: str) -> str:
    """Lowercase, accents folded, single spaces: how country words are keyed."""
    return " ".join(fold(text).split())


def _is_abbreviation(name: str) -> bool:
    return "." in name or (name.isupper() and len(name) <= 5)


@cache
def country_words() -> dict[str, CountryWord]:
    """Demonyms, adjectives (English, and their plurals; French, every gender and number) and
    other names of countries, from ``khaldun/data/countries.yaml``."""
    table: dict[str, CountryWord] = {}

    def add(form: str, iso2: str, adjective: bool, lowercase: bool = False) -> None:
        if not form:
            return
        abbreviation = not adjective and _is_abbreviation(form)
        k = fold_words(form)
        old = table.get(k)
        if old is not None and old.adjective == adjective:
            countries = old.countries if iso2 in old.countries else old.countries + (iso2,)
            table[k] = CountryWord(countries, adjective, abbreviation, old.lowercase or lowercase,
                                   old.forms | ({form} if abbreviation else set()))
        elif old is None:
            table[k] = CountryWord((iso2,), adjective, abbreviation, lowercase, frozenset({form} if abbreviation else ()))

    for country in load_yaml("countries.yaml"):
        iso2 = country["iso2"]
        en, fr = country.get("en") or {}, country.get("fr") or {}
        adj = en.get("adj")
        if adj:
            add(adj, iso2, True)
            if not adj.endswith(("ese", "ish", "ch", "ss", "s", "x", "z")):
                add(adj + "s", iso2, True)
        for form in ("adj_ms", "adj_fs", "adj_mp", "adj_fp"):
            add(fr.get(form) or "", iso2, True, lowercase=True)
        for name in (*(en.get("alt_names") or []), *(fr.get("alt_names") or []), fr.get("name") or ""):
            add(name, iso2, False)
    for region in load_yaml("gazetteer", "regions.yaml")["regions"]:
        for adjective in region.get("adjectives") or []:
            table.setdefault(fold_words(adjective), CountryWord((), True, lowercase=adjective.islower(), place_id=region["id"]))
        for abbreviation in region.get("abbreviations") or []:  # "EU": the union's region, in that exact case
            table.setdefault(fold_words(abbreviation), CountryWord((), False, True, forms=frozenset({abbreviation}),
                                                                   place_id=region["id"]))
    return table


@cache
def country_first_words() -> frozenset[str]:
    """First words of the country words, and of their tokens ("u.s." and "u"): a cheap test
    before any n-gram is built."""
    out = set()
    for k in country_words():
        first = k.split()[0]
        out.add(first)
        out.update(part for part in first.replace("-", " ").split() if part)
    return frozenset(out)


@cache
def division_abbreviations() -> dict[str, tuple[str, str]]:
    """"Ky." -> ("US", "KY"): abbreviated first-level divisions (``abbreviations.yaml``)."""
    data = load_yaml("gazetteer", "abbreviations.yaml")
    return {abbr: (cc, str(code)) for cc, table in data["admin1"].items() for abbr, code in table.items()}


def region_fallback(places: list[PlaceMention]) -> PlaceMention | None:
    """The place of an event the report locates no closer: the division (admin1, else admin2) the
    report names most in its main country, else that country (ACLED's geo_precision 3).

    The main country is voted by the places and demonyms the report names; continents, names
    inside organisations and governments ("Paris a dit") do not vote.
    """
    usable = [p for p in places if p.entry is not None and p.kind in ("place", "demonym")
              and p.entry.feature_code not in WIDE_CODES and p.entry.country_code]
    if not usable:
        return None
    votes = Counter(p.entry.country_code for p in usable if p.entry)
    country = votes.most_common(1)[0][0]
    divisions = [p for p in usable if p.entry and p.entry.country_code == country and p.entry.feature_code in ("ADM1", "ADM2")]
    if divisions:
        counts = Counter(p.entry.id for p in divisions if p.entry)
        best = max(divisions, key=lambda p: (counts[p.entry.id], p.entry.feature_code == "ADM1") if p.entry else (0, False))
    else:
        nations = [p for p in usable if p.entry and p.entry.country_code == country and p.entry.feature_code == "PCLI"]
        if nations:
            best = nations[0]
        else:
            entry = Gazetteer.open().country_entry(country)
            if entry is None:
                return None
            best = usable[0].model_copy(update={"entry": entry})
    return best.model_copy(update={"relation": "region", "kind": "place"})
