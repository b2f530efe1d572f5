"""Dates: relative expressions resolved against the publication date, with ACLED precision."""

from __future__ import annotations

import datetime as dt

import pytest

from khaldun.extract.dates import DateFinder, coded_day
from khaldun.resources import load_yaml


@pytest.fixture(scope="module")
def finders() -> dict[str, DateFinder]:
    return {lang: DateFinder(language=lang, lexicon=load_yaml("lexicons", f"{lang}.yaml")) for lang in ("fr", "en")}


def one(finders, language: str, text: str, published: str):
    found = finders[language](text, dt.date.fromisoformat(published))
    assert len(found) == 1, [(m.span.text, m.value) for m in found]
    return found[0]


# (language, publication date (weekday), sentence, span text, value, start, end, precision)
CASES = [
    # weekdays: the latest such day on or before publication, the same day included
    ("fr", "2013-07-29", "Des combats ont eu lieu samedi à Alep.", "samedi", "2013-07-27", "2013-07-27", "2013-07-27", 1),
    ("fr", "2013-07-29", "Des combats ont eu lieu lundi à Alep.", "lundi", "2013-07-29", "2013-07-29", "2013-07-29", 1),
    ("fr", "2013-07-29", "Des combats ont eu lieu mardi à Alep.", "mardi", "2013-07-23", "2013-07-23", "2013-07-23", 1),
    ("fr", "2013-07-29", "Des combats ont eu lieu lundi dernier à Alep.", "lundi dernier", "2013-07-22", "2013-07-22",
     "2013-07-22", 1),
    ("en", "2013-09-09", "The bomb went off on Saturday.", "Saturday", "2013-09-07", "2013-09-07", "2013-09-07", 1),
    ("en", "2013-09-09", "The bomb went off on Monday.", "Monday", "2013-09-09", "2013-09-09", "2013-09-09", 1),
    ("en", "2013-09-09", "The bomb went off on Sunday.", "Sunday", "2013-09-08", "2013-09-08", "2013-09-08", 1),
    # today / yesterday
    ("fr", "2013-07-29", "Un obus est tombé ce matin sur Homs.", "ce matin", "2013-07-29TMO", "2013-07-29", "2013-07-29", 1),
    ("fr", "2013-07-29", "Un obus est tombé hier sur Homs.", "hier", "2013-07-28", "2013-07-28", "2013-07-28", 1),
    ("en", "2013-09-09", "A shell hit the market this morning.", "this morning", "2013-09-09TMO", "2013-09-09", "2013-09-09", 1),
    ("en", "2013-09-09", "A shell hit the market yesterday.", "yesterday", "2013-09-08", "2013-09-08", "2013-09-08", 1),
    # absolute days
    ("fr", "2013-07-29", "Un obus est tombé dimanche 28 juillet sur Homs.", "dimanche 28 juillet", "2013-07-28",
     "2013-07-28", "2013-07-28", 1),
    ("fr", "2013-07-29", "L'attaque du 26 janvier dernier a fait dix morts.", "26 janvier dernier", "2013-01-26",
     "2013-01-26", "2013-01-26", 1),
    ("fr", "2013-07-29", "Le 1er juillet, des combats ont éclaté.", "Le 1er juillet", "2013-07-01", "2013-07-01", "2013-07-01", 1),
    ("en", "2014-01-04", "Police said the attack took place on December 30 in Ramadi.", "December 30", "2013-12-30",
     "2013-12-30", "2013-12-30", 1),
    ("en", "2013-08-09", "The picture was taken on Tuesday, Aug. 6, 2013 in Sanaa.", "Tuesday, Aug. 6, 2013", "2013-08-06",
     "2013-08-06", "2013-08-06", 1),
    # weeks
    ("fr", "2013-07-31", "Des combats ont eu lieu en début de semaine.", "début de semaine", "2013-W31", "2013-07-29",
     "2013-07-31", 2),
    # a Monday paper's "en début de semaine" is the start of the week before
    ("fr", "2013-07-29", "Des combats ont eu lieu en début de semaine.", "début de semaine", "2013-W30", "2013-07-22",
     "2013-07-24", 2),
    ("fr", "2013-07-29", "Des combats ont eu lieu la semaine dernière.", "la semaine dernière", "2013-W30", "2013-07-22",
     "2013-07-28", 2),
    ("en", "2013-09-12", "Fighting broke out last week near Afgoye.", "last week", "2013-W36", "2013-09-02", "2013-09-08", 2),
    ("en", "2013-08-09", "Earlier this week, gunmen abducted an aid worker.", "Earlier this week", "2013-W32", "2013-08-05",
     "2013-08-07", 2),
    # months
    ("fr", "2013-07-29", "Les rebelles ont pris la ville en mars 2012.", "mars 2012", "2012-03", "2012-03-01",
     "2012-03-31", 3),
    ("en", "2013-09-09", "Troops drove the militants out in August 2011.", "August 2011", "2011-08", "2011-08-01",
     "2011-08-31", 3),
    # year rollover: a December date in a January report is last year's
    ("fr", "2014-01-03", "Les rebelles ont attaqué le 28 décembre près de Goma.", "le 28 décembre", "2013-12-28", "2013-12-28",
     "2013-12-28", 1),
    ("fr", "2014-01-03", "Les rebelles ont attaqué en décembre.", "décembre", "2013-12", "2013-12-01", "2013-12-31", 3),
    ("en", "2014-01-04", "The camp was set up on 30 December by protesters.", "30 December", "2013-12-30", "2013-12-30",
     "2013-12-30", 1),
    ("en", "2014-01-04", "Rebels took the town in December.", "December", "2013-12", "2013-12-01", "2013-12-31", 3),
    # ago
    ("en", "2013-09-09", "Rebels took the town three days ago.", "three days ago", "2013-09-06", "2013-09-06", "2013-09-06", 1),
    ("fr", "2013-07-29", "Il y a trois jours, des combats ont eu lieu.", "Il y a trois jours", "2013-07-26", "2013-07-26",
     "2013-07-26", 1),
]


