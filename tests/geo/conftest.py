"""Fixtures: a tiny gazetteer built from GeoNames-format files written here."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pytest

from khaldun.geo.build import build
from khaldun.geo.gazetteer import Gazetteer

# geonameid, name, asciiname, alternates, lat, lon, class, code, cc, admin1, admin2, population
PLACES = [
    (169577, "Homs", "Homs", "Hims,Emesa,حمص", 34.72682, 36.72339, "P", "PPLA", "SY", "11", "", 775404),
    (170063, "Aleppo", "Aleppo", "Alep,Halab,حلب", 36.20124, 37.16117, "P", "PPLA", "SY", "09", "", 2098210),
    (170654, "Damascus", "Damascus", "Damas,Dimashq", 33.5102, 36.29128, "P", "PPLC", "SY", "13", "", 1569394),
    (173322, "Al Quşayr", "Al Qusayr", "Qoussair,El Qoussair,Kousseir,Qusayr", 34.5078, 36.58029, "P", "PPLA2", "SY", "11", "", 41062),
    (173643, "Al Khālidīyah", "Al Khalidiyah", "Khaldiye,Khalidiyah", 35.07643, 36.73441, "P", "PPL", "SY", "10", "", 0),
    (170015, "Hama", "Hama", "Hamah,Hamat", 35.13179, 36.75783, "P", "PPLA", "SY", "10", "", 460602),
    (999001, "Tall Salim", "Tall Salim", "", 34.9, 36.9, "P", "PPL", "SY", "10", "", 800),
    (99072, "Mosul", "Mosul", "Mossoul,Al Mawsil", 36.335, 43.11889, "P", "PPLA", "IQ", "15", "", 1683000),
    (2219905, "Al Khums", "Al Khums", "Khoms,Homs", 32.64861, 14.26191, "P", "PPLA", "LY", "82", "", 201943),
    (2210247, "Tripoli", "Tripoli", "Tarabulus,Trablous", 32.88743, 13.18733, "P", "PPLC", "LY", "77", "", 1150989),
    (266826, "Tripoli", "Tripoli", "Trablous,Tarabulus", 34.43667, 35.84972, "P", "PPLA", "LB", "09", "", 229398),
    (276781, "Beirut", "Beirut", "Beyrouth", 33.89332, 35.50157, "P", "PPLC", "LB", "04", "", 1916100),
    (2457163, "Gao", "Gao", "", 16.27167, -0.04472, "P", "PPLA", "ML", "09", "", 133110),
    (2460596, "Bamako", "Bamako", "", 12.65, -8.0, "P", "PPLC", "ML", "01", "", 1297281),
    (216281, "Goma", "Goma", "", -1.67409, 29.22845, "P", "PPLA", "CD", "11", "", 432587),
]
ADMIN1 = [
    ("SY.11", "Homs", 169575), ("SY.09", "Aleppo", 170062), ("SY.13", "Dimashq", 167541), ("SY.10", "Hama", 170015 + 1),
    ("IQ.15", "Nineveh", 99071), ("LY.82", "Al Marqab", 2219906), ("LY.77", "Tripoli", 2210246),
    ("LB.09", "North", 6201373), ("LB.04", "Beyrouth", 276780), ("ML.09", "Gao", 2457161), ("ML.01", "Bamako", 2460595),
    ("CD.11", "North Kivu", 206938),
]
COUNTRIES = [
    ("SY", "SYR", "Syria", "Damascus", 163843, "IQ,JO,IL,TR,LB", 22000000),
    ("IQ", "IRQ", "Iraq", "Baghdad", 99237, "SY,SA,TR,IR,JO,KW", 40000000),
    ("LY", "LBY", "Libya", "Tripoli", 2215636, "TD,NE,DZ,EG,SD,TN", 6700000),
    ("LB", "LBN", "Lebanon", "Beirut", 272103, "SY,IL", 6800000),
    ("ML", "MLI", "Mali", "Bamako", 2453866, "SN,NE,DZ,CI,GN,MR,BF", 19000000),
    ("CD", "COD", "DR Congo", "Kinshasa", 203312, "TZ,CF,SS,ZM,AO,RW,CG,BI,UG", 84000000),
]


# a small Syrian country dump: a neighbourhood, a city, its governorate, and a road
DUMP_ROWS = [
    (171983, "Ḩayy Bāb ‘Umar", "Hayy Bab `Umar", "Bab Amr,Baba Amro,Bab Omar,حي باب عمر", 34.7, 36.68092, "P", "PPLX", "SY", "11", "", 0),
    (169577, "Homs", "Homs", "Hims,Homs,Homsz,Ḩimş", 34.72405, 36.72559, "P", "PPLA", "SY", "11", "", 775404),
    (169575, "Homs Governorate", "Homs Governorate", "Muhafazat Hims,Homs Province", 34.5, 37.5, "A", "ADM1", "SY", "11", "", 0),
    (7777777, "Some Road", "Some Road", "", 34.6, 36.6, "R", "RD", "SY", "11", "", 0),
]


def geoname_line(gid: int, name: str, ascii_: str, alts: str, lat: float, lon: float, fclass: str, fcode: str,
                 cc: str, a1: str, a2: str, pop: int) -> str:
    cols = [str(gid), name, ascii_, alts, str(lat), str(lon), fclass, fcode, cc, "", a1, a2, "", "", str(pop), "", "100",
            "Asia/Damascus", "2020-01-01"]
    return "\t".join(cols) + "\n"


def write_raw(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with gzip.open(folder / "cities500.txt.gz", "wt", encoding="utf-8") as out:
        for row in PLACES:
            out.write(geoname_line(*row))
    (folder / "admin1CodesASCII.txt").write_text(
        "".join(f"{code}\t{name}\t{name}\t{gid}\n" for code, name, gid in ADMIN1), encoding="utf-8")
    with gzip.open(folder / "admin2Codes.txt.gz", "wt", encoding="utf-8") as out:
        out.write("SY.11.173324\tAl-Qusayr District\tAl-Qusayr District\t173324\n")
        out.write("SY.11.169576\tHoms District\tHoms District\t169576\n")
    lines = ["#ISO\tISO3\tISO-Numeric\tfips\tCountry\tCapital\tArea\tPopulation\tContinent\ttld\tCurrencyCode\tCurrencyName\t"
             "Phone\tPostal Code Format\tPostal Code Regex\tLanguages\tgeonameid\tneighbours\tEquivalentFipsCode\n"]
    for iso2, iso3, name, capital, gid, neighbours, pop in COUNTRIES:
        lines.append("\t".join([iso2, iso3, "0", iso2, name, capital, "1", str(pop), "AS", "", "", "", "", "", "", "",
                                str(gid), neighbours, ""]) + "\n")
    (folder / "countryInfo.txt").write_text("".join(lines), encoding="utf-8")
    return folder


def dump_zip(country: str, rows: list[tuple]) -> bytes:
    """A GeoNames country dump (CC.zip holding CC.txt) in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{country}.txt", "".join(geoname_line(*row) for row in rows))
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user folders."""
    monkeypatch.setenv("KHALDUN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KHALDUN_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture(scope="session")
def raw_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_raw(tmp_path_factory.mktemp("raw"))


@pytest.fixture(scope="session")
def fixture_index(raw_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("index") / "tiny.sqlite"
    build(raw_dir, out, supplements=False)
    return out


@pytest.fixture()
def gaz(fixture_index: Path) -> Gazetteer:
    return Gazetteer.open(fixture_index)


@pytest.fixture()
def make_dump():
    """Build a country dump zip: ``make_dump(country, rows=DUMP_ROWS)``."""
    return lambda country, rows=None: dump_zip(country, DUMP_ROWS if rows is None else rows)


@pytest.fixture()
def dump_rows() -> list[tuple]:
    return list(DUMP_ROWS)
