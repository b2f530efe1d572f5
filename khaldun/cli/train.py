"""``khaldun train``: rebuild the event classifier from the corpus and report held-out scores."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path

import click
from rich.console import Console

from khaldun.cli.common import fail_on
from khaldun.errors import KhaldunError


@click.command("train")
@click.option("--corpus", type=click.Path(path_type=Path, exists=True),
              help="Folder (or file) of labelled sentences in JSON Lines; default: the corpus shipped with khaldun.")
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False),
              help="Folder to write model.npz and model.json to; default: the package's own model.")
@click.option("--seed", type=int, default=13, show_default=True, help="Seed of the held-out split and the solver.")
@click.option("--holdout", type=click.FloatRange(0.0, 0.9), default=0.15, show_default=True,
              help="Share of the corpus held out to score the model.")
@click.option("--per-label", type=click.IntRange(min=1), help="Train on at most this many sentences of each label (a quick slice).")
@click.option("-C", "c", type=click.FloatRange(min=0.001), default=8.0, show_default=True,
              help="Inverse regularisation strength of the logistic regression.")
def train_command(corpus: Path | None, output: Path | None, seed: int, holdout: float, per_label: int | None, c: float) -> None:
    """Train the event classifier on the corpus, deterministically, and print per-type
    precision and recall on its held-out part.

    \b
    Example:
      khaldun train                                  # rebuild the shipped model
      khaldun train --per-label 40 -o /tmp/model     # a quick model on a slice
    """
    from khaldun.api import train_classifier

    status = Console(stderr=True).status("training the event classifier") if sys.stderr.isatty() else nullcontext()
    try:
        with status:
            weights, evaluation, written = train_classifier(corpus, output, seed=seed, holdout=holdout, per_label=per_label, c=c)
    except KhaldunError as exc:
        raise fail_on(exc) from None
    card = weights.card
    click.echo(f"corpus      {card['sentences']} sentences ({', '.join(f'{k} {v}' for k, v in card['languages'].items())}), "
               f"held out {card['held_out_sentences']}")
    click.echo(f"{'label':38} {'support':>7} {'precision':>9} {'recall':>7}")
    for score in evaluation.per_label:
        click.echo(f"{score.label:38} {score.support:>7} {score.precision:>9.3f} {score.recall:>7.3f}")
    click.echo(f"accuracy    {evaluation.accuracy:.3f} (always the commonest label: {evaluation.baseline_accuracy:.3f})")
    click.echo(f"macro F1    {evaluation.macro_f1:.3f}")
    click.echo(f"events      precision {evaluation.event_precision:.3f} recall {evaluation.event_recall:.3f}")
    click.echo(f"model       {written}")
