"""Read access to a gazetteer index: exact key lookups, fuzzy lookups, admin divisions.

A lookup is one indexed SQLite query on the transliteration key, cached per name, so
the cost after opening is independent of the gazetteer's size. Fuzzy matching compares
keys with rapidfuzz inside one country (or one initial letter), loaded on first use.
"""

from __future__ import annotations

import lzma
import math
import os
import shutil
import sqlite3
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from khaldun.geo import paths
from khaldun.geo.messages import geo_error
from khaldun.geo.translit import key, rules_digest, surface
from khaldun.schema import GeoEntry

COLUMNS = "p.id, p.name, p.lat, p.lon, p.fclass, p.fcode, p.cc, p.admin1, p.admin2, p.admin3, p.population, p.parent_id"
FEATURE_WEIGHT = {"CONT": 12.0, "PCLI": 10.0, "RGN": 8.0, "PPLC": 7.0, "PPLA": 5.0, "ADM1": 4.5, "PPLA2": 3.0, "ADM2": 2.5, "PPLA3": 1.5,
                  "AIRP": 1.0, "AIRB": 1.0, "PPLX": 0.5}


@dataclass(frozen=True)
class Candidate:
    """A gazetteer entry found for a name, with the spelling that matched it."""

    entry: GeoEntry
    matched: str  # the entry's names with this key, as surface forms, "|"-joined
    score: float = 100.0

    def exact(self, name: str) -> bool:
        """True when ``name`` is spelled like one of the entry's names (accents aside)."""
        return surface(name) in self.matched.split("|")


DIVISION_PRIOR = {"ADM1": 4.0, "ADM2": 3.0}
"""Log population assumed for a division whose population the gazetteer lacks: a state's name
means the state more often than a small town of that name ("Virginia", not Virginia, Illinois)."""


def importance(entry: GeoEntry) -> float:
    """How likely a bare name means this entry: feature type plus log population."""
    size = math.log10(entry.population + 1) if entry.population else DIVISION_PRIOR.get(entry.feature_code, 0.0)
    return FEATURE_WEIGHT.get(entry.feature_code, 0.0) + size


def prominence(entry: GeoEntry) -> tuple[float, str]:
    """Sort key: countries and capitals first, then by population."""
    return (-importance(entry), entry.id)


