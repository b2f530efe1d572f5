"""The article-body part of the corpus: sentences worded as in the body of long press reports.

It exists so the classifier sees events told with attribution, tolls and background clauses,
and the None sentences that fill real articles; these checks keep it balanced and clean.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from khaldun.classify.corpus import NO_EVENT, default_corpus, labels

REGIONS = {
    "Sahel", "Nigeria", "Sudan", "Horn of Africa", "Great Lakes", "Central Africa", "Mozambique",
    "North Africa", "Middle East", "Yemen", "Ukraine", "Afghanistan-Pakistan", "South Asia", "Myanmar",
    "South-East Asia", "Latin America", "Haiti", "Europe", "Caucasus", "global",
}
BODY_STYLES = {"wire", "local", "testimony"}
KINDS = {
    "statement", "threat", "plan", "future", "denial", "negated", "hypothetical", "analysis",
    "diplomacy", "talks", "humanitarian", "economic", "history", "aggregate", "court", "politics", "other",
}


def _rows(lang: str) -> list[dict]:
    path = default_corpus() / lang / "article_body.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_type_is_told_in_article_sentences(lang: str) -> None:
    counts = Counter(row["label"] for row in _rows(lang))
    for label in labels():
        assert counts[label] >= 12, (lang, label, counts[label])
    assert counts[NO_EVENT] >= 250
    assert sum(counts.values()) - counts[NO_EVENT] >= 400


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_fields_are_from_the_lists_and_none_lines_say_their_kind(lang: str) -> None:
    for row in _rows(lang):
        assert row["lang"] == lang
        assert row["region"] in REGIONS, row
        assert row["style"] in BODY_STYLES, row
        assert (row["label"] == NO_EVENT) == (row["kind"] in KINDS), row
        assert 8 <= len(row["text"].split()) <= 60, row["text"]


def test_no_sentence_repeats_another_corpus_file() -> None:
    root: Path = default_corpus()
    body = {row["text"] for lang in ("en", "fr") for row in _rows(lang)}
    assert len(body) == len(_rows("en")) + len(_rows("fr"))
    for path in root.rglob("*.jsonl"):
        if path.name == "article_body.jsonl":
            continue
        texts = {json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
        assert not body & texts, path
