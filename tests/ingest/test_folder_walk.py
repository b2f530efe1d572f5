"""What a folder ingest reads: report files by extension; a README, a LICENCE, a tool's files are left out and named."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from khaldun.errors import KhaldunError
from khaldun.ingest import ReadOptions, read_paths
from khaldun.ingest.readers import is_report_file
from khaldun.schema import Report

STORY = "Gunmen attacked a police post outside the market town on Monday, a local official said."


def corpus(root: Path) -> None:
    """A folder as people hand them over: reports, their documentation, a version-control folder, odd files."""
    (root / "2024").mkdir(parents=True)
    (root / "2024" / "one.txt").write_text(STORY, encoding="utf-8")
    (root / "2024" / "two.html").write_text(f"<html><body><article><p>{STORY}</p></article></body></html>",
                                            encoding="utf-8")
    (root / "2024" / "three.txt.gz").write_bytes(gzip.compress(STORY.encode()))
    (root / "batch.jsonl").write_text(json.dumps({"id": "j1", "text": STORY, "publication_date": "2024-05-02"}) + "\n",
                                      encoding="utf-8")
    (root / "README.md").write_text("# This folder\nThe reports we collected in May.", encoding="utf-8")
    (root / "README.txt").write_text("Reports collected in May, one per file.", encoding="utf-8")
    (root / "LICENSE").write_text("Permission is hereby granted to anyone.", encoding="utf-8")
    (root / "notes.docx").write_bytes(b"PK\x03\x04 not a report")
    (root / ".DS_Store").write_bytes(b"\x00\x01")
    (root / ".git").mkdir()
    (root / ".git" / "description").write_text("Unnamed repository; edit this file.", encoding="utf-8")
    (root / "2024" / "meta.json").write_text(json.dumps({"publication_date": "2024-05-01"}), encoding="utf-8")


def test_a_folder_walk_reads_report_files_and_names_the_others(tmp_path):
    corpus(tmp_path)
    left_out: list[Path] = []
    items = list(read_paths([tmp_path], ReadOptions(on_skip=left_out.append)))
    assert not [i for i in items if isinstance(i, KhaldunError)], items
    origins = sorted(Path(i.origin).name for i in items if isinstance(i, Report))
    assert origins == ["batch.jsonl:1", "one.txt", "three.txt.gz", "two.html"]
    assert sorted(p.name for p in left_out) == ["LICENSE", "README.md", "README.txt", "notes.docx"]  # not .git, .DS_Store


def test_the_sidecar_date_still_applies_and_is_not_a_report(tmp_path):
    corpus(tmp_path)
    report = next(i for i in read_paths([tmp_path / "2024"]) if isinstance(i, Report) and i.origin.endswith("one.txt"))
    assert report.publication_date == dt.date(2024, 5, 1)


def test_a_file_named_on_its_own_is_read_whatever_its_name(tmp_path):
    readme = tmp_path / "README"
    readme.write_text(STORY, encoding="utf-8")
    items = list(read_paths([readme], ReadOptions(publication_date=dt.date(2024, 5, 1))))
    assert len(items) == 1 and isinstance(items[0], Report)


@pytest.mark.parametrize("name,read", [
    ("story.txt", True), ("story.TXT", True), ("story.text", True), ("page.htm", True), ("page.xhtml", True),
    ("one.json", True), ("lines.ndjson.gz", True), ("2024.05.02.txt", True), ("readme-notes.txt", True),
    ("README", False), ("readme.html", False), ("Licence.txt", False), ("COPYING", False), ("CHANGELOG.md", False),
    ("story", False), ("story.md", False), ("table.csv", False), ("scan.pdf", False), ("story.gz", False),
])
def test_report_files_by_extension_and_name(name, read):
    assert is_report_file(Path(name)) is read


def test_ingest_warns_about_the_files_it_left_out(tmp_path):
    from click.testing import CliRunner

    from khaldun.cli import cli

    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "README.md").write_text("Reports from May.", encoding="utf-8")
    (folder / "LICENSE").write_text("Anyone may use these.", encoding="utf-8")
    (folder / "bad.txt").write_text("", encoding="utf-8")  # one report that fails, so no pipeline has to load
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--db", str(tmp_path / "e.db"), "--date", "2024-05-01"])
    assert "Traceback" not in result.output
    assert "warning: skipped 2 files that are not reports:" in result.stderr
    assert f"{folder / 'LICENSE'}, {folder / 'README.md'}" in result.stderr
    assert "E102" in result.stderr  # the empty report is still read, and refused


def test_extract_warns_about_the_files_it_left_out(tmp_path):
    from click.testing import CliRunner

    from khaldun.cli import cli

    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "README.md").write_text("Reports from May.", encoding="utf-8")
    (folder / "bad.txt").write_text("", encoding="utf-8")  # one report that fails, so no pipeline has to load
    result = CliRunner().invoke(cli, ["extract", str(folder), "--date", "2024-05-01", "--format", "jsonl"])
    assert "Traceback" not in result.output
    assert f"warning: skipped 1 file that is not a report: {folder / 'README.md'}" in result.stderr
    assert "E102" in result.stderr and result.exit_code == 1
