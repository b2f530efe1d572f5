"""The worker pool, the batch API and the resume checkpoint, on generated reports."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from khaldun.errors import KhaldunError, error
from khaldun.ingest import read_paths
from khaldun.parallel import Checkpoint, WorkerPool, extract_batch
from khaldun.parallel.batch import count_reports
from khaldun.schema import DocumentResult, Report


class TaggingPipeline:
    """A stand-in pipeline that loads nothing: it tags each report with its id and its process."""

    def pipe(self, reports):  # noqa: ANN001, ANN201
        import os

        for report in reports:
            yield DocumentResult(report=report, error=f"{report.id} in {os.getpid()}")


def reports(count: int) -> list[Report]:
    return [Report(id=f"r{n}", text=f"Des combats ont éclaté à Gao, jour {n}.", language="fr", origin=f"r{n}")
            for n in range(count)]


def test_pool_keeps_input_order_and_passes_errors_through() -> None:
    items: list[Report | KhaldunError] = list(reports(23))
    items.insert(7, error("E104", origin="broken.jsonl:3", reason="Expecting value"))
    with WorkerPool(workers=2, chunk_size=4, max_in_flight=3, factory=TaggingPipeline) as pool:
        results = list(pool.pipe(items))
        unordered = sorted(pool.pipe_indexed(items, ordered=False), key=lambda pair: pair[0])
    assert str(results[7]).startswith("E104: broken.jsonl:3")
    tagged = [r for r in results if isinstance(r, DocumentResult)]
    assert [r.report.id for r in tagged] == [f"r{n}" for n in range(23)]
    assert all(r.error is not None and r.error.startswith(f"{r.report.id} in ") for r in tagged)
    assert [position for position, _ in unordered] == list(range(24))
    assert [r.report.id if isinstance(r, DocumentResult) else str(r) for _, r in unordered] == [
        r.report.id if isinstance(r, DocumentResult) else str(r) for r in results]


def test_pool_reads_lazily_with_bounded_chunks_in_flight() -> None:
    pulled = 0

    def endless():
        nonlocal pulled
        while True:
            pulled += 1
            yield error("E102", origin=f"r{pulled}")  # reading errors never reach a worker

    pool = WorkerPool(workers=2, chunk_size=3, max_in_flight=2, factory=TaggingPipeline)
    results = pool.pipe(endless())
    first = [next(results) for _ in range(5)]
    results.close()
    pool.close()
    assert [str(item) for item in first] == [f"E102: r{n}: empty input" for n in range(1, 6)]
    assert pulled <= 5 + 3 * 2  # what was given, plus at most the chunks in flight


def test_batch_skips_done_reports(write_corpus: Callable[..., Path], use_test_pipeline) -> None:
    corpus = write_corpus("corpus.jsonl", 6)
    done = {"bench-0000001", "bench-0000004"}
    ids = [item.report.id for item in extract_batch([corpus], skip_ids=done) if isinstance(item, DocumentResult)]
    assert ids == ["bench-0000000", "bench-0000002", "bench-0000003", "bench-0000005"]


def test_count_reports_counts_lines_and_files(tmp_path: Path, write_corpus: Callable[..., Path]) -> None:
    write_corpus("a.jsonl", 5)
    write_corpus("b.jsonl.gz", 4)
    (tmp_path / "note.txt").write_text("Des combats ont éclaté à Gao.", encoding="utf-8")
    assert count_reports([tmp_path]) == 10
    assert count_reports([tmp_path / "b.jsonl.gz", tmp_path / "missing.jsonl"]) == 4


def finished(checkpoint: Checkpoint, *reports: tuple[str, str]) -> None:
    out = checkpoint.open()
    for report_id, text in reports:
        out.write(text)
        checkpoint.record(report_id, out)
    out.close()
    checkpoint.close()


def test_checkpoint_cuts_back_to_the_last_finished_report(tmp_path: Path) -> None:
    output = tmp_path / "events.jsonl"
    checkpoint = Checkpoint(output)
    finished(checkpoint, ("a", '{"e": 1}\n'), ("b", '{"e": 2}\n{"e": 3}\n'))
    with open(checkpoint.partial, "a", encoding="utf-8") as partial:
        partial.write('{"e": 4}\n{"e": 5')  # events of a report whose state line never came
    with open(checkpoint.state, "a", encoding="utf-8") as state:
        state.write('{"id": "c", "off')  # a torn state line
    again = Checkpoint(output)
    out = again.open()
    assert again.done == {"a", "b"}
    out.write('{"e": 6}\n')
    again.record("d", out)
    again.finish(out)
    assert output.read_text(encoding="utf-8") == '{"e": 1}\n{"e": 2}\n{"e": 3}\n{"e": 6}\n'
    assert not again.partial.exists()
    assert [json.loads(line)["id"] for line in again.state.read_text(encoding="utf-8").splitlines()] == ["a", "b", "d"]


def test_checkpoint_reopens_a_finished_run_to_append(tmp_path: Path) -> None:
    output = tmp_path / "events.jsonl"
    checkpoint = Checkpoint(output)
    out = checkpoint.open()
    out.write("1\n")
    checkpoint.record("a", out)
    checkpoint.finish(out)
    again = Checkpoint(output)
    out = again.open()
    assert again.done == {"a"} and not output.exists()
    out.write("2\n")
    again.record("b", out)
    again.finish(out)
    assert output.read_text(encoding="utf-8") == "1\n2\n"


def test_checkpoint_refuses_an_output_shorter_than_its_state(tmp_path: Path) -> None:
    output = tmp_path / "events.jsonl"
    finished(Checkpoint(output), ("a", "1234567890\n"))
    Checkpoint(output).partial.write_text("12", encoding="utf-8")
    with pytest.raises(KhaldunError) as caught:
        Checkpoint(output).open()
    assert caught.value.code == "E802"


def test_progress_stays_off_stdout(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import sys

    from khaldun.cli.progress import with_progress

    assert list(with_progress(iter(range(3)), total=3, label="x")) == [0, 1, 2]  # piped: silent
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert list(with_progress(iter(range(3)), total=3, label="x")) == [0, 1, 2]
    assert capsys.readouterr().out == ""


def test_gzip_corpus_is_read_streamed(write_corpus: Callable[..., Path]) -> None:
    corpus = write_corpus("c.jsonl.gz", 3)
    with gzip.open(corpus, "rt", encoding="utf-8") as lines:
        assert len(lines.readlines()) == 3
    assert [item.id for item in read_paths([corpus]) if isinstance(item, Report)] == [
        "bench-0000000", "bench-0000001", "bench-0000002"]
