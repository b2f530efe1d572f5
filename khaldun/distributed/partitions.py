"""Partitions: plan them from input URLs, and process one (on whichever machine runs the task)."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from typing import IO, Any, Literal

import fsspec

from khaldun.errors import KhaldunError, error
from khaldun.export import write_jsonl
from khaldun.ingest import ReadOptions, read_paths
from khaldun.ingest.readers import JSONL_SUFFIXES, read_jsonl_lines, record_report
from khaldun.pipeline import Pipeline
from khaldun.schema import DocumentResult, Event, Report

OutputFormat = Literal["jsonl", "parquet"]
OUTPUT_FORMATS: tuple[str, ...] = ("jsonl", "parquet")
MANIFEST = "_khaldun_manifest.json"
SUCCESS = "_SUCCESS"
PARQUET_BATCH_ROWS = 256
PARQUET_ROW_GROUP = 4096
"""Events per row group of a Parquet part: written as they come, so a task's memory stays flat."""


@dataclass(frozen=True)
class Partition:
    """One input file and the output part it becomes."""

    index: int
    input: str  # local path or fsspec URL
    kind: Literal["jsonl", "parquet"]
    output: str  # URL of the output part


@dataclass
class PartitionSummary:
    """What a task did: counts, and the coded one-line errors of its bad inputs."""

    index: int
    input: str
    output: str
    reports: int = 0
    events: int = 0
    errors: list[str] = field(default_factory=list)
    skipped: bool = False  # already written by an earlier run (resume)


def input_kind(name: str) -> Literal["jsonl", "parquet"] | None:
    """``jsonl`` or ``parquet`` from a file name's extension (``.gz`` aside), else None."""
    suffixes = [s.lower() for s in name.rsplit("/", 1)[-1].split(".")[1:]]
    if suffixes and suffixes[-1] == "gz":
        suffixes.pop()
    last = f".{suffixes[-1]}" if suffixes else ""
    if last in JSONL_SUFFIXES:
        return "jsonl"
    return "parquet" if last in {".parquet", ".pq"} else None


def plan_partitions(inputs: list[str], output_dir: str, *, output_format: OutputFormat = "jsonl",
                    storage_options: dict[str, Any] | None = None) -> list[Partition]:
    """Every input file, expanded from directories and globs, in sorted order, with its output part.

    Raises E108 for an input that does not exist and E803 when nothing is left to process.
    """
    found: list[tuple[str, Literal["jsonl", "parquet"]]] = []
    for url in inputs:
        fs, path = fsspec.core.url_to_fs(url, **(storage_options or {}))
        if any(c in path for c in "*?["):
            candidates = sorted(fs.glob(path))
        elif fs.isdir(path):
            candidates = sorted(fs.find(path))
        elif fs.exists(path):
            candidates = [path]
        else:
            raise error("E108", origin=url)
        for candidate in candidates:
            kind = input_kind(candidate)
            if kind is not None and not candidate.rsplit("/", 1)[-1].startswith((".", "_")):
                found.append((_same_form(url, fs, candidate), kind))
    if not found:
        raise error("E803", origin=", ".join(inputs))
    base = output_dir.rstrip("/")
    return [Partition(index=i, input=name, kind=kind, output=f"{base}/part-{i:05d}.{output_format}")
            for i, (name, kind) in enumerate(found)]


def _same_form(url: str, fs: Any, path: str) -> str:
    """A found path written as the user wrote the input: a plain path stays a plain path."""
    return path if "://" not in url else fs.unstrip_protocol(path)


@cache
def _worker_runner() -> tuple[Pipeline, threading.Lock]:
    """This process's pipeline, built on its first task and reused by the next ones.

    The lock serialises tasks of a worker running several threads: the pipeline is not
    meant to be shared between threads, and parsing holds the GIL anyway.
    """
    return Pipeline(), threading.Lock()


def process_partition(partition: Partition, options: ReadOptions = ReadOptions(), *,
                      storage_options: dict[str, Any] | None = None, pipeline: Pipeline | None = None) -> PartitionSummary:
    """Read one partition, extract its events and write its output part; runs on a worker.

    The part is written under a temporary name and renamed when complete on a local
    file system; object stores publish an object only when its upload completes.
    """
    summary = PartitionSummary(index=partition.index, input=partition.input, output=partition.output)
    if pipeline is None:
        pipeline, lock = _worker_runner()
    else:
        lock = threading.Lock()
    with lock:
        results = pipeline.pipe(_read_partition(partition, options, storage_options))
        events = _events(results, summary)
        fs, path = fsspec.core.url_to_fs(partition.output, **(storage_options or {}))
        fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
        local = "file" in fs.protocol
        target = f"{path}.tmp" if local else path
        with fs.open(target, "wb") as raw:
            summary.events = _write(events, raw, partition.output.rsplit(".", 1)[-1])
        if local:
            fs.mv(target, path)
    return summary


