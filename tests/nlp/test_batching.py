"""A text's parse does not depend on the other texts of its ``nlp.pipe`` batch.

The pipeline parses reports in batches (one per language in each batch of reports read):
parsing one text at a time cost about twice the CPU time. That is only allowed because
every attribute khaldun reads comes out the same for a text whatever its batch-mates, which
this checks on invented reports (the benchmark's templates) and sentences of our own, in
several batch sizes and orders. If a spaCy or model upgrade ever breaks it, this fails.
"""

from __future__ import annotations

import random

import pytest
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG

from khaldun.ingest.normalise import normalise

ATTRIBUTES = [TAG, POS, MORPH, DEP, HEAD, LEMMA, ENT_IOB, ENT_TYPE, SENT_START]

OWN = {
    "fr": ["Des tirs ont éclaté.",
           "MOPTI, Mali (AFP) — Des hommes armés ont attaqué lundi soir un poste de gendarmerie près de Mopti, "
           "tuant deux gendarmes, a indiqué le gouverneur de la région.\n\nLes assaillants ont pris la fuite à moto "
           "vers la frontière, selon une source sécuritaire, et une enquête a été ouverte."],
    "en": ["Shots were fired.",
           "KANO, Nigeria (Reuters) - Gunmen attacked a police post near Kano late on Monday, killing two officers, "
           "the state governor said.\n\nThe attackers fled on motorcycles towards the border, a security source "
           "said, and an inquiry was opened."],
}


def signature(doc) -> tuple[bytes, bytes]:  # noqa: ANN001 - a spaCy Doc
    return doc.to_array(ATTRIBUTES).tobytes(), doc.tensor.tobytes()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_text_parses_the_same_whatever_its_batch(language: str, pipeline, generator) -> None:  # noqa: ANN001
    nlp = pipeline.stages_for(language).nlp
    texts = OWN[language] + [normalise(r["text"]).text for r in generator.generate(60, seed=5)
                             if r["language"] == language]
    alone = [signature(doc) for doc in nlp.pipe(texts, batch_size=1)]
    rng = random.Random(7)
    for batch_size in (2, 5, 16, 1000):
        order = list(range(len(texts)))
        rng.shuffle(order)
        batched = dict(zip(order, (signature(doc) for doc in nlp.pipe([texts[i] for i in order], batch_size=batch_size))))
        changed = [texts[i][:40] for i in range(len(texts)) if batched[i] != alone[i]]
        assert not changed, f"batch size {batch_size}: parsed differently from alone: {changed}"
