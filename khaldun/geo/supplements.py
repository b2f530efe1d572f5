"""Analyst supplements: places GeoNames lacks, kept in a TSV or YAML file.

A file is read and checked whole before anything is written, and merged in one SQLite
transaction, so a bad row (reported with its line number) leaves the index as it was.
A supplement row wins over GeoNames places with the same name key in the same country
and admin1 nearby: those lose that name in the index.
"""

from __future__ import annotations

import csv
import io
import math
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import yaml

from khaldun.errors import KhaldunError
from khaldun.geo.build import distance_km
from khaldun.geo.index import PlaceRow, insert_places, name_keys
from khaldun.geo.messages import geo_error
from khaldun.geo.translit import key
from khaldun.resources import load_yaml

COLUMNS = ("id", "name", "aliases", "latitude", "longitude", "feature", "country", "parent", "source")
REQUIRED = ("id", "name", "latitude", "longitude", "feature", "country", "source")
ID_PATTERN = re.compile(r"^[A-Za-z0-9_.-]+$")


@dataclass(frozen=True)
class SupplementRow:
    line: int
    id: str
    name: str
    aliases: tuple[str, ...]
    latitude: float
    longitude: float
    feature_class: str
    feature_code: str
    country: str
    parent: str
    source: str


@dataclass(frozen=True)
class Supplement:
    path: Path
    stem: str
    rows: tuple[SupplementRow, ...]


def feature_table() -> dict[str, tuple[str, str]]:
    """Feature word or code (lowercase) -> (GeoNames class, code)."""
    table: dict[str, tuple[str, str]] = {}
    for code, spec in load_yaml("gazetteer", "features.yaml")["codes"].items():
        table[code.lower()] = (spec["class"], code)
        for alias in spec["aliases"]:
            table[alias.lower()] = (spec["class"], code)
    return table


