"""Parquet export for analysis (pandas, polars, DuckDB, R arrow), through pyarrow.

Columns are typed (dates as ``date32``, coordinates as ``float64``, counts as ``int64``
with nulls), in ACLED's order, then khaldun's, then any extra fields of the records
(stored events add low / best / high fatalities, sources and review status). Evidence and
sources stay nested (lists of structs) instead of JSON strings, so they can be queried.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from khaldun.export.geojson import event_properties
from khaldun.schema import Event

EVIDENCE = pa.list_(pa.struct([("field", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
                               ("text", pa.string())]))
SOURCES = pa.list_(pa.struct([
    ("document_id", pa.string()), ("position", pa.int64()), ("outlet", pa.string()), ("event_date", pa.date32()),
    ("sub_event_type", pa.string()), ("location", pa.string()), ("fatalities", pa.int64()),
    ("claimed_by", pa.string()), ("reasons", pa.list_(pa.string())),
]))
TYPES: dict[str, pa.DataType] = {
    "event_date": pa.date32(), "year": pa.int64(), "time_precision": pa.int64(), "inter1": pa.int64(),
    "inter2": pa.int64(), "interaction": pa.int64(), "iso": pa.int64(), "latitude": pa.float64(),
    "longitude": pa.float64(), "geo_precision": pa.int64(), "fatalities": pa.int64(), "timestamp": pa.int64(),
    "evidence": EVIDENCE, "confidence": pa.float64(), "background": pa.bool_(), "fatalities_known": pa.bool_(),
    "fatalities_low": pa.int64(), "fatalities_best": pa.int64(), "fatalities_high": pa.int64(),
    "source_count": pa.int64(), "sources": SOURCES, "merge_notes": pa.list_(pa.string()),
}
"""Arrow types of the non-string fields; every other field is a string."""


def write_parquet(events: Iterable[Event], out: str | Path | IO[bytes], *, record: type[Event] = Event) -> int:
    """Write the events as one Parquet table; returns how many were written.

    ``record`` gives the columns when there are no events, so an empty export still has
    the schema analysts' code expects.
    """
    rows = [event_properties(event) for event in events]
    empty = record(event_date=dt.date(1970, 1, 1), year=1970, event_type="", sub_event_type="")
    names = list(rows[0]) if rows else list(event_properties(empty))
    schema = pa.schema([(name, TYPES.get(name, pa.string())) for name in names])
    table = pa.Table.from_pylist([_typed(row) for row in rows], schema=schema)
    pq.write_table(table, out)
    return len(rows)


def _typed(row: dict[str, Any]) -> dict[str, Any]:
    """JSON-ready rows carry ISO date strings; date32 columns need date objects."""
    fixed = dict(row)
    if isinstance(fixed.get("event_date"), str):
        fixed["event_date"] = dt.date.fromisoformat(fixed["event_date"])
    for source in fixed.get("sources") or []:
        if isinstance(source.get("event_date"), str):
            source["event_date"] = dt.date.fromisoformat(source["event_date"])
    return fixed

