"""The extraction pipeline: a report in, mentions and ACLED-coded events out.

Stages run in this order, each with one job and a typed output (see ``STAGES``):
normalise -> language -> parse (spaCy) -> places -> actors -> dates -> numbers -> claims
-> triggers -> events -> merge -> code. One bad report never stops a batch: its error
is recorded on its :class:`DocumentResult` and the pipeline moves on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span as SpacySpan

from khaldun.classify.combine import Combiner
from khaldun.classify.model import EventClassifier, Prediction
from khaldun.errors import KhaldunError, error
from khaldun.extract.actors import ActorDictionary, ActorFinder
from khaldun.extract.claims import ClaimFinder
from khaldun.extract.control import ControlFinder
from khaldun.extract.dates import DateFinder
from khaldun.extract.events import EventAssembler, EventCandidate, is_crowd
from khaldun.extract.lexicon import doc_text
from khaldun.extract.numbers import NumberFinder
from khaldun.extract.triggers import TriggerFinder
from khaldun.ingest.limits import check_length, max_report_chars
from khaldun.ingest.normalise import NormalisedText, Paragraph, normalise
from khaldun.nlp.language import check_language, detect_language
from khaldun.nlp.models import load_pipeline
from khaldun.nlp.parse import chunks, parse
from khaldun.resolve.acled import AcledCoder
from khaldun.resolve.merge import BATTLE, DEMONSTRATIONS, LOOTING, TERRITORY, merge_candidates
from khaldun.resources import load_yaml
from khaldun.schema import (
    INTER_ARMED, INTER_NON_STATE, INTER_STATE, ActorMention, DateMention, DocumentResult, Event, Mentions, Report, Sentence,
    Span,
)

FOCUS_SENTENCES = 12
"""How many of a report's first sentences vote, through their actors, for the report's country."""

LONG_REPORT_CHARS = 20_000
"""A report longer than this (normalised) is processed in sections: several times a long news
article, and where the cost of the mention stages, which look across a whole report, starts to
grow faster than its length (a million characters took gigabytes and many minutes whole)."""

SECTION_CHARS = 10_000
"""Largest section of a long report, cut at paragraph breaks; each is analysed on its own."""


STAGES: tuple[tuple[str, str], ...] = (
    ("normalise", "Report.text -> NormalisedText (paragraphs labelled body/caption/quote/heading)"),
    ("language", "Report -> supported ISO 639-1 code (given or detected)"),
    ("parse", "NormalisedText -> spaCy Doc with rule-based sentence starts"),
    ("places", "Doc -> PlaceMention[] resolved in the gazetteer; the report's focus country"),
    ("actors", "Doc sentences -> ActorMention[] normalised by the actor dictionary"),
    ("dates", "text + publication date -> DateMention[] resolved, with precision"),
    ("numbers", "Doc sentences -> NumberMention[] (killed / injured / people)"),
    ("claims", "Doc sentences -> ClaimMention[] (who says so)"),
    ("triggers", "Doc sentences -> TriggerMention[] with type, strength and modality"),
    ("classify", "sentence texts -> Sentence.label (sub-event type or None) with its probability; triggers checked"),
    ("control", "Doc sentences + actors, places, dates -> ControlMention[] (who holds a place, since when)"),
    ("events", "Mentions + Doc -> EventCandidate[] with roles, date, place, toll, claim"),
    ("merge", "EventCandidate[] -> EventGroup[] (one per real event in the report)"),
    ("code", "EventGroup[] -> Event[] with ACLED's columns and evidence"),
)
"""The stages in order, with their data contract."""


@dataclass
class LanguageStages:
    """The per-language stages, built once from the language's data files."""

    language: str
    nlp: Language
    dates: DateFinder
    numbers: NumberFinder
    claims: ClaimFinder
    triggers: TriggerFinder
    control: ControlFinder
    events: EventAssembler


@dataclass
class Analysis:
    """Everything the pipeline knows about one report after the mention stages."""

    report: Report
    normalised: NormalisedText
    doc: Doc
    sentences: list[SpacySpan]
    mentions: Mentions
    focus_country: str | None


