"""PhraseIndex: a token matching two phrases of the same length gives the same match in every run."""

from __future__ import annotations

from spacy.tokens import Doc

from khaldun.extract.lexicon import PhraseIndex


def test_the_lemma_wins_over_a_homograph_form(nlp_fr) -> None:
    """'saccagé' is the verb 'saccager' (its lemma) and spelled like the noun 'saccage': the lemma wins."""
    index = PhraseIndex([("saccage", "noun"), ("saccager", "verb")])
    doc = nlp_fr("Des manifestants ont saccagé le siège du gouvernorat mardi.")
    token = next(t for t in doc if t.text == "saccagé")
    assert token.lemma_ == "saccager"
    assert [m.payload for m in index.longest(doc)] == ["verb"]


def test_ties_without_the_lemma_are_broken_alphabetically(nlp_en) -> None:
    """Two keys that are not the lemma (a plural form and its singular) come in sorted order."""
    words = Doc(nlp_en.vocab, words=["Houthis"])
    words[0].lemma_ = "zzz"
    index = PhraseIndex([("houthis", "plural"), ("houthi", "singular")], plurals=True)
    assert [m.payload for m in index.matches(words)] == ["singular", "plural"]
    assert [m.payload for m in index.longest(words)] == ["singular"]
