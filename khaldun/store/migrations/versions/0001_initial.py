"""0001 initial: documents, events, event_sources, evidence, control.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(255), primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("source", sa.Text()),
        sa.Column("source_scale", sa.Text()),
        sa.Column("url", sa.Text()),
        sa.Column("language", sa.String(16)),
        sa.Column("publication_date", sa.Date()),
        sa.Column("origin", sa.Text()),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text()),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("time_precision", sa.Integer(), nullable=False),
        sa.Column("disorder_type", sa.Text(), nullable=False),
        sa.Column("event_type", sa.Text(), nullable=False),
        sa.Column("sub_event_type", sa.Text(), nullable=False),
        sa.Column("actor1", sa.Text(), nullable=False),
        sa.Column("assoc_actor_1", sa.Text(), nullable=False),
        sa.Column("inter1", sa.Integer()),
        sa.Column("actor2", sa.Text(), nullable=False),
        sa.Column("assoc_actor_2", sa.Text(), nullable=False),
        sa.Column("inter2", sa.Integer()),
        sa.Column("interaction", sa.Integer()),
        sa.Column("civilian_targeting", sa.Text(), nullable=False),
        sa.Column("iso", sa.Integer()),
        sa.Column("region", sa.Text(), nullable=False),
        sa.Column("country", sa.Text(), nullable=False),
        sa.Column("admin1", sa.Text(), nullable=False),
        sa.Column("admin2", sa.Text(), nullable=False),
        sa.Column("admin3", sa.Text(), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("latitude", sa.Float()),
        sa.Column("longitude", sa.Float()),
        sa.Column("geo_precision", sa.Integer()),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_scale", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("fatalities", sa.Integer(), nullable=False),
        sa.Column("tags", sa.Text(), nullable=False),
        sa.Column("timestamp", sa.BigInteger(), nullable=False),
        sa.Column("doc_id", sa.String(255), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("background", sa.Boolean(), nullable=False),
        sa.Column("claimed_by", sa.Text(), nullable=False),
        sa.Column("fatalities_known", sa.Boolean(), nullable=False),
        sa.Column("place_id", sa.Text()),
        sa.Column("fatalities_low", sa.Integer()),
        sa.Column("fatalities_best", sa.Integer()),
        sa.Column("fatalities_high", sa.Integer()),
        sa.Column("source_count", sa.Integer(), nullable=False),
        sa.Column("review_status", sa.String(16), nullable=False),
        sa.Column("merge_notes", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
    )
    op.create_index("ix_events_event_date", "events", ["event_date"])
    op.create_index("ix_events_country", "events", ["country"])
    op.create_index("ix_events_sub_event_type", "events", ["sub_event_type"])
    op.create_table(
        "event_sources",
        sa.Column("document_id", sa.String(255), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("event_id", sa.String(64), sa.ForeignKey("events.id", ondelete="SET NULL")),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("country", sa.Text(), nullable=False),
        sa.Column("sub_event_type", sa.Text(), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("outlet", sa.Text(), nullable=False),
        sa.Column("fatalities", sa.Integer()),
        sa.Column("claimed_by", sa.Text(), nullable=False),
        sa.Column("place_scale", sa.String(16)),
        sa.Column("place_parent_id", sa.Text()),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("merge_reason", sa.Text()),
    )
    op.create_index("ix_event_sources_event_date", "event_sources", ["event_date"])
    op.create_index("ix_event_sources_event_id", "event_sources", ["event_id"])
    op.create_table(
        "evidence",
        sa.Column("document_id", sa.String(255), primary_key=True),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("n", sa.Integer(), primary_key=True),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["document_id", "position"], ["event_sources.document_id", "event_sources.position"],
                                ondelete="CASCADE"),
    )
    op.create_table(
        "control",
        sa.Column("document_id", sa.String(255), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("n", sa.Integer(), primary_key=True),
        sa.Column("place_key", sa.Text(), nullable=False),
        sa.Column("place_name", sa.Text(), nullable=False),
        sa.Column("latitude", sa.Float()),
        sa.Column("longitude", sa.Float()),
        sa.Column("country", sa.Text(), nullable=False),
        sa.Column("holder", sa.Text(), nullable=False),
        sa.Column("holder_inter", sa.Integer()),
        sa.Column("since", sa.Date()),
        sa.Column("until", sa.Date()),
        sa.Column("stated_on", sa.Date(), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
    )
    op.create_index("ix_control_place_key", "control", ["place_key"])


def downgrade() -> None:
    op.drop_table("control")
    op.drop_table("evidence")
    op.drop_table("event_sources")
    op.drop_table("events")
    op.drop_table("documents")
