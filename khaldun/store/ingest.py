"""Store reports and their events: one transaction per document, idempotent, resumable.

A document is identified by its report id and fingerprinted by a hash of everything that
shapes its extraction (text, publication date, language, outlet, URL). Ingesting:

* skips a document whose id and hash are already stored (before running extraction, so a
  re-run after a crash only pays for the documents it has not stored yet);
* replaces a changed document's own contributions (its source events, evidence and
  control statements), then re-merges the events around the dates it touched;
* records a document that fails extraction with its coded error (a re-run retries it),
  and goes on with the batch.

Each document is written in a single transaction: a killed process leaves every document
either fully stored or absent. Writers are serialised by :meth:`Store.write`, so several
processes can ingest into one PostgreSQL database at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from khaldun.errors import KhaldunError, error
from khaldun.extract.lexicon import fold
from khaldun.ingest import ReadOptions, read_paths
from khaldun.ingest.normalise import normalise
from khaldun.pipeline import Pipeline
from khaldun.schema import ACLED_COLUMNS, DocumentResult, Event, GeoEntry, Report
from khaldun.store.db import Store
from khaldun.store.merge import DATE_TOLERANCE, MergedEvent, SourceEvent, merge_sources
from khaldun.store.decisions import add_alias, apply_locks, match_reingested
from khaldun.store.models import ControlRow, DocumentRow, EventRow, EventSourceRow, EvidenceRow
from khaldun.store.web_models import ReportTextRow
from khaldun.store.records import IngestOutcome

SOURCES = EventSourceRow.__table__

WINDOW = dt.timedelta(days=max(DATE_TOLERANCE.values()))
"""Sources further apart than the widest date tolerance can never merge: the re-merge block margin."""


def content_hash(report: Report) -> str:
    """SHA-256 of what determines a report's extraction; its id and file path are not part of it."""
    fields = {"text": report.text, "publication_date": report.publication_date.isoformat() if report.publication_date
              else None, "language": report.language, "source": report.source, "source_scale": report.source_scale,
              "url": report.url}
    return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def ingest_paths(store: Store, paths: Iterable[str | Path], options: ReadOptions = ReadOptions(), *,
                 pipeline: Pipeline | None = None, force: bool = False, workers: int = 1) -> Iterator[IngestOutcome]:
    """Read, extract and store every report under ``paths``; yield one outcome per input.

    Reports already stored unchanged are skipped without running extraction (``force``
    re-extracts them, e.g. after upgrading khaldun). With ``workers`` above 1, extraction
    runs in that many processes while this one stores the results, one transaction each.
    """
    from khaldun.api import default_pipeline

    skipped: deque[IngestOutcome] = deque()

    def pending() -> Iterator[Report | KhaldunError]:
        for item in read_paths(list(paths), options):
            if isinstance(item, Report) and not force and is_stored(store, item):
                skipped.append(IngestOutcome(document_id=item.id, status="unchanged"))
                continue
            yield item

    with ExitStack() as stack:
        if workers > 1:
            from khaldun.parallel import WorkerPool

            results = stack.enter_context(WorkerPool(workers=workers, keep_mentions=True)).pipe(pending())
        else:
            results = (pipeline or default_pipeline()).pipe(pending())
        for result in results:
            while skipped:
                yield skipped.popleft()
            yield store_result(store, result, force=force)
    yield from skipped


def is_stored(store: Store, report: Report) -> bool:
    """Whether this exact report is already stored and was extracted without error."""
    with store.read() as conn:
        row = conn.execute(select(DocumentRow.content_hash, DocumentRow.status)
                           .where(DocumentRow.id == report.id)).first()
    return row is not None and row.content_hash == content_hash(report) and row.status == "ok"


