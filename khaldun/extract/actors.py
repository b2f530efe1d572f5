"""Find actor mentions and normalise them to ACLED's names, through the actor dictionary.

The dictionary is data (``khaldun/data/actors/*.yaml`` and ``countries.yaml``): named actors
per conflict, and generic templates ("Military Forces of {country}") whose aliases either
name a country ("armée malienne") or take the country the report is about ("l'armée").
Longest match wins; a named actor beats a generic one on the same words.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from spacy.tokens import Doc, Span as SpacySpan, Token

from khaldun.extract.lexicon import PhraseIndex, doc_text, fold
from khaldun.resources import list_data, load_yaml
from khaldun.schema import INTER_NON_STATE, ActorMention, ActorRef, Span, TriggerMention

PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Country:
    iso2: str
    iso_numeric: int
    name: str
    region: str
    regimes: tuple[tuple[str, dt.date | None, dt.date | None], ...] = ()


@dataclass(frozen=True)
class ActorEntry:
    """One dictionary actor; ``country`` None means 'the report's country' (bound later)."""

    key: str
    name: str  # may hold {country}/{the_country} when generic
    inter: int
    country: str | None
    generic: bool = False
    context_only: bool = False
    regime_suffix: bool = False
    inter_abroad: int | None = None
    countries: tuple[str, ...] = ()  # every country the actor operates in
    language: str | None = None  # the alias's language; None for canonical names
    context_countries: tuple[str, ...] = ()  # where a context_only alias applies (default: ``countries``)


