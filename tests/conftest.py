"""Shared fixtures: one pipeline (spaCy models load once per session) and the lexicons.

If the gazetteer stage (``khaldun.extract.places``) is not importable, the pipeline runs
with a place finder that finds nothing, so the other stages can still be tested.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"
BENCH = REPO_ROOT / "bench"


class NoPlaces:
    """Stand-in for the gazetteer stage: no places, no focus country."""

    def __call__(self, doc, language=None):  # noqa: ANN001
        return []

    def focus_country(self, places):  # noqa: ANN001
        return None


@pytest.fixture(scope="session")
def pipeline():
    from khaldun.pipeline import Pipeline

    try:
        from khaldun.extract.places import PlaceFinder  # noqa: F401
    except ImportError:
        return Pipeline(place_finder=NoPlaces())
    return Pipeline()


@pytest.fixture(scope="session")
def nlp_fr(pipeline):
    return pipeline.stages_for("fr").nlp


@pytest.fixture(scope="session")
def nlp_en(pipeline):
    return pipeline.stages_for("en").nlp


@pytest.fixture(scope="session")
def stages(pipeline):
    """``stages(lang)`` -> the pipeline's per-language stages (dates, numbers, claims, triggers...)."""
    return pipeline.stages_for


@pytest.fixture(scope="session")
def lexicon():
    from khaldun.resources import load_yaml

    return lambda language: load_yaml("lexicons", f"{language}.yaml")


@pytest.fixture(scope="session")
def events_of(pipeline):
    """``events_of(text, "YYYY-MM-DD", lang)`` -> coded events, through the public API."""
    from khaldun.api import extract_text

    def run(text: str, date: str, language: str):
        return extract_text(text, date, language=language, pipeline=pipeline)

    return run


@pytest.fixture(scope="session")
def analyse(pipeline):
    """``analyse(text, "YYYY-MM-DD", lang)`` -> the pipeline's Analysis (doc, sentences, mentions)."""
    from khaldun.schema import Report

    def run(text: str, date: str, language: str):
        report = Report(id="t", text=text, publication_date=dt.date.fromisoformat(date), language=language, origin="t")
        return pipeline.analyse(report)

    return run


@pytest.fixture
def use_test_pipeline(monkeypatch, pipeline):
    """Make the CLI (which uses ``khaldun.api.default_pipeline``) reuse the session pipeline."""
    import khaldun.api

    monkeypatch.setattr(khaldun.api, "_default", pipeline)
    return pipeline


@pytest.fixture(scope="session")
def generator() -> ModuleType:
    """``bench/generate.py``: corpora of any size from the benchmark templates (invented reports)."""
    spec = importlib.util.spec_from_file_location("khaldun_bench_generate", BENCH / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def write_corpus(tmp_path: Path, generator: ModuleType) -> Callable[..., Path]:
    """``write_corpus(name, count, seed=..., first=...)`` -> a JSON Lines (or .jsonl.gz) corpus in tmp_path."""

    def write(name: str, count: int, *, seed: int = 3, first: int = 0) -> Path:
        return generator.write_corpus(tmp_path / name, count, seed=seed, first=first)

    return write
