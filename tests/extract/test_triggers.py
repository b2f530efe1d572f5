"""Trigger words for every sub-event family, and modality (negated, future, hypothetical, threat)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def triggers(stages):
    def run(language: str, text: str):
        stage = stages(language)
        doc = stage.nlp(text)
        found = [t for sentence in doc.sents for t in stage.triggers(doc, sentence)]
        for trigger in found:
            assert text[trigger.span.start:trigger.span.end] == trigger.span.text
        return found

    return run


# Lexicon types: ACLED sub-event types, or meta types the event stage resolves from the actors
# (attack, kill, territory, arrest, withdrawal).
FAMILIES = [
    ("fr", "Des avions du régime ont mené samedi des raids aériens sur Douma.", "Air/drone strike"),
    ("fr", "Un drone a frappé un véhicule près de Kidal.", "Air/drone strike"),
    ("fr", "Des hélicoptères ont largué des barils explosifs sur Daraya.", "Air/drone strike"),
    ("fr", "L'armée a pilonné le quartier de Jobar.", "Shelling/artillery/missile attack"),
    ("fr", "Des obus de mortier sont tombés sur le quartier de Midane.", "Shelling/artillery/missile attack"),
    ("fr", "Un kamikaze s'est fait exploser devant un commissariat.", "Suicide bomb"),
    ("fr", "Un véhicule militaire a sauté sur une mine près de Douentza.", "Remote explosive/landmine/IED"),
    ("fr", "Une bombe artisanale a explosé au passage d'une patrouille.", "Remote explosive/landmine/IED"),
    ("fr", "Un homme a lancé une grenade sur un bar de Bujumbura.", "Grenade"),
    ("fr", "Des combats ont opposé l'armée aux rebelles près de l'aéroport.", "Armed clash"),
    ("fr", "Des affrontements ont éclaté entre soldats et insurgés à Tombouctou.", "Armed clash"),
    ("fr", "L'armée a repris le contrôle du quartier de Khaldiyé.", "territory"),
    ("fr", "Les rebelles se sont emparés de la ville de Raqqa.", "territory"),
    ("fr", "Des hommes armés ont attaqué le village de Kibabi.", "attack"),
    ("fr", "Des hommes armés ont massacré des villageois à Kibabi.", "Attack"),
    ("fr", "Des hommes armés ont enlevé trois employés d'une ONG.", "Abduction/forced disappearance"),
    ("fr", "Des milliers de personnes ont manifesté vendredi à Hama.", "Peaceful protest"),
    ("fr", "La police a dispersé les manifestants à coups de gaz lacrymogènes.", "Protest with intervention"),
    ("fr", "Les forces de sécurité ont tiré sur les manifestants, faisant dix morts.", "Excessive force against protesters"),
    ("fr", "La police a arrêté une vingtaine de militants de l'opposition.", "arrest"),
    ("fr", "Le gouvernement et les rebelles ont signé un accord de cessez-le-feu.", "Agreement"),
    ("fr", "Des rebelles ont pillé plusieurs boutiques du marché.", "Looting/property destruction"),
    ("fr", "Les rebelles se sont retirés de Goma samedi.", "withdrawal"),
    ("fr", "L'armée a achevé son retrait de la ville.", "withdrawal"),
    ("fr", "Des émeutiers ont caillassé la police.", "Violent demonstration"),
    ("fr", "Une foule en colère a lynché un voleur présumé.", "Mob violence"),
    ("fr", "Les démineurs ont désamorcé une bombe près du marché.", "Disrupted weapons use"),
    ("fr", "Les forces de sécurité ont découvert un charnier près de Bunia.", "Other"),
    ("fr", "Des miliciens ont violé plusieurs femmes dans le village.", "Sexual violence"),
    ("fr", "Le régime a mené une attaque à l'arme chimique sur la Ghouta.", "Chemical weapon"),
    ("en", "Warplanes carried out air strikes on the town of Douma.", "Air/drone strike"),
    ("en", "A drone strike hit a car near Azzan.", "Air/drone strike"),
    ("en", "Government forces shelled the Khaldiyeh district.", "Shelling/artillery/missile attack"),
    ("en", "A suicide bomber blew himself up outside a restaurant.", "Suicide bomb"),
    ("en", "A roadside bomb exploded as a patrol passed.", "Remote explosive/landmine/IED"),
    ("en", "A man threw a grenade into a bar in Kismayo.", "Grenade"),
    ("en", "Troops clashed with rebels near the airport.", "Armed clash"),
    ("en", "Government forces recaptured the town of Qusayr.", "territory"),
    ("en", "Rebels seized control of the town of Fallujah.", "territory"),
    ("en", "Gunmen attacked a checkpoint in Kidal.", "attack"),
    ("en", "Gunmen massacred villagers in Izghe.", "Attack"),
    ("en", "Gunmen abducted a German aid worker in Sanaa.", "Abduction/forced disappearance"),
    ("en", "Thousands of protesters marched peacefully in Hama.", "Peaceful protest"),
    ("en", "Police fired tear gas to disperse the protesters.", "Protest with intervention"),
    ("en", "Police arrested 20 opposition activists.", "arrest"),
    ("en", "The government and the rebels signed a ceasefire agreement.", "Agreement"),
    ("en", "Rebels looted shops in the market.", "Looting/property destruction"),
    ("en", "The rebels withdrew from Goma on Saturday.", "withdrawal"),
    ("en", "Rioters threw stones at police.", "Violent demonstration"),
    ("en", "An angry mob lynched a suspected thief.", "Mob violence"),
    ("en", "Bomb disposal experts defused a bomb near the market.", "Disrupted weapons use"),
    ("en", "Police found a mass grave near Bunia.", "Other"),
    ("en", "Militiamen raped several women in the village.", "Sexual violence"),
]


@pytest.mark.parametrize(("language", "text", "family"), FAMILIES)
def test_every_family_is_detected(triggers, language, text, family) -> None:
    found = triggers(language, text)
    assert family in {t.sub_event_type for t in found if t.modality == "asserted"}, [
        (t.span.text, t.sub_event_type, t.modality) for t in found]


def test_event_types_filled_for_acled_types(triggers) -> None:
    for trigger in triggers("en", "A roadside bomb exploded as a patrol passed."):
        assert trigger.event_type == "Explosions/Remote violence"


@pytest.mark.parametrize(("language", "text", "modality"), [
    ("fr", "Les rebelles n'ont pas attaqué la ville.", "negated"),
    ("fr", "Les rebelles n'ont jamais bombardé le quartier.", "negated"),
    ("en", "The rebels did not attack the town.", "negated"),
    ("en", "The army never shelled the district.", "negated"),
    ("en", "Government forces didn't attack the town.", "negated"),
    ("fr", "Les rebelles vont attaquer la ville.", "future"),
    ("fr", "Les rebelles attaqueront la ville.", "future"),
    ("fr", "Les miliciens bombarderont le quartier dès demain.", "future"),  # a future the tagger may read as present
    ("fr", "Selon l'état-major, les rebelles attaqueront Goma.", "future"),
    ("en", "The rebels will attack the town.", "future"),
    ("en", "The rebels are going to attack the town.", "future"),
    ("fr", "Les rebelles menacent d'attaquer la ville.", "threat"),
    ("fr", "Les islamistes ont menacé de multiplier les attaques.", "threat"),
    ("en", "The rebels threatened to attack the town.", "threat"),
    ("en", "Boko Haram has threatened to attack more schools.", "threat"),
    ("fr", "Si les rebelles attaquaient la ville, l'armée riposterait.", "hypothetical"),
    ("en", "The army could bomb the town.", "hypothetical"),
    ("fr", "Les soldats n'ont pas réussi à repousser les assaillants.", "negated"),
    ("en", "The army did not manage to repel the attackers.", "negated"),
    ("en", "The governor said he will disarm the militias and attack their camps.", "future"),
])
def test_modality(triggers, language, text, modality) -> None:
    found = [t for t in triggers(language, text) if t.sub_event_type in {"attack", "Shelling/artillery/missile attack", "Armed clash"}]
    assert found, "no trigger"
    assert found[0].modality == modality
    assert found[0].negated == (modality == "negated")


@pytest.mark.parametrize(("language", "text"), [
    ("fr", "Si les rebelles attaquaient la ville, l'armée riposterait."),
    ("en", "If the rebels attack the town, the army will respond."),
    ("fr", "L'armée pourrait bombarder la ville."),
    ("en", "Officials fear the rebels might attack the town."),
])
def test_conditional_and_hypothetical_not_asserted(triggers, language, text) -> None:
    assert all(t.modality != "asserted" for t in triggers(language, text))


@pytest.mark.parametrize(("language", "text"), [
    ("en", "No one was killed in the blast."),
    ("fr", "Personne n'a été tué dans l'explosion."),
])
def test_nobody_killed_is_not_an_asserted_death(triggers, language, text) -> None:
    kills = [t for t in triggers(language, text) if t.sub_event_type == "kill"]
    assert all(t.modality == "negated" for t in kills)


@pytest.mark.parametrize("text", [
    "Les soldats ont patienté jusqu'à ce que les blindés ne donnent l'assaut.",
    "L'aviation a bombardé la colline avant que les rebelles ne lancent l'offensive.",
])
def test_french_expletive_ne_is_not_negation(triggers, text) -> None:
    found = [t for t in triggers("fr", text) if t.sub_event_type == "Armed clash"]
    assert found and all(not t.negated for t in found)


@pytest.mark.parametrize(("language", "text"), [
    ("en", "Five civilians were killed, according to activists."),
    ("en", "According to the Syrian Observatory, the shelling killed four people."),
])
def test_according_to_is_not_an_agreement(triggers, language, text) -> None:
    assert "Agreement" not in {t.sub_event_type for t in triggers(language, text)}


def test_names_are_not_triggers(triggers) -> None:
    found = triggers("en", "Mine Ahmed, a spokesman, spoke to reporters in Raid Street.")
    assert not [t for t in found if t.span.text in {"Mine", "Raid"}]


@pytest.mark.parametrize("text", [
    "Les miliciens ont quitté lundi la ville de Bunia, qu'ils occupaient depuis trois mois.",
    "Les quartiers qu'occupait l'armée régulière ont été bombardés dans la nuit.",
    "Les habitants de Kidal, que les rebelles occupaient alors, ont fui vers le sud.",
])
def test_a_capture_verb_in_the_imperfect_holds_a_place_rather_than_takes_it(triggers, text) -> None:
    territory = [t for t in triggers("fr", text) if t.sub_event_type == "territory"]
    assert territory and all(t.modality == "not_an_event" for t in territory)


@pytest.mark.parametrize("text", [
    "Les insurgés se sont emparés jeudi de la ville de Bunia.",
    "Les insurgés s'étaient emparés de Bunia en mars, avant d'en être chassés.",
    "Les miliciens avaient pris le contrôle de la ville de Bunia l'an dernier.",
])
def test_a_completed_capture_stays_an_event(triggers, text) -> None:
    territory = [t for t in triggers("fr", text) if t.sub_event_type == "territory"]
    assert territory and any(t.modality == "asserted" for t in territory)


@pytest.mark.parametrize(("text", "expected"), [
    ("Hundreds of students demonstrated outside the parliament.", ["Peaceful protest"]),
    ("The government can demonstrate its goodwill by releasing prisoners.", []),
])
def test_demonstrate_with_an_object_is_to_show(triggers, text, expected) -> None:
    found = [t.sub_event_type for t in triggers("en", text) if t.event_type == "Protests" and t.modality == "asserted"]
    assert found == expected


def test_a_unit_named_after_what_it_stops_is_not_that_event(triggers) -> None:
    assert [t.sub_event_type for t in triggers("en", "Anti-riot police officers guarded the parliament.")] == []
    assert "Violent demonstration" in {t.sub_event_type for t in triggers("en", "A riot broke out in the market.")}


@pytest.mark.parametrize(("language", "text"), [
    ("fr", "Les rebelles se sont retirés vendredi de Kibumba, après avoir occupé cette localité depuis plusieurs mois."),
    ("en", "The rebels left Kibumba on Friday, a town they had controlled since March."),
])
def test_a_capture_verb_with_a_starting_point_tells_a_holding(triggers, language, text) -> None:
    assert not [t for t in triggers(language, text) if t.sub_event_type == "territory" and t.modality == "asserted"]
