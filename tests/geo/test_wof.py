"""Who's On First villages, quarters and districts built into the gazetteer with their hierarchy."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from khaldun.errors import KhaldunError
from khaldun.geo.build import build
from khaldun.geo.gazetteer import Gazetteer

HEADER = ("wof_id geonames_id name names_eng names_fra names_ara placetype country latitude longitude population "
          "parent_region_name parent_county_name repo_commit").split()
ROWS = [
    ("1", "169575", "Homs", "Homs Governorate", "Homs", "", "region", "SY", "34.6", "37.9", "1500000", "", ""),
    ("2", "", "Tadmur", "Palmyra District", "Palmyre", "", "county", "SY", "34.55", "38.27", "0", "Homs", ""),
    ("3", "", "Al-Qusayr", "", "", "", "county", "SY", "34.5", "36.6", "0", "Homs", ""),
    ("4", "5550001", "Kafr Test", "", "Kafr Teste", "", "locality", "SY", "34.52", "36.57", "0", "Homs", "Al-Qusayr"),
    ("5", "5550002", "Jaras", "", "Cloche", "", "locality", "SY", "34.53", "36.59", "0", "Homs", "Al-Qusayr"),
    ("6", "", "Hayy Test", "", "", "", "neighbourhood", "SY", "34.73", "36.72", "0", "Homs", "Tadmur"),
    ("7", "169577", "Homs", "", "Émèse", "", "locality", "SY", "34.72", "36.72", "775404", "Homs", ""),
    ("8", "7870599,283843", "Two Ids", "", "", "", "locality", "SY", "34.8", "36.8", "0", "Homs", ""),
]


def with_wof(raw_dir: Path, folder: Path, rows: list[tuple[str, ...]]) -> Path:
    folder.mkdir()
    for f in raw_dir.iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    with gzip.open(folder / "wof_places.tsv.gz", "wt", encoding="utf-8") as out:
        out.write("\t".join(HEADER) + "\n")
        for row in rows:
            out.write("\t".join((*row, "abc")) + "\n")
    return folder


@pytest.fixture(scope="module")
def wof_gaz(raw_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    folder = with_wof(raw_dir, tmp_path_factory.mktemp("wof") / "raw", ROWS)
    out = folder.parent / "wof.sqlite"
    build(folder, out, supplements=False)
    return Gazetteer.open(out)


def test_new_village_takes_its_region_and_county(wof_gaz: Gazetteer) -> None:
    village = wof_gaz.lookup("Kafr Test")[0]
    assert (village.id, village.feature_code) == ("geonames:5550001", "PPL")
    assert (village.admin1, village.admin2) == ("Homs", "Al-Qusayr")
    assert village.parent_id == "geonames:173324"  # the GeoNames district, matched by name
    assert wof_gaz.lookup("Kafr Teste")[0].id == village.id  # a spelling of the same name


def test_translated_names_of_small_places_are_left_out(wof_gaz: Gazetteer) -> None:
    assert wof_gaz.lookup("Jaras")[0].id == "geonames:5550002"
    assert all(e.id != "geonames:5550002" for e in wof_gaz.lookup("Cloche"))


def test_county_missing_from_geonames_becomes_a_district(wof_gaz: Gazetteer) -> None:
    district = wof_gaz.admin2_entry("SY", "Tadmur")
    assert district is not None and district.id == "wof:2" and district.admin1 == "Homs"
    assert wof_gaz.lookup("Palmyre", country="SY")[0].id == "wof:2"
    quarter = wof_gaz.lookup("Hayy Test")[0]
    assert (quarter.id, quarter.feature_code, quarter.admin2, quarter.parent_id) == ("wof:6", "PPLX", "Tadmur", "wof:2")


def test_known_county_and_region_only_add_names(wof_gaz: Gazetteer) -> None:
    assert [e.id for e in wof_gaz.lookup("Al-Qusayr") if e.feature_code == "ADM2"] == ["geonames:173324"]
    assert wof_gaz.admin1_entry("SY", "Homs Governorate").id == "geonames:169575"
    assert wof_gaz.lookup("Émèse")[0].id == "geonames:169577"


def test_first_of_several_geonames_ids(wof_gaz: Gazetteer) -> None:
    assert wof_gaz.lookup("Two Ids")[0].id == "geonames:7870599"


def test_continents_are_in_every_build(wof_gaz: Gazetteer) -> None:
    europe = wof_gaz.lookup("Europe")[0]
    assert (europe.id, europe.feature_code) == ("geonames:6255148", "CONT")


def test_malformed_wof_row_reports_its_line(raw_dir: Path, tmp_path: Path) -> None:
    folder = with_wof(raw_dir, tmp_path / "bad", [ROWS[0], ("9", "x", "Bad")])
    with pytest.raises(KhaldunError) as info:
        build(folder, tmp_path / "x.sqlite", supplements=False)
    assert info.value.code == "E605" and ":3:" in info.value.message
