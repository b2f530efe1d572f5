"""Small builders for store tests: events and pipeline results written by hand, no extraction."""

from __future__ import annotations

import datetime as dt

from khaldun.schema import (ActorRef, ControlStatement, DocumentResult, Event, Evidence, GeoEntry, Mentions,
                            PlaceMention, Report, Span)

HOMS = GeoEntry(id="test:homs", name="Homs", latitude=34.7308, longitude=36.7094, feature_class="P",
                feature_code="PPLA", country_code="SY", country="Syria", admin1="Homs")
KHALDIYE = GeoEntry(id="test:khaldiye", name="Khaldiyé", latitude=34.745, longitude=36.712, feature_class="P",
                    feature_code="PPLX", country_code="SY", country="Syria", admin1="Homs", parent_id="test:homs")
BAB_SBAA = GeoEntry(id="test:bab-sbaa", name="Bab Sbaa", latitude=34.722, longitude=36.716, feature_class="P",
                    feature_code="PPLX", country_code="SY", country="Syria", admin1="Homs", parent_id="test:homs")
HAMA = GeoEntry(id="test:hama", name="Hama", latitude=35.1318, longitude=36.7578, feature_class="P",
                feature_code="PPLA", country_code="SY", country="Syria", admin1="Hama")
ARMY = ("Military Forces of Syria (2000-)", 1)
FSA = ("Free Syrian Army", 2)
REBELS = ("Opposition Rebels (Syria)", 2)


def event(doc: str, day: dt.date, place: GeoEntry | None, *, sub: str = "Armed clash", event_type: str = "Battles",
          actor1: tuple[str, int] | None = ARMY, actor2: tuple[str, int] | None = FSA, fatalities: int | None = None,
          outlet: str = "", number: int = 1, notes: str = "") -> Event:
    return Event(
        event_id_cnty=f"SY-{doc}-{number}", event_date=day, year=day.year, event_type=event_type, sub_event_type=sub,
        disorder_type="Political violence", actor1=actor1[0] if actor1 else "", inter1=actor1[1] if actor1 else None,
        actor2=actor2[0] if actor2 else "", inter2=actor2[1] if actor2 else None, iso=760, region="Middle East",
        country="Syria", admin1=place.admin1 if place else "", location=place.name if place else "",
        latitude=place.latitude if place else None, longitude=place.longitude if place else None,
        geo_precision=1, place_id=place.id if place else None, source=outlet, notes=notes or f"{sub} reported by {outlet}.",
        fatalities=fatalities or 0, fatalities_known=fatalities is not None, doc_id=doc, claimed_by=outlet,
        evidence=[Evidence(field="sub_event_type", start=0, end=4, text="word")], confidence=0.8)


def result(doc: str, published: dt.date, events: list[Event], *, outlet: str = "", text: str | None = None,
           places: tuple[GeoEntry, ...] = (), controls: list[ControlStatement] | None = None,
           error: str | None = None) -> DocumentResult:
    report = Report(id=doc, text=text or f"report {doc}", publication_date=published, language="en", source=outlet,
                    origin=f"{doc}.txt")
    mentions = Mentions(doc_id=doc, language="en", publication_date=published, text=report.text,
                        places=[PlaceMention(span=Span(start=0, end=1, text="x"), name=p.name, entry=p) for p in places],
                        controls=controls or [])
    return DocumentResult(report=report, mentions=None if error else mentions, events=[] if error else events,
                          error=error)


def statement(place: GeoEntry, holder: tuple[str, int], text: str, since: dt.date | None = None) -> ControlStatement:
    return ControlStatement(span=Span(start=0, end=len(text), text=text), actor=ActorRef(name=holder[0], inter=holder[1]),
                            place=PlaceMention(span=Span(start=0, end=1, text=place.name), name=place.name, entry=place),
                            since=since)


def dump(store) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, without ingestion timestamps: for 'same database' comparisons."""
    from sqlalchemy import select

    from khaldun.store.models import Base

    tables = {}
    with store.read() as conn:
        for name, table in Base.metadata.tables.items():
            columns = [c for c in table.columns if c.name != "ingested_at"]
            rows = conn.execute(select(*columns)).all()
            tables[name] = sorted((tuple(r) for r in rows), key=repr)
    return tables


def drop_database(admin: str, name: str, attempts: int = 20) -> None:
    """Drop a test database. FORCE ends our own leftover sessions, but PostgreSQL refuses it (InsufficientPrivilege)
    while an autovacuum worker is on the database: that lasts a moment, so try again."""
    import time

    import psycopg

    for attempt in range(attempts):
        try:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except psycopg.errors.InsufficientPrivilege:
            if attempt == attempts - 1:
                raise
            time.sleep(0.25)
