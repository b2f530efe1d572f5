"""Find events in SQL: filters, full-text search, sorted pages, timeline buckets, map aggregates.

Everything here runs in the database, so a page of 50 events or a map of 100,000 costs a
bounded answer whatever the store holds. Full-text search uses SQLite's FTS5 table
``events_fts`` (kept by triggers) or PostgreSQL's ``to_tsvector`` over the same columns
(GIN index ``ix_events_search``, hyphens read as spaces since migration ``0005``), both
built by migration ``0004``.

Unfiltered answers (what the map page asks for first) read the summary tables that
triggers keep at every write (migration ``0005``): the filter choices, the timeline and
the map grid at zoom 7 and below cost a few thousand rows, not a scan of every event.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import (Connection, ColumnElement, Date, Integer, Select, and_, case, cast, func, literal, or_, select,
                        text, type_coerce)

from khaldun.store.models import CellCountRow, DayCountRow, EventRow, ValueCountRow
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
GRID_ZOOM = 7
"""The zoom whose map grid the store keeps counts for (``event_cell_counts``): coarser cells are unions of its cells."""


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

    def everything(self) -> bool:
        """No filter at all: the answer can come from the counts kept at write time."""
        return not (self.since or self.until or self.country or self.event_type or self.actor or self.review_status
                    or self.source or (self.q and search_tokens(self.q)) or self.flagged is not None)

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
        return text(f"to_tsvector('simple'::regconfig, translate({joined}, '-', ' ')) @@ to_tsquery('simple', :tsq)"
                    ).bindparams(tsq=tsquery)
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
    if query.everything():
        unit, rows = _counted_days(conn, unit)
    else:
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


def _counted_days(conn: Connection, unit: Unit | None) -> tuple[Unit | None, list[Any]]:
    """The unit and (bucket start, type, count) rows from ``event_day_counts``, bucketed in SQL."""
    first, last = conn.execute(select(func.min(DayCountRow.event_date), func.max(DayCountRow.event_date))
                               .where(DayCountRow.n > 0)).one()
    if first is None:
        return unit, []
    chosen = unit or unit_for(first, last)
    start = _bucket_start(conn, DayCountRow.event_date, chosen).label("start")
    return chosen, conn.execute(select(start, DayCountRow.event_type, func.sum(DayCountRow.n))
                                .where(DayCountRow.n > 0).group_by("start", DayCountRow.event_type)).all()


def _bucket_start(conn: Connection, day: Any, unit: Unit) -> ColumnElement[Any]:
    """The SQL of :func:`bucket`: the day itself, the Monday of its week, or the first of its month."""
    if unit == "day":
        return day
    if conn.dialect.name == "postgresql":
        return cast(func.date_trunc(unit, day), Date)
    shifted = func.date(day, "weekday 0", "-6 days") if unit == "week" else func.date(day, "start of month")
    return type_coerce(shifted, Date)


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
    answer is bounded by the screen, not by the store: a few hundred cells at most. Without
    filters, at zoom 7 and below, the cells come from the counts kept at write time; a cell
    at the edge of the view then counts all its events, those just outside the view too.
    """
    if query.everything() and zoom <= GRID_ZOOM:
        counted = _counted_cells(conn, zoom, bounds)
        if counted.total > max_points:
            return counted
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
    return MapView("cells", total, unplaced, [], _cells(rows))


def _cells(rows: Any) -> list[dict[str, Any]]:
    """Grid cells from rows of (gy, gx, event type, count, sum of latitudes, of longitudes, of fatalities): each
    cell's count, types, fatalities and centre (the mean of its events' coordinates), biggest cells first."""
    sums: dict[tuple[int, int], dict[str, Any]] = {}
    for gy, gx, kind, n, lat, lon, dead in rows:
        cell = sums.setdefault((int(gy), int(gx)), {"count": 0, "lat": 0.0, "lon": 0.0, "fatalities": 0, "types": {}})
        cell["count"] += int(n)
        cell["lat"] += lat
        cell["lon"] += lon
        cell["fatalities"] += int(dead or 0)
        cell["types"][kind] = cell["types"].get(kind, 0) + int(n)
    cells = [{"count": c["count"], "latitude": round(c["lat"] / c["count"], 5),
              "longitude": round(c["lon"] / c["count"], 5), "fatalities": c["fatalities"], "types": c["types"]}
             for c in sums.values()]
    cells.sort(key=lambda c: -c["count"])
    return cells


