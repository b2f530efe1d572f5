import gzip
import json
import sqlite3
from pathlib import Path

import pytest

from khaldun.errors import KhaldunError
from khaldun.geo import paths
from khaldun.geo.build import build
from khaldun.geo.gazetteer import Gazetteer

REPO = Path(__file__).resolve().parents[2]
SHARED_RAW = REPO.parent / "shared" / "gazetteer" / "raw"


def test_build_is_deterministic(raw_dir: Path, tmp_path: Path, fixture_index: Path) -> None:
    again = build(raw_dir, tmp_path / "again.sqlite", supplements=False)
    conn = sqlite3.connect(fixture_index)
    first = dict(conn.execute("SELECT name, value FROM meta"))
    assert again["checksum"] == first["checksum"]
    assert again["places"] == first["places"]


def test_divisions_are_coded_to_their_capital(gaz: Gazetteer) -> None:
    homs = gaz.admin1_entry("SY", "Homs")
    assert homs is not None and homs.feature_code == "ADM1"
    assert (homs.latitude, homs.longitude) == (34.72682, 36.72339)
    assert gaz.admin1_entry("SY", "11") == homs
    assert gaz.admin1_entry("SY", "Nowhere") is None


def test_countries_have_their_french_names(gaz: Gazetteer) -> None:
    syria = gaz.lookup("Syrie")[0]
    assert syria.feature_code == "PCLI" and syria.country_code == "SY"
    assert gaz.country_name("sy") == "Syria"
    assert gaz.country_name("ZZ") == ""


def test_missing_admin2_is_taken_from_the_nearest_district_seat(gaz: Gazetteer) -> None:
    qusayr = gaz.lookup("Qusayr", country="SY")[0]
    assert qusayr.admin1 == "Homs"
    assert qusayr.admin2 == "Al-Qusayr"


def test_malformed_row_reports_its_line(raw_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    for f in raw_dir.iterdir():
        (bad / f.name).write_bytes(f.read_bytes())
    with gzip.open(bad / "cities500.txt.gz", "at", encoding="utf-8") as out:
        out.write("123\tBroken\trow\n")
    with pytest.raises(KhaldunError) as info:
        build(bad, tmp_path / "x.sqlite", supplements=False)
    assert info.value.code == "E605"
    assert ":16:" in info.value.message


def test_missing_required_file(tmp_path: Path) -> None:
    with pytest.raises(KhaldunError) as info:
        build(tmp_path, tmp_path / "x.sqlite")
    assert info.value.code == "E604"


def test_compressed_output_has_a_manifest(raw_dir: Path, tmp_path: Path) -> None:
    meta = build(raw_dir, tmp_path / "g.sqlite.xz", supplements=False)
    manifest = json.loads((tmp_path / "g.json").read_text())
    assert manifest["checksum"] == meta["checksum"]
    assert int(manifest["xz_bytes"]) < int(manifest["sqlite_bytes"])
    gaz = Gazetteer.open(tmp_path / "g.sqlite.xz")
    assert gaz.lookup("Alep")[0].id == "geonames:170063"


@pytest.mark.skipif(not SHARED_RAW.exists(), reason="shared GeoNames files not present")
def test_packaged_index_matches_a_rebuild(tmp_path: Path) -> None:
    meta = build(SHARED_RAW, tmp_path / "rebuilt.sqlite")
    committed = paths.packaged_manifest()
    assert meta["places"] == committed["places"]
    assert meta["keys"] == committed["keys"]
    assert meta["checksum"] == committed["checksum"]
