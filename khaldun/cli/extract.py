"""``khaldun extract``, ``khaldun mentions`` and ``khaldun demo``."""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import click

from khaldun.api import extract
from khaldun.cli.common import (fail_on, input_options, output_stream, read_options, report_error, skipped_files,
                                url_input_options, worker_count, workers_option)
from khaldun.cli.progress import with_progress
from khaldun.errors import KhaldunError
from khaldun.export import EXPORTERS
from khaldun.export.table import mention_rows, place_rows, write_mention_table, write_table
from khaldun.ingest import ReadOptions
from khaldun.resources import data_path
from khaldun.schema import DocumentResult, Event, Mentions

FORMATS = sorted(EXPORTERS) + ["table"]


def _run(paths: list[Path], options: ReadOptions) -> tuple[list[DocumentResult], int]:
    """Process every input; print each bad one as a line on stderr; count the failures."""
    results: list[DocumentResult] = []
    failures = 0
    for item in with_progress(extract(paths, options), total=None, label="extracting"):
        if isinstance(item, KhaldunError):
            report_error(str(item))
            failures += 1
        elif item.error:
            report_error(item.error)
            failures += 1
        else:
            results.append(item)
    return results, failures


def _write_events(events: list[Event], output_format: str, output: Path | None) -> None:
    with output_stream(output) as out:
        if output_format == "table":
            write_table(events, out)
        else:
            EXPORTERS[output_format](events, out)


class _Tally:
    """Failures seen while streaming, for the exit status."""

    failures = 0


def _stream_events(results: Iterable[DocumentResult | KhaldunError], tally: _Tally,
                   on_done: Callable[[str], None] | None = None, *, background: bool = False) -> Iterator[Event]:
    """Events as results arrive; errors go to stderr. ``on_done(id)`` runs once a report's events are written.

    Background events (told as context, long before publication) are left out unless
    ``background``: ACLED codes an event from the news of its day, not from a later recap.

    The writer pulls the next event only after writing the previous one, so when this
    generator resumes after a report's last event, that report is fully written.
    """
    for item in results:
        if isinstance(item, KhaldunError):
            report_error(str(item))
            tally.failures += 1
        elif item.error:
            report_error(item.error)
            tally.failures += 1
        else:
            yield from (event for event in item.events if background or not event.background)
            if on_done is not None:
                on_done(item.report.id)


def _exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit for this command, so a stopped run still closes its output and workers."""
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    click.get_current_context().call_on_close(lambda: signal.signal(signal.SIGTERM, previous))


def _progress_total(paths: list[str]) -> int | None:
    """Reports to expect, counted only when a progress bar will show it (stderr is a terminal)."""
    if not sys.stderr.isatty():
        return None
    from khaldun.parallel.batch import count_reports

    return count_reports(paths)


@click.command("extract")
@url_input_options
@click.option("--format", "output_format", type=click.Choice(FORMATS), default=None,
              help="jsonl (default when piped or with -o), csv in ACLED's column order, or table (default on a terminal).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to FILE (atomically).")
@workers_option
@click.option("--resume", is_flag=True,
              help="Make the run resumable (needs -o FILE, jsonl) and continue an interrupted one; see docs/scale.md.")
@click.option("--output-dir", metavar="DIR",
              help="Write one part per input file (part-00000.jsonl, ...) into DIR, a path or URL (s3://...).")
@click.option("--output-format", "part_format", type=click.Choice(["jsonl", "parquet"]), default="jsonl",
              show_default=True, help="Format of the parts written with --output-dir.")
@click.option("--background", is_flag=True,
              help="Also write background events (context told long before publication; cluster parts always keep them, flagged).")
@click.option("--dask", "dask_address", metavar="ADDRESS",
              help="Run on the Dask cluster at ADDRESS (tcp://host:8786); needs --output-dir.")
def extract_command(paths: tuple[str, ...], publication_date: str | None, language: str | None, source: str | None,
                    output_format: str | None, output: Path | None, workers: int, resume: bool, output_dir: str | None,
                    part_format: str, background: bool, dask_address: str | None) -> None:
    """Extract ACLED-coded events from reports (text, HTML, JSON Lines, directories).

    Input is streamed and events are written as they come, so memory stays flat whatever
    the corpus size. --workers runs several processes; --dask runs on a cluster.

    \b
    Example:
      khaldun extract reports.jsonl --format csv -o events.csv
      khaldun extract article.txt --date 2013-07-29 --lang fr
      khaldun extract corpus/ --workers 0 --resume -o events.jsonl
      khaldun extract s3://bucket/reports/ --dask tcp://10.0.0.5:8786 --output-dir s3://bucket/events/
    """
    left_out: list[Path] = []
    options = replace(read_options(publication_date, language, source), on_skip=left_out.append)
    _exit_on_sigterm()
    if dask_address and not output_dir:
        raise click.UsageError("--dask needs --output-dir (a directory or URL the workers can write to)")
    if output_dir:
        _extract_partitioned(list(paths), options, output_dir, part_format, dask_address, resume)
        return
    chosen = output_format or ("table" if output is None and sys.stdout.isatty() else "jsonl")
    if resume and (output is None or chosen != "jsonl"):
        raise click.UsageError("--resume needs -o FILE and the jsonl format")
    tally = _Tally()
    if resume and output is not None:
        _extract_resumable(list(paths), options, output, worker_count(workers), tally, background)
    else:
        from khaldun.parallel import extract_batch

        results = with_progress(extract_batch(paths, options, workers=worker_count(workers), keep_mentions=False),
                                total=_progress_total(list(paths)), label="extracting")
        if chosen == "table":
            _write_events(list(_stream_events(results, tally, background=background)), chosen, output)
        else:
            with output_stream(output) as out:
                EXPORTERS[chosen](_stream_events(results, tally, background=background), out)
    if left_out:
        report_error(skipped_files(left_out))
    if tally.failures:
        sys.exit(1)


def _extract_resumable(paths: list[str], options: ReadOptions, output: Path, workers: int, tally: _Tally,
                       background: bool) -> None:
    """Append to ``output``'s partial file, recording each finished report (see :mod:`khaldun.parallel.checkpoint`)."""
    from khaldun.parallel import Checkpoint, extract_batch

    checkpoint = Checkpoint(output)
    try:
        out = checkpoint.open()
    except KhaldunError as exc:
        raise fail_on(exc) from None
    try:
        total = _progress_total(paths)
        results = with_progress(
            extract_batch(paths, options, workers=workers, skip_ids=checkpoint.done, keep_mentions=False),
            total=None if total is None else max(total - len(checkpoint.done), 0), label="extracting")
        EXPORTERS["jsonl"](_stream_events(results, tally, lambda report_id: checkpoint.record(report_id, out),
                                          background=background), out)
    except BaseException:
        out.close()
        checkpoint.close()
        raise
    checkpoint.finish(out)