@dataclass
class ActorDictionary:
    countries: dict[str, Country]
    by_name: dict[str, Country]
    the_names: dict[str, str] = field(default_factory=dict)
    adjectives: dict[str, str] = field(default_factory=dict)  # folded nationality adjective -> country
    entries: list[tuple[str, ActorEntry]] = field(default_factory=list)
    abbreviations: dict[str, str] = field(default_factory=dict)  # "US", "U.S.": case-sensitive -> country
    states: dict[str, str] = field(default_factory=dict)  # dependent territory -> its sovereign ("New Caledonia" -> France)
    dated: dict[str, tuple[tuple[str, dt.date | None, dt.date | None], ...]] = field(default_factory=dict)  # key -> dated_names
    state_nouns: frozenset[str] = frozenset()  # "strike", "frappes": a nationality on them names that state's forces
    responsibility_words: frozenset[str] = frozenset()  # "claimed", "revendiqué": the group is held responsible

    @classmethod
    @cache
    def default(cls) -> "ActorDictionary":
        raw_countries = load_yaml("countries.yaml")
        countries: dict[str, Country] = {}
        values: dict[str, list[dict[str, str]]] = {}
        for item in raw_countries:
            regimes = tuple((r["label"], _date(r.get("start")), _date(r.get("end"))) for r in item.get("regimes") or [])
            country = Country(item["iso2"], int(item["iso_numeric"]), item["name"], item.get("region", ""), regimes)
            countries[country.iso2] = country
            values[country.name] = _fills(item)
        by_name = {c.name: c for c in countries.values()}
        for item in raw_countries:
            for alt in (item.get("geonames_name"),):
                if alt:
                    by_name.setdefault(alt, countries[item["iso2"]])
        adjectives: dict[str, str] = {}
        abbreviations: dict[str, str] = {}
        for name, variants in values.items():
            for fills in variants:
                for slot in ("adj", "adj_ms", "adj_fs", "adj_mp", "adj_fp"):
                    word = fills.get(slot)
                    if word and _is_acronym(word):
                        abbreviations.setdefault(word, name)
                    elif word:
                        adjectives.setdefault(fold(word), name)
        the_names = {name: variants[0]["the_country"] for name, variants in values.items()}
        states = {item["name"]: item["state"] for item in raw_countries if item.get("state")}
        dictionary = cls(countries, by_name, the_names, adjectives, abbreviations=abbreviations, states=states)
        for file in list_data("actors"):
            data = load_yaml("actors", file)
            if "templates" in data:
                dictionary._add_templates(data["templates"], values)
            if "state_nouns" in data:
                dictionary.state_nouns = frozenset(fold(word) for words in data["state_nouns"].values() for word in words)
            if "responsibility_words" in data:
                dictionary.responsibility_words = frozenset(
                    fold(word) for words in data["responsibility_words"].values() for word in words)
            for actor in data.get("actors") or []:
                dictionary._add_actor(actor)
        return dictionary

    def nationality(self, word: str) -> str | None:
        """The country a nationality word names: exact adjectives from ``countries.yaml``
        ("Ethiopian" is Ethiopia, never Estonia), abbreviations ("US", "U.S.") case-sensitively."""
        return self.abbreviations.get(word) or self.adjectives.get(fold(word))

    def _add_actor(self, actor: dict[str, Any]) -> None:
        raw = actor.get("country")
        countries = tuple(raw) if isinstance(raw, list) else ((raw,) if raw else ())
        if actor.get("dated_names"):
            self.dated[actor["key"]] = tuple((d["name"], _date(d.get("start")), _date(d.get("end"))) for d in actor["dated_names"])
        base = dict(key=actor["key"], name=actor["name"], inter=int(actor["inter"]),
                    country=countries[0] if countries else None, countries=countries,
                    regime_suffix=bool(actor.get("regime_suffix")), inter_abroad=actor.get("inter_abroad"))
        for language, aliases in (actor.get("aliases") or {}).items():
            for alias in aliases:
                self.entries.append((alias, ActorEntry(**base, language=language)))
        self.entries.append((actor["name"], ActorEntry(**base)))
        raw_context = actor.get("context_countries")
        context = tuple(raw_context) if isinstance(raw_context, list) else ((raw_context,) if raw_context else countries)
        for alias in actor.get("context_only") or []:
            self.entries.append((alias, ActorEntry(**base, context_only=True, context_countries=context)))

    def _add_templates(self, templates: list[dict[str, Any]], values: dict[str, list[dict[str, str]]]) -> None:
        for template in templates:
            common = dict(key=template["key"], inter=int(template["inter"]), regime_suffix=bool(template.get("regime_suffix")),
                          inter_abroad=template.get("inter_abroad"))
            for language, aliases in (template.get("aliases") or {}).items():
                for alias in aliases:
                    slots = PLACEHOLDER.findall(alias)
                    if not slots:
                        self.entries.append((alias, ActorEntry(name=template["name"], country=None, generic=True,
                                                               language=language, **common)))
                        continue
                    for country, variants in values.items():
                        name = PLACEHOLDER.sub(lambda m: variants[0].get(m.group(1)) or "", template["name"])
                        expanded = {PLACEHOLDER.sub(lambda m: fills[m.group(1)], alias) for fills in variants
                                    if all(fills.get(slot) and "." not in fills[slot] for slot in slots)}
                        for phrase in sorted(expanded):
                            self.entries.append((phrase, ActorEntry(name=name, country=country, generic=True,
                                                                    language=language, **common)))

    @cached_property
    def index(self) -> PhraseIndex[ActorEntry]:
        """Aliases to entries; named actors before generic ones so they win ties."""
        return PhraseIndex(sorted(self.entries, key=lambda item: item[1].generic), lemmas=False, plurals=True)

    @cached_property
    def _countries_of(self) -> dict[str, tuple[str, ...]]:
        return {entry.key: entry.countries for _, entry in self.entries if entry.countries}

    def operates_in(self, key: str) -> tuple[str, ...]:
        """Every country a named actor operates in (its ``country`` list)."""
        return self._countries_of.get(key, ())

    @cached_property
    def regime_keys(self) -> frozenset[str]:
        return frozenset(entry.key for _, entry in self.entries if entry.regime_suffix)

    def name_on(self, ref: ActorRef, day: dt.date) -> str:
        """ACLED's name on ``day``: state forces carry their regime period ("(2000-)"); an actor
        renamed over time takes the name of that day (``dated_names``: Seleka Rebel Coalition
        until 2013-09-13, then Ex-Seleka Militia)."""
        for name, start, end in self.dated.get(ref.key, ()):
            if (start is None or start <= day) and (end is None or day < end):
                return name
        country = self.country(ref.country)
        if ref.key not in self.regime_keys or country is None or "(" in ref.name:
            return ref.name
        label = next((label for label, start, end in country.regimes
                      if (start is None or start <= day) and (end is None or day < end)), None)
        return f"{ref.name} ({label})" if label else ref.name

    @cached_property
    def _unbound_generics(self) -> dict[str, ActorEntry]:
        """Generic entries still to be bound to a country, by key (first alias wins)."""
        found: dict[str, ActorEntry] = {}
        for _, entry in self.entries:
            if entry.generic and entry.country is None:
                found.setdefault(entry.key, entry)
        return found

    def generic(self, key: str, country: str | None, day: dt.date | None = None, *,
                from_report: bool = True) -> ActorRef | None:
        """A generic actor ("military", "civilians"...) bound to ``country``; ``from_report`` False
        when the words named that country ("Saudi-led", "des frappes russes")."""
        entry = self._unbound_generics.get(key)
        ref = self.bind(entry, country, day) if entry is not None and country else None
        return ref.model_copy(update={"country_from_report": from_report}) if ref is not None else None

    def implied(self, key: str, country: str | None, trigger: TriggerMention) -> ActorMention | None:
        """The generic actor ``key`` of ``country`` as the report implies it without naming it
        (civilian victims, the state's air force, the rioters), pointing at the event's word."""
        ref = self.generic(key, country)
        return None if ref is None else ActorMention(span=trigger.span, actor=ref, head=trigger.head, implied=True)

    def country(self, name: str | None) -> Country | None:
        return self.by_name.get(name) if name else None

    def bind(self, entry: ActorEntry, focus_country: str | None, date: dt.date | None = None) -> ActorRef | None:
        """The ACLED actor for a dictionary entry, in the report's country when the entry needs one."""
        country_name = focus_country if focus_country in entry.countries else (entry.country or focus_country)
        if entry.generic and entry.key in STATE_KEYS.values():
            country_name = self.states.get(country_name or "", country_name)  # France's police in New Caledonia
        if entry.context_only and entry.context_countries and focus_country not in entry.context_countries:
            return None
        if country_name is None and PLACEHOLDER.search(entry.name):
            return None
        country = self.country(country_name)
        the_name = self.the_names.get(country_name or "", country_name or "")
        values = {"country": country_name or "", "the_country": the_name}
        name = PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), entry.name)
        ref = ActorRef(name=name, inter=entry.inter, country=country_name, key=entry.key, generic=entry.generic,
                       country_from_report=entry.generic and entry.country is None)
        return ref.model_copy(update={"name": self.name_on(ref, date)}) if date is not None and country else ref