@pytest.mark.parametrize(("language", "published", "text", "span", "value", "start", "end", "precision"), CASES)
def test_resolved_dates(finders, language, published, text, span, value, start, end, precision) -> None:
    mention = one(finders, language, text, published)
    assert mention.span.text == span
    assert text[mention.span.start:mention.span.end] == span
    assert (mention.value, mention.start.isoformat(), mention.end.isoformat(), mention.precision) == (
        value, start, end, precision)


def test_a_month_ago_is_month_precision(finders) -> None:
    mention = one(finders, "fr", "L'offensive a été lancée il y a un mois avec l'appui du Hezbollah.", "2013-07-29")
    assert mention.span.text == "il y a un mois"
    assert mention.precision == 3
    assert mention.start.month == 6 and mention.start.year == 2013
    assert mention.duration == "P1M"


def test_since_six_months_is_a_period_ending_at_publication(finders) -> None:
    mention = one(finders, "fr", "La vieille ville est assiégée depuis six mois.", "2013-07-29")
    assert mention.span.text == "six mois"
    assert mention.timex_type == "DURATION"
    assert mention.since is True
    assert mention.duration == "P6M"
    assert mention.end == dt.date(2013, 7, 29)
    assert mention.value == f"{mention.start.isoformat()}/2013-07-29"
    assert dt.date(2013, 1, 25) <= mention.start <= dt.date(2013, 1, 31)
    assert mention.precision == 3


def test_for_six_months_in_english_is_since(finders) -> None:
    mention = one(finders, "en", "The old city has been under siege for six months.", "2013-08-09")
    assert mention.since is True and mention.duration == "P6M"


def test_in_the_last_month_is_a_recent_period(finders) -> None:
    mention = one(finders, "en", "Dozens of people were killed in the last month.", "2013-09-09")
    assert mention.kind == "period"
    assert mention.end == dt.date(2013, 9, 9)
    assert mention.start == dt.date(2013, 8, 10)
    assert mention.precision == 3


