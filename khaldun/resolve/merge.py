"""Merge the mentions of one event told several times in one report.

ACLED's rule: one event is one day, one place, one actor pair, one type. Mentions merge
when nothing they state contradicts: same day (or no date of their own), same type
(battle types together; remote violence folds into a battle by the same actor on the same
day and place, ACLED's hierarchy), compatible actors (equal or unnamed) and compatible
places (equal, one inside the other, within a few km, or unnamed).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from khaldun.extract.events import EventCandidate
from khaldun.schema import INTER_NON_STATE, ActorMention, ActorRef, DateMention, PlaceMention, Span

NEAR_KM = 5.0
PLACE_RANK = {"in": 0, "mention": 1, "near": 2, "region": 3}
"""Among places of one scale, the event's own over one it was only said to be near."""
NEAR_RELATION_KM = 120.0  # "near X", "100 km north of X": how far from X such an event may lie
TERRITORY = {"Government regains territory", "Non-state actor overtakes territory"}
BATTLE = {"Armed clash"} | TERRITORY
TRANSFER = "Non-violent transfer of territory"
VIOLENT = TERRITORY | {"Armed clash", "Attack", "Abduction/forced disappearance", "Sexual violence", "Mob violence",
                       "Violent demonstration", "Air/drone strike", "Shelling/artillery/missile attack",
                       "Remote explosive/landmine/IED", "Suicide bomb", "Grenade", "Chemical weapon"}
LOOTING = "Looting/property destruction"
"""ACLED codes looting and destruction apart only outside another violent event: homes burnt in
an attack on a village are that attack's."""
DEMONSTRATIONS = ("Violent demonstration", "Mob violence", "Excessive force against protesters",
                  "Protest with intervention", "Peaceful protest")
"""ACLED's demonstration types, the one that defines a demonstration first: a crowd that turns
violent is a riot whatever the police did; lethal force on peaceful protesters comes next."""


@dataclass
class EventGroup:
    members: list[EventCandidate] = field(default_factory=list)

    @property
    def first(self) -> EventCandidate:
        return self.members[0]

    def sub_event_type(self) -> str:
        types = [m.sub_event_type for m in self.members]
        territory = [t for t in types if t in TERRITORY]
        if territory:
            return territory[0]
        battles = [m for m in self.members if m.sub_event_type == "Armed clash" and m.trigger.strength >= 2]
        if battles:
            return "Armed clash"
        violent = [m for m in self.members if m.sub_event_type != LOOTING] or self.members
        types = [m.sub_event_type for m in violent]
        crowd = [t for t in DEMONSTRATIONS if t in types]
        if crowd and all(t in DEMONSTRATIONS for t in types):
            return crowd[0]
        return max(violent, key=lambda m: m.trigger.strength).sub_event_type

    def date(self):  # type: ignore[no-untyped-def]
        dated = [m.date for m in self.members if m.date is not None and not m.date_inherited]
        dated = dated or [m.date for m in self.members if m.date is not None]
        return min(dated, key=lambda d: d.precision) if dated else None

    def actor(self, role: str):  # type: ignore[no-untyped-def]
        """The most precise mention of the actor in ``role``: a stated actor over one only implied
        by the event word, a named actor over a generic one."""
        members = self.members
        if any(m.sub_event_type in TERRITORY for m in members):  # who withdrew is told by the capture's roles
            members = [m for m in members if m.sub_event_type != TRANSFER]
        mentions = [m for m in (_stated(member, role) for member in members) if m is not None]
        mentions = mentions or [getattr(m, role) for m in members if getattr(m, role) is not None]
        named = [m for m in mentions if not m.actor.generic]
        return (named or mentions or [None])[0]

    def place(self) -> PlaceMention | None:
        """The most precise place the report states for the event; one carried over from the
        story's previous event only when no mention states its own."""
        places = [m.place for m in self.members if m.place is not None and not m.place_inherited]
        places = places or [m.place for m in self.members if m.place is not None]
        if not places:
            return None
        return min(places, key=lambda p: (_scale(p), PLACE_RANK.get(p.relation, 2)))


def _stated(candidate: EventCandidate, role: str) -> ActorMention | None:
    """The candidate's actor in ``role`` if the report names it; None if only implied by the event
    word ("a bombardment" implies some armed group, which says nothing about which)."""
    mention = getattr(candidate, role)
    return None if mention is None or mention.implied else mention


