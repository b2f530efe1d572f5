"""Write the event-classifier corpus's data card (khaldun/data/corpus/README.md) from the corpus.

    python scripts/corpus_card.py > khaldun/data/corpus/README.md

tests/classify/test_corpus.py checks that the committed card matches the corpus.
"""

from __future__ import annotations

from collections import Counter

from khaldun.classify.corpus import NO_EVENT, Example, labels, read_corpus

HEADER = """# The event classifier's training corpus

Labelled sentences written for khaldun by its contributors, MIT-licensed like the code. Each
line of `<lang>/<part>.jsonl` is one sentence: `{"text", "label", "lang", "region", "style",
"kind"}`; `label` is one of ACLED's 25 sub-event types or `None` (the sentence reports no
concrete event), `kind` says what a `None` sentence is instead (a threat, a plan, a denial,
background history...).

## How it was made

Every sentence was written by hand, in French or in English (the French lines are original
French writing, not translations), describing invented incidents set in real places with the
real armed groups, forces and protest movements of each region. Nothing was copied or
paraphrased from ACLED (its terms forbid training on its data), from khaldun's evaluation
reports, or from any press text; lines that came out close to a famous real incident were
rewritten with other places, dates and figures. The corpus was written in seven parts:
battles and remote violence; bombs and violence against civilians; demonstrations, riots,
arrests and looting; strategic developments; general non-events and coder-style one-line
summaries of every type; sentences as they stand in the body of long articles (attribution,
tolls, pluperfect, testimony); and hard negatives (event words, no event). Each part was
checked by script: valid records, exact labels, 8 to 60 words, no duplicate text in the
whole corpus. `None` sentences are the hard cases a classifier must learn: threats, plans and
future acts, denials, negated acts, hypotheticals, analyses, diplomacy and talks,
humanitarian and economic news, background history, running tallies, court cases.

`khaldun train` rebuilds the shipped model from these files (see the README's "Event
classifier" section). This card is written by `python scripts/corpus_card.py`.
"""


def table(title: str, rows: list[tuple[str, Counter, Counter]]) -> list[str]:
    lines = ["", f"## {title}", "", "| | en | fr | all |", "|---|---:|---:|---:|"]
    for name, en, fr in rows:
        lines.append(f"| {name} | {en} | {fr} | {en + fr} |")
    return lines


def card(examples: list[Example]) -> str:
    by = {lang: [e for e in examples if e.lang == lang] for lang in ("en", "fr")}
    def counts(key) -> list[tuple[str, int, int]]:  # type: ignore[no-untyped-def]
        values = sorted({key(e) for e in examples if key(e)})
        return [(v, sum(key(e) == v for e in by["en"]), sum(key(e) == v for e in by["fr"])) for v in values]
    none = sum(e.label == NO_EVENT for e in examples)
    lines = [HEADER.rstrip(), "", "## Size", "",
             f"{len(examples)} sentences: {len(by['en'])} English, {len(by['fr'])} French; "
             f"{none} non-events ({none / len(examples):.0%})."]
    lines += table("Sentences per label", [(label, sum(e.label == label for e in by["en"]), sum(e.label == label for e in by["fr"]))
                                            for label in labels()])
    lines += table("Sentences per region", counts(lambda e: e.region))
    lines += table("Sentences per style", counts(lambda e: e.style))
    lines += table("Non-event sentences per kind", counts(lambda e: e.kind if e.label == NO_EVENT else None))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(card(read_corpus()), end="")
