"""Events end to end through ``khaldun.api.extract_text``: what a careful ACLED coder would code."""

from __future__ import annotations

import datetime as dt

import pytest

from khaldun.errors import KhaldunError
from khaldun.schema import ACLED_COLUMNS, KHALDUN_COLUMNS

TWO_DAYS_FR = """ALEP, Syrie (AFP) — Des hélicoptères de l'armée syrienne ont largué samedi des barils explosifs sur le quartier d'al-Chaar, à Alep, tuant au moins douze civils dont quatre enfants, selon l'Observatoire syrien des droits de l'homme (OSDH).

Lundi, des combats ont opposé les rebelles de l'Armée syrienne libre à l'armée syrienne près de l'aéroport international d'Alep, faisant cinq morts parmi les rebelles, a indiqué l'OSDH."""

TOLD_TWICE_EN = """MOGADISHU (Reuters) - A suicide bomber blew himself up outside a restaurant in Mogadishu on Saturday, killing at least 15 people, police said.

The suicide bombing on Saturday killed 18 people, a hospital official later said, and dozens were wounded."""


def by_type(events, sub_event_type):
    return [e for e in events if e.sub_event_type == sub_event_type]


def test_two_events_on_different_days(events_of) -> None:
    events = events_of(TWO_DAYS_FR, "2013-07-29", "fr")
    strikes = by_type(events, "Air/drone strike")
    clashes = by_type(events, "Armed clash")
    assert len(strikes) == 1 and len(clashes) == 1, [(e.sub_event_type, e.event_date) for e in events]
    assert strikes[0].event_date == dt.date(2013, 7, 27)
    assert clashes[0].event_date == dt.date(2013, 7, 29)
    assert strikes[0].time_precision == 1


def test_air_strike_with_civilian_deaths_is_one_event(events_of) -> None:
    """ACLED codes the strike once, with its toll; no separate 'Attack' for the same deaths."""
    events = events_of(TWO_DAYS_FR, "2013-07-29", "fr")
    on_27 = [e for e in events if e.event_date == dt.date(2013, 7, 27)]
    assert [e.sub_event_type for e in on_27] == ["Air/drone strike"]
    strike = on_27[0]
    assert strike.actor1 == "Military Forces of Syria (2000-)"
    assert strike.fatalities == 12 and strike.fatalities_known
    assert strike.civilian_targeting == "Civilians targeted"
    assert strike.actor2.startswith("Civilians")
    assert "Observatoire syrien des droits de l'homme" in strike.claimed_by or "OSDH" in strike.claimed_by


def test_clash_actors_and_toll(events_of) -> None:
    clash = by_type(events_of(TWO_DAYS_FR, "2013-07-29", "fr"), "Armed clash")[0]
    assert {clash.actor1, clash.actor2} == {"Free Syrian Army", "Military Forces of Syria (2000-)"}
    assert clash.interaction == 12
    assert clash.fatalities == 5
    assert "OSDH" in clash.claimed_by


def test_same_event_told_twice_merges_with_the_lowest_toll(events_of) -> None:
    events = events_of(TOLD_TWICE_EN, "2013-09-09", "en")
    bombs = by_type(events, "Suicide bomb")
    assert len(bombs) == 1, [(e.sub_event_type, e.event_date, e.fatalities) for e in events]
    assert bombs[0].event_date == dt.date(2013, 9, 7)
    assert bombs[0].fatalities == 15  # most conservative figure; the wounded are not counted
    assert bombs[0].fatalities_known
    assert len(events) == 1


def test_passive_agent_is_actor1_fr(events_of) -> None:
    text = "Le quartier de Jobar, à Damas, a été bombardé dimanche par l'armée syrienne, selon l'OSDH."
    events = events_of(text, "2013-07-29", "fr")
    assert [e.sub_event_type for e in events] == ["Shelling/artillery/missile attack"]
    assert events[0].actor1 == "Military Forces of Syria (2000-)"
    assert events[0].event_date == dt.date(2013, 7, 28)


def test_attack_on_civilians_by_gunmen(events_of) -> None:
    text = ("MAIDUGURI, Nigeria (AP) — An attack on civilians by gunmen in the village of Izghe in Borno state killed "
            "at least 51 people on Saturday, police said.")
    events = events_of(text, "2014-02-17", "en")
    attacks = by_type(events, "Attack")
    assert len(attacks) == 1, [(e.sub_event_type, e.actor1, e.actor2) for e in events]
    attack = attacks[0]
    assert attack.actor1 == "Unidentified Armed Group (Nigeria)"
    assert attack.actor2 == "Civilians (Nigeria)"
    assert attack.fatalities == 51
    assert attack.civilian_targeting == "Civilians targeted"
    assert attack.interaction == 37
    assert attack.country == "Nigeria" and attack.iso == 566


