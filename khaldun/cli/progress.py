"""A progress bar with count, rate and ETA on a terminal; silent when stderr is piped.

It draws on stderr, so events written to stdout (piped or not) are never mixed with it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

T = TypeVar("T")


def with_progress(items: Iterable[T], *, total: int | None, label: str) -> Iterator[T]:
    """``items`` unchanged, counted on stderr as they pass (an ETA when ``total`` is known)."""
    if not sys.stderr.isatty():
        yield from items
        return
    columns = [TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TimeRemainingColumn()]
    with Progress(*columns, transient=True, console=Console(stderr=True)) as progress:
        task = progress.add_task(label, total=total, rate="")
        for item in items:
            yield item
            elapsed = progress.tasks[0].elapsed or 0.0
            done = progress.tasks[0].completed + 1
            progress.update(task, advance=1, rate=f"{done / elapsed:.1f} reports/s" if elapsed else "")