def test_year_alone(finders) -> None:
    mention = one(finders, "en", "The group was founded in 2012 in Gao.", "2013-08-09")
    assert (mention.kind, mention.value, mention.precision) == ("year", "2012", 3)


def test_future_year_is_a_date_but_never_an_event_date(finders) -> None:
    text = "Le président restera au pouvoir jusqu'en 2016."
    found = finders["fr"](text, dt.date(2013, 1, 12))
    assert [(m.span.text, m.value, m.tense) for m in found] == [("2016", "2016", "future")]
    assert finders["fr"].event_dates(found, text, dt.date(2013, 1, 12)) == []


def test_anaphoric_day_follows_the_previous_date(finders) -> None:
    found = finders["fr"]("Un kamikaze s'est fait exploser vendredi à Gao. La veille, quatre civils avaient été tués.",
                          dt.date(2013, 2, 11))
    assert [(m.span.text, m.value) for m in found] == [("vendredi", "2013-02-08"), ("La veille", "2013-02-07")]


@pytest.mark.parametrize(("language", "text", "published", "value"), [
    ("en", "The uprising began in mid-March with protests in Daraa.", "2011-07-02", "2011-03"),
    ("fr", "Le soulèvement a commencé à la mi-mars à Deraa.", "2011-07-02", "2011-03"),
])
def test_mid_month(finders, language, text, published, value) -> None:
    mention = one(finders, language, text, published)
    assert mention.value == value and mention.precision == 3


def test_date_spans_do_not_swallow_the_full_stop(finders) -> None:
    text = "Les rebelles ont attaqué le 28 décembre."
    mention = one(finders, "fr", text, "2014-01-03")
    assert mention.span.text == "le 28 décembre"
    text = "The camp was cleared on 30 December."
    mention = one(finders, "en", text, "2014-01-04")
    assert mention.span.text == "30 December"


def test_several_dates_in_order(finders) -> None:
    text = "Samedi, un raid a tué cinq civils ; hier, des combats ont éclaté ; en juillet 2012, les rebelles étaient entrés."
    found = finders["fr"](text, dt.date(2013, 7, 29))
    assert [m.value for m in found] == ["2013-07-27", "2013-07-28", "2012-07"]


def test_event_dates_never_after_publication(finders) -> None:
    text = "Vendredi 2 août, des combats ; samedi ; le 30 juillet."
    published = dt.date(2013, 7, 29)
    events = finders["fr"].event_dates(finders["fr"](text, published), text, published)
    assert [m.value for m in events] == ["2012-08-02", "2013-07-27", "2012-07-30"]
    assert all(m.end <= published for m in events)


def test_coded_day_mid_month_and_week_start(finders) -> None:
    month = one(finders, "fr", "Les rebelles ont pris la ville en mars 2012.", "2013-07-29")
    assert coded_day(month) == dt.date(2012, 3, 15)
    week = one(finders, "fr", "Des combats ont eu lieu la semaine dernière.", "2013-07-29")
    assert coded_day(week) == dt.date(2013, 7, 22)


# --- the temporal tagger: TimeML types, values and spans, in both languages -----------------
# Publication dates: 2014-03-12 is a Wednesday, 2014-03-10 a Monday.

