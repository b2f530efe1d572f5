"""Find temporal expressions and resolve them against the publication date.

Weekdays mean the latest such day on or before publication; a date without a year takes
the latest year that puts it on or before publication. ``precision`` is ACLED's
time_precision: 1 a day, 2 a week or a few days, 3 a month or longer. Month-only dates
are coded mid-month, as ACLED does. Absolute day-and-month strings are parsed by
dateparser, which knows month names and abbreviations in every language we support.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from khaldun.extract.lexicon import fold
from khaldun.schema import DateMention, Span

DAY_NUMBER = r"(?P<day>[0-3]?\d)(?:er|st|nd|rd|th)?"
YEAR = r"(?P<year>(?:19|20)\d\d)"


def _alternation(words: Any) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass
class DateRules:
    """Regular expressions for one language, compiled from its lexicon's ``dates`` section."""

    language: str
    data: dict[str, Any]
    number_words: dict[str, int]

    @cached_property
    def patterns(self) -> list[tuple[str, re.Pattern[str]]]:
        d = self.data
        weekdays = _alternation(d["weekdays"])
        months = _alternation(d["months"])
        last = _alternation(d["last_words"])
        units = _alternation(d["units"])
        count = rf"(?P<count>\d+|{_alternation(self.number_words)})"
        since = _alternation(d["since"])
        ago = _alternation(d["ago"])
        flags = re.IGNORECASE
        b = r"(?<![\w-])"
        e = r"(?![\w-])"
        if self.language == "en":
            day_month = (rf"{b}(?:(?P<weekday>{weekdays}),?\s+)?(?:(?P<month>{months})\.?\s+{DAY_NUMBER}|{DAY_NUMBER.replace('day', 'day2')}\s+(?:of\s+)?(?P<month2>{months})\.?)"
                         rf"(?:,?\s+{YEAR})?{e}")
        else:
            day_month = (rf"{b}(?:(?P<weekday>{weekdays})\s+)?(?P<day>1er|[0-3]?\d)\s+(?P<month>{months})\.?(?:\s+{YEAR})?"
                         rf"(?:\s+(?:{last}))?{e}")
        ago_pattern = (rf"{b}{count}\s+(?P<unit>{units})\s+(?:{ago}){e}" if self.language == "en"
                       else rf"{b}(?:{ago})\s+(?:(?:plus|près|environ)\s+(?:de\s+|d')?)?{count}\s+(?P<unit>{units}){e}")
        return [
            ("day_month", re.compile(day_month, flags)),
            ("month_year", re.compile(rf"{b}(?:(?:{_alternation([d['year_word']])})\s+)?(?P<month>{months})\.?,?\s+{YEAR}{e}", flags)),
            ("since_period", re.compile(rf"{b}(?:{since})\s+(?:(?:plus|près|environ|the\s+past|the\s+last)\s+(?:de\s+|d')?)?{count}\s+(?P<unit>{units}){e}", flags)),
            ("ago", re.compile(ago_pattern, flags)),
            ("recent", re.compile(rf"{b}(?P<phrase>{_alternation(d['recent'])}){e}", flags)),
            ("week", re.compile(rf"{b}(?P<phrase>{_alternation(d['weeks'])}){e}", flags)),
            ("relative_month", re.compile(rf"{b}(?P<phrase>{_alternation(d['months_relative'])}){e}", flags)),
            ("relative_day", re.compile(rf"{b}(?P<phrase>{_alternation(d['days'])}){e}", flags)),
            ("anaphoric_day", re.compile(rf"{b}(?P<phrase>{_alternation(d['anaphoric_days'])}){e}", flags)),
            ("weekday", re.compile(rf"{b}(?:(?:on|ce|le|this|last)\s+)?(?P<weekday>{weekdays})(?:\s+(?P<last>{last}))?{e}", flags)),
            ("mid_month", re.compile(rf"{b}(?:(?:in|à la|a la|en)\s+)?(?:mid-|mi-|the middle of\s+|mi\s)(?P<month>{months})(?:\s+{YEAR})?{e}", flags)),
            ("month", re.compile(rf"{b}(?:(?:en|in|au mois de|last|early|late|début|fin)\s+)(?P<month>{months})(?:\s+(?P<last>{last}))?{e}", flags)),
            ("year", re.compile(rf"{b}(?:en|in)\s+{YEAR}{e}", flags)),
        ]

    @cached_property
    def since_before(self) -> re.Pattern[str]:
        return re.compile(rf"(?:{_alternation(self.data['since'])})\s*$", re.IGNORECASE)