def test_injuries_are_not_fatalities(events_of) -> None:
    text = ("MOGADISHU (Reuters) - A roadside bomb hit an African Union convoy on the road to Afgoye on Sunday, "
            "wounding four soldiers, an AU spokesman said.")
    events = events_of(text, "2013-09-09", "en")
    bombs = by_type(events, "Remote explosive/landmine/IED")
    assert len(bombs) == 1
    assert bombs[0].fatalities == 0
    assert bombs[0].fatalities_known is False


def test_nobody_killed_is_a_known_zero_or_unknown_but_not_a_death(events_of) -> None:
    text = "A roadside bomb hit an army convoy near Afgoye on Sunday, but no one was killed, an AU spokesman said."
    events = events_of(text, "2013-09-09", "en")
    assert events and all(e.fatalities == 0 for e in events)
    assert by_type(events, "Remote explosive/landmine/IED")


def test_unknown_fatalities(events_of) -> None:
    text = "Iraqi military helicopters struck militant positions in Ramadi on Friday, the Defense Ministry said."
    events = events_of(text, "2014-01-04", "en")
    strikes = by_type(events, "Air/drone strike")
    assert len(strikes) == 1
    assert strikes[0].fatalities == 0 and strikes[0].fatalities_known is False
    assert strikes[0].actor1.startswith("Military Forces of Iraq")


def test_background_event_is_flagged(events_of) -> None:
    text = ("ALEP, Syrie (AFP) — Des obus de mortier sont tombés samedi sur le quartier de Midane, à Alep, faisant trois "
            "morts, selon l'OSDH.\n\n"
            "Les rebelles de l'ASL s'étaient emparés de la moitié est d'Alep en juillet 2012, après de violents combats.")
    events = events_of(text, "2013-07-29", "fr")
    recent = [e for e in events if e.event_date == dt.date(2013, 7, 27)]
    old = [e for e in events if e.event_date.year == 2012]
    assert recent and not any(e.background for e in recent)
    assert old and all(e.background for e in old)
    assert all(e.time_precision == 3 for e in old)


def test_negated_and_threatened_events_give_no_event(events_of) -> None:
    text = ("Les rebelles menacent d'attaquer les quartiers alaouites de Homs. L'armée n'a pas bombardé la vieille ville "
            "dimanche, a affirmé un commandant.")
    assert events_of(text, "2013-08-01", "fr") == []


def test_threat_in_english_gives_no_event(events_of) -> None:
    text = "Boko Haram has threatened to attack more schools and villages in Borno state, officials said on Monday."
    assert events_of(text, "2014-02-17", "en") == []


def test_peaceful_protest(events_of) -> None:
    text = ("HOMS, Syria (AP) — Tens of thousands of protesters marched peacefully in the central city of Hama on Friday, "
            "activists said.")
    events = events_of(text, "2011-07-02", "en")
    assert [e.sub_event_type for e in events] == ["Peaceful protest"]
    protest = events[0]
    assert protest.event_date == dt.date(2011, 7, 1)
    assert protest.actor1 == "Protesters (Syria)" and protest.inter1 == 6
    assert protest.disorder_type == "Demonstrations"
    assert protest.fatalities == 0


def test_protest_dispersed_with_arrests(events_of) -> None:
    text = ("BANGUI (AFP) — Des centaines de manifestants se sont rassemblés jeudi devant l'ambassade de France à Bangui. "
            "La police a dispersé les manifestants à coups de gaz lacrymogènes, selon un responsable de la police.")
    events = events_of(text, "2013-01-12", "fr")
    types = [e.sub_event_type for e in events]
    assert "Protest with intervention" in types
    assert "Peaceful protest" not in types  # the same protest, coded once with the intervention
    protest = by_type(events, "Protest with intervention")[0]
    assert protest.event_date == dt.date(2013, 1, 10)
    assert {protest.actor1, protest.actor2} >= {"Protesters (Central African Republic)"}


