"""Actors: dictionary normalisation to ACLED names, country binding, named beats generic."""

from __future__ import annotations

import datetime as dt

import pytest

from khaldun.extract.actors import ActorDictionary, ActorFinder
from khaldun.schema import ActorRef


@pytest.fixture(scope="module")
def dictionary() -> ActorDictionary:
    return ActorDictionary.default()


@pytest.fixture(scope="module")
def actors(stages, dictionary):
    finder = ActorFinder(dictionary=dictionary)

    def run(language: str, text: str, focus: str | None = None, date: dt.date | None = dt.date(2013, 7, 27)):
        doc = stages(language).nlp(text)
        found = [a for sentence in doc.sents for a in finder(doc, sentence, focus_country=focus, date=date)]
        for mention in found:
            assert text[mention.span.start:mention.span.end] == mention.span.text
        return found

    return run


def names(found) -> list[str]:
    return [a.actor.name for a in found]


def test_syrian_army_on_a_2013_date(actors) -> None:
    found = actors("fr", "L'armée syrienne a bombardé samedi le quartier de Jobar.")
    assert [(a.span.text, a.actor.name, a.actor.inter, a.actor.country) for a in found] == [
        ("armée syrienne", "Military Forces of Syria (2000-)", 1, "Syria")]


def test_regime_suffix_from_date(dictionary) -> None:
    ref = ActorRef(name="Military Forces of Syria", inter=1, country="Syria", key="military")
    assert dictionary.name_on(ref, dt.date(2013, 7, 27)) == "Military Forces of Syria (2000-)"


@pytest.mark.parametrize(("language", "text"), [
    ("fr", "Les rebelles de l'ASL ont attaqué un barrage."),
    ("fr", "Les combattants de l'Armée syrienne libre ont attaqué un barrage."),
    ("en", "FSA fighters attacked a checkpoint."),
    ("en", "The Free Syrian Army attacked a checkpoint."),
])
def test_free_syrian_army(actors, language, text) -> None:
    found = actors(language, text)
    assert names(found) == ["Free Syrian Army"]
    assert found[0].actor.inter == 2


def test_bare_army_is_bound_to_the_report_country(actors) -> None:
    assert names(actors("fr", "L'armée a bombardé Douma.", focus="Syria")) == ["Military Forces of Syria (2000-)"]
    assert names(actors("fr", "L'armée a bombardé Douentza.", focus="Mali", date=dt.date(2013, 2, 8))) == [
        "Military Forces of Mali (2012-2013)"]


def test_bare_army_without_country_is_not_guessed(actors) -> None:
    assert actors("fr", "L'armée a bombardé la ville.", focus=None) == []


def test_named_actor_beats_generic(actors) -> None:
    found = actors("en", "Boko Haram gunmen killed villagers.", focus="Nigeria", date=dt.date(2014, 2, 15))
    assert names(found)[0].startswith("Boko Haram")
    assert "Unidentified Armed Group (Nigeria)" not in names(found)
    found = actors("fr", "Les rebelles du M23 se sont retirés de Goma.", focus="Democratic Republic of Congo")
    assert names(found) == ["M23: March 23 Movement"]


def test_generic_actors(actors) -> None:
    found = actors("fr", "Des hommes armés ont tué trois civils.", focus="Syria")
    assert [(a.actor.name, a.actor.inter) for a in found] == [
        ("Unidentified Armed Group (Syria)", 3), ("Civilians (Syria)", 7)]


def test_national_adjective_binds_country_whatever_the_focus(actors) -> None:
    found = actors("en", "Iraqi security forces fought ISIL militants.", focus="Syria", date=dt.date(2014, 1, 3))
    assert found[0].actor.name.startswith("Military Forces of Iraq")


def test_coordinated_nationalities_give_two_actors(actors) -> None:
    found = actors("fr", "Les soldats maliens et français ont affronté les islamistes du MUJAO.", focus="Mali",
                   date=dt.date(2013, 2, 10))
    found_names = names(found)
    assert any(n.startswith("Military Forces of Mali") for n in found_names)
    assert any(n.startswith("Military Forces of France") for n in found_names)
    assert "MUJAO: Movement for Unity and Jihad in West Africa" in found_names


def test_acronyms_match_case_sensitively(actors) -> None:
    """"au" is a French word, not the African Union (AU)."""
    found = actors("fr", "Les soldats sont arrivés au marché de Mogadiscio.", focus="Somalia", date=dt.date(2013, 9, 7))
    assert "African Union" not in " ".join(names(found))