# (language, publication date, sentence, span, TimeML type, value)
TIMEX = [
    # the tense of the clause: a reported act looks back, a future or planned one forward
    ("fr", "2014-03-12", "Le sommet se tiendra samedi à Bamako.", "samedi", "DATE", "2014-03-15"),
    ("fr", "2014-03-12", "Les rebelles ont attaqué samedi un poste de l'armée.", "samedi", "DATE", "2014-03-08"),
    ("fr", "2014-03-12", "Les négociations reprendront le 2 avril à Alger.", "le 2 avril", "DATE", "2014-04-02"),
    ("fr", "2014-03-12", "Les négociations avaient repris le 2 avril à Alger.", "le 2 avril", "DATE", "2013-04-02"),
    ("fr", "2014-03-12", "Une conférence des donateurs est prévue le 16 avril.", "le 16 avril", "DATE", "2014-04-16"),
    ("fr", "2014-03-12", "Le président doit se rendre à Gao en juin.", "juin", "DATE", "2014-06"),
    ("fr", "2014-03-12", "Le village a été repris par l'armée en juin.", "juin", "DATE", "2013-06"),
    ("fr", "2014-03-12", "Le ministre va visiter les camps mardi prochain.", "mardi prochain", "DATE", "2014-03-18"),
    ("fr", "2014-03-12", "La réunion aura lieu jeudi 20 à la mairie.", "jeudi 20", "DATE", "2014-03-20"),
    ("fr", "2014-03-12", "Le marché a été pillé samedi 1er, selon les commerçants.", "samedi 1er", "DATE", "2014-03-01"),
    ("fr", "2014-03-12", "Le concert commence samedi 18 h.", "samedi", "DATE", "2014-03-15"),
    # a weekday named with its date picks the year that puts that day on that weekday
    ("fr", "2014-03-12", "La marche, jeudi 20 mars, partira de la place centrale.", "jeudi 20 mars", "DATE", "2014-03-20"),
    ("fr", "2014-03-12", "La commission se réunit le 14 mars 2013.", "le 14 mars 2013", "DATE", "2013-03-14"),
    ("fr", "2014-03-12", "Les élections auront lieu les 6 et 13 avril prochains.", "13 avril prochains", "DATE", "2014-04-13"),
    ("fr", "2014-03-12", "Les élections auront lieu les 6 et 13 avril prochains.", "les 6", "DATE", "2014-04-06"),
    ("fr", "2014-03-12", "L'accord a été signé le 10 novembre 93, à Genève.", "le 10 novembre 93", "DATE", "1993-11-10"),
    # years: bare, with "l'année", relative; a relative year is a year, not a month
    ("fr", "2014-03-12", "Les troupes étaient arrivées en 1998 dans la région.", "1998", "DATE", "1998"),
    ("fr", "2014-03-12", "Le retrait est prévu pour l'année 2016.", "l'année 2016", "DATE", "2016"),
    ("fr", "2014-03-12", "Les pertes ont doublé par rapport à l'an dernier.", "l'an dernier", "DATE", "2013"),
    ("fr", "2014-03-12", "Les casques bleus partiront l'an prochain.", "l'an prochain", "DATE", "2015"),
    ("fr", "2014-03-12", "Trois attentats ont frappé la capitale cette année.", "cette année", "DATE", "2014"),
    ("fr", "2014-03-12", "La route a été rouverte à la fin de l'année dernière.", "la fin de l'année dernière", "DATE", "2013"),
    ("fr", "2014-03-12", "Le camp a fermé début février.", "début février", "DATE", "2014-02"),
    ("fr", "2014-03-12", "Le cessez-le-feu date de la mi-janvier.", "la mi-janvier", "DATE", "2014-01"),
    ("fr", "2014-03-12", "Les combats ont repris en octobre 98, puis cessé.", "octobre 98", "DATE", "1998-10"),
    # relative days and weeks
    ("fr", "2014-03-12", "Le corps sera rapatrié demain.", "demain", "DATE", "2014-03-13"),
    ("fr", "2014-03-12", "Le verdict est attendu après-demain.", "après-demain", "DATE", "2014-03-14"),
    ("fr", "2014-03-12", "Le porte-parole s'exprimera aujourd'hui mercredi.", "aujourd'hui mercredi", "DATE", "2014-03-12"),
    ("fr", "2014-03-12", "Le scrutin se tiendra la semaine prochaine.", "la semaine prochaine", "DATE", "2014-W12"),
    ("fr", "2014-03-12", "Les électeurs voteront ce week-end.", "ce week-end", "DATE", "2014-W11-WE"),
    ("fr", "2014-03-10", "Des affrontements ont eu lieu ce week-end.", "ce week-end", "DATE", "2014-W10-WE"),
    ("fr", "2014-03-12", "Les secours arriveront dans deux semaines.", "dans deux semaines", "DATE", "2014-W13"),
    # seasons, decades, centuries, holidays
    ("fr", "2014-03-12", "La saison des pluies a commencé l'été dernier.", "l'été dernier", "DATE", "2013-SU"),
    ("fr", "2014-03-12", "Une offensive est attendue cet été.", "cet été", "DATE", "2014-SU"),
    ("fr", "2014-03-12", "Les pistes ont été coupées au printemps 2012.", "printemps 2012", "DATE", "2012-SP"),
    ("fr", "2014-03-12", "Le pays a connu la guerre civile dans les années 90.", "les années 90", "DATE", "199"),
    ("fr", "2014-03-12", "La forteresse date du XIXe siècle.", "XIXe siècle", "DATE", "18"),
    ("fr", "2014-03-12", "Les soldats rentreront chez eux à Noël.", "Noël", "DATE", "2014-12-25"),
    ("fr", "2014-05-10", "Les combats ont repris à Pâques.", "Pâques", "DATE", "2014-04-20"),
    # times of day and clock times: the day the narrative is at
    ("fr", "2014-03-12", "Un obus est tombé hier soir sur le marché.", "hier soir", "TIME", "2014-03-11TEV"),
    ("fr", "2014-03-12", "Une fillette a été blessée mardi soir à Gao.", "mardi soir", "TIME", "2014-03-11TEV"),
    ("fr", "2014-03-12", "Hier à 10 h, les manifestants ont bloqué la route.", "Hier à 10 h", "TIME", "2014-03-11T10:00"),
    ("fr", "2014-03-12", "Samedi, les tirs ont commencé vers 23 h 30.", "23 h 30", "TIME", "2014-03-08T23:30"),
    ("fr", "2014-03-12", "Le convoi est parti à 18 heures.", "18 heures", "TIME", "2014-03-12T18:00"),
    ("fr", "2014-03-12", "Le couvre-feu commence ce soir.", "ce soir", "TIME", "2014-03-12TEV"),
    ("fr", "2014-03-12", "Dimanche, des coups de feu ont éclaté. La nuit, le calme est revenu.", "La nuit", "TIME",
     "2014-03-09TNI"),
    # durations: the preposition stays out; vague counts are X
    ("fr", "2014-03-12", "La ville est sous blocus depuis deux ans.", "deux ans", "DURATION", "P2Y"),
    ("fr", "2014-03-12", "Les combats ont duré pendant trois jours.", "trois jours", "DURATION", "P3D"),
    ("fr", "2014-03-12", "L'assaut a duré environ une heure.", "environ une heure", "DURATION", "PT1H"),
    ("fr", "2014-03-12", "Le siège a duré plusieurs semaines.", "plusieurs semaines", "DURATION", "PXW"),
    ("fr", "2014-03-12", "Ces derniers jours, les routes ont été coupées.", "Ces derniers jours", "DURATION", "PXD"),
    ("fr", "2014-03-12", "La mission est en place depuis un quart de siècle.", "un quart de siècle", "DURATION", "P25Y"),
    ("fr", "2014-03-12", "Le chef rebelle a purgé dix-huit mois de prison.", "dix-huit mois", "DURATION", "P18M"),
    ("fr", "2014-03-12", "Le conflit a fait rage une quinzaine de jours.", "une quinzaine de jours", "DURATION", "P15D"),
    ("fr", "2014-03-12", "Au cours des dix dernières années, la ville a changé.", "dix dernières années", "DURATION",
     "P10Y"),
    ("fr", "2014-03-12", "Dans la nuit de samedi à dimanche, des tirs ont été entendus.", "la nuit de samedi à dimanche",
     "TIME", "2014-03-08TNI"),
    ("fr", "2014-03-12", "L'accord du 12/03/2003 a été dénoncé.", "12/03/2003", "DATE", "2003-03-12"),
    # sets
    ("fr", "2014-03-12", "Les familles manifestent chaque vendredi.", "chaque vendredi", "SET", "XXXX-WXX-5"),
    ("fr", "2014-03-12", "Les patrouilles passent tous les jours.", "tous les jours", "SET", "P1D"),
    ("fr", "2014-03-12", "Le marché se tient le mercredi.", "le mercredi", "SET", "XXXX-WXX-3"),
    ("fr", "2014-03-12", "Des convois partent deux fois par semaine.", "par semaine", "SET", "P1W"),
    ("fr", "2014-03-12", "Les patrouilles quotidiennes ont repris.", "quotidiennes", "SET", "P1D"),
    ("fr", "2014-03-12", "Actuellement, la route est fermée.", "Actuellement", "DATE", "PRESENT_REF"),
    # English
    ("en", "2014-03-12", "The talks will resume on Monday in Geneva.", "Monday", "DATE", "2014-03-17"),
    ("en", "2014-03-12", "Rebels attacked the base on Monday.", "Monday", "DATE", "2014-03-10"),
    ("en", "2014-03-12", "The vote is scheduled for April 2.", "April 2", "DATE", "2014-04-02"),
    ("en", "2014-03-12", "Fighting broke out on April 2 near the border.", "April 2", "DATE", "2013-04-02"),
    ("en", "2014-03-12", "The march, on Friday, March 21, will start at the stadium.", "Friday, March 21", "DATE", "2014-03-21"),
    ("en", "2014-03-12", "The ceasefire was signed on the 5th of May 2012.", "the 5th of May 2012", "DATE", "2012-05-05"),
    ("en", "2014-03-12", "Gunmen struck on Oct 7 in the north.", "Oct 7", "DATE", "2013-10-07"),
    ("en", "2014-03-12", "The minister will travel to Gao next Tuesday.", "next Tuesday", "DATE", "2014-03-18"),
    ("en", "2014-03-12", "The militia was formed in 1998 in the east.", "1998", "DATE", "1998"),
    ("en", "2014-03-12", "Casualties doubled compared with last year.", "last year", "DATE", "2013"),
    ("en", "2014-03-12", "Peacekeepers will leave next year.", "next year", "DATE", "2015"),
    ("en", "2014-03-12", "The camp closed in early February.", "early February", "DATE", "2014-02"),
    ("en", "2014-03-12", "The convoy left in May.", "May", "DATE", "2013-05"),
    ("en", "2014-03-12", "The body will be flown home tomorrow.", "tomorrow", "DATE", "2014-03-13"),
    ("en", "2014-03-12", "Voting will take place next week.", "next week", "DATE", "2014-W12"),
    ("en", "2014-03-10", "Clashes were reported over the weekend.", "the weekend", "DATE", "2014-W10-WE"),
    ("en", "2014-03-12", "Roads were cut last summer.", "last summer", "DATE", "2013-SU"),
    ("en", "2014-03-12", "The country went through civil war in the 1990s.", "the 1990s", "DATE", "199"),
    ("en", "2014-03-12", "The fort dates from the 19th century.", "the 19th century", "DATE", "18"),
    ("en", "2014-03-12", "The troops will be home for Christmas.", "Christmas", "DATE", "2014-12-25"),
    ("en", "2014-03-12", "Rebels took the town three days ago.", "three days ago", "DATE", "2014-03-09"),
    ("en", "2014-03-12", "A shell hit the market last night.", "last night", "TIME", "2014-03-11TNI"),
    ("en", "2014-03-12", "A girl was wounded on Tuesday evening.", "Tuesday evening", "TIME", "2014-03-11TEV"),
    ("en", "2014-03-12", "Protesters blocked the road yesterday at 10 a.m.", "yesterday at 10 a.m.", "TIME",
     "2014-03-11T10:00"),
    ("en", "2014-03-12", "On Saturday, shooting started at 11:30 p.m.", "11:30 p.m.", "TIME", "2014-03-08T23:30"),
    ("en", "2014-03-12", "The curfew starts tonight.", "tonight", "TIME", "2014-03-12TNI"),
    ("en", "2014-03-12", "The town has been under siege for two years.", "two years", "DURATION", "P2Y"),
    ("en", "2014-03-12", "The assault lasted about two hours.", "about two hours", "DURATION", "PT2H"),
    ("en", "2014-03-12", "The siege lasted several weeks.", "several weeks", "DURATION", "PXW"),
    ("en", "2014-03-12", "The talks lasted a fortnight.", "a fortnight", "DURATION", "P2W"),
    ("en", "2014-03-12", "Roads have been cut in recent days.", "recent days", "DURATION", "PXD"),
    ("en", "2014-03-12", "Over the past three days, at least 20 people died.", "the past three days", "DURATION", "P3D"),
    ("en", "2014-03-12", "Families protest every Friday.", "every Friday", "SET", "XXXX-WXX-5"),
    ("en", "2014-03-12", "Families protest on Fridays.", "Fridays", "SET", "XXXX-WXX-5"),
    ("en", "2014-03-12", "Convoys leave twice a week.", "a week", "SET", "P1W"),
    ("en", "2014-03-12", "Daily patrols resumed.", "Daily", "SET", "P1D"),
    ("en", "2014-03-12", "The road is currently closed.", "currently", "DATE", "PRESENT_REF"),
]