class Gazetteer:
    """An opened gazetteer index (read-only; safe to share between threads)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            meta = dict(self._conn.execute("SELECT name, value FROM meta"))
        except sqlite3.Error as exc:
            raise geo_error("E602", path=path, reason=str(exc)) from None
        if meta.get("translit") != rules_digest():
            raise geo_error("E603", path=path, found=meta.get("translit"), expected=rules_digest())
        self.meta = meta
        self._lock = threading.Lock()
        self._countries = {row[0]: row[1] for row in self._conn.execute("SELECT iso2, name FROM country")}
        self._fuzzy_keys: dict[str, list[str]] = {}
        self._cached_lookup = lru_cache(maxsize=50_000)(self._lookup_key)
        # per-country facts asked for every name of every report: one query each, then memory
        self._neighbours = lru_cache(maxsize=512)(self._neighbours_of)
        self._country_entry = lru_cache(maxsize=512)(self._country_entry_of)

    @classmethod
    def open(cls, path: str | Path | None = None) -> "Gazetteer":
        """Open an index file, or (None) the user's merged index / the packaged default.

        Opening is cached per file version, so calling it from every stage is cheap.
        """
        if path is None:
            from khaldun.geo.store import UserStore

            target = UserStore().current_index()
        else:
            target = Path(path)
            if target.suffix == ".xz":
                target = unpack(target)
        if not target.exists():
            raise geo_error("E601", path=target)
        stat = target.stat()
        return _open_cached(target.resolve(), stat.st_mtime_ns, stat.st_size)

    def _query(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._conn.execute(sql, args).fetchall()

    def _entry(self, row: tuple) -> GeoEntry:
        return GeoEntry(
            id=row[0], name=row[1], latitude=row[2], longitude=row[3], feature_class=row[4] or "",
            feature_code=row[5] or "", country_code=row[6] or "", country=self._countries.get(row[6] or "", ""),
            admin1=row[7] or "", admin2=row[8] or "", admin3=row[9] or "", population=row[10] or 0,
            parent_id=row[11],
        )

    def _lookup_key(self, k: str, country: str | None) -> tuple[Candidate, ...]:
        sql = f"SELECT {COLUMNS}, k.folded FROM name_key k JOIN place p ON p.rid = k.rid WHERE k.key = ?"
        rows = self._query(sql + " AND p.cc = ?", (k, country)) if country else self._query(sql, (k,))
        found = [Candidate(self._entry(row), row[12]) for row in rows]
        return tuple(sorted(found, key=lambda c: prominence(c.entry)))

    def candidates(self, name: str, *, country: str | None = None) -> list[Candidate]:
        """Every entry whose key equals the key of ``name`` (most prominent first)."""
        k = key(name)
        if not k:
            return []
        found = self._cached_lookup(k, country)
        spelled = {surface(c.entry.name) for c in found if c.exact(name)}
        # a division and its seat share their names: when one is spelled as asked ("Mossoul" for the
        # district), so is the other, even if its list of spellings is full
        found = tuple(c if c.exact(name) or surface(c.entry.name) not in spelled
                      else Candidate(c.entry, f"{c.matched}|{surface(name)}", c.score) for c in found)
        return sorted(found, key=lambda c: (not c.exact(name), prominence(c.entry)))

    def lookup(self, name: str, *, country: str | None = None, limit: int = 20) -> list[GeoEntry]:
        """Exact match on the transliteration key of the name or any alternate name."""
        return [c.entry for c in self.candidates(name, country=country)[:limit]]

    def _keys_for(self, block: str, country: str | None) -> list[str]:
        cache_key = f"{country or ''}|{block}"
        with self._lock:
            keys = self._fuzzy_keys.get(cache_key)
        if keys is None:
            if country:
                rows = self._query("SELECT DISTINCT k.key FROM name_key k JOIN place p ON p.rid = k.rid WHERE p.cc = ? ORDER BY k.key", (country,))
            else:
                rows = self._query("SELECT DISTINCT key FROM name_key WHERE key >= ? AND key < ? ORDER BY key", (block, block + "\uffff"))
            keys = [r[0] for r in rows]
            with self._lock:
                self._fuzzy_keys[cache_key] = keys
        return keys

    def fuzzy_candidates(self, name: str, *, country: str | None = None, threshold: float = 88.0, limit: int = 10) -> list[Candidate]:
        """Entries whose key is within ``threshold`` (0-100, rapidfuzz ratio) of the name's key."""
        k = key(name)
        if not k:
            return []
        keys = self._keys_for("" if country else k[0], country)
        matches = process.extract(k, keys, scorer=fuzz.ratio, score_cutoff=threshold, limit=limit)
        out: list[Candidate] = []
        for matched_key, score, _ in matches:
            for cand in self._cached_lookup(matched_key, country):
                out.append(Candidate(cand.entry, cand.matched, float(score)))
        out.sort(key=lambda c: (-c.score, prominence(c.entry)))
        return out[:limit]

    def fuzzy(self, name: str, *, country: str | None = None, threshold: float = 88.0, limit: int = 10) -> list[tuple[GeoEntry, float]]:
        """Approximate matches as (entry, score 0-100), best first."""
        return [(c.entry, c.score) for c in self.fuzzy_candidates(name, country=country, threshold=threshold, limit=limit)]

    def get(self, entry_id: str) -> GeoEntry | None:
        rows = self._query(f"SELECT {COLUMNS} FROM place p WHERE p.id = ?", (entry_id,))
        return self._entry(rows[0]) if rows else None

    def admin1_entry(self, country_code: str, admin1_name_or_code: str) -> GeoEntry | None:
        """The first-level division (governorate, province, region) by name or GeoNames code.

        Its coordinates are those of the division's capital (ACLED codes a region-only
        location to the provincial capital with geo_precision 3); ``feature_code`` is ADM1.
        """
        cc = country_code.upper()
        rows = self._query("SELECT place_id FROM admin WHERE cc = ? AND level = 1 AND code = ?", (cc, admin1_name_or_code))
        if rows and rows[0][0]:
            return self.get(rows[0][0])
        for cand in self.candidates(admin1_name_or_code, country=cc):
            if cand.entry.feature_code == "ADM1":
                return cand.entry
        return None

    def admin2_entry(self, country_code: str, name: str) -> GeoEntry | None:
        """The second-level division (district) called ``name``, coded to its seat."""
        for cand in self.candidates(name, country=country_code.upper()):
            if cand.entry.feature_code == "ADM2":
                return cand.entry
        return None

    def country_name(self, iso2: str) -> str:
        """English name of a country ("" when the code is unknown)."""
        return self._countries.get(iso2.upper(), "")

    def country_entry(self, iso2: str) -> GeoEntry | None:
        """The country as a place (feature code PCLI, coded at its capital)."""
        return self._country_entry(iso2.upper())

    def _country_entry_of(self, iso2: str) -> GeoEntry | None:
        rows = self._query("SELECT place_id FROM country WHERE iso2 = ?", (iso2,))
        return self.get(rows[0][0]) if rows and rows[0][0] else None

    def capital(self, iso2: str) -> GeoEntry | None:
        """The country's capital city ("dans la capitale", "in the capital")."""
        rows = self._query("SELECT capital FROM country WHERE iso2 = ?", (iso2.upper(),))
        if not rows or not rows[0][0]:
            return None
        cities = [c.entry for c in self.candidates(rows[0][0], country=iso2.upper()) if c.entry.feature_class == "P"]
        return min(cities, key=lambda e: (e.feature_code != "PPLC", -e.population, e.id)) if cities else None

    def neighbours(self, iso2: str) -> list[str]:
        """ISO2 codes of the countries bordering ``iso2``."""
        return list(self._neighbours(iso2.upper()))

    def _neighbours_of(self, iso2: str) -> tuple[str, ...]:
        rows = self._query("SELECT neighbours FROM country WHERE iso2 = ?", (iso2,))
        return tuple(c for c in (rows[0][0] or "").split(",") if c) if rows else ()

    def children(self, parent_id: str) -> list[GeoEntry]:
        """Places whose parent is ``parent_id`` (a city's neighbourhoods and landmarks)."""
        return [self._entry(r) for r in self._query(f"SELECT {COLUMNS} FROM place p WHERE p.parent_id = ?", (parent_id,))]

    def info(self) -> dict[str, str]:
        """Meta of the index (counts, checksum, sources) and where it is."""
        return {**self.meta, "path": str(self.path), "size_bytes": str(self.path.stat().st_size)}


@lru_cache(maxsize=8)
def _open_cached(path: Path, mtime_ns: int, size: int) -> Gazetteer:
    return Gazetteer(path)


def unpack(compressed: Path) -> Path:
    """The uncompressed copy of an ``.xz`` index in the cache folder, made once per version."""
    stat = compressed.stat()
    stem = compressed.name.split(".")[0]
    target = paths.user_cache_dir() / f"{stem}-{stat.st_size}-{int(stat.st_mtime)}.sqlite"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        with lzma.open(compressed, "rb") as fin, tmp.open("wb") as fout:
            shutil.copyfileobj(fin, fout, 1 << 20)
        tmp.replace(target)
    except (OSError, lzma.LZMAError) as exc:
        tmp.unlink(missing_ok=True)
        raise geo_error("E630", path=target, reason=str(exc)) from None
    return target

