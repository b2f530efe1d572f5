"""Who is actor2: the dead a strike killed, named as a group's members or described by a clause;
who is actor1: the force a strike is attributed to."""

from __future__ import annotations

import pytest


def of_type(events, prefix: str):
    return [e for e in events if e.event_type.startswith(prefix)]


def test_members_of_a_group_killed_in_a_strike_are_its_target(events_of) -> None:
    text = "Trois membres du Hezbollah ont été tués samedi par une frappe de drone israélienne près de Tyr, au Liban."
    strikes = of_type(events_of(text, "2024-03-10", "fr"), "Explosions")
    assert strikes and strikes[0].actor2 == "Hezbollah"


@pytest.mark.parametrize("text", [
    "D'après des secouristes, ce sont au moins huit civils dont trois femmes qui ont péri jeudi dans des raids aériens "
    "sur Idleb, en Syrie.",
    "Les raids aériens sur Idleb, en Syrie, ont fait jeudi huit victimes, des civils qui ont été tués chez eux.",
])
def test_civilians_a_killing_clause_describes_are_the_target(events_of, text) -> None:
    strikes = of_type(events_of(text, "2016-03-08", "fr"), "Explosions")
    assert strikes and strikes[0].actor2 == "Civilians (Syria)"


def test_strikes_attributed_to_a_force_are_its_own(events_of) -> None:
    text = "Des frappes aériennes attribuées à l'aviation russe ont touché jeudi la ville d'Idleb, en Syrie."
    strikes = of_type(events_of(text, "2016-03-10", "fr"), "Explosions")
    assert strikes and strikes[0].actor1.startswith("Military Forces of Russia")
