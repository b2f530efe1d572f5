"""The matching rules: name normalisation, place distance, and when a system event fits a gold one."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from khaldun.evaluate.gold import GoldEvent

MATCH_KM = 50.0
"""A system event farther than this from the gold place is a different event."""

EARTH_DIAMETER_KM = 12742.0
PUNCTUATION = re.compile(r"[’'`\-_/().,;:]")
ARTICLES = re.compile(r"\b(al|el|the|of|de|du|des|la|le|les|d|l)\b")  # "al-Chaar" ~ "Chaar", "Deir ez-Zor"


def normalise(value: object) -> str:
    """Lower-case ASCII words without punctuation or articles, so spellings of a name compare equal."""
    text = unicodedata.normalize("NFKD", str(value or "")).encode("ascii", "ignore").decode().lower()
    return " ".join(ARTICLES.sub(" ", PUNCTUATION.sub(" ", text)).split())


def names_agree(value: object, aliases: list[str]) -> bool:
    """A name matches an alias when equal, contained (four letters or more), or sharing 3/4 of the alias's words."""
    name = normalise(value)
    if not name:
        return False
    for alias in map(normalise, aliases):
        if not alias:
            continue
        if name == alias or (len(alias) >= 4 and alias in name) or (len(name) >= 4 and name in alias):
            return True
        alias_words = set(alias.split())
        if alias_words and len(set(name.split()) & alias_words) / len(alias_words) >= 0.75:
            return True
    return False


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    rad = math.pi / 180
    h = (math.sin((lat2 - lat1) * rad / 2) ** 2
         + math.cos(lat1 * rad) * math.cos(lat2 * rad) * math.sin((lon2 - lon1) * rad / 2) ** 2)
    return EARTH_DIAMETER_KM * math.asin(math.sqrt(min(1.0, h)))


def as_date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def as_number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def place_distance(event: dict[str, Any], gold: GoldEvent) -> float | None:
    """Kilometres from the gold place; 0 when only names can be compared and one agrees; None if unknown."""
    lat, lon = as_number(event.get("latitude")), as_number(event.get("longitude"))
    place = gold.location
    if lat is not None and lon is not None and place.lat is not None and place.lon is not None:
        return distance_km(lat, lon, place.lat, place.lon)
    names = (event.get(key) for key in ("location", "admin3", "admin2"))
    return 0.0 if any(names_agree(name, place.names) for name in names if name) else None


@dataclass(frozen=True, order=True)
class Fit:
    """How well a system event fits a gold event it may match; a greater Fit is a better pair."""

    sub_event_type: bool
    closeness: float  # minus the distance in km


def fit(event: dict[str, Any], gold: GoldEvent) -> Fit | None:
    """The fit of a possible match: same event type, date in the window, place within MATCH_KM; else None."""
    if normalise(event.get("event_type")) not in {normalise(kind) for kind, _ in gold.types}:
        return None
    day = as_date(event.get("event_date"))
    if day is None or not gold.date[0] <= day <= gold.date[1]:
        return None
    distance = place_distance(event, gold)
    if distance is None or distance > MATCH_KM:
        return None
    sub_event_type = any(normalise(event.get("sub_event_type")) == normalise(sub) for _, sub in gold.types)
    return Fit(sub_event_type=sub_event_type, closeness=-distance)


def word_overlap(value: object, aliases: list[str]) -> float:
    """Best Jaccard similarity between the word sets of a name and of an alias."""
    words = set(normalise(value).split())
    if not words:
        return 0.0
    best = 0.0
    for alias in aliases:
        alias_words = set(normalise(alias).split())
        if alias_words:
            best = max(best, len(words & alias_words) / len(words | alias_words))
    return best


def actor_scores(event: dict[str, Any], gold: GoldEvent) -> list[float]:
    """Per gold role with aliases: 1 right actor in that role, 0.5 right actor in another field, 0 missing.

    A name is the role's actor when it overlaps the role's aliases by at least half and
    more than it overlaps the other role's aliases ("Free Syrian Army" is not "Syrian army").
    """
    roles = {role: gold.actors.get(role) or [] for role in ("actor1", "actor2")}
    other = {"actor1": roles["actor2"], "actor2": roles["actor1"]}
    fields = (event.get(key) for key in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2"))
    names = [name.strip() for value in fields if value for name in str(value).split(";") if name.strip()]

    def plays(name: object, role: str) -> bool:
        overlap = word_overlap(name, roles[role])
        return overlap >= 0.5 and overlap > word_overlap(name, other[role])

    scores = []
    for role, aliases in roles.items():
        if not aliases:
            continue
        if plays(event.get(role), role):
            scores.append(1.0)
        elif any(plays(name, role) for name in names):
            scores.append(0.5)
        else:
            scores.append(0.0)
    return scores