def store_result(store: Store, result: DocumentResult | KhaldunError, *, force: bool = False) -> IngestOutcome:
    """Store one pipeline result in its own transaction; never raises for a bad document."""
    if isinstance(result, KhaldunError):
        return IngestOutcome(document_id=None, status="failed", error=str(result))
    report = result.report
    try:
        with store.write() as conn:
            return _store(conn, result, force)
    except SQLAlchemyError as exc:
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        stored = error("E705", origin=report.origin or report.id, reason=reason)
        return IngestOutcome(document_id=report.id, status="failed", error=str(stored))


def _store(conn: Connection, result: DocumentResult, force: bool) -> IngestOutcome:
    report = result.report
    digest = content_hash(report)
    existing = conn.execute(select(DocumentRow.__table__).where(DocumentRow.id == report.id)).first()
    if existing is not None and existing.content_hash == digest and existing.status == "ok" and not force:
        return IngestOutcome(document_id=report.id, status="unchanged", events=existing.event_count)
    old = conn.execute(select(SOURCES).where(EventSourceRow.document_id == report.id)).all()
    conn.execute(delete(EvidenceRow).where(EvidenceRow.document_id == report.id))
    conn.execute(delete(EventSourceRow).where(EventSourceRow.document_id == report.id))
    conn.execute(delete(ControlRow).where(ControlRow.document_id == report.id))
    events = [] if result.error else result.events
    document = dict(id=report.id, content_hash=digest, source=report.source, source_scale=report.source_scale,
                    url=report.url, language=result.mentions.language if result.mentions else report.language,
                    publication_date=report.publication_date, origin=report.origin or None,
                    status="failed" if result.error else "ok", error=result.error, event_count=len(events),
                    ingested_at=dt.datetime.now(dt.timezone.utc))
    if existing is None:
        conn.execute(insert(DocumentRow).values(**document))
    else:
        conn.execute(update(DocumentRow).where(DocumentRow.id == report.id).values(**document))
    places = {p.entry.id: p.entry for p in (result.mentions.places if result.mentions else []) if p.entry}
    for position, event in enumerate(events):
        _insert_source(conn, report, position, event, places.get(event.place_id or ""))
    _carry_decisions(conn, report, old)
    if result.mentions and not result.error:
        _insert_controls(conn, report, result)
    if not result.error:
        _save_text(conn, report.id, result.mentions.text if result.mentions else normalise(report.text).text)
    touched = [(r.event_date, r.country) for r in old] + [(e.event_date, e.country) for e in events]
    remerge(conn, touched, {r.event_id for r in old if r.event_id})
    status = "failed" if result.error else ("added" if existing is None else "replaced")
    return IngestOutcome(document_id=report.id, status=status, events=len(events), error=result.error)


def _carry_decisions(conn: Connection, report: Report, old: list[Row[Any]]) -> None:
    """A changed report's new events take the event and pin of the old event of the report they match."""
    if not old:
        return
    published = {report.id: report.publication_date}
    before = [(_source_event(r, published), r.event_id, r.pinned_event_id) for r in old]
    rows = conn.execute(select(SOURCES).where(EventSourceRow.document_id == report.id)).all()
    found = match_reingested(before, [_source_event(r, published) for r in rows])
    for position, (event_id, pinned) in found.items():
        conn.execute(update(EventSourceRow).where(EventSourceRow.document_id == report.id,
                                                  EventSourceRow.position == position)
                     .values(event_id=event_id, pinned_event_id=pinned))


def _save_text(conn: Connection, document_id: str, text: str) -> None:
    """Keep the normalised text the evidence offsets point into, for the event page."""
    conn.execute(delete(ReportTextRow).where(ReportTextRow.document_id == document_id))
    conn.execute(insert(ReportTextRow).values(document_id=document_id, text=text))


def place_scale(entry: GeoEntry | None) -> str | None:
    """How big a gazetteer place is, for the neighbourhood-vs-town merge tolerance."""
    if entry is None:
        return None
    code = entry.feature_code
    if code.startswith("PCL"):
        return "country"
    if code in {"PPLX", "PPLL"} or entry.feature_class == "S" or entry.id.startswith("supplement:"):
        return "part"
    if entry.feature_class == "P":
        return "settlement"
    return "region"


