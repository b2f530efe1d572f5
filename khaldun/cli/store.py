"""``khaldun ingest``, ``explain``, ``control`` and ``export``: the dataset commands.

Each command opens the store named by ``--db`` (or ``$KHALDUN_DB``, or the default file
in the user data directory), calls :mod:`khaldun.store` and formats the result.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import click

from khaldun.cli.common import (input_options, output_stream, read_options, report_error, skipped_files,
                                 worker_count, workers_option)
from khaldun.cli.progress import with_progress
from khaldun.errors import KhaldunError, error
from khaldun.export import write_csv
from khaldun.export.geojson import write_geojson
from khaldun.export.parquet import write_parquet
from khaldun.store import Store, open_store
from khaldun.store.control import ControlPeriod, control_at, timelines
from khaldun.store.explain import explain, explanation_lines
from khaldun.store.ingest import ingest_paths
from khaldun.store.query import load_events
from khaldun.store.records import StoredEvent
from khaldun.store.review import reviewed_events

F = TypeVar("F", bound=Callable[..., Any])
EXPORT_FORMATS = ("csv", "geojson", "parquet")


def db_option(function: F) -> F:
    """--db URL, shared by every command that uses the store."""
    return click.option("--db", "db", envvar="KHALDUN_DB", show_envvar=True, metavar="URL",
                        help="Database: a SQLite file path, sqlite:///FILE or postgresql://user:pass@host/db "
                             "(default: khaldun.db in the user data directory).")(function)


def _open(db: str | None) -> Store:
    try:
        return open_store(db)
    except KhaldunError as exc:
        raise click.ClickException(str(exc)) from None


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(str(error("E708", value=value)), param_hint=option) from None


@click.command("ingest")
@input_options
@db_option
@click.option("--force", is_flag=True, help="Re-extract documents already stored unchanged (e.g. after an upgrade).")
@workers_option
def ingest_command(paths: tuple[Path, ...], publication_date: str | None, language: str | None, source: str | None,
                   db: str | None, force: bool, workers: int) -> None:
    """Extract events from reports and store them, merged across reports, in the database.

    Re-running is safe: unchanged documents are skipped, changed ones replace their own
    events, and an interrupted run resumes where it stopped. In a directory, only report
    files are read (.txt, .html, .json, .jsonl, optionally .gz; not README or LICENSE):
    the others are named in a warning.

    \b
    Example:
      khaldun ingest reports/ --db events.db --workers 2
    """
    left_out: list[Path] = []
    options = replace(read_options(publication_date, language, source), on_skip=left_out.append)
    counts = {"added": 0, "replaced": 0, "unchanged": 0, "failed": 0}
    with _open(db) as store:
        for outcome in with_progress(ingest_paths(store, list(paths), options, force=force,
                                                              workers=worker_count(workers)), total=None,
                                     label="ingesting"):
            counts[outcome.status] += 1
            if outcome.error:
                report_error(outcome.error)
        click.echo(f"{sum(counts.values())} documents: {counts['added']} added, {counts['replaced']} replaced, "
                   f"{counts['unchanged']} unchanged, {counts['failed']} failed ({store.url})")
    if left_out:
        report_error(skipped_files(left_out))
    if counts["failed"]:
        sys.exit(1)


@click.command("explain")
@click.argument("event_id")
@db_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", help="Output format.")
def explain_command(event_id: str, db: str | None, output_format: str) -> None:
    """Show which reports were merged into an event, why, and how its fields were chosen.

    \b
    Example:
      khaldun explain SY-3f2a9c1b07 --db events.db
    """
    with _open(db) as store:
        try:
            event = explain(store, event_id)
        except KhaldunError as exc:
            raise click.ClickException(str(exc)) from None
    if output_format == "json":
        click.echo(event.model_dump_json(indent=2))
    else:
        click.echo("\n".join(explanation_lines(event)))


@click.command("control")
@click.argument("place", required=False)
@click.option("--at", "at", metavar="DATE", help="Who held each place on this date (YYYY-MM-DD); default: the whole timeline.")
@db_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", help="Output format.")
def control_command(place: str | None, at: str | None, db: str | None, output_format: str) -> None:
    """Who holds which place over time, from territory events and control statements, with evidence.

    \b
    Example:
      khaldun control Khaldiyé --db events.db
      khaldun control --at 2013-07-30 --db events.db
    """
    day = _date(at, "--at")
    with _open(db) as store:
        try:
            periods = control_at(store, day, place) if day else [p for t in timelines(store, place) for p in t]
        except KhaldunError as exc:
            raise click.ClickException(str(exc)) from None
    if output_format == "json":
        for period in periods:
            click.echo(period.model_dump_json())
        return
    for period in periods:
        click.echo("\n".join(period_lines(period)))


def period_lines(period: ControlPeriod) -> list[str]:
    start = f"since {period.since}" if period.since else f"at least from {period.known_from}"
    end = f" until {period.until}" if period.until else ""
    lines = [f"{period.place_name}{', ' + period.country if period.country else ''}: "
             f"held by {period.holder} {start}{end}"]
    for fact in period.evidence:
        origin = f"event {fact.event_id} ({fact.sub_event_type})" if fact.kind == "event" else "statement"
        lines.append(f"  - {fact.observed} {fact.document_id}, {origin}: {fact.text}")
    return lines


@click.command("export")
@click.option("--format", "output_format", type=click.Choice(EXPORT_FORMATS), required=True,
              help="csv (ACLED's columns and order, then khaldun's), geojson (points, all fields) or parquet.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to FILE (atomically).")
@click.option("--since", metavar="DATE", help="Events on or after this date (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Events on or before this date (YYYY-MM-DD).")
@click.option("--country", help="Only this country (ACLED name, e.g. Syria).")
@click.option("--type", "event_type", help="Only this event type or sub-event type (e.g. Battles).")
@click.option("--reviewed", is_flag=True, help="Only events an analyst accepted or edited in the workbench.")
@db_option
def export_command(output_format: str, output: Path | None, since: str | None, until: str | None,
                   country: str | None, event_type: str | None, reviewed: bool, db: str | None) -> None:
    """Export the merged events of the database for analysis.

    \b
    Example:
      khaldun export --format csv --country Syria --since 2013-07-01 -o syria.csv
    """
    first, last = _date(since, "--since"), _date(until, "--until")
    with _open(db) as store, store.read() as conn:
        events = (reviewed_events if reviewed else load_events)(conn, since=first, until=last, country=country,
                                                                event_type=event_type)
    if output_format == "parquet":
        _write_parquet(events, output)
        return
    writer = write_csv if output_format == "csv" else write_geojson
    with output_stream(output) as out:
        writer(events, out)


def _write_parquet(events: list[StoredEvent], output: Path | None) -> None:
    """Parquet is binary: written to a temporary file renamed when complete, or to piped stdout."""
    if output is None:
        if sys.stdout.isatty():
            raise click.ClickException(str(error("E709")))
        write_parquet(events, sys.stdout.buffer, record=StoredEvent)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".part")
    os.close(handle)
    try:
        write_parquet(events, temp, record=StoredEvent)
        os.replace(temp, output)
    finally:
        Path(temp).unlink(missing_ok=True)
