"""Read reports from files and directories.

Formats are chosen by extension: ``.jsonl``/``.ndjson`` (one report a line, optionally
gzipped), ``.html``/``.htm`` (main text and publication date from the page), anything
else is plain text. Plain text takes its date from ``--date`` or from a sidecar
``meta.json``/``<stem>.json`` holding ``publication_date``.

Reading streams, so memory stays flat whatever the corpus size: directories are walked
lazily (in sorted order), and JSON Lines files are read a line at a time. A JSON Lines
file is checked whole first (empty, binary, bad UTF-8 or gzip: one error for the file,
no records), then read again to yield its records: two cheap passes instead of holding
the file in memory, and the same records and errors as reading it whole.
"""

from __future__ import annotations

import datetime as dt
import codecs
import gzip
import io
import json
import zlib
import os
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from khaldun.errors import KhaldunError, error
from khaldun.schema import Report

JSONL_SUFFIXES = {".jsonl", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SKIPPED_NAMES = {"meta.json"}
CHUNK_BYTES = 1 << 20
SNIFF_BYTES = 8192  # a NUL byte in the first 8 KiB marks a binary file
GZIP_ERRORS = (OSError, EOFError, zlib.error)


@dataclass(frozen=True, kw_only=True)
class ReadOptions:
    """What the user said about plain-text inputs (``--date``, ``--lang``, ``--source``)."""

    publication_date: dt.date | None = None
    language: str | None = None
    source: str | None = None


def parse_date(value: object, origin: str) -> dt.date:
    """A strict ``YYYY-MM-DD`` (a full ISO timestamp is cut to its date)."""
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10]) if len(text) >= 10 else dt.date.fromisoformat(text)
    except ValueError:
        raise error("E107", origin=origin, value=text) from None


def read_paths(paths: list[str | Path], options: ReadOptions = ReadOptions()) -> Iterator[Report | KhaldunError]:
    """Yield every report found under ``paths``, in a stable order, or an error per bad input."""
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            yield error("E108", origin=str(raw))
        elif path.is_dir():
            for file in walk_reports(path):
                yield from _read_file(file, options)
        else:
            yield from _read_file(path, options)


def walk_reports(root: Path) -> Iterator[Path]:
    """Report files under ``root``, recursively, in sorted path order, listed one directory at a time.

    Visiting each directory's entries sorted by name gives the same order as sorting every
    path (paths compare part by part) without listing the whole tree first. Like
    ``Path.rglob``, symlinked directories are not entered and unreadable ones are skipped.
    """
    try:
        with os.scandir(root) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except PermissionError:
        return
    for entry in entries:
        path = root / entry.name
        if entry.is_dir() and not entry.is_symlink():
            yield from walk_reports(path)
        elif path.is_file() and _is_report_file(path):
            yield path


def _is_report_file(path: Path) -> bool:
    if path.name in SKIPPED_NAMES or path.name.startswith("."):
        return False
    if path.suffix == ".json" and any(path.with_suffix(s).exists() for s in (".txt", ".html", ".htm")):
        return False  # sidecar metadata of a report
    return True


def _suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def _read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise error("E101", origin=str(path), reason=exc.strerror or str(exc)) from None
    if path.suffix.lower() == ".gz":
        try:
            data = gzip.decompress(data)
        except GZIP_ERRORS as exc:
            raise error("E101", origin=str(path), reason=f"bad gzip data ({exc})") from None
    return data


def _decode(data: bytes, origin: str) -> str:
    if not data.strip():
        raise error("E102", origin=origin)
    if b"\x00" in data[:8192]:
        raise error("E103", origin=origin)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise error("E103", origin=origin) from None


def _read_file(path: Path, options: ReadOptions) -> Iterator[Report | KhaldunError]:
    if _suffix(path) in JSONL_SUFFIXES:
        yield from _stream_jsonl_file(path, options)
        return
    try:
        text = _decode(_read_bytes(path), str(path))
    except KhaldunError as exc:
        yield exc
        return
    kind = _suffix(path)
    try:
        if kind in HTML_SUFFIXES:
            yield read_html_report(text, path, options)
        else:
            yield read_text_report(text, path, options)
    except KhaldunError as exc:
        yield exc


@contextmanager
def _open_bytes(path: Path) -> Iterator[IO[bytes]]:
    """The file's bytes as a stream, gunzipped on the fly for ``.gz``."""
    with open(path, "rb") as raw:
        if path.suffix.lower() == ".gz":
            with gzip.GzipFile(fileobj=raw) as unzipped:
                yield unzipped
        else:
            yield raw


def _check_stream(path: Path) -> None:
    """Raise the error reading the whole file would give (E101, E102, E103), holding one chunk at a time."""
    origin = str(path)
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    blank, binary, undecodable, head = True, False, False, 0
    try:
        with _open_bytes(path) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                if head < SNIFF_BYTES:
                    binary = binary or b"\x00" in chunk[:SNIFF_BYTES - head]
                    head += len(chunk)
                blank = blank and not chunk.strip()
                if not undecodable:
                    try:
                        decoder.decode(chunk)
                    except UnicodeDecodeError:
                        undecodable = True
    except OSError as exc:
        if path.suffix.lower() == ".gz" and (isinstance(exc, gzip.BadGzipFile) or not exc.strerror):
            raise error("E101", origin=origin, reason=f"bad gzip data ({exc})") from None
        raise error("E101", origin=origin, reason=exc.strerror or str(exc)) from None
    except (EOFError, zlib.error) as exc:
        raise error("E101", origin=origin, reason=f"bad gzip data ({exc})") from None
    if not undecodable:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            undecodable = True
    if blank:
        raise error("E102", origin=origin)
    if binary or undecodable:
        raise error("E103", origin=origin)


