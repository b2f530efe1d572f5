"""Normalise a report's text so that real web pages read like clean paragraphs.

Spans everywhere in khaldun point into the text this stage returns. It:
- folds odd spaces (non-breaking, narrow, zero-width) and typographic apostrophes;
- joins lines a page wrapped in mid-sentence, keeps real paragraph breaks as one blank line;
- removes datelines ("HOMS, Syria (AP) —"), bylines and credit lines, keeping the dateline apart;
- labels each paragraph: body, caption (photo/video legend), quote (a pull quote) or heading.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from khaldun.resources import load_yaml

ParagraphKind = Literal["body", "caption", "quote", "heading"]

SPACE_FOLD = str.maketrans({
    "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ", "\u2002": " ",
    "\u2003": " ", "\u3000": " ", "\t": " ", "\u2019": "'", "\u2018": "'", "\u02bc": "'",
    "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None, "\r": None,
})
TERMINAL = ".!?…»\"':;)]"
QUOTE_OPEN = "\"«“"
QUOTE_CLOSE = "\"»”"


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    kind: ParagraphKind


@dataclass
class NormalisedText:
    text: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    dateline: str | None = None


@cache
def _cues() -> tuple[tuple[str, ...], frozenset[str], re.Pattern[str], list[re.Pattern[str]]]:
    data = load_yaml("normalise.yaml")
    agencies = "|".join(re.escape(a) for a in sorted(set(data["agencies"]), key=len, reverse=True))
    place = r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’ .-]{1,40}"
    dateline = re.compile(
        rf"^(?P<dateline>{place}(?:,\s*[^()\n—–]{{1,40}}?)?\s*(?:\((?:{agencies})\)\s*)?[—–-]{{1,2}}|"
        rf"{place}(?:,\s*[^()\n—–]{{1,40}}?)?\s*\((?:{agencies})\)\s*[—–:-]{{0,2}}|"
        rf"[A-ZÀ-ÖØ-Þ]{{3,}}(?:\s[A-ZÀ-ÖØ-Þ]{{3,}})?:)\s+"
    )
    drops = [re.compile(p) for p in data["drop_line_patterns"]]
    return tuple(c.lower() for c in data["caption_starts"]), frozenset(data["caption_words"]), dateline, drops


def fold_characters(text: str) -> str:
    return unicodedata.normalize("NFC", text).translate(SPACE_FOLD)


def _paragraph_blocks(text: str) -> list[str]:
    """Non-empty lines, with lines that a page wrapped mid-sentence joined back."""
    _, _, _, drops = _cues()
    blocks: list[str] = []
    continuing = False
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if not line:
            continuing = False
            continue
        if any(p.match(line) for p in drops):
            continue
        if blocks and continuing and not blocks[-1].endswith(tuple(TERMINAL)) and (line[0].islower() or line[0].isdigit()):
            blocks[-1] = f"{blocks[-1]} {line}"
        elif blocks and continuing and not blocks[-1].endswith(tuple(TERMINAL)) and _looks_wrapped(blocks[-1]):
            blocks[-1] = f"{blocks[-1]} {line}"
        else:
            blocks.append(line)
        continuing = True
    return blocks


def _looks_wrapped(previous: str) -> bool:
    """A line cut before a word that continues it (ends with a preposition, article or comma)."""
    last = previous.rsplit(" ", 1)[-1].lower()
    return previous.endswith(",") or last in {"sur", "de", "du", "des", "la", "le", "les", "à", "au", "en", "et",
                                              "on", "of", "the", "a", "an", "in", "at", "to", "and", "by"}


def classify(paragraph: str) -> ParagraphKind:
    starts, words, _, _ = _cues()
    lower = paragraph.lower()
    tokens = set(re.findall(r"\w+", lower))
    if lower.startswith(starts) and (len(tokens) <= 60) and (tokens & words or not paragraph.endswith(".")):
        return "caption"
    if paragraph[0] in QUOTE_OPEN and paragraph.rstrip(" .")[-1:] in QUOTE_CLOSE and paragraph.count('"') <= 2:
        return "quote"
    if len(tokens) <= 12 and not paragraph.endswith(tuple(".!?…")):
        return "heading"
    return "body"


def normalise(text: str) -> NormalisedText:
    """Clean ``text`` into paragraphs separated by one blank line, each labelled."""
    _, _, dateline_re, _ = _cues()
    blocks = _paragraph_blocks(fold_characters(text))
    dateline = None
    starts, _, _, _ = _cues()
    for index, block in enumerate(blocks[:1]):
        match = dateline_re.match(block)
        if match and len(block) > match.end() + 20 and not block.lower().startswith(starts):
            dateline = match.group("dateline").rstrip(" —–-:").strip()
            blocks[index] = block[match.end():]
            break
    out: list[str] = []
    paragraphs: list[Paragraph] = []
    position = 0
    for block in blocks:
        if out:
            position += 2
        out.append(block)
        paragraphs.append(Paragraph(position, position + len(block), classify(block)))
        position += len(block)
    return NormalisedText("\n\n".join(out), paragraphs, dateline)