def timex_of(finders, language: str, text: str, published: str, span: str):
    found = finders[language](text, dt.date.fromisoformat(published))
    match = [m for m in found if m.span.text == span]
    assert match, [(m.span.text, m.value) for m in found]
    assert text[match[0].span.start:match[0].span.end] == span
    return match[0]


@pytest.mark.parametrize(("language", "published", "text", "span", "timex_type", "value"), TIMEX)
def test_timex(finders, language, published, text, span, timex_type, value) -> None:
    mention = timex_of(finders, language, text, published, span)
    shown = mention.duration if timex_type == "DURATION" else mention.value
    assert (mention.timex_type, shown) == (timex_type, value)


@pytest.mark.parametrize(("language", "text"), [
    ("fr", "2000 personnes ont fui les combats."),                # a count, not a year
    ("fr", "Un garçon de 12 ans a été blessé."),                  # an age, not a duration
    ("fr", "Ahmed Diallo, 34 ans, a été arrêté."),
    ("fr", "Noël Kaboré a été nommé ministre."),
    ("fr", "Un chauffeur de 38 ans a été agressé."),
    ("fr", "Agé de 54 ans, il a été libéré."),
    ("fr", "Une femme d'une trentaine d'années a été blessée."),                  # a name, not Christmas
    ("fr", "Le quotidien Le Pays a publié la liste."),            # a newspaper, not a repetition
    ("fr", "Il a été blessé et évacué vers Gao."),                # "été" is a participle
    ("fr", "Un jour, la paix reviendra."),                        # "some day"
    ("fr", "Les Jeux d'hiver ont été annulés."),
    ("en", "A 12-year-old boy was wounded."),
    ("en", "The victim, aged 34, was shot."),
    ("en", "She may come back with 2000 troops."),
    ("en", "The daily Al-Ayam reported the attack."),
    ("en", "The march on the capital was stopped."),
    ("en", "A second attack hit the convoy."),
])
def test_not_temporal(finders, language, text) -> None:
    assert finders[language](text, dt.date(2014, 3, 12)) == []


