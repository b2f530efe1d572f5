"""Review of merged events by analysts: accept, reject, edit, merge, split, and undo any of it.

Every action is one transaction that also writes an ``event_changes`` row holding who did
it, when, why, and full JSON snapshots of every ``events`` row and report-to-event link it
touched, before and after. Undoing a change restores its *before* snapshot, and is itself
a change; it is refused (E906) when the rows no longer match the change's *after*
snapshot, because silently overwriting a later edit would lose an analyst's work.

Merging and splitting rebuild the merged record with the same rule as ingestion
(:func:`khaldun.store.merge.combine`), so a hand-merged event reads like an automatic one.
A later ingest that re-merges the same dates recomputes events from their reports and
keeps only their review status; the change history keeps what the analysts did.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import Connection, delete, insert, or_, select, update

from khaldun.errors import error
from khaldun.schema import Event
from khaldun.store.db import Store
from khaldun.store.ingest import event_values
from khaldun.store.merge import SourceEvent, combine, event_id as merged_event_id
from khaldun.store import decisions, search
from khaldun.store.search import EventQuery
from khaldun.store.models import DocumentRow, EventRow, EventSourceRow, EvidenceRow, LockRow
from khaldun.store.query import load_events
from khaldun.store.records import StoredEvent
from khaldun.store.web_models import ChangeRow, ReportTextRow

EVENTS = EventRow.__table__
CHANGES = ChangeRow.__table__
LOCKED_FIELDS = frozenset({"id", "merge_notes", "evidence", "review_status", "source_count", "doc_id", "timestamp",
                           "conflicts"})
EDITABLE_FIELDS: tuple[str, ...] = tuple(c.name for c in EVENTS.columns if c.name not in LOCKED_FIELDS)
"""Columns an analyst may edit; the rest are bookkeeping that the store derives itself."""

REVIEWED = ("accepted", "edited")
"""Review states that count as reviewed for exports limited to reviewed events."""

State = dict[str, dict[str, Any]]


class FieldDiff(BaseModel):
    event_id: str
    field: str
    before: Any = None
    after: Any = None


class Change(BaseModel):
    """One recorded review action, with the field-level differences it made."""

    id: int
    event_id: str
    action: str
    username: str
    at: dt.datetime
    reason: str
    summary: str
    reverted_by: int | None = None
    reverts: int | None = None
    diffs: list[FieldDiff] = Field(default_factory=list)


class EvidenceSpan(BaseModel):
    field: str
    start: int
    end: int
    text: str


def set_status(store: Store, event_id: str, status: str, username: str, reason: str = "") -> Change:
    """Accept (``accepted``) or reject (``rejected``) an event."""
    action = {"accepted": "accept", "rejected": "reject"}[status]
    with store.write() as conn:
        _require_event(conn, event_id)
        before = _capture(conn, [event_id], _keys(conn, [event_id]))
        conn.execute(update(EventRow).where(EventRow.id == event_id).values(review_status=status))
        if status == "accepted":
            decisions.settle_conflicts(conn, event_id)
        decisions.pin(conn, event_id)
        return _record(conn, event_id, action, username, reason, f"review status: {status}", before,
                       _capture(conn, [event_id], _keys(conn, [event_id])))


def bulk_status(store: Store, query: EventQuery, action: str, username: str, reason: str, limit: int) -> list[Change]:
    """Accept or reject every event ``query`` selects, with one reason, in one transaction: one change per event.

    Events already in that state are left alone; more than ``limit`` events is refused
    (E914) rather than cut, so a selection is decided whole or not at all.
    """
    status = {"accept": "accepted", "reject": "rejected"}[action]
    if not reason.strip():
        raise error("E918", action=f"a bulk {action}")
    changes = []
    with store.write() as conn:
        chosen = [i for i in search.ids(conn, query, limit=limit + 1)]
        if len(chosen) > limit:
            raise error("E914", action=f"bulk {action}", reason=f"more than {limit} events selected; narrow the filters")
        current = dict(conn.execute(select(EventRow.id, EventRow.review_status).where(EventRow.id.in_(chosen))).all())
        for event_id in chosen:
            if current.get(event_id) == status:
                continue
            keys = _keys(conn, [event_id])
            before = _capture(conn, [event_id], keys)
            conn.execute(update(EventRow).where(EventRow.id == event_id).values(review_status=status))
            if status == "accepted":
                decisions.settle_conflicts(conn, event_id)
            decisions.pin(conn, event_id)
            changes.append(_record(conn, event_id, action, username, reason, f"review status: {status} (bulk)",
                                   before, _capture(conn, [event_id], keys)))
    return changes


def edit(store: Store, event_id: str, changes: dict[str, Any], username: str, reason: str) -> Change:
    """Change fields of an event (values are checked and converted to the column's type)."""
    if not reason.strip():
        raise error("E918", action="an edit")
    if not changes:
        raise error("E914", action="edit", reason="no field given")
    values = {name: coerce(name, value) for name, value in changes.items()}
    if "event_date" in values:
        values["year"] = values["event_date"].year
    with store.write() as conn:
        row = _require_event(conn, event_id)
        keys = _keys(conn, [event_id])
        before = _capture(conn, [event_id], keys)
        values = {k: v for k, v in values.items() if getattr(row, k) != v}
        if not values:
            raise error("E914", action="edit", reason="every value given is already the event's value")
        for name, value in values.items():
            if name != "year" or "event_date" not in values:
                machine = decisions.machine_value(conn, event_id, name, getattr(row, name))
                decisions.set_lock(conn, event_id, name, value, machine, username)
        remaining = [c for c in json.loads(row.conflicts or "[]") if c["field"] not in values]
        conn.execute(update(EventRow).where(EventRow.id == event_id).values(
            **values, review_status="edited", conflicts=json.dumps(remaining, ensure_ascii=False) if remaining else None))
        decisions.pin(conn, event_id)
        summary = "; ".join(f"{k}: {getattr(row, k)!r} -> {v!r}" for k, v in values.items() if k != "year")
        return _record(conn, event_id, "edit", username, reason, summary, before, _capture(conn, [event_id], keys))


def merge(store: Store, target_id: str, other_ids: list[str], username: str, reason: str) -> Change:
    """Merge other events into ``target_id``: their reports join it and the record is recombined."""
    others = list(dict.fromkeys(i for i in other_ids if i != target_id))
    if not others:
        raise error("E914", action="merge", reason="give at least one other event")
    if not reason.strip():
        raise error("E918", action="a merge")
    with store.write() as conn:
        for event in [target_id, *others]:
            _require_event(conn, event)
        rows = _source_rows(conn, [target_id, *others])
        before = _capture(conn, [target_id, *others], [_key(r) for r in rows])
        note = [f"merged by {username}: {reason}"]
        decisions.move_locks(conn, others, target_id)
        _rebuild(conn, target_id, rows, {_key(r): note for r in rows if r.event_id != target_id})
        conn.execute(delete(EventRow).where(EventRow.id.in_(others)))
        for other in others:
            decisions.add_alias(conn, other, target_id)
        after = _capture(conn, [target_id, *others], [_key(r) for r in rows])
        return _record(conn, target_id, "merge", username, reason, f"merged {', '.join(others)} into {target_id}",
                       before, after)


def split(store: Store, event_id: str, document_id: str, position: int, username: str, reason: str) -> Change:
    """Take one report's event out of a merged event, as an event of its own."""
    if not reason.strip():
        raise error("E918", action="a split")
    with store.write() as conn:
        _require_event(conn, event_id)
        rows = _source_rows(conn, [event_id])
        moved = [r for r in rows if (r.document_id, r.position) == (document_id, position)]
        if not moved:
            raise error("E913", event_id=event_id, document_id=document_id, position=position)
        if len(rows) == 1:
            raise error("E914", action="split", reason="the event has a single report")
        new_id = _free_id(conn, merged_event_id(_source_event(conn, moved[0])))
        before = _capture(conn, [event_id, new_id], [_key(r) for r in rows])
        note = [f"split out by {username}: {reason}"]
        _rebuild(conn, event_id, [r for r in rows if r not in moved], {})
        _rebuild(conn, new_id, moved, {_key(moved[0]): note})
        after = _capture(conn, [event_id, new_id], [_key(r) for r in rows])
        return _record(conn, event_id, "split", username, reason,
                       f"report {document_id} #{position} split out as {new_id}", before, after)


def revert(store: Store, change_id: int, username: str, reason: str = "") -> Change:
    """Undo a change by restoring its *before* snapshot; refused if the rows changed since."""
    with store.write() as conn:
        row = conn.execute(select(CHANGES).where(ChangeRow.id == change_id)).first()
        if row is None:
            raise error("E917", change_id=change_id)
        if row.reverted_by is not None:
            raise error("E906", change_id=change_id, reason=f"already undone by change {row.reverted_by}")
        before, after = json.loads(row.before), json.loads(row.after)
        current = _capture(conn, list(after["events"]), [tuple(k.split("\t")) for k in after["sources"]])
        if _comparable(current, after) != after:
            raise error("E906", change_id=change_id,
                        reason="the events were changed since; undo the later changes first")
        _restore(conn, before)
        change = _record(conn, row.event_id, "revert", username, reason, f"undid change {change_id} ({row.action})",
                         after, before, reverts=change_id)
        conn.execute(update(ChangeRow).where(ChangeRow.id == change_id).values(reverted_by=change.id))
        return change


def history(conn: Connection, event_id: str) -> list[Change]:
    """Every change that touched the event, oldest first."""
    query = (select(CHANGES).where(or_(ChangeRow.event_id == event_id, ChangeRow.before.contains(f'"{event_id}"'),
                                         ChangeRow.after.contains(f'"{event_id}"')))
             .order_by(ChangeRow.id))
    return [_change(r) for r in conn.execute(query)]


def reviewed_events(conn: Connection, **filters: Any) -> list[StoredEvent]:
    """:func:`load_events` limited to events an analyst accepted or edited."""
    return [e for e in load_events(conn, **filters) if e.review_status in REVIEWED]


def save_text(conn: Connection, document_id: str, text: str) -> None:
    """Keep a report's full text so the event page can show its evidence in context."""
    conn.execute(delete(ReportTextRow).where(ReportTextRow.document_id == document_id))
    conn.execute(insert(ReportTextRow).values(document_id=document_id, text=text))


def report_text(conn: Connection, document_id: str) -> str | None:
    return conn.execute(select(ReportTextRow.text).where(ReportTextRow.document_id == document_id)).scalar()


def source_evidence(conn: Connection, document_id: str, position: int) -> list[EvidenceSpan]:
    """The words supporting each field of one report's event, in text order."""
    rows = conn.execute(select(EvidenceRow.__table__).where(EvidenceRow.document_id == document_id,
                                                  EvidenceRow.position == position)
                        .order_by(EvidenceRow.span_start, EvidenceRow.n))
    return [EvidenceSpan(field=r.field, start=r.span_start, end=r.span_end, text=r.text) for r in rows]


def coerce(field: str, value: Any) -> Any:
    """``value`` converted to the type of column ``field``; E904/E905 when it cannot be."""
    if field not in EDITABLE_FIELDS:
        raise error("E904", field=field, editable=", ".join(EDITABLE_FIELDS))
    column = EVENTS.columns[field]
    if value is None or (isinstance(value, str) and not value.strip() and column.type.python_type is not str):
        if column.nullable:
            return None
        raise error("E905", field=field, value=value, reason="a value is required")
    kind = column.type.python_type
    try:
        if kind is dt.date:
            return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value).strip())
        if kind is bool:
            return _boolean(value)
        if kind is int:
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError("not a whole number")
            number = int(str(value).strip()) if isinstance(value, str) else int(value)
            if not -2**53 <= number <= 2**53:
                raise ValueError("out of range")
            return number
        if kind is float:
            number = float(value)
            if number != number or number in (float("inf"), float("-inf")):
                raise ValueError("not a finite number")
            return number
        if isinstance(value, (dict, list)):
            raise ValueError("expected text")
        return str(value).replace("\x00", "")
    except (TypeError, ValueError) as exc:
        raise error("E905", field=field, value=value, reason=str(exc) or type(exc).__name__) from None


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "1", "yes"}:
        return True
    if text in {"false", "0", "no"}:
        return False
    raise ValueError("expected true or false")