def _scale(place: PlaceMention) -> int:
    """Smaller is more precise: landmark/neighbourhood < town < region < country."""
    if place.entry is None:
        return 5
    code = place.entry.feature_code
    if code.startswith("PCL"):
        return 4
    if code.startswith("ADM"):
        return 3
    if place.relation == "region":
        return 3
    if code in {"PPLX", "PPLL"} or place.entry.id.startswith("supplement:") or place.entry.feature_class == "S":
        return 0
    return 1


def _km(a: PlaceMention, b: PlaceMention) -> float:
    ea, eb = a.entry, b.entry
    assert ea is not None and eb is not None
    p = math.pi / 180
    h = (math.sin((eb.latitude - ea.latitude) * p / 2) ** 2
         + math.cos(ea.latitude * p) * math.cos(eb.latitude * p) * math.sin((eb.longitude - ea.longitude) * p / 2) ** 2)
    return 12742 * math.asin(math.sqrt(min(1.0, h)))


def places_compatible(a: PlaceMention | None, b: PlaceMention | None) -> bool:
    """Same place, one inside the other (country > region > town > neighbourhood), a few km apart,
    or a town within reach of a place the event was only said to be near ("à 80 km au nord de
    Gao" and Bourem)."""
    if a is None or b is None:
        return True
    if a.entry is None or b.entry is None:  # a place the gazetteer lacks may lie in the other one
        return a.entry is not None or b.entry is not None or a.name.lower() == b.name.lower()
    ea, eb = a.entry, b.entry
    if ea.id == eb.id or ea.parent_id == eb.id or eb.parent_id == ea.id:
        return True
    if ea.country_code != eb.country_code:
        return False
    if _scale(a) == 4 or _scale(b) == 4:
        return True
    if _scale(a) == 3 or _scale(b) == 3:
        region, other = (ea, eb) if _scale(a) == 3 else (eb, ea)
        return region.admin1 == other.admin1 or region.name == other.admin1
    reach = NEAR_RELATION_KM if "near" in (a.relation, b.relation) else NEAR_KM
    return _km(a, b) <= reach


def actors_compatible(a: ActorRef | None, b: ActorRef | None) -> bool:
    """Same actor, or the same side named more or less precisely: 'the militants' and ISIS,
    'the police' and 'the army' of one state."""
    if a is None or b is None or a.name == b.name or (a.key and a.key == b.key):
        return True
    if not (a.generic or b.generic):
        return False
    if a.inter in INTER_NON_STATE and b.inter in INTER_NON_STATE:
        return True
    return a.inter == b.inter == 1 and a.country == b.country


def _actors_compatible(a, b) -> bool:  # type: ignore[no-untyped-def]
    return actors_compatible(a.actor if a else None, b.actor if b else None)


def _types_compatible(group: EventGroup, candidate: EventCandidate, absorbed: set[str]) -> bool:
    """Same type, battle with battle, or remote violence folding into a battle of the same day."""
    group_types = {m.sub_event_type for m in group.members}
    if candidate.sub_event_type in group_types:
        return True
    if candidate.trigger.strength == 1 or all(m.trigger.strength == 1 for m in group.members):
        return True  # "killed", "attack": the outcome or a vaguer word for the event told
    if LOOTING in {candidate.sub_event_type} | group_types and _same_day(group, candidate) \
            and ({candidate.sub_event_type} | group_types) - {LOOTING} <= VIOLENT:
        return True  # the houses burnt in the attack on the village
    if candidate.sub_event_type in DEMONSTRATIONS and group_types & set(DEMONSTRATIONS):
        return True  # a demonstration, its dispersal, the stones thrown: one demonstration, coded by what defines it
    if candidate.sub_event_type in BATTLE and group_types & BATTLE:
        return True
    if {candidate.sub_event_type} | group_types <= TERRITORY | {TRANSFER} and bool(({candidate.sub_event_type} | group_types) & TERRITORY):
        return True  # "ISIS seized Mosul after the army withdrew": one capture, not a capture and a handover
    same_day = _same_day(group, candidate)
    if candidate.sub_event_type in BATTLE and group_types <= absorbed | BATTLE:
        return same_day
    return candidate.sub_event_type in absorbed and bool(group_types & BATTLE) and same_day


def _same_day(group: EventGroup, candidate: EventCandidate) -> bool:
    """Both told on the same day, to the day."""
    return candidate.date is not None and group.date() is not None and candidate.date.start == group.date().start \
        and candidate.date.precision == 1 and group.date().precision == 1


