"""PhraseIndex: matching a window of a Doc finds exactly the matches of the whole Doc that
start inside the window and end inside it, whatever windows were matched before.

The index keeps, per Doc, the tokens that can start one of its phrases; these tests check
that the shortcut never changes what is found.
"""

from __future__ import annotations

from khaldun.extract.lexicon import PhraseIndex

PHRASES = [("tuer", "kill"), ("bombarder", "shell"), ("prendre le contrôle", "take"), ("signer * accord", "sign"),
           ("armée", "army"), ("armée malienne", "malian army"), ("le", "article")]
TEXT = ("L'armée malienne a bombardé la ville. Les rebelles ont pris le contrôle du camp et tué trois soldats. "
        "Les deux camps ont signé hier un accord. L'armée a repris le contrôle.")


def expected(index: PhraseIndex, doc, start: int, end: int):  # noqa: ANN001, ANN201 - a spaCy Doc; matches
    """The matches of the whole Doc that lie in ``[start, end)``."""
    return [(m.start, m.end, m.payload) for m in index.matches(doc)
            if start <= m.start < end and m.end <= end]


def test_windows_find_the_matches_of_the_whole_that_fit_in_them(nlp_fr) -> None:
    doc = nlp_fr(TEXT)
    index = PhraseIndex(PHRASES)
    whole = [(m.start, m.end, m.payload) for m in index.matches(doc)]
    assert {"malian army", "shell", "take", "kill", "sign", "army"} <= {payload for *_, payload in whole}
    for start in range(0, len(doc), 3):
        for end in (start, start + 4, start + 11, len(doc)):
            window = [(m.start, m.end, m.payload) for m in index.matches(doc, start, end)]
            assert window == expected(PhraseIndex(PHRASES), nlp_fr(TEXT), start, end), (start, end)


def test_two_indexes_on_one_doc_keep_their_own_starts(nlp_fr) -> None:
    doc = nlp_fr(TEXT)
    first, second = PhraseIndex([("armée", "army")]), PhraseIndex([("accord", "deal")])
    assert [m.payload for m in first.matches(doc)] == ["army", "army"]
    assert [m.payload for m in second.matches(doc)] == ["deal"]
    assert [m.payload for m in first.longest(doc, 0, len(doc))] == ["army", "army"]
