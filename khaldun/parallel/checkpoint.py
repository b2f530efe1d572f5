"""Resumable JSON Lines output: a run that is interrupted continues where it stopped.

For an output ``events.jsonl`` a resumable run keeps two files next to it:

``events.jsonl.partial``
    the events written so far; renamed to ``events.jsonl`` when the run completes, so
    ``events.jsonl`` itself only ever appears complete.
``events.jsonl.state``
    one JSON line per finished report, ``{"id": ..., "offset": ...}``: the report's id
    and the size of the output once its events were written and flushed.

A report counts as finished only once its state line is written, *after* its events.
On resume the partial output is cut back to the last recorded offset (dropping events
of a report whose state line never made it), the finished ids are skipped, and new
events are appended: no report is written twice. A torn last state line (the process
died while writing it) is ignored. Reports that failed are not recorded, so they are
tried again. The state file stays after completion: resuming a finished run processes
only reports it has not seen, which suits a corpus that grows (a feed, a daily dump).
Report ids must be unique within the corpus for this to hold.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO

from khaldun.errors import error


class Checkpoint:
    """The partial output and state files of a resumable run writing ``output``."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.partial = output.with_name(output.name + ".partial")
        self.state = output.with_name(output.name + ".state")
        self.done: set[str] = set()
        self._state_out: IO[str] | None = None

    def open(self) -> IO[str]:
        """Load the finished ids and return the output to append to, cut back to the last finished report."""
        self.output.parent.mkdir(parents=True, exist_ok=True)
        offset = self._load_state()
        if not self.partial.exists() and self.output.exists() and self.done:
            os.replace(self.output, self.partial)  # a finished run: reopen it to append what is new
        size = self.partial.stat().st_size if self.partial.exists() else 0
        if size < offset:
            raise error("E802", path=self.partial if self.partial.exists() else self.output,
                        reason=f"the output is shorter ({size} bytes) than its state says ({offset} bytes)")
        if not self.done and offset == 0:
            self.partial.unlink(missing_ok=True)
        with open(self.partial, "ab") as raw:
            raw.truncate(offset)
        self._state_out = open(self.state, "a", encoding="utf-8")
        return open(self.partial, "a", encoding="utf-8", newline="")

    def record(self, report_id: str, out: IO[str]) -> None:
        """Mark a report finished once everything written for it so far is flushed to ``out``."""
        assert self._state_out is not None, "open() first"
        out.flush()
        self._state_out.write(json.dumps({"id": report_id, "offset": out.tell()}, ensure_ascii=False) + "\n")
        self._state_out.flush()

    def finish(self, out: IO[str]) -> None:
        """Close the files and publish the output under its final name."""
        out.close()
        self.close()
        os.replace(self.partial, self.output)

    def close(self) -> None:
        if self._state_out is not None:
            self._state_out.close()
            self._state_out = None

    def _load_state(self) -> int:
        """Read the finished ids; the offset after the last one (0 if none)."""
        self.done = set()
        if not self.state.exists():
            return 0
        offset = 0
        valid_bytes = 0
        with open(self.state, "rb") as lines:
            for raw in lines:
                try:
                    entry = json.loads(raw)
                    report_id, end = str(entry["id"]), int(entry["offset"])
                except (ValueError, KeyError, TypeError):
                    break  # a line torn by the interruption: everything after it is untrusted
                if not raw.endswith(b"\n"):
                    break
                self.done.add(report_id)
                offset = end
                valid_bytes += len(raw)
        with open(self.state, "ab") as state:
            state.truncate(valid_bytes)
        return offset
