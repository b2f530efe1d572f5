"""khaldun's benchmarks: every figure is a ratio measured in the same run.

    python bench/run.py            # full: 600 reports for rates, memory at 1k / 10k / 100k reports
    python bench/run.py --quick    # a few minutes: 150 reports, memory at 1k / 2k / 5k

1. Throughput: khaldun (every stage) against the bare spaCy pipelines it uses (``nlp.pipe``
   on the same normalised texts), in words/s and reports/s. Target: ratio >= 0.7.
2. Scaling: the same reports through the worker pool with 1 and 2 processes, against one
   in-process pipeline (pools are warmed up first: models load once per worker).
3. Memory: ``khaldun extract --resume -o`` in a child process per input size on a streamed
   JSON Lines corpus; peak RSS (from ``wait4``) against the smallest size. A size may be
   stopped at a time cap; reports finished are then counted from the resume state.

Prints a table and writes ``bench/RESULTS.md`` with the machine it ran on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from generate import generate, write_corpus  # noqa: E402


@dataclass
class Row:
    section: str
    name: str
    value: float
    unit: str
    note: str = ""


def best_time(run: Callable[[], Any], rounds: int) -> float:
    """The fastest of ``rounds`` runs: the least disturbed by the rest of the machine."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def throughput(count: int, rounds: int) -> list[Row]:
    from khaldun.ingest.normalise import normalise
    from khaldun.pipeline import Pipeline
    from khaldun.schema import Report

    records = list(generate(count, seed=11))
    reports = [Report(**r, origin=r["id"]) for r in records]
    words = sum(len(r["text"].split()) for r in records)
    pipeline = Pipeline()
    list(pipeline.pipe(reports[:50]))  # load models, gazetteer and lexicons before timing
    by_language: dict[str, list[str]] = {}
    for report in reports:
        by_language.setdefault(report.language or "", []).append(normalise(report.text).text)

    def bare() -> None:
        for language, texts in by_language.items():
            for _ in pipeline.stages_for(language).nlp.pipe(texts, batch_size=pipeline.batch_size):
                pass

    def khaldun() -> None:
        for _ in pipeline.pipe(reports):
            pass

    bare_s, khaldun_s = best_time(bare, rounds), best_time(khaldun, rounds)
    ratio = bare_s / khaldun_s
    return [
        Row("throughput", "bare spaCy nlp.pipe", words / bare_s, "words/s", f"{count / bare_s:.1f} reports/s"),
        Row("throughput", "khaldun Pipeline.pipe", words / khaldun_s, "words/s", f"{count / khaldun_s:.1f} reports/s"),
        Row("throughput", "khaldun / bare spaCy", ratio, "ratio", "target >= 0.70" + ("" if ratio >= 0.7 else " (MISSED)")),
    ]


def scaling(count: int) -> list[Row]:
    from khaldun.parallel import WorkerPool
    from khaldun.pipeline import Pipeline
    from khaldun.schema import Report

    reports = [Report(**r, origin=r["id"]) for r in generate(count, seed=12)]
    pipeline = Pipeline()
    list(pipeline.pipe(reports[:50]))
    single = best_time(lambda: list(pipeline.pipe(reports)), 2)
    rows = [Row("scaling", "in-process pipeline", count / single, "reports/s")]
    for workers in (1, 2):
        with WorkerPool(workers=workers, keep_mentions=False) as pool:
            pool.warm_up()
            elapsed = best_time(lambda: list(pool.pipe(reports)), 1)
        rows.append(Row("scaling", f"{workers} worker(s) / in-process", single / elapsed, "ratio",
                        f"{count / elapsed:.1f} reports/s"))
    return rows


def memory(sizes: list[int], time_cap: float, workdir: Path) -> list[Row]:
    rows, peaks = [], {}
    for size in sizes:
        corpus = write_corpus(workdir / f"corpus-{size}.jsonl", size, seed=13)
        output = workdir / f"events-{size}.jsonl"
        command = [sys.executable, "-c", "from khaldun.cli import main; main()", "extract", str(corpus),
                   "--resume", "-o", str(output)]
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        status, usage = _wait(child, time_cap)
        elapsed = time.perf_counter() - start
        done = _finished_reports(output)
        peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
        peaks[size] = peak_mb
        capped = status is None
        note = f"{done} of {size} reports in {elapsed:.0f} s" + (" (time cap)" if capped else "")
        rows.append(Row("memory", f"peak RSS, {size} reports", peak_mb, "MB", note))
        corpus.unlink()
    smallest = sizes[0]
    for size in sizes[1:]:
        ratio = peaks[size] / peaks[smallest]
        rows.append(Row("memory", f"peak RSS {size} / {smallest}", ratio, "ratio",
                        "target <= 1.50" + ("" if ratio <= 1.5 else " (MISSED)")))
    return rows


