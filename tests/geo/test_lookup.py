from pathlib import Path

from khaldun.geo.gazetteer import Gazetteer


def test_variants_find_the_same_place(gaz: Gazetteer) -> None:
    for name in ("Qoussair", "Kousseir", "Al Quşayr", "al-Qusayr", "El Qoussair"):
        assert gaz.lookup(name)[0].id == "geonames:173322", name
    for name in ("Alep", "Aleppo", "Halab", "حلب"):
        assert gaz.lookup(name)[0].id == "geonames:170063", name
    assert gaz.lookup("Mossoul")[0].id == "geonames:99072"


def test_exact_spelling_ranks_before_key_collisions(gaz: Gazetteer) -> None:
    # "Homs" is also an alternate name of Al Khums (Libya): the bigger, exact one wins
    assert gaz.lookup("Homs")[0].id == "geonames:169577"
    assert gaz.lookup("Homs", country="LY")[0].id == "geonames:2219905"


def test_country_filter_and_limit(gaz: Gazetteer) -> None:
    assert [e.country_code for e in gaz.lookup("Tripoli")] [:2] == ["LY", "LB"]
    assert [e.id for e in gaz.lookup("Tripoli", country="LB")] == ["geonames:266826"]
    assert len(gaz.lookup("Tripoli", limit=1)) == 1
    assert gaz.lookup("Al") == []
    assert gaz.lookup("Nowhereville") == []


def test_entries_carry_admin_names_and_country(gaz: Gazetteer) -> None:
    homs = gaz.get("geonames:169577")
    assert homs is not None
    assert (homs.country, homs.country_code, homs.admin1, homs.feature_code) == ("Syria", "SY", "Homs", "PPLA")
    assert homs.parent_id is not None
    assert gaz.get("geonames:1") is None


def test_fuzzy_threshold(gaz: Gazetteer) -> None:
    hits = gaz.fuzzy("Khalidiyyah", country="SY", threshold=80)
    assert hits and hits[0][0].id == "geonames:173643"
    assert gaz.fuzzy("Xqzw", country="SY") == []
    assert all(score >= 88 for _, score in gaz.fuzzy("Damascos"))


def test_open_is_cached(fixture_index: Path) -> None:
    assert Gazetteer.open(fixture_index) is Gazetteer.open(fixture_index)