def _write(events: Iterator[Event], raw: IO[bytes], output_format: str) -> int:
    if output_format == "parquet":
        return _write_parquet(events, raw)
    text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    count = write_jsonl(events, text)
    text.flush()
    text.detach()
    return count


def _write_parquet(events: Iterator[Event], raw: IO[bytes]) -> int:
    """The events as ``khaldun.export.parquet`` types them, one row group at a time (not all in memory)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from khaldun.export.geojson import event_properties
    from khaldun.export.parquet import TYPES, _typed, write_parquet

    batch = list(islice(events, PARQUET_ROW_GROUP))
    if not batch:
        return write_parquet([], raw)  # the schema of an empty export
    schema = pa.schema([(name, TYPES.get(name, pa.string())) for name in event_properties(batch[0])])
    count = 0
    with pq.ParquetWriter(raw, schema) as writer:
        while batch:
            writer.write_table(pa.Table.from_pylist([_typed(event_properties(e)) for e in batch], schema=schema))
            count += len(batch)
            batch = list(islice(events, PARQUET_ROW_GROUP))
    return count


def _events(results: Iterator[DocumentResult | KhaldunError], summary: PartitionSummary) -> Iterator[Event]:
    for item in results:
        if isinstance(item, KhaldunError):
            summary.errors.append(str(item))
            continue
        summary.reports += 1
        if item.error:
            summary.errors.append(item.error)
        yield from item.events


def _read_partition(partition: Partition, options: ReadOptions,
                    storage_options: dict[str, Any] | None) -> Iterator[Report | KhaldunError]:
    """The partition's reports, streamed; a local JSON Lines file is read exactly as on one machine."""
    if partition.kind == "jsonl" and "://" not in partition.input:
        yield from read_paths([partition.input], options)
        return
    try:
        with fsspec.open(partition.input, "rb", compression="infer", **(storage_options or {})) as raw:
            if partition.kind == "parquet":
                yield from _parquet_reports(raw, partition.input, options)
            else:
                text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
                yield from read_jsonl_lines(text, partition.input, options)
    except UnicodeDecodeError:
        yield error("E103", origin=partition.input)
    except (OSError, EOFError) as exc:
        yield error("E101", origin=partition.input, reason=str(exc).splitlines()[0] if str(exc) else type(exc).__name__)


def _parquet_reports(raw: IO[bytes], origin: str, options: ReadOptions) -> Iterator[Report | KhaldunError]:
    """Rows of a Parquet file (columns as in JSON Lines records), a batch of rows at a time."""
    import pyarrow.parquet as pq

    number = 0
    for batch in pq.ParquetFile(raw).iter_batches(batch_size=PARQUET_BATCH_ROWS):
        for row in batch.to_pylist():
            number += 1
            try:
                fields = {k: _plain(v) for k, v in row.items() if v is not None}
                yield record_report(fields, f"{origin}:{number}", options)
            except KhaldunError as exc:
                yield exc


def _plain(value: object) -> object:
    """A timestamp column's value as its date, the way a JSON Lines date string is cut to its date."""
    return value.date() if isinstance(value, dt.datetime) else value


def write_manifest(partitions: list[Partition], output_dir: str, storage_options: dict[str, Any] | None = None) -> None:
    """Record which input became which part; a resumed run must see the same plan."""
    fs, path = fsspec.core.url_to_fs(output_dir, **(storage_options or {}))
    fs.makedirs(path, exist_ok=True)
    manifest = [{"part": p.output.rsplit("/", 1)[-1], "input": p.input} for p in partitions]
    existing = f"{path}/{MANIFEST}"
    if fs.exists(existing):
        with fs.open(existing, "r", encoding="utf-8") as old:
            if json.load(old) != manifest:
                raise error("E802", path=output_dir, reason="the input partitions changed since the earlier run; "
                                                         "use a new --output-dir")
        return
    with fs.open(existing, "w", encoding="utf-8") as out:
        json.dump(manifest, out, ensure_ascii=False, indent=1)


def mark_success(output_dir: str, storage_options: dict[str, Any] | None = None) -> None:
    """An empty ``_SUCCESS`` file, as Hadoop-style tools expect from a complete output directory."""
    fs, path = fsspec.core.url_to_fs(output_dir, **(storage_options or {}))
    fs.touch(f"{path}/{SUCCESS}")


def part_exists(partition: Partition, storage_options: dict[str, Any] | None = None) -> bool:
    fs, path = fsspec.core.url_to_fs(partition.output, **(storage_options or {}))
    return bool(fs.exists(path))
