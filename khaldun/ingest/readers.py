"""Read reports from files and directories.

Formats are chosen by extension: ``.jsonl``/``.ndjson`` (one report a line, optionally
gzipped), ``.json`` (one report object, or an array of them), ``.html``/``.htm`` (main
text and publication date from the page), anything else is plain text. Plain text takes
its date from ``--date`` or from a sidecar ``meta.json``/``<stem>.json`` holding
``publication_date``.

A directory is walked for report files only: ``.txt``, ``.text``, ``.html``, ``.htm``,
``.xhtml``, ``.json``, ``.jsonl``, ``.ndjson``, each optionally ``.gz``, and not a
folder's documentation (``README``, ``LICENSE``... whatever their extension). Other files
are skipped and passed to ``ReadOptions.on_skip``, so a command can name them; hidden
files and directories (``.git``), ``meta.json`` and sidecars are skipped silently. A file
named on its own is always read.

Hostile input is refused one input at a time, with a coded error naming it (see
docs/bad-input.md): a report over the size limit (``E110``, checked on the bytes before
anything is decoded, so a 50 MB line is never held whole), an implausible publication date
(``E112``), an id already read in this run (``E113``), an unreadable file or directory
(``E101``); the other inputs are still read.

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
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from khaldun.errors import KhaldunError, error
from khaldun.ingest.limits import byte_budget, check_length, check_publication_date, max_report_chars, too_large
from khaldun.schema import Report

JSONL_SUFFIXES = {".jsonl", ".ndjson"}
JSON_SUFFIX = ".json"
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_KINDS = {str: "a string", int: "a number", float: "a number", bool: "a boolean", type(None): "null"}
SKIPPED_NAMES = {"meta.json"}
REPORT_SUFFIXES = {".txt", ".text", JSON_SUFFIX, *JSONL_SUFFIXES, *HTML_SUFFIXES}
"""What a directory walk reads (each also gzipped): anything else in a folder is not taken for a report."""
DOCUMENTATION_NAMES = {"readme", "license", "licence", "copying", "notice", "changelog", "changes", "authors",
                       "contributing"}
"""Names (before the first dot, any case) of a folder's documentation, never a report: ``README.txt``, ``LICENSE``."""
CHUNK_BYTES = 1 << 20
SNIFF_BYTES = 8192  # a NUL byte in the first 8 KiB marks a binary file
GZIP_ERRORS = (OSError, EOFError, zlib.error)


@dataclass(frozen=True, kw_only=True)
class ReadOptions:
    """What the user said about plain-text inputs (``--date``, ``--lang``, ``--source``)."""

    publication_date: dt.date | None = None
    language: str | None = None
    source: str | None = None
    max_chars: int | None = None  # the largest report in characters; None: KHALDUN_MAX_CHARS or 1,000,000
    on_skip: Callable[[Path], None] | None = field(default=None, compare=False)
    """Called with each file a directory walk leaves out (not a report file): the command names them."""


def parse_date(value: object, origin: str) -> dt.date:
    """A strict ``YYYY-MM-DD`` (a full ISO timestamp is cut to its date)."""
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10]) if len(text) >= 10 else dt.date.fromisoformat(text)
    except ValueError:
        raise error("E107", origin=origin, value=text) from None


def publication_date(value: object, origin: str) -> dt.date:
    """A report's publication date: a strict ``YYYY-MM-DD`` (E107) that is plausible (E112)."""
    date = value if isinstance(value, dt.date) else parse_date(value, origin)
    return check_publication_date(date, origin)


def _max_chars(options: ReadOptions) -> int:
    return options.max_chars if options.max_chars is not None else max_report_chars()


def read_paths(paths: list[str | Path], options: ReadOptions = ReadOptions()) -> Iterator[Report | KhaldunError]:
    """Yield every report found under ``paths``, in a stable order, or an error per bad input.

    A report whose id was already read in this run is an error (E113) and is skipped: two
    reports with one id would give events that cannot be told apart, and a resumed run
    would take the second for done.
    """
    try:
        options = replace(options, max_chars=_max_chars(options))
    except KhaldunError as exc:
        yield exc
        return
    seen: set[str] = set()
    for item in _read_paths(paths, options):
        if isinstance(item, Report):
            if item.id in seen:
                item = error("E113", origin=item.origin or item.id, report_id=item.id)
            else:
                seen.add(item.id)
        yield item


