"""The gazetteer index: an SQLite file with places and their name keys.

One table of places and one of (key, place) pairs with the key as primary key, so a
lookup is one B-tree search, whatever the size of the gazetteer. The checksum covers
the rows, not the file bytes, so two builds compare equal across SQLite versions.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from khaldun.geo.translit import key, rules_digest, surface

FORMAT_VERSION = "1"

SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE country (
    iso2 TEXT PRIMARY KEY, iso3 TEXT, name TEXT NOT NULL, capital TEXT, place_id TEXT, neighbours TEXT
) WITHOUT ROWID;
CREATE TABLE admin (
    cc TEXT NOT NULL, level INTEGER NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, place_id TEXT,
    PRIMARY KEY (cc, level, code)
) WITHOUT ROWID;
CREATE TABLE place (
    rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
    lat REAL NOT NULL, lon REAL NOT NULL, fclass TEXT, fcode TEXT, cc TEXT,
    a1 TEXT, a2 TEXT, a3 TEXT, admin1 TEXT, admin2 TEXT, admin3 TEXT,
    population INTEGER NOT NULL DEFAULT 0, parent_id TEXT, source TEXT NOT NULL
);
CREATE TABLE name_key (
    key TEXT NOT NULL, rid INTEGER NOT NULL, folded TEXT NOT NULL, PRIMARY KEY (key, rid)
) WITHOUT ROWID;
CREATE INDEX place_cc ON place (cc, fclass);
CREATE INDEX name_key_rid ON name_key (rid);
"""

PLACE_COLUMNS = ("id", "name", "lat", "lon", "fclass", "fcode", "cc", "a1", "a2", "a3",
                 "admin1", "admin2", "admin3", "population", "parent_id", "source")


@dataclass
class PlaceRow:
    """A place as stored in the index, with every name it is known by."""

    id: str
    name: str
    lat: float
    lon: float
    fclass: str
    fcode: str
    cc: str
    a1: str = ""
    a2: str = ""
    a3: str = ""
    admin1: str = ""
    admin2: str = ""
    admin3: str = ""
    population: int = 0
    parent_id: str | None = None
    source: str = "geonames"
    names: tuple[str, ...] = ()

    def values(self) -> tuple[object, ...]:
        return tuple(getattr(self, column) for column in PLACE_COLUMNS)


def create(path: Path) -> sqlite3.Connection:
    """A new empty index at ``path`` (replacing any file there)."""
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;")
    conn.executescript(SCHEMA)
    return conn


MAX_SURFACES = 6


def name_keys(names: Iterable[str]) -> dict[str, str]:
    """key -> the distinct surface forms giving it, ``|``-joined ("" keys dropped)."""
    out: dict[str, list[str]] = {}
    for name in names:
        k = key(name)
        if not k:
            continue
        forms = out.setdefault(k, [])
        form = surface(name)
        if form not in forms and len(forms) < MAX_SURFACES:
            forms.append(form)
    return {k: "|".join(forms) for k, forms in out.items()}


def insert_places(conn: sqlite3.Connection, rows: Iterable[PlaceRow], *, replace: bool = True) -> None:
    """Insert places and their keys; ``replace`` first drops a place with the same id."""
    placeholders = ",".join("?" * len(PLACE_COLUMNS))
    for row in rows:
        old = conn.execute("SELECT rid FROM place WHERE id = ?", (row.id,)).fetchone() if replace else None
        if old:
            conn.execute("DELETE FROM name_key WHERE rid = ?", (old[0],))
            conn.execute("DELETE FROM place WHERE rid = ?", (old[0],))
        cur = conn.execute(f"INSERT INTO place ({','.join(PLACE_COLUMNS)}) VALUES ({placeholders})", row.values())
        rid = cur.lastrowid
        conn.executemany("INSERT OR IGNORE INTO name_key (key, rid, folded) VALUES (?, ?, ?)",
                         [(k, rid, folded) for k, folded in name_keys((row.name, *row.names)).items()])


def set_meta(conn: sqlite3.Connection, **values: str) -> None:
    conn.executemany("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", sorted(values.items()))


def checksum(conn: sqlite3.Connection) -> str:
    """SHA-256 over the content (places, keys, admins, countries) in a fixed order."""
    digest = hashlib.sha256()
    queries = (
        f"SELECT {','.join(PLACE_COLUMNS)} FROM place ORDER BY id",
        "SELECT k.key, p.id, k.folded FROM name_key k JOIN place p ON p.rid = k.rid ORDER BY k.key, p.id",
        "SELECT cc, level, code, name, place_id FROM admin ORDER BY cc, level, code",
        "SELECT iso2, iso3, name, capital, place_id, neighbours FROM country ORDER BY iso2",
    )
    for query in queries:
        for row in conn.execute(query):
            digest.update(repr(row).encode("utf-8"))
            digest.update(b"\n")
    return digest.hexdigest()


def finish(conn: sqlite3.Connection, **meta: str) -> dict[str, str]:
    """Record counts, rules hash and content checksum; compact the file."""
    places = conn.execute("SELECT count(*) FROM place").fetchone()[0]
    keys = conn.execute("SELECT count(*) FROM name_key").fetchone()[0]
    values = {"format": FORMAT_VERSION, "translit": rules_digest(), "places": str(places), "keys": str(keys), **meta}
    set_meta(conn, **values)
    conn.commit()
    values["checksum"] = checksum(conn)
    set_meta(conn, checksum=values["checksum"])
    conn.commit()
    conn.execute("VACUUM")
    return values
