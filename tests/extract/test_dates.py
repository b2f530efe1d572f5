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
