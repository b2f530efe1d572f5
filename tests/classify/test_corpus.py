"""The training corpus: well-formed, large and balanced enough to learn every type in both languages."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from khaldun.classify.corpus import NO_EVENT, Example, held_out, labels, read_corpus, sample, split
from khaldun.errors import KhaldunError


@pytest.fixture(scope="module")
def corpus() -> list[Example]:
    return read_corpus()


def test_labels_are_the_25_sub_event_types_and_none() -> None:
    known = labels()
    assert len(known) == 26 and known[-1] == NO_EVENT
    assert "Non-violent transfer of territory" in known and "Excessive force against protesters" in known


def test_corpus_size_and_balance(corpus: list[Example]) -> None:
    assert len(corpus) >= 6000
    languages = Counter(e.lang for e in corpus)
    assert set(languages) == {"en", "fr"}
    assert min(languages.values()) / len(corpus) >= 0.4, languages
    assert sum(e.label == NO_EVENT for e in corpus) / len(corpus) >= 0.30


def test_every_type_at_least_100_times_per_language(corpus: list[Example]) -> None:
    counts = Counter((e.label, e.lang) for e in corpus)
    short = {(label, lang): counts[(label, lang)] for label in labels() for lang in ("en", "fr") if counts[(label, lang)] < 100}
    assert not short, short


def test_many_regions_and_styles(corpus: list[Example]) -> None:
    assert len({e.region for e in corpus}) >= 12
    assert {"wire", "local", "ngo", "summary", "headline", "liveblog", "testimony"} <= {e.style for e in corpus}


def test_non_events_cover_the_kinds_a_report_mixes_with_news(corpus: list[Example]) -> None:
    kinds = Counter(e.kind for e in corpus if e.label == NO_EVENT)
    for kind in ("statement", "threat", "plan", "denial", "negated", "hypothetical", "analysis", "diplomacy",
                 "humanitarian", "economic", "history"):
        assert kinds[kind] >= 20, (kind, kinds[kind])


def write(tmp_path: Path, lines: list[object]) -> Path:
    path = tmp_path / "part.jsonl"
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    return path


def test_bad_json_is_a_coded_error_naming_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, [{"text": "Rebels shelled the town.", "label": "Shelling/artillery/missile attack", "lang": "en"}, "{oops"])
    with pytest.raises(KhaldunError) as caught:
        read_corpus(path)
    assert caught.value.code == "E411" and "part.jsonl:2" in str(caught.value)


def test_unknown_label_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, [{"text": "Rebels shelled the town.", "label": "Bombing", "lang": "en"}])
    with pytest.raises(KhaldunError, match="unknown label 'Bombing'"):
        read_corpus(path)


def test_duplicate_sentences_are_read_once(tmp_path: Path) -> None:
    line = {"text": "Police  arrested the mayor.", "label": "Arrests", "lang": "en"}
    assert len(read_corpus(write(tmp_path, [line, dict(line, text="Police arrested the mayor.")]))) == 1


def test_split_is_stable_and_depends_on_the_seed(corpus: list[Example]) -> None:
    train, test = split(corpus, 13, 0.15)
    assert 0.10 < len(test) / len(corpus) < 0.20
    assert [held_out(e, 13, 0.15) for e in corpus[:200]] == [held_out(e, 13, 0.15) for e in corpus[:200]]
    assert [held_out(e, 13, 0.15) for e in corpus[:400]] != [held_out(e, 14, 0.15) for e in corpus[:400]]


def test_sample_keeps_at_most_n_per_label(corpus: list[Example]) -> None:
    slice_ = sample(corpus, 7, seed=1)
    assert max(Counter(e.label for e in slice_).values()) == 7
    assert slice_ == sample(corpus, 7, seed=1)


def test_data_card_matches_the_corpus(corpus: list[Example]) -> None:
    """The card (khaldun/data/corpus/README.md) is written by scripts/corpus_card.py; rerun it after editing the corpus."""
    import importlib.util

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("corpus_card", root / "scripts" / "corpus_card.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (root / "khaldun" / "data" / "corpus" / "README.md").read_text(encoding="utf-8") == module.card(corpus)