def test_month_abbreviation_keeps_its_full_stop_and_a_month_the_sentence_s(finders) -> None:
    mention = timex_of(finders, "fr", "Le convoi est arrivé le 3 janv. à Gao.", "2014-03-12", "le 3 janv.")
    assert mention.value == "2014-01-03"
    mention = timex_of(finders, "fr", "Les combats ont repris en mai.", "2014-03-12", "mai")
    assert mention.value == "2013-05"


def test_since_and_durations_are_marked(finders) -> None:
    mention = timex_of(finders, "fr", "La ville est sous blocus depuis deux ans.", "2014-03-12", "deux ans")
    assert mention.since and mention.kind == "duration"
    assert mention.value == f"{mention.start.isoformat()}/2014-03-12"
    mention = timex_of(finders, "en", "The vote is scheduled for Sunday.", "2014-03-12", "Sunday")
    assert not mention.since  # "for" before a day is no stretch
    mention = timex_of(finders, "en", "Talks will go on for the next two weeks.", "2014-03-12", "the next two weeks")
    assert not mention.since and mention.start == dt.date(2014, 3, 12)  # a stretch ahead is not ongoing
    mention = timex_of(finders, "fr", "Il a purgé une peine de trois ans.", "2014-03-12", "trois ans")
    assert mention.duration == "P3Y"  # a count in words after "de" stays a duration