def _counted_cells(conn: Connection, zoom: int, bounds: tuple[float, float, float, float] | None) -> MapView:
    """Every event's cell at ``zoom`` from ``event_cell_counts``: whole cells of the zoom-7 grid that meet the view."""
    size = 360.0 / 2 ** GRID_ZOOM / 4
    factor = 2 ** (GRID_ZOOM - max(0, zoom))
    where: list[ColumnElement[bool]] = [CellCountRow.n > 0]
    if bounds:
        west, south, east, north = bounds
        where += [CellCountRow.gy >= math.floor((south + 90) / size), CellCountRow.gy <= math.floor((north + 90) / size)]
        if west <= east:
            where += [CellCountRow.gx >= math.floor((west + 180) / size),
                      CellCountRow.gx <= math.floor((east + 180) / size)]
    # integers: integer division; labels unlike the columns, which GROUP BY would otherwise name
    gy, gx = CellCountRow.gy.op("/")(factor).label("cell_y"), CellCountRow.gx.op("/")(factor).label("cell_x")
    rows = conn.execute(select(gy, gx, CellCountRow.event_type, func.sum(CellCountRow.n),
                               func.sum(CellCountRow.latitude_sum), func.sum(CellCountRow.longitude_sum),
                               func.sum(CellCountRow.fatalities))
                        .where(*where).group_by("cell_y", "cell_x", CellCountRow.event_type)).all()
    cells = _cells(rows)
    unplaced = conn.execute(select(ValueCountRow.n).where(ValueCountRow.kind == "unplaced",
                                                          ValueCountRow.value == "")).scalar_one_or_none() or 0
    return MapView("cells", sum(c["count"] for c in cells), unplaced, [], cells)


def _counts(conn: Connection, kind: str) -> list[tuple[str, int]]:
    return [(r[0], r[1]) for r in conn.execute(select(ValueCountRow.value, ValueCountRow.n)
                                               .where(ValueCountRow.kind == kind, ValueCountRow.n > 0)
                                               .order_by(ValueCountRow.value))]


def facets(conn: Connection, limit: int = 500) -> dict[str, Any]:
    """The values the filters offer: countries, types, the most frequent outlets and actors, the date range.

    Read from ``event_value_counts`` (kept by triggers), so it costs the same whatever the store holds.
    """
    countries = sorted(v for v, _ in _counts(conn, "country") if v != "")
    types = sorted(v for v, _ in _counts(conn, "event_type"))
    first, last = conn.execute(select(func.min(EventRow.event_date), func.max(EventRow.event_date))).one()
    actors = [r[0] for r in conn.execute(select(ValueCountRow.value).where(
        ValueCountRow.kind == "actor", ValueCountRow.value != "", ValueCountRow.n > 0)
        .order_by(ValueCountRow.n.desc(), ValueCountRow.value).limit(limit))]
    outlets: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for joined, n in _counts(conn, "source"):
        for name in (joined or "").split(";"):
            if name.strip():
                key = outlet_key(name)
                outlets[key] += n
                shown.setdefault(key, " ".join(name.translate(DASHES).split()))
    return {"countries": countries, "event_types": types, "first_date": first, "last_date": last,
            "actors": sorted(actors),
            "sources": sorted(shown[k] for k, _ in outlets.most_common(limit))}


def warm(conn: Connection) -> None:
    """Ask the map page's first questions once (answers dropped) when a server starts: their SQL is compiled and
    the count tables' pages are read, so the first analyst's page load costs what the next ones do."""
    everything = EventQuery()
    facets(conn)
    timeline(conn, everything)
    map_view(conn, everything, 3, None)
    count(conn, everything)
    page(conn, everything, limit=50)
