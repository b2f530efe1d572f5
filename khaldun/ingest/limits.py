"""What one report may be, so that a single hostile input cannot take a whole run down.

A report longer than :func:`max_report_chars` characters (``KHALDUN_MAX_CHARS``, default
1,000,000) is refused with ``E110`` before it is parsed; files and JSON lines are measured
in bytes first (:func:`byte_budget`), so a 50 MB line is never held whole. A publication
date before 1900 or after today is refused with ``E112``: it is a typo or a wrong field,
and every relative date of the report ("hier", "last week") would be resolved against it.
"""

from __future__ import annotations

import datetime as dt
import os

from khaldun.errors import KhaldunError, error

DEFAULT_MAX_CHARS = 1_000_000
"""The default largest report, in characters: spaCy's own default ``max_length``."""

MAX_CHARS_VARIABLE = "KHALDUN_MAX_CHARS"
BYTES_PER_CHAR = 8
"""A file or JSON line may take this many bytes per allowed character (JSON's ``\\u00e9``
escapes take 6, HTML markup a few) before it is refused unread."""

EARLIEST_PUBLICATION = dt.date(1900, 1, 1)
FUTURE_GRACE = dt.timedelta(days=1)
"""A report dated tomorrow is accepted: somewhere east of here it already is tomorrow."""


def max_report_chars() -> int:
    """The largest report allowed, in characters: ``KHALDUN_MAX_CHARS`` or the default. E115 if invalid."""
    raw = os.environ.get(MAX_CHARS_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_MAX_CHARS
    try:
        value = int(raw.replace("_", ""))
    except ValueError:
        raise error("E115", variable=MAX_CHARS_VARIABLE, value=raw, reason="not a whole number") from None
    if value < 1:
        raise error("E115", variable=MAX_CHARS_VARIABLE, value=raw, reason="must be at least 1")
    return value


def byte_budget(max_chars: int) -> int:
    """Bytes a file or a JSON line may hold for a report of at most ``max_chars`` characters."""
    return BYTES_PER_CHAR * max_chars + 65536


def check_length(text: str, origin: str, max_chars: int) -> None:
    """E110 if ``text`` is longer than ``max_chars`` characters."""
    if len(text) > max_chars:
        raise error("E110", origin=origin, size=f"{len(text):,} characters", limit=f"{max_chars:,}")


def too_large(origin: str, size: str, max_chars: int) -> KhaldunError:
    """The E110 for an input refused on its raw size (``size`` says it: "more than 8,065,536 bytes")."""
    return error("E110", origin=origin, size=size, limit=f"{max_chars:,}")


def check_publication_date(date: dt.date, origin: str, today: dt.date | None = None) -> dt.date:
    """``date`` if it can be a news report's publication date, else E112."""
    today = today or dt.date.today()
    if date < EARLIEST_PUBLICATION or date > today + FUTURE_GRACE:
        raise error("E112", origin=origin, value=date.isoformat(), earliest=EARLIEST_PUBLICATION.year,
                    today=today.isoformat())
    return date