def _insert_source(conn: Connection, report: Report, position: int, event: Event, entry: GeoEntry | None) -> None:
    conn.execute(insert(EventSourceRow).values(
        document_id=report.id, position=position, event_id=None, event_date=event.event_date, country=event.country,
        sub_event_type=event.sub_event_type, location=event.location, outlet=report.source or event.source,
        fatalities=event.fatalities if event.fatalities_known else None, claimed_by=event.claimed_by,
        place_scale=place_scale(entry), place_parent_id=entry.parent_id if entry else None,
        record=event.model_dump_json(), merge_reason=None))
    for n, item in enumerate(event.evidence):
        conn.execute(insert(EvidenceRow).values(document_id=report.id, position=position, n=n, field=item.field,
                                                span_start=item.start, span_end=item.end, text=item.text))


def _insert_controls(conn: Connection, report: Report, result: DocumentResult) -> None:
    assert result.mentions is not None and report.publication_date is not None
    for n, statement in enumerate(result.mentions.controls):
        entry = statement.place.entry
        conn.execute(insert(ControlRow).values(
            document_id=report.id, n=n, place_key=place_key(statement.place.name, entry),
            place_name=entry.name if entry else statement.place.name,
            latitude=entry.latitude if entry else None, longitude=entry.longitude if entry else None,
            country=entry.country if entry else "", holder=statement.actor.name, holder_inter=statement.actor.inter,
            since=statement.since, until=None, stated_on=report.publication_date,
            span_start=statement.span.start, span_end=statement.span.end, text=statement.span.text))


def place_key(name: str, entry: GeoEntry | None) -> str:
    """The key control facts about one place share: its gazetteer id, else its folded name."""
    return entry.id if entry else f"name:{' '.join(fold(name).split())}"


def remerge(conn: Connection, touched: list[tuple[dt.date, str]], old_ids: set[str]) -> None:
    """Recompute the merged events around the dates and countries a document touched.

    The block grows until closed: every source within the widest date tolerance of a
    touched date, and every source of a merged event any of them belongs to. Merging the
    block from scratch gives the same events as merging everything, since no source
    outside it can join an event inside it.
    """
    if not touched:
        _replace_events(conn, [], old_ids, {})
        return
    countries = {c for _, c in touched}
    lo, hi = min(d for d, _ in touched) - WINDOW, max(d for d, _ in touched) + WINDOW
    rows: dict[tuple[str, int], Row[Any]] = {}
    while True:
        query = select(SOURCES).where(EventSourceRow.event_date.between(lo, hi))
        if "" not in countries:
            query = query.where(or_(EventSourceRow.country.in_(sorted(countries)), EventSourceRow.country == ""))
        found = {(r.document_id, r.position): r for r in conn.execute(query)}
        ids = {r.event_id for r in found.values() if r.event_id} - {r.event_id for r in rows.values()}
        if ids:
            members = conn.execute(select(SOURCES).where(EventSourceRow.event_id.in_(sorted(ids))))
            found.update({(r.document_id, r.position): r for r in members})
        pins = {r.pinned_event_id for r in found.values() if r.pinned_event_id} - {
            r.pinned_event_id for r in rows.values()}
        if pins:
            members = conn.execute(select(SOURCES).where(EventSourceRow.pinned_event_id.in_(sorted(pins))))
            found.update({(r.document_id, r.position): r for r in members})
        new_lo = min([lo] + [r.event_date - WINDOW for r in found.values()])
        new_hi = max([hi] + [r.event_date + WINDOW for r in found.values()])
        countries |= {r.country for r in found.values()}
        grown = found.keys() - rows.keys()
        rows.update(found)
        if not grown and (new_lo, new_hi) == (lo, hi):
            break
        lo, hi = new_lo, new_hi
    previous = {key: r.event_id for key, r in rows.items() if r.event_id}
    documents = sorted({r.document_id for r in rows.values()})
    published = dict(conn.execute(select(DocumentRow.id, DocumentRow.publication_date)
                                  .where(DocumentRow.id.in_(documents))).all())
    pinned: dict[str, list[SourceEvent]] = {}
    for r in rows.values():
        if r.pinned_event_id:
            pinned.setdefault(r.pinned_event_id, []).append(_source_event(r, published))
    reasons = {key: json.loads(r.merge_reason) for key, r in rows.items() if r.pinned_event_id and r.merge_reason}
    merged = merge_sources((_source_event(r, published) for r in rows.values() if not r.pinned_event_id),
                           pinned, reasons)
    _replace_events(conn, merged, old_ids | set(previous.values()), previous)