# --- event dates: ACLED's reading ----------------------------------------------------------

def event_dates(finders, language: str, text: str, published: str) -> list[tuple[str, str, int]]:
    day = dt.date.fromisoformat(published)
    finder = finders[language]
    return [(m.span.text, m.value, m.precision) for m in finder.event_dates(finder(text, day), text, day)]


def test_a_planned_act_has_no_event_date(finders) -> None:
    assert event_dates(finders, "fr", "Les négociations reprendront le 2 avril à Alger.", "2014-03-12") == []
    assert event_dates(finders, "en", "The talks will resume on Monday in Geneva.", "2014-03-12") == []


def test_a_present_tense_report_looks_back_for_its_event_date(finders) -> None:
    text = "Les rebelles attaquent jeudi la caserne."
    day = dt.date(2014, 3, 12)
    assert finders["fr"](text, day)[0].value == "2014-03-13"  # the nearest Thursday, for the tagger
    assert event_dates(finders, "fr", text, "2014-03-12") == [("jeudi", "2014-03-06", 1)]


def test_event_dates_skip_durations_and_sets_but_keep_since_and_times(finders) -> None:
    assert event_dates(finders, "fr", "Les combats ont duré trois jours.", "2014-03-12") == []
    assert event_dates(finders, "fr", "Les familles manifestent chaque vendredi.", "2014-03-12") == []
    since = event_dates(finders, "fr", "La ville est assiégée depuis six mois.", "2014-03-12")
    assert len(since) == 1 and since[0][2] == 3
    assert event_dates(finders, "fr", "Un obus est tombé hier soir sur le marché.", "2014-03-12") == [
        ("hier soir", "2014-03-11TEV", 1)]