def _read_paths(paths: list[str | Path], options: ReadOptions) -> Iterator[Report | KhaldunError]:
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            yield error("E108", origin=str(raw))
        elif path.is_dir():
            for file in _walk(path, options.on_skip):
                yield from _read_file(file, options) if isinstance(file, Path) else [file]
        else:
            yield from _read_file(path, options)


def walk_reports(root: Path) -> Iterator[Path]:
    """Report files under ``root``, recursively, in sorted path order, listed one directory at a time.

    Visiting each directory's entries sorted by name gives the same order as sorting every
    path (paths compare part by part) without listing the whole tree first. Like
    ``Path.rglob``, symlinked directories are not entered and unreadable ones are skipped
    (:func:`read_paths` reports them).
    """
    return (path for path in _walk(root) if isinstance(path, Path))


def _walk(root: Path, on_skip: Callable[[Path], None] | None = None) -> Iterator[Path | KhaldunError]:
    """:func:`walk_reports`, with an E101 in place of each directory that cannot be listed."""
    try:
        with os.scandir(root) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        yield error("E101", origin=str(root), reason=exc.strerror or str(exc))
        return
    for entry in entries:
        path = root / entry.name
        if entry.name.startswith("."):
            continue  # hidden: a tool's files (.git, .DS_Store), never a report
        if entry.is_dir() and not entry.is_symlink():
            yield from _walk(path, on_skip)
        elif path.is_file() and not _is_metadata(path):
            if is_report_file(path):
                yield path
            elif on_skip is not None:
                on_skip(path)


def is_report_file(path: Path) -> bool:
    """Whether a directory walk reads this file: a report extension (optionally .gz), not documentation."""
    return _suffix(path) in REPORT_SUFFIXES and path.name.split(".")[0].casefold() not in DOCUMENTATION_NAMES


def _is_metadata(path: Path) -> bool:
    """``meta.json`` and ``<stem>.json`` beside ``<stem>.txt``/``.html``: the publication date of plain reports."""
    if path.name in SKIPPED_NAMES:
        return True
    return path.suffix == ".json" and any(path.with_suffix(s).exists() for s in (".txt", ".html", ".htm"))


def _suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def _read_bytes(path: Path, budget: int, max_chars: int) -> bytes:
    """The file's bytes (gunzipped for ``.gz``); E110 without reading further once past ``budget``."""
    try:
        if path.stat().st_size > budget and path.suffix.lower() != ".gz":
            raise too_large(str(path), f"more than {budget:,} bytes", max_chars)
        data = path.read_bytes()
    except OSError as exc:
        raise error("E101", origin=str(path), reason=exc.strerror or str(exc)) from None
    if path.suffix.lower() == ".gz":
        try:
            inflate = zlib.decompressobj(wbits=31)
            data = inflate.decompress(data, budget + 1)
        except GZIP_ERRORS as exc:
            raise error("E101", origin=str(path), reason=f"bad gzip data ({exc})") from None
        if len(data) > budget:
            raise too_large(str(path), f"more than {budget:,} bytes", max_chars)
    elif len(data) > budget:
        raise too_large(str(path), f"more than {budget:,} bytes", max_chars)
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
    max_chars = _max_chars(options)
    try:
        text = _decode(_read_bytes(path, byte_budget(max_chars), max_chars), str(path))
    except KhaldunError as exc:
        yield exc
        return
    kind = _suffix(path)
    if kind == JSON_SUFFIX:
        yield from read_json_reports(text, path, options)
        return
    try:
        if kind in HTML_SUFFIXES:
            yield read_html_report(text, path, options)
        else:
            yield read_text_report(text, path, options)
    except KhaldunError as exc:
        yield exc


