"""The classifier's training corpus: labelled sentences the project wrote itself.

One JSON object a line (``text``, ``label``, ``lang``, ``region``, ``style``, ``kind``) in
``khaldun/data/corpus/<lang>/*.jsonl``; ``label`` is an ACLED sub-event type or ``None``
for a sentence that reports no event. The held-out part is chosen by a hash of the text
and the seed, so the split never depends on file order or on Python's salted ``hash``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from khaldun.errors import error
from khaldun.resources import data_path, load_yaml

NO_EVENT = "None"
"""The label of a sentence that reports no concrete event."""

REQUIRED_FIELDS = ("text", "label", "lang")


@dataclass(frozen=True)
class Example:
    """One labelled sentence of the corpus."""

    text: str
    label: str
    lang: str
    region: str = ""
    style: str = ""
    kind: str | None = None


def labels() -> list[str]:
    """Every label the classifier knows: the 25 sub-event types, then ``None``."""
    taxonomy = load_yaml("taxonomy.yaml")
    return [sub for spec in taxonomy["event_types"].values() for sub in spec["sub_event_types"]] + [NO_EVENT]


def default_corpus() -> Path:
    """The corpus shipped in the package."""
    return Path(str(data_path("corpus")))


def corpus_files(root: Path) -> list[Path]:
    """The corpus's JSON Lines files, in a fixed order."""
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise error("E108", origin=str(root))
    return sorted(root.rglob("*.jsonl"))


def read_corpus(root: Path | None = None) -> list[Example]:
    """All examples under ``root`` (the shipped corpus by default); a bad line is a coded error."""
    known = set(labels())
    examples: list[Example] = []
    seen: set[tuple[str, str]] = set()
    for path in corpus_files(root or default_corpus()):
        for example in _read_file(path, known):
            key = (example.lang, example.text)
            if key not in seen:
                seen.add(key)
                examples.append(example)
    return examples


def _read_file(path: Path, known: set[str]) -> Iterator[Example]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            origin = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise error("E411", origin=origin, reason=f"invalid JSON: {exc.msg}") from None
            if not isinstance(record, dict) or any(not isinstance(record.get(k), str) or not record[k].strip()
                                                   for k in REQUIRED_FIELDS):
                raise error("E411", origin=origin, reason="needs non-empty text, label and lang")
            if record["label"] not in known:
                raise error("E411", origin=origin, reason=f"unknown label {record['label']!r}")
            yield Example(text=" ".join(record["text"].split()), label=record["label"], lang=record["lang"],
                          region=record.get("region") or "", style=record.get("style") or "", kind=record.get("kind"))


def held_out(example: Example, seed: int, fraction: float) -> bool:
    """Whether ``example`` belongs to the held-out part: stable across runs and machines."""
    digest = hashlib.sha256(f"{seed}\x00{example.lang}\x00{example.text}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < fraction


def split(examples: Iterable[Example], seed: int, fraction: float) -> tuple[list[Example], list[Example]]:
    """(training, held-out) parts of the corpus."""
    train, test = [], []
    for example in examples:
        (test if held_out(example, seed, fraction) else train).append(example)
    return train, test


def sample(examples: Iterable[Example], per_label: int, seed: int) -> list[Example]:
    """At most ``per_label`` sentences of each label, chosen by hash: a small, stable slice."""
    ranked = sorted(examples, key=lambda e: hashlib.sha256(f"{seed}\x01{e.lang}\x00{e.text}".encode()).digest())
    kept: list[Example] = []
    counts: dict[str, int] = {}
    for example in ranked:
        if counts.get(example.label, 0) < per_label:
            counts[example.label] = counts.get(example.label, 0) + 1
            kept.append(example)
    return kept