def _dates_compatible(group: EventGroup, candidate: EventCandidate) -> bool:
    mine = candidate.date
    theirs = group.date()
    if mine is None or theirs is None:
        return True
    if candidate.date_inherited or all(m.date_inherited for m in group.members if m.date is not None):
        return mine.start <= theirs.end and theirs.start <= mine.end
    if mine.precision == 1 and theirs.precision == 1:
        return mine.start == theirs.start
    return mine.value == theirs.value


def _sides_compatible(group: EventGroup, candidate: EventCandidate, absorbed: set[str]) -> bool:
    """The same actors in the same roles; in a battle, either side may be told first ("rebels
    fighting the army seized the checkpoint", "the army lost 20 soldiers in the fighting", "the
    rebels' attack was repelled by the army")."""
    if candidate.sub_event_type in DEMONSTRATIONS and any(m.sub_event_type in DEMONSTRATIONS for m in group.members):
        return True  # the protesters, the police who dispersed them, the rioters: one demonstration
    mine = (_stated(candidate, "actor1"), _stated(candidate, "actor2"))
    theirs = (group.actor("actor1"), group.actor("actor2"))
    if _actors_compatible(mine[0], theirs[0]) and _actors_compatible(mine[1], theirs[1]):
        return True
    types = {candidate.sub_event_type} | {m.sub_event_type for m in group.members}
    if types <= BATTLE | absorbed and types & BATTLE and _actors_compatible(mine[0], theirs[1]) \
            and _actors_compatible(mine[1], theirs[0]):
        return True
    return TRANSFER in types and bool(types & TERRITORY)  # the side that withdrew is the side that lost


def _compatible(group: EventGroup, candidate: EventCandidate, absorbed: set[str]) -> bool:
    return (_types_compatible(group, candidate, absorbed)
            and _dates_compatible(group, candidate)
            and all(places_compatible(None if candidate.place_inherited else candidate.place, m.place)
                    for m in group.members)
            and _sides_compatible(group, candidate, absorbed))


def _same_place(group: EventGroup, candidate: EventCandidate) -> bool:
    place = group.place()
    if place is None or candidate.place is None:
        return False
    if place.entry is not None and candidate.place.entry is not None:
        return place.entry.id == candidate.place.entry.id
    return place.name.lower() == candidate.place.name.lower()


def _same_sentence(group: EventGroup, candidate: EventCandidate) -> bool:
    """Two words for one event in one sentence ('l'explosion d'une mine'): one event."""
    return any(m.sentence_index == candidate.sentence_index and m.sub_event_type == candidate.sub_event_type
               and m.date is not None and candidate.date is not None and m.date.value == candidate.date.value
               for m in group.members)


def _demonstrations_first(groups: list[EventGroup], candidate: EventCandidate) -> list[EventGroup]:
    """A demonstration's words join the demonstration before any other event of its day."""
    if candidate.sub_event_type not in DEMONSTRATIONS:
        return groups
    return sorted(groups, key=lambda g: not any(m.sub_event_type in DEMONSTRATIONS for m in g.members))


def merge_candidates(candidates: list[EventCandidate], absorbed_by_battles: set[str],
                     publication: dt.date | None = None) -> list[EventGroup]:
    """Groups of candidates that are one event, in the order the report first tells them.

    Dated mentions are grouped first. A mention with no date of its own then joins the
    compatible event at the same place if there is one, else the latest compatible event.
    With none, a specific event told in the present or perfect is the news of the report
    (``publication``, coded as the week, precision 2); anything else is dropped: guessing
    its date would invent one.
    """
    groups: list[EventGroup] = []
    for candidate in (c for c in candidates if c.date is not None):
        group = next((g for g in _demonstrations_first(groups, candidate)
                      if _same_sentence(g, candidate) or _compatible(g, candidate, absorbed_by_battles)), None)
        if group is None:
            groups.append(EventGroup([candidate]))
        else:
            group.members.append(candidate)
    for candidate in (c for c in candidates if c.date is None):
        options = [g for g in groups if _compatible(g, candidate, absorbed_by_battles)]
        if options:
            best = max(options, key=lambda g: (_same_place(g, candidate), g.date().start if g.date() else None))
            best.members.append(candidate)
        elif publication is not None and candidate.recent and candidate.trigger.strength >= 3 and candidate.actor1 is not None:
            start = candidate.trigger.span.start
            candidate.date = DateMention(span=Span(start=start, end=start, text=""), kind="day",
                                         value=publication.isoformat(), start=publication, end=publication, precision=2)
            candidate.date_inherited = True
            groups.append(EventGroup([candidate]))
    return groups
