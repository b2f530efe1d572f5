"""Hostile input to the readers and the pipeline: huge records, odd JSON, dates, duplicates, unreadable paths."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import tracemalloc
from pathlib import Path

import pytest

from khaldun.errors import KhaldunError
from khaldun.ingest import ReadOptions, read_paths
from khaldun.ingest.limits import DEFAULT_MAX_CHARS, check_publication_date, max_report_chars
from khaldun.nlp.parse import chunks, parse
from khaldun.schema import Report

REPORT_EN = "Gunmen killed three soldiers at a checkpoint near Kidal on Tuesday, officials said."
REPORT_FR = "Des combats ont opposé samedi l'armée malienne à des rebelles près de Gao, selon une source militaire."


def read(paths, **options):
    return list(read_paths([str(p) for p in paths], ReadOptions(**options)))


def codes(items) -> list[str]:
    return [item.code if isinstance(item, KhaldunError) else "ok" for item in items]


def line(**fields) -> str:
    return json.dumps(fields, ensure_ascii=False)


# --- size -------------------------------------------------------------------------------

def test_a_record_over_the_limit_is_e110_and_the_others_are_read(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join([line(id="a", text=REPORT_EN, publication_date="2014-05-20"),
                               line(id="big", text="word " * 500, publication_date="2014-05-20"),
                               line(id="b", text=REPORT_FR, publication_date="2013-07-29")]) + "\n", encoding="utf-8")
    items = read([path], max_chars=1000)
    assert codes(items) == ["ok", "E110", "ok"]
    assert f"{path}:2" in str(items[1]) and "2,500 characters" in str(items[1])


def test_a_50_mb_line_is_refused_without_holding_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    with path.open("w", encoding="utf-8") as out:
        out.write(line(id="a", text=REPORT_EN, publication_date="2014-05-20") + "\n")
        out.write('{"id": "huge", "publication_date": "2014-05-20", "text": "')
        block = "x" * (1 << 20)
        for _ in range(50):
            out.write(block)
        out.write('"}\n')
        out.write(line(id="b", text=REPORT_FR, publication_date="2013-07-29") + "\n")
    tracemalloc.start()
    try:
        items = read([path])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert codes(items) == ["ok", "E110", "ok"]
    assert f"{path}:2" in str(items[1])
    assert peak < 40 * (1 << 20), f"reading held {peak / (1 << 20):.0f} MB"


def test_a_text_file_over_the_limit_is_e110(tmp_path: Path) -> None:
    big, good = tmp_path / "big.txt", tmp_path / "good.txt"
    big.write_text("Le convoi a été attaqué. " * 100, encoding="utf-8")
    good.write_text(REPORT_FR, encoding="utf-8")
    assert codes(read([big, good], publication_date=dt.date(2013, 7, 29), max_chars=1000)) == ["E110", "ok"]


def test_a_gzipped_file_is_not_inflated_past_the_budget(tmp_path: Path) -> None:
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"a " * 5_000_000))  # 10 MB of text in a few kB
    items = read([path], publication_date=dt.date(2013, 7, 29), max_chars=1000)
    assert codes(items) == ["E110"]


def test_the_limit_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KHALDUN_MAX_CHARS", raising=False)
    assert max_report_chars() == DEFAULT_MAX_CHARS == 1_000_000
    monkeypatch.setenv("KHALDUN_MAX_CHARS", "2_000")
    assert max_report_chars() == 2000
    monkeypatch.setenv("KHALDUN_MAX_CHARS", "lots")
    with pytest.raises(KhaldunError) as caught:
        max_report_chars()
    assert caught.value.code == "E115"


# --- JSON files -------------------------------------------------------------------------

def test_a_json_array_is_read_as_a_list_of_reports(tmp_path: Path) -> None:
    path = tmp_path / "reports.json"
    path.write_text(json.dumps([{"id": "a", "text": REPORT_EN, "publication_date": "2014-05-20"},
                                {"id": "b", "text": REPORT_FR},
                                "not a report",
                                {"id": "c", "text": REPORT_FR, "publication_date": "2013-07-29", "language": "fr"}]),
                    encoding="utf-8")
    items = read([path])
    assert codes(items) == ["ok", "E106", "E105", "ok"]
    assert [i.id for i in items if isinstance(i, Report)] == ["a", "c"]
    assert f"{path}[2]" in str(items[1]) and f"{path}[3]" in str(items[2])


def test_a_json_object_is_one_report_named_after_its_file(tmp_path: Path) -> None:
    path = tmp_path / "kidal.json"
    path.write_text(json.dumps({"text": REPORT_EN, "publication_date": "2014-05-20"}), encoding="utf-8")
    report = read([path])[0]
    assert isinstance(report, Report) and report.id == "kidal" and report.text == REPORT_EN


@pytest.mark.parametrize(("content", "code"), [("42", "E111"), ('"text"', "E111"), ("[]", "E102"), ("[1,", "E104")])
def test_other_json_files_are_coded_errors(tmp_path: Path, content: str, code: str) -> None:
    path = tmp_path / "odd.json"
    path.write_text(content, encoding="utf-8")
    items = read([path])
    assert codes(items) == [code] and str(path) in str(items[0])


# --- dates ------------------------------------------------------------------------------

@pytest.mark.parametrize("date", ["2099-01-01", "1800-06-01", "1899-12-31"])
def test_implausible_publication_dates_are_e112(tmp_path: Path, date: str) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join([line(id="odd", text=REPORT_EN, publication_date=date),
                               line(id="a", text=REPORT_EN, publication_date="2014-05-20")]) + "\n", encoding="utf-8")
    items = read([path])
    assert codes(items) == ["E112", "ok"]
    assert date in str(items[0])


def test_plausible_dates_are_kept() -> None:
    today = dt.date(2026, 12, 3)
    for date in (dt.date(1900, 1, 1), dt.date(2013, 7, 29), today, today + dt.timedelta(days=1)):
        assert check_publication_date(date, "x", today=today) == date
    with pytest.raises(KhaldunError):
        check_publication_date(today + dt.timedelta(days=2), "x", today=today)


def test_an_implausible_sidecar_date_is_e112(tmp_path: Path) -> None:
    path = tmp_path / "gao.txt"
    path.write_text(REPORT_FR, encoding="utf-8")
    (tmp_path / "gao.json").write_text(json.dumps({"publication_date": "2099-07-29"}), encoding="utf-8")
    assert codes(read([path])) == ["E112"]


# --- duplicates, unreadable paths -------------------------------------------------------

def test_a_duplicate_id_is_e113_and_skipped(tmp_path: Path) -> None:
    first, second = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    first.write_text(line(id="r1", text=REPORT_EN, publication_date="2014-05-20") + "\n", encoding="utf-8")
    second.write_text("\n".join([line(id="r2", text=REPORT_FR, publication_date="2013-07-29"),
                                 line(id="r1", text=REPORT_FR, publication_date="2013-07-29")]) + "\n", encoding="utf-8")
    items = read([first, second])
    assert codes(items) == ["ok", "ok", "E113"]
    assert f"{second}:2" in str(items[2]) and "'r1'" in str(items[2])


def test_an_unlistable_directory_is_e101_and_the_rest_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    locked = tmp_path / "a-locked"
    locked.mkdir()
    (locked / "x.txt").write_text(REPORT_EN, encoding="utf-8")
    (tmp_path / "b.txt").write_text(REPORT_EN, encoding="utf-8")
    real = os.scandir

    def scandir(path):  # noqa: ANN001, ANN202
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = read([tmp_path], publication_date=dt.date(2014, 5, 20))
    assert codes(items) == ["E101", "ok"]
    assert str(locked) in str(items[0])


# --- the pipeline -----------------------------------------------------------------------

def reports(*texts: str) -> list[Report]:
    return [Report(id=f"r{n}", text=text, publication_date=dt.date(2014, 5, 20), language="en", origin=f"r{n}")
            for n, text in enumerate(texts)]


def test_a_2m_character_report_among_good_ones(pipeline) -> None:
    """Reports built in code (not read from files) are checked too, before spaCy sees them."""
    batch = reports(REPORT_EN, "Gunmen attacked a convoy. " * 80_000, REPORT_EN)
    results = list(pipeline.pipe(batch))
    assert [r.error.split(":")[0] if r.error else "ok" for r in results] == ["ok", "E110", "ok"]
    assert results[0].events and results[2].events


def test_a_failure_inside_nlp_pipe_loses_only_its_report(pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    nlp = pipeline.stages_for("en").nlp
    real_call = type(nlp).__call__
    poison = "Rebels shelled the airport."

    def failing_pipe(texts, *args, **kwargs):  # noqa: ANN001, ANN202
        for text in texts:
            if poison in text:
                raise RuntimeError("the parser broke")
            yield real_call(nlp, text)

    def failing_call(self, text, *args, **kwargs):  # noqa: ANN001, ANN202
        if poison in text:
            raise RuntimeError("the parser broke")
        return real_call(self, text, *args, **kwargs)

    monkeypatch.setattr(nlp, "pipe", failing_pipe)
    monkeypatch.setattr(type(nlp), "__call__", failing_call)
    results = list(pipeline.pipe(reports(REPORT_EN, poison + " " + REPORT_EN, REPORT_EN, REPORT_EN)))
    assert [r.error.split(":")[0] if r.error else "ok" for r in results] == ["ok", "E501", "ok", "ok"]
    assert all(results[i].events for i in (0, 2, 3))


def test_a_long_report_is_processed_in_sections(pipeline) -> None:
    """Events of a long report point into its whole normalised text and are numbered through it."""
    from khaldun.ingest.normalise import normalise

    paragraphs = [f"Gunmen killed {n % 9 + 2} soldiers at a checkpoint near Kidal on Tuesday, officials said. "
                  "The attackers fled towards the desert." for n in range(300)]
    text = "\n\n".join(paragraphs)
    result = pipeline.process(reports(text)[0])
    assert result.error is None and len(result.events) > 1
    normalised = normalise(text).text
    for event in result.events:
        for evidence in event.evidence:
            assert normalised[evidence.start:evidence.end] == evidence.text
    assert len({e.event_id_cnty for e in result.events}) == len(result.events)
    assert result.mentions is not None and result.mentions.text == normalised
    assert all(normalised[m.span.start:m.span.end] == m.span.text for m in result.mentions.triggers)


# --- parsing in pieces ------------------------------------------------------------------

def test_chunks_join_back_and_cut_at_paragraphs() -> None:
    text = "\n\n".join(f"Paragraph {n} tells one thing. It ends here." for n in range(200))
    pieces = list(chunks(text, 500))
    assert "".join(pieces) == text
    assert all(len(p) <= 500 for p in pieces)
    assert all(p.endswith("\n\n") for p in pieces[:-1])
    unbroken = "x" * 1200
    assert "".join(chunks(unbroken, 500)) == unbroken


def test_parse_in_pieces_keeps_text_and_sentences(nlp_en) -> None:
    text = "\n\n".join(f"Gunmen attacked the town of Gao on day {n}. Three soldiers were killed." for n in range(40))
    whole, pieces = nlp_en(text), parse(nlp_en, text, chunk_chars=300)
    assert pieces.text == text
    assert [s.text for s in pieces.sents] == [s.text for s in whole.sents]
    assert [t.dep_ for t in pieces] == [t.dep_ for t in whole]
