"""Gold documents (hand-coded events) and system events, read from JSON Lines."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from khaldun.errors import error


class GoldRecord(BaseModel):
    """Lenient where the reference scorer is: extra keys ignored, numeric ids read as strings."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)


class GoldPlace(GoldRecord):
    """Where a gold event happened: names that count as right, and a point with a tolerance."""

    names: list[str] = Field(default_factory=list)
    lat: float | None = None
    lon: float | None = None
    radius_km: float = 10.0  # a matched event closer than this has the right location


class GoldEvent(GoldRecord):
    """One hand-coded event, with every acceptable answer for each field."""

    id: str
    required: bool = True  # optional events may be matched (no precision penalty) but are not missed
    types: list[tuple[str, str]]  # acceptable (event_type, sub_event_type); the first is preferred
    date: tuple[dt.date, dt.date]  # inclusive window of acceptable event dates
    actors: dict[str, list[str]] = Field(default_factory=dict)  # "actor1" / "actor2" -> aliases
    location: GoldPlace = Field(default_factory=GoldPlace)
    fatalities: tuple[float, float] | None = None  # acceptable [min, max]

    @field_validator("actors", mode="before")
    @classmethod
    def _no_null_roles(cls, value: Any) -> Any:
        """``"actor2": null`` means no actor to check, as ``[]`` does."""
        if isinstance(value, dict):
            return {role: aliases or [] for role, aliases in value.items()}
        return {} if value is None else value

    @field_validator("location", mode="before")
    @classmethod
    def _no_null_location(cls, value: Any) -> Any:
        return {} if value is None else value


class GoldDocument(GoldRecord):
    doc_id: str
    publication_date: dt.date | None = None
    events: list[GoldEvent] = Field(default_factory=list)


def _json_lines(path: Path) -> Iterator[tuple[str, Any]]:
    try:
        with open(path, encoding="utf-8-sig") as lines:
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    where = f"{path}:{number}"
                    try:
                        yield where, json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise error("E104", origin=where, reason=exc.msg) from None
    except OSError as exc:
        raise error("E101", origin=str(path), reason=exc.strerror or str(exc)) from None


def read_gold(path: Path) -> list[GoldDocument]:
    """Gold documents, one a line; E104/E105 name the bad line."""
    documents = []
    for where, data in _json_lines(path):
        try:
            documents.append(GoldDocument.model_validate(data))
        except ValidationError as exc:
            first = exc.errors()[0]
            raise error("E105", origin=where, reason=f"{'.'.join(map(str, first['loc']))}: {first['msg']}") from None
    return documents


def read_system_events(path: Path) -> list[dict[str, Any]]:
    """Events as ``khaldun extract`` writes them (ACLED columns plus ``doc_id``), one a line."""
    events = []
    for where, data in _json_lines(path):
        if not isinstance(data, dict):
            raise error("E105", origin=where, reason="a line must be a JSON object")
        events.append(data)
    return events