def _fills(item: dict[str, Any]) -> list[dict[str, str]]:
    """A country's placeholder values: its main adjectives first, then each other form listed in
    ``adj_alt`` ("US", "U.S." for the United States; "burkinabé" beside "burkinabè")."""
    en, fr = item.get("en") or {}, item.get("fr") or {}
    main = {
        "country": item["name"], "the_country": item.get("the_name") or item["name"], "adj": en.get("adj"),
        "adj_ms": fr.get("adj_ms"), "adj_fs": fr.get("adj_fs"), "adj_mp": fr.get("adj_mp"),
        "adj_fp": fr.get("adj_fp"), "country_fr": fr.get("name"), "de_country_fr": fr.get("de"),
    }
    variants = [main]
    variants += [{**main, "adj": word} for word in en.get("adj_alt") or []]
    for forms in fr.get("adj_alt") or []:
        variants.append({**main, **{f"adj_{slot}": forms[slot] for slot in ("ms", "fs", "mp", "fp")}})
    return variants


def _date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


STATE_KEYS = {"Military Forces": "military", "Police Forces": "police", "Government": "government"}
LINKS = {"de", "du", "des", "d'", "of", "with", "from", "the", "le", "la", "les", "l'", "(", "-", "a", "an"}


def _fuse(mentions: list[ActorMention], doc: Doc, adjectives: dict[str, str] | None = None) -> list[ActorMention]:
    """'fighters with ISIS', 'les milices anti-Balakas', 'la rébellion du M23', 'Al Shabaab
    militants', 'le groupe armé libanais Hezbollah': a generic word next to a named group of the
    same side names that group, so the two are one mention of it (headed by the generic word when
    it comes first, else by the noun); a nationality between them says where the group is from."""
    adjectives = adjectives or {}
    fused: list[ActorMention] = []
    for mention in mentions:
        if fused:
            previous = fused[-1]
            between = doc_text(doc)[previous.span.end:mention.span.start].lower().replace("(", " ( ").split()
            same_side = (previous.actor.inter in INTER_NON_STATE) == (mention.actor.inter in INTER_NON_STATE)
            span = Span(start=previous.span.start, end=mention.span.end, text=doc_text(doc)[previous.span.start:mention.span.end])
            if previous.actor.generic and not mention.actor.generic and same_side and len(between) <= 2 \
                    and all(word in LINKS or fold(word) in adjectives for word in between):
                fused[-1] = ActorMention(span=span, actor=mention.actor, head=previous.head)
                continue
            if not previous.actor.generic and mention.actor.generic and same_side and not between:
                fused[-1] = ActorMention(span=span, actor=previous.actor, head=mention.head)
                continue
        fused.append(mention)
    return fused