def test_agreement(events_of) -> None:
    text = ("Le gouvernement centrafricain et la coalition rebelle Séléka ont signé vendredi à Libreville un accord de "
            "cessez-le-feu, a annoncé la médiation.")
    events = events_of(text, "2013-01-12", "fr")
    assert [e.sub_event_type for e in events] == ["Agreement"]
    assert events[0].event_date == dt.date(2013, 1, 11)
    assert events[0].disorder_type == "Strategic developments"


def test_withdrawal_is_a_non_violent_transfer(events_of) -> None:
    text = ("GOMA, RD Congo (AFP) — Les rebelles du M23 se sont retirés samedi de Goma, la capitale du Nord-Kivu, sans "
            "combats, a indiqué un porte-parole de la Monusco.")
    events = events_of(text, "2012-12-02", "fr")
    assert [e.sub_event_type for e in events] == ["Non-violent transfer of territory"]
    assert events[0].actor1 == "M23: March 23 Movement"
    assert events[0].event_date == dt.date(2012, 12, 1)


def test_abduction(events_of) -> None:
    text = "Gunmen abducted a German aid worker in central Sanaa on Tuesday, a police official said."
    events = events_of(text, "2013-08-09", "en")
    assert [e.sub_event_type for e in events] == ["Abduction/forced disappearance"]
    assert events[0].actor1 == "Unidentified Armed Group (Yemen)"
    assert events[0].event_date == dt.date(2013, 8, 6)


def test_arrests_by_state_forces(events_of) -> None:
    text = "Nigerian soldiers arrested 20 suspected members of Boko Haram at a market in Maiduguri on Friday, a military spokesman said."
    events = events_of(text, "2014-02-17", "en")
    assert [e.sub_event_type for e in events] == ["Arrests"]
    assert events[0].actor1.startswith("Military Forces of Nigeria")
    assert events[0].fatalities == 0


def test_government_regains_territory(events_of) -> None:
    text = ("L'armée syrienne a repris mercredi le contrôle du quartier de Khaldiyé, à Homs, après des semaines de "
            "combats contre les rebelles, a annoncé la télévision d'État.")
    events = events_of(text, "2013-08-01", "fr")
    assert [e.sub_event_type for e in events] == ["Government regains territory"]
    assert events[0].actor1 == "Military Forces of Syria (2000-)"
    assert events[0].event_date == dt.date(2013, 7, 31)


def test_non_state_actor_overtakes_territory(events_of) -> None:
    text = ("BAGHDAD (Reuters) - Militants from the Islamic State of Iraq and the Levant seized control of the Iraqi city "
            "of Fallujah on Friday after two days of fighting with Iraqi security forces, officials said.")
    events = events_of(text, "2014-01-04", "en")
    territory = by_type(events, "Non-state actor overtakes territory")
    assert len(territory) == 1, [(e.sub_event_type, e.actor1) for e in events]
    assert territory[0].actor1.startswith("Islamic State")
    assert territory[0].actor2.startswith("Military Forces of Iraq")
    assert territory[0].country == "Iraq"


def test_looting(events_of) -> None:
    text = "Rebels looted shops and government offices in the Himbi district of Goma on Saturday, residents said."
    events = events_of(text, "2012-12-02", "en")
    assert [e.sub_event_type for e in events] == ["Looting/property destruction"]


def test_mine(events_of) -> None:
    text = ("La veille, quatre civils ont été tués lorsque leur véhicule a sauté sur une mine sur la route entre "
            "Douentza et Gao, selon un responsable local. Un kamikaze s'était fait exploser vendredi à Gao.")
    events = events_of(text, "2013-02-11", "fr")
    mines = by_type(events, "Remote explosive/landmine/IED")
    assert len(mines) == 1
    assert mines[0].fatalities == 4
    assert mines[0].actor1 != "Civilians (Mali)"  # the victims are not the perpetrators
    assert mines[0].actor2 == "Civilians (Mali)"


def test_caption_and_quote_are_not_events(events_of) -> None:
    text = ("Des obus de mortier sont tombés samedi sur le quartier de Midane, à Alep, faisant trois morts, selon l'OSDH.\n\n"
            "Photo : des secouristes après un raid aérien sur al-Chaar, à Alep, le 27 juillet 2013.\n\n"
            "« Les avions ont bombardé le quartier toute la nuit, nous avons compté dix morts. »")
    events = events_of(text, "2013-07-29", "fr")
    assert [e.sub_event_type for e in events] == ["Shelling/artillery/missile attack"]


