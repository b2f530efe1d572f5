"""Writers for extracted events: JSON Lines, ACLED-ordered CSV, and a terminal table.

Formats are registered in ``EXPORTERS`` (name -> writer); the CLI's ``--format`` choices
come from it, so a new format is one function and one line.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from typing import IO

from khaldun.schema import ACLED_COLUMNS, KHALDUN_COLUMNS, Event

Writer = Callable[[Iterable[Event], IO[str]], int]


def write_jsonl(events: Iterable[Event], out: IO[str]) -> int:
    """One event a line: ACLED's columns, then khaldun's (evidence, confidence, ...)."""
    count = 0
    for event in events:
        out.write(json.dumps(event.acled_row(), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(events: Iterable[Event], out: IO[str]) -> int:
    """ACLED's columns in ACLED's order, then khaldun's; evidence as compact JSON."""
    writer = csv.DictWriter(out, fieldnames=list(ACLED_COLUMNS) + list(KHALDUN_COLUMNS), extrasaction="ignore")
    writer.writeheader()
    count = 0
    for event in events:
        row = event.acled_row()
        row["evidence"] = json.dumps(row["evidence"], ensure_ascii=False)
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
        count += 1
    return count


EXPORTERS: dict[str, Writer] = {"jsonl": write_jsonl, "csv": write_csv}
