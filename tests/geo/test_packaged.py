"""The packaged default index: real lookups, offline, straight after install."""

import pytest

from khaldun.geo import paths
from khaldun.geo.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def default(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    mp = pytest.MonkeyPatch()
    mp.setenv("KHALDUN_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    mp.setenv("KHALDUN_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    try:
        yield Gazetteer.open()
    finally:
        mp.undo()


@pytest.mark.parametrize("name,country,geonameid", [
    ("Homs", "SY", 169577), ("Alep", "SY", 170063), ("Aleppo", "SY", 170063), ("Halab", "SY", 170063),
    ("Al Qusayr", "SY", 173322), ("Qoussair", "SY", 173322), ("Mosul", "IQ", 99072), ("Mossoul", "IQ", 99072),
    ("Gao", "ML", 2457163), ("Goma", "CD", 216281), ("Bangui", "CF", 2389853),
])
def test_real_lookups(default: Gazetteer, name: str, country: str, geonameid: int) -> None:
    best = default.lookup(name)[0]
    assert (best.id, best.country_code) == (f"geonames:{geonameid}", country)


def test_neighbourhood_supplement_is_in_the_default(default: Gazetteer) -> None:
    for name in ("Baba Amr", "Bab Amr", "Khaldiyé", "al-Khalidiya"):
        entry = default.lookup(name, country="SY")[0]
        assert entry.id.startswith("supplement:sy_neighbourhoods:homs-"), name
        assert entry.parent_id == "geonames:169577"


def test_governorate_is_coded_to_its_capital(default: Gazetteer) -> None:
    homs = default.admin1_entry("SY", "Homs")
    city = default.get("geonames:169577")
    assert homs is not None and city is not None
    assert (homs.latitude, homs.longitude) == (city.latitude, city.longitude)


def test_size_and_attribution() -> None:
    manifest = paths.packaged_manifest()
    assert int(manifest["xz_bytes"]) < 70 * 1024 * 1024  # the wheel must stay under 80 MB
    attribution = paths.packaged_index().parent / "ATTRIBUTION.md"
    assert "CC-BY 4.0" in attribution.read_text(encoding="utf-8") or "CC BY 4.0" in attribution.read_text(encoding="utf-8")


@pytest.mark.parametrize("name,country,admin1,admin2", [
    ("Kadisau", "NG", "Katsina", "Faskari"), ("Kolofata", "CM", "Far North", "Mayo-Sava"),
    ("Masisi", "CD", "North Kivu", None), ("Bankilaré", "NE", "Tillabéri", None),
])
def test_villages_of_conflict_countries_are_in_the_default(default: Gazetteer, name: str, country: str, admin1: str,
                                                           admin2: str | None) -> None:
    village = default.lookup(name, country=country)[0]
    assert village.feature_class == "P" and village.admin1 == admin1
    assert admin2 is None or village.admin2 == admin2


def test_a_village_never_outranks_a_city_of_its_name(default: Gazetteer) -> None:
    for name in ("Kabul", "Bamako", "Maiduguri", "Goma"):
        assert default.lookup(name)[0].population > 100_000, name


def test_continents_are_in_the_default(default: Gazetteer) -> None:
    assert default.lookup("Europe")[0].id == "geonames:6255148"
    assert default.lookup("Afrique")[0].feature_code == "CONT"
