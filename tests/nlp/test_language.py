"""Language detection, and the coded 'not supported yet' error."""

from __future__ import annotations

import datetime as dt

import pytest

from khaldun.errors import KhaldunError
from khaldun.nlp.language import check_language, detect_language, supported_languages
from khaldun.schema import Report

FRENCH = ("Des hélicoptères de l'armée syrienne ont largué samedi des barils explosifs sur un quartier rebelle d'Alep, "
          "tuant au moins douze civils, selon l'Observatoire syrien des droits de l'homme.")
ENGLISH = ("A suicide bomber blew himself up outside a busy restaurant in Mogadishu on Saturday evening, killing at least "
           "fifteen people, police said.")
SPANISH = ("Un atentado con coche bomba dejó al menos doce muertos el sábado en un mercado del centro de Bagdad, según "
           "fuentes policiales citadas por la prensa local.")
GERMAN = ("Bei einem Selbstmordanschlag in der somalischen Hauptstadt Mogadischu sind am Samstag mindestens fünfzehn "
          "Menschen getötet worden, teilte die Polizei mit.")


def test_supported_languages() -> None:
    assert supported_languages() == ["en", "fr"]


@pytest.mark.parametrize(("text", "code"), [(FRENCH, "fr"), (ENGLISH, "en"), (SPANISH, "es"), (GERMAN, "de")])
def test_detect_language(text: str, code: str) -> None:
    assert detect_language(text, "x") == code


def test_too_little_text_is_e202() -> None:
    with pytest.raises(KhaldunError) as caught:
        detect_language("12 - 3 ...", "reports.jsonl:4")
    assert caught.value.code == "E202"
    assert "reports.jsonl:4" in str(caught.value)


@pytest.mark.parametrize("code", ["fr", "en", "FR", "en-GB", "fr_FR"])
def test_supported_codes_pass(code: str) -> None:
    assert check_language(code, "x") == code[:2].lower()


@pytest.mark.parametrize("code", ["es", "de", "ar"])
def test_unsupported_language_is_e201_naming_input(code: str) -> None:
    with pytest.raises(KhaldunError) as caught:
        check_language(code, "batch.jsonl:7")
    assert caught.value.code == "E201"
    message = str(caught.value)
    assert message.startswith("E201: batch.jsonl:7: ")
    assert repr(code) in message and "not supported yet" in message and "en, fr" in message


@pytest.mark.parametrize("text", [SPANISH, GERMAN])
def test_pipeline_reports_unsupported_language_as_e201(pipeline, text: str) -> None:
    report = Report(id="r", text=text, publication_date=dt.date(2013, 9, 9), origin="inbox/report.txt")
    result = pipeline.process(report)
    assert result.events == []
    assert result.error is not None and result.error.startswith("E201: inbox/report.txt: ")


def test_detected_language_is_used_when_none_given(pipeline) -> None:
    report = Report(id="r", text=ENGLISH, publication_date=dt.date(2013, 9, 9), origin="r")
    assert pipeline.language_of(report) == "en"
    report = Report(id="r", text=FRENCH, publication_date=dt.date(2013, 7, 29), origin="r")
    assert pipeline.language_of(report) == "fr"


def test_given_language_wins_over_detection(pipeline) -> None:
    report = Report(id="r", text=ENGLISH, publication_date=dt.date(2013, 9, 9), language="fr", origin="r")
    assert pipeline.language_of(report) == "fr"
