"""Parse a report with spaCy in pieces when it is long, so memory stays bounded.

spaCy's parser holds its working state for the whole text at once: a report of a million
characters took gigabytes. A long text is cut at paragraph breaks (at a sentence end or a
space if one paragraph is itself too long) into pieces of at most ``chunk_chars``, parsed
one at a time and joined with ``Doc.from_docs``. The pieces keep every character (each
ends with the break that follows it), so the joined Doc's text is the input exactly and
every span offset stays valid. A blank line always starts a sentence in khaldun (see
:mod:`khaldun.nlp.models`), so cutting there changes no sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc

PARSE_CHUNK_CHARS = 50_000
"""Largest piece parsed at once: a few times a long news report, a few hundred MB at most."""

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
SENTENCE_END = re.compile(r"[.!?…][\"'»”)\]]*\s+")


def parse(nlp: Language, text: str, chunk_chars: int = PARSE_CHUNK_CHARS) -> Doc:
    """``nlp(text)``, in pieces of at most ``chunk_chars`` characters when the text is longer."""
    if len(text) <= chunk_chars:
        return nlp(text)
    docs = []
    for doc in nlp.pipe(chunks(text, chunk_chars), batch_size=1):
        doc.tensor = doc.tensor[:0]  # khaldun reads no tensors: drop each piece's before the next is parsed
        docs.append(doc)
    return Doc.from_docs(docs, ensure_whitespace=False, exclude=["tensor"])


def chunks(text: str, chunk_chars: int) -> Iterator[str]:
    """Consecutive pieces of ``text`` of at most ``chunk_chars`` characters that join back to it.

    Each piece ends after a paragraph break if one falls in its window, else after a
    sentence end, else after a space; only a run of ``chunk_chars`` characters without any
    space is cut where it stands.
    """
    start = 0
    while len(text) - start > chunk_chars:
        end = start + chunk_chars
        window = text[start:end]
        cut = _last_end(PARAGRAPH_BREAK, window) or _last_end(SENTENCE_END, window) or window.rfind(" ") + 1
        cut = cut or chunk_chars
        yield text[start:start + cut]
        start += cut
    if start < len(text):
        yield text[start:]


def _last_end(pattern: re.Pattern[str], window: str) -> int:
    """End of the last match of ``pattern`` in ``window``, 0 if none."""
    last = 0
    for match in pattern.finditer(window):
        last = match.end()
    return last