def _extract_partitioned(paths: list[str], options: ReadOptions, output_dir: str, part_format: str,
                         dask_address: str | None, resume: bool) -> None:
    """One output part per input file, in this process or as tasks on a Dask cluster."""
    from khaldun.distributed import plan_partitions, run_locally, run_on_dask

    failures = 0
    try:
        partitions = plan_partitions(paths, output_dir, output_format=part_format)  # type: ignore[arg-type]
        if dask_address:
            summaries = run_on_dask(partitions, output_dir, dask_address, options=options, resume=resume)
        else:
            summaries = run_locally(partitions, output_dir, options=options, resume=resume)
        for summary in with_progress(summaries, total=len(partitions), label="partitions"):
            for message in summary.errors:
                report_error(message)
            failures += len(summary.errors)
    except KhaldunError as exc:
        raise fail_on(exc) from None
    if failures:
        sys.exit(1)


@click.command("mentions")
@input_options
@click.option("--format", "output_format", type=click.Choice(["jsonl", "table"]), default=None,
              help="jsonl (default when piped) or table.")
def mentions_command(paths: tuple[Path, ...], publication_date: str | None, language: str | None, source: str | None,
                     output_format: str | None) -> None:
    """Show every mention found before events are assembled: places, actors, numbers, dates...

    \b
    Example:
      khaldun mentions article.txt --date 2013-07-29 --format table
    """
    _write_mentions(paths, read_options(publication_date, language, source), mention_rows, output_format)


@click.command("places")
@input_options
@click.option("--format", "output_format", type=click.Choice(["jsonl", "table"]), default=None,
              help="jsonl (default when piped) or table.")
def places_command(paths: tuple[Path, ...], publication_date: str | None, language: str | None, source: str | None,
                   output_format: str | None) -> None:
    """Geoparse reports: every place mention, its span and its gazetteer entry (id, feature code,
    country, admin1-3, coordinates).

    \b
    Example:
      khaldun places article.txt --date 2013-07-29 > places.jsonl
    """
    _write_mentions(paths, read_options(publication_date, language, source), place_rows, output_format)


def _write_mentions(paths: tuple[Path, ...], options: ReadOptions, rows_of: Callable[[Mentions], Iterable[dict]],
                    output_format: str | None) -> None:
    """Rows of every report's mentions, as a table on a terminal or JSON Lines when piped."""
    results, failures = _run(list(paths), options)
    rows = [row for r in results if r.mentions for row in rows_of(r.mentions)]
    if (output_format or ("table" if sys.stdout.isatty() else "jsonl")) == "table":
        write_mention_table(rows, sys.stdout)
    else:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    if failures:
        sys.exit(1)


@click.command("demo")
@click.option("--format", "output_format", type=click.Choice(["text"] + FORMATS), default="text", show_default=True,
              help="text: each report's events with their evidence, checked against the hand-coded events, and a "
                   "legend; table: one row per event; or a machine format.")
def demo(output_format: str) -> None:
    """Run khaldun on its bundled example reports (French and English) and show the events.

    Each event comes with the report's words behind its fields and its match against the
    events a careful coder codes from the report (khaldun/data/examples/expected.yaml).

    \b
    Example:
      khaldun demo
      khaldun demo --format jsonl
    """
    from khaldun.cli.showcase import write_showcase

    examples = data_path("examples", "reports.jsonl")
    results, failures = _run([Path(str(examples))], ReadOptions())
    events = [e for r in results for e in r.events]
    if output_format in ("text", "table"):
        click.echo(f"khaldun demo: {len(results)} example reports, {len(events)} events "
                   f"(examples in {examples})")
    if output_format == "text":
        write_showcase(results, sys.stdout)
    else:
        _write_events(events, output_format, None)
    if failures:
        sys.exit(1)