# --- Actors for any country (issue 10) and foreign actors named as such (issue 11) ---------------


@pytest.mark.parametrize(("language", "text"), [
    ("en", "Ethiopian security forces raided the market."),
    ("fr", "Les forces de sécurité éthiopiennes ont attaqué le marché."),
])
def test_demonym_names_its_own_country_not_a_similar_one(actors, language, text) -> None:
    found = actors(language, text, focus="Estonia", date=dt.date(2023, 6, 1))
    assert [(a.actor.name, a.actor.country) for a in found] == [("Military Forces of Ethiopia (2018-)", "Ethiopia")]


def test_nationalities_are_exact_words(dictionary) -> None:
    assert dictionary.nationality("Ethiopian") == "Ethiopia"
    assert dictionary.nationality("estonienne") == "Estonia"
    assert dictionary.nationality("Ethiopean") is None  # a misspelling is not guessed
    assert dictionary.nationality("US") == "United States"
    assert dictionary.nationality("us") is None  # the pronoun


@pytest.mark.parametrize(("country", "words"), [
    ("Kenya", ("Kenyan", "kényans")), ("Sudan", ("Sudanese", "soudanaise")), ("Haiti", ("Haitian", "haïtiens")),
    ("Myanmar", ("Burmese", "Myanmar", "birmane", "myanmaraise")), ("Burkina Faso", ("Burkinabe", "burkinabés")),
    ("India", ("Indian", "indiennes")), ("Mexico", ("Mexican", "mexicains")),
])
def test_every_country_has_its_demonyms(dictionary, country, words) -> None:
    assert {dictionary.nationality(word) for word in words} == {country}


@pytest.mark.parametrize(("language", "text", "focus", "expected"), [
    ("en", "Police fired tear gas at protesters in the capital.", "Kenya",
     ["Police Forces of Kenya (2022-)", "Protesters (Kenya)"]),
    ("en", "Rioters torched a police station.", "India", ["Rioters (India)"]),
    ("fr", "Des manifestants ont été dispersés par la police.", "Haiti", ["Protesters (Haiti)", "Police Forces of Haiti"]),
    ("en", "Gunmen killed five civilians on the road.", "Cameroon",
     ["Unidentified Armed Group (Cameroon)", "Civilians (Cameroon)"]),
    ("fr", "Des soldats ont été tués dans une embuscade.", "Burkina Faso", ["Military Forces of Burkina Faso (2022-)"]),
])
def test_generic_actors_take_the_report_country(actors, language, text, focus, expected) -> None:
    assert names(actors(language, text, focus=focus, date=dt.date(2023, 6, 1))) == expected


@pytest.mark.parametrize(("language", "text"), [
    ("en", "Gang members opened fire on a bus."),
    ("fr", "Des membres de gangs ont ouvert le feu sur un bus."),
])
def test_unnamed_gangs(actors, language, text) -> None:
    assert names(actors(language, text, focus="Haiti", date=dt.date(2023, 6, 1)))[0] == "Unidentified Gang (Haiti)"


@pytest.mark.parametrize(("language", "text", "focus", "expected"), [
    ("en", "A suspected U.S. drone strike killed two men near Marib.", "Yemen",
     "Military Forces of the United States (2021-2025)"),
    ("en", "A US airstrike hit a camp.", "Somalia", "Military Forces of the United States (2021-2025)"),
    ("fr", "Une frappe de drone américain a visé une voiture.", "Somalia",
     "Military Forces of the United States (2021-2025)"),
    ("fr", "Des frappes russes ont touché Kharkiv dans la nuit.", "Ukraine", "Military Forces of Russia (2000-)"),
    ("en", "Israeli strikes hit the south of the country.", "Lebanon", "Military Forces of Israel (2022-)"),
    ("en", "Turkish drones struck a village near Qamishli.", "Syria", "Military Forces of Turkey (2002-)"),
])
def test_foreign_state_named_by_its_nationality(actors, language, text, focus, expected) -> None:
    found = names(actors(language, text, focus=focus, date=dt.date(2023, 6, 1)))
    assert found[0] == expected
    assert not any(name.startswith(f"Military Forces of {focus}") for name in found)


def test_pro_and_anti_nationality_is_not_that_state(actors) -> None:
    found = names(actors("en", "Pro-Russian forces shelled the town.", focus="Ukraine", date=dt.date(2014, 8, 1)))
    assert not any("Russia" in name for name in found)


