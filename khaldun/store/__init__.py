"""The event store: reports, their events merged across outlets, territorial control, exports.

    >>> from khaldun.store import open_store, ingest_paths
    >>> with open_store("events.db") as store:
    ...     outcomes = list(ingest_paths(store, ["reports/"]))
"""

from khaldun.store.db import DB_ENV, Store, database_url, default_path, open_store

__all__ = ["DB_ENV", "Store", "database_url", "default_path", "open_store"]