def _wait(child: subprocess.Popen[bytes], time_cap: float) -> tuple[int | None, Any]:
    """Wait for the child (SIGKILL at the cap); its exit status (None if capped) and its own rusage."""
    deadline = time.monotonic() + time_cap
    while time.monotonic() < deadline:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            child.returncode = status
            return status, usage
        time.sleep(0.2)
    os.kill(child.pid, signal.SIGKILL)
    _, _, usage = os.wait4(child.pid, 0)
    child.returncode = -9
    return None, usage


def _finished_reports(output: Path) -> int:
    state = output.with_name(output.name + ".state")
    if not state.exists():
        return 0
    with open(state, "rb") as lines:
        return sum(1 for _ in lines)


def machine() -> dict[str, str]:
    import spacy

    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        import psutil

        ram = f"{psutil.virtual_memory().total / 2**30:.1f} GB"
    except ImportError:
        ram = "unknown"
    return {"CPU": cpu, "cores": str(os.cpu_count()), "RAM": ram, "OS": platform.platform(),
            "Python": platform.python_version(), "spaCy": spacy.__version__}


def table(rows: list[Row]) -> str:
    lines = [f"| {'section':10} | {'measure':34} | {'value':>10} | {'unit':8} | note |",
             f"|{'-' * 12}|{'-' * 36}|{'-' * 12}|{'-' * 10}|------|"]
    for row in rows:
        value = f"{row.value:.2f}" if row.unit in {"ratio", "MB"} else f"{row.value:.0f}"
        lines.append(f"| {row.section:10} | {row.name:34} | {value:>10} | {row.unit:8} | {row.note} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, a few minutes")
    parser.add_argument("--time-cap", type=float, default=None, help="seconds allowed per memory size")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory section")
    parser.add_argument("--results", type=Path, default=BENCH / "RESULTS.md", help="where to write the results")
    args = parser.parse_args()
    count = 150 if args.quick else 600
    sizes = [1000, 2000, 5000] if args.quick else [1000, 10000, 100000]
    time_cap = args.time_cap or (120.0 if args.quick else 600.0)
    started = time.time()
    rows = throughput(count, rounds=2 if args.quick else 3)
    print(table(rows), flush=True)
    rows += scaling(count)
    print(table(rows[-3:]), flush=True)
    if not args.no_memory:
        with tempfile.TemporaryDirectory(prefix="khaldun-bench-") as workdir:
            rows += memory(sizes, time_cap, Path(workdir))
    report = table(rows)
    print(report)
    info = machine()
    command = "python bench/run.py" + (" --quick" if args.quick else "")
    text = "\n".join([
        "# Benchmark results", "",
        f"Last run: {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}, `{command}`, "
        f"{time.time() - started:.0f} s in all. Every figure is measured in the same run; compare ratios, "
        "not absolute rates, across machines.", "",
        "## Machine", "", *(f"- {key}: {value}" for key, value in info.items()), "",
        "## Results", "", report, "",
        "## What was measured", "",
        f"- throughput: {count} generated reports (French and English, `bench/templates/`), language given, "
        "models loaded and warmed up first; best of several rounds. *bare spaCy* is `nlp.pipe` of the same "
        "spaCy pipelines (with khaldun's sentence component) on the normalised texts; *khaldun* is "
        "`Pipeline.pipe` (every stage, no output writing).",
        "- scaling: the same reports through `WorkerPool` after every worker loaded its models, against "
        "one in-process pipeline.",
        f"- memory: `khaldun extract CORPUS --resume -o FILE` in a child process per size (JSON Lines written "
        f"a line at a time; reading, extraction and writing all streamed), stopped at {time_cap:.0f} s if "
        "not done; peak RSS of the child from `wait4`. A capped size shows how many reports it finished.",
        "",
    ])
    args.results.write_text(text, encoding="utf-8")
    print(f"\nwritten {args.results}", file=sys.stderr)


if __name__ == "__main__":
    main()
