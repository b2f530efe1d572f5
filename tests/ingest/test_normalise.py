"""Normalisation: spaces, wrapped lines, paragraphs, datelines, bylines, paragraph labels."""

from __future__ import annotations

import pytest

from khaldun.ingest.normalise import normalise


def kinds(text: str) -> list[tuple[str, str]]:
    result = normalise(text)
    return [(p.kind, result.text[p.start:p.end]) for p in result.paragraphs]


def test_non_breaking_and_narrow_spaces_become_spaces() -> None:
    result = normalise("Des\u00a0combats ont fait au moins 1\u202f200\u00a0morts à\u2009Alep\u200b, selon l\u2019OSDH.")
    assert result.text == "Des combats ont fait au moins 1 200 morts à Alep, selon l'OSDH."


def test_wrapped_lines_are_joined() -> None:
    text = ("Des combats ont opposé hier l'armée malienne\n"
            "à des combattants islamistes près de Gao,\n"
            "selon une source militaire.")
    assert normalise(text).text == ("Des combats ont opposé hier l'armée malienne à des combattants islamistes près "
                                    "de Gao, selon une source militaire.")


def test_english_wrapped_lines_are_joined() -> None:
    text = "Gunmen attacked a checkpoint in the\ntown of Kidal on Tuesday, killing\nthree soldiers, officials said."
    assert normalise(text).text == "Gunmen attacked a checkpoint in the town of Kidal on Tuesday, killing three soldiers, officials said."


def test_blank_lines_separate_paragraphs_by_exactly_one_blank_line() -> None:
    text = "First paragraph ends here.\n\n\n\nSecond paragraph ends here.\r\n\r\nThird one."
    result = normalise(text)
    assert result.text == "First paragraph ends here.\n\nSecond paragraph ends here.\n\nThird one."
    assert len(result.paragraphs) == 3


def test_paragraph_offsets_point_into_the_text() -> None:
    text = "ALEP (AFP) — Des obus sont tombés samedi sur le quartier de Salaheddine.\n\nTrois civils ont été tués, selon l'OSDH."
    result = normalise(text)
    for paragraph in result.paragraphs:
        chunk = result.text[paragraph.start:paragraph.end]
        assert chunk == chunk.strip() and "\n" not in chunk
    assert result.text[result.paragraphs[1].start:].startswith("Trois civils")


@pytest.mark.parametrize(("text", "dateline", "body_start"), [
    ("HOMS, Syria (AP) — Syrian troops shelled the Khaldiyeh district on Sunday, killing four people, activists said.",
     "HOMS, Syria (AP)", "Syrian troops shelled"),
    ("BEIRUT (Reuters) - Syrian warplanes struck rebel positions east of Damascus on Tuesday, a monitoring group said.",
     "BEIRUT (Reuters)", "Syrian warplanes struck"),
    ("ALEP, 3 mars (AFP) — Des combats ont opposé dimanche l'armée syrienne aux rebelles près de l'aéroport, selon l'OSDH.",
     "ALEP, 3 mars (AFP)", "Des combats ont opposé"),
    ("GAO, Mali (AFP) — Un kamikaze s'est fait exploser vendredi devant un barrage militaire malien.",
     "GAO, Mali (AFP)", "Un kamikaze"),
    ("MAIDUGURI, Nigeria (AP) — Suspected Boko Haram gunmen attacked the village of Izghe in Borno state.",
     "MAIDUGURI, Nigeria (AP)", "Suspected Boko Haram"),
])
def test_dateline_removed_from_text_and_kept_apart(text: str, dateline: str, body_start: str) -> None:
    result = normalise(text)
    assert result.dateline == dateline
    assert result.text.startswith(body_start)
    assert dateline.split(",")[0].split(" (")[0] not in result.text[:len(dateline)]


def test_no_dateline_when_there_is_none() -> None:
    result = normalise("Des combats ont opposé dimanche l'armée syrienne aux rebelles, selon l'OSDH.")
    assert result.dateline is None
    assert result.text.startswith("Des combats")


@pytest.mark.parametrize("byline", [
    "By John Smith",
    "By Khaled Yacoub Oweis and Dominic Evans",
    "Par Jean Dupont",
    "(Reporting by Feisal Omar; Editing by Alison Williams)",
    "Reporting by Ahmed Rasheed; Writing by Isabel Coles",
])
def test_bylines_and_credit_lines_are_dropped(byline: str) -> None:
    text = f"{byline}\n\nA car bomb exploded in a market in Baghdad on Monday, killing five people, police said.\n\n{byline}"
    result = normalise(text)
    assert result.text == "A car bomb exploded in a market in Baghdad on Monday, killing five people, police said."


def test_caption_quote_heading_and_body_labels() -> None:
    text = ("Des combats ont opposé hier l'armée malienne à des combattants islamistes près de Gao, selon une source "
            "militaire.\n\n"
            "Photo : des soldats maliens patrouillent à Gao, le 10 février 2013.\n\n"
            "« Nous avons entendu des tirs toute la nuit, les enfants pleuraient. »\n\n"
            "Le nord du Mali sous tension\n\n"
            "Le bilan s'élève à cinq morts, selon la même source.")
    assert [kind for kind, _ in kinds(text)] == ["body", "caption", "quote", "heading", "body"]


@pytest.mark.parametrize("caption", [
    "Photo: Yemeni soldiers stand guard at a checkpoint in Sanaa, Yemen, Tuesday, Aug. 6, 2013.",
    "Capture d'écran d'une vidéo postée sur YouTube montrant un hélicoptère au-dessus de Deraa",
    "Image grab taken from a video uploaded on YouTube showing smoke rising over Homs",
    "FILE PHOTO: Smoke rises over the Jobar district of Damascus",
])
def test_captions_are_labelled(caption: str) -> None:
    text = f"Syrian warplanes struck rebel positions east of Damascus on Tuesday, a monitoring group said.\n\n{caption}"
    assert kinds(text)[-1] == ("caption", caption)


def test_quoted_testimony_with_attribution_stays_body() -> None:
    text = "« Nous avons eu très peur, les obus tombaient partout », a raconté un habitant joint par téléphone."
    assert kinds(text)[0][0] == "body"


def test_cut_off_last_sentence_does_not_crash() -> None:
    text = ("Des hélicoptères ont largué samedi des barils explosifs sur Deraa.\n\n"
            "Le bilan, selon une source médicale qui a requis l'anonymat et qui")
    result = normalise(text)
    assert result.text.endswith("et qui")
    assert len(result.paragraphs) == 2


def test_cut_off_report_goes_through_the_pipeline(events_of) -> None:
    text = "Des hélicoptères ont largué samedi des barils explosifs sur Deraa, tuant cinq civils, selon l'OSDH. Le bilan, selon"
    events = events_of(text, "2013-07-29", "fr")
    assert isinstance(events, list)


def test_empty_and_whitespace_text() -> None:
    assert normalise("").text == ""
    assert normalise(" \n\u00a0\n ").text == ""