def test_compound_demonym_is_read_whole(actors) -> None:
    found = names(actors("en", "South Sudanese shelling hit the border town.", focus="Sudan", date=dt.date(2023, 6, 1)))
    assert found == ["Military Forces of South Sudan (2011-)"]


def test_coordinated_nationalities_are_not_counted_twice(actors) -> None:
    found = names(actors("en", "Ethiopian troops and Eritrean soldiers entered the town.", focus="Ethiopia",
                         date=dt.date(2021, 1, 10)))
    assert found == ["Military Forces of Ethiopia (2018-)", "Military Forces of Eritrea (1993-)"]


@pytest.mark.parametrize(("language", "text", "focus", "expected"), [
    ("en", "RSF paramilitaries shelled the camp.", "Sudan", "Rapid Support Forces"),
    ("fr", "Les paramilitaires des Forces de soutien rapide ont attaqué la ville.", "Sudan", "Rapid Support Forces"),
    ("en", "The Sudanese Armed Forces bombed the market.", "Sudan", "Military Forces of Sudan (2019-)"),
    ("en", "Fano militiamen ambushed a convoy.", "Ethiopia", "Fano Militia"),
    ("fr", "L'Armée de libération oromo a enlevé des passagers.", "Ethiopia", "OLF-Shane: Oromo Liberation Front-Shane"),
    ("en", "Tigrayan forces withdrew from the town.", "Ethiopia", "TPLF: Tigray People's Liberation Front"),
    ("en", "The Tatmadaw bombed a school in Sagaing.", "Myanmar", "Military Forces of Myanmar (2021-)"),
    ("en", "People's Defence Force fighters attacked a police post.", "Myanmar", "PDF: People's Defense Force"),
    ("fr", "L'Armée d'Arakan a pris le contrôle de la ville.", "Myanmar", "AA: Arakan Army"),
    ("en", "The Ta'ang National Liberation Army seized the town.", "Myanmar", "TNLA: Ta'ang National Liberation Army"),
    ("en", "MNDAA fighters took the border post.", "Myanmar", "MNDAA: Myanmar National Democratic Alliance Army"),
    ("en", "The Kachin Independence Army attacked a base.", "Myanmar", "KIA: Kachin Independence Army"),
    ("fr", "La coalition de gangs Viv Ansanm a attaqué la commune.", "Haiti", "Viv Ansanm"),
    ("en", "The G9 alliance fought rival gangs.", "Haiti", "G9 Family and Allies"),
    ("en", "ELN guerrillas attacked a military base.", "Colombia", "ELN: National Liberation Army"),
    ("fr", "Des dissidents des FARC ont tué deux soldats.", "Colombia", "FARC Dissidents"),
    ("en", "The Gulf Clan imposed a curfew.", "Colombia", "Clan del Golfo"),
    ("en", "Gunmen of the Jalisco New Generation Cartel attacked police.", "Mexico", "CJNG: Jalisco New Generation Cartel"),
    ("fr", "Le cartel de Sinaloa a attaqué un convoi.", "Mexico", "Sinaloa Cartel"),
    ("en", "Maoist rebels killed two policemen.", "India", "CPI (Maoist): Communist Party of India (Maoist)"),
    ("en", "Kuki militants fired at a village.", "India", "Kuki Ethnic Militia (India)"),
    ("en", "The Baloch Liberation Army claimed the attack.", "Pakistan", "BLA: Baloch Liberation Army"),
    ("fr", "Les talibans pakistanais ont attaqué un poste.", "Pakistan", "TTP: Tehreek-i-Taliban Pakistan"),
    ("en", "Ambazonian fighters burned a school.", "Cameroon", "Ambazonian Separatists"),
    ("fr", "Les Volontaires pour la défense de la patrie ont repoussé l'attaque.", "Burkina Faso",
     "VDP: Volunteers for the Defense of the Homeland"),
])
def test_named_actors_of_large_conflicts(actors, language, text, focus, expected) -> None:
    assert expected in names(actors(language, text, focus=focus, date=dt.date(2023, 6, 1)))


