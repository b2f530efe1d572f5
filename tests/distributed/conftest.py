"""Corpora for the batch tests, generated from the benchmark templates (invented reports)."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("khaldun_bench_generate", BENCH / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def generator() -> ModuleType:
    return load_generator()


@pytest.fixture
def write_corpus(tmp_path: Path, generator: ModuleType) -> Callable[..., Path]:
    """``write_corpus(name, count, seed=...)`` -> a JSON Lines (or .jsonl.gz) corpus in tmp_path."""

    def write(name: str, count: int, *, seed: int = 3) -> Path:
        return generator.write_corpus(tmp_path / name, count, seed=seed)

    return write
