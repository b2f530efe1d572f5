"""Geoparsing anywhere in the world: the report's countries first, then each place among the
candidates consistent with them. Sentences written for these tests."""

from __future__ import annotations

import pytest

from khaldun.extract.places import PlaceFinder, country_words, region_fallback
from khaldun.geo.gazetteer import importance
from khaldun.schema import GeoEntry, PlaceMention, Span


def places(finder: PlaceFinder, nlp, lang: str, text: str) -> list[PlaceMention]:
    return finder(nlp[lang](text), language=lang)


def by_name(mentions: list[PlaceMention], name: str) -> PlaceMention:
    found = [m for m in mentions if m.name == name]
    assert found, f"{name!r} not in {[m.name for m in mentions]}"
    return found[0]


# --- rule 1: the admin unit named next to a place, and the report's countries ---------------

def test_city_state_qualifier_picks_the_namesake_in_that_state(finder, nlp) -> None:
    ms = places(finder, nlp, "en", "A storm damaged two churches in Paris, Texas, on Sunday.")
    paris = by_name(ms, "Paris")
    assert (paris.entry.country_code, paris.entry.admin1) == ("US", "Texas")
    assert by_name(ms, "Texas").entry.feature_code == "ADM1"


def test_abbreviated_state_qualifies_the_town(finder, nlp) -> None:
    ms = places(finder, nlp, "en", "The plant in London, Ky., will close next year.")
    london = by_name(ms, "London")
    assert (london.entry.country_code, london.entry.admin1) == ("US", "Kentucky")
    assert by_name(ms, "Ky.").entry.feature_code == "ADM1"


def test_french_province_qualifier(finder, nlp) -> None:
    ms = places(finder, nlp, "fr", "Des affrontements ont eu lieu à Masisi, dans la province du Nord-Kivu.")
    masisi = by_name(ms, "Masisi")
    assert masisi.entry.country_code == "CD"


def test_demonyms_are_evidence_of_the_country(finder, nlp) -> None:
    ms = places(finder, nlp, "fr", "Des soldats maliens ont été attaqués près de Konna.")
    assert by_name(ms, "Konna").entry.country_code == "ML"
    assert finder.focus_country(ms) == "ML"


# --- rule 2: names that are not places ------------------------------------------------------

@pytest.mark.parametrize("word,country", [("Kenyan", "KE"), ("Russians", "RU"), ("Sri Lankan", "LK"),
                                          ("Palestinians", "PS"), ("Central African", "CF")])
def test_english_demonyms_resolve_to_their_country(finder, nlp, word: str, country: str) -> None:
    ms = places(finder, nlp, "en", f"The {word} delegation arrived on Monday.")
    mention = by_name(ms, word)
    assert mention.kind == "demonym"
    assert (mention.entry.feature_code, mention.entry.country_code) == ("PCLI", country)


def test_lowercase_french_adjective_is_not_output_but_counts(finder, nlp) -> None:
    ms = places(finder, nlp, "fr", "L'armée centrafricaine a patrouillé toute la nuit.")
    assert all(m.name != "centrafricaine" for m in ms)
    assert country_words()["centrafricaine"].countries == ("CF",)


@pytest.mark.parametrize("lang,text,name,country", [
    ("en", "Aid from the U.S. arrived by air.", "U.S.", "US"),
    ("en", "Officials in the UK said so.", "UK", "GB"),
    ("en", "Fighting spread across the DRC last year.", "DRC", "CD"),
    ("fr", "Les combats ont repris en RDC.", "RDC", "CD"),
    ("fr", "Des casques bleus sont déployés en RCA.", "RCA", "CF"),
    ("fr", "Une délégation des EAU est attendue.", "EAU", "AE"),
    ("en", "The UAE sent a delegation.", "UAE", "AE"),
])
def test_country_abbreviations(finder, nlp, lang: str, text: str, name: str, country: str) -> None:
    mention = by_name(places(finder, nlp, lang, text), name)
    assert (mention.entry.feature_code, mention.entry.country_code) == ("PCLI", country)


def test_abbreviated_province(finder, nlp) -> None:
    ms = places(finder, nlp, "en", "The fire near Kamloops, B.C., grew overnight.")
    bc = by_name(ms, "B.C.")
    assert (bc.entry.feature_code, bc.entry.country_code, bc.entry.admin1) == ("ADM1", "CA", "British Columbia")