@pytest.mark.parametrize(("text", "focus", "expected"), [
    ("Al-Shabaab insurgents attacked a village.", "Mozambique", "Islamic State (Mozambique)"),
    ("Al-Shabaab militants attacked a base.", "Somalia", "Al Shabaab"),
    ("Paramilitaries attacked the camp.", "Sudan", "Rapid Support Forces"),
    ("Paramilitaries attacked the camp.", "Colombia", "Militia (Pro-Government)"),
    ("Soldiers raided a house.", "Palestine", "Military Forces of Israel (2022-)"),
    ("Soldiers raided a house.", "Lebanon", "Military Forces of Lebanon"),
    ("The occupiers shelled the city.", "Ukraine", "Military Forces of Russia (2000-)"),
    ("The junta bombed a village.", "Myanmar", "Military Forces of Myanmar (2021-)"),
    ("Separatists burned a school.", "Cameroon", "Ambazonian Separatists"),
])
def test_context_words_take_the_local_actor(actors, text, focus, expected) -> None:
    assert names(actors("en", text, focus=focus, date=dt.date(2023, 6, 1)))[0] == expected


def test_platform_is_a_word_outside_mali(actors) -> None:
    assert names(actors("en", "The platform collapsed during the protest.", focus="Lebanon")) == []


def test_context_countries_scope(dictionary) -> None:
    entries = [entry for alias, entry in dictionary.entries if alias == "occupiers"]
    assert entries and all(entry.context_only and entry.context_countries == ("Ukraine",) for entry in entries)
    assert dictionary.bind(entries[0], "Syria") is None


def test_dependent_territory_takes_its_sovereign_state_forces(actors) -> None:
    found = actors("fr", "Les gendarmes ont dispersé les émeutiers à Nouméa.", focus="New Caledonia",
                   date=dt.date(2024, 5, 14))
    assert names(found) == ["Police Forces of France (2017-)", "Rioters (New Caledonia)"]


def test_dateline_capital_is_not_the_government(actors) -> None:
    found = actors("en", "Beirut, May 14 (Agency) An Israeli drone struck a car in the south.", focus="Lebanon",
                   date=dt.date(2024, 5, 14))
    assert "Government of Lebanon" not in names(found)
    assert names(actors("en", "Beirut rejected the proposal.", focus="Lebanon")) == ["Government of Lebanon"]


def test_rebel_militia_is_the_rsf_only_in_sudan(actors) -> None:
    assert names(actors("fr", "La milice rebelle a bombardé le camp.", focus="Sudan")) == ["Rapid Support Forces"]
    assert names(actors("fr", "La milice rebelle a bombardé le camp.", focus="Syria")) != ["Rapid Support Forces"]


@pytest.mark.parametrize(("text", "focus", "expected"), [
    ("Communist rebels ambushed an army patrol.", "Philippines", "NPA: New People's Army"),
    ("Rangers arrested the party leader.", "Pakistan", "Military Forces of Pakistan (2018-)"),
    ("Federal forces retook the town.", "Ethiopia", "Military Forces of Ethiopia (2018-)"),
])
def test_local_names_of_state_and_rebel_forces(actors, text, focus, expected) -> None:
    assert names(actors("en", text, focus=focus, date=dt.date(2023, 6, 1)))[0] == expected


def test_capital_is_the_government_only_as_a_subject(actors) -> None:
    assert names(actors("en", "Kyiv denied the report.", focus="Ukraine", date=dt.date(2024, 1, 16))) == [
        "Government of Ukraine (2019-)"]
    found = names(actors("en", "Russian missiles struck Kyiv overnight.", focus="Ukraine", date=dt.date(2024, 1, 16)))
    assert found == ["Military Forces of Russia (2000-)"]


def test_dated_names_follow_the_event_date(dictionary) -> None:
    seleka = ActorRef(name="Ex-Seleka Militia", inter=2, country="Central African Republic", key="cf-seleka")
    assert dictionary.name_on(seleka, dt.date(2013, 5, 1)) == "Seleka Rebel Coalition"
    assert dictionary.name_on(seleka, dt.date(2014, 5, 1)) == "Ex-Seleka Militia"
    rsf = ActorRef(name="Rapid Support Forces", inter=2, country="Sudan", key="sd-rsf")
    assert dictionary.name_on(rsf, dt.date(2021, 10, 25)) == "Military Forces of Sudan (2019-) Rapid Support Forces"
    assert dictionary.name_on(rsf, dt.date(2023, 6, 1)) == "Rapid Support Forces"


def test_nationality_of_a_target_is_not_the_attacker(actors) -> None:
    found = names(actors("fr", "L'attaque contre l'université américaine a fait dix morts.", focus="Afghanistan",
                         date=dt.date(2016, 8, 25)))
    assert not any("United States" in name for name in found)


