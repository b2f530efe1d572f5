"""Every row of docs/bad-input.md, through ``khaldun extract``: the bad input gets its coded line,
a good report in the same run still gives its events, and the exit code is 1."""

from __future__ import annotations

import gzip
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from khaldun.cli import cli

DOC = Path(__file__).resolve().parents[2] / "docs" / "bad-input.md"
GOOD = "Gunmen killed three soldiers at a checkpoint near Kidal on Tuesday, officials said."
SPANISH = ("Un atentado con coche bomba dejó al menos doce muertos el sábado en un mercado del centro de Bagdad, según "
           "fuentes policiales citadas por la prensa local.")


def record(**fields) -> str:
    return json.dumps({"text": GOOD, "publication_date": "2014-05-20", "language": "en", **fields}, ensure_ascii=False)


def jsonl(tmp: Path, *lines: str) -> Path:
    path = tmp / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def file(tmp: Path, name: str, content: str | bytes) -> Path:
    path = tmp / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def locked_file(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A file the process may not read (simulated: tests may run as root, who reads everything)."""
    path = file(tmp, "locked.txt", GOOD)
    real_read, real_access = Path.read_bytes, os.access
    monkeypatch.setattr(Path, "read_bytes", lambda self: (_ for _ in ()).throw(
        PermissionError(13, "Permission denied", str(self))) if self == path else real_read(self))
    monkeypatch.setattr(os, "access", lambda p, mode, *a, **k: False if Path(p) == path else real_access(p, mode, *a, **k))
    return path


def locked_dir(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp / "locked"
    path.mkdir()
    file(path, "inside.txt", GOOD)
    real = os.scandir
    monkeypatch.setattr(os, "scandir", lambda p: (_ for _ in ()).throw(
        PermissionError(13, "Permission denied", str(p))) if Path(p) == path else real(p))
    return path


def broken_html(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import trafilatura

    def refuse(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise ValueError("Document is empty")  # what lxml raises on some pages

    monkeypatch.setattr(trafilatura, "bare_extraction", refuse)
    return file(tmp, "page.html", "<html><body><p>" + GOOD + "</p></body></html>")


def failing_stage(tmp: Path, monkeypatch: pytest.MonkeyPatch, pipeline) -> Path:
    from khaldun.extract.claims import ClaimFinder

    real = ClaimFinder.__call__

    def call(self, doc, sentence):  # noqa: ANN001, ANN202
        if "poisoned" in doc.text:
            raise RuntimeError("a stage broke")
        return real(self, doc, sentence)

    monkeypatch.setattr(ClaimFinder, "__call__", call)
    return jsonl(tmp, record(id="bad", text="A poisoned report. " + GOOD))


CASES: list[tuple[str, Callable[..., Path], str, list[str]]] = [
    # (the table's input, how to make it in a folder (tmp, monkeypatch, pipeline), its code, extra arguments)
    ("a path that does not exist", lambda t, m, p: t / "nowhere.txt", "E108", []),
    ("an unreadable file (permission denied, I/O error)", lambda t, m, p: locked_file(t, m), "E101", []),
    ("a directory that cannot be listed", lambda t, m, p: locked_dir(t, m), "E101", []),
    ("an empty file, or a record with no text", lambda t, m, p: file(t, "empty.txt", ""), "E102", []),
    ("a binary or non-UTF-8 file", lambda t, m, p: file(t, "image.txt", b"\x89PNG\x00\x00" + bytes(range(256))), "E103", []),
    ("a line that is not valid JSON", lambda t, m, p: jsonl(t, '{"id": "x", '), "E104", []),
    ("a record that is not an object, or has no id", lambda t, m, p: jsonl(t, "[1, 2]"), "E105", []),
    ("a report without a publication date", lambda t, m, p: jsonl(t, json.dumps({"id": "x", "text": GOOD})), "E106", []),
    ("a malformed publication date", lambda t, m, p: jsonl(t, record(id="x", publication_date="20 May 2014")), "E107", []),
    ("a publication date before 1900 or after today", lambda t, m, p: jsonl(t, record(id="x", publication_date="2099-01-01")),
     "E112", []),
    ("a report of more than 1,000,000 characters", lambda t, m, p: file(t, "long.txt", "Gunmen attacked. " * 60_000),
     "E110", []),
    ("a JSON line of 50 MB", lambda t, m, p: jsonl(t, record(id="x", text="x" * 50_000_000)), "E110", []),
    ("a report id already read in this run", lambda t, m, p: jsonl(t, record(id="good")), "E113", []),
    ("a `.json` file holding an array of reports",
     lambda t, m, p: file(t, "many.json", json.dumps([json.loads(record(id="a")), {"id": "b", "text": GOOD}])), "E106", []),
    ("a `.json` file holding a number, string or null", lambda t, m, p: file(t, "odd.json", "null"), "E111", []),
    ("HTML with no main text (no body, only scripts)",
     lambda t, m, p: file(t, "page.html", "<html><head><title>T</title></head><script>var a;</script></html>"), "E109", []),
    ("HTML the parser cannot read", lambda t, m, p: broken_html(t, m), "E114", []),
    ("a report in a language khaldun does not support", lambda t, m, p: jsonl(t, record(id="x", text=SPANISH, language=None)),
     "E201", []),
    ("a failure inside spaCy or a stage for one report", lambda t, m, p: failing_stage(t, m, p), "E501", []),
    ("an implausible `--date`", lambda t, m, p: file(t, "plain.txt", GOOD), "E112", ["--date", "1850-01-01"]),
    ("an invalid `KHALDUN_MAX_CHARS`", lambda t, m, p: file(t, "plain.txt", GOOD), "E115", []),
]


def table_rows() -> dict[str, str]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[1] and re.fullmatch(r"E\d{3}|none", cells[1]):
            rows[cells[0]] = cells[1]
    return rows


def test_every_row_of_the_table_has_a_case() -> None:
    rows = table_rows()
    assert set(rows) == {name for name, *_ in CASES}
    for name, _, code, _ in CASES:
        assert rows[name] in {code, "none"}, name


@pytest.mark.parametrize(("name", "make", "code", "args"), CASES, ids=[c[0][:40] for c in CASES])
def test_bad_input_row(name: str, make, code: str, args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                       use_test_pipeline) -> None:
    good = tmp_path / "good"
    good.mkdir()
    good_file = jsonl(good, record(id="good"))
    bad_dir = tmp_path / "bad"
    bad_dir.mkdir()
    bad = make(bad_dir, monkeypatch, use_test_pipeline)
    if name.startswith("an invalid `KHALDUN_MAX_CHARS`"):
        monkeypatch.setenv("KHALDUN_MAX_CHARS", "many")
    result = CliRunner().invoke(cli, ["extract", str(good_file), str(bad), "--format", "jsonl", *args],
                                catch_exceptions=False)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.exit_code == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert re.match(rf"(khaldun|Error): {code}: ", lines[0]), lines[0]
    if args or name.startswith("an invalid"):
        assert result.stdout == ""  # an option error stops the run before anything is read
        return
    assert str(bad) in lines[0] or bad.name in lines[0], lines[0]
    docs = {json.loads(line)["doc_id"] for line in result.stdout.splitlines()}
    assert "good" in docs
    if name.startswith("a `.json` file holding an array"):
        assert "a" in docs  # the array's good report is processed too


def test_a_gzipped_line_of_50_mb_is_refused_too(tmp_path: Path, use_test_pipeline) -> None:
    path = tmp_path / "batch.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write(record(id="huge", text="x" * 50_000_000) + "\n" + record(id="good") + "\n")
    result = CliRunner().invoke(cli, ["extract", str(path), "--format", "jsonl"], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"khaldun: E110: {path}:1: report too large")
    assert {json.loads(line)["doc_id"] for line in result.stdout.splitlines()} == {"good"}
