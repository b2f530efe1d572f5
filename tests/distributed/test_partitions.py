"""Partition plans and the in-process runner (the same code a Dask task runs)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import khaldun.distributed.partitions as partitions_module
from khaldun.distributed import plan_partitions, run_locally
from khaldun.distributed.partitions import input_kind
from khaldun.errors import KhaldunError


def test_input_kinds() -> None:
    assert input_kind("s3://b/x/part.JSONL.gz") == "jsonl"
    assert input_kind("a.ndjson") == "jsonl"
    assert input_kind("a.parquet") == "parquet" and input_kind("a.pq") == "parquet"
    assert input_kind("a.txt") is None and input_kind("noext") is None


def test_plan_sorts_expands_and_skips_hidden_files(tmp_path: Path, write_corpus: Callable[..., Path]) -> None:
    (tmp_path / "in" / "sub").mkdir(parents=True)
    write_corpus("in/b.jsonl", 1)
    write_corpus("in/sub/a.jsonl.gz", 1)
    write_corpus("in/_temporary.jsonl", 1)
    write_corpus("in/.hidden.jsonl", 1)
    (tmp_path / "in" / "notes.txt").write_text("Des combats à Gao.", encoding="utf-8")
    plan = plan_partitions([str(tmp_path / "in")], "s3://bucket/out/", output_format="parquet")
    assert [Path(p.input).relative_to(tmp_path / "in").as_posix() for p in plan] == ["b.jsonl", "sub/a.jsonl.gz"]
    assert [p.output for p in plan] == ["s3://bucket/out/part-00000.parquet", "s3://bucket/out/part-00001.parquet"]
    assert [p.index for p in plan_partitions([str(tmp_path / "in" / "*.jsonl")], "out")] == [0]


def test_plan_errors(tmp_path: Path) -> None:
    with pytest.raises(KhaldunError) as missing:
        plan_partitions([str(tmp_path / "nope")], "out")
    assert missing.value.code == "E108"
    (tmp_path / "empty").mkdir()
    with pytest.raises(KhaldunError) as nothing:
        plan_partitions([str(tmp_path / "empty")], "out")
    assert nothing.value.code == "E803"


def test_local_run_writes_parts_resumes_and_checks_its_plan(tmp_path: Path, write_corpus: Callable[..., Path],
                                                            pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(partitions_module, "PARQUET_ROW_GROUP", 3)  # several row groups per part
    (tmp_path / "in").mkdir()
    write_corpus("in/a.jsonl", 4, seed=41)
    write_corpus("in/b.jsonl", 4, seed=42)
    out = str(tmp_path / "out")
    plan = plan_partitions([str(tmp_path / "in")], out, output_format="parquet")
    summaries = list(run_locally(plan, out, pipeline=pipeline))
    assert [(s.index, s.reports, s.skipped, s.errors) for s in summaries] == [(0, 4, False, []), (1, 4, False, [])]
    tables = [pq.read_table(p.output) for p in plan]
    assert [t.num_rows for t in tables] == [s.events for s in summaries]
    assert pq.ParquetFile(plan[0].output).num_row_groups == -(-summaries[0].events // 3)
    assert (tmp_path / "out" / "_SUCCESS").exists()
    manifest = json.loads((tmp_path / "out" / "_khaldun_manifest.json").read_text(encoding="utf-8"))
    assert [entry["part"] for entry in manifest] == ["part-00000.parquet", "part-00001.parquet"]

    Path(plan[1].output).unlink()
    again = list(run_locally(plan, out, resume=True, pipeline=pipeline))
    assert [s.skipped for s in again] == [True, False]
    assert pq.read_table(plan[1].output).equals(tables[1])

    write_corpus("in/c.jsonl", 1)
    with pytest.raises(KhaldunError) as changed:
        list(run_locally(plan_partitions([str(tmp_path / "in")], out, output_format="parquet"), out, resume=True,
                         pipeline=pipeline))
    assert changed.value.code == "E802"
