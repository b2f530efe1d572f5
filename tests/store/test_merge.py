"""Cross-report merging on events built by hand: ACLED's rule, its tolerances, its explanations."""

from __future__ import annotations

import datetime as dt
import itertools

from store_factories import ARMY, BAB_SBAA, FSA, HAMA, HOMS, KHALDIYE, REBELS, event

from khaldun.store.merge import SourceEvent, merge_sources

DAY = dt.date(2014, 3, 10)


def source(doc: str, ev, scale: str | None = None, parent: str | None = None, published=DAY) -> SourceEvent:
    return SourceEvent(document_id=doc, position=0, event=ev, outlet=ev.source, publication_date=published,
                       place_scale=scale, place_parent_id=parent)


def fall_of_khaldiye() -> list[SourceEvent]:
    """The same takeover told by a French, an English and an Arabic-language outlet."""
    return [
        source("fr-1", event("fr-1", DAY, KHALDIYE, sub="Government regains territory", fatalities=4, outlet="Le Quotidien"),
               "part", "test:homs"),
        source("en-1", event("en-1", DAY, HOMS, actor2=REBELS, fatalities=9, outlet="Daily Wire"), "settlement"),
        source("en-2", event("en-2", DAY + dt.timedelta(days=1), KHALDIYE, sub="Government regains territory",
                             actor1=("Military Forces of Syria", 1), fatalities=4, outlet="World Desk"), "part",
               "test:homs", published=DAY + dt.timedelta(days=1)),
    ]


def test_reports_of_one_event_merge_with_low_best_high():
    merged = merge_sources(fall_of_khaldiye())
    assert len(merged) == 1
    item = merged[0]
    assert {m.document_id for m in item.members} == {"fr-1", "en-1", "en-2"}
    assert item.event.sub_event_type == "Government regains territory"
    assert item.event.location == "Khaldiyé"
    assert item.event.event_date == DAY
    assert item.event.actor1 == "Military Forces of Syria (2000-)"
    assert item.event.actor2 == "Free Syrian Army"
    assert (item.fatalities_low, item.fatalities_best, item.fatalities_high) == (4, 4, 9)
    assert item.event.fatalities == 4 and item.event.fatalities_known
    assert item.event.source == "Daily Wire; Le Quotidien; World Desk"  # canonical order: date, publication, id


def test_every_merge_is_explained():
    item = merge_sources(fall_of_khaldiye())[0]
    reasons = {key[0]: " | ".join(lines) for key, lines in item.reasons.items()}
    assert "first report" in reasons["en-1"]
    assert "Khaldiyé is part of Homs" in reasons["fr-1"]
    assert "Government regains territory vs Armed clash" in reasons["fr-1"]
    assert "generic label" in reasons["fr-1"]
    assert "1 day apart" in reasons["en-2"]
    assert any(note.startswith("fatalities: 4") for note in item.notes)


def test_result_does_not_depend_on_input_order():
    sources = fall_of_khaldiye() + [source("x", event("x", DAY, HAMA, outlet="Other"), "settlement")]
    outcomes = {tuple(sorted((m.id, tuple(sorted(k for k in m.reasons))) for m in merge_sources(p)))
                for p in itertools.permutations(sources)}
    assert len(outcomes) == 1


def test_two_neighbourhoods_do_not_merge():
    a = source("a", event("a", DAY, KHALDIYE, outlet="A"), "part", "test:homs")
    b = source("b", event("b", DAY, BAB_SBAA, outlet="B"), "part", "test:homs")
    assert len(merge_sources([a, b])) == 2


def test_different_towns_types_days_or_actors_do_not_merge():
    base = source("a", event("a", DAY, HOMS, outlet="A"), "settlement")
    others = [
        source("b", event("b", DAY, HAMA, outlet="B"), "settlement"),
        source("c", event("c", DAY, HOMS, sub="Air/drone strike", event_type="Explosions/Remote violence", outlet="C"),
               "settlement"),
        source("d", event("d", DAY + dt.timedelta(days=2), HOMS, outlet="D"), "settlement"),
        source("e", event("e", DAY, HOMS, actor1=("Islamic State (Syria)", 2), outlet="E"), "settlement"),
    ]
    for other in others:
        assert len(merge_sources([base, other])) == 2, other.document_id


def test_events_of_one_report_never_merge():
    a = SourceEvent("same", 0, event("same", DAY, HOMS), outlet="A")
    b = SourceEvent("same", 1, event("same", DAY, HOMS, number=2), outlet="A")
    assert len(merge_sources([a, b])) == 2


def test_tolerances_do_not_chain():
    days = [DAY, DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=2)]
    sources = [source(f"r{i}", event(f"r{i}", d, HOMS, outlet=f"O{i}"), "settlement") for i, d in enumerate(days)]
    merged = merge_sources(sources)
    assert len(merged) == 2
    assert all(abs((m.event.event_date - n.event.event_date).days) <= 1 for g in merged for m in g.members
               for n in g.members)


def test_battle_actors_in_either_order_merge():
    a = source("a", event("a", DAY, HOMS, actor1=ARMY, actor2=FSA), "settlement")
    b = source("b", event("b", DAY, HOMS, actor1=FSA, actor2=ARMY), "settlement")
    merged = merge_sources([a, b])
    assert len(merged) == 1
    assert "other order" in " ".join(merged[0].reasons[("b", 0)])


def test_unknown_figures_stay_unknown():
    a = source("a", event("a", DAY, HOMS, fatalities=None), "settlement")
    b = source("b", event("b", DAY, HOMS, fatalities=None), "settlement")
    item = merge_sources([a, b])[0]
    assert not item.event.fatalities_known and item.fatalities_low is None and item.event.fatalities == 0
