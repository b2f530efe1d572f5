"""Readers: plain text (+ --date or sidecar), HTML, JSON Lines (+ gzip), directories, bad inputs."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from khaldun.errors import KhaldunError
from khaldun.ingest import ReadOptions, read_paths
from khaldun.schema import Report

REPORT_FR = ("Des combats ont opposé samedi l'armée syrienne aux rebelles dans le quartier de Jobar, "
             "à Damas, selon l'OSDH.")
REPORT_EN = "Gunmen killed three soldiers at a checkpoint near Kidal on Tuesday, officials said."


def read(paths, **options):
    return list(read_paths([str(p) for p in paths], ReadOptions(**options)))


def only_report(items) -> Report:
    assert len(items) == 1, items
    assert isinstance(items[0], Report), items[0]
    return items[0]


def error_codes(items) -> list[str]:
    return [item.code for item in items if isinstance(item, KhaldunError)]


# --- plain text -------------------------------------------------------------------------

def test_plain_text_with_date_option(tmp_path: Path) -> None:
    path = tmp_path / "jobar.txt"
    path.write_text(REPORT_FR, encoding="utf-8")
    report = only_report(read([path], publication_date=dt.date(2013, 7, 29), language="fr", source="AFP"))
    assert report.text == REPORT_FR
    assert report.publication_date == dt.date(2013, 7, 29)
    assert report.language == "fr"
    assert report.source == "AFP"
    assert report.id == "jobar"
    assert report.origin == str(path)


def test_plain_text_without_date_is_e106(tmp_path: Path) -> None:
    path = tmp_path / "nodate.txt"
    path.write_text(REPORT_EN, encoding="utf-8")
    items = read([path])
    assert error_codes(items) == ["E106"]
    assert str(path) in str(items[0])


def test_plain_text_date_from_stem_sidecar(tmp_path: Path) -> None:
    path = tmp_path / "kidal.txt"
    path.write_text(REPORT_EN, encoding="utf-8")
    (tmp_path / "kidal.json").write_text(json.dumps(
        {"publication_date": "2014-05-20", "source": "Reuters", "language": "en", "id": "kidal-1"}), encoding="utf-8")
    report = only_report(read([path]))
    assert report.publication_date == dt.date(2014, 5, 20)
    assert report.source == "Reuters"
    assert report.language == "en"
    assert report.id == "kidal-1"


def test_plain_text_date_from_meta_json(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(REPORT_FR, encoding="utf-8")
    (tmp_path / "meta.json").write_text(json.dumps({"publication_date": "2013-07-29"}), encoding="utf-8")
    report = only_report(read([path]))
    assert report.publication_date == dt.date(2013, 7, 29)


def test_date_option_beats_sidecar(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(REPORT_FR, encoding="utf-8")
    (tmp_path / "meta.json").write_text(json.dumps({"publication_date": "2013-07-29"}), encoding="utf-8")
    report = only_report(read([path], publication_date=dt.date(2013, 8, 2)))
    assert report.publication_date == dt.date(2013, 8, 2)


def test_sidecar_with_malformed_date_is_e107(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(REPORT_FR, encoding="utf-8")
    (tmp_path / "article.json").write_text(json.dumps({"publication_date": "29/07/2013"}), encoding="utf-8")
    assert error_codes(read([path])) == ["E107"]


# --- HTML -------------------------------------------------------------------------------

HTML_PAGE = """<!DOCTYPE html>
<html lang="fr"><head>
<meta charset="utf-8">
<title>Syrie : raids aériens sur Alep</title>
<meta property="article:published_time" content="2013-07-29T14:05:00+02:00">
<meta property="og:site_name" content="Le Quotidien du Levant">
</head><body>
<nav><ul><li><a href="/">Accueil</a></li><li><a href="/monde">Monde</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>Syrie : raids aériens sur Alep</h1>
<p>Des hélicoptères de l'armée syrienne ont largué samedi des barils explosifs sur le quartier d'al-Chaar, dans l'est
d'Alep, tuant au moins douze civils, selon l'Observatoire syrien des droits de l'homme.</p>
<p>Des dizaines de personnes ont été blessées et plusieurs immeubles se sont effondrés, a précisé l'ONG, qui s'appuie
sur un réseau de militants et de médecins présents sur le terrain dans toute la Syrie.</p>
<p>Dimanche, des rebelles ont tiré des obus de mortier sur le quartier de Midane, faisant trois morts selon l'agence
officielle SANA, qui accuse des « terroristes ».</p>
</article>
<footer><p>Conditions d'utilisation - Mentions légales - Tous droits réservés</p></footer>
</body></html>
"""


def test_html_main_text_and_date_from_metadata(tmp_path: Path) -> None:
    path = tmp_path / "alep.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    report = only_report(read([path]))
    assert "barils explosifs" in report.text
    assert "obus de mortier" in report.text
    assert "Accueil" not in report.text
    assert "Mentions légales" not in report.text
    assert report.publication_date == dt.date(2013, 7, 29)
    assert report.id == "alep"


def test_html_date_option_overrides_page(tmp_path: Path) -> None:
    path = tmp_path / "alep.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    report = only_report(read([path], publication_date=dt.date(2013, 7, 30)))
    assert report.publication_date == dt.date(2013, 7, 30)


def test_html_without_text_is_e109(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>Titre</title></head><body><div></div><script>var a = 1;</script></body></html>",
                    encoding="utf-8")
    assert error_codes(read([path], publication_date=dt.date(2013, 7, 29))) == ["E109"]


# --- JSON Lines -------------------------------------------------------------------------

def jsonl_line(**fields) -> str:
    return json.dumps(fields, ensure_ascii=False)


@pytest.fixture
def mixed_jsonl(tmp_path: Path) -> Path:
    lines = [
        jsonl_line(id="good-1", text=REPORT_FR, publication_date="2013-07-29", language="fr", source="AFP", url=None),
        '{"id": "broken", "text": "unterminated',
        jsonl_line(id="nodate", text=REPORT_EN),
        jsonl_line(id="baddate", text=REPORT_EN, publication_date="29 juillet 2013"),
        jsonl_line(id="empty", text="   ", publication_date="2013-07-29"),
        "",
        jsonl_line(id="good-2", text=REPORT_EN, publication_date="2014-05-20T08:00:00Z", language="en"),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_good_lines_come_through(mixed_jsonl: Path) -> None:
    items = read([mixed_jsonl])
    reports = [i for i in items if isinstance(i, Report)]
    assert [r.id for r in reports] == ["good-1", "good-2"]
    assert reports[0].source == "AFP" and reports[0].language == "fr"
    assert reports[1].publication_date == dt.date(2014, 5, 20)  # a timestamp is cut to its date
    assert reports[0].origin == f"{mixed_jsonl}:1"


def test_jsonl_each_bad_line_is_one_coded_error_naming_file_and_line(mixed_jsonl: Path) -> None:
    errors = [i for i in read([mixed_jsonl]) if isinstance(i, KhaldunError)]
    assert [(e.code, str(e).split(": ")[1]) for e in errors] == [
        ("E104", f"{mixed_jsonl}:2"),
        ("E106", f"{mixed_jsonl}:3"),
        ("E107", f"{mixed_jsonl}:4"),
        ("E102", f"{mixed_jsonl}:5"),
    ]


def test_jsonl_order_is_input_order(mixed_jsonl: Path) -> None:
    items = read([mixed_jsonl])
    kinds = [i.id if isinstance(i, Report) else i.code for i in items]
    assert kinds == ["good-1", "E104", "E106", "E107", "E102", "good-2"]


def test_jsonl_line_that_is_not_an_object_is_e105(tmp_path: Path) -> None:
    path = tmp_path / "list.jsonl"
    path.write_text('["not", "an", "object"]\n', encoding="utf-8")
    assert error_codes(read([path])) == ["E105"]


def test_jsonl_date_option_fills_missing_dates(tmp_path: Path) -> None:
    path = tmp_path / "batch.ndjson"
    path.write_text(jsonl_line(id="a", text=REPORT_EN) + "\n", encoding="utf-8")
    report = only_report(read([path], publication_date=dt.date(2014, 5, 20)))
    assert report.publication_date == dt.date(2014, 5, 20)


def test_gzip_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl.gz"
    path.write_bytes(gzip.compress((jsonl_line(id="gz", text=REPORT_FR, publication_date="2013-07-29") + "\n").encode()))
    report = only_report(read([path]))
    assert report.id == "gz"
    assert report.text == REPORT_FR


def test_corrupt_gzip_is_e101(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00 this is not gzip data")
    assert error_codes(read([path])) == ["E101"]


# --- directories ------------------------------------------------------------------------

def test_directory_recursive_in_stable_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / "b" / "2.txt").write_text(REPORT_EN, encoding="utf-8")
    (tmp_path / "a" / "deep" / "1.txt").write_text(REPORT_FR, encoding="utf-8")
    (tmp_path / "a" / "0.jsonl").write_text(jsonl_line(id="j", text=REPORT_EN, publication_date="2014-05-20") + "\n",
                                            encoding="utf-8")
    (tmp_path / "a" / "deep" / "1.json").write_text(json.dumps({"publication_date": "2013-07-29"}), encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(REPORT_EN, encoding="utf-8")
    first = read([tmp_path], publication_date=dt.date(2014, 1, 1))
    second = read([tmp_path], publication_date=dt.date(2014, 1, 1))
    ids = [i.id for i in first]
    assert ids == ["j", "1", "2"]  # sorted paths: a/0.jsonl, a/deep/1.txt, b/2.txt; no sidecar, no hidden file
    assert ids == [i.id for i in second]
    assert all(isinstance(i, Report) for i in first)


def test_directory_keeps_going_after_a_bad_file(tmp_path: Path) -> None:
    (tmp_path / "1.txt").write_bytes(b"")
    (tmp_path / "2.txt").write_text(REPORT_EN, encoding="utf-8")
    items = read([tmp_path], publication_date=dt.date(2014, 5, 20))
    assert error_codes(items) == ["E102"]
    assert [i.id for i in items if isinstance(i, Report)] == ["2"]


# --- bad inputs -------------------------------------------------------------------------

def test_empty_file_is_e102(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("\n  \n", encoding="utf-8")
    items = read([path], publication_date=dt.date(2013, 7, 29))
    assert error_codes(items) == ["E102"]
    assert str(path) in str(items[0])


def test_empty_jsonl_file_is_e102(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("", encoding="utf-8")
    assert error_codes(read([path])) == ["E102"]


def test_binary_file_is_e103(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    items = read([path], publication_date=dt.date(2013, 7, 29))
    assert error_codes(items) == ["E103"]
    assert str(path) in str(items[0])


def test_non_utf8_file_is_e103(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Des combats à Alep ont fait des dizaines de morts.".encode("utf-16"))
    assert error_codes(read([path], publication_date=dt.date(2013, 7, 29))) == ["E103"]


def test_missing_path_is_e108(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "report.txt"
    items = read([missing])
    assert error_codes(items) == ["E108"]
    assert str(missing) in str(items[0])


def test_unreadable_path_is_e101(tmp_path: Path) -> None:
    import os

    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root can read any file")
    path = tmp_path / "secret.txt"
    path.write_text(REPORT_EN, encoding="utf-8")
    path.chmod(0)
    try:
        items = read([path], publication_date=dt.date(2014, 5, 20))
    finally:
        path.chmod(0o644)
    assert error_codes(items) == ["E101"]


def test_a_missing_path_does_not_stop_the_others(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(REPORT_EN, encoding="utf-8")
    items = read([tmp_path / "missing.txt", good], publication_date=dt.date(2014, 5, 20))
    assert error_codes(items) == ["E108"]
    assert [i.id for i in items if isinstance(i, Report)] == ["good"]


def test_read_error_is_e101_naming_the_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An OS error while reading (permission denied, I/O error) is a coded error, even as root."""
    path = tmp_path / "locked.txt"
    path.write_text(REPORT_EN, encoding="utf-8")
    real = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    items = read([path], publication_date=dt.date(2014, 5, 20))
    assert error_codes(items) == ["E101"]
    assert str(path) in str(items[0]) and "Permission denied" in str(items[0])
