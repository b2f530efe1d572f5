"""The Python API that the command line (and any other tool) is a thin shell over."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any
from pathlib import Path

from khaldun.errors import KhaldunError
from khaldun.ingest import ReadOptions, read_paths
from khaldun.ingest.readers import parse_date
from khaldun.pipeline import Pipeline
from khaldun.schema import DocumentResult, Event, Report

_default: Pipeline | None = None


def default_pipeline() -> Pipeline:
    """A process-wide pipeline, so models and data load once."""
    global _default
    if _default is None:
        _default = Pipeline()
    return _default


def extract(paths: Iterable[str | Path], options: ReadOptions = ReadOptions(),
            pipeline: Pipeline | None = None) -> Iterator[DocumentResult | KhaldunError]:
    """Read every report under ``paths`` and yield its result (or the reading error) in order."""
    yield from (pipeline or default_pipeline()).pipe(read_paths(list(paths), options))


def extract_text(text: str, publication_date: str | dt.date, *, language: str | None = None, source: str | None = None,
                 doc_id: str = "text", pipeline: Pipeline | None = None) -> list[Event]:
    """Events of one report given as a string. Raises :class:`KhaldunError` on bad input."""
    date = publication_date if isinstance(publication_date, dt.date) else parse_date(publication_date, doc_id)
    report = Report(id=doc_id, text=text, publication_date=date, language=language, source=source, origin=doc_id)
    result = (pipeline or default_pipeline()).process(report)
    if result.error:
        code, _, message = result.error.partition(": ")
        raise KhaldunError(code, message)
    return result.events


def train_classifier(corpus: Path | None = None, output: Path | None = None, *, seed: int = 13, holdout: float = 0.15,
                     per_label: int | None = None, c: float = 8.0) -> tuple[Any, Any, Path]:
    """Train the event classifier on ``corpus`` (the shipped one by default) and write it to
    ``output`` (the package's own model by default). Returns (weights, held-out evaluation, folder)."""
    from khaldun.classify.corpus import read_corpus, sample
    from khaldun.classify.train import train
    from khaldun.resources import data_path

    examples = read_corpus(corpus)
    if per_label is not None:
        examples = sample(examples, per_label, seed)
    weights, evaluation = train(examples, seed=seed, holdout=holdout, c=c)
    folder = output or Path(str(data_path("classifier")))
    weights.save(folder)
    return weights, evaluation, folder