def _require_event(conn: Connection, event_id: str) -> Any:
    row = conn.execute(select(EVENTS).where(EventRow.id == event_id)).first()
    if row is None:
        raise error("E706", event_id=event_id)
    return row


def _source_rows(conn: Connection, event_ids: list[str]) -> list[Any]:
    query = (select(EventSourceRow.__table__).where(EventSourceRow.event_id.in_(event_ids))
             .order_by(EventSourceRow.document_id, EventSourceRow.position))
    return list(conn.execute(query))


def _key(row: Any) -> tuple[str, int]:
    return (row.document_id, row.position)


def _source_event(conn: Connection, row: Any) -> SourceEvent:
    published = conn.execute(select(DocumentRow.publication_date).where(DocumentRow.id == row.document_id)).scalar()
    return SourceEvent(document_id=row.document_id, position=row.position, event=Event.model_validate_json(row.record),
                       outlet=row.outlet, publication_date=published, place_scale=row.place_scale,
                       place_parent_id=row.place_parent_id)


def _rebuild(conn: Connection, event_id: str, rows: list[Any], notes: dict[tuple[str, int], list[str]]) -> None:
    """Recombine ``rows`` into the event ``event_id`` (replacing its record), marked edited."""
    sources = [_source_event(conn, r) for r in rows]
    item = combine(sources, {s.key: notes.get(s.key, []) for s in sources})
    item.id = event_id
    item.event.event_id_cnty = event_id
    values = decisions.apply_locks(conn, event_id, event_values(item, "edited"))
    conn.execute(update(EventSourceRow).where(EventSourceRow.event_id == event_id).values(event_id=None))
    conn.execute(delete(EventRow).where(EventRow.id == event_id))
    conn.execute(insert(EventRow).values(**values))
    for row in rows:
        extra = {"merge_reason": json.dumps(notes[_key(row)], ensure_ascii=False)} if _key(row) in notes else {}
        conn.execute(update(EventSourceRow).where(EventSourceRow.document_id == row.document_id,
                                                  EventSourceRow.position == row.position)
                     .values(event_id=event_id, pinned_event_id=event_id, **extra))


