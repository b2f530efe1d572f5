"""0003 security: server-side sessions, API token expiry, sign-in throttling; the session key leaves the database.

Tokens issued before this revision expire 90 days after the upgrade. The session-signing
key that 0002 kept in ``web_settings`` is deleted: whoever could read the database could
forge sessions with it. The key now lives in a file or the environment (``khaldun.web.keys``).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

LEGACY_TOKEN_DAYS = 90


def upgrade() -> None:
    op.add_column("api_tokens", sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    tokens = sa.table("api_tokens", sa.column("expires_at", sa.DateTime(timezone=True)))
    expiry = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=LEGACY_TOKEN_DAYS)
    op.execute(tokens.update().values(expires_at=expiry))
    with op.batch_alter_table("api_tokens") as batch:
        batch.alter_column("expires_at", existing_type=sa.DateTime(timezone=True), nullable=False)
    op.create_table(
        "web_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_web_sessions_user_id", "web_sessions", ["user_id"])
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
    )
    settings = sa.table("web_settings", sa.column("key", sa.String(64)))
    op.execute(settings.delete().where(settings.c.key == "session_secret"))


def downgrade() -> None:
    op.drop_table("login_throttle")
    op.drop_index("ix_web_sessions_user_id", table_name="web_sessions")
    op.drop_table("web_sessions")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("expires_at")