def test_evidence_spans_match_the_normalised_text(events_of) -> None:
    from khaldun.ingest.normalise import normalise

    for text, date, language in ((TWO_DAYS_FR, "2013-07-29", "fr"), (TOLD_TWICE_EN, "2013-09-09", "en")):
        normalised = normalise(text).text
        events = events_of(text, date, language)
        assert events
        for event in events:
            assert event.evidence, event
            fields = {e.field for e in event.evidence}
            assert {"sentence", "sub_event_type"} <= fields
            for evidence in event.evidence:
                assert 0 <= evidence.start < evidence.end <= len(normalised)
                assert normalised[evidence.start:evidence.end] == evidence.text
            assert event.claimed_by
            assert event.notes


def test_every_event_is_well_formed(events_of) -> None:
    events = events_of(TWO_DAYS_FR, "2013-07-29", "fr") + events_of(TOLD_TWICE_EN, "2013-09-09", "en")
    for event in events:
        row = event.acled_row()
        assert list(row)[:len(ACLED_COLUMNS)] == list(ACLED_COLUMNS)
        assert list(row)[len(ACLED_COLUMNS):len(ACLED_COLUMNS) + len(KHALDUN_COLUMNS)] == list(KHALDUN_COLUMNS)
        assert event.year == event.event_date.year
        assert event.time_precision in (1, 2, 3)
        assert event.event_date <= dt.date.fromisoformat(row["event_date"])
        assert 0 <= event.confidence <= 1
        assert event.doc_id == "text"


def test_bad_date_raises_coded_error(events_of) -> None:
    with pytest.raises(KhaldunError) as caught:
        events_of("Des combats ont eu lieu samedi à Alep.", "29/07/2013", "fr")
    assert caught.value.code == "E107"


def test_unsupported_language_raises_e201(events_of) -> None:
    with pytest.raises(KhaldunError) as caught:
        events_of("Un coche bomba explotó el sábado en Bagdad.", "2013-07-29", "es")
    assert caught.value.code == "E201"


def test_empty_text_raises_e102(events_of) -> None:
    with pytest.raises(KhaldunError) as caught:
        events_of("   \n\n  ", "2013-07-29", "fr")
    assert caught.value.code == "E102"


def test_one_bombing_told_near_a_town_then_at_a_village_is_one_event(events_of) -> None:
    text = ("NIAMEY (AFP) — Un kamikaze a fait exploser sa voiture jeudi devant une caserne à une soixantaine de "
            "kilomètres au sud de Tillabéri, tuant deux soldats.\n\n"
            "« Le kamikaze a foncé sur la caserne de Ouallam jeudi matin », a déclaré un officier nigérien.")
    bombs = by_type(events_of(text, "2019-05-10", "fr"), "Suicide bomb")
    assert len(bombs) == 1, [(e.location, e.actor1) for e in bombs]
    assert bombs[0].location == "Ouallam" and bombs[0].fatalities == 2


def test_an_implied_shelling_actor_does_not_split_an_event(events_of) -> None:
    text = ("Government forces shelled the town of Rastan on Tuesday, killing 14 people, activists said. "
            "Twelve bodies, civilians and rebel fighters among them, were pulled from the ruins of one street "
            "of Rastan after the shelling on Tuesday.")
    shelling = by_type(events_of(text, "2012-05-16", "en"), "Shelling/artillery/missile attack")
    assert len(shelling) == 1
    assert shelling[0].actor1.startswith("Military Forces of Syria")


def test_victims_of_another_verb_are_not_the_attackers(events_of) -> None:
    text = "The bodies of five rebel fighters were found in Maarat al-Numan on Friday after an air raid."
    strikes = by_type(events_of(text, "2013-03-02", "en"), "Air/drone strike")
    assert strikes and not strikes[0].actor1.startswith("Opposition Rebels")


def test_a_figure_of_speech_is_not_an_abduction(events_of) -> None:
    text = ("Des tirs ont visé mardi un marché de Bangui, faisant trois morts. La population, prise en otage "
            "par les combats, fuit vers l'aéroport.")
    events = events_of(text, "2013-12-11", "fr")
    assert not by_type(events, "Abduction/forced disappearance")


def test_the_capital_is_the_capital_of_the_country_of_the_report(events_of) -> None:
    text = ("BANGUI (Reuters) - Des miliciens ont attaqué mardi une position de l'armée centrafricaine dans la "
            "capitale, faisant quatre morts, selon une source militaire.")
    events = events_of(text, "2014-01-08", "fr")
    assert events and all(e.location == "Bangui" and e.geo_precision == 1 for e in events), \
        [(e.location, e.geo_precision) for e in events]