def _free_id(conn: Connection, wanted: str) -> str:
    candidate, n = wanted, 1
    while conn.execute(select(EventRow.id).where(EventRow.id == candidate)).first():
        n += 1
        candidate = f"{wanted}-{n}"
    return candidate


def _keys(conn: Connection, event_ids: list[str]) -> list[tuple[str, int]]:
    return [_key(r) for r in _source_rows(conn, event_ids)]


def _capture(conn: Connection, event_ids: list[str], sources: list[tuple[str, int] | tuple[str, ...]]) -> State:
    """JSON snapshot of events rows (None when absent), their locks, and report-to-event links with their pins."""
    events: dict[str, Any] = {}
    held: dict[str, Any] = {}
    for event_id in event_ids:
        row = conn.execute(select(EVENTS).where(EventRow.id == event_id)).first()
        events[event_id] = _jsonable(row._asdict()) if row else None
        held[event_id] = [_jsonable(r._asdict()) for r in decisions.locks(conn, event_id)]
    links: dict[str, Any] = {}
    for document_id, position in sources:
        row = conn.execute(select(EventSourceRow.event_id, EventSourceRow.merge_reason, EventSourceRow.pinned_event_id)
                           .where(EventSourceRow.document_id == document_id,
                                  EventSourceRow.position == int(position))).first()
        links[f"{document_id}\t{int(position)}"] = list(row) if row else None
    return {"events": events, "sources": links, "locks": held}


