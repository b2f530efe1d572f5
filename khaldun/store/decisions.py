"""Analysts' decisions as facts the store never silently overrides.

* **Pins**: a merge, split, accept, reject or edit pins the event's reports' events to the
  event (``event_sources.pinned_event_id``). Re-merging keeps pinned reports together, in
  an event with that id, apart from other pinned events; other reports may still join it
  when compatible with every report in it.
* **Locks**: an edited field keeps the analyst's value whatever a later merge or ingest
  computes (``event_locks``). When the computed value changes from what it was when the
  analyst set the lock — new evidence — and differs from the locked value, the event is
  flagged (``events.conflicts``) with both values, for an analyst to settle.
* **Re-ingested reports**: a changed report's new events are matched to the events it
  formed before (same-event rule of :mod:`khaldun.store.merge`), so they inherit their pins
  and their event, and the decisions carry over.
* **Aliases**: an event id that disappeared (merged into another) points to the event that
  took its reports, so old links still lead somewhere.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection, delete, insert, select, update

from khaldun.store.merge import SourceEvent, match
from khaldun.store.models import AliasRow, EventRow, EventSourceRow, LockRow

ALIAS_HOPS = 20
"""Longest chain of merges followed when resolving an old event id."""


class Conflict(BaseModel):
    """A locked field whose computed value changed since the analyst locked it."""

    field: str
    locked: Any
    machine: Any


def encode(value: Any) -> str:
    return json.dumps(value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value, ensure_ascii=False)


def _decode(field: str, text: str) -> Any:
    value = json.loads(text)
    column = EventRow.__table__.columns.get(field)
    if value is not None and column is not None and column.type.python_type is dt.date:
        return dt.date.fromisoformat(value)
    return value


def locks(conn: Connection, event_id: str) -> list[Any]:
    return list(conn.execute(select(LockRow.__table__).where(LockRow.event_id == event_id).order_by(LockRow.field)))


def set_lock(conn: Connection, event_id: str, field: str, value: Any, machine: Any, username: str) -> None:
    """Lock ``field`` of the event at ``value``; ``machine`` is the value the store computes for it now."""
    conn.execute(delete(LockRow).where(LockRow.event_id == event_id, LockRow.field == field))
    conn.execute(insert(LockRow).values(event_id=event_id, field=field, value=encode(value), machine=encode(machine),
                                        username=username, at=dt.datetime.now(dt.timezone.utc)))


def machine_value(conn: Connection, event_id: str, field: str, current: Any) -> Any:
    """What the store computed for a field: the lock's record of it, else the current (unlocked) value."""
    row = conn.execute(select(LockRow.machine).where(LockRow.event_id == event_id, LockRow.field == field)).scalar()
    return _decode(field, row) if row is not None else current


def apply_locks(conn: Connection, event_id: str, values: dict[str, Any]) -> dict[str, Any]:
    """The computed row ``values`` with the event's locked fields put back, and its conflicts noted."""
    conflicts = []
    for lock in locks(conn, event_id):
        if lock.field not in values:
            continue
        computed = values[lock.field]
        if encode(computed) not in (lock.machine, lock.value):
            conflicts.append(Conflict(field=lock.field, locked=json.loads(lock.value), machine=json.loads(encode(computed))))
        values[lock.field] = _decode(lock.field, lock.value)
        if lock.field == "event_date" and values[lock.field] is not None:
            values["year"] = values[lock.field].year
    values["conflicts"] = json.dumps([c.model_dump() for c in conflicts], ensure_ascii=False) if conflicts else None
    return values


def settle_conflicts(conn: Connection, event_id: str) -> None:
    """The analyst saw the conflicts and keeps the locked values: the new computed values become the reference."""
    row = conn.execute(select(EventRow.conflicts).where(EventRow.id == event_id)).scalar()
    for item in json.loads(row or "[]"):
        conn.execute(update(LockRow).where(LockRow.event_id == event_id, LockRow.field == item["field"])
                     .values(machine=json.dumps(item["machine"], ensure_ascii=False)))
    conn.execute(update(EventRow).where(EventRow.id == event_id).values(conflicts=None))


def move_locks(conn: Connection, source_ids: Sequence[str], target_id: str) -> None:
    """Locks of events merged into ``target_id`` follow their reports, unless the target locks the field itself."""
    held = {r.field for r in locks(conn, target_id)}
    for source_id in source_ids:
        for lock in locks(conn, source_id):
            if lock.field not in held:
                conn.execute(insert(LockRow).values(**{**lock._asdict(), "event_id": target_id}))
                held.add(lock.field)
        conn.execute(delete(LockRow).where(LockRow.event_id == source_id))


def pin(conn: Connection, event_id: str) -> None:
    """Pin every report's event now in the event to it (an analyst decided this event)."""
    conn.execute(update(EventSourceRow).where(EventSourceRow.event_id == event_id).values(pinned_event_id=event_id))


def add_alias(conn: Connection, old_id: str, new_id: str) -> None:
    if old_id == new_id:
        return
    conn.execute(delete(AliasRow).where(AliasRow.old_id == old_id))
    conn.execute(insert(AliasRow).values(old_id=old_id, new_id=new_id, at=dt.datetime.now(dt.timezone.utc)))


def resolve(conn: Connection, event_id: str) -> str | None:
    """The existing event an old id leads to (following merges), or None."""
    seen = {event_id}
    current = event_id
    for _ in range(ALIAS_HOPS):
        target = conn.execute(select(AliasRow.new_id).where(AliasRow.old_id == current)).scalar()
        if target is None or target in seen:
            return None
        if conn.execute(select(EventRow.id).where(EventRow.id == target)).first():
            return target
        seen.add(target)
        current = target
    return None


def match_reingested(old: list[tuple[SourceEvent, str | None, str | None]],
                     new: list[SourceEvent]) -> dict[int, tuple[str | None, str | None]]:
    """New position -> (event id, pin) of the old event of the same report it is the same event as.

    ``old`` holds the report's previous events with the event and pin each had. Pairs are
    taken best first (most dimensions agreeing exactly), each old event used once.
    """
    pairs = []
    for a in new:
        for n, (b, event_id, pinned) in enumerate(old):
            verdict = match(a, b)
            if verdict is not None:
                pairs.append((-verdict.exact, abs(a.position - b.position), a.position, n, event_id, pinned))
    taken_new: set[int] = set()
    taken_old: set[int] = set()
    found: dict[int, tuple[str | None, str | None]] = {}
    for _, _, position, n, event_id, pinned in sorted(pairs, key=lambda p: p[:4]):
        if position in taken_new or n in taken_old:
            continue
        taken_new.add(position)
        taken_old.add(n)
        found[position] = (event_id, pinned)
    return found
