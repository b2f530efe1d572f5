"""Load the spaCy pipeline for a language, once per process.

A small component, ``khaldun_sentences``, sets sentence boundaries before the parser runs.
"""

from __future__ import annotations

import importlib.util
import os
from functools import cache

import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from khaldun.errors import error
from khaldun.resources import load_yaml


TERMINAL = {".", "!", "?", "…", "...", "!?", "?!"}
CLOSERS = {'"', "»", "”", "'", ")", "]"}
ABBREVIATIONS = {"m", "mm", "mme", "dr", "st", "mr", "mrs", "ms", "gen", "col", "lt", "sgt", "capt", "maj", "gov",
                 "sen", "rep", "jan", "feb", "aug", "sept", "sep", "oct", "nov", "dec", "u.s", "u.n", "no", "vs",
                 "etc", "av", "apr", "j.-c", "cf", "p"}


@Language.component("khaldun_sentences")
def sentence_boundaries(doc: Doc) -> Doc:
    """Set every sentence start before the parser runs, which then keeps them.

    The statistical French parser splits sentences at hyphens ("Abu-Rami", "état-major");
    rules on punctuation and paragraph breaks are more reliable for news text, and a blank
    line always ends a sentence, so a caption is never glued to the next paragraph.

    The starts are set in one ``from_array`` call: setting ``token.is_sent_start`` token by
    token makes spaCy check the whole Doc each time, which is quadratic on a long report.
    """
    starts = numpy.empty(len(doc), dtype="int64")
    start_next = True
    for token in doc:
        starts[token.i] = 1 if start_next else -1
        text = token.text
        if token.is_space and "\n" in text:
            start_next = True
        elif "\n" in token.whitespace_ or (token.i + 1 < len(doc) and doc[token.i + 1].is_space and "\n" in doc[token.i + 1].text):
            start_next = True
        elif text in TERMINAL:
            following = doc[token.i + 1] if token.i + 1 < len(doc) else None
            previous = doc[token.i - 1].lower_ if token.i else ""
            start_next = following is not None and following.text not in CLOSERS and previous not in ABBREVIATIONS and (
                following.is_title or following.is_upper or following.is_digit or following.text in {'"', "«", "“", "(", "-", "—"}
            )
        elif text in CLOSERS and token.i and doc[token.i - 1].text in TERMINAL:
            following = doc[token.i + 1] if token.i + 1 < len(doc) else None
            start_next = following is not None and (following.is_title or following.is_upper)
        else:
            start_next = False
    doc.from_array([SENT_START], starts.astype("uint64"))
    return doc


def model_name(language: str) -> str:
    """The first installed pipeline among those configured for ``language``."""
    config = load_yaml("languages.yaml")[language]
    override = os.environ.get(f"KHALDUN_MODEL_{language.upper()}")
    candidates = [override] if override else list(config["models"])
    for name in candidates:
        if importlib.util.find_spec(name) is not None:
            return name
    raise error("E301", language=language, package=config["install"])


@cache
def load_pipeline(language: str) -> Language:
    """The spaCy pipeline for ``language`` with khaldun's paragraph component."""
    nlp = spacy.load(model_name(language))
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("khaldun_sentences", before="parser")
    nlp.max_length = max(nlp.max_length, 2_000_000)
    return nlp