class Pipeline:
    """Runs the stages over reports. Heavy resources load on first use, once per process."""

    def __init__(self, *, place_finder: Any = None, batch_size: int = 16, use_classifier: bool = True,
                 max_chars: int | None = None) -> None:
        self._place_finder = place_finder
        self.use_classifier = use_classifier
        self._stages: dict[str, LanguageStages] = {}
        self.batch_size = batch_size
        self._max_chars = max_chars

    @property
    def max_chars(self) -> int:
        """The largest report processed (E110 above): ``max_chars``, else ``KHALDUN_MAX_CHARS`` or 1,000,000."""
        return self._max_chars if self._max_chars is not None else max_report_chars()

    @cached_property
    def taxonomy(self) -> dict[str, Any]:
        return load_yaml("taxonomy.yaml")

    @cached_property
    def dictionary(self) -> ActorDictionary:
        return ActorDictionary.default()

    @cached_property
    def actors(self) -> ActorFinder:
        return ActorFinder(dictionary=self.dictionary)

    @cached_property
    def places(self) -> Any:
        if self._place_finder is None:
            from khaldun.extract.places import PlaceFinder

            self._place_finder = PlaceFinder()
        return self._place_finder

    @cached_property
    def gazetteer(self) -> Any:
        from khaldun.geo import Gazetteer

        return Gazetteer.open()

    @cached_property
    def classifier(self) -> EventClassifier:
        return EventClassifier.default()

    @cached_property
    def combiner(self) -> Combiner:
        return Combiner(policy=load_yaml("classifier", "combine.yaml"), taxonomy=self.taxonomy)

    @cached_property
    def coder(self) -> AcledCoder:
        return AcledCoder(taxonomy=self.taxonomy, dictionary=self.dictionary)

    def stages_for(self, language: str) -> LanguageStages:
        if language not in self._stages:
            lexicon = load_yaml("lexicons", f"{language}.yaml")
            self._stages[language] = LanguageStages(
                language=language,
                nlp=load_pipeline(language),
                dates=DateFinder(language=language, lexicon=lexicon),
                numbers=NumberFinder(lexicon=lexicon),
                claims=ClaimFinder(lexicon=lexicon),
                triggers=TriggerFinder(lexicon=lexicon, taxonomy=self.taxonomy),
                control=ControlFinder(lexicon=lexicon),
                events=EventAssembler(lexicon=lexicon, taxonomy=self.taxonomy, dictionary=self.dictionary),
            )
        return self._stages[language]

    def language_of(self, report: Report) -> str:
        code = report.language or detect_language(report.text, report.origin or report.id)
        return check_language(code, report.origin or report.id)

    def analyse(self, report: Report, doc: Doc | None = None, normalised: NormalisedText | None = None, *,
                readings: dict[str, Prediction] | None = None) -> Analysis:
        """Run the mention stages on one report; ``readings``: the classifier's, read ahead by sentence text."""
        if report.publication_date is None:
            raise error("E106", origin=report.origin or report.id)
        check_length(report.text, report.origin or report.id, self.max_chars)
        language = self.language_of(report)
        stages = self.stages_for(language)
        normalised = normalised or normalise(report.text)
        if not normalised.text.strip():
            raise error("E102", origin=report.origin or report.id)
        doc = doc if doc is not None else parse(stages.nlp, normalised.text)
        text = doc_text(doc)  # a Span's text is joined from its tokens on every call: slice the Doc's once
        sentences = [s for s in doc.sents if text[s.start_char:s.end_char].strip()]
        records = [_sentence_record(s, text[s.start_char:s.end_char], normalised) for s in sentences]
        unbound = [self.actors(doc, s, focus_country=None, language=language) for s in sentences[:FOCUS_SENTENCES]]
        places = self.places(doc, language=language, country_hint=self._country_hint(normalised, unbound))
        focus = self._focus_country(places, unbound)
        mentions = Mentions(doc_id=report.id, language=language, publication_date=report.publication_date,
                            text=normalised.text, sentences=records, places=places)
        for sentence in sentences:
            mentions.actors += self.actors(doc, sentence, focus_country=focus, language=language)
            mentions.numbers += stages.numbers(doc, sentence)
            mentions.claims += stages.claims(doc, sentence)
            mentions.triggers += stages.triggers(doc, sentence)
        mentions.actors = self.actors.name_the_rebels(mentions.actors)
        if self.use_classifier:
            self._classify(records, normalised.text, readings or {})
            mentions.triggers = self.combiner(sentences, records, mentions.triggers, stages.triggers, mentions.numbers)
        located = [p.span for p in places if p.relation in {"in", "near"}]  # "à Bangui": the city, not its government
        mentions.actors = [a for a in mentions.actors if not any(l.start <= a.span.start < l.end for l in located)]
        names = [a.span for a in mentions.actors]  # "Mouvement du 23 mars" is a name, not a date
        mentions.dates = [d for d in stages.dates(normalised.text, report.publication_date, doc=doc)
                          if not any(n.start <= d.span.start < n.end for n in names)]
        for sentence in sentences:
            mentions.controls += stages.control(doc, sentence, mentions.actors, mentions.places, mentions.dates)
        return Analysis(report, normalised, doc, sentences, mentions, focus)

    def _classify(self, records: list[Sentence], text: str, known: dict[str, Prediction]) -> None:
        """The classifier's reading of each sentence, kept on its record.

        Sentences read ahead for the whole batch (``known``, see :meth:`_read_ahead`) are taken
        from there; the others are read now. A sentence's reading depends on its text alone.
        """
        texts = [text[r.start:r.end] for r in records]
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        fresh = dict(zip(missing, self.classifier(missing))) if missing else {}
        for record, prediction in zip(records, (known.get(t) or fresh[t] for t in texts)):
            record.label = prediction.label
            record.label_confidence = round(prediction.confidence, 4)
            record.event_probability = round(prediction.event_probability, 4)
            record.event_type = prediction.event_type
            record.type_confidence = round(prediction.type_confidence, 4)

    def events(self, analysis: Analysis) -> list[Event]:
        """Assemble, merge and code the events of an analysed report."""
        stages = self.stages_for(analysis.mentions.language)
        mentions = analysis.mentions  # event dates are read as ACLED does: done acts look back, planned ones date nothing
        dated = mentions.model_copy(update={"dates": stages.dates.event_dates(mentions.dates, mentions.text,
                                                                              mentions.publication_date)})
        candidates = stages.events(analysis.doc, dated, analysis.sentences, analysis.focus_country)
        _date_lead(candidates, dated, analysis.doc, stages.events)
        _riots_need_a_crowd(candidates, analysis.mentions.actors)
        _crowd_violence(candidates, self.dictionary, analysis.focus_country)
        groups = merge_candidates(candidates, set(self.taxonomy["absorbed_by_battles"]), analysis.mentions.publication_date)
        _territory_losers(groups, analysis, self.dictionary)
        return self.coder(groups, analysis.report, analysis.normalised.text, analysis.focus_country,
                          claimants=self.actors.claimants(analysis.doc, analysis.mentions.actors))

    def process(self, report: Report) -> DocumentResult:
        """One report through every stage; a failure becomes the result's coded error."""
        return self._guarded(report, None, None)

    def _guarded(self, report: Report, doc: Doc | None, normalised: NormalisedText | None,
                 readings: dict[str, Prediction] | None = None) -> DocumentResult:
        """Run one report; any failure becomes a coded, one-line error on its result."""
        try:
            check_length(report.text, report.origin or report.id, self.max_chars)
            if len(report.text) > LONG_REPORT_CHARS:
                normalised = normalised or normalise(report.text)
                if len(normalised.text) > LONG_REPORT_CHARS:
                    return self._in_sections(report, normalised)
            analysis = self.analyse(report, doc, normalised, readings=readings)
            return DocumentResult(report=report, mentions=analysis.mentions, events=self.events(analysis))
        except KhaldunError as exc:
            return DocumentResult(report=report, error=str(exc))
        except Exception as exc:  # noqa: BLE001 - one bad report must not stop a batch
            reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
            return DocumentResult(report=report, error=str(error("E501", origin=report.origin or report.id, reason=reason)))

    def _in_sections(self, report: Report, normalised: NormalisedText) -> DocumentResult:
        """A long report, analysed a section at a time; events and mentions point into the whole text.

        Events are numbered through the report; an event told in two sections is two events
        (a long document tells many, each near its own words).
        """
        events: list[Event] = []
        parts: list[tuple[int, int, Mentions]] = []
        paragraphs = 0
        for offset, section in _sections(normalised):
            analysis = self.analyse(report, None, section)
            for event in self.events(analysis):
                for evidence in event.evidence:
                    evidence.start += offset
                    evidence.end += offset
                prefix, _, _ = event.event_id_cnty.rpartition("-")
                event.event_id_cnty = f"{prefix}-{len(events) + 1}" if prefix else event.event_id_cnty
                events.append(event)
            parts.append((offset, paragraphs, analysis.mentions))
            paragraphs += len(section.paragraphs)
        return DocumentResult(report=report, mentions=_joined_mentions(parts, normalised.text), events=events)

    def pipe(self, items: Iterable[Report | KhaldunError]) -> Iterator[DocumentResult | KhaldunError]:
        """Process a stream in input order, parsing in batches with ``nlp.pipe``.

        A batch closes when one language (as given) has ``batch_size`` reports, or the batch
        twice that: each language's reports are parsed together, so mixed French and English
        input still fills spaCy's batches. Reading errors pass through unchanged, so the caller
        reports them in place.
        """
        batch: list[Report | KhaldunError] = []
        languages: Counter[str] = Counter()
        for item in items:
            batch.append(item)
            if isinstance(item, Report):
                languages[item.language or ""] += 1
            if len(batch) >= 2 * self.batch_size or max(languages.values(), default=0) >= self.batch_size:
                yield from self._run_batch(batch)
                batch = []
                languages.clear()
        if batch:
            yield from self._run_batch(batch)

    def _run_batch(self, batch: list[Report | KhaldunError]) -> Iterator[DocumentResult | KhaldunError]:
        """Parse the batch's reports together with ``nlp.pipe``, then run each one guarded.

        A report that cannot be prepared (too large, unsupported language...), a long one
        (parsed in pieces on its own) and every report after a failure inside ``nlp.pipe``
        are parsed one by one by :meth:`analyse`, where a failure is that report's error only.
        """
        prepared: dict[int, tuple[str, NormalisedText]] = {}
        for position, item in enumerate(batch):
            if isinstance(item, Report):
                try:
                    check_length(item.text, item.origin or item.id, self.max_chars)
                    prepared[position] = (self.language_of(item), normalise(item.text))
                except Exception:  # noqa: BLE001 - reported per document by _guarded below
                    continue
        docs: dict[int, Doc] = {}
        for language in sorted({lang for lang, _ in prepared.values()}):
            positions = [p for p, (lang, normalised) in prepared.items()
                         if lang == language and len(normalised.text) <= LONG_REPORT_CHARS]
            texts = [prepared[p][1].text for p in positions]
            try:  # a text's parse does not depend on its batch-mates (tests/nlp/test_batching.py checks it)
                for position, doc in zip(positions, self.stages_for(language).nlp.pipe(texts, batch_size=self.batch_size)):
                    docs[position] = doc
            except Exception:  # noqa: BLE001 - the reports not parsed yet are parsed alone by _guarded
                continue
        readings = self._read_ahead(docs.values())
        for position, item in enumerate(batch):
            if not isinstance(item, Report):
                yield item
                continue
            normalised = prepared[position][1] if position in prepared else None
            yield self._guarded(item, docs.get(position), normalised, readings)

    def _read_ahead(self, docs: Iterable[Doc]) -> dict[str, Prediction]:
        """The classifier's reading of every sentence of the batch's parsed reports, in one call.

        One call for the batch instead of one per report: the classifier's fixed cost per call
        (vectorisers, sparse matrices) was most of its time on news-length reports. Each row is
        computed on its own, so a sentence reads the same whatever else is in the call
        (tests/classify/test_model.py checks it); a failure here leaves each report to read its own.
        """
        if not self.use_classifier:
            return {}
        texts = list(dict.fromkeys(text for doc in docs
                                   for text in (doc_text(doc)[s.start_char:s.end_char].strip() for s in doc.sents) if text))
        try:
            return dict(zip(texts, self.classifier(texts))) if texts else {}
        except Exception:  # noqa: BLE001 - _classify reads each report's sentences itself, guarded per report
            return {}

    def _country_hint(self, normalised: NormalisedText, unbound: list[list[ActorMention]]) -> str | None:
        """What the dateline ("MAIDUGURI, Nigeria (Reuters)") and the named state actors
        ("Nigerian warplanes") say about the report's country, before places are resolved."""
        votes: Counter[str] = Counter()
        if normalised.dateline:
            head = normalised.dateline.split("(")[0].split(",")
            for name in reversed([part.strip() for part in head if part.strip()]):
                country = self.dictionary.country(name) or self.dictionary.countries.get(
                    next((e.country_code for e in self.gazetteer.lookup(name, limit=1)), ""))
                if country is not None:
                    votes[country.iso2] += 2
                    break
        for mentions in unbound:
            for mention in mentions:
                country = self.dictionary.country(mention.actor.country)
                if country is not None and not mention.actor.generic or mention.actor.inter == 1 and country:
                    votes[country.iso2] += 1
        return votes.most_common(1)[0][0] if votes else None

    def _focus_country(self, places: list[Any], unbound: list[list[ActorMention]]) -> str | None:
        """The country the report is about: from its places, else from named actors' countries."""
        iso2 = self.places.focus_country(places) if places else None
        if iso2:
            country = self.dictionary.countries.get(iso2)
            if country:
                return country.name
        counts: Counter[str] = Counter()
        for mentions in unbound:
            for mention in mentions:
                if mention.actor.country:
                    counts[mention.actor.country] += 1
        return counts.most_common(1)[0][0] if counts else None