class DateFinder:
    """Stage: a report's text and publication date -> resolved date mentions."""

    def __init__(self, *, language: str, lexicon: dict[str, Any]) -> None:
        words = {fold(k): v for k, v in lexicon["numbers"]["words"].items() if " " not in k}
        self.rules = DateRules(language, lexicon["dates"], words)
        self.language = language
        self.weekdays = {fold(k): v for k, v in lexicon["dates"]["weekdays"].items()}
        self.months = {fold(k): v for k, v in lexicon["dates"]["months"].items()}

    def __call__(self, text: str, publication: dt.date, *, start: int = 0, end: int | None = None) -> list[DateMention]:
        stop = len(text) if end is None else end
        taken: list[tuple[int, int]] = []
        found: list[DateMention] = []
        ordered = [p for p in self.rules.patterns if p[0] != "anaphoric_day"] + [p for p in self.rules.patterns if p[0] == "anaphoric_day"]
        for kind, pattern in ordered:  # "la veille" needs the dates it refers to
            for match in pattern.finditer(text, start, stop):
                if any(match.start() < b and a < match.end() for a, b in taken):
                    continue
                mention = self._resolve(kind, match, publication, found)
                if mention is None:
                    continue
                if self.rules.since_before.search(text[max(0, match.start() - 25):match.start()]):
                    mention.since = True
                taken.append((match.start(), match.end()))
                found.append(mention)
        found.sort(key=lambda m: m.span.start)
        return found

    def _span(self, match: re.Match[str]) -> Span:
        """The matched words; a final full stop is the sentence's unless the month is abbreviated."""
        end = match.end()
        month = match.groupdict().get("month") or match.groupdict().get("month2") or ""
        if match.group(0).endswith(".") and (len(month) > 4 or not month):
            end -= 1
        return Span(start=match.start(), end=end, text=match.string[match.start():end])

    def _resolve(self, kind: str, match: re.Match[str], pub: dt.date, earlier: list[DateMention]) -> DateMention | None:
        groups = match.groupdict()
        span = self._span(match)
        if kind == "day_month":
            return self._day_month(match, pub, span)
        if kind == "month_year":
            return _month_mention(span, int(groups["year"]), self.months[fold(groups["month"]).rstrip(".")])
        if kind in ("since_period", "ago"):
            days = self._count(groups["count"]) * self.rules.data["units"][fold(groups["unit"]) if fold(groups["unit"]) in self.rules.data["units"] else groups["unit"].lower()]
            begin = pub - dt.timedelta(days=days)
            precision = 1 if days < 7 else 2 if days < 28 else 3
            unit = "D" if days < 7 else "W" if days < 28 else "M" if days < 365 else "Y"
            duration = f"P{self._count(groups['count'])}{unit}"
            if kind == "ago":
                return DateMention(span=span, kind="day" if precision == 1 else "period", value=begin.isoformat(),
                                   start=begin, end=begin, precision=precision, duration=duration)
            return DateMention(span=span, kind="period", value=f"{begin.isoformat()}/{pub.isoformat()}", start=begin,
                               end=pub, precision=precision, duration=duration, since=True)
        if kind == "recent":
            days = self._lookup(self.rules.data["recent"], groups["phrase"])
            begin = pub - dt.timedelta(days=days)
            return DateMention(span=span, kind="period", value=f"{begin.isoformat()}/{pub.isoformat()}", start=begin,
                               end=pub, precision=1 if days < 2 else 2 if days < 28 else 3, duration=f"P{days}D")
        if kind == "week":
            spec = self._lookup(self.rules.data["weeks"], groups["phrase"])
            monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(weeks=spec["week"])
            first = monday + dt.timedelta(days=spec["first"])
            if first >= pub and spec["week"] == 0:  # a Monday paper's "early this week" is last week
                monday -= dt.timedelta(weeks=1)
                first = monday + dt.timedelta(days=spec["first"])
            last = min(monday + dt.timedelta(days=spec["last"]), pub)
            iso = first.isocalendar()
            return DateMention(span=span, kind="week", value=f"{iso.year}-W{iso.week:02d}", start=first, end=last, precision=2)
        if kind == "relative_month":
            offset = self._lookup(self.rules.data["months_relative"], groups["phrase"])
            year, month = divmod(pub.year * 12 + pub.month - 1 + offset, 12)
            return _month_mention(span, year, month + 1)
        if kind == "relative_day":
            offset = self._lookup(self.rules.data["days"], groups["phrase"])
            if offset is None:
                return None
            day = pub + dt.timedelta(days=offset)
            return DateMention(span=span, kind="day", value=day.isoformat(), start=day, end=day, precision=1)
        if kind == "anaphoric_day":
            days = sorted((d for d in earlier if d.precision == 1 and d.kind == "day" and d.span.start < span.start),
                          key=lambda d: d.span.start)
            reference = days[0].start if days else pub  # "la veille": the eve of the report's main event
            day = reference + dt.timedelta(days=self._lookup(self.rules.data["anaphoric_days"], groups["phrase"]))
            if day > pub:
                return None
            return DateMention(span=span, kind="day", value=day.isoformat(), start=day, end=day, precision=1)
        if kind == "weekday":
            target = self.weekdays[fold(groups["weekday"])]
            back = (pub.weekday() - target) % 7
            if groups.get("last") and back == 0:
                back = 7
            day = pub - dt.timedelta(days=back)
            return DateMention(span=span, kind="day", value=day.isoformat(), start=day, end=day, precision=1)
        if kind == "mid_month":
            month = self.months[fold(groups["month"]).rstrip(".")]
            year = int(groups["year"]) if groups.get("year") else (pub.year if month <= pub.month else pub.year - 1)
            return _month_mention(span, year, month)
        if kind == "month":
            month = self.months[fold(groups["month"]).rstrip(".")]
            year = pub.year if (month, groups.get("last")) <= (pub.month, None) and month <= pub.month else pub.year - 1
            if groups.get("last") and month == pub.month:
                year = pub.year - 1
            return _month_mention(span, year, month)
        if kind == "year":
            year = int(groups["year"])
            if year > pub.year:
                return None
            return DateMention(span=span, kind="year", value=str(year), start=dt.date(year, 1, 1),
                               end=min(dt.date(year, 12, 31), pub), precision=3)
        return None

    def _day_month(self, match: re.Match[str], pub: dt.date, span: Span) -> DateMention | None:
        import dateparser

        groups = match.groupdict()
        month_word = groups.get("month") or groups.get("month2")
        day_word = groups.get("day") or groups.get("day2") or ""
        day = 1 if day_word.lower() == "1er" else int(re.sub(r"\D", "", day_word))
        month = self.months.get(fold(month_word).rstrip("."))
        if month is None or not 1 <= day <= 31:
            return None
        if groups.get("year"):
            year = int(groups["year"])
            if day > calendar.monthrange(year, month)[1]:
                return None
            value = dt.date(year, month, day)
        else:
            parsed = dateparser.parse(f"{day} {month_word}", languages=[self.language],
                                      settings={"RELATIVE_BASE": dt.datetime(pub.year, pub.month, pub.day),
                                                "PREFER_DATES_FROM": "past"})
            if parsed is None:
                return None
            value = parsed.date()
            if value > pub:
                value = value.replace(year=value.year - 1)
        return DateMention(span=span, kind="day", value=value.isoformat(), start=value, end=value, precision=1)

    def _count(self, word: str) -> int:
        return int(word) if word.isdigit() else self.rules.number_words[fold(word)]

    @staticmethod
    def _lookup(table: dict[str, Any], phrase: str) -> Any:
        key = fold(" ".join(phrase.split()))
        for name, value in table.items():
            if fold(name) == key:
                return value
        raise KeyError(phrase)


def _month_mention(span: Span, year: int, month: int) -> DateMention:
    last = calendar.monthrange(year, month)[1]
    return DateMention(span=span, kind="month", value=f"{year}-{month:02d}", start=dt.date(year, month, 1),
                       end=dt.date(year, month, last), precision=3)


def coded_day(mention: DateMention) -> dt.date:
    """The single day ACLED codes for a mention: the day, a week's first day, mid-month."""
    if mention.kind == "month":
        return mention.start.replace(day=15)
    if mention.kind == "year":
        return dt.date(mention.start.year, 7, 1) if mention.end.year > mention.start.year or mention.end.month == 12 else mention.start
    return mention.start