def _comparable(current: State, recorded: State) -> State:
    """``current`` cut to what ``recorded`` holds: snapshots from before pins and locks existed still compare."""
    if "locks" not in recorded:
        current = {"events": current["events"], "sources": {
            k: (v[:2] if v else v) for k, v in current["sources"].items()}}
    return current


def _restore(conn: Connection, state: State) -> None:
    """Put the snapshot back. Rows are updated in place: deleting one would unlink its reports (SET NULL)."""
    for event_id, values in state["events"].items():
        if values is None:
            continue
        exists = conn.execute(select(EventRow.id).where(EventRow.id == event_id)).first()
        if exists:
            conn.execute(update(EventRow).where(EventRow.id == event_id).values(**_typed(values)))
        else:
            conn.execute(insert(EventRow).values(**_typed(values)))
    for key, link in state["sources"].items():
        if link is None:
            continue
        document_id, position = key.split("\t")
        pinned = {"pinned_event_id": link[2]} if len(link) > 2 else {}
        conn.execute(update(EventSourceRow).where(EventSourceRow.document_id == document_id,
                                                  EventSourceRow.position == int(position))
                     .values(event_id=link[0], merge_reason=link[1], **pinned))
    for event_id, rows in state.get("locks", {}).items():
        conn.execute(delete(LockRow).where(LockRow.event_id == event_id))
        for values in rows:
            conn.execute(insert(LockRow).values(**{**values, "at": dt.datetime.fromisoformat(values["at"])}))
    gone = [event_id for event_id, values in state["events"].items() if values is None]
    if gone:
        conn.execute(update(EventSourceRow).where(EventSourceRow.event_id.in_(gone)).values(event_id=None))
        conn.execute(delete(EventRow).where(EventRow.id.in_(gone)))


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}


