"""The benchmark's own tools: the corpus generator, the time cap, the results table."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from khaldun.ingest import read_paths
from khaldun.schema import Report

BENCH = Path(__file__).resolve().parents[2] / "bench"


def load(name: str) -> ModuleType:
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(f"khaldun_bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def test_generator_is_deterministic_and_bilingual(tmp_path: Path) -> None:
    generate = load("generate")
    first, again = list(generate.generate(20, seed=4)), list(generate.generate(20, seed=4))
    assert first == again and first != list(generate.generate(20, seed=5))
    assert {record["language"] for record in first} == {"en", "fr"}
    assert all("{" not in record["text"] and record["text"][0].isupper() for record in first)
    corpus = generate.write_corpus(tmp_path / "corpus.jsonl.gz", 20, seed=4)
    reports = [item for item in read_paths([corpus]) if isinstance(item, Report)]
    assert [r.id for r in reports] == [record["id"] for record in first]
    assert [r.text for r in reports] == [record["text"] for record in first]


def test_time_cap_stops_a_child_and_still_reports_its_peak() -> None:
    run = load("run")
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    status, peak_kb = run._wait(child, 0.5)
    assert status is None and child.returncode == -9
    assert 0 < peak_kb < 200_000  # the child's own peak, not this (large) test process's


def test_table_prints_ratios_with_two_decimals() -> None:
    run = load("run")
    text = run.table([run.Row("memory", "peak RSS 100000 / 1000", 1.0412, "ratio", "target <= 1.50"),
                      run.Row("throughput", "khaldun Pipeline.pipe", 4235.4, "words/s")])
    assert "|       1.04 | ratio" in text and "|       4235 | words/s" in text
