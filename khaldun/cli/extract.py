"""``khaldun extract``, ``khaldun mentions`` and ``khaldun demo``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from khaldun.api import extract
from khaldun.cli.common import input_options, output_stream, read_options, report_error
from khaldun.cli.progress import with_progress
from khaldun.errors import KhaldunError
from khaldun.export import EXPORTERS
from khaldun.export.table import mention_rows, write_mention_table, write_table
from khaldun.ingest import ReadOptions
from khaldun.resources import data_path
from khaldun.schema import DocumentResult, Event

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


@click.command("extract")
@input_options
@click.option("--format", "output_format", type=click.Choice(FORMATS), default=None,
              help="jsonl (default when piped or with -o), csv in ACLED's column order, or table (default on a terminal).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to FILE (atomically).")
def extract_command(paths: tuple[Path, ...], publication_date: str | None, language: str | None, source: str | None,
                    output_format: str | None, output: Path | None) -> None:
    """Extract ACLED-coded events from reports (text, HTML, JSON Lines, directories).

    \b
    Example:
      khaldun extract reports.jsonl --format csv -o events.csv
      khaldun extract article.txt --date 2013-07-29 --lang fr
    """
    options = read_options(publication_date, language, source)
    results, failures = _run(list(paths), options)
    chosen = output_format or ("table" if output is None and sys.stdout.isatty() else "jsonl")
    _write_events([e for r in results for e in r.events], chosen, output)
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
    options = read_options(publication_date, language, source)
    results, failures = _run(list(paths), options)
    rows = [row for r in results if r.mentions for row in mention_rows(r.mentions)]
    chosen = output_format or ("table" if sys.stdout.isatty() else "jsonl")
    if chosen == "table":
        write_mention_table(rows, sys.stdout)
    else:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    if failures:
        sys.exit(1)


@click.command("demo")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="table", help="Output format.")
def demo(output_format: str) -> None:
    """Run khaldun on its bundled example reports (French and English) and show the events.

    \b
    Example:
      khaldun demo --format jsonl
    """
    examples = data_path("examples", "reports.jsonl")
    results, failures = _run([Path(str(examples))], ReadOptions())
    events = [e for r in results for e in r.events]
    if output_format == "table":
        click.echo(f"khaldun demo: {len(results)} example reports, {len(events)} events "
                   f"(examples in {examples})")
    _write_events(events, output_format, None)
    if failures:
        sys.exit(1)
