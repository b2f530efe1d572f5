"""Find events in SQL: filters, full-text search, sorted pages, timeline buckets, map aggregates.

Everything here runs in the database, so a page of 50 events or a map of 100,000 costs a
bounded answer whatever the store holds. Full-text search uses SQLite's FTS5 table
``events_fts`` (kept by triggers) or PostgreSQL's ``to_tsvector`` over the same columns
(GIN index ``ix_events_search``), both built by migration ``0004``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, ColumnElement, Integer, Select, and_, case, cast, func, literal, or_, select, text

from khaldun.store.models import EventRow
from khaldun.store.query import _sources, _stored
from khaldun.store.records import StoredEvent

EVENTS = EventRow.__table__
SEARCHED = ("id", "notes", "actor1", "actor2", "assoc_actor_1", "assoc_actor_2", "location", "admin1", "admin2",
            "country", "source")
"""Columns full-text search reads; the same list as in migration 0004."""

SORTABLE = ("event_date", "fatalities", "confidence", "country", "location", "sub_event_type", "review_status",
            "source_count", "id")
SUMMARY_COLUMNS = ("id", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "country", "admin1",
                   "location", "latitude", "longitude", "fatalities", "fatalities_known", "review_status", "source",
                   "source_count", "confidence", "conflicts")
DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u00a0": " "})
Unit = Literal["day", "week", "month"]


def outlet_key(name: str) -> str:
    """An outlet name with dash and space variants folded: 'France 24 – X' and 'France 24 - X' are one outlet."""
    return " ".join(name.translate(DASHES).split()).casefold()


def search_tokens(query: str) -> list[str]:
    return re.findall(r"\w+", query.casefold())


@dataclass
class EventQuery:
    """The filters the map, the timeline, the list, the queue and the exports share."""

    since: dt.date | None = None
    until: dt.date | None = None
    country: str | None = None
    event_type: str | None = None
    actor: str | None = None
    review_status: str | None = None
    source: str | None = None
    q: str | None = None
    flagged: bool | None = None

    def conditions(self, conn: Connection) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = []
        if self.since:
            where.append(EventRow.event_date >= self.since)
        if self.until:
            where.append(EventRow.event_date <= self.until)
        if self.country:
            where.append(EventRow.country == self.country)
        if self.event_type:
            where.append(or_(EventRow.event_type == self.event_type, EventRow.sub_event_type == self.event_type))
        if self.actor:
            needle = self.actor.casefold()
            where.append(or_(*(func.lower(getattr(EventRow, c)).contains(needle, autoescape=True)
                               for c in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2"))))
        if self.review_status:
            where.append(EventRow.review_status == self.review_status)
        if self.source:
            folded = func.lower(EventRow.source)
            for dash in ("\u2013", "\u2014"):
                folded = func.replace(folded, dash, "-")
            where.append(folded.contains(outlet_key(self.source), autoescape=True))
        if self.flagged is not None:
            where.append(EventRow.conflicts.is_not(None) if self.flagged else EventRow.conflicts.is_(None))
        if self.q and self.q.strip():
            where.append(_full_text(conn, self.q))
        return where

    def select(self, conn: Connection, *columns: Any) -> Select[Any]:
        query = select(*columns) if columns else select(EVENTS)
        where = self.conditions(conn)
        return query.where(and_(*where)) if where else query


def _full_text(conn: Connection, query: str) -> ColumnElement[bool]:
    tokens = search_tokens(query)
    if not tokens:
        return literal(True)
    if conn.dialect.name == "postgresql":
        joined = " || ' ' || ".join(f"coalesce({c}, '')" for c in SEARCHED)
        tsquery = " & ".join(f"{t}:*" for t in tokens)
        return text(f"to_tsvector('simple'::regconfig, {joined}) @@ to_tsquery('simple', :tsq)").bindparams(tsq=tsquery)
    match = " ".join(f'"{t}"*' for t in tokens)
    return text("events.rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH :fts)").bindparams(fts=match)


def data_version(conn: Connection) -> tuple[Any, ...]:
    """Changes whenever events can have changed (a document stored, a review change, events added or removed):
    the key under which aggregate answers may be reused."""
    from khaldun.store.models import DocumentRow
    from khaldun.store.web_models import ChangeRow

    return (conn.execute(select(func.count()).select_from(EVENTS)).scalar_one(),
            conn.execute(select(func.max(DocumentRow.ingested_at), func.count()).select_from(DocumentRow)).one(),
            conn.execute(select(func.max(ChangeRow.id))).scalar_one())


class AnswerCache:
    """The last aggregate answers (facets, timeline, map) by data version and request: a reload costs one lookup."""

    def __init__(self, size: int = 64) -> None:
        import threading

        self.size = size
        self._items: dict[Any, Any] = {}
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            return self._items.get(key)

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._items.pop(key, None)
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.pop(next(iter(self._items)))


def count(conn: Connection, query: EventQuery) -> int:
    return conn.execute(query.select(conn, func.count()).select_from(EVENTS)).scalar_one()


def page(conn: Connection, query: EventQuery, *, sort: str = "event_date", descending: bool = False,
         limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    """One page of event summaries, sorted (ties broken by id so pages never overlap)."""
    column = getattr(EventRow, sort if sort in SORTABLE else "event_date")
    order = [column.desc() if descending else column.asc()]
    if sort != "id":
        order.append(EventRow.id.desc() if descending else EventRow.id.asc())
    columns = [getattr(EventRow, c) for c in SUMMARY_COLUMNS]
    rows = conn.execute(query.select(conn, *columns).order_by(*order).limit(limit).offset(offset))
    return [dict(r._mapping) for r in rows]


def ids(conn: Connection, query: EventQuery, *, sort: str = "confidence", descending: bool = False,
        limit: int = 10_000) -> list[str]:
    """Event ids in order, for the review queue and bulk decisions."""
    column = getattr(EventRow, sort if sort in SORTABLE else "confidence")
    rows = conn.execute(query.select(conn, EventRow.id)
                        .order_by(column.desc() if descending else column.asc(), EventRow.id).limit(limit))
    return [r[0] for r in rows]


def load(conn: Connection, query: EventQuery, limit: int | None = None) -> list[StoredEvent]:
    """Full stored events (with their sources) matching the query, in date order: for exports."""
    statement = query.select(conn).order_by(EventRow.event_date, EventRow.id)
    rows = conn.execute(statement.limit(limit) if limit else statement).all()
    sources = _sources(conn, [r.id for r in rows])
    return [_stored(r, sources.get(r.id, [])) for r in rows]


def unit_for(first: dt.date, last: dt.date) -> Unit:
    """Bars per day up to half a year, per week up to three years, per month beyond: always readable."""
    span = (last - first).days
    return "day" if span <= 183 else ("week" if span <= 3 * 366 else "month")


def bucket(day: dt.date, unit: Unit) -> dt.date:
    if unit == "week":
        return day - dt.timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


def timeline(conn: Connection, query: EventQuery, unit: Unit | None = None) -> tuple[Unit, list[str],
                                                                                       list[tuple[dt.date, dict[str, int]]]]:
    """Events per bucket and type: (unit, types, [(bucket start, counts)])."""
    rows = conn.execute(query.select(conn, EventRow.event_date, EventRow.event_type, func.count())
                        .select_from(EVENTS).group_by(EventRow.event_date, EventRow.event_type)).all()
    if not rows:
        return unit or "day", [], []
    days = [r[0] for r in rows]
    chosen: Unit = unit or unit_for(min(days), max(days))
    buckets: dict[dt.date, Counter[str]] = {}
    for day, kind, n in rows:
        buckets.setdefault(bucket(day, chosen), Counter())[kind] += n
    types = sorted({r[1] for r in rows})
    return chosen, types, [(d, dict(c)) for d, c in sorted(buckets.items())]


@dataclass
class MapView:
    """What the map draws for a view: single events when few, else cells of events; and what it cannot place."""

    mode: Literal["points", "cells"]
    total: int  # events with coordinates in the view
    unplaced: int  # events matching the filters that have no coordinates
    points: list[dict[str, Any]]
    cells: list[dict[str, Any]]


def map_view(conn: Connection, query: EventQuery, zoom: int, bounds: tuple[float, float, float, float] | None,
             max_points: int = 2000) -> MapView:
    """Events in the view ``bounds`` (west, south, east, north): every point up to ``max_points``, else a grid.

    The grid's cells are a quarter of a map tile at ``zoom`` (about 64 pixels), so the
    answer is bounded by the screen, not by the store: a few hundred cells at most.
    """
    placed = [EventRow.latitude.is_not(None), EventRow.longitude.is_not(None)]
    view = list(placed)
    if bounds:
        west, south, east, north = bounds
        view += [EventRow.latitude >= south, EventRow.latitude <= north]
        if west <= east:
            view += [EventRow.longitude >= west, EventRow.longitude <= east]
    unplaced = conn.execute(query.select(conn, func.count()).select_from(EVENTS)
                            .where(or_(EventRow.latitude.is_(None), EventRow.longitude.is_(None)))).scalar_one()
    total = conn.execute(query.select(conn, func.count()).select_from(EVENTS).where(*view)).scalar_one()
    if total <= max_points:
        columns = [EventRow.id, EventRow.latitude, EventRow.longitude, EventRow.event_type, EventRow.sub_event_type,
                   EventRow.event_date, EventRow.location, EventRow.actor1, EventRow.actor2, EventRow.fatalities,
                   EventRow.fatalities_known]
        rows = conn.execute(query.select(conn, *columns).where(*view).order_by(EventRow.event_date, EventRow.id))
        return MapView("points", total, unplaced, [dict(r._mapping) for r in rows], [])
    size = 360.0 / (2 ** max(0, min(zoom, 18))) / 4
    if conn.dialect.name == "postgresql":
        gy, gx = func.floor((EventRow.latitude + 90) / size), func.floor((EventRow.longitude + 180) / size)
    else:  # the offsets keep values positive, so a cast truncates like floor
        gy = cast((EventRow.latitude + 90) / size, Integer)
        gx = cast((EventRow.longitude + 180) / size, Integer)
    rows = conn.execute(query.select(conn, gy.label("gy"), gx.label("gx"), EventRow.event_type, func.count(),
                                     func.sum(EventRow.latitude), func.sum(EventRow.longitude),
                                     func.sum(case((EventRow.fatalities_known, EventRow.fatalities), else_=0)))
                        .select_from(EVENTS).where(*view).group_by("gy", "gx", EventRow.event_type)).all()
    cells: dict[tuple[int, int], dict[str, Any]] = {}
    for gy_, gx_, kind, n, lat, lon, dead in rows:
        cell = cells.setdefault((int(gy_), int(gx_)), {"count": 0, "lat": 0.0, "lon": 0.0, "fatalities": 0,
                                                       "types": {}})
        cell["count"] += n
        cell["lat"] += lat
        cell["lon"] += lon
        cell["fatalities"] += int(dead or 0)
        cell["types"][kind] = cell["types"].get(kind, 0) + n
    found = []
    for cell in cells.values():
        n = cell["count"]
        found.append({"count": n, "latitude": round(cell["lat"] / n, 5), "longitude": round(cell["lon"] / n, 5),
                      "fatalities": cell["fatalities"], "types": cell["types"]})
    found.sort(key=lambda c: -c["count"])
    return MapView("cells", total, unplaced, [], found)


def facets(conn: Connection, limit: int = 500) -> dict[str, Any]:
    """The values the filters offer: countries, types, the most frequent outlets and actors, the date range."""
    countries = [r[0] for r in conn.execute(select(EventRow.country).distinct().where(EventRow.country != "")
                                            .order_by(EventRow.country))]
    types = [r[0] for r in conn.execute(select(EventRow.event_type).distinct().order_by(EventRow.event_type))]
    first, last = conn.execute(select(func.min(EventRow.event_date), func.max(EventRow.event_date))).one()
    actors: Counter[str] = Counter()
    for role in (EventRow.actor1, EventRow.actor2):
        for name, n in conn.execute(select(role, func.count()).where(role != "").group_by(role)):
            actors[name] += n
    outlets: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for joined, n in conn.execute(select(EventRow.source, func.count()).group_by(EventRow.source)):
        for name in (joined or "").split(";"):
            if name.strip():
                key = outlet_key(name)
                outlets[key] += n
                shown.setdefault(key, " ".join(name.translate(DASHES).split()))
    return {"countries": countries, "event_types": types, "first_date": first, "last_date": last,
            "actors": sorted(a for a, _ in actors.most_common(limit)),
            "sources": sorted(shown[k] for k, _ in outlets.most_common(limit))}
