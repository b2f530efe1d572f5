"""Options and output helpers shared by the commands."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from khaldun.errors import KhaldunError
from khaldun.ingest import ReadOptions

F = TypeVar("F", bound=Callable[..., Any])


def input_options(function: F) -> F:
    """PATH... plus --date/--lang/--source, shared by every command that reads reports."""
    function = _read_flags(function)
    function = click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))(function)
    return function


def url_input_options(function: F) -> F:
    """Like :func:`input_options`, but PATH stays a string, so URLs (``s3://bucket/dir``) survive."""
    function = _read_flags(function)
    function = click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str, readable=False))(function)
    return function


def _read_flags(function: F) -> F:
    function = click.option("--source", help="Outlet name for plain-text reports.")(function)
    function = click.option("--lang", "language", help="Language of plain-text reports (fr, en); detected if absent.")(function)
    function = click.option("--date", "publication_date", help="Publication date YYYY-MM-DD of plain-text reports.")(function)
    return function


def workers_option(function: F) -> F:
    """``--workers N``: processes to run the pipeline in (0: one per core)."""
    return click.option("-w", "--workers", type=click.IntRange(min=0), default=1, show_default=True,
                        help="Worker processes, each with its own pipeline (0: one per core).")(function)


def worker_count(workers: int) -> int:
    from khaldun.parallel import default_workers

    return workers or default_workers()


def read_options(publication_date: str | None, language: str | None, source: str | None) -> ReadOptions:
    """The reading options; an implausible --date (E112) or a bad KHALDUN_MAX_CHARS (E115) stops the run here.

    PATH arguments are not checked by click (``readable=False``): an unreadable one is
    reported by the readers (E101) while the other inputs are processed.
    """
    from khaldun.ingest.limits import check_publication_date, max_report_chars

    date = None
    if publication_date:
        try:
            date = dt.date.fromisoformat(publication_date)
        except ValueError:
            raise click.BadParameter(f"{publication_date!r} is not a date YYYY-MM-DD", param_hint="--date") from None
    try:
        if date is not None:
            check_publication_date(date, "--date")
        max_report_chars()
    except KhaldunError as exc:
        raise fail_on(exc) from None
    return ReadOptions(publication_date=date, language=language, source=source)


def skipped_files(paths: list[Path], shown: int = 10) -> str:
    """One warning line naming the files a directory walk left out (the first ``shown`` of them)."""
    names = ", ".join(str(p) for p in paths[:shown]) + (f" and {len(paths) - shown} more" if len(paths) > shown else "")
    what = "files that are not reports" if len(paths) > 1 else "file that is not a report"
    return (f"warning: skipped {len(paths)} {what}: {names} "
            "(reports are .txt, .html, .json or .jsonl, optionally .gz; name a file to read it anyway)")


def report_error(message: str) -> None:
    click.echo(f"khaldun: {message}", err=True)


@contextmanager
def output_stream(path: Path | None) -> Iterator[IO[str]]:
    """stdout, or a file written to a temporary name and renamed only when complete."""
    if path is None:
        yield sys.stdout
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            yield out
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def fail_on(exc: KhaldunError) -> click.ClickException:
    return click.ClickException(str(exc))
