"""One long report against a short one: peak memory and CPU time, each in its own child process.

    python bench/bench_long_report.py                 # a 1,000,000-character report (the default limit)
    python bench/bench_long_report.py --chars 100000  # quicker

The long report is the benchmark templates' invented reports joined, one language at a time.
Each figure is a ratio to the short report's run in the same invocation: peak RSS (the
child's ``VmHWM``) and CPU seconds, after the models are loaded.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from generate import generate  # noqa: E402

CHILD = """
import datetime as dt, json, sys, time
from khaldun.pipeline import Pipeline
from khaldun.schema import Report
text, language = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
pipeline = Pipeline()
pipeline.process(Report(id="warm", text="Gunmen killed three soldiers near Gao on Tuesday.",
                        publication_date=dt.date(2014, 5, 20), language="en"))
pipeline.process(Report(id="warm", text="Des rebelles ont attaqué Gao mardi.", publication_date=dt.date(2014, 5, 20),
                        language="fr"))
started = time.process_time()
result = pipeline.process(Report(id="bench", text=text, publication_date=dt.date(2014, 5, 20), language=language))
cpu = time.process_time() - started
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
print(json.dumps({"cpu": cpu, "peak_mb": peak, "events": len(result.events), "error": result.error}))
"""


def report_text(language: str, chars: int) -> str:
    parts: list[str] = []
    size = 0
    for record in generate(10**7, seed=11):
        if record["language"] != language:
            continue
        parts.append(record["text"])
        size += len(record["text"]) + 2
        if size >= chars:
            break
    return "\n\n".join(parts)[:chars]


def measure(text: str, language: str, folder: Path) -> dict:
    path = folder / f"report-{language}-{len(text)}.txt"
    path.write_text(text, encoding="utf-8")
    completed = subprocess.run([sys.executable, "-c", CHILD, str(path), language], capture_output=True, text=True,
                               check=True)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> None:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=1_000_000)
    parser.add_argument("--language", default="fr", choices=["fr", "en"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        short = measure(report_text(args.language, 2_000), args.language, Path(folder))
        long = measure(report_text(args.language, args.chars), args.language, Path(folder))
    print(f"short report (2,000 chars): {short['peak_mb']:.0f} MB peak, {short['cpu']:.2f} CPU s, {short['events']} events")
    print(f"long report ({args.chars:,} chars): {long['peak_mb']:.0f} MB peak, {long['cpu']:.1f} CPU s, "
          f"{long['events']} events, error {long['error']}")
    print(f"peak RSS long / short: {long['peak_mb'] / short['peak_mb']:.2f}")
    print(f"CPU per character long / short: {(long['cpu'] / args.chars) / (short['cpu'] / 2_000):.2f}")


if __name__ == "__main__":
    main()