def test_place_inside_an_organisation_name(finder, nlp) -> None:
    ms = places(finder, nlp, "en", "Researchers from the University of Manitoba published the study.")
    manitoba = by_name(ms, "Manitoba")
    assert manitoba.kind == "in_name"
    assert manitoba.entry.country_code == "CA"
    assert all(m.name != "University" for m in ms)


@pytest.mark.parametrize("lang,text,name", [
    ("fr", "Kigali accuse les rebelles de préparer une offensive.", "Kigali"),
    ("fr", "Des manifestants ont défilé à Bangui pour dénoncer l'inaction de Paris.", "Paris"),
    ("en", "Washington said the talks would resume.", "Washington"),
])
def test_a_capital_acting_is_its_government(finder, nlp, lang: str, text: str, name: str) -> None:
    assert by_name(places(finder, nlp, lang, text), name).kind == "actor"


def test_a_capital_where_things_happen_stays_a_place(finder, nlp) -> None:
    ms = places(finder, nlp, "fr", "Des manifestants ont défilé à Bangui pour dénoncer l'inaction de Paris.")
    assert by_name(ms, "Bangui").kind == "place"


def test_name_with_its_division_word_is_resolved_whole(finder, nlp) -> None:
    ms = places(finder, nlp, "en", "Deputies in Laurel County arrested two men.")
    county = by_name(ms, "Laurel County")
    assert (county.entry.feature_code, county.entry.country_code) == ("ADM2", "US")


def test_continent_is_resolved(finder, nlp) -> None:
    ms = places(finder, nlp, "en", "Gas prices rose across Europe this winter.")
    assert by_name(ms, "Europe").entry.feature_code == "CONT"


# --- rule 3: the most precise place, else the division or the country ----------------------

def test_a_state_outranks_a_small_town_of_its_name(finder) -> None:
    virginia = [e for e in finder.gazetteer.lookup("Virginia") if e.country_code == "US"]
    state = next(e for e in virginia if e.feature_code == "ADM1")
    assert all(importance(state) > importance(e) for e in virginia if e.id != state.id and e.population < 100_000)


def _mention(name: str, entry: GeoEntry | None, kind: str = "place", relation: str = "in", at: int = 0) -> PlaceMention:
    return PlaceMention(span=Span(start=at, end=at + len(name), text=name), name=name, entry=entry,
                        relation=relation, kind=kind)  # type: ignore[arg-type]


def _entry(id_: str, name: str, code: str, cc: str, admin1: str = "") -> GeoEntry:
    return GeoEntry(id=id_, name=name, latitude=0.0, longitude=0.0, feature_class="A" if code != "PPL" else "P",
                    feature_code=code, country_code=cc, admin1=admin1)


def test_fallback_prefers_the_division_of_the_main_country() -> None:
    mopti = _entry("g:1", "Mopti", "ADM1", "ML", "Mopti")
    mali = _entry("g:2", "Mali", "PCLI", "ML")
    france = _entry("g:3", "France", "PCLI", "FR")
    ms = [_mention("Mali", mali, relation="region"), _mention("France", france, kind="actor", at=20),
          _mention("Mopti", mopti, relation="region", at=40)]
    place = region_fallback(ms)
    assert place is not None and place.entry == mopti and place.relation == "region"


def test_fallback_is_the_country_when_no_division_is_named() -> None:
    mali = _entry("g:2", "Mali", "PCLI", "ML")
    ms = [_mention("maliens", mali, kind="demonym", relation="mention"), _mention("Mali", mali, relation="region", at=30)]
    place = region_fallback(ms)
    assert place is not None and place.entry == mali and place.kind == "place"


def test_fallback_ignores_names_inside_organisations_and_continents() -> None:
    europe = GeoEntry(id="geonames:6255148", name="Europe", latitude=48.7, longitude=9.1, feature_code="CONT")
    manitoba = _entry("g:4", "Manitoba", "ADM1", "CA", "Manitoba")
    assert region_fallback([_mention("Europe", europe), _mention("Manitoba", manitoba, kind="in_name")]) is None