def test_an_aim_is_not_an_event(events_of) -> None:
    text = ("Government troops pressed an offensive on Tuesday to retake the rebel-held town of Kramatorsk, "
            "the defence ministry said.")
    events = events_of(text, "2014-07-02", "en")
    assert not by_type(events, "Government regains territory"), [(e.sub_event_type, e.location) for e in events]
    text_fr = "Les soldats ont lancé lundi une offensive pour reprendre Kidal aux rebelles, selon l'état-major."
    assert not by_type(events_of(text_fr, "2014-05-20", "fr"), "Government regains territory")


def test_a_weapon_named_as_a_kind_of_thing_is_not_an_attack(events_of) -> None:
    text = "Warplanes bombed a rebel missile base outside Idlib on Thursday, killing six fighters, activists said."
    events = events_of(text, "2015-03-06", "en")
    assert [e.sub_event_type for e in events] == ["Air/drone strike"], [(e.sub_event_type, e.actor1) for e in events]


def test_an_explosion_caused_by_a_strike_is_the_strike(events_of) -> None:
    text = ("Jets struck an arms depot near Hama on Sunday, triggering a huge explosion that killed nine people, "
            "residents said.")
    events = events_of(text, "2016-01-11", "en")
    assert [e.sub_event_type for e in events] == ["Air/drone strike"]


def test_a_capture_after_a_withdrawal_is_one_capture(events_of) -> None:
    text = ("Les insurgés se sont emparés samedi de Konna, après le retrait des soldats maliens de la ville, "
            "selon des habitants.")
    events = events_of(text, "2013-01-12", "fr")
    assert [e.sub_event_type for e in events] == ["Non-state actor overtakes territory"]


def test_a_group_that_does_not_claim_an_attack_is_not_its_author(events_of) -> None:
    text = ("A roadside bomb killed three soldiers in Kandahar province on Monday, officials said. "
            "The Taliban did not immediately claim responsibility for the bombing.")
    bombs = by_type(events_of(text, "2013-04-16", "en"), "Remote explosive/landmine/IED")
    assert len(bombs) == 1 and bombs[0].actor1 != "Taliban", [(b.actor1, b.location) for b in bombs]


def test_people_who_demonstrate_are_protesters(events_of) -> None:
    text = "Des milliers de personnes ont manifesté samedi à Conakry contre la vie chère, selon des journalistes."
    protests = [e for e in events_of(text, "2015-04-13", "fr") if e.event_type == "Protests"]
    assert protests and protests[0].actor1 == "Protesters (Guinea)" and protests[0].inter1 == 6


def test_forces_led_by_another_country_are_that_countrys(events_of) -> None:
    text = "Saudi-led warplanes struck a Houthi position in Saada on Friday, killing seven fighters, residents said."
    strikes = by_type(events_of(text, "2016-02-07", "en"), "Air/drone strike")
    assert strikes and strikes[0].actor1.startswith("Military Forces of Saudi Arabia")


def test_prendre_a_town_is_a_capture_but_prendre_la_fuite_is_not(events_of) -> None:
    text = ("Les jihadistes ont pris lundi la ville de Douentza, dans le centre du Mali, selon un élu local. "
            "Les habitants ont pris la fuite vers Mopti.")
    events = events_of(text, "2013-01-11", "fr")
    captures = by_type(events, "Non-state actor overtakes territory")
    assert len(captures) == 1 and captures[0].location == "Douentza", [(e.sub_event_type, e.location) for e in events]


def test_a_named_group_before_a_generic_noun_is_the_group(events_of) -> None:
    text = "Al Shabaab militants attacked an army base near Baidoa on Tuesday, killing five soldiers, officials said."
    events = events_of(text, "2017-03-08", "en")
    assert events and events[0].actor1 == "Al Shabaab"


def test_storming_a_building_is_not_taking_territory(events_of) -> None:
    text = "Gunmen stormed a restaurant in Bamako on Friday night, killing nine people, police said."
    events = events_of(text, "2015-03-07", "en")
    assert events and not any(e.sub_event_type.endswith("territory") for e in events), \
        [e.sub_event_type for e in events]