def _source_event(row: Row[Any], published: dict[str, dt.date | None]) -> SourceEvent:
    return SourceEvent(document_id=row.document_id, position=row.position, event=Event.model_validate_json(row.record),
                       outlet=row.outlet, publication_date=published.get(row.document_id),
                       place_scale=row.place_scale, place_parent_id=row.place_parent_id)


def _replace_events(conn: Connection, merged: list[MergedEvent], old_ids: set[str],
                    previous: dict[tuple[str, int], str]) -> None:
    statuses: dict[str, str] = {}
    if old_ids:
        statuses = dict(conn.execute(select(EventRow.id, EventRow.review_status)
                                     .where(EventRow.id.in_(sorted(old_ids)))).all())
        conn.execute(update(EventSourceRow).where(EventSourceRow.event_id.in_(sorted(old_ids))).values(event_id=None))
        conn.execute(delete(EventRow).where(EventRow.id.in_(sorted(old_ids))))
    for item in merged:
        values = apply_locks(conn, item.id, event_values(item, _review_status(item, statuses, previous)))
        conn.execute(insert(EventRow).values(**values))
        for member in item.members:
            conn.execute(update(EventSourceRow)
                         .where(EventSourceRow.document_id == member.document_id,
                                EventSourceRow.position == member.position)
                         .values(event_id=item.id, merge_reason=json.dumps(item.reasons[member.key], ensure_ascii=False)))
    survivors = {item.id for item in merged}
    for old_id in sorted(set(statuses) - survivors):
        heirs = Counter(item.id for item in merged for m in item.members if previous.get(m.key) == old_id)
        if heirs:
            add_alias(conn, old_id, min(heirs, key=lambda i: (-heirs[i], i)))


def _review_status(item: MergedEvent, statuses: dict[str, str], previous: dict[tuple[str, int], str]) -> str:
    """A re-merged event keeps the review status of the stored event that shared most of its sources."""
    if item.id in statuses:
        return statuses[item.id]
    shared = Counter(previous[m.key] for m in item.members if m.key in previous)
    for old_id, _ in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0])):
        if statuses.get(old_id, "unreviewed") != "unreviewed":
            return statuses[old_id]
    return "unreviewed"


def event_values(item: MergedEvent, review_status: str) -> dict[str, object]:
    """The ``events`` row of a merged event."""
    event = item.event
    values: dict[str, object] = {name: getattr(event, name) for name in ACLED_COLUMNS if name != "event_id_cnty"}
    values.update(id=item.id, doc_id=event.doc_id, confidence=event.confidence, background=event.background,
                  claimed_by=event.claimed_by, fatalities_known=event.fatalities_known, place_id=event.place_id,
                  fatalities_low=item.fatalities_low, fatalities_best=item.fatalities_best,
                  fatalities_high=item.fatalities_high, source_count=len(item.members), review_status=review_status,
                  merge_notes=json.dumps(item.notes, ensure_ascii=False),
                  evidence=json.dumps([e.model_dump() for e in event.evidence], ensure_ascii=False))
    return values
