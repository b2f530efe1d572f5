import hashlib
from pathlib import Path

import pytest

from khaldun.errors import KhaldunError
from khaldun.geo import supplements
from khaldun.geo.gazetteer import Gazetteer
from khaldun.geo.store import UserStore

HEADER = "id\tname\taliases\tlatitude\tlongitude\tfeature\tcountry\tparent\tsource\n"
GOOD = HEADER + (
    "khal\tKhaldiyeh\tKhaldiyé|al-Khalidiya\t34.744\t36.717\tneighbourhood\tSY\tHoms\ttest, approximate\n"
    "cp1\tCheckpoint 7\t\t34.70\t36.70\tcheckpoint\tSY\tgeonames:169577\ttest\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def store(tmp_path: Path, fixture_index: Path) -> UserStore:
    return UserStore(tmp_path / "user", base=fixture_index)


def test_tsv_supplement_merges_under_its_parent(store: UserStore, tmp_path: Path) -> None:
    store.add_supplement(write(tmp_path, "homs.tsv", GOOD))
    gaz = Gazetteer.open(store.current_index())
    entry = gaz.lookup("Khaldiyé", country="SY")[0]
    assert entry.id == "supplement:homs:khal"
    assert (entry.feature_code, entry.parent_id, entry.admin1) == ("PPLX", "geonames:169577", "Homs")
    assert gaz.lookup("Checkpoint 7")[0].feature_code == "CHKP"
    assert (store.supplements / "homs.tsv").exists()


def test_supplement_wins_over_geonames_for_the_same_name_nearby(store: UserStore, tmp_path: Path) -> None:
    gaz = Gazetteer.open(store.base)
    assert gaz.lookup("Tall Salim")[0].id == "geonames:999001"
    text = HEADER + "ts\tTall Salim\t\t34.95\t36.95\tvillage\tSY\tHama\tfield report\n"
    store.add_supplement(write(tmp_path, "fix.tsv", text))
    merged = Gazetteer.open(store.current_index())
    assert [e.id for e in merged.lookup("Tall Salim")] == ["supplement:fix:ts"]
    assert merged.get("geonames:999001") is not None


def test_yaml_supplement(store: UserStore, tmp_path: Path) -> None:
    text = """places:
  - id: base1
    name: Hill 45 base
    aliases: [Hill 45]
    latitude: 35.2
    longitude: 36.8
    feature: base
    country: SY
    parent: Hama
    source: analyst notes
"""
    store.add_supplement(write(tmp_path, "bases.yaml", text))
    assert Gazetteer.open(store.current_index()).lookup("Hill 45")[0].feature_code == "MILB"


@pytest.mark.parametrize("row,line,message", [
    ("x\tPlace\t\t95\t36\tvillage\tSY\t\tsrc\n", 3, "coordinates out of range"),
    ("x\tPlace\t\tabc\t36\tvillage\tSY\t\tsrc\n", 3, "not numbers"),
    ("x\tPlace\t\t34\t36\tspaceport\tSY\t\tsrc\n", 3, "unknown feature"),
    ("x\tPlace\t\t34\t36\tvillage\tSyria\t\tsrc\n", 3, "ISO 3166"),
    ("x\tPlace\t\t34\t36\tvillage\tSY\t\t\n", 3, "empty source"),
    ("x\tPlace\t34\t36\tvillage\tSY\t\tsrc\n", 3, "8 fields"),
    ("khal\tOther\t\t34\t36\tvillage\tSY\t\tsrc\n", 3, "duplicate id"),
])
def test_bad_rows_are_reported_with_their_line(tmp_path: Path, row: str, line: int, message: str) -> None:
    path = write(tmp_path, "bad.tsv", HEADER + GOOD.splitlines(keepends=True)[1] + row)
    with pytest.raises(KhaldunError) as info:
        supplements.read(path)
    assert info.value.code == "E610"
    assert f"bad.tsv:{line}:" in str(info.value)
    assert message in str(info.value)


def test_yaml_errors_have_line_numbers(tmp_path: Path) -> None:
    text = "places:\n  - id: a\n    name: A\n    latitude: 1\n    longitude: 2\n    feature: village\n    country: SY\n    source: s\n  - id: b\n    name: B\n    latitude: 100\n    longitude: 2\n    feature: village\n    country: SY\n    source: s\n"
    with pytest.raises(KhaldunError) as info:
        supplements.read(write(tmp_path, "bad.yaml", text))
    assert "bad.yaml:9:" in str(info.value)


def test_unknown_parent_is_rejected_and_nothing_changes(store: UserStore, tmp_path: Path) -> None:
    store.add_supplement(write(tmp_path, "homs.tsv", GOOD))
    before = digest(store.index_path)
    bad = write(tmp_path, "more.tsv", HEADER + "a\tA place\t\t34.7\t36.7\tvillage\tSY\tHoms\tsrc\n"
                                           "b\tB place\t\t34.7\t36.7\tvillage\tSY\tAtlantis\tsrc\n")
    with pytest.raises(KhaldunError) as info:
        store.add_supplement(bad)
    assert "more.tsv:3:" in str(info.value) and "Atlantis" in str(info.value)
    assert digest(store.index_path) == before
    assert not (store.supplements / "more.tsv").exists()
    assert Gazetteer.open(store.current_index()).lookup("A place") == []


def test_missing_column_and_empty_file(tmp_path: Path) -> None:
    with pytest.raises(KhaldunError) as info:
        supplements.read(write(tmp_path, "cols.tsv", "id\tname\nx\ty\n"))
    assert "cols.tsv:1:" in str(info.value) and "latitude" in str(info.value)
    with pytest.raises(KhaldunError) as info:
        supplements.read(write(tmp_path, "empty.tsv", "# nothing\n"))
    assert info.value.code == "E611"
    with pytest.raises(KhaldunError) as info:
        supplements.read(write(tmp_path, "x.csv", "a,b\n"))
    assert info.value.code == "E612"


def test_packaged_supplement_is_valid() -> None:
    from khaldun.geo.build import packaged_supplements

    files = packaged_supplements()
    assert [p.name for p in files] == ["sy_neighbourhoods.tsv"]
    rows = supplements.read(files[0]).rows
    assert len(rows) > 80
    assert all("approximate" in r.source for r in rows)
    assert all(32 <= r.latitude <= 38 and 35 <= r.longitude <= 44 for r in rows)