def _dateline(span: SpacySpan) -> bool:
    """'Beirut, May 14 (IANS)', 'KYIV (Reuters) -': the place a wire report was filed from opens
    the text; it is not the capital standing for its government."""
    doc = span.doc
    return span.start == 0 and span.end < len(doc) and doc[span.end].text in {",", "(", "-", "—", "–", ":"}


def _capital_as_place(span: SpacySpan, entry: ActorEntry) -> bool:
    """'Kyiv said', 'Damascus denied': a capital stands for its government only as the one who
    speaks or acts (a subject). 'Missiles struck Kyiv' names the place that was hit."""
    government = entry.key == "government" or entry.key.endswith("-government")
    return government and len(span) == 1 and span[0].pos_ == "PROPN" and not span[0].dep_.startswith("nsubj")


NEGATIONS = {"not", "n't", "no", "never", "pas", "ne", "n'", "aucun", "aucune", "jamais", "deny", "denied", "démentir",
             "démenti", "nier", "nié"}


def _clause_verb(token: Token) -> Token:
    """The nearest verb at or above ``token`` (the sentence root when there is none)."""
    node = token
    for _ in range(8):
        if node.pos_ in {"VERB", "AUX"} or node.head.i == node.i:
            return node
        node = node.head
    return node


def _negated_clause(verb: Token) -> bool:
    """'No group has claimed', 'n'a pas revendiqué', 'denied responsibility': nobody is held responsible."""
    words = {fold(verb.lemma_), fold(verb.text)}
    for child in verb.children:
        words |= {fold(child.text), fold(child.lemma_)}
        words |= {fold(grandchild.text) for grandchild in child.children if grandchild.dep_ == "det"}
    return bool(words & NEGATIONS)


def _is_acronym(alias: str) -> bool:
    letters = [ch for ch in alias if ch.isalpha()]
    return bool(letters) and len(letters) <= 6 and all(ch.isupper() for ch in letters)


