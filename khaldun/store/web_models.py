"""Tables of the web workbench: accounts, API tokens, settings, report texts and the review history.

They live apart from :mod:`khaldun.store.models` (the dataset itself) because they are about
who looks at the data and what they changed, not about the events; migration ``0002``
creates them. Review changes keep full before/after snapshots of the rows they touched, so
any change can be undone even after the events around it were edited again.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from khaldun.store.models import Base

ROLES = ("viewer", "analyst", "admin")
"""Account roles, weakest first: viewers read, analysts review and upload, admins manage accounts."""


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)  # argon2id, PHC string
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class TokenRow(Base):
    __tablename__ = "api_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the token: a leak of the table is useless
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))  # a forgotten token stops working


class SessionRow(Base):
    """A signed-in browser: the cookie carries the session id, the server decides whether it is still valid.

    Only the SHA-256 of the id is stored, so reading the table signs nobody in; deleting the
    row (sign-out, password change, account disabled) ends the session even for a copied cookie.
    """

    __tablename__ = "web_sessions"
    __table_args__ = (Index("ix_web_sessions_user_id", "user_id"),)

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class LoginThrottleRow(Base):
    """Failed sign-ins per account or per address (``user:NAME``, ``addr:IP``), shared by every server process."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    first_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class SettingRow(Base):
    __tablename__ = "web_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ReportTextRow(Base):
    """The full text of a report uploaded through the workbench, to show evidence in context."""

    __tablename__ = "report_texts"

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    text: Mapped[str] = mapped_column(Text)


class ChangeRow(Base):
    """One review action on events: who, when, why, and the rows before and after (JSON)."""

    __tablename__ = "event_changes"
    __table_args__ = (Index("ix_event_changes_event_id", "event_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))  # accept, reject, edit, merge, split, revert
    username: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    before: Mapped[str] = mapped_column(Text)
    after: Mapped[str] = mapped_column(Text)
    reverted_by: Mapped[int | None] = mapped_column(Integer)
    reverts: Mapped[int | None] = mapped_column(Integer)