def _stream_jsonl_file(path: Path, options: ReadOptions) -> Iterator[Report | KhaldunError]:
    try:
        _check_stream(path)
    except KhaldunError as exc:
        yield exc
        return
    try:
        with _open_bytes(path) as stream:
            text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
            yield from read_jsonl_lines(text, str(path), options)
    except (UnicodeDecodeError, *GZIP_ERRORS) as exc:
        yield error("E101", origin=str(path), reason=f"changed while being read ({exc})")


def read_jsonl(text: str, origin: str, options: ReadOptions = ReadOptions()) -> Iterator[Report | KhaldunError]:
    """One report a line: ``{"id", "text", "publication_date", "language"?, "url"?, "source"?}``."""
    yield from read_jsonl_lines(text.splitlines(), origin, options)


def read_jsonl_lines(lines: Iterable[str], origin: str, options: ReadOptions = ReadOptions()) -> Iterator[Report | KhaldunError]:
    """Reports from a stream of JSON lines (an open text file, or ``str.splitlines()``).

    Line numbers count line breaks as ``str.splitlines`` does (a U+2028 inside a line
    counts as one), so a streamed file and the same file read whole number alike.
    """
    number = 0
    for physical in lines:
        for line in physical.splitlines() or [""]:
            number += 1
            if not line.strip():
                continue
            where = f"{origin}:{number}"
            try:
                yield _jsonl_record(line, where, options)
            except KhaldunError as exc:
                yield exc


def _jsonl_record(line: str, where: str, options: ReadOptions) -> Report:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise error("E104", origin=where, reason=exc.msg) from None
    return record_report(data, where, options)


def record_report(data: Any, where: str, options: ReadOptions = ReadOptions()) -> Report:
    """A report from one decoded record (a JSON line, a Parquet row); E105 if it is not one."""
    if not isinstance(data, dict):
        raise error("E105", origin=where, reason="a line must be a JSON object")
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise error("E102", origin=where)
    raw_date = data.get("publication_date") or options.publication_date
    if not raw_date:
        raise error("E106", origin=where)
    record_id = data.get("id")
    if record_id is None or str(record_id).strip() == "":
        raise error("E105", origin=where, reason="missing 'id'")
    try:
        return Report(
            id=str(record_id),
            text=text,
            publication_date=parse_date(raw_date, where) if not isinstance(raw_date, dt.date) else raw_date,
            language=data.get("language") or options.language,
            url=data.get("url"),
            source=data.get("source") or options.source,
            source_scale=data.get("source_scale"),
            origin=where,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        raise error("E105", origin=where, reason=f"{'.'.join(map(str, first['loc']))}: {first['msg']}") from None


def _sidecar(path: Path) -> dict[str, object]:
    for candidate in (path.with_suffix(".json"), path.parent / "meta.json"):
        if candidate.is_file() and candidate != path:
            try:
                data = json.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as exc:
                raise error("E104", origin=str(candidate), reason=str(exc)) from None
            if isinstance(data, dict):
                return data
    return {}


def read_text_report(text: str, path: Path, options: ReadOptions = ReadOptions()) -> Report:
    """A plain-text report; its date comes from the options or a sidecar metadata file."""
    if not text.strip():
        raise error("E102", origin=str(path))
    meta = _sidecar(path)
    raw_date = options.publication_date or meta.get("publication_date")
    if not raw_date:
        raise error("E106", origin=str(path))
    date = raw_date if isinstance(raw_date, dt.date) else parse_date(raw_date, str(path))
    return Report(
        id=str(meta.get("id") or path.stem),
        text=text,
        publication_date=date,
        language=options.language or _str_or_none(meta.get("language")),
        url=_str_or_none(meta.get("url")),
        source=options.source or _str_or_none(meta.get("source")),
        source_scale=_str_or_none(meta.get("source_scale")),
        origin=str(path),
    )


def read_html_report(html: str, path: Path, options: ReadOptions = ReadOptions()) -> Report:
    """Main text and metadata of a web page, through trafilatura (and htmldate for the date)."""
    import trafilatura

    document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False)
    body = getattr(document, "text", None) if document is not None else None
    if not body or not body.strip():
        raise error("E109", origin=str(path))
    page_date = getattr(document, "date", None)
    raw_date = options.publication_date or page_date or _sidecar(path).get("publication_date")
    if not raw_date:
        raise error("E106", origin=str(path))
    date = raw_date if isinstance(raw_date, dt.date) else parse_date(raw_date, str(path))
    return Report(
        id=path.stem,
        text=body,
        publication_date=date,
        language=options.language or getattr(document, "language", None),
        url=getattr(document, "url", None),
        source=options.source or getattr(document, "sitename", None),
        origin=str(path),
    )


def _str_or_none(value: object) -> str | None:
    return None if value is None else str(value)
