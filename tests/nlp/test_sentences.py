"""Sentence splitting through the spaCy pipeline with khaldun's boundary component."""

from __future__ import annotations

from khaldun.ingest.normalise import normalise
from khaldun.nlp.models import load_pipeline


def sentences(nlp, text: str) -> list[str]:
    return [s.text.strip() for s in nlp(normalise(text).text).sents if s.text.strip()]


def test_load_pipeline_is_cached_and_has_boundary_component() -> None:
    nlp = load_pipeline("fr")
    assert load_pipeline("fr") is nlp
    assert "khaldun_sentences" in nlp.pipe_names
    assert nlp.pipe_names.index("khaldun_sentences") < nlp.pipe_names.index("parser")


def test_caption_is_never_glued_to_next_paragraph_fr(nlp_fr) -> None:
    text = ("Photo : des secouristes fouillent les décombres d'un immeuble à Alep\n\n"
            "des rebelles ont tiré des obus de mortier sur le quartier de Midane, faisant trois morts.")
    assert sentences(nlp_fr, text) == [
        "Photo : des secouristes fouillent les décombres d'un immeuble à Alep",
        "des rebelles ont tiré des obus de mortier sur le quartier de Midane, faisant trois morts.",
    ]


def test_caption_is_never_glued_to_next_paragraph_en(nlp_en) -> None:
    text = ("Photo: Yemeni soldiers stand guard at a checkpoint in Sanaa\n\n"
            "gunmen abducted a German aid worker in central Sanaa, a police official said.")
    assert len(sentences(nlp_en, text)) == 2


def test_hyphenated_names_do_not_split_sentences(nlp_fr) -> None:
    text = ("Le commandant Abou-Rami a indiqué que l'état-major de l'ASL avait ordonné le retrait de Jobar. "
            "Selon l'OSDH, les combats ont repris dimanche.")
    assert len(sentences(nlp_fr, text)) == 2


def test_abbreviations_do_not_end_sentences(nlp_en) -> None:
    text = "Gen. Salim Idriss said on Aug. 6 that rebels had seized the base. Activists confirmed the report."
    assert sentences(nlp_en, text) == ["Gen. Salim Idriss said on Aug. 6 that rebels had seized the base.",
                                       "Activists confirmed the report."]


def test_quoted_sentence_ends_after_closing_quote(nlp_fr) -> None:
    text = "« Nous avons eu très peur. » Les habitants ont fui vers le sud, selon un témoin."
    parts = sentences(nlp_fr, text)
    assert parts[0] == "« Nous avons eu très peur. »"
    assert parts[1].startswith("Les habitants")


def test_every_paragraph_starts_a_sentence(nlp_fr) -> None:
    text = "Premier paragraphe sans point final\n\nsecond paragraphe en minuscule\n\ntroisième"
    assert sentences(nlp_fr, text) == ["Premier paragraphe sans point final", "second paragraphe en minuscule", "troisième"]
