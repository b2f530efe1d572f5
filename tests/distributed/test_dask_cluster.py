"""``khaldun extract --dask`` on a real local cluster: a scheduler and workers as separate processes.

The parts the cluster writes, in name order, must hold exactly the events that one
machine writes for the same reports, whatever the input form (JSON Lines, gzipped, Parquet).
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from khaldun.cli import cli
from khaldun.errors import KhaldunError

STARTUP_TIMEOUT = 60.0
DASK = Path(sys.executable).with_name("dask")

pytestmark = pytest.mark.skipif(not DASK.exists() and shutil.which("dask") is None, reason="no dask command")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the scheduler exited: {log.read_text()[-2000:]}"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the scheduler did not listen on {port} within {STARTUP_TIMEOUT:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of a scheduler with two single-threaded worker processes, all on 127.0.0.1."""
    from distributed import Client

    base = tmp_path_factory.mktemp("dask")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    command = str(DASK if DASK.exists() else shutil.which("dask"))
    scheduler_log, worker_log = base / "scheduler.log", base / "worker.log"
    processes: list[subprocess.Popen[bytes]] = []
    try:
        with open(scheduler_log, "wb") as log:
            processes.append(subprocess.Popen([command, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                               "--no-dashboard", "--no-show"], stdout=log, stderr=log))
        wait_for_port(port, processes[0], scheduler_log)
        with open(worker_log, "wb") as log:
            processes.append(subprocess.Popen([command, "worker", address, "--nworkers", "2", "--nthreads", "1",
                                               "--no-dashboard", "--memory-limit", "0", "--host", "127.0.0.1",
                                               "--local-directory", str(base / "work")], stdout=log, stderr=log))
        with Client(address, timeout=STARTUP_TIMEOUT, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=STARTUP_TIMEOUT)
        yield address
    finally:
        for process in reversed(processes):
            stop(process)


@pytest.fixture
def inputs(tmp_path: Path, write_corpus: Callable[..., Path]) -> tuple[Path, list[Path]]:
    """Three partitions (JSON Lines, gzipped JSON Lines, Parquet) and the same reports as JSON Lines."""
    folder = tmp_path / "reports"
    folder.mkdir()
    same = [write_corpus("reports/a.jsonl", 8, seed=31), write_corpus("reports/b.jsonl.gz", 8, seed=32, first=8)]
    as_lines = write_corpus("c.jsonl", 8, seed=33, first=16)  # ids apart: one run reports a repeated id
    rows = [json.loads(line) for line in as_lines.read_text(encoding="utf-8").splitlines()]
    pq.write_table(pa.Table.from_pylist(rows), folder / "c.parquet")
    return folder, [*same, as_lines]


def events_of(paths: list[Path]) -> list[dict]:
    return [json.loads(line) for path in paths for line in path.read_text(encoding="utf-8").splitlines()]


def test_cluster_run_equals_one_machine(cluster: str, inputs: tuple[Path, list[Path]], tmp_path: Path,
                                        use_test_pipeline) -> None:
    folder, same_reports = inputs
    reference = tmp_path / "reference.jsonl"
    assert CliRunner().invoke(cli, ["extract", *map(str, same_reports), "-o", str(reference)]).exit_code == 0
    expected = events_of([reference])
    assert len(expected) > 10

    out = tmp_path / "parts"
    result = CliRunner().invoke(cli, ["extract", str(folder), "--dask", cluster, "--output-dir", str(out)])
    assert result.exit_code == 0, result.output
    parts = sorted(out.glob("part-*.jsonl"))
    assert [p.name for p in parts] == ["part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]
    assert (out / "_SUCCESS").exists()
    assert events_of(parts) == expected

    parquet = tmp_path / "parquet-parts"
    result = CliRunner().invoke(cli, ["extract", str(folder), "--dask", cluster, "--output-dir", str(parquet),
                                      "--output-format", "parquet"])
    assert result.exit_code == 0, result.output
    table = pa.concat_tables([pq.read_table(p) for p in sorted(parquet.glob("part-*.parquet"))])
    assert table.column("event_id_cnty").to_pylist() == [e["event_id_cnty"] for e in expected]
    assert table.column("fatalities").to_pylist() == [e["fatalities"] for e in expected]

    (out / "part-00001.jsonl").unlink()
    untouched = (out / "part-00000.jsonl").stat().st_mtime_ns
    result = CliRunner().invoke(cli, ["extract", str(folder), "--dask", cluster, "--output-dir", str(out), "--resume"])
    assert result.exit_code == 0, result.output
    assert (out / "part-00000.jsonl").stat().st_mtime_ns == untouched
    assert events_of(sorted(out.glob("part-*.jsonl"))) == expected


def test_unreachable_scheduler_is_a_coded_error(tmp_path: Path, write_corpus: Callable[..., Path]) -> None:
    from khaldun.distributed import plan_partitions, run_on_dask

    corpus = write_corpus("a.jsonl", 1)
    partitions = plan_partitions([str(corpus)], str(tmp_path / "out"))
    with pytest.raises(KhaldunError) as caught:
        list(run_on_dask(partitions, str(tmp_path / "out"), f"tcp://127.0.0.1:{free_port()}", timeout=2))
    assert caught.value.code == "E801"
