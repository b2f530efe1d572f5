"""Alembic environment: migrations run on the connection that :func:`khaldun.store.db.migrate` opened.

khaldun never runs Alembic from a command line of its own; the store's opener passes an
open connection (already inside a transaction) in ``config.attributes["connection"]``,
so every migration of one upgrade commits or rolls back together, on SQLite as on PostgreSQL.
"""

from __future__ import annotations

from alembic import context

from khaldun.store.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, transactional_ddl=True,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