def read_json_reports(text: str, path: Path, options: ReadOptions = ReadOptions()) -> Iterator[Report | KhaldunError]:
    """A ``.json`` file: one report object (its id defaults to the file name), or an array of
    report objects, each read like a JSON line and named ``file.json[N]`` (N from 1) in errors."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield error("E104", origin=str(path), reason=f"{exc.msg} (line {exc.lineno})")
        return
    if isinstance(data, dict):
        try:
            yield record_report({"id": path.stem, **data}, str(path), options)
        except KhaldunError as exc:
            yield exc
    elif isinstance(data, list):
        if not data:
            yield error("E102", origin=str(path))
        for number, record in enumerate(data, 1):
            try:
                yield record_report(record, f"{path}[{number}]", options)
            except KhaldunError as exc:
                yield exc
    else:
        yield error("E111", origin=str(path), found=JSON_KINDS.get(type(data), "that"))


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
            yield from read_jsonl_lines(bounded_lines(text, byte_budget(_max_chars(options))), str(path), options)
    except (UnicodeDecodeError, *GZIP_ERRORS) as exc:
        yield error("E101", origin=str(path), reason=f"changed while being read ({exc})")


@dataclass(frozen=True)
class LongLine:
    """A line longer than the reader's budget, skipped without being held: only its length is kept."""

    length: int


def bounded_lines(stream: IO[str], budget: int) -> Iterator[str | LongLine]:
    """The stream's lines, but a line of more than ``budget`` characters as a :class:`LongLine`,
    read a budget's worth at a time and dropped, so memory stays bounded whatever the line."""
    while line := stream.readline(budget + 1):
        if len(line) <= budget or line.endswith(("\n", "\r")):
            yield line
            continue
        length = len(line)
        while (rest := stream.readline(budget + 1)) and not rest.endswith(("\n", "\r")):
            length += len(rest)
        yield LongLine(length + len(rest))


def read_jsonl(text: str, origin: str, options: ReadOptions = ReadOptions()) -> Iterator[Report | KhaldunError]:
    """One report a line: ``{"id", "text", "publication_date", "language"?, "url"?, "source"?}``."""
    yield from read_jsonl_lines(text.splitlines(), origin, options)


def read_jsonl_lines(lines: Iterable[str | LongLine], origin: str,
                     options: ReadOptions = ReadOptions()) -> Iterator[Report | KhaldunError]:
    """Reports from a stream of JSON lines (an open text file, or ``str.splitlines()``).

    Line numbers count line breaks as ``str.splitlines`` does (a U+2028 inside a line
    counts as one), so a streamed file and the same file read whole number alike. A
    :class:`LongLine` (from :func:`bounded_lines`) is one E110.
    """
    number = 0
    max_chars = _max_chars(options)
    for physical in lines:
        if isinstance(physical, LongLine):
            number += 1
            yield too_large(f"{origin}:{number}", f"a line of {physical.length:,} characters", max_chars)
            continue
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
    check_length(text, where, _max_chars(options))
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
            publication_date=publication_date(raw_date, where),
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
    check_length(text, str(path), _max_chars(options))
    meta = _sidecar(path)
    raw_date = options.publication_date or meta.get("publication_date")
    if not raw_date:
        raise error("E106", origin=str(path))
    date = publication_date(raw_date, str(path))
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

    try:
        document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False)
    except Exception as exc:  # noqa: BLE001 - lxml and trafilatura raise many kinds on broken pages
        raise error("E114", origin=str(path), reason=f"{type(exc).__name__}: {exc}".splitlines()[0]) from None
    body = getattr(document, "text", None) if document is not None else None
    if not body or not body.strip():
        raise error("E109", origin=str(path))
    check_length(body, str(path), _max_chars(options))
    page_date = getattr(document, "date", None)
    raw_date = options.publication_date or page_date or _sidecar(path).get("publication_date")
    if not raw_date:
        raise error("E106", origin=str(path))
    date = publication_date(raw_date, str(path))
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
