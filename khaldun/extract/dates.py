"""A temporal tagger: TimeML dates, times, durations and sets, resolved against publication.

The patterns and the words are data, one file per language (``khaldun/data/temporal``); this
module compiles them and resolves what they match. An expression without its year or week
looks the way its clause's tense says: a reported act looks back, a future or announced act
forward, a present or verbless one takes the nearest reading (a weekday named with its date
takes the year that puts that day on that weekday). Times of day and clock times belong to
the day the narrative is at: the last day named before them, else the publication day.

Event dates follow ACLED instead (:meth:`DateFinder.event_dates`): an act reported as done
takes the latest matching day on or before publication, and a date of a future or planned
act is never an event date. ``precision`` is ACLED's time_precision: 1 a day, 2 a week or a
few days, 3 a month or longer; month-only dates are coded mid-month (:func:`coded_day`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any, Literal

from khaldun.extract.lexicon import fold
from khaldun.resources import load_yaml
from khaldun.schema import DateMention, Span

Look = Literal["past", "future", "nearest"]
Tense = Literal["past", "present", "future"]

PLACEHOLDER = re.compile(r"\{(\w+)(?::(\w+))?\}")
# Resolvers whose day a following clock time can join ("hier à 10 h").
DAY_RESOLVERS = {"day", "weekday", "relative_day", "anaphoric_day"}
# Vocabularies that never make an expression alone (helpers, counts, contexts).
NOT_ANCHORS = {"noun_determiner", "idiom", "age_unit", "since", "since_duration", "holidays_need_preposition",
               "joiners", "vague_count", "direction", "number", "shift", "collective"}
BEFORE, AFTER = 40, 60  # characters around an anchor that a match may reach
WORD = re.compile(r"[^\W\d_]+|\d+")
ANCHORED = {"clock", "part_of_day"}  # their day is the narrative's, not their own
SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
VAGUE_UNITS = 3  # "quelques jours", "several days": three of the unit, as ACLED counts "quelques"


def _key(phrase: str) -> str:
    return " ".join(fold(phrase).split())


def _words(words: Any) -> str:
    """A regex of phrases as a trie (fast to match, longest first): any run of spaces between
    words, either apostrophe. Matched case-insensitively."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for unit in " ".join(str(word).lower().replace("’", "'").split()):
            node = node.setdefault(unit, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [(r"\s+" if unit == " " else "['’]" if unit == "'" else re.escape(unit)) + emit(child)
                    for unit, child in sorted(node.items()) if unit]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


@dataclass
class Rule:
    name: str
    resolver: str
    pattern: re.Pattern[str]


@dataclass
class Found:
    """A selected match, or two joined into a time ("hier à 10 h")."""

    rule: Rule
    match: re.Match[str]
    start: int
    end: int
    clock: re.Match[str] | None = None  # the clock time joined to a day


class Temporal:
    """One language's temporal data, compiled: vocabularies, fragments and ordered rules."""

    def __init__(self, language: str, data: dict[str, Any], number_words: dict[str, int]) -> None:
        self.language = language
        self.data = data
        self.numbers = {_key(k): v for k, v in number_words.items()}
        self.vocab: dict[str, dict[str, Any]] = {}
        for name, table in data.items():
            if name in {"fragments", "patterns", "tense"} or not isinstance(table, (dict, list)):
                continue
            entries = table if isinstance(table, dict) else {w: w for w in table}
            self.vocab[name] = {_key(k): v for k, v in entries.items()}
        self.vocab["number"] = self.numbers
        self.raw_vocab = {n: (list(t) if isinstance(t, (dict, list)) else []) for n, t in data.items()}
        self.raw_vocab["number"] = list(number_words)

    def lookup(self, table: str, phrase: str) -> Any:
        return self.vocab[table].get(_key(phrase.replace("’", "'")))

    def _expand(self, pattern: str, depth: int = 0) -> str:
        fragments = self.data.get("fragments", {})

        def replace(match: re.Match[str]) -> str:
            name, alias = match.group(1), match.group(2)
            if name in fragments:
                return "(?:" + self._expand(fragments[name], depth + 1) + ")"
            if name in self.raw_vocab:
                return f"(?P<{alias or name}>{_words(self.raw_vocab[name])})"
            raise KeyError(f"temporal pattern names unknown {{{name}}}")

        return PLACEHOLDER.sub(replace, pattern) if depth < 5 else pattern

    @cached_property
    def rules(self) -> list[Rule]:
        out = []
        for index, (resolver, pattern) in enumerate(self.data["patterns"]):
            body = self._expand(pattern)
            out.append(Rule(f"{resolver}#{index}", resolver,
                            re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)))
        return out

    @cached_property
    def anchors(self) -> frozenset[str]:
        """The longest word of every phrase that can make an expression: each match contains one
        of them, or a digit."""
        words = set()
        for name, table in self.raw_vocab.items():
            if name not in NOT_ANCHORS:
                for phrase in table:
                    words.add(max(WORD.findall(fold(str(phrase))), key=len, default=""))
        return frozenset(words - {""})

    @cached_property
    def since_before(self) -> re.Pattern[str]:
        return re.compile(rf"(?<![\w-])(?:{_words(self.data['since'])})\s*$", re.IGNORECASE)

    @cached_property
    def since_duration_before(self) -> re.Pattern[str]:
        words = self.data.get("since_duration") or []
        return re.compile(rf"(?<![\w-])(?:{_words(words)})\s*$" if words else r"$^", re.IGNORECASE)

    @cached_property
    def preposition_before(self) -> re.Pattern[str]:
        return re.compile(self.data.get("preposition_before", r"$^"), re.IGNORECASE)

    @cached_property
    def age_before(self) -> re.Pattern[str]:
        return re.compile(self.data.get("age_before", r"$^"), re.IGNORECASE)

    @cached_property
    def age_after(self) -> re.Pattern[str]:
        return re.compile(self.data.get("age_after", r"$^"), re.IGNORECASE)

    @cached_property
    def joiners(self) -> dict[str, re.Pattern[str]]:
        return {k: re.compile(rf"^(?:{v})$", re.IGNORECASE) for k, v in self.data.get("joiners", {}).items()}