class ActorFinder:
    """Stage: a parsed sentence -> actor mentions, bound to the report's country focus."""

    def __init__(self, *, dictionary: ActorDictionary | None = None) -> None:
        self.dictionary = dictionary or ActorDictionary.default()

    def __call__(self, doc: Doc, sentence: SpacySpan, *, focus_country: str | None, date: dt.date | None = None,
                 language: str | None = None) -> list[ActorMention]:
        """Longest bindable alias first; on the same words, an alias of the report's ``language``
        beats another language's (French "militants" are activists, English "militants" armed
        men), and a named actor beats a generic one."""
        options = []
        matches = list(self.dictionary.index.matches(doc, sentence.start, sentence.end))
        actor_tokens = {i for match in matches for i in range(match.start, match.end)}
        for match in matches:
            span = doc[match.start:match.end]
            if not self._plausible(span, match.phrase, actor_tokens, self.dictionary.state_nouns) or match.payload.context_only and (
                    _dateline(span) or _capital_as_place(span, match.payload)):
                continue
            ref = self.dictionary.bind(match.payload, focus_country, date)
            if ref is not None:
                foreign = language is not None and match.payload.language not in (None, language)
                options.append((match.start, match.end, foreign, match.payload.generic, match.payload.context_only, ref))
        options.sort(key=lambda o: (-(o[1] - o[0]), o[2], o[3], not o[4], o[0]))
        taken: set[int] = set()
        found = []
        for start, end, _foreign, _generic, _context, ref in options:
            if taken & set(range(start, end)):
                continue
            taken.update(range(start, end))
            span = doc[start:end]
            found.append(ActorMention(span=Span(start=span.start_char, end=span.end_char, text=span.text), actor=ref,
                                      head=span.root.i))
        mentions = self._forces_of(_fuse(sorted(found, key=lambda m: m.span.start), doc, self.dictionary.adjectives),
                                   doc, date)
        mentions = self._coordinated(self._led_by(mentions, doc, date), doc, date)
        mentions = self._counted_nationals(mentions, doc, sentence, focus_country, date)
        return self._attributive(mentions, doc, sentence, date)

    def _counted_nationals(self, mentions: list[ActorMention], doc: Doc, sentence: SpacySpan, focus_country: str | None,
                           date: dt.date | None) -> list[ActorMention]:
        """'Quatre Maliens ont été tués', 'two Nigerians were abducted': people counted by their
        nationality are individuals, not a state's forces, so ACLED codes them as civilians of the
        country where the event happens. A nationality noun without a count ('les Russes ont
        bombardé') often stands for a state's forces and is left alone."""
        taken = [(m.span.start, m.span.end) for m in mentions]
        out = list(mentions)
        for token in sentence:
            if not token.text[:1].isupper() or token.pos_ not in {"NOUN", "PROPN"} \
                    or any(start <= token.idx < end for start, end in taken):
                continue
            counted = any(c.dep_ == "nummod" for c in token.children) or \
                token.i > sentence.start and doc[token.i - 1].like_num
            if not counted or token.dep_ in {"amod", "compound"}:
                continue
            forms = (token.text, token.text[:-1]) if token.text.endswith("s") else (token.text,)
            nationality = next((self.dictionary.adjectives[fold(form)] for form in forms
                                if fold(form) in self.dictionary.adjectives), None)
            if nationality is None:
                continue
            ref = self.dictionary.generic("civilians", focus_country or nationality, date)
            if ref is None:
                continue
            end = token.idx + len(token.text)
            out.append(ActorMention(span=Span(start=token.idx, end=end, text=token.text), actor=ref, head=token.i))
        return sorted(out, key=lambda m: m.span.start)

    def name_the_rebels(self, mentions: list[ActorMention]) -> list[ActorMention]:
        """In a report that names one rebel group only, its bare 'rebels', 'guerrillas',
        'insurgents' are that group (ACLED codes the named group, not Opposition Rebels)."""
        named = {m.actor.name: m.actor for m in mentions if not m.actor.generic and m.actor.inter == 2 and not m.implied}
        if len(named) != 1:
            return mentions
        group = next(iter(named.values()))
        return [m.model_copy(update={"actor": group}) if m.actor.generic and m.actor.key == "rebels"
                and (group.country is None or m.actor.country == group.country) else m for m in mentions]

    def claimants(self, doc: Doc, mentions: list[ActorMention]) -> list[ActorRef]:
        """Named non-state groups the report holds responsible ('Al Shabaab claimed responsibility',
        'le Mujao a revendiqué', 'les ADF sont accusées'): the group and a word of
        ``responsibility_words`` in one clause (same nearest verb), the clause not negated.
        ACLED codes such a group rather than an unidentified armed group."""
        words = self.dictionary.responsibility_words
        found: dict[str, ActorRef] = {}
        for mention in mentions:
            actor = mention.actor
            if actor.generic or actor.inter not in INTER_NON_STATE or mention.implied or mention.head < 0:
                continue
            head = doc[mention.head]
            verb = _clause_verb(head)
            for token in head.sent:
                if fold(token.text) not in words and fold(token.lemma_) not in words:
                    continue
                if _clause_verb(token).i == verb.i and not _negated_clause(verb):
                    found.setdefault(actor.name, actor)
                    break
        return list(found.values())

    def _attributive(self, mentions: list[ActorMention], doc: Doc, sentence: SpacySpan,
                     date: dt.date | None) -> list[ActorMention]:
        """'a suspected U.S. drone strike', 'des frappes russes', 'Ethiopian forces': a nationality
        modifying a word of state violence (``state_nouns`` in generic.yaml) names that state's
        forces, whatever country the report is about. When the modified word is the act itself
        ("strike"), the mention is the nationality alone, so the act stays the event's word."""
        taken = [(m.span.start, m.span.end) for m in mentions]
        out = list(mentions)
        for token in sentence:
            head = token.head
            if token.dep_ not in {"amod", "compound", "nmod", "nmod:poss"} or head.i == token.i \
                    or any(start <= token.idx < end for start, end in taken) \
                    or token.i > 0 and doc[token.i - 1].text in {"-", "pro", "anti"}:
                continue  # "pro-Russian forces" are not Russia's
            first = doc[token.i - 1] if token.i > sentence.start else token
            country = self.dictionary.adjectives.get(fold(f"{first.text} {token.text}"))  # "South Sudanese"
            first = first if country else token
            country = country or self.dictionary.nationality(token.text)
            nouns = self.dictionary.state_nouns
            if country is None or not {fold(head.text), fold(head.lemma_)} & nouns:
                continue  # "l'attaque de l'université américaine": the university is American, not the attack
            ref = self.dictionary.generic("military", country, date, from_report=False)
            if ref is None:
                continue
            end = token.idx + len(token.text)
            out.append(ActorMention(span=Span(start=first.idx, end=end, text=doc_text(doc)[first.idx:end]), actor=ref, head=token.i))
            taken.append((first.idx, end))
        return sorted(out, key=lambda m: m.span.start)

    def _led_by(self, mentions: list[ActorMention], doc: Doc, date: dt.date | None) -> list[ActorMention]:
        """'Saudi-led warplanes', 'la coalition menée par l'Arabie': state forces of the country that
        leads them, not of the report's country. ('Iranian-backed' says who supports, not who acts.)"""
        out = []
        for mention in mentions:
            span = doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
            if mention.actor.generic and mention.actor.inter == 1 and span is not None and span.start >= 3 \
                    and doc[span.start - 2].text == "-" and fold(doc[span.start - 1].text) == "led":
                leader = doc[span.start - 3]
                country = self.dictionary.nationality(leader.text) or \
                    (self.dictionary.country(leader.text) and leader.text)
                ref = self.dictionary.generic(mention.actor.key, country, date, from_report=False) if country else None
                if ref is not None and country != mention.actor.country:
                    start = leader.idx
                    mention = ActorMention(span=Span(start=start, end=mention.span.end, text=doc_text(doc)[start:mention.span.end]),
                                           actor=ref, head=mention.head)
            out.append(mention)
        return out

    def _coordinated(self, mentions: list[ActorMention], doc: Doc, date: dt.date | None) -> list[ActorMention]:
        """'les soldats maliens et français', 'the Syrian and Russian air forces': one mention per country."""
        out = list(mentions)
        for mention in mentions:
            key = mention.actor.key if mention.actor.generic else STATE_KEYS.get(mention.actor.name.split(" of ")[0])
            if key is None:
                continue
            span = doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
            if span is None:
                continue
            for index in (span.end, span.start - 2):  # "soldats maliens et français" / "Syrian and Russian forces"
                if not 0 <= index + 1 < len(doc) or fold(doc[index].text) not in {"et", "and"} \
                        and fold(doc[index + 1].text) not in {"et", "and"}:
                    continue
                other = doc[index + 1] if fold(doc[index].text) in {"et", "and"} else doc[index]
                country = self.dictionary.nationality(other.text)
                named = any(m.span.start <= other.idx < m.span.end for m in mentions)  # "Ethiopian troops and Eritrean soldiers"
                if country and country != mention.actor.country and not named:
                    ref = self.dictionary.generic(key, country, date, from_report=False)
                    if ref is not None:
                        out.append(ActorMention(span=Span(start=other.idx, end=other.idx + len(other.text), text=other.text),
                                                actor=ref, head=other.i))
                break
        return sorted(out, key=lambda m: m.span.start)

    def _forces_of(self, mentions: list[ActorMention], doc: Doc, date: dt.date | None) -> list[ActorMention]:
        """'President Assad's forces', 'les troupes du président': a leader's forces are the military."""
        out = []
        for mention in mentions:
            if mention.actor.key == "government" or mention.actor.key.endswith("-government"):
                after = doc_text(doc)[mention.span.end:mention.span.end + 20].lower()
                before = doc_text(doc)[max(0, mention.span.start - 22):mention.span.start].lower()
                if re.match(r"^'s (?:forces|troops|army|soldiers|military|jets|warplanes)\b", after) or \
                        re.search(r"\b(?:forces|troupes|armée|soldats|militaires) (?:de|du|d')\s?(?:l')?$", before):
                    military = self.dictionary.generic("military", mention.actor.country, date,
                                                       from_report=mention.actor.country_from_report)
                    if military is not None:
                        mention = mention.model_copy(update={"actor": military})
            out.append(mention)
        return out

    @staticmethod
    def _plausible(span: SpacySpan, alias: str, actor_tokens: set[int] = frozenset(),
                   state_nouns: frozenset[str] = frozenset()) -> bool:
        if _is_acronym(alias) and span.text.replace(" ", "") != alias.replace(" ", ""):
            return False  # "AU" the African Union is not "au", "EI" not "ei"
        doc = span.doc
        if span.start >= 2 and doc[span.start - 1].text == "-" and fold(doc[span.start - 2].text) in {"pro", "anti"}:
            return False  # "pro-Russian forces" are not Russia's
        root = span.root
        if root.dep_ in {"compound", "amod"} and root.head.pos_ == "NOUN" and root.head.i >= span.end \
                and root.head.i not in actor_tokens:
            return False  # "police stations"; but "Al Shabaab militants" are actors
        if len(span) == 1 and root.pos_ == "ADJ" and root.dep_ == "amod" and root.head.pos_ == "NOUN" \
                and root.head.i < span.start and root.head.i not in actor_tokens and not state_nouns & {
                    fold(root.head.text), fold(root.head.lemma_)}:
            return False  # "véhicules militaires": a military thing, not soldiers; "une attaque terroriste" is theirs
        return True
