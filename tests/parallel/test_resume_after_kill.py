"""A real ``khaldun extract --resume`` process, stopped by real signals, resumes without duplicates.

The run is stopped twice, by SIGTERM (handled: output closed, workers stopped) and then by
SIGKILL with two worker processes (nothing handled: torn writes, orphaned workers, which
must exit on their own); a third run completes. Its output must be byte for byte what one
uninterrupted run writes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psutil
from click.testing import CliRunner

from khaldun.cli import cli

REPORTS = 100
START_TIMEOUT = 180.0  # seconds for a run to finish its first reports (models load first)


def start(corpus: Path, output: Path, workers: int, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", "from khaldun.cli import main; main()", "extract", str(corpus),
               "--workers", str(workers), "--resume", "-o", str(output)]
    with open(log, "ab") as errors:
        return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)


def finished(state: Path) -> int:
    return state.read_bytes().count(b"\n") if state.exists() else 0


def wait_for(state: Path, at_least: int, child: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while finished(state) < at_least:
        assert child.poll() is None, f"the run ended before it could be stopped: {log.read_text()[-2000:]}"
        assert time.monotonic() < deadline, f"no progress in {START_TIMEOUT:.0f} s: {log.read_text()[-2000:]}"
        time.sleep(0.05)


def stop(child: subprocess.Popen[bytes], signum: int) -> int:
    child.send_signal(signum)
    try:
        return child.wait(timeout=60)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        raise


def test_interrupted_run_resumes_without_duplicates(tmp_path: Path, write_corpus: Callable[..., Path],
                                                    use_test_pipeline) -> None:
    corpus = write_corpus("corpus.jsonl", REPORTS, seed=21)
    reference = tmp_path / "reference.jsonl"
    assert CliRunner().invoke(cli, ["extract", str(corpus), "-o", str(reference)]).exit_code == 0
    output = tmp_path / "out" / "events.jsonl"
    state = output.with_name("events.jsonl.state")
    partial = output.with_name("events.jsonl.partial")
    log = tmp_path / "stderr.log"

    child = start(corpus, output, 1, log)
    wait_for(state, 5, child, log)
    assert stop(child, signal.SIGTERM) == 128 + signal.SIGTERM
    first = finished(state)
    assert 5 <= first < REPORTS and partial.exists() and not output.exists()

    child = start(corpus, output, 2, log)
    wait_for(state, first + 1, child, log)
    workers = psutil.Process(child.pid).children(recursive=True)
    assert len(workers) >= 2
    assert stop(child, signal.SIGKILL) == -signal.SIGKILL
    second = finished(state)
    assert first < second < REPORTS and not output.exists()
    _, alive = psutil.wait_procs(workers, timeout=20)
    assert not alive, f"orphaned workers still running: {[p.pid for p in alive]}"

    child = start(corpus, output, 1, log)
    assert child.wait(timeout=300) == 0, log.read_text()[-2000:]
    assert output.exists() and not partial.exists()
    events = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    ids = [event["event_id_cnty"] for event in events]
    assert len(ids) == len(set(ids)), "an event was written twice"
    assert output.read_bytes() == reference.read_bytes()
    done = [json.loads(line)["id"] for line in state.read_text(encoding="utf-8").splitlines()]
    assert sorted(done) == [f"bench-{n:07d}" for n in range(REPORTS)]
    assert os.path.getsize(output) > 0