def _typed(values: dict[str, Any]) -> dict[str, Any]:
    typed = dict(values)
    typed["event_date"] = dt.date.fromisoformat(values["event_date"])
    return typed


def _record(conn: Connection, event_id: str, action: str, username: str, reason: str, summary: str,
            before: State, after: State, *, reverts: int | None = None) -> Change:
    result = conn.execute(insert(ChangeRow).values(
        event_id=event_id, action=action, username=username, at=dt.datetime.now(dt.timezone.utc), reason=reason,
        summary=summary, before=json.dumps(before, ensure_ascii=False), after=json.dumps(after, ensure_ascii=False),
        reverted_by=None, reverts=reverts))
    row = conn.execute(select(CHANGES).where(ChangeRow.id == result.inserted_primary_key[0])).one()
    return _change(row)


def _change(row: Any) -> Change:
    """The change with its real differences: changed fields, and one line for an event that appeared or went."""
    before, after = json.loads(row.before), json.loads(row.after)
    diffs = []
    for event_id in dict.fromkeys([*before["events"], *after["events"]]):
        old, new = before["events"].get(event_id), after["events"].get(event_id)
        if old is None and new is None:
            continue
        if old is None or new is None:
            diffs.append(FieldDiff(event_id=event_id, field="event", before="present" if old else "absent",
                                   after="present" if new else "absent"))
            continue
        for name in dict.fromkeys([*old, *new]):
            if name not in LOCKED_FIELDS - {"review_status"} and old.get(name) != new.get(name):
                diffs.append(FieldDiff(event_id=event_id, field=name, before=old.get(name), after=new.get(name)))
    return Change(id=row.id, event_id=row.event_id, action=row.action, username=row.username, at=row.at,
                  reason=row.reason, summary=row.summary, reverted_by=row.reverted_by, reverts=row.reverts, diffs=diffs)


__all__ = ["Change", "EDITABLE_FIELDS", "FieldDiff", "REVIEWED", "bulk_status", "edit", "history", "merge",
           "reviewed_events", "revert", "set_status", "split"]