def test_bare_rebels_are_the_only_rebel_group_named(actors, dictionary) -> None:
    finder = ActorFinder(dictionary=dictionary)
    text = "The New People's Army ambushed soldiers on Monday. The rebels then fled into the hills."
    found = finder.name_the_rebels(actors("en", text, focus="Philippines", date=dt.date(2019, 3, 4)))
    assert names(found) == ["NPA: New People's Army", "Military Forces of the Philippines (2016-2022)",
                            "NPA: New People's Army"]
    text = "The Arakan Army and the TNLA attacked the town. The rebels took two bases."
    found = finder.name_the_rebels(actors("en", text, focus="Myanmar", date=dt.date(2023, 11, 1)))
    assert "Opposition Rebels (Myanmar)" in names(found)  # two groups: the rebels are not guessed


@pytest.mark.parametrize(("language", "text", "focus", "unwanted"), [
    ("fr", "Des bandits armés ont attaqué un village.", "Burkina Faso", "Nigeria"),
    ("en", "Armed herdsmen attacked farmers.", "Cameroon", "Nigeria"),
    ("fr", "Les FDS ont repoussé une attaque terroriste.", "Burkina Faso", "QSD"),
    ("en", "Armed opposition groups attacked the base.", "Myanmar", "Syria"),
    ("fr", "Les loyalistes ont repris la ville.", "Libya", "Yemen"),
])
def test_one_conflict_s_words_do_not_leak_into_another(actors, language, text, focus, unwanted) -> None:
    found = names(actors(language, text, focus=focus, date=dt.date(2023, 6, 1)))
    assert not any(unwanted in name for name in found), found


def test_adjective_after_a_thing_is_not_soldiers(actors) -> None:
    found = actors("fr", "Des hommes armés ont emporté trois véhicules militaires.", focus="Mali")
    assert "Military Forces of Mali (2012-2013)" not in names(found)
    assert "Unidentified Armed Group (Mali)" in names(actors("fr", "Une attaque terroriste a visé le camp.", focus="Mali"))


@pytest.mark.parametrize(("language", "text", "focus"), [
    ("fr", "Trois Maliens ont été tués par une mine près de la route.", "Mali"),
    ("en", "Two Nigerians were abducted on the highway.", "Nigeria"),
])
def test_people_counted_by_nationality_are_civilians(actors, language, text, focus) -> None:
    assert names(actors(language, text, focus=focus)) == [f"Civilians ({focus})"]


def test_an_uncounted_nationality_noun_is_not_civilians(actors) -> None:
    assert "Civilians (Ukraine)" not in names(actors("fr", "Les Russes ont bombardé la ville.", focus="Ukraine"))


def test_anti_balaka_written_as_one_word(actors) -> None:
    found = actors("fr", "Des miliciens antibalaka ont attaqué le village.", focus="Central African Republic")
    assert names(found) == ["Anti-Balaka"]


def test_country_from_report_only_when_the_words_name_none(actors) -> None:
    army, malian = (actors("fr", text, focus="Mali")[0].actor for text in
                    ("L'armée a bombardé la ville.", "L'armée malienne a bombardé la ville."))
    assert army.country_from_report and not malian.country_from_report


@pytest.mark.parametrize(("language", "text", "focus", "expected"), [
    ("en", "Al Shabaab claimed responsibility for the bombing.", "Somalia", ["Al Shabaab"]),
    ("fr", "Le Mujao a revendiqué l'attentat de mercredi.", "Mali", ["MUJAO: Movement for Unity and Jihad in West Africa"]),
    ("fr", "Les ADF sont accusées d'avoir tué les villageois.", "Democratic Republic of Congo", ["ADF: Allied Democratic Forces"]),
    ("en", "Boko Haram has not claimed the attack.", "Nigeria", []),
    ("en", "Al Shabaab fighters attacked a base on Monday.", "Somalia", []),
    ("fr", "L'armée a revendiqué la reprise de la ville.", "Mali", []),
])
def test_claimants_are_the_groups_held_responsible(stages, dictionary, language, text, focus, expected) -> None:
    finder = ActorFinder(dictionary=dictionary)
    doc = stages(language).nlp(text)
    found = [a for sentence in doc.sents for a in finder(doc, sentence, focus_country=focus)]
    assert [ref.name for ref in finder.claimants(doc, found)] == expected


@pytest.mark.parametrize(("language", "text"), [
    ("fr", "Le groupe armé libanais Hezbollah a tiré des roquettes."),
    ("en", "The Lebanese armed group Hezbollah fired rockets."),
])
def test_generic_word_nationality_and_named_group_are_one_mention(actors, language, text) -> None:
    assert names(actors(language, text, focus="Lebanon")) == ["Hezbollah"]