def test_a_battle_told_from_both_sides_is_one_battle(events_of) -> None:
    text = ("Rebels fighting government forces seized an army post near Deraa on Tuesday, the Syrian Observatory "
            "for Human Rights said. It said nine soldiers were killed in the fighting on Tuesday.")
    events = events_of(text, "2013-04-03", "en")
    assert len(events) == 1, [(e.sub_event_type, e.actor1, e.actor2) for e in events]
    assert events[0].assoc_actor_1 == "" and events[0].actor2.startswith("Military Forces of Syria")


def test_soldiers_killed_in_clashes_give_a_clash_with_the_known_side(events_of) -> None:
    text = "Huit soldats ont été tués jeudi dans des affrontements à Saïda, a annoncé l'armée."
    clashes = by_type(events_of(text, "2014-03-21", "fr"), "Armed clash")
    assert clashes and clashes[0].actor1.startswith("Military Forces of Lebanon") and clashes[0].fatalities == 8
    assert clashes[0].claimed_by == "armée"


def test_a_denied_involvement_is_not_an_event(events_of) -> None:
    text = "Le Hezbollah a démenti mardi toute participation aux combats de Saïda."
    assert events_of(text, "2013-06-25", "fr") == []


def test_the_dead_of_both_sides_add_up(events_of) -> None:
    text = ("Rebels and troops clashed in Idlib on Monday. At least 14 soldiers and nine rebels were killed, "
            "the Syrian Observatory for Human Rights said.")
    clashes = by_type(events_of(text, "2013-05-14", "en"), "Armed clash")
    assert clashes and clashes[0].fatalities == 23


def test_the_agent_of_a_participle_in_between_is_not_the_attacker(events_of) -> None:
    text = ("Un attentat a été commis mardi à Tombouctou, ville reprise en janvier par les soldats français, "
            "faisant deux morts, selon un élu.")
    events = events_of(text, "2013-03-26", "fr")
    assert all("France" not in e.actor1 for e in events), [(e.sub_event_type, e.actor1) for e in events]


def test_the_dead_of_an_explosion_are_its_target(events_of) -> None:
    text = "Mercredi, l'explosion d'une mine qui a tué trois militaires maliens a été signalée près de Gao."
    mines = by_type(events_of(text, "2013-02-08", "fr"), "Remote explosive/landmine/IED")
    assert mines and mines[0].actor2.startswith("Military Forces of Mali"), [(m.actor1, m.actor2) for m in mines]


def test_a_place_missing_from_the_gazetteer_is_coded_at_the_town_it_is_near(events_of) -> None:
    text = ("Au moins 40 personnes ont été tuées mardi dans un bombardement de l'armée sur la localité de "
            "Kfar Zeitoun al-Qibli, au nord de Hama, selon l'OSDH.")
    events = events_of(text, "2014-05-21", "fr")
    assert events and events[0].place_id == "geonames:170017" and events[0].geo_precision == 2, \
        [(e.location, e.place_id, e.geo_precision) for e in events]  # Hama, the city
    assert events[0].fatalities == 40


def test_a_rocket_loaded_with_chemicals_is_a_chemical_weapon(events_of) -> None:
    text = "A rocket loaded with chemicals killed 12 people near the northern city of Aleppo on Tuesday, activists said."
    events = events_of(text, "2013-03-20", "en")
    assert [e.sub_event_type for e in events] == ["Chemical weapon"]
    assert events[0].geo_precision == 2  # near the city


def test_the_same_source_is_the_source_named_before(events_of) -> None:
    text = ("Des raids aériens ont tué lundi six civils à Douma, selon l'OSDH. Mardi, des rebelles ont tiré des "
            "obus de mortier sur Jaramana, faisant deux morts, selon la même source.")
    events = events_of(text, "2014-01-15", "fr")
    assert events and all(e.claimed_by == "OSDH" for e in events), [(e.sub_event_type, e.claimed_by) for e in events]


PROTEST_TURNS_VIOLENT_FR = """CONAKRY (AFP) — Des milliers de partisans de l'opposition ont manifesté mardi à Conakry contre le report des élections.

Dans l'après-midi, des jeunes ont lancé des pierres sur les policiers et incendié des pneus dans le centre de Conakry, selon des témoins."""

PROTEST_CLASHES_EN = """KAMPALA, Uganda — Hundreds of students marched through Kampala on Monday against a rise in tuition fees.

Clashes broke out near the parliament later on Monday, witnesses said."""


