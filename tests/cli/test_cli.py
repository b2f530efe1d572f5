"""The command line, through click's CliRunner (sharing the session pipeline) and one real subprocess."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from khaldun.cli import cli
from khaldun.schema import ACLED_COLUMNS, KHALDUN_COLUMNS

REPORT_FR = ("ALEP, Syrie (AFP) — Des hélicoptères de l'armée syrienne ont largué samedi des barils explosifs sur le "
             "quartier d'al-Chaar, à Alep, tuant au moins douze civils, selon l'OSDH.")
REPORT_EN = ("MOGADISHU (Reuters) - A suicide bomber blew himself up outside a restaurant in Mogadishu on Saturday, "
             "killing at least 15 people, police said.")
SPANISH = ("Un atentado con coche bomba dejó al menos doce muertos el sábado en un mercado del centro de Bagdad, según "
           "fuentes policiales citadas por la prensa local.")


@pytest.fixture
def runner(use_test_pipeline) -> CliRunner:
    return CliRunner()


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "alep", "text": REPORT_FR, "publication_date": "2013-07-29", "language": "fr", "source": "AFP",
                    "url": None}, ensure_ascii=False),
        json.dumps({"id": "mogadishu", "text": REPORT_EN, "publication_date": "2013-09-09", "language": "en",
                    "source": "Reuters", "url": None}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def invoke(runner: CliRunner, *args: str):
    return runner.invoke(cli, list(args), catch_exceptions=False)


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def assert_one_coded_error(result, code: str, origin: str) -> None:
    lines = error_lines(result)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"khaldun: {code}: {origin}"), lines[0]
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert result.exit_code != 0


# --- extract ----------------------------------------------------------------------------

def test_extract_jsonl(runner, batch) -> None:
    result = invoke(runner, "extract", str(batch), "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows
    assert {r["doc_id"] for r in rows} == {"alep", "mogadishu"}
    for row in rows:
        assert list(row)[:len(ACLED_COLUMNS)] == list(ACLED_COLUMNS)
        assert row["evidence"] and row["source"] in {"AFP", "Reuters"}


def test_extract_jsonl_is_default_when_piped(runner, batch) -> None:
    result = invoke(runner, "extract", str(batch))
    assert result.exit_code == 0
    assert all(json.loads(line) for line in result.stdout.splitlines())


def test_extract_csv_header_is_acled_then_khaldun(runner, batch) -> None:
    result = invoke(runner, "extract", str(batch), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    reader = csv.reader(io.StringIO(result.stdout))
    header = next(reader)
    assert header == list(ACLED_COLUMNS) + list(KHALDUN_COLUMNS)
    rows = list(reader)
    assert rows and all(len(row) == len(header) for row in rows)
    evidence = json.loads(rows[0][header.index("evidence")])
    assert isinstance(evidence, list)


def test_extract_table(runner, batch) -> None:
    result = invoke(runner, "extract", str(batch), "--format", "table")
    assert result.exit_code == 0
    assert "actor1" in result.stdout and "sub_event_type" not in result.stdout.splitlines()[0]


def test_extract_output_file(runner, batch, tmp_path) -> None:
    out = tmp_path / "out" / "events.csv"
    result = invoke(runner, "extract", str(batch), "--format", "csv", "-o", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8").splitlines()[0] == ",".join(list(ACLED_COLUMNS) + list(KHALDUN_COLUMNS))
    assert not list(out.parent.glob("*.part"))


def test_extract_plain_text_with_date_and_lang(runner, tmp_path) -> None:
    path = tmp_path / "alep.txt"
    path.write_text(REPORT_FR, encoding="utf-8")
    result = invoke(runner, "extract", str(path), "--date", "2013-07-29", "--lang", "fr", "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and rows[0]["doc_id"] == "alep"
    assert rows[0]["event_date"] == "2013-07-27"


def test_extract_plain_text_language_detected(runner, tmp_path) -> None:
    path = tmp_path / "mogadishu.txt"
    path.write_text(REPORT_EN, encoding="utf-8")
    result = invoke(runner, "extract", str(path), "--date", "2013-09-09", "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip()


# --- mentions ---------------------------------------------------------------------------

def test_mentions_jsonl_has_resolved_dates(runner, batch) -> None:
    result = invoke(runner, "mentions", str(batch), "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    dates = [r for r in rows if r["kind"] == "date"]
    assert {(r["doc_id"], r["text"], r["value"], r["precision"]) for r in dates} >= {
        ("alep", "samedi", "2013-07-27", 1), ("mogadishu", "Saturday", "2013-09-07", 1)}
    assert {r["timex_type"] for r in dates} <= {"DATE", "TIME", "DURATION", "SET"}
    kinds = {r["kind"] for r in rows}
    assert {"date", "actor", "number", "claim", "trigger"} <= kinds
    for row in rows:
        assert {"doc_id", "kind", "start", "end", "text", "value"} <= set(row)


def test_mentions_table(runner, batch) -> None:
    result = invoke(runner, "mentions", str(batch), "--format", "table")
    assert result.exit_code == 0
    assert "samedi" in result.stdout


# --- demo -------------------------------------------------------------------------------

def test_demo_runs_on_bundled_examples(runner) -> None:
    result = invoke(runner, "demo", "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len({r["doc_id"] for r in rows}) >= 8
    assert len({r["sub_event_type"] for r in rows}) >= 8


def test_demo_table(runner) -> None:
    result = invoke(runner, "demo")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("khaldun demo: 10 example reports")


def test_help_has_examples(runner) -> None:
    for command in ("extract", "mentions", "demo"):
        result = invoke(runner, command, "--help")
        assert result.exit_code == 0 and "Example" in result.stdout


# --- bad inputs -------------------------------------------------------------------------

def test_empty_file(runner, tmp_path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("", encoding="utf-8")
    assert_one_coded_error(invoke(runner, "extract", str(path), "--date", "2013-07-29"), "E102", str(path))


def test_binary_file(runner, tmp_path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert_one_coded_error(invoke(runner, "extract", str(path), "--date", "2013-07-29"), "E103", str(path))


def test_unsupported_language(runner, tmp_path) -> None:
    path = tmp_path / "bagdad.txt"
    path.write_text(SPANISH, encoding="utf-8")
    result = invoke(runner, "extract", str(path), "--date", "2013-07-29")
    assert_one_coded_error(result, "E201", str(path))
    assert "'es'" in result.stderr


def test_unsupported_language_given(runner, tmp_path) -> None:
    path = tmp_path / "bagdad.txt"
    path.write_text(SPANISH, encoding="utf-8")
    assert_one_coded_error(invoke(runner, "extract", str(path), "--date", "2013-07-29", "--lang", "es"), "E201", str(path))


def test_missing_date(runner, tmp_path) -> None:
    path = tmp_path / "alep.txt"
    path.write_text(REPORT_FR, encoding="utf-8")
    assert_one_coded_error(invoke(runner, "extract", str(path)), "E106", str(path))


def test_malformed_date_option(runner, tmp_path) -> None:
    path = tmp_path / "alep.txt"
    path.write_text(REPORT_FR, encoding="utf-8")
    result = invoke(runner, "extract", str(path), "--date", "29/07/2013")
    assert result.exit_code != 0
    assert "Traceback" not in result.stderr
    assert "--date" in result.stderr


def test_missing_path(runner, tmp_path) -> None:
    path = tmp_path / "nowhere.jsonl"
    assert_one_coded_error(invoke(runner, "extract", str(path)), "E108", str(path))


def test_unreadable_path(runner, tmp_path, monkeypatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(REPORT_FR, encoding="utf-8")
    real = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert_one_coded_error(invoke(runner, "extract", str(path), "--date", "2013-07-29"), "E101", str(path))


def test_batch_with_bad_lines_still_outputs_good_records(runner, tmp_path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps({"id": "alep", "text": REPORT_FR, "publication_date": "2013-07-29", "language": "fr"}, ensure_ascii=False),
        '{"id": "broken", ',
        json.dumps({"id": "nodate", "text": REPORT_EN, "language": "en"}),
        json.dumps({"id": "baddate", "text": REPORT_EN, "publication_date": "Sept 9, 2013", "language": "en"}),
        json.dumps({"id": "spanish", "text": SPANISH, "publication_date": "2013-07-29"}),
        json.dumps({"id": "mogadishu", "text": REPORT_EN, "publication_date": "2013-09-09", "language": "en"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = invoke(runner, "extract", str(path), "--format", "jsonl")
    assert result.exit_code != 0
    errors = error_lines(result)
    assert [line.split(": ")[1:3] for line in errors] == [
        ["E104", f"{path}:2"], ["E106", f"{path}:3"], ["E107", f"{path}:4"], ["E201", f"{path}:5"]]
    assert "Traceback" not in result.stderr
    docs = {json.loads(line)["doc_id"] for line in result.stdout.splitlines()}
    assert docs == {"alep", "mogadishu"}


# --- the real console script ------------------------------------------------------------

def khaldun_script() -> list[str]:
    script = Path(sys.executable).with_name("khaldun")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from khaldun.cli import main; main()"]


def test_console_script_end_to_end(tmp_path, batch) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    out = tmp_path / "events.csv"
    completed = subprocess.run(
        khaldun_script() + ["extract", str(batch), str(bad), "--date", "2013-07-29", "--format", "csv", "-o", str(out)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path, env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert completed.returncode == 1, completed.stderr
    assert completed.stderr.strip().splitlines() == [f"khaldun: E102: {bad}: empty input"]
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {row["doc_id"] for row in rows} == {"alep", "mogadishu"}


RECAP_FR = ("ALEP, Syrie (AFP) — Des obus de mortier sont tombés samedi sur le quartier de Midane, à Alep, faisant trois "
            "morts, selon l'OSDH.\n\nLes rebelles de l'ASL s'étaient emparés de la moitié est d'Alep en juillet 2012, "
            "après de violents combats.")


def test_extract_leaves_background_events_out_unless_asked(runner: CliRunner, tmp_path: Path) -> None:
    report = tmp_path / "recap.txt"
    report.write_text(RECAP_FR, encoding="utf-8")
    args = ("extract", str(report), "--date", "2013-07-29", "--lang", "fr", "--format", "jsonl")
    news = [json.loads(line) for line in invoke(runner, *args).output.splitlines() if line.strip()]
    everything = [json.loads(line) for line in invoke(runner, *args, "--background").output.splitlines() if line.strip()]
    assert news and not any(e["background"] for e in news)
    assert any(e["background"] for e in everything) and len(everything) > len(news)
