"""The shipped classifier reads a sentence the same whatever else is read in the same call.

The pipeline reads every sentence of a batch of reports in one call (a call's fixed cost
was most of the classifier's time); that is only allowed because each row of the features
and of the probabilities is computed on its own, to the bit.
"""

from __future__ import annotations

from khaldun.classify.model import EventClassifier

SENTENCES = [
    "Des hommes armés ont attaqué un poste de gendarmerie près de Mopti, tuant deux gendarmes.",
    "Gunmen attacked a police post near Kano late on Monday, killing two officers.",
    "Le ministre a inauguré une école dans la capitale.",
    "Thousands of people marched peacefully through the city centre on Saturday.",
    "Un obus est tombé sur le marché, faisant 12 morts et 30 blessés selon l'hôpital.",
    "Tirs.",
    "",
]


def test_a_sentence_reads_the_same_alone_and_in_a_batch() -> None:
    classifier = EventClassifier.default()
    together = classifier(SENTENCES)
    alone = [classifier([sentence])[0] for sentence in SENTENCES]
    assert together == alone
    assert classifier(list(reversed(SENTENCES))) == list(reversed(together))
    assert classifier(SENTENCES + SENTENCES[:3]) == together + together[:3]


def test_no_sentence_reads_nothing() -> None:
    assert EventClassifier.default()([]) == []