def _sections(normalised: NormalisedText) -> Iterator[tuple[int, NormalisedText]]:
    """``(offset, section)`` pieces of a long text, cut at paragraph breaks (see :func:`khaldun.nlp.parse.chunks`)."""
    offset = 0
    for piece in chunks(normalised.text, SECTION_CHARS):
        text = piece.rstrip()
        end = offset + len(text)
        paragraphs = [Paragraph(max(p.start, offset) - offset, min(p.end, end) - offset, p.kind)
                      for p in normalised.paragraphs if p.start < end and p.end > offset]
        if text.strip():
            yield offset, NormalisedText(text, paragraphs, normalised.dateline if offset == 0 else None)
        offset += len(piece)


def _joined_mentions(parts: list[tuple[int, int, Mentions]], text: str) -> Mentions | None:
    """The sections' mentions as one report's: every span shifted to the whole text."""
    if not parts:
        return None
    joined: dict[str, Any] = {}
    for offset, paragraphs, mentions in parts:
        data = _shifted(mentions.model_dump(), offset)
        for sentence in data["sentences"]:
            sentence["paragraph"] += paragraphs
            sentence["paragraph_start"] += offset
        for key, value in data.items():
            if isinstance(value, list):
                joined.setdefault(key, []).extend(value)
            else:
                joined.setdefault(key, value)
    joined["text"] = text
    return Mentions.model_validate(joined)