@cache
def _temporal(language: str) -> dict[str, Any]:
    return load_yaml("temporal", f"{language}.yaml")


@cache
def _parser(language: str) -> Any:
    from khaldun.nlp.models import load_pipeline

    return load_pipeline(language)


class DateFinder:
    """Stage: a report's text and publication date -> resolved temporal expressions."""

    def __init__(self, *, language: str, lexicon: dict[str, Any]) -> None:
        words = {k: v for k, v in lexicon["numbers"]["words"].items()}
        self.language = language
        self.temporal = Temporal(language, _temporal(language), words)
        tense = self.temporal.data.get("tense", {})
        self.future_verbs = {fold(w) for w in tense.get("future_verbs", [])}
        self.planned = {fold(w) for w in tense.get("planned_participles", [])}
        self.future_auxiliaries = {fold(w) for w in tense.get("future_auxiliaries", [])}
        self._last: tuple[str, int, int, list[Found]] | None = None

    def __call__(self, text: str, publication: dt.date, *, start: int = 0, end: int | None = None,
                 doc: Any = None, look: Look | None = None) -> list[DateMention]:
        """Every temporal expression of ``text[start:end]``, in text order.

        ``doc`` is the spaCy parse of ``text`` (for the tense of each clause; parsed here when
        not given). ``look`` forces one direction for every expression, e.g. "past" for ACLED.
        """
        return [mention for _, mention in self._mentions(text, publication, start, end, doc, look)]

    def _mentions(self, text: str, publication: dt.date, start: int, end: int | None, doc: Any,
                  look: Look | None) -> list[tuple[Found, DateMention]]:
        stop = len(text) if end is None else end
        found = self._select(text, start, stop)
        if look is None and doc is None and found:
            doc = _parser(self.language)(text)
        mentions: list[DateMention] = []
        pairs: list[tuple[Found, DateMention]] = []
        for index, item in enumerate(found):
            tense = self._tense(doc, item.start, item.end) if look is None else None
            context = mentions
            following = found[index + 1] if index + 1 < len(found) else None
            joiner = self.temporal.joiners.get("clock_day")
            if (item.rule.resolver == "clock" and following is not None and following.rule.resolver in DAY_RESOLVERS
                    and joiner is not None and joiner.match(text[item.end:following.start])):
                day = self._resolve(following, text, publication, self._tense(doc, following.start, following.end)
                                    if look is None else None, look, mentions)
                context = mentions + ([day] if day is not None else [])  # "vers 0 h 40, jeudi": Thursday's
            mention = self._resolve(item, text, publication, tense, look, context)
            if mention is None:
                continue
            before = text[max(0, item.start - 25):item.start]
            if self.temporal.since_before.search(before) or (
                    mention.timex_type == "DURATION" and mention.end <= publication
                    and self.temporal.since_duration_before.search(before)):
                mention.since = True
            mentions.append(mention)
            pairs.append((item, mention))
        return pairs

    def event_dates(self, mentions: list[DateMention], text: str, publication: dt.date) -> list[DateMention]:
        """The mentions that can date an event, read as ACLED does.

        Days, weeks, months, years and stretches up to publication, resolved to the latest
        reading on or before it; nothing of a future clause, no repetition, no bare duration,
        and no clock time or part of the day that only points back to a day named before. A
        night from one day to the next ("la nuit de dimanche à lundi") offers both days.
        """
        usable = [m for m in mentions if m.tense != "future" and m.kind != "set" and (m.kind != "duration" or m.since)
                  and "X" not in m.value.split("/")[0] and "REF" not in m.value
                  and not re.fullmatch(r"PX[MY]", m.duration or "")]  # "ces derniers mois": too vague to date
        past: dict[tuple[int, int], list[DateMention]] = {}
        for item, reading in self._mentions(text, publication, 0, None, None, "past"):
            if item.rule.resolver in ANCHORED and item.clock is None:
                continue
            past[(reading.span.start, reading.span.end)] = self._night_days(item, text, publication) or [reading]
        out = []
        for mention in usable:
            for reading in past.get((mention.span.start, mention.span.end), []):
                if reading.start > publication or reading.kind == "set":
                    continue
                if reading.kind == "duration":  # "depuis six mois": the stretch up to publication
                    reading.kind = "period"
                reading.since = mention.since
                out.append(reading)
        return out

    def _night_days(self, item: Found, text: str, publication: dt.date) -> list[DateMention]:
        """The two days of a night named by both ("la nuit de dimanche à lundi"), each read back."""
        groups = item.match.groupdict()
        if not groups.get("weekday_to"):
            return []
        days = []
        for name in ("weekday", "weekday_to"):
            start, end = item.match.span(name)
            span = Span(start=start, end=end, text=text[start:end])
            days.append(self._r_weekday({"weekday": groups[name], "forced": True}, span, publication, "past", [], None))
        return days

    # ------------------------------------------------------------------ matching
    def _select(self, text: str, start: int, stop: int) -> list[Found]:
        """Leftmost-longest matches of every rule, without overlaps; a day and its clock time joined.

        The last text's selection is kept: the event reading of a report re-reads the same text."""
        if self._last is not None and self._last[1:3] == (start, stop) and self._last[0] == text:
            return self._last[3]
        found = self._select_uncached(text, start, stop)
        self._last = (text, start, stop, found)
        return found

    def _select_uncached(self, text: str, start: int, stop: int) -> list[Found]:
        candidates = []
        for low, high in self._windows(text, start, stop):
            for priority, rule in enumerate(self.temporal.rules):
                for match in rule.pattern.finditer(text, low, high):
                    if match.end() > match.start():
                        candidates.append((-(match.end() - match.start()), priority, match.start(), rule, match))
        candidates.sort(key=lambda c: (c[0], c[1], c[2]))
        taken: list[Found] = []
        for _, _, _, rule, match in candidates:
            if any(match.start() < f.end and f.start < match.end() for f in taken):
                continue
            if not self._acceptable(rule, match, text):
                continue
            taken.append(Found(rule, match, match.start(), match.end()))
        taken.sort(key=lambda f: f.start)
        return self._join_clock_times(taken, text)

    def _windows(self, text: str, start: int, stop: int) -> list[tuple[int, int]]:
        """Stretches of text around temporal words and digits: the only places worth matching."""
        windows: list[list[int]] = []
        anchors = self.temporal.anchors
        for word in WORD.finditer(text, start, stop):
            token = word.group(0)
            if not token[0].isdigit() and fold(token) not in anchors:
                continue
            low, high = max(start, word.start() - BEFORE), min(stop, word.end() + AFTER)
            if windows and low <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], high)
            else:
                windows.append([low, high])
        return [(low, high) for low, high in windows]

    def _acceptable(self, rule: Rule, match: re.Match[str], text: str) -> bool:
        """Context the patterns cannot say: ages, idioms, nouns, holidays that are names."""
        t = self.temporal
        groups = match.groupdict()
        before = text[max(0, match.start() - 30):match.start()]
        if rule.resolver == "duration" and groups.get("unit"):
            unit = _key(groups["unit"])
            after = text[match.end():match.end() + 30]
            apposition = [re.compile(p) for p in t.data.get("age_apposition", [])]
            numeric = bool(groups.get("collective")) or bool(re.match(r"\d", groups.get("count") or ""))
            if unit in t.vocab.get("age_unit", {}) and (
                    t.age_before.search(before) or t.age_after.search(after)
                    or numeric and "age_of" in t.data and re.search(t.data["age_of"], before, re.IGNORECASE)
                    or len(apposition) == 2 and apposition[0].search(before) and apposition[1].search(after)):
                return False
            if _key(match.group(0)) in t.vocab.get("idiom", {}):
                return False
        if rule.resolver == "shift" and (t.vocab["unit"].get(_key(groups.get("unit") or "")) or [0, 0, 1])[2] == 0:
            return False  # "une heure plus tard": a duration, not a day
        if rule.resolver == "set_adjective":
            previous = before.split()[-1:] if before.strip() else []
            if previous and _key(previous[0]) in t.vocab.get("noun_determiner", {}):
                return False
            if re.search(r"l['’]\s*$", before):
                return False
        if rule.resolver == "holiday":
            name = _key(groups.get("holiday") or "")
            if name in t.vocab.get("holidays_need_preposition", {}) and not t.preposition_before.search(before):
                return False
        return True

    def _join_clock_times(self, found: list[Found], text: str) -> list[Found]:
        joiners = self.temporal.joiners
        out: list[Found] = []
        for item in found:
            previous = out[-1] if out else None
            if previous is not None and previous.clock is None:
                gap = text[previous.end:item.start]
                if (previous.rule.resolver in DAY_RESOLVERS and item.rule.resolver == "clock"
                        and "day_clock" in joiners and joiners["day_clock"].match(gap)):
                    out[-1] = Found(previous.rule, previous.match, previous.start, item.end, clock=item.match)
                    continue
                if (previous.rule.resolver == "clock" and item.rule.resolver == "relative_day"
                        and "clock_day" in joiners and joiners["clock_day"].match(gap)):
                    out[-1] = Found(item.rule, item.match, previous.start, item.end, clock=previous.match)
                    continue
            out.append(item)
        return out

    # ------------------------------------------------------------------ tense
    def _tense(self, doc: Any, start: int, end: int) -> Tense | None:
        """The tense of the clause an expression sits in, from the verb that governs it."""
        if doc is None:
            return None
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            return None
        node = span.root
        for _ in range(8):
            if node.pos_ in {"VERB", "AUX"} and not node.dep_.startswith("aux") and node.dep_ != "cop":
                return self._verb_tense(node)
            if node.head is node:
                break
            node = node.head
        return None

    def _verb_tense(self, verb: Any, depth: int = 0) -> Tense:
        """Future: a future form, a future auxiliary, a planned participle, a verb of intention
        governing the infinitive; past: a past form or a participle with its auxiliary."""
        tenses, forms = set(verb.morph.get("Tense")), set(verb.morph.get("VerbForm"))
        auxiliaries = [c for c in verb.children if c.dep_.startswith("aux") or c.dep_ == "cop"]
        lemma = fold(verb.lemma_)
        if "Fut" in tenses or any("Fut" in a.morph.get("Tense") or fold(a.lemma_) in self.future_auxiliaries
                                  for a in auxiliaries):
            return "future"
        if "Part" in forms and lemma in self.planned:
            return "future"
        if "Inf" in forms:
            governor = verb.head
            if governor is verb or governor.pos_ not in {"VERB", "AUX"} or depth > 3:
                return "present"
            if fold(governor.lemma_) in self.future_verbs and not set(governor.morph.get("Tense")) & {"Past", "Imp"}:
                return "future"
            return self._verb_tense(governor, depth + 1)
        if any("Cnd" in a.morph.get("Mood") for a in auxiliaries):
            return "past"  # "aurait été tué": reported as done
        if "Cnd" in verb.morph.get("Mood"):
            return "future"
        if lemma in self.future_verbs and "Pres" in tenses:
            return "future"
        if "Part" in forms:
            return "past" if auxiliaries or verb.dep_ != "ROOT" else "present"
        if tenses & {"Past", "Imp", "Pqp"}:
            return "past"
        return "present"

    # ------------------------------------------------------------------ resolving
    def _resolve(self, item: Found, text: str, pub: dt.date, tense: Tense | None, look: Look | None,
                 earlier: list[DateMention]) -> DateMention | None:
        resolver = getattr(self, f"_r_{item.rule.resolver}")
        groups = dict(item.match.groupdict(), forced=look is not None)
        direction = self.temporal.lookup("direction", groups["direction"]) if groups.get("direction") else None
        way: Look = look or ("past" if direction == -1 else "future" if direction == 1
                             else "past" if tense == "past" else "future" if tense == "future" else "nearest")
        span = Span(start=item.start, end=item.end, text=text[item.start:item.end])
        mention = resolver(groups, span, pub, way, earlier, tense)
        if mention is None:
            return None
        mention.tense = "future" if direction == 1 else "past" if direction == -1 else tense
        if item.clock is not None and mention.precision == 1 and mention.kind in {"day", "time_of_day"}:
            clock = self._clock_value(item.clock.groupdict())
            if clock is None:
                return None
            mention.value, mention.kind, mention.timex_type = f"{mention.start.isoformat()}T{clock}", "time_of_day", "TIME"
        return mention

    def _r_day(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list, tense: Any) -> DateMention | None:
        month = self.temporal.lookup("month", g["month"]) if g.get("month") else \
            self.temporal.lookup("month_abbreviation", g.get("month_abbreviation") or "")
        if g.get("month_number"):
            month = int(g["month_number"])
        day = 1 if g["day"].lower() == "1er" else int(g["day"])
        if month is None:
            return None
        year = self._year(g)
        if year is not None:
            if day > calendar.monthrange(year, month)[1]:
                return None
            value = dt.date(year, month, day)
        else:
            value = self._day_of_year(day, month, pub, way, None if g["forced"] else g.get("weekday"))
            if value is None:
                return None
        return _day(span, value, g.get("part_of_day") and self.temporal.lookup("part_of_day", g["part_of_day"]))

    def _day_of_year(self, day: int, month: int, pub: dt.date, way: Look, weekday_word: str | None) -> dt.date | None:
        options = []
        for year in (pub.year - 1, pub.year, pub.year + 1):
            if day <= calendar.monthrange(year, month)[1]:
                options.append(dt.date(year, month, day))
        if not options:
            return None
        if weekday_word:  # "dimanche 29 août": the year that puts that day on a Sunday
            weekday = self.temporal.lookup("weekday", weekday_word)
            matching = [d for d in options if d.isoweekday() == weekday]
            if len(matching) == 1:
                return matching[0]
        return _choose(options, pub, way)

    def _year(self, g: dict[str, Any]) -> int | None:
        if g.get("year"):
            return int(g["year"])
        if g.get("year2"):
            short = int(g["year2"])
            return 2000 + short if 2000 + short <= dt.date.today().year + 5 else 1900 + short
        return None

    def _r_weekday(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list, tense: Any) -> DateMention:
        weekday = self.temporal.lookup("weekday", g["weekday"])
        options = [pub + dt.timedelta(days=(weekday - pub.isoweekday()) % 7 - 7 * k) for k in (0, 1)]
        direction = self.temporal.lookup("direction", g["direction"]) if g.get("direction") else None
        if direction == -1 and options[1] == pub - dt.timedelta(days=7) and options[0] == pub:
            day = options[1]  # "lundi dernier" in a Monday paper is a week back
        elif direction == 1 and options[0] == pub:
            day = pub + dt.timedelta(days=7)
        else:
            day = _choose(sorted(set(options)), pub, way)
        part = self.temporal.lookup("part_of_day", g["part_of_day"]) if g.get("part_of_day") else None
        return _day(span, day, part)

    def _r_weekday_day(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list,
                       tense: Any) -> DateMention | None:
        weekday, number = self.temporal.lookup("weekday", g["weekday"]), 1 if g["day"].lower() == "1er" else int(g["day"])
        options = []
        for offset in (-1, 0, 1):
            year, month = divmod(pub.year * 12 + pub.month - 1 + offset, 12)
            if number <= calendar.monthrange(year, month + 1)[1]:
                day = dt.date(year, month + 1, number)
                if day.isoweekday() == weekday or g["forced"]:
                    options.append(day)
        return _day(span, _choose(options, pub, way), None) if options else None

    def _r_weekday_set(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list, tense: Any) -> DateMention:
        weekday = self.temporal.lookup("weekday", g["weekday"]) if g.get("weekday") else \
            self.temporal.lookup("weekday_plural", g["weekday_plural"])
        return _set(span, f"XXXX-WXX-{weekday}", pub)

    def _r_relative_day(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list, tense: Any) -> DateMention:
        day = pub + dt.timedelta(days=self.temporal.lookup("relative_day", g["relative_day"]))
        part = self.temporal.lookup("part_of_day", g["part_of_day"]) if g.get("part_of_day") else None
        return _day(span, day, part)

    def _r_night(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list, tense: Any) -> DateMention:
        return _day(span, pub + dt.timedelta(days=self.temporal.lookup("night_word", g["night_word"])), "NI")

    def _r_this_part_of_day(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list,
                            tense: Any) -> DateMention:
        return _day(span, pub, self.temporal.lookup("part_of_day", g["part_of_day"]))

    def _r_part_of_day(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list, tense: Any) -> DateMention:
        return _day(span, _anchor(earlier, pub), self.temporal.lookup("part_of_day", g["part_of_day"]))

    def _r_anaphoric_day(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list,
                         tense: Any) -> DateMention:
        days = [d for d in earlier if d.precision == 1 and d.kind == "day"]
        if g["forced"]:  # ACLED: "la veille" is the eve of the report's main event, its first day
            reference = days[0].start if days else pub
        else:  # TimeML: the day the narrative is at
            reference = _anchor(earlier, pub)
        day = reference + dt.timedelta(days=self.temporal.lookup("anaphoric_day", g["anaphoric_day"]))
        return _day(span, day, None)

    def _r_clock(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list, tense: Any) -> DateMention | None:
        clock = self._clock_value(g)
        if clock is None:
            return None
        day = _anchor(earlier, pub)
        return DateMention(span=span, kind="time_of_day", value=f"{day.isoformat()}T{clock}", start=day, end=day,
                           precision=1, timex_type="TIME")

    def _clock_value(self, g: dict[str, Any]) -> str | None:
        if g.get("clock_word"):
            return self.temporal.lookup("clock_word", g["clock_word"])
        if g.get("hour") is None:
            return None
        hour, minute = int(g["hour"]), int(g.get("minute") or 0)
        if hour > 24 or hour == 24 and minute:
            return None
        suffix = (g.get("meridian") or "").lower().replace(".", "")
        if suffix == "pm" and hour < 12:
            hour += 12
        elif suffix == "am" and hour == 12:
            hour = 0
        return f"{hour:02d}:{minute:02d}"

    def _r_month(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list, tense: Any) -> DateMention | None:
        month = self.temporal.lookup("month", g["month"]) if g.get("month") else \
            self.temporal.lookup("month_abbreviation", g.get("month_abbreviation") or "")
        if month is None:
            return None
        year = self._year(g)
        if year is None:
            options = [(y, month) for y in (pub.year - 1, pub.year, pub.year + 1)]
            ordinal = pub.year * 12 + pub.month
            if way == "past":
                year = max(y for y, m in options if y * 12 + m <= ordinal)
            elif way == "future":
                year = min(y for y, m in options if y * 12 + m >= ordinal)
            else:
                year = min(options, key=lambda o: (abs(o[0] * 12 + o[1] - ordinal), o[0]))[0]
        return _month(span, year, month)

    def _r_year(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list, tense: Any) -> DateMention | None:
        year = self._year(g)
        return _year(span, year, pub) if year is not None else None

    def _r_relative_year(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list,
                         tense: Any) -> DateMention:
        return _year(span, pub.year + self.temporal.lookup("relative_year", g["relative_year"]), pub)

    def _r_relative_month(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list,
                          tense: Any) -> DateMention:
        offset = self.temporal.lookup("relative_month", g["relative_month"])
        year, month = divmod(pub.year * 12 + pub.month - 1 + offset, 12)
        return _month(span, year, month + 1)

    def _r_week(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list, tense: Any) -> DateMention:
        offset, first_day, last_day = self.temporal.lookup("week", g["week"])
        monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(weeks=offset)
        if offset == 0:
            first, last = monday + dt.timedelta(days=first_day), monday + dt.timedelta(days=last_day)
            if way == "past" and first >= pub or way == "nearest" and first > pub and (first - pub).days > 3:
                monday -= dt.timedelta(weeks=1)  # a Monday paper's "early this week" is last week
            elif way == "future" and last < pub:
                monday += dt.timedelta(weeks=1)
        first = monday + dt.timedelta(days=first_day)
        last = monday + dt.timedelta(days=last_day)
        if way == "past" or offset < 0:
            last = min(last, pub) if first <= pub else last
        iso = first.isocalendar()
        weekend = first_day == 5
        return DateMention(span=span, kind="week", value=f"{iso.year}-W{iso.week:02d}" + ("-WE" if weekend else ""),
                           start=first, end=last, precision=2)

    def _r_season(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list, tense: Any) -> DateMention:
        season = self.temporal.lookup("season", g["season"])
        year = self._year(g)
        direction = self.temporal.lookup("direction", g["direction"]) if g.get("direction") else None
        start_month = SEASON_START[season]
        demonstrative = bool(re.match(r"(?i)(?:ce|cet|cette|this)\s", span.text))
        if year is None and direction is None and not demonstrative:
            return DateMention(span=span, kind="period", value=f"XXXX-{season}", start=pub, end=pub, precision=3)
        if year is None:
            if direction == -1:
                year = pub.year if start_month + 3 <= pub.month else pub.year - 1
            elif direction == 1:
                year = pub.year if start_month > pub.month else pub.year + 1
            else:
                year = pub.year
        begin = dt.date(year, start_month, 1)
        stop_year, stop_month = divmod(year * 12 + start_month - 1 + 2, 12)
        end = dt.date(stop_year, stop_month + 1, calendar.monthrange(stop_year, stop_month + 1)[1])
        return DateMention(span=span, kind="period", value=f"{year}-{season}", start=begin, end=end, precision=3)

    def _r_decade(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list, tense: Any) -> DateMention:
        digits = g["decade"]
        year = int(digits) if len(digits) == 4 else (2000 if digits == "00" else 1900) + int(digits)
        return DateMention(span=span, kind="period", value=str(year)[:3], start=dt.date(year, 1, 1),
                           end=dt.date(year + 9, 12, 31), precision=3)

    def _r_century(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list, tense: Any) -> DateMention | None:
        raw = g["century"]
        number = int(raw) if raw.isdigit() else _roman(raw.upper())
        if not number or number > 21:
            return None
        first = max(1, (number - 1) * 100)
        return DateMention(span=span, kind="period", value=f"{number - 1:02d}", start=dt.date(first, 1, 1),
                           end=dt.date(first + 99, 12, 31), precision=3)

    def _r_holiday(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list, tense: Any) -> DateMention | None:
        rule = str(self.temporal.lookup("holiday", g["holiday"]))

        def on(year: int) -> dt.date:
            if rule.startswith("easter"):
                return _easter(year) + dt.timedelta(days=int(rule.split("+")[1]))
            month, day = (int(x) for x in rule.split("-"))
            return dt.date(year, month, day)

        year = self._year(g)
        day = on(year) if year else _choose([on(y) for y in (pub.year - 1, pub.year, pub.year + 1)], pub, way)
        return _day(span, day, None)

    def _r_ago(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list, tense: Any) -> DateMention | None:
        return self._shifted(g, span, pub, -1)

    def _r_ahead(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list, tense: Any) -> DateMention | None:
        return self._shifted(g, span, pub, 1)

    def _r_shift(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list, tense: Any) -> DateMention | None:
        sign = self.temporal.lookup("shift", g["shift"])
        return self._shifted(g, span, _anchor(earlier, pub), sign)

    def _shifted(self, g: dict[str, Any], span: Span, base: dt.date, sign: int) -> DateMention | None:
        amount = self._amount(g)
        unit = self.temporal.lookup("unit", g["unit"])
        if amount is None or unit is None or unit[2] == 0:
            return None
        days = round(amount * unit[2])  # the unit's third column is its whole length in days
        day = _plus_days(base, sign * days)
        if day is None:
            return None
        precision = 1 if days < 7 else 2 if days < 28 else 3
        if unit[0] == "D" or days < 7:
            return _day(span, day, None, precision=precision)
        if unit[0] == "W":
            iso = day.isocalendar()
            return DateMention(span=span, kind="week", value=f"{iso.year}-W{iso.week:02d}", start=day, end=day,
                               precision=2, duration=_duration(amount, unit))
        if unit[0] == "M" and unit[1] == 1:
            return DateMention(span=span, kind="period", value=f"{day.year}-{day.month:02d}", start=day, end=day,
                               precision=3, duration=_duration(amount, unit))
        return DateMention(span=span, kind="period", value=str(day.year), start=day, end=day, precision=3,
                           duration=_duration(amount, unit))

    def _amount(self, g: dict[str, Any]) -> float | None:
        raw = g.get("count")
        if raw is None:
            return None
        raw = raw.replace(",", ".")
        try:
            return float(raw) if re.fullmatch(r"\d+(?:\.\d+)?", raw) else float(self.temporal.numbers[_key(raw)])
        except KeyError:
            return None

    def _r_duration(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list, tense: Any) -> DateMention | None:
        if g.get("named_duration"):
            code = str(self.temporal.lookup("named_duration", g["named_duration"]))
            days = _duration_days(code)
        else:
            unit = self.temporal.lookup("unit", g["unit"])
            if unit is None:
                return None
            amount = None if g.get("vague") else \
                float(self.temporal.lookup("collective", g["collective"])) if g.get("collective") else self._amount(g)
            if not g.get("vague") and amount is None:
                return None
            code = _duration(amount, unit)
            days = round((amount if amount is not None else VAGUE_UNITS) * unit[2])
        other = _plus_days(pub, days if way == "future" else -days)
        if other is None:
            return None
        begin, end = (pub, other) if way == "future" else (other, pub)
        return DateMention(span=span, kind="duration", value=f"{begin.isoformat()}/{end.isoformat()}", start=begin,
                           end=end, precision=1 if days < 2 else 2 if days < 28 else 3, duration=code,
                           timex_type="DURATION")

    def _r_recent(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list, tense: Any) -> DateMention:
        code, days = self.temporal.lookup("recent", g["recent"])
        begin = pub - dt.timedelta(days=days)
        return DateMention(span=span, kind="period", value=f"{begin.isoformat()}/{pub.isoformat()}", start=begin, end=pub,
                           precision=1 if days < 2 else 2 if days < 28 else 3, duration=code, timex_type="DURATION")

    def _r_set(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list, tense: Any) -> DateMention:
        return _set(span, str(self.temporal.lookup("set", g["set"])), pub)

    def _r_per_unit(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list, tense: Any) -> DateMention | None:
        unit = self.temporal.lookup("unit", g["unit"])
        return _set(span, _duration(1, unit), pub) if unit else None

    def _r_set_adjective(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list, tense: Any) -> DateMention:
        return _set(span, str(self.temporal.lookup("set_adjective", g["set_adjective"])), pub)

    def _r_reference(self, g: dict[str, Any], span: Span, pub: dt.date, way: Look, earlier: list, tense: Any) -> DateMention:
        return DateMention(span=span, kind="period", value=str(self.temporal.lookup("reference", g["reference"])),
                           start=pub, end=pub, precision=3)


