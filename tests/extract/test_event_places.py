"""The place of an event: never empty when the report names the country or the region.
Reports written for these tests."""

from __future__ import annotations

from khaldun.api import extract_text


def test_event_without_a_closer_place_is_coded_to_the_country() -> None:
    text = ("Le Mali a connu une nouvelle journée de violences.\n\n"
            "Mardi, des hommes armés ont tué trois civils, selon une source locale.")
    events = extract_text(text, "2024-03-05", language="fr")
    assert events
    assert {(e.country, e.location, e.geo_precision) for e in events} == {("Mali", "Mali", 3)}


def test_event_without_a_closer_place_is_coded_to_the_region() -> None:
    text = ("Violence flared again in the Tillaberi region of Niger.\n\n"
            "On Tuesday, gunmen killed four villagers, a local official said.")
    events = extract_text(text, "2024-03-05", language="en")
    assert events
    assert {(e.country, e.admin1, e.geo_precision) for e in events} == {("Niger", "Tillaberi", 3)}


def test_a_government_named_by_its_capital_is_not_the_place() -> None:
    text = ("Des manifestants ont défilé mardi à Bangui pour dénoncer l'inaction de Paris. "
            "La police a tiré sur les manifestants, tuant deux personnes.")
    events = extract_text(text, "2024-03-05", language="fr")
    assert events
    assert all(e.country == "Central African Republic" and e.location == "Bangui" for e in events)