def _shifted(value: Any, offset: int) -> Any:
    """``value`` with every span (``{start, end, text}``) and sentence record moved by ``offset`` characters."""
    if isinstance(value, dict):
        shifted = {key: _shifted(item, offset) for key, item in value.items()}
        if {"start", "end"} <= set(value) and isinstance(value["start"], int) and ("text" in value or "paragraph" in value):
            shifted["start"] += offset
            shifted["end"] += offset
        return shifted
    if isinstance(value, list):
        return [_shifted(item, offset) for item in value]
    return value


def _sentence_record(sentence: SpacySpan, text: str, normalised: NormalisedText) -> Sentence:
    """The record of a sentence whose text is ``text``, spaces around it left out."""
    start = sentence.start_char + (len(text) - len(text.lstrip()))
    end = sentence.end_char - (len(text) - len(text.rstrip()))
    index, paragraph = next(((i, p) for i, p in enumerate(normalised.paragraphs) if p.start <= start < p.end + 1),
                            (len(normalised.paragraphs) - 1, normalised.paragraphs[-1]))
    return Sentence(start=start, end=end, paragraph=index, paragraph_start=paragraph.start, is_caption=paragraph.kind in {"caption", "heading"},
                    is_quote=paragraph.kind == "quote")


RIOTS = {"Violent demonstration", "Mob violence"}
CROWD_ACTS = BATTLE | {"Attack", LOOTING}
PROTESTS = set(DEMONSTRATIONS) - {"Mob violence"}
"""The demonstration types that tell a protest is on: a "mob" beside them is its crowd."""