def test_a_demonstration_that_turns_violent_is_one_violent_demonstration(events_of) -> None:
    """ACLED: a crowd that becomes violent is coded once, as a riot, whatever it began as."""
    events = [e for e in events_of(PROTEST_TURNS_VIOLENT_FR, "2024-03-06", "fr") if e.event_type in {"Protests", "Riots"}]
    assert [e.sub_event_type for e in events] == ["Violent demonstration"], [(e.sub_event_type, e.location) for e in events]


def test_clashes_with_no_armed_group_in_a_protest_report_are_the_crowd(events_of) -> None:
    events = events_of(PROTEST_CLASHES_EN, "2024-03-05", "en")
    assert "Armed clash" not in {e.sub_event_type for e in events}
    assert "Violent demonstration" in {e.sub_event_type for e in events}
    riot = next(e for e in events if e.sub_event_type == "Violent demonstration")
    assert riot.actor1.startswith("Rioters")


def test_clashes_with_an_armed_group_stay_a_battle_in_a_protest_report(events_of) -> None:
    text = PROTEST_CLASHES_EN + "\n\nIn the north, soldiers clashed with ADF rebels near Kasese on Monday, killing four."
    assert "Armed clash" in {e.sub_event_type for e in events_of(text, "2024-03-05", "en")}


@pytest.mark.parametrize("text, language", [
    ("Clashes broke out on Friday between protesters and police in Imphal, India, officials said.", "en"),
    ("Fresh clashes erupted on Friday night between demonstrators and police in Lahore, Pakistan, "
     "with police using tear gas to disperse the mob.", "en"),
    ("Un groupe de manifestants a pris d'assaut vendredi un poste de gendarmerie à Agadir, au Maroc.", "fr"),
    ("À Tunis, des jeunes ont jeté vendredi soir des pierres contre les forces de sécurité, "
     "qui ont riposté par des tirs de gaz lacrymogènes.", "fr"),
])
def test_a_crowds_violence_told_in_one_sentence_is_a_violent_demonstration(events_of, text, language) -> None:
    """The demonstration word is the sentence's most specific, the clash, storming or stones make it a riot."""
    events = events_of(text, "2023-04-29", language)
    assert [(e.sub_event_type, e.actor1.split(" (")[0]) for e in events] == [("Violent demonstration", "Rioters")], \
        [(e.sub_event_type, e.actor1) for e in events]
    assert events[0].actor2.startswith(("Police Forces", "Military Forces")), events[0].actor2


def test_a_demonstration_against_a_war_does_not_make_the_war_a_riot(events_of) -> None:
    text = ("Protesters marched peacefully through Nairobi, Kenya, on Friday, denouncing the fighting "
            "between the army and al-Shabaab.")
    assert [e.sub_event_type for e in events_of(text, "2023-04-29", "en")] == ["Peaceful protest"]


def test_storming_a_post_is_no_capture_when_no_crowd_did_it(events_of) -> None:
    text = "Un groupe de manifestants a défilé vendredi à Agadir, au Maroc ; la police a pris d'assaut un café voisin."
    assert not {e.sub_event_type for e in events_of(text, "2023-04-29", "fr")} & \
        {"Government regains territory", "Non-state actor overtakes territory"}


def test_armed_men_who_ransack_houses_destroy_property_they_do_not_riot(events_of) -> None:
    text = "Des hommes armés ont saccagé jeudi plus de cinquante maisons à Bule, en Ituri."
    assert [e.sub_event_type for e in events_of(text, "2023-04-29", "fr")] == ["Looting/property destruction"]


def test_a_riots_first_actor_is_the_rioters_and_what_they_attacked_the_second(events_of) -> None:
    text = "À Bule, en Ituri, des manifestants se sont rassemblés jeudi devant la base de la Monusco, jetant des pierres."
    events = events_of(text, "2023-04-29", "fr")
    assert [(e.sub_event_type, e.actor1.split(" (")[0], e.actor2.split(":")[0]) for e in events] == \
        [("Violent demonstration", "Rioters", "MONUSCO")]


def test_an_attack_repelled_in_a_battle_is_that_battle(events_of) -> None:
    text = ("Sudan's army said it killed an RSF commander on Friday during a battle in El Fasher, Sudan. "
            "The army said the RSF attack was thwarted early on Friday by its troops.")
    assert [e.sub_event_type for e in events_of(text, "2023-04-29", "en")] == ["Armed clash"]


