"""GeoNames country dumps: fetch, verify and merge into the user's index.

A dump (``SY.zip`` holding ``SY.txt``) has every feature of a country, neighbourhoods
(PPLX) and all alternate names included. It is checked before it is kept: zip CRCs, the
expected member, 19 columns on every row, the country code, and the SHA-256 when given.
"""

from __future__ import annotations

import hashlib
import io
import sqlite3
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from khaldun.geo import geonames
from khaldun.geo.build import clean_admin_name
from khaldun.geo.geonames import RawPlace
from khaldun.geo.index import PlaceRow, insert_places, name_keys
from khaldun.geo.messages import geo_error
from khaldun.resources import load_yaml

Opener = Callable[..., BinaryIO]
KEPT_CLASSES = frozenset("PASLTHV")


def dump_url(country: str, base_url: str | None = None) -> str:
    base = base_url or load_yaml("gazetteer", "sources.yaml")["download_url"]
    return f"{base.rstrip('/')}/{country}.zip"


def fetch(country: str, *, base_url: str | None = None, opener: Opener = urllib.request.urlopen, timeout: float = 120.0) -> bytes:
    """The bytes of a country dump (any urllib URL: https://, file://)."""
    url = dump_url(country, base_url)
    try:
        with opener(url, timeout=timeout) as response:
            return response.read()
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise geo_error("E621", url=url, reason=getattr(exc, "reason", exc)) from None


def verify(data: bytes, *, country: str, name: str, sha256: str | None = None) -> int:
    """Check a dump; returns its row count. Raises a coded error on any problem."""
    found = hashlib.sha256(data).hexdigest()
    if sha256 and found.lower() != sha256.lower():
        raise geo_error("E622", name=name, expected=sha256, found=found)
    rows = 0
    for place in read_dump_bytes(data, country=country, name=name):
        if place.country_code != country:
            raise geo_error("E623", name=name, reason=f"row {place.geonameid} is in {place.country_code!r}, not {country}")
        rows += 1
    if rows == 0:
        raise geo_error("E623", name=name, reason="no rows")
    return rows


def read_dump_bytes(data: bytes, *, country: str, name: str) -> Iterator[RawPlace]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        bad = archive.testzip()
    except (zipfile.BadZipFile, OSError) as exc:
        raise geo_error("E623", name=name, reason=f"not a zip file ({exc})") from None
    if bad:
        raise geo_error("E623", name=name, reason=f"corrupt member {bad}")
    member = f"{country}.txt"
    if member not in archive.namelist():
        raise geo_error("E623", name=name, reason=f"no {member} inside")
    with archive.open(member) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8")
        yield from geonames.read_geonames(text, f"{name}:{member}")


def merge_dump(conn: sqlite3.Connection, path: Path) -> int:
    """Merge a verified dump: new places added, known populated places refreshed.

    Known divisions and countries keep their capital coordinates (ACLED's convention)
    and only gain the dump's names.
    """
    country = path.stem.upper()
    places = list(read_dump_bytes(path.read_bytes(), country=country, name=path.name))
    admin_names = {(lvl, code): name for lvl, code, name in conn.execute("SELECT level, code, name FROM admin WHERE cc = ?", (country,))}
    admin_ids = {(lvl, code): pid for lvl, code, pid in conn.execute("SELECT level, code, place_id FROM admin WHERE cc = ?", (country,))}
    country_id = conn.execute("SELECT place_id FROM country WHERE iso2 = ?", (country,)).fetchone()
    admin3 = {(p.admin1, p.admin2, p.admin3): p.name for p in places if p.feature_code == "ADM3"}
    divisions = {r[0]: r[1] for r in conn.execute("SELECT id, rid FROM place WHERE cc = ? AND fclass = 'A'", (country,))}
    rows: list[PlaceRow] = []
    for p in places:
        if p.feature_class not in KEPT_CLASSES:
            continue
        pid = f"geonames:{p.geonameid}"
        names = (p.name, p.asciiname, *p.alternates)
        if pid in divisions:
            conn.executemany("INSERT OR IGNORE INTO name_key (key, rid, folded) VALUES (?, ?, ?)",
                             [(k, divisions[pid], f) for k, f in name_keys(names).items()])
            continue
        a2code = f"{p.admin1}.{p.admin2}"
        parent = admin_ids.get((2, a2code)) or admin_ids.get((1, p.admin1)) or (country_id[0] if country_id else None)
        rows.append(PlaceRow(
            id=pid, name=p.name, lat=p.latitude, lon=p.longitude, fclass=p.feature_class, fcode=p.feature_code,
            cc=country, a1=p.admin1, a2=p.admin2, a3=p.admin3,
            admin1=admin_names.get((1, p.admin1), ""), admin2=clean_admin_name(admin_names.get((2, a2code), "")),
            admin3=admin3.get((p.admin1, p.admin2, p.admin3), "") if p.admin3 else "",
            population=p.population, parent_id=parent, source=f"geonames-dump:{path.name}", names=names,
        ))
    insert_places(conn, rows, replace=True)
    return len(rows)