def _crowd_violence(candidates: list[EventCandidate], dictionary: ActorDictionary, focus_country: str | None) -> None:
    """A crowd's violence is a riot (ACLED): protesters who clash with the police, storm a post or
    burn a building make a violent demonstration by rioters. In a report about a demonstration,
    clashes that name no armed group on either side are the demonstrators' with the police, and
    the "mob" being dispersed is the demonstration's crowd, not a lynch mob. A riot's first actor
    is always the rioters; whoever else the sentence named is what they attacked."""
    if dictionary.generic("rioters", focus_country) is None:
        return
    demonstration = any(c.sub_event_type in DEMONSTRATIONS for c in candidates)
    protest_sentences = {c.sentence_index for c in candidates if c.sub_event_type in PROTESTS}
    for candidate in candidates:
        sides = [m for m in (candidate.actor1, candidate.actor2) if m is not None]
        crowd_agent = is_crowd(candidate.actor1)
        if candidate.sub_event_type == "Mob violence" and candidate.sentence_index in protest_sentences:
            target = candidate.actor2
        elif candidate.sub_event_type in CROWD_ACTS and crowd_agent:
            target = candidate.actor2
        elif candidate.sub_event_type == "Armed clash" and demonstration \
                and not any(m.actor.inter in INTER_ARMED for m in sides):
            target = next((m for m in sides if m.actor.inter == INTER_STATE), None)
        elif candidate.sub_event_type == "Violent demonstration" and candidate.actor1 is not None and not crowd_agent:
            target = candidate.actor2 or candidate.actor1  # "stones thrown at the UN base": the rioters', at the UN
        else:
            continue
        candidate.sub_event_type = "Violent demonstration"
        candidate.actor1 = dictionary.implied("rioters", focus_country, candidate.trigger)
        candidate.actor2 = None if is_crowd(target) else target