# ---------------------------------------------------------------------- helpers
def _choose(options: list[dt.date], pub: dt.date, way: Look) -> dt.date:
    """The reading on or before publication (past), on or after it (future), or the nearest."""
    if way == "past":
        before = [d for d in options if d <= pub]
        return max(before) if before else min(options)
    if way == "future":
        after = [d for d in options if d >= pub]
        return min(after) if after else max(options)
    return min(options, key=lambda d: (abs((d - pub).days), d > pub))


def _plus_days(base: dt.date, days: int) -> dt.date | None:
    """``base`` moved by ``days``, or None when that leaves the calendar ("5000 years ago",
    "10 million days"): an impossible number is not a date."""
    try:
        return base + dt.timedelta(days=days)
    except (OverflowError, ValueError):
        return None


def _anchor(earlier: list[DateMention], pub: dt.date) -> dt.date:
    """The day the narrative is at: the last day named before, else the publication day."""
    for mention in reversed(earlier):
        if mention.precision == 1 and mention.kind in {"day", "time_of_day"}:
            return mention.start
    return pub


def _day(span: Span, day: dt.date, part: str | None, precision: int = 1) -> DateMention:
    if part:
        return DateMention(span=span, kind="time_of_day", value=f"{day.isoformat()}T{part}", start=day, end=day,
                           precision=1, timex_type="TIME")
    return DateMention(span=span, kind="day", value=day.isoformat(), start=day, end=day, precision=precision)


