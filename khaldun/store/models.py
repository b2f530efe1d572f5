"""The store's tables, as SQLAlchemy 2 declarative models.

These classes describe the schema that the migrations in ``khaldun/store/migrations``
build; a test checks that the migrated database and these models agree, on SQLite and
PostgreSQL. Keys are natural (report id, event id, position in a report) rather than
database sequences, so two databases built from the same reports compare equal row by
row, whatever was interrupted, retried or run concurrently on the way.

* ``documents``: one row per report, with its content hash, status and error.
* ``event_sources``: the events one report tells, as the pipeline coded them (one row
  per event of the report), each linked to the merged event it supports.
* ``evidence``: the words supporting each field of a source event.
* ``events``: merged events, one per real-world event, with ACLED's columns, khaldun's,
  the low / best / high fatality figures and the review status.
* ``control``: statements of who holds a place ("quartiers encore tenus par l'ASL").
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (BigInteger, Boolean, Date, DateTime, Float, ForeignKey, ForeignKeyConstraint, Index, Integer,
                        String, Text)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

REVIEW_STATUSES = ("unreviewed", "accepted", "rejected", "edited")
"""Review states of a merged event; every new event starts ``unreviewed``."""


class Base(DeclarativeBase):
    pass


class DocumentRow(Base):
    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str | None] = mapped_column(Text)
    source_scale: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    publication_date: Mapped[dt.date | None] = mapped_column(Date)
    origin: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text)
    event_count: Mapped[int] = mapped_column(Integer, default=0)
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class EventRow(Base):
    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_event_date", "event_date"),
        Index("ix_events_country", "country"),
        Index("ix_events_sub_event_type", "sub_event_type"),
        Index("ix_events_review_status", "review_status"),
        Index("ix_events_date_type", "event_date", "event_type"),
        Index("ix_events_map", "latitude", "longitude", "event_type", "fatalities", "fatalities_known"),
        Index("ix_events_actor1", "actor1"),
        Index("ix_events_actor2", "actor2"),
        Index("ix_events_source", "source"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_date: Mapped[dt.date] = mapped_column(Date)
    year: Mapped[int] = mapped_column(Integer)
    time_precision: Mapped[int] = mapped_column(Integer)
    disorder_type: Mapped[str] = mapped_column(Text)
    event_type: Mapped[str] = mapped_column(Text)
    sub_event_type: Mapped[str] = mapped_column(Text)
    actor1: Mapped[str] = mapped_column(Text)
    assoc_actor_1: Mapped[str] = mapped_column(Text)
    inter1: Mapped[int | None] = mapped_column(Integer)
    actor2: Mapped[str] = mapped_column(Text)
    assoc_actor_2: Mapped[str] = mapped_column(Text)
    inter2: Mapped[int | None] = mapped_column(Integer)
    interaction: Mapped[int | None] = mapped_column(Integer)
    civilian_targeting: Mapped[str] = mapped_column(Text)
    iso: Mapped[int | None] = mapped_column(Integer)
    region: Mapped[str] = mapped_column(Text)
    country: Mapped[str] = mapped_column(Text)
    admin1: Mapped[str] = mapped_column(Text)
    admin2: Mapped[str] = mapped_column(Text)
    admin3: Mapped[str] = mapped_column(Text)
    location: Mapped[str] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    geo_precision: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text)
    source_scale: Mapped[str] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text)
    fatalities: Mapped[int] = mapped_column(Integer)
    tags: Mapped[str] = mapped_column(Text)
    timestamp: Mapped[int] = mapped_column(BigInteger)
    doc_id: Mapped[str] = mapped_column(String(255))
    confidence: Mapped[float] = mapped_column(Float)
    background: Mapped[bool] = mapped_column(Boolean)
    claimed_by: Mapped[str] = mapped_column(Text)
    fatalities_known: Mapped[bool] = mapped_column(Boolean)
    place_id: Mapped[str | None] = mapped_column(Text)
    fatalities_low: Mapped[int | None] = mapped_column(Integer)
    fatalities_best: Mapped[int | None] = mapped_column(Integer)
    fatalities_high: Mapped[int | None] = mapped_column(Integer)
    source_count: Mapped[int] = mapped_column(Integer)
    review_status: Mapped[str] = mapped_column(String(16), default="unreviewed")
    merge_notes: Mapped[str] = mapped_column(Text)  # JSON: why each field has its value
    evidence: Mapped[str] = mapped_column(Text)  # JSON: the lead report's evidence (all of it is in ``evidence``)
    conflicts: Mapped[str | None] = mapped_column(Text)  # JSON: locked fields new evidence disagrees with


class EventSourceRow(Base):
    __tablename__ = "event_sources"
    __table_args__ = (
        Index("ix_event_sources_event_date", "event_date"),
        Index("ix_event_sources_event_id", "event_id"),
        Index("ix_event_sources_pinned_event_id", "pinned_event_id"),
    )

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    event_date: Mapped[dt.date] = mapped_column(Date)
    country: Mapped[str] = mapped_column(Text)
    sub_event_type: Mapped[str] = mapped_column(Text)
    location: Mapped[str] = mapped_column(Text)
    outlet: Mapped[str] = mapped_column(Text)
    fatalities: Mapped[int | None] = mapped_column(Integer)  # None: the report gives no figure
    claimed_by: Mapped[str] = mapped_column(Text)
    place_scale: Mapped[str | None] = mapped_column(String(16))  # part, settlement, region, country
    place_parent_id: Mapped[str | None] = mapped_column(Text)
    record: Mapped[str] = mapped_column(Text)  # JSON of the pipeline's Event, the input of merging
    merge_reason: Mapped[str | None] = mapped_column(Text)  # JSON: why it joined its merged event
    pinned_event_id: Mapped[str | None] = mapped_column(String(64))  # an analyst put it in this event: merging obeys


class EvidenceRow(Base):
    __tablename__ = "evidence"
    __table_args__ = (
        ForeignKeyConstraint(["document_id", "position"], ["event_sources.document_id", "event_sources.position"],
                             ondelete="CASCADE"),
    )

    document_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    field: Mapped[str] = mapped_column(String(64))
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class ControlRow(Base):
    __tablename__ = "control"
    __table_args__ = (Index("ix_control_place_key", "place_key"),)

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_key: Mapped[str] = mapped_column(Text)  # gazetteer id, or "name:<folded name>" when ungeocoded
    place_name: Mapped[str] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    country: Mapped[str] = mapped_column(Text)
    holder: Mapped[str] = mapped_column(Text)
    holder_inter: Mapped[int | None] = mapped_column(Integer)
    since: Mapped[dt.date | None] = mapped_column(Date)
    until: Mapped[dt.date | None] = mapped_column(Date)
    stated_on: Mapped[dt.date] = mapped_column(Date)  # the report's publication date: when the statement was true
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class LockRow(Base):
    """A field an analyst set by hand: it keeps its value whatever later merges and ingests compute.

    ``machine`` is what the store computed when the lock was set, so a later recomputation
    that differs from it (new evidence) is told apart from the old disagreement the analyst
    already settled, and flagged for review.
    """

    __tablename__ = "event_locks"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    field: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON
    machine: Mapped[str] = mapped_column(Text)  # JSON
    username: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class AliasRow(Base):
    """An event id that no longer exists and the event that took over its reports (merge or re-merge)."""

    __tablename__ = "event_aliases"

    old_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    new_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DayCountRow(Base):
    """Events per day and type, kept by triggers on ``events`` (migration 0005): the unfiltered timeline."""

    __tablename__ = "event_day_counts"

    event_date: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    event_type: Mapped[str] = mapped_column(Text, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class ValueCountRow(Base):
    """Events per country, event type, actor, outlet string (``kind``), and without coordinates (``unplaced``).

    Kept by triggers on ``events``: the filter choices and the map's count of unplaced events
    cost a lookup, not a scan.
    """

    __tablename__ = "event_value_counts"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(Text, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class CellCountRow(Base):
    """Events per map-grid cell at zoom 7 and type, with sums for the cell's centre and fatalities (triggers)."""

    __tablename__ = "event_cell_counts"

    gy: Mapped[int] = mapped_column(Integer, primary_key=True)
    gx: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_type: Mapped[str] = mapped_column(Text, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
    latitude_sum: Mapped[float] = mapped_column(Float)
    longitude_sum: Mapped[float] = mapped_column(Float)
    fatalities: Mapped[int] = mapped_column(Integer)


# The workbench's tables (accounts, tokens, review history) are defined in their own module;
# importing it here registers them in Base.metadata, which the schema test compares with the database.
from khaldun.store import web_models  # noqa: E402,F401
