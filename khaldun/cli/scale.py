"""``khaldun eval``: score a run against hand-coded gold events."""

from __future__ import annotations

import json
from pathlib import Path

import click

from khaldun.cli.common import fail_on
from khaldun.errors import KhaldunError

SCORE_LINES = ("documents", "system_events", "required_gold", "precision", "recall", "f1",
               "sub_event_type_acc", "location_acc", "actor_acc", "fatalities_acc")


@click.command("eval")
@click.argument("gold", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.argument("predicted", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as one JSON object.")
@click.option("--unmatched", "show_unmatched", type=click.IntRange(min=0), default=50, show_default=True,
              help="List at most this many unmatched system events.")
def eval_command(gold: Path, predicted: Path, as_json: bool, show_unmatched: int) -> None:
    """Score extracted events (PREDICTED, as `khaldun extract` writes them) against GOLD events.

    Prints precision, recall and F1, accuracies of sub-event type, location, actors and
    fatalities over matched pairs, missed gold events, unmatched system events and a
    table per document. The gold format and matching rules are in docs/eval.md.

    \b
    Example:
      khaldun extract reports.jsonl -o predicted.jsonl
      khaldun eval gold.jsonl predicted.jsonl
    """
    from khaldun.evaluate import evaluate, read_gold, read_system_events

    try:
        result = evaluate(read_gold(gold), read_system_events(predicted)).summary()
    except KhaldunError as exc:
        raise fail_on(exc) from None
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    for key in SCORE_LINES:
        value = result[key]
        click.echo(f"{key:20} {value:.3f}" if isinstance(value, float) else f"{key:20} {value}")
    for missed in result["missed_required"]:
        click.echo(f"missed     {missed}")
    for extra in result["unmatched_system"][:show_unmatched]:
        click.echo(f"unmatched  {extra}")
    click.echo("")
    click.echo(f"{'document':40} {'system':>6} {'matched':>7} {'gold':>5} {'found':>5}")
    for row in result["per_doc"]:
        click.echo(f"{row['doc_id'][:40]:40} {row['system_events']:>6} {row['matched_events']:>7} "
                   f"{row['required_gold']:>5} {row['matched_required']:>5}")
    click.echo(f"f1: {result['f1']:.3f}")