def test_a_night_from_one_day_to_the_next_offers_both_days_as_event_dates(finders) -> None:
    text = "Dans la nuit de samedi à dimanche, des rebelles ont attaqué le camp."
    assert event_dates(finders, "fr", text, "2014-03-12") == [("samedi", "2014-03-08", 1), ("dimanche", "2014-03-09", 1)]


def test_a_time_that_points_back_to_the_narrative_day_is_no_event_date_of_its_own(finders) -> None:
    text = "Mardi, des tirs ont été entendus. En fin de matinée, un obus est tombé sur le marché. À 18 h, le calme."
    found = finders["fr"](text, dt.date(2014, 3, 12))
    assert [m.value for m in found] == ["2014-03-11", "2014-03-11TMO", "2014-03-11T18:00"]  # the narrative's day
    assert [v for _, v, _ in event_dates(finders, "fr", text, "2014-03-12")] == ["2014-03-11"]


def test_a_relative_year_is_coded_as_a_year(finders) -> None:
    mention = timex_of(finders, "en", "Casualties doubled compared with last year.", "2014-03-12", "last year")
    assert (mention.kind, mention.precision, coded_day(mention)) == ("year", 3, dt.date(2013, 7, 1))


# --- lengths of multi-year units and numbers beyond the calendar ------------------------------

@pytest.mark.parametrize("language,text,expected", [
    ("en", "The dam was finished a decade ago.", "2004"),
    ("en", "Two centuries later, the mill burned.", "2214"),
    ("fr", "Le pont a été bâti il y a un siècle.", "1914"),
])
def test_a_unit_of_several_years_lasts_its_own_length(finders, language: str, text: str, expected: str) -> None:
    found = finders[language](text, dt.date(2014, 3, 12))
    assert [m.value for m in found] == [expected]


@pytest.mark.parametrize("language,text", [
    ("en", "Ninety centuries later, the river still ran there."),
    ("en", "The tribe settled the valley 9000 years ago."),
    ("fr", "La vallée est habitée depuis 9000 ans."),
])
def test_a_shift_beyond_the_calendar_is_not_a_date(finders, language: str, text: str) -> None:
    assert finders[language](text, dt.date(2014, 3, 12)) == []
