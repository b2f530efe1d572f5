"""What the event classifier sees of a sentence: word and character n-grams.

Character n-grams carry French and English inflection ("bombardé", "bombardements",
"shelled") without a lemmatiser, so training needs no spaCy model and runs in seconds,
and a misparse cannot change the features. Digits are folded to 0 so that "12 killed"
and "40 killed" are the same feature.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sklearn.feature_extraction.text import CountVectorizer

DIGITS = re.compile(r"\d")
WORD_PATTERN = r"(?u)\b\w+\b"

WORD_SETTINGS: dict[str, Any] = {"analyzer": "word", "ngram_range": (1, 2), "token_pattern": WORD_PATTERN}
CHAR_SETTINGS: dict[str, Any] = {"analyzer": "char_wb", "ngram_range": (3, 5)}


def prepare(text: str) -> str:
    """Lower case, accents kept apart from their letters folded away, digits as 0."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return DIGITS.sub("0", " ".join(text.replace("’", "'").split()))


def vectorizers(word_vocabulary: list[str] | None = None, char_vocabulary: list[str] | None = None,
                *, min_df: int = 2, max_features: int | None = None) -> tuple[CountVectorizer, CountVectorizer]:
    """The word and character counters; with vocabularies, ready to transform without fitting."""
    def counter(settings: dict[str, Any], vocabulary: list[str] | None) -> CountVectorizer:
        if vocabulary is not None:
            return CountVectorizer(lowercase=False, vocabulary={term: i for i, term in enumerate(vocabulary)},
                                   dtype="float32", **settings)
        return CountVectorizer(lowercase=False, min_df=min_df, max_features=max_features, dtype="float32", **settings)
    return counter(WORD_SETTINGS, word_vocabulary), counter(CHAR_SETTINGS, char_vocabulary)