def _records(path: Path, text: str) -> list[tuple[int, dict[str, object]]]:
    """(line number, raw fields) of each row, for either format."""
    if path.suffix == ".tsv":
        lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip() and not line.startswith("#")]
        if not lines:
            raise geo_error("E611", path=path)
        header_line, header = lines[0]
        columns = header.split("\t")
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            raise geo_error("E610", path=path, line=header_line, reason=f"missing column(s): {', '.join(missing)}")
        unknown = [c for c in columns if c not in COLUMNS]
        if unknown:
            raise geo_error("E610", path=path, line=header_line, reason=f"unknown column(s): {', '.join(unknown)}")
        out = []
        for number, line in lines[1:]:
            cells = next(csv.reader(io.StringIO(line), delimiter="\t", quoting=csv.QUOTE_NONE))
            if len(cells) != len(columns):
                raise geo_error("E610", path=path, line=number, reason=f"{len(cells)} fields, expected {len(columns)}")
            out.append((number, dict(zip(columns, cells))))
        return out
    if path.suffix in (".yaml", ".yml"):
        try:
            root = yaml.compose(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise geo_error("E610", path=path, line=(mark.line + 1) if mark else 0, reason="invalid YAML") from None
        items = root.value if isinstance(root, yaml.MappingNode) else []
        nodes = next((v for k, v in items if k.value == "places"), None)
        if not isinstance(nodes, yaml.SequenceNode) or not nodes.value:
            raise geo_error("E611", path=path)
        out = []
        for node in nodes.value:
            number = node.start_mark.line + 1
            value = yaml.safe_load(yaml.serialize(node))
            if not isinstance(value, dict):
                raise geo_error("E610", path=path, line=number, reason="each place must be a mapping")
            unknown = [c for c in value if c not in COLUMNS]
            if unknown:
                raise geo_error("E610", path=path, line=number, reason=f"unknown field(s): {', '.join(map(str, unknown))}")
            out.append((number, value))
        return out
    raise geo_error("E612", path=path)


def _row(path: Path, number: int, raw: dict[str, object], features: dict[str, tuple[str, str]]) -> SupplementRow:
    def fail(reason: str) -> KhaldunError:
        return geo_error("E610", path=path, line=number, reason=reason)

    for column in REQUIRED:
        if raw.get(column) in (None, ""):
            raise fail(f"empty {column}")
    row_id = str(raw["id"]).strip()
    if not ID_PATTERN.match(row_id):
        raise fail(f"id {row_id!r} may only hold letters, digits, '.', '_' and '-'")
    try:
        lat, lon = float(str(raw["latitude"])), float(str(raw["longitude"]))
    except ValueError:
        raise fail(f"latitude/longitude not numbers: {raw['latitude']!r}, {raw['longitude']!r}") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise fail(f"coordinates out of range: {lat}, {lon}")
    feature = features.get(str(raw["feature"]).strip().lower())
    if feature is None:
        raise fail(f"unknown feature {raw['feature']!r} (see docs/gazetteer.md for the list)")
    country = str(raw["country"]).strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise fail(f"country {raw['country']!r} is not an ISO 3166 alpha-2 code")
    aliases = raw.get("aliases") or ()
    if isinstance(aliases, str):
        aliases = [a for a in aliases.split("|")]
    aliases = tuple(str(a).strip() for a in aliases if str(a).strip())
    name = str(raw["name"]).strip()
    if not key(name):
        raise fail(f"name {name!r} has no letters to index")
    return SupplementRow(number, row_id, name, aliases, lat, lon, feature[0], feature[1], country,
                         str(raw.get("parent") or "").strip(), str(raw["source"]).strip())


def read(path: str | Path) -> Supplement:
    """Parse and check a supplement file (everything but the parents, which need an index)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise geo_error("E610", path=path, line=0, reason=f"cannot read: {exc}") from None
    features = feature_table()
    rows = []
    seen: dict[str, int] = {}
    for number, raw in _records(path, text):
        row = _row(path, number, raw, features)
        if row.id in seen:
            raise geo_error("E610", path=path, line=number, reason=f"duplicate id {row.id!r} (first on line {seen[row.id]})")
        seen[row.id] = number
        rows.append(row)
    if not rows:
        raise geo_error("E611", path=path)
    return Supplement(path, path.stem, tuple(rows))


def _parent(conn: sqlite3.Connection, sup: Supplement, row: SupplementRow, own: dict[str, tuple]) -> tuple | None:
    """The parent place row (id, a1, a2, a3, admin1, admin2, admin3, name) or None."""
    select = "SELECT id, a1, a2, a3, admin1, admin2, admin3, name, cc FROM place"
    if not row.parent:
        return None
    if ":" in row.parent:
        found = conn.execute(f"{select} WHERE id = ?", (row.parent,)).fetchone()
    elif row.parent in own:
        found = own[row.parent]
    else:
        found = conn.execute(
            f"""{select} JOIN name_key k ON k.rid = place.rid WHERE k.key = ? AND place.cc = ?
                ORDER BY fclass = 'P' DESC, population DESC, id LIMIT 1""",
            (key(row.parent), row.country),
        ).fetchone()
    if found is None:
        raise geo_error("E610", path=sup.path, line=row.line, reason=f"parent {row.parent!r} not found in {row.country}")
    return found


def _nearest_place(conn: sqlite3.Connection, row: SupplementRow) -> tuple | None:
    """The nearest populated place of the country, to inherit admin names from."""
    candidates = conn.execute(
        """SELECT id, a1, a2, a3, admin1, admin2, admin3, name, cc, lat, lon FROM place
           WHERE cc = ? AND fclass = 'P' AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?""",
        (row.country, row.latitude - 0.5, row.latitude + 0.5, row.longitude - 0.5, row.longitude + 0.5),
    ).fetchall()
    if not candidates:
        return None
    return min(candidates, key=lambda c: (distance_km(row.latitude, row.longitude, c[9], c[10]), c[0]))[:9]


def resolve(conn: sqlite3.Connection, sup: Supplement) -> list[PlaceRow]:
    """Index rows for a supplement; an unknown country or parent is an error with its line."""
    countries = {r[0] for r in conn.execute("SELECT iso2 FROM country")}
    own: dict[str, tuple] = {}
    out = []
    for row in sup.rows:
        if countries and row.country not in countries:
            raise geo_error("E610", path=sup.path, line=row.line, reason=f"unknown country {row.country!r}")
        place_id = f"supplement:{sup.stem}:{row.id}"
        parent = _parent(conn, sup, row, own)
        context = parent or _nearest_place(conn, row)
        a1, a2, a3, admin1, admin2, admin3 = context[1:7] if context else ("", "", "", "", "", "")
        out.append(PlaceRow(
            id=place_id, name=row.name, lat=row.latitude, lon=row.longitude, fclass=row.feature_class,
            fcode=row.feature_code, cc=row.country, a1=a1 or "", a2=a2 or "", a3=a3 or "",
            admin1=admin1 or "", admin2=admin2 or "", admin3=admin3 or "", population=0,
            parent_id=parent[0] if parent else None, source=f"supplement:{sup.stem}: {row.source}",
            names=(row.name, *row.aliases),
        ))
        own[row.name] = (place_id, a1, a2, a3, admin1, admin2, admin3, row.name, row.country)
        own[row.id] = own[row.name]
    return out


def _shadow(conn: sqlite3.Connection, row: PlaceRow, radius: float) -> None:
    """Hide GeoNames places sharing a name with ``row`` in the same admin1 nearby."""
    for k in name_keys((row.name, *row.names)):
        losers = conn.execute(
            """SELECT p.rid, p.lat, p.lon FROM name_key k JOIN place p ON p.rid = k.rid
               WHERE k.key = ? AND p.cc = ? AND p.a1 = ? AND p.source = 'geonames' AND p.fclass != 'A'
               AND p.id != ?""",
            (k, row.cc, row.a1, row.parent_id or ""),
        ).fetchall()
        for rid, lat, lon in losers:
            if distance_km(lat, lon, row.lat, row.lon) <= radius:
                conn.execute("DELETE FROM name_key WHERE key = ? AND rid = ?", (k, rid))


def merge(conn: sqlite3.Connection, sup: Supplement) -> int:
    """Merge a checked supplement in one transaction; returns the number of places."""
    rows = resolve(conn, sup)
    radius = float(load_yaml("gazetteer", "features.yaml")["shadow_radius_km"])
    try:
        conn.execute("SAVEPOINT supplement")
        prefix = f"supplement:{sup.stem}:"
        old = [r[0] for r in conn.execute("SELECT rid FROM place WHERE id >= ? AND id < ?", (prefix, prefix + "\uffff"))]
        conn.executemany("DELETE FROM name_key WHERE rid = ?", [(r,) for r in old])
        conn.executemany("DELETE FROM place WHERE rid = ?", [(r,) for r in old])
        insert_places(conn, rows, replace=False)
        for row in rows:
            _shadow(conn, row, radius)
        conn.execute("RELEASE supplement")
    except sqlite3.Error as exc:
        conn.execute("ROLLBACK TO supplement")
        conn.execute("RELEASE supplement")
        raise geo_error("E630", path=sup.path, reason=str(exc)) from None
    return len(rows)
