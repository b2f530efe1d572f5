"""khaldun's command line: thin commands over :mod:`khaldun.api`.

Every command reports a bad input as one line on stderr (``khaldun: E104: ...``) and exits
non-zero; in a batch the other inputs are still processed.
"""

from __future__ import annotations

import click

from khaldun import __version__
from khaldun.cli.extract import demo, extract_command, mentions_command, places_command
from khaldun.cli.scale import eval_command
from khaldun.cli.train import train_command
from khaldun.cli.store import control_command, explain_command, export_command, ingest_command
from khaldun.cli.web import serve_command, user_group
from khaldun.geo.cli import gazetteer


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="khaldun")
def cli() -> None:
    """Turn conflict reports into verified, geocoded, ACLED-coded events."""


cli.add_command(extract_command)
cli.add_command(mentions_command)
cli.add_command(places_command)
cli.add_command(gazetteer)
cli.add_command(demo)
cli.add_command(ingest_command)
cli.add_command(explain_command)
cli.add_command(control_command)
cli.add_command(export_command)
cli.add_command(eval_command)
cli.add_command(train_command)
cli.add_command(serve_command)
cli.add_command(user_group)


def main() -> None:
    cli(prog_name="khaldun")