def _riots_need_a_crowd(candidates: list[EventCandidate], actors: list[ActorMention]) -> None:
    """ACLED's riots are a crowd's: soldiers or militiamen who ransack a camp destroy property,
    they do not riot. A sentence that names a crowd keeps its riot, whoever got the role."""
    crowds = [a.span.start for a in actors if is_crowd(a)]
    for candidate in candidates:
        start, end = candidate.sentence_span
        if candidate.sub_event_type in RIOTS and candidate.actor1 is not None \
                and candidate.actor1.actor.inter in INTER_ARMED | {INTER_STATE} and not any(start <= c < end for c in crowds):
            candidate.sub_event_type = LOOTING


def _territory_losers(groups: list[Any], analysis: Analysis, dictionary: ActorDictionary) -> None:
    """A place taken by fighting was taken from someone: the state's forces when a non-state
    actor took it, else the non-state side the report names most (ACLED codes both sides)."""
    counts: Counter[str] = Counter()
    first: dict[str, Any] = {}
    for mention in analysis.mentions.actors:
        if mention.actor.inter in INTER_NON_STATE:
            counts[mention.actor.name] += 1
            first.setdefault(mention.actor.name, mention)
    for group in groups:
        if group.sub_event_type() not in TERRITORY or group.actor("actor2") is not None:
            continue
        member = group.first
        if group.sub_event_type() == "Non-state actor overtakes territory":
            loser = dictionary.implied("military", analysis.focus_country, member.trigger)
        else:
            loser = first[counts.most_common(1)[0][0]] if counts else None
        if loser is not None:
            member.actor2 = loser


def _date_lead(candidates: list[EventCandidate], mentions: Mentions, doc: Doc, assembler: EventAssembler) -> None:
    """Undated events told in the lead happened on the day a later sentence gives them ("the
    attack happened on Monday"), else on the publication day.

    A report's first paragraph tells the news of the day; events further down without a
    date of their own are left undated and merged or dropped by ``merge_candidates``.
    """
    lead = next((s.paragraph for s in mentions.sentences if not s.is_caption and not s.is_quote), 0)
    publication = mentions.publication_date
    for candidate in candidates:
        if candidate.date is None and candidate.paragraph == lead:
            candidate.date_inherited = True
            candidate.date = assembler.retold_date(candidate, mentions, doc)
            if candidate.date is not None:
                continue
            start = candidate.trigger.span.start
            candidate.date = DateMention(span=Span(start=start, end=start, text=""), kind="day",
                                         value=publication.isoformat(), start=publication, end=publication, precision=1)
            candidate.date_inherited = True