def test_the_lead_event_takes_the_day_a_later_sentence_gives_it(events_of) -> None:
    text = ("Fifteen people were killed when Boko Haram attacked a remote village in Borno State, Nigeria, residents said.\n\n"
            "The attack happened at about 13:00 GMT on Monday in Huyum, residents said.")
    assert [e.event_date.isoformat() for e in events_of(text, "2023-04-29", "en")] == ["2023-04-24"]


def test_a_later_sentence_about_another_kind_of_event_does_not_date_the_lead(events_of) -> None:
    text = ("Un kamikaze s'est fait exploser à un poste de contrôle de l'armée près de Gao, au Mali, blessant un soldat.\n\n"
            "Mercredi, quatre civils avaient été tués dans l'explosion d'une mine entre Douentza et Gao.")
    bombs = [e for e in events_of(text, "2023-04-29", "fr") if e.sub_event_type == "Suicide bomb"]
    assert [e.event_date.isoformat() for e in bombs] == ["2023-04-29"]


def test_a_demonstration_told_by_its_crowd_and_its_police_is_one_event(events_of) -> None:
    text = ("ABUJA, Nigeria — A mob angry at the killing of a priest burned a police post in Minna, Niger State, on Tuesday.\n\n"
            "Police fired tear gas at the rioters in Minna on Tuesday, officials said.")
    riots = [e for e in events_of(text, "2023-01-18", "en") if e.event_type in {"Protests", "Riots"}]
    assert len(riots) == 1, [(e.sub_event_type, e.actor1, e.actor2) for e in riots]


def test_soldiers_who_withdraw_are_the_first_actor_of_the_transfer(events_of) -> None:
    events = events_of("Les soldats maliens se sont retirés lundi de Tessit, au Mali.", "2023-04-29", "fr")
    assert [(e.sub_event_type, e.actor1.split(" (")[0], e.location) for e in events] == \
        [("Non-violent transfer of territory", "Military Forces of Mali", "Tessit")]


@pytest.mark.parametrize("text, language", [
    ("The insurgents forced the energy firm Total to pull out of its gas project near Palma, Mozambique, on Monday.", "en"),
    ("Les insurgés ont contraint lundi le groupe Total à se retirer de son projet près de Palma, au Mozambique.", "fr"),
])
def test_a_company_that_pulls_out_transfers_no_territory(events_of, text, language) -> None:
    assert "Non-violent transfer of territory" not in {e.sub_event_type for e in events_of(text, "2023-04-29", language)}


def test_people_arrested_by_nobody_named_were_arrested_by_the_police_on_the_day_their_arrest_is_told(events_of) -> None:
    text = ("Onze opposants maliens ont été arrêtés alors qu'ils se réunissaient à Bamako, a appris l'AFP vendredi "
            "auprès de leur coalition. Après leur arrestation jeudi soir, ils ont été entendus par la police.")
    events = events_of(text, "2023-04-29", "fr")
    assert [(e.sub_event_type, e.actor1.split(" (")[0], e.event_date.isoformat()) for e in events] == \
        [("Arrests", "Police Forces of Mali", "2023-04-27")]


def test_an_event_told_without_a_place_is_where_the_report_last_put_the_story(events_of) -> None:
    text = ("The mediator spoke on Wednesday at a ceremony in Pretoria, South Africa, about the war in Ethiopia's Tigray region.\n\n"
            "Aid agencies have warned for months of famine in Tigray.\n\n"
            "Donors pledged more food aid for the region.\n\n"
            "On Wednesday the Ethiopian government and the TPLF signed the peace agreement, officials said.")
    agreements = [e for e in events_of(text, "2022-11-02", "en") if e.sub_event_type == "Agreement"]
    assert [e.location for e in agreements] == ["Pretoria"]


def test_homes_burnt_in_an_attack_are_that_attack(events_of) -> None:
    """ACLED codes looting and destruction apart only outside another violent event."""
    text = ("MAIDUGURI, Nigeria — Gunmen killed seven villagers in Konduga, Borno State, on Sunday, residents said.\n\n"
            "The attackers also set fire to dozens of homes in Konduga on Sunday before fleeing.")
    types = [e.sub_event_type for e in events_of(text, "2024-03-05", "en")]
    assert types == ["Attack"], types


def test_looting_on_its_own_is_looting(events_of) -> None:
    text = "Armed men looted the market of Konduga, Borno State, on Sunday, residents said."
    assert [e.sub_event_type for e in events_of(text, "2024-03-05", "en")] == ["Looting/property destruction"]
