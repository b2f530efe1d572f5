"""Transliteration keys: one lookup key for the many spellings of a place name.

Reports spell the same Arabic name in French, English and scholarly forms (Khaldiyé,
Khalidiya, al-Khalidiyah). Exact lookups on such a key find all of them without a fuzzy
scan. The rules are data (``khaldun/data/gazetteer/translit.yaml``); this module only
applies them. The key keeps every consonant and the first vowel of each word, because
the later vowels are what transliterations disagree on most, while consonants carry
the name.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from khaldun.resources import data_path, load_yaml

RULES_FILE = ("gazetteer", "translit.yaml")
VOWELS = frozenset("aeiou")
ARABIC = re.compile(r"[\u0600-\u06FF]")
WORD = re.compile(r"[^\W_]+")
COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u20d0-\u20ff]")
OTHER_SCRIPT = re.compile(r"[^\W\d_\u0000-\u024f\u02b0-\u02ff\u1e00-\u1eff\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


@dataclass(frozen=True, eq=False)
class Rules:
    char_map: dict[str, str]
    elision: re.Pattern[str]
    articles: frozenset[str]
    rewrites: tuple[tuple[re.Pattern[str], str], ...]
    first_vowel: dict[str, str]
    arabic_strip: str
    arabic_map: dict[str, str]
    arabic_article: str
    digest: str


@cache
def rules() -> Rules:
    """The packaged rules, parsed once per process."""
    raw = load_yaml(*RULES_FILE)
    digest = hashlib.sha256(data_path(*RULES_FILE).read_bytes()).hexdigest()[:16]
    apostrophes = re.escape(raw["apostrophes"])
    elisions = "|".join(re.escape(e) for e in raw["elisions"])
    return Rules(
        char_map=dict(raw["char_map"]),
        elision=re.compile(rf"(?<![^\W_])(?:{elisions})[{apostrophes}](?=[^\W_])"),
        articles=frozenset(raw["articles"]),
        rewrites=tuple((re.compile(pattern), replacement) for pattern, replacement in raw["rewrites"]),
        first_vowel=dict(raw["first_vowel"]),
        arabic_strip=raw["arabic"]["strip"],
        arabic_map=dict(raw["arabic"]["map"]),
        arabic_article=raw["arabic"]["article"],
        digest=digest,
    )


def rules_digest() -> str:
    """Short hash of the rules file, stored in each index to detect stale keys."""
    return rules().digest


def fold(text: str) -> str:
    """Lowercase, accents removed, special letters mapped; punctuation kept.

    Used for display-level comparisons (how close is the surface form to a candidate's
    name) where the lossy :func:`key` would hide differences.
    """
    text = COMBINING.sub("", unicodedata.normalize("NFKD", text.lower()))
    return text.translate(_char_table())


@cache
def _char_table() -> dict[int, str]:
    return str.maketrans(rules().char_map)


def _is_vowel(word: str, i: int) -> bool:
    """y and w are vowels except before a vowel (Sayyid's y, Jawbar's w are glides)."""
    ch = word[i]
    if ch in VOWELS:
        return True
    if ch in "yw":
        return i + 1 >= len(word) or word[i + 1] not in VOWELS
    return False


@lru_cache(maxsize=100_000)
def _latin_word(word: str, r: Rules) -> str:
    for pattern, replacement in r.rewrites:
        word = pattern.sub(replacement, word)
    out: list[str] = []
    i = 0
    seen_vowel = False
    while i < len(word):
        if _is_vowel(word, i):
            j = i
            while j < len(word) and _is_vowel(word, j):
                j += 1
            if not seen_vowel:
                group = word[i:j]
                out.append(r.first_vowel.get(group, r.first_vowel.get(group[0], group[0])))
                seen_vowel = True
            i = j
        else:
            out.append(word[i])
            i += 1
    return "".join(out)


def _arabic_word(word: str, r: Rules) -> str:
    word = "".join(r.arabic_map.get(ch, ch) for ch in word if ch not in r.arabic_strip)
    if word.startswith(r.arabic_article) and len(word) > len(r.arabic_article) + 1:
        word = word[len(r.arabic_article):]
    return word


@lru_cache(maxsize=200_000)
def key(name: str) -> str:
    """The lookup key of a place name ("" when nothing is left, e.g. "Al" alone)."""
    r = rules()
    text = r.elision.sub(" ", fold(name))
    text = re.sub(r"['’]", "", text)
    parts: list[str] = []
    for word in WORD.findall(text):
        if word in r.articles:
            continue
        if ARABIC.search(word):
            parts.append(_arabic_word(word, r))
        elif word.isascii():
            parts.append(_latin_word(word, r))
        else:
            parts.append(word)
    return "".join(parts)


@lru_cache(maxsize=200_000)
def surface(name: str) -> str:
    """Folded words without articles or punctuation: "al-Quşayr" -> "qusayr".

    Finer than :func:`key`; two spellings with the same surface are the same spelling.
    """
    r = rules()
    text = r.elision.sub(" ", fold(name))
    text = re.sub(r"['’]", "", text)
    return " ".join(w for w in WORD.findall(text) if w not in r.articles)


def is_latin_or_arabic(name: str) -> bool:
    """True when every letter of ``name`` is Latin or Arabic (the scripts the index keeps)."""
    return OTHER_SCRIPT.search(name) is None