def _set(span: Span, value: str, pub: dt.date) -> DateMention:
    return DateMention(span=span, kind="set", value=value, start=pub, end=pub, precision=3, timex_type="SET")


def _month(span: Span, year: int, month: int) -> DateMention:
    last = calendar.monthrange(year, month)[1]
    return DateMention(span=span, kind="month", value=f"{year}-{month:02d}", start=dt.date(year, month, 1),
                       end=dt.date(year, month, last), precision=3)


def _year(span: Span, year: int, pub: dt.date) -> DateMention:
    end = dt.date(year, 12, 31)
    return DateMention(span=span, kind="year", value=str(year), start=dt.date(year, 1, 1),
                       end=min(end, pub) if year <= pub.year else end, precision=3)


def _duration(amount: float | None, unit: list[Any]) -> str:
    letter, factor = unit[0], unit[1]
    if amount is None:
        number = "X"
    else:
        total = amount * factor
        number = str(int(total)) if float(total).is_integer() else f"{total:g}"
    return f"PT{number}{letter}" if unit[2] == 0 else f"P{number}{letter}"


def _duration_days(code: str) -> int:
    match = re.fullmatch(r"P(\d+)([DWMY])", code)
    if not match:
        return 0
    return int(match.group(1)) * {"D": 1, "W": 7, "M": 30, "Y": 365}[match.group(2)]


def _roman(text: str) -> int:
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for i, ch in enumerate(text):
        value = values[ch]
        total += -value if i + 1 < len(text) and values[text[i + 1]] > value else value
    return total


def _easter(year: int) -> dt.date:
    """Easter Sunday of the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def coded_day(mention: DateMention) -> dt.date:
    """The single day ACLED codes for a mention: the day, a week's first day, mid-month."""
    if mention.kind == "month":
        return mention.start.replace(day=15)
    if mention.kind == "year":
        return dt.date(mention.start.year, 7, 1) if mention.end.year > mention.start.year or mention.end.month == 12 else mention.start
    return mention.start
