"""Invented conflict reports from the templates in ``bench/templates/``, generated as a stream.

The same seed gives the same corpus, so runs on different machines process the same text.
Run as a script to write a corpus: ``python bench/generate.py 10000 corpus.jsonl[.gz]``.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import yaml

TEMPLATES = Path(__file__).resolve().parent / "templates"
FIRST_DAY = dt.date(2012, 1, 1)
DAYS = 3000


def load_templates() -> list[dict[str, Any]]:
    return [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(TEMPLATES.glob("*.yaml"))]


def generate(count: int, *, seed: int = 6, first: int = 0) -> Iterator[dict[str, Any]]:
    """``count`` report records (``id``, ``text``, ``publication_date``, ``language``), one at a time;
    ids are numbered from ``first``, so corpora read in one run can keep their ids apart."""
    rng = random.Random(seed)
    languages = load_templates()
    for number in range(count):
        language = languages[number % len(languages)]
        template = rng.choice(language["templates"])
        values = {slot: rng.choice(options) for slot, options in language["slots"].items()}
        text = template.format(**values).strip()
        day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
        yield {"id": f"bench-{first + number:07d}", "text": text[0].upper() + text[1:], "publication_date": day.isoformat(),
               "language": language["language"]}


def write_corpus(path: Path, count: int, *, seed: int = 6, first: int = 0) -> Path:
    """Write ``count`` reports as JSON Lines (gzipped if the name ends in ``.gz``), a line at a time."""
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as out:
        _write(out, generate(count, seed=seed, first=first))
    return path


def _write(out: IO[str], records: Iterator[dict[str, Any]]) -> None:
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    write_corpus(Path(sys.argv[2]), int(sys.argv[1]))
