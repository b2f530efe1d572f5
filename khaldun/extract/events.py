"""Assemble event mentions: one per asserted trigger, with its arguments from the parse.

For each trigger the stage finds who acted and on whom (subject/agent vs object/target
through the dependency tree, with the lexicon's role prepositions), the date (the date
mention of its clause or sentence, else the date the story was at a paragraph or two
before), the place
(the place syntactically attached to it, else the sentence's), the
fatalities (the largest count of dead in its sentence that is not a breakdown of another),
and who claims it. Mentions of the same event are merged later, in ``resolve.merge``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span as SpacySpan, Token

from khaldun.extract.actors import ActorDictionary
from khaldun.extract.claims import is_first_person, testimony_source
from khaldun.extract.lexicon import PhraseIndex, doc_text, fold
from khaldun.extract.places import lexicon_words as container_words
from khaldun.extract.places import region_fallback
from khaldun.schema import (
    INTER_ARMED, INTER_CROWDS, ActorMention, ActorRef, ClaimMention, DateMention, Mentions, NumberMention, PlaceMention,
    Sentence, Span, TriggerMention,
)

AGENT_REACH = 4  # tokens after a trigger where its passive agent's "par" / "by" may stand
MAX_PATH = 6
NARRATIVE_GAP = 2  # paragraphs over which an undated event keeps the date the story is at
RETOLD_DAYS = 7  # how far before publication the news of a report's lead may lie
SUPPORT_VERBS = {"appuyer", "soutenir", "epauler", "aider", "back", "support", "assist", "aid", "accompagner"}
PERSON_PRONOUNS = {"il", "elle", "ils", "elles", "he", "she", "they", "it", "qui", "who", "which", "lequel", "laquelle"}
CROWDS = {"Protests": "protesters", "Riots": "rioters"}
CROWD_VIOLENCE = {"Armed clash", "territory", "attack", "Attack", "Looting/property destruction"}
"""Acts a crowd can commit: told beside a demonstration, they may be what makes it a riot."""
"""The generic actor people take part as in a demonstration or a riot."""
RANK = {"in": 0, "near": 1, "region": 2, "direction": 3, "mention": 4}


@dataclass
class EventCandidate:
    """One mention of an event in one sentence, before merging."""

    trigger: TriggerMention
    sub_event_type: str
    sentence_index: int
    paragraph: int
    actor1: ActorMention | None = None
    actor2: ActorMention | None = None
    assoc1: list[ActorMention] = field(default_factory=list)
    date: DateMention | None = None
    date_inherited: bool = False
    place: PlaceMention | None = None
    place_inherited: bool = False
    nearest_known: PlaceMention | None = None  # when ``place`` is not in the gazetteer: the place to code it at
    deaths: NumberMention | None = None
    claim: ClaimMention | None = None
    sentence_span: tuple[int, int] = (0, 0)
    recent: bool = True  # told in the present or perfect, not the pluperfect or imperfect

    @property
    def day(self) -> dt.date | None:
        return self.date.start if self.date else None


class EventAssembler:
    """Stage: mentions of one report (+ its parse) -> event candidates."""

    def __init__(self, *, lexicon: dict[str, Any], taxonomy: dict[str, Any], dictionary: ActorDictionary | None = None) -> None:
        roles = lexicon["roles"]
        self.agent_cases = {fold(w) for w in roles["agent"]}
        self.patient_cases = {fold(w) for w in roles["patient"]}
        self.de_is_patient = {fold(w) for w in roles["de_is_patient"]}
        self.subject_is_patient = {fold(w) for w in roles.get("subject_is_patient", [])}
        self.light_verbs = {fold(w) for w in lexicon["light_verbs"] if " " not in w}
        self.reporting_verbs = {fold(w) for w in lexicon["claims"]["verbs"] if " " not in w}
        self.responsibility_verbs = {fold(w) for w in roles.get("responsibility_verbs", [])}
        self.symmetric_verbs = {fold(w) for w in roles.get("symmetric_verbs", [])}
        self.opponent_verbs = {fold(w) for w in roles.get("opponent_verbs", [])}
        self.negation = {fold(w) for w in lexicon["modality"]["negation"]}
        self.passive_agent = {fold(w) for w in roles.get("passive_agent", [])}
        self.doers = self.light_verbs | self.responsibility_verbs
        self.needs_place = {fold(w) for w in lexicon.get("territory_needs_place", [])}
        self.same_source = {fold(w) for w in lexicon["claims"].get("same_source", [])}
        self.definite = {fold(w) for w in lexicon.get("definite_determiners", [])}
        self.agent_phrases = PhraseIndex((w, True) for w in roles["agent"] if " " in w)
        self.patient_phrases = PhraseIndex((w, True) for w in roles["patient"] if " " in w)
        self.meta = taxonomy["meta"]
        self.default_actor1: dict[str, str] = taxonomy.get("default_actor1", {})
        self.dictionary = dictionary or ActorDictionary.default()

    def __call__(self, doc: Doc, mentions: Mentions, sentences: list[SpacySpan], focus_country: str | None) -> list[EventCandidate]:
        candidates: list[EventCandidate] = []
        narrative: tuple[int, DateMention] | None = None  # (paragraph, date) the story is at
        lead = next((s.paragraph for s in mentions.sentences if not s.is_caption and not s.is_quote), 0)
        located = [p for p in mentions.places if p.kind == "place"]  # not "Malian", "University of X", "Paris a dit"
        for index, (sentence, record) in enumerate(zip(sentences, mentions.sentences)):
            in_sentence = _within(record.start, record.end)
            dates = [d for d in mentions.dates if in_sentence(d.span.start)]
            event_dates = [d for d in dates if not d.since]
            if record.is_caption or record.is_quote:
                if record.is_caption and not record.is_quote:
                    narrative = None  # a heading or caption starts a new thread of the story
                continue
            asserted = [t for t in mentions.triggers if in_sentence(t.span.start) and t.modality == "asserted"]
            complete = [t for t in asserted if self._complete(t, doc[t.head], mentions.places)]
            triggers = self._strongest(complete)
            if triggers and max(t.strength for t in triggers) == 1 and not event_dates and candidates \
                    and record.paragraph != lead:
                triggers = []  # "they hit a convoy": more about the event just told, not a new one
            claims = [c for c in mentions.claims if in_sentence(c.span.start)]
            actors = [a for a in mentions.actors if in_sentence(a.span.start) and not _inside_claim(a, claims)]
            places = [p for p in located if in_sentence(p.span.start) and not _inside_actor(p, actors)
                      and not _inside_claim(p, claims)]
            numbers = [n for n in mentions.numbers if in_sentence(n.span.start)]
            trigger_heads = {t.head for t in mentions.triggers if in_sentence(t.span.start) and t.modality == "asserted"}
            actor_heads = {a.head for a in actors}
            triggers = triggers + _violence_beside_a_crowd(asserted, triggers, actors)
            victim_heads = {t.head for t in mentions.triggers if in_sentence(t.span.start) and t.sub_event_type == "kill"}
            for trigger in triggers:
                head = doc[trigger.head]
                if not self._asserted_in_context(head, event_dates, numbers, doc, trigger_heads, actor_heads):
                    continue
                if self._done_by_an_event(head, trigger_heads):
                    continue  # "la population prise en otage par les combats": a figure of speech
                if trigger.sub_event_type == "withdrawal" and not _withdrawer_is_an_actor(head, actor_heads):
                    continue  # "forced the firm Total to pull out": a company leaving is no transfer of territory
                candidate = EventCandidate(trigger=trigger, sub_event_type=trigger.sub_event_type, sentence_index=index,
                                           paragraph=record.paragraph, sentence_span=(record.start, record.end),
                                           recent=_recent_tense(head))
                self._assign_actors(candidate, head, actors, doc, candidates, trigger_heads, victim_heads)
                if trigger not in complete and not is_crowd(candidate.actor1):
                    continue  # "stormed a police post": a riot when a crowd did it, no capture by anyone else
                candidate.date = self._date_for(head, event_dates, doc)
                if candidate.date is None and narrative is not None and record.paragraph - narrative[0] <= NARRATIVE_GAP:
                    candidate.date, candidate.date_inherited = narrative[1], True
                candidate.place = self._place_for(head, places, doc)
                if candidate.place is None:
                    candidate.place = self._place_in_context(located, record, candidates)
                    candidate.place_inherited = candidate.place is not None
                if candidate.place is None:
                    candidate.place = region_fallback(mentions.places)  # the division or country, geo_precision 3
                    candidate.place_inherited = candidate.place is not None
                if candidate.place is not None and candidate.place.entry is None:
                    known = [p for p in places if p.entry is not None and not p.entry.feature_code.startswith("PCL")]
                    candidate.nearest_known = self._place_for(head, known, doc) if known else \
                        self._place_in_context(located, record, candidates)
                candidate.deaths = _deaths(numbers, doc)
                candidate.claim = self._claim_for(doc, sentence, claims, record.start)
                if candidate.claim is not None and fold(candidate.claim.source) in self.same_source:
                    earlier = [c for c in mentions.claims if c.span.end <= candidate.claim.span.start
                               and fold(c.source) not in self.same_source]
                    candidate.claim = earlier[-1] if earlier else candidate.claim  # "selon la même source"
                self._resolve_type(candidate, numbers, focus_country, candidates)
                if candidate.sub_event_type is None:
                    continue
                candidates.append(candidate)
                if candidate.date is not None and not candidate.date_inherited:
                    narrative = (record.paragraph, candidate.date)
            if not triggers and candidates:
                self._attach_orphan_deaths(candidates, numbers, event_dates, record.paragraph, doc)
        return candidates

    @staticmethod
    def _strongest(triggers: list[TriggerMention]) -> list[TriggerMention]:
        """The most specific triggers of a sentence: 'tués dans un raid aérien' is an air strike.

        Battle words go together (a clash and a capture in one sentence are one battle).
        """
        if not triggers:
            return triggers
        best = max(t.strength for t in triggers)
        return [t for t in triggers if t.strength == best or (t.strength >= 2 and t.event_type == "Battles"
                                                                and any(b.strength == best and b.sub_event_type == "territory" for b in triggers))]

    def _asserted_in_context(self, head: Token, dates: list[DateMention], numbers: list[NumberMention], doc: Doc,
                             trigger_heads: set[int], actor_heads: set[int]) -> bool:
        """A nominal trigger that is only referred to ('la chute de X nous a coûté...') is not news.

        It counts when its own clause gives it a date or a toll, when it is the object of a
        light verb ('mener une offensive') or the subject of an event verb ('the attack
        killed'), when it heads the sentence, or when it is the circumstance of another event
        ('killed in an air strike').
        """
        if head.pos_ == "VERB":
            # "the coalition targeting Houthi rebels": a description of an actor, not an event
            return not (head.dep_ in {"acl", "amod"} and head.head.i in actor_heads)
        if head.dep_ == "ROOT":
            return True
        governor = head.head
        steps = 0
        while governor.pos_ not in {"VERB", "AUX"} and governor.head.i != governor.i and steps < 3:
            governor = governor.head
            steps += 1
        clause = {t.i for t in governor.subtree} if governor.pos_ in {"VERB", "AUX"} else {t.i for t in head.sent}
        if any(_token_at(doc, d.span.start) in clause for d in dates):
            return True
        if any(n.category == "killed" and n.head in clause for n in numbers):
            return True
        if fold(governor.lemma_) in self.light_verbs or governor.i in trigger_heads:
            return True  # "mener une offensive", "un kamikaze s'est fait exploser"
        return head.dep_ in {"obl", "obl:mod", "pobj"} and governor.pos_ == "VERB" and head.head.pos_ in {"VERB", "ADP"}

    def _role(self, actor_head: Token, trigger: Token, trigger_heads: set[int] = frozenset()) -> str | None:
        """'agent', 'patient' or None, from the dependency path between actor and trigger.

        The path may not cross another clause's verb ('Gao, reprise par les forces
        françaises' tells who took Gao, not who attacked it), except another word of the event.
        """
        path = []
        node = actor_head
        for _ in range(MAX_PATH):
            if node.i == trigger.i:
                break
            if path and node.pos_ == "VERB" and node.i not in trigger_heads:
                return None
            if path and node.pos_ == "VERB" and path[-1].dep_ in {"obj", "dobj"} and fold(node.lemma_) in self.opponent_verbs:
                return "patient"  # "rebels fighting government forces seized...": the forces are fought
            if path and node.pos_ == "VERB" and node.dep_ in {"acl", "acl:relcl", "relcl"} \
                    and any(c.dep_ in {"obl:agent", "agent"} or c.dep_.startswith("nsubj") for c in node.children):
                return None  # "Gao, reprise par les forces françaises": the participle's own agent
            path.append(node)
            if node.head.i == node.i:
                return None
            node = node.head
        else:
            return None
        if node.i != trigger.i or not path:
            return None
        child = path[-1]
        dep = child.dep_
        cases = {fold(c.text) for c in child.children if c.dep_ == "case"}  # the marker on the trigger's own argument
        if dep == "prep":
            cases.add(fold(child.text))
        if cases & {"entre", "between"}:
            return "patient" if path[0].dep_ == "conj" else "agent"  # "combats entre X et Y"
        if dep in {"nsubj:pass", "nsubjpass"} and not _pronominal(trigger):
            return "patient"
        if dep in {"nsubj", "csubj", "nsubj:pass"}:
            return "patient" if self._subject_loses(trigger) else "agent"
        if dep in {"obl:agent", "agent"} or cases & self.passive_agent:
            return None if _participle_between(trigger, actor_head) else "agent"
        if dep in {"obj", "dobj", "iobj"}:
            return "patient"
        if cases & self.patient_cases:
            return "patient"
        if dep == "poss":
            return "patient" if fold(trigger.lemma_) in self.de_is_patient else "agent"
        if cases & {"de", "d'", "du", "des", "of"} or dep in {"nmod", "compound", "amod"}:  # "frappes russes"
            if fold(trigger.lemma_) in self.de_is_patient:
                return "patient"
            return "agent"
        if cases & self.agent_cases:
            return "agent"
        return None

    def _assign_actors(self, candidate: EventCandidate, head: Token, actors: list[ActorMention], doc: Doc,
                       previous: list[EventCandidate], trigger_heads: set[int], victim_heads: set[int] = frozenset()) -> None:
        agents: list[ActorMention] = []
        patients: list[ActorMention] = []
        governor = head.head if head.pos_ != "VERB" and head.head.pos_ in {"VERB", "AUX"} else None
        controllers = _controllers(head)
        unassigned: list[ActorMention] = []
        for actor in actors:
            actor_head = doc[actor.head]
            role = self._role(actor_head, head, trigger_heads)
            if role is None and governor is not None:
                role = self._role(actor_head, governor, trigger_heads)
                if role == "patient" and head.dep_ in {"obj", "dobj"}:
                    role = None  # the light verb's object is the trigger itself
                if governor is not None and fold(governor.lemma_) in self.symmetric_verbs and actor_head.i in {t.i for t in governor.subtree} \
                        and actor_head.i not in {t.i for t in head.subtree}:
                    # "des combats ont opposé X à Y": X (object) and Y are the two sides
                    marked = {fold(c.text) for c in actor_head.children if c.dep_ in {"case", "prep"}} | \
                        ({fold(actor_head.head.text)} if actor_head.head.dep_ == "prep" else set())
                    role = "patient" if marked & {"a", "contre", "against", "with", "avec"} else \
                        "agent" if _argument_of(actor_head, governor).dep_ in {"obj", "dobj", "nsubj"} else "patient"
            if role is None and any(self._role(actor_head, c) == "agent" for c in controllers):
                role = "agent"  # "l'armée a pu prendre", "rebels tried to seize"
            if role is None:
                role = self._marked_role(doc, actor)
            if role == "agent":
                (candidate.assoc1 if self._supporting(actor_head) else agents).append(actor)
            elif role == "patient":
                patients.append(actor)
            else:
                unassigned.append(actor)
        agent_heads = {a.head for a in agents}
        for actor in unassigned:
            support = doc[actor.head].head
            if self._supporting(doc[actor.head]) and support.head.i in agent_heads:
                candidate.assoc1.append(actor)  # "les soldats, soutenus par des miliciens"
        unassigned = [a for a in unassigned if a not in candidate.assoc1]
        if not agents and governor is not None and fold(governor.lemma_) in self.responsibility_verbs \
                and not self._negated(governor):
            subject = _subject(governor)  # "ils revendiquent l'explosion": who claims it did it
            if subject is not None and fold(subject.text) in PERSON_PRONOUNS and previous and previous[-1].actor1:
                agents.append(previous[-1].actor1)
            agents += [a for a in unassigned if subject is not None and a.head == subject.i]
        if not agents:
            before = [a for a in unassigned if a.span.end <= candidate.trigger.span.start]
            subject = _subject(head)
            before = [a for a in before if (a.actor.inter != 7 or candidate.trigger.event_type in {"Protests", "Riots"})
                      and not _undergoes_other_verb(doc[a.head], trigger_heads) and not self._agent_of_something(doc[a.head])
                      and not self._subject_of_other_act(doc[a.head], head, trigger_heads)]
            if before:
                agents.append(before[-1])
            elif subject is not None and fold(subject.text) in PERSON_PRONOUNS and previous:
                last = previous[-1]
                if last.actor1 is not None:
                    agents.append(last.actor1)
        if not patients:
            after = [a for a in unassigned if a.span.start >= candidate.trigger.span.end and a not in agents]
            if after and candidate.trigger.event_type == "Battles":
                patients.append(after[0])
        if not patients:  # "l'explosion qui a tué quatre militaires maliens": the dead are who it hit
            patients += [a for a in unassigned if a not in agents and _victim(doc[a.head], victim_heads)]
        if candidate.trigger.event_type not in {"Protests", "Riots"}:
            civilians = [a for a in agents if a.actor.inter == 7]
            agents = [a for a in agents if a.actor.inter != 7]
            patients = patients + [c for c in civilians if c not in patients]
        candidate.actor1 = agents[0] if agents else None
        others = [p for p in patients if candidate.actor1 is None or p.actor.name != candidate.actor1.actor.name]
        candidate.actor2 = others[0] if others else None
        opponents = {candidate.actor2.actor.name} if candidate.actor2 else set()  # "rebels fighting the army seized"
        candidate.assoc1 += [a for a in agents[1:] if a.actor.name != candidate.actor1.actor.name
                             and a.actor.name not in opponents] if candidate.actor1 else []
        if self._symmetric(head, doc, candidate) and candidate.actor2.actor.inter < candidate.actor1.actor.inter:
            candidate.actor1, candidate.actor2 = candidate.actor2, candidate.actor1  # ACLED lists the lower inter code first
        if candidate.trigger.event_type == "Protests" and candidate.actor2 is not None and candidate.actor2.actor.inter == 6 \
                and (candidate.actor1 is None or candidate.actor1.actor.inter != 6):
            candidate.actor1, candidate.actor2 = candidate.actor2, candidate.actor1  # ACLED: protesters first, then who intervened
        crowd = CROWDS.get(candidate.trigger.event_type)
        if crowd and candidate.actor1 is not None and candidate.actor1.actor.inter == 1 \
                and candidate.sub_event_type != "Excessive force against protesters":
            if candidate.actor2 is None or candidate.actor2.actor.inter != 1:
                candidate.actor2 = candidate.actor1
            candidate.actor1 = None  # ACLED: the crowd comes first, the police it faced second (the default fills the crowd in)
        if crowd and candidate.actor1 is not None and candidate.actor1.actor.inter == 7 and candidate.actor1.actor.generic:
            ref = self.dictionary.generic(crowd, candidate.actor1.actor.country)
            if ref is not None:  # "des centaines de personnes ont manifesté": ACLED's protesters, not civilians
                candidate.actor1 = candidate.actor1.model_copy(update={"actor": ref})

    def _subject_of_other_act(self, actor_head: Token, trigger: Token, trigger_heads: set[int]) -> bool:
        """'The Taliban denied the bombing', 'the army condemned the attack': the subject of a verb
        that is neither an event word nor one that says its subject did the event (light and
        responsibility verbs, unless negated) is not the event's agent."""
        verb = actor_head.head
        if not actor_head.dep_.startswith("nsubj") or verb.pos_ not in {"VERB", "AUX"} or verb.i in trigger_heads:
            return False
        if trigger.i not in {t.i for t in verb.subtree}:
            return False
        return self._negated(verb) or fold(verb.lemma_) not in self.doers

    def _negated(self, verb: Token) -> bool:
        return any(c.dep_ == "neg" or fold(c.text) in self.negation for c in verb.children)

    def _done_by_an_event(self, head: Token, trigger_heads: set[int]) -> bool:
        """The passive agent of the trigger is another event word ("prise en otage par les
        affrontements", "crushed by the fighting"): the sentence speaks figuratively."""
        agents = [c for c in head.children if c.dep_ in {"obl:agent", "agent"}]
        agents += [g for a in agents if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"]
        doc = head.doc
        for i in range(head.i + 1, min(head.i + AGENT_REACH, len(doc) - 1)):
            if fold(doc[i].text) in self.passive_agent:  # parsers often attach "par les combats" elsewhere
                agents += [next((t for t in doc[i + 1:i + 4] if t.pos_ in {"NOUN", "PROPN", "PRON"}), doc[i])]
                break
        return any(a.i in trigger_heads and a.i != head.i for a in agents)

    def _agent_of_something(self, token: Token) -> bool:
        """"par les soldats", "by the army": the agent of whatever it attaches to; had that been the
        trigger, the parse would have said so, so word order must not make it the trigger's agent."""
        if token.dep_ in {"obl:agent", "agent"} or (token.dep_ == "pobj" and fold(token.head.text) in self.passive_agent):
            return True
        return any(c.dep_ == "case" and fold(c.text) in self.passive_agent for c in token.children)

    def _complete(self, trigger: TriggerMention, head: Token, places: list[PlaceMention]) -> bool:
        """Whether a capture word has what it needs to be a capture: "les combats ont repris" is
        resumed, not retaken; "prendre la fuite", "stormed a hotel" take no territory."""
        if trigger.sub_event_type != "territory":
            return True
        if not self._takes_something(trigger, head):
            return False
        return fold(trigger.lemma) not in self.needs_place or _object_is_a_place(head, places)

    def _takes_something(self, trigger: TriggerMention, head: Token) -> bool:
        """A capture verb needs what was captured: an object, a passive subject, or a fall frame."""
        if head.pos_ != "VERB" or " " in trigger.lemma.strip() or self._subject_loses(head):
            return True
        return any(c.dep_ in {"obj", "dobj", "nsubj:pass", "nsubjpass", "aux:pass", "auxpass", "obl:arg"} for c in head.children)

    @staticmethod
    def _symmetric(head: Token, doc: Doc, candidate: EventCandidate) -> bool:
        """'fighting between X and Y', 'clashes with': neither side is the attacker."""
        if candidate.actor1 is None or candidate.actor2 is None or candidate.trigger.event_type != "Battles":
            return False
        return any(fold(t.text) in {"entre", "between"} for t in head.subtree)

    def _subject_loses(self, trigger: Token) -> bool:
        return fold(trigger.lemma_) in self.subject_is_patient or fold(trigger.text) in self.subject_is_patient

    def _marked_role(self, doc: Doc, actor: ActorMention) -> str | None:
        """A role given by the words just before the actor: 'aux mains de X', 'à proximité de X'."""
        span = doc.char_span(actor.span.start, actor.span.end, alignment_mode="expand")
        if span is None:
            return None
        start = span.start - 1 if span.start and doc[span.start - 1].pos_ == "DET" else span.start
        for role, phrases in (("agent", self.agent_phrases), ("patient", self.patient_phrases)):
            if any(m.end in (span.start, start) for m in phrases.matches(doc, max(0, start - 4), span.start)):
                return role
        return None

    @staticmethod
    def _supporting(actor_head: Token) -> bool:
        """'appuyée par le Hezbollah', 'backed by Russia': an associated actor."""
        node = actor_head.head
        return fold(node.lemma_) in SUPPORT_VERBS

    def _date_for(self, head: Token, dates: list[DateMention], doc: Doc) -> DateMention | None:
        """The date of the trigger's clause; a date that belongs to a reporting verb above the
        trigger ("the ministry stated on Sunday in a statement that ... raids killed") is the report's."""
        dates = [d for d in dates if not self._reporting_date(doc[_token_at(doc, d.span.start)], head)]
        if not dates:
            return None
        if len(dates) == 1:
            return dates[0]
        clause = {t.i for t in (head.head if head.pos_ != "VERB" else head).subtree}
        attached = [d for d in dates if _token_at(doc, d.span.start) in clause]
        pool = attached or dates
        return min(pool, key=lambda d: (d.precision, abs(d.span.start - head.idx)))

    def retold_date(self, candidate: EventCandidate, mentions: Mentions, doc: Doc) -> DateMention | None:
        """The day a later sentence gives an event the lead told undated: "the attack happened on
        Monday", "la frappe de dimanche soir". Only a definite noun of the same kind refers back,
        in a sentence that tells no other kind of event, to a day of the week before publication."""
        earliest = mentions.publication_date - dt.timedelta(days=RETOLD_DAYS)
        for trigger in mentions.triggers:
            if trigger.span.start < candidate.sentence_span[1] or trigger.modality != "asserted" \
                    or trigger.sub_event_type not in {candidate.trigger.sub_event_type, "attack"}:
                continue
            head = doc[trigger.head]
            if head.pos_ != "NOUN" or not any(fold(c.text) in self.definite for c in head.children if c.dep_ in {"det", "poss"}):
                continue
            sentence = head.sent
            within = _within(sentence.start_char, sentence.end_char)
            if any(within(t.span.start) and t.strength >= 3 and t.sub_event_type != candidate.trigger.sub_event_type
                   for t in mentions.triggers):
                continue  # "killed in the explosion of a mine": another event
            days = [d for d in mentions.dates if within(d.span.start) and d.precision == 1 and not d.since
                    and d.start >= earliest]
            date = self._date_for(head, days, doc)
            if date is not None:
                return date
        return None

    @staticmethod
    def _place_in_context(places: list[PlaceMention], record: Sentence, previous: list[EventCandidate]) -> PlaceMention | None:
        """The place the story is at: the last town named earlier in the paragraph, else the
        place of the event told just before, else the last town the report put the story in
        ("at a ceremony in Pretoria ... the two sides signed")."""
        earlier = [p for p in places if p.span.end <= record.start and p.entry is not None
                   and not p.entry.feature_code.startswith(("PCL", "ADM")) and p.relation != "direction"]
        same_paragraph = [p for p in earlier if p.span.start >= record.paragraph_start]
        if same_paragraph:
            return same_paragraph[-1]
        if previous and previous[-1].place is not None and record.paragraph - previous[-1].paragraph <= NARRATIVE_GAP:
            return previous[-1].place
        told_in = [p for p in earlier if p.relation == "in"]
        return told_in[-1] if told_in else None  # where the story was last said to be

    def _reporting_date(self, date_token: Token, trigger: Token) -> bool:
        verb = date_token
        for _ in range(4):
            if verb.pos_ == "VERB" or verb.head.i == verb.i:
                break
            verb = verb.head
        if fold(verb.lemma_) not in self.reporting_verbs or trigger.i == verb.i:
            return False
        above = {trigger.i} | {t.i for t in trigger.ancestors}
        return verb.i in above or (verb.dep_.startswith(("parataxis", "conj")) and verb.head.i in above)  # "..., a appris l'AFP vendredi"

    def _place_for(self, head: Token, places: list[PlaceMention], doc: Doc) -> PlaceMention | None:
        usable = [p for p in places if p.entry is not None or p.relation in {"in", "near", "region"}]
        if not usable:
            return None
        verb = head if head.pos_ == "VERB" else head.head
        def distance(place: PlaceMention, targets: tuple[int, ...] = (head.i, verb.i)) -> int:
            """Dependency steps from the place up to the trigger; prepositions and container nouns
            ("on the village of X", "dans le quartier de X") are not steps."""
            node = doc[place.head] if place.head >= 0 else doc[_token_at(doc, place.span.start)]
            steps = 0
            for _ in range(2 * MAX_PATH + 1):
                if node.i in targets:
                    return steps
                if node.head.i == node.i or steps > MAX_PATH:
                    break
                node = node.head
                if node.pos_ != "ADP" and node.lower_ not in container_words():
                    steps += 1
            return MAX_PATH + 1 + abs(place.span.start - head.idx) // 40
        def is_country(place: PlaceMention) -> bool:
            return place.entry is not None and place.entry.feature_code.startswith("PCL")
        def scale(place: PlaceMention) -> int:
            code = place.entry.feature_code if place.entry else ""
            return 0 if code in {"PPLX", "PPLL"} or (place.entry and place.entry.id.startswith("supplement:")) else \
                2 if code.startswith("ADM") or place.relation == "region" else 1
        def argument(place: PlaceMention) -> bool:
            """"la prise du quartier de X", "recaptured the town of X", "shelled X": a place the trigger
            itself governs is where the event happened, whatever preposition introduces it."""
            return distance(place, (head.i,)) <= (2 if head.i != verb.i else 1)
        return min(usable, key=lambda p: (is_country(p), p.relation == "direction", distance(p) > 2,
                                          not argument(p) and RANK[p.relation] > 2, scale(p), distance(p),
                                          0 if p.entry is not None else 1))

    def _claim_for(self, doc: Doc, sentence: SpacySpan, claims: list[ClaimMention], sentence_start: int) -> ClaimMention | None:
        if claims:
            return claims[0]
        if is_first_person(sentence):
            return testimony_source(doc, sentence_start)
        return None

    def _resolve_type(self, candidate: EventCandidate, numbers: list[NumberMention], focus_country: str | None,
                      previous: list[EventCandidate]) -> None:
        """Meta types become ACLED sub-event types once the actors are known."""
        meta = self.meta.get(candidate.sub_event_type)
        if meta is None:
            default = self.default_actor1.get(candidate.sub_event_type)
            if candidate.actor1 is None and default:
                candidate.actor1 = self._implicit(default, candidate, focus_country)
                if default == "military" and previous and previous[-1].actor1 is not None \
                        and previous[-1].actor1.actor.inter in {1, 8} and candidate.paragraph - previous[-1].paragraph <= NARRATIVE_GAP:
                    candidate.actor1 = previous[-1].actor1  # "jets conducted raids": the forces just named
            if candidate.actor2 is None and candidate.trigger.event_type == "Explosions/Remote violence" \
                    and _victims_are_civilians(numbers):
                candidate.actor2 = self._implicit("civilians", candidate, focus_country)
            return
        actor1 = candidate.actor1.actor if candidate.actor1 else None
        actor2 = candidate.actor2.actor if candidate.actor2 else None
        if "state_actor" in meta:
            if actor1 is None and actor2 is not None:
                state = actor2.inter != 1
            else:
                state = actor1 is not None and actor1.inter == 1
            candidate.sub_event_type = meta["state_actor"] if state else meta["other_actor"]
            if candidate.actor1 is None and candidate.sub_event_type == "Arrests":
                candidate.actor1 = self._implicit(self.default_actor1["Arrests"], candidate, focus_country)  # the police
            if actor1 is None and actor2 is None:
                candidate.sub_event_type = None  # a capture by nobody named: no event to code
        elif "civilian_target" in meta:
            if actor2 is None and _victims_are_civilians(numbers):
                candidate.actor2 = self._implicit("civilians", candidate, focus_country)
                actor2 = candidate.actor2.actor if candidate.actor2 else None
            if actor2 is not None and actor2.inter == 7:
                candidate.sub_event_type = meta["civilian_target"]
            elif actor2 is not None:
                candidate.sub_event_type = meta["armed_target"]
            else:
                candidate.sub_event_type = meta["no_target"] if actor1 is not None else None
        else:
            candidate.sub_event_type = meta["any"]

    def _implicit(self, key: str, candidate: EventCandidate, focus_country: str | None) -> ActorMention | None:
        """An actor the report implies without naming (civilian victims, the state's air force)."""
        return self.dictionary.implied(key, focus_country, candidate.trigger)

    @staticmethod
    def _attach_orphan_deaths(candidates: list[EventCandidate], numbers: list[NumberMention], dates: list[DateMention],
                              paragraph: int, doc: Doc) -> None:
        """Deaths told in a sentence without an event word belong to the event just told."""
        deaths = _deaths(numbers, doc)
        if deaths is None:
            return
        last = candidates[-1]
        if last.paragraph < paragraph - 2:
            return
        if dates and last.date is not None and not any(d.start <= last.date.start <= d.end for d in dates):
            return
        if last.deaths is None:
            last.deaths = deaths


def _violence_beside_a_crowd(asserted: list[TriggerMention], kept: list[TriggerMention],
                             actors: list[ActorMention]) -> list[TriggerMention]:
    """The clashes, storming or burning told in a sentence about a demonstration.

    A sentence's most specific word usually names its event, but "clashes broke out between
    protesters and police" is a riot only through its weaker word: the violence is kept beside
    the demonstration, unless an armed group is named, for the pipeline to say whose it was.
    """
    if not any(t.event_type in CROWDS for t in kept):
        return []
    if any(a.actor.inter in INTER_ARMED for a in actors):
        return []
    return [t for t in asserted if t not in kept and t.sub_event_type in CROWD_VIOLENCE]


def _pronominal(verb: Token) -> bool:
    """'Les soldats se sont retirés': a pronominal verb with être, which the parser may read as a
    passive; its subject is the doer."""
    return any(c.dep_.startswith("expl") and fold(c.text) in {"se", "s'"} for c in verb.children)


def _withdrawer_is_an_actor(verb: Token, actor_heads: set[int]) -> bool:
    """Who withdrew: the verb's own subject, or the object of the verb that made them ("forced
    the firm to pull out", "a contraint le groupe à se retirer"). A named noun that is no
    actor (a company, an agency) withdraws no forces; a pronoun or an unstated one may."""
    if verb.pos_ != "VERB":
        return True
    who = [c for c in verb.children if c.dep_ in {"nsubj", "nsubj:pass"}]
    if not who and verb.dep_ == "xcomp":
        who = [c for c in verb.head.children if c.dep_ in {"obj", "dobj"}]
    return not any(w.pos_ in {"NOUN", "PROPN"} and not any(t.i in actor_heads for t in w.subtree) for w in who)


def is_crowd(mention: ActorMention | None) -> bool:
    """Whether the mention is of rioters or protesters."""
    return mention is not None and mention.actor.inter in INTER_CROWDS


def _recent_tense(head: Token) -> bool:
    """Present or perfect ('se fait sauter', 'a attaqué', 'attacked'), not pluperfect or
    imperfect ('avait fait', 'had killed', 'bombardait'): events further back in time."""
    verb = head
    for _ in range(3):
        if verb.pos_ in {"VERB", "AUX"} or verb.head.i == verb.i:
            break
        verb = verb.head
    for token in [verb, *[c for c in verb.children if c.dep_.startswith("aux")]]:
        if "Imp" in token.morph.get("Tense") or "Pqp" in token.morph.get("Tense"):
            return False
        if token.lower_ in {"had", "'d"} and token.dep_.startswith("aux"):
            return False
    return True


def _argument_of(token: Token, verb: Token) -> Token:
    """The child of ``verb`` whose subtree holds ``token``."""
    node = token
    while node.head.i != verb.i and node.head.i != node.i:
        node = node.head
    return node


def _controllers(head: Token) -> list[Token]:
    """Verbs whose subject is the trigger's implicit subject: 'a pu prendre', 'tried to seize'."""
    found = []
    node = head
    while node.dep_ in {"xcomp", "ccomp"} and node.head.i != node.i and len(found) < 3:
        node = node.head
        found.append(node)
    return found


def _subject(head: Token) -> Token | None:
    """The subject of the trigger's clause: its own, or that of the verb governing it."""
    node = head
    for _ in range(3):
        subject = next((c for c in node.children if c.dep_.startswith("nsubj")), None)
        if subject is not None:
            return subject
        if node.head.i == node.i:
            break
        node = node.head
    return None


def _within(start: int, end: int):  # type: ignore[no-untyped-def]
    return lambda position: start <= position < end


def _token_at(doc: Doc, char: int) -> int:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span.start if span is not None else 0


def _inside_claim(mention: ActorMention | PlaceMention, claims: list[ClaimMention]) -> bool:
    """The army in 'a indiqué un officier de l'armée' speaks; it does not act (nor is it a place)."""
    return any(c.span.start <= mention.span.start and mention.span.end <= c.span.end for c in claims)


def _object_is_a_place(verb: Token, places: list[PlaceMention]) -> bool:
    """The verb's object (or passive subject) is a place the report names: "ont pris Diabali",
    "Gao was taken" (``places``: the whole report's, since a name is a place wherever it stands)."""
    objects = [c for c in verb.children if c.dep_ in {"obj", "dobj", "nsubj:pass", "nsubjpass"}]
    names = {fold(p.name) for p in places}
    for obj in objects:
        if obj.lower_ in container_words():  # "la ville de X", "the town of X": the place named after it
            named = [t for t in obj.subtree if t.head.i == obj.i or t.head.head.i == obj.i]
            if any(p.span.start <= t.idx < p.span.end for t in named for p in places):
                return True
        if any(p.span.start <= obj.idx < p.span.end for p in places):
            return True
        if obj.pos_ == "PROPN" and fold(obj.text) in names:
            return True
    return False


def _participle_between(trigger: Token, agent: Token) -> bool:
    """"une attaque a été commise à Gao, ville reprise en janvier par les forces françaises": a
    past participle between the event word and "par X" is the one X is the agent of, whatever
    the parser attached "par X" to."""
    low, high = sorted((trigger.i, agent.i))
    return any(t.pos_ == "VERB" and "Part" in t.morph.get("VerbForm") and t.i != trigger.head.i
               for t in trigger.doc[low + 1:high])


def _object_of(token: Token, verbs: set[int]) -> bool:
    """The token heads the object (or passive subject) of one of ``verbs``."""
    return token.head.i in verbs and token.dep_ in {"obj", "dobj", "nsubj:pass", "nsubjpass"}


def _victim(token: Token, victims: set[int]) -> bool:
    """'quatre militaires tués', 'two members of Hezbollah were killed', 'des civils qui ont été
    tués': the actor is (or names the group of) the object or passive subject of a word of
    killing (``victims``: their heads), or a killing clause describes it."""
    node = token
    for _ in range(4):
        if _object_of(node, victims) or any(c.i in victims and c.dep_ in {"acl", "acl:relcl", "relcl"} for c in node.children):
            return True
        if node.dep_ not in {"nmod", "appos", "flat", "flat:name", "compound", "pobj", "prep"} or node.head.i == node.i:
            return False
        node = node.head
    return False


def _undergoes_other_verb(actor_head: Token, trigger_heads: set[int]) -> bool:
    """'the bodies of rebel fighters were recovered after a bombardment': the fighters are what
    another verb acts on, so word order alone does not make them the bombardment's agent."""
    argument, node = actor_head, actor_head.head
    while node.pos_ not in {"VERB", "AUX"} and node.head.i != node.i:
        argument, node = node, node.head
    if node.pos_ not in {"VERB", "AUX"} or node.i in trigger_heads or argument.i == node.i:
        return False
    return argument.dep_ in {"nsubj:pass", "nsubjpass", "obj", "dobj"}


def _inside_actor(place: PlaceMention, actors: list[ActorMention]) -> bool:
    return any(a.span.start <= place.span.start and place.span.end <= a.span.end for a in actors)


def _deaths(numbers: list[NumberMention], doc: Doc | None = None) -> NumberMention | None:
    """The sentence's death toll: its largest count of dead, or the sum of coordinated counts
    ("20 soldiers and eight rebels were killed": 28, ACLED adds up the sides)."""
    killed = [n for n in numbers if n.category == "killed" and not n.subset]
    if not killed:
        return None
    if doc is not None and len(killed) > 1:
        def noun(n: NumberMention) -> int:  # "20 soldiers": the count's noun, which coordination links
            token = doc[n.head]
            return token.head.i if token.dep_ == "nummod" else token.i
        nouns = {noun(n): n for n in killed if n.head >= 0}
        for number in killed:
            parts = [number] + [nouns[t.i] for t in doc[noun(number)].conjuncts if t.i in nouns] if number.head >= 0 else []
            if len(parts) > 1:
                first, last = min(p.span.start for p in parts), max(p.span.end for p in parts)
                return NumberMention(span=Span(start=first, end=last, text=doc_text(doc)[first:last]),
                                     value=sum(p.value for p in parts), category="killed",
                                     vague=any(p.vague for p in parts), minimum=any(p.minimum for p in parts),
                                     head=number.head)
    return max(killed, key=lambda n: n.value)


def _victims_are_civilians(numbers: list[NumberMention]) -> bool:
    civilian_words = {"people", "personnes", "personne", "civils", "civilians", "civil", "civilian", "habitants", "residents",
                      "enfants", "children", "femmes", "women", "villageois", "villagers", "passants"}
    return any(n.category == "killed" and not n.subset and set(fold(n.span.text).split()) & civilian_words for n in numbers)


def actor_ref(mention: ActorMention | None) -> ActorRef | None:
    return mention.actor if mention else None
