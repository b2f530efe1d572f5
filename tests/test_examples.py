"""The bundled example reports (``khaldun demo``): well formed, they go through the pipeline, and
the pipeline codes them as the hand-coded expectations say (khaldun/data/examples/expected.yaml)."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from click.testing import CliRunner

from khaldun.api import extract
from khaldun.cli import cli
from khaldun.evaluate.examples import FIELDS, check_report, describe, load_expectations
from khaldun.resources import data_path, load_yaml
from khaldun.schema import DocumentResult, Event


def examples() -> list[dict]:
    text = data_path("examples", "reports.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_examples_are_well_formed() -> None:
    reports = examples()
    assert len(reports) == 10
    assert sorted(r["language"] for r in reports) == ["en"] * 5 + ["fr"] * 5
    assert len({r["id"] for r in reports}) == len(reports)
    for report in reports:
        assert set(report) == {"id", "text", "publication_date", "language", "source", "url"}
        assert report["url"] is None
        dt.date.fromisoformat(report["publication_date"])
        assert 120 <= len(report["text"].split()) <= 300, report["id"]


def test_examples_readme_exists() -> None:
    readme = data_path("examples", "README.md").read_text(encoding="utf-8")
    assert "invented" in readme and "Licence" in readme


def test_examples_go_through_the_pipeline(example_results) -> None:
    results = example_results
    assert len(results) == 10
    assert all(getattr(r, "error", "x") is None for r in results), [getattr(r, "error", r) for r in results]
    events = [e for r in results for e in r.events]
    assert len({e.doc_id for e in events}) >= 8
    covered = {e.sub_event_type for e in events}
    for sub_event_type in ("Air/drone strike", "Shelling/artillery/missile attack", "Suicide bomb",
                           "Remote explosive/landmine/IED", "Armed clash", "Government regains territory",
                           "Non-state actor overtakes territory", "Attack", "Abduction/forced disappearance",
                           "Peaceful protest", "Protest with intervention", "Arrests", "Agreement",
                           "Looting/property destruction", "Non-violent transfer of territory"):
        assert sub_event_type in covered, sub_event_type


# --- the hand-coded expectations ----------------------------------------------------------

def test_every_example_has_hand_coded_events() -> None:
    expectations = load_expectations()
    assert sorted(expectations) == sorted(r["id"] for r in examples())
    sub_event_types = {sub for spec in load_yaml("taxonomy.yaml")["event_types"].values()
                       for sub in spec["sub_event_types"]}
    for report_id, report in expectations.items():
        assert report["events"], report_id
        for event in report["events"]:
            where = f"{report_id}: {event.get('why', '')[:50]}"
            assert event.get("why"), where
            assert set(FIELDS) <= set(event), (where, set(FIELDS) - set(event))
            assert set(event) <= set(FIELDS) | {"why", "optional", "known_deviation"}, where
            for value in _values(event["sub_event_type"]):
                assert value in sub_event_types, (where, value)
            assert set(_values(event["time_precision"])) <= {1, 2, 3}, where
            assert set(_values(event["geo_precision"])) <= {1, 2, 3}, where
            deviation = event.get("known_deviation")
            if deviation is not None:
                assert deviation.get("note"), where
                assert deviation.get("missing") is True or set(deviation.get("actual", {})) <= set(FIELDS), where
                assert deviation.get("missing") or deviation.get("actual"), where
        for spec in report.get("unexpected", []):
            assert spec.get("note") and set(spec) - {"note"} <= set(FIELDS), report_id


def _values(spec: object) -> list:
    return spec if isinstance(spec, list) else [spec]


@pytest.fixture(scope="module")
def example_results(pipeline) -> list[DocumentResult]:
    return list(extract([str(data_path("examples", "reports.jsonl"))], pipeline=pipeline))


def test_demo_events_are_the_hand_coded_ones(example_results) -> None:
    """Every event as hand-coded, or a recorded known deviation that has not changed."""
    expectations = load_expectations()
    problems = []
    for result in example_results:
        for check in check_report(result.report.id, list(result.events), expectations):
            if not check.passed:
                problems.append(f"{result.report.id}: {describe(check)}")
    assert not problems, ("the demo's events differ from khaldun/data/examples/expected.yaml (a fixed deviation: "
                          "remove it; a new error: fix it or record it, see the README there):\n  " + "\n  ".join(problems))


# --- the check itself, on events written here ---------------------------------------------

def _event(**fields: object) -> Event:
    base = dict(event_date=dt.date(2020, 5, 2), year=2020, time_precision=1, event_type="Battles",
                sub_event_type="Armed clash", actor1="Military Forces of Mali (2013-2020)",
                actor2="Islamist Militia (Mali)", location="Mopti", admin1="Mopti", country="Mali", geo_precision=1,
                fatalities=4, background=False)
    base.update(fields)
    return Event(**base)


def _expected(**fields: object) -> dict:
    base = dict(why="test", event_date=dt.date(2020, 5, 2), time_precision=1, sub_event_type="Armed clash",
                actor1="Military Forces of Mali (2013-2020)", actor2="Islamist Militia (Mali)", location="Mopti",
                admin1="Mopti", country="Mali", geo_precision=1, fatalities=[4, 5], background=False)
    base.update(fields)
    return base


def _check(events: list[Event], expected: list[dict], unexpected: list[dict] | None = None) -> list:
    return check_report("r", events, {"r": {"id": "r", "events": expected, "unexpected": unexpected or []}})


def test_check_accepts_the_hand_coded_event_and_its_alternatives() -> None:
    assert [c.status for c in _check([_event(fatalities=5)], [_expected()])] == ["ok"]
    swapped = _event(actor1="Islamist Militia (Mali)", actor2="Military Forces of Mali (2013-2020)")
    assert [c.status for c in _check([swapped], [_expected()])] == ["ok"]  # a clash's order is rarely told
    ranged = _expected(event_date={"from": dt.date(2020, 5, 1), "to": dt.date(2020, 5, 3)}, location=["Mopti City", "mopti"])
    assert [c.status for c in _check([_event()], [ranged])] == ["ok"]


def test_check_fails_on_each_changed_field() -> None:
    changed = {"event_date": dt.date(2020, 5, 9), "time_precision": 2, "actor1": "Unidentified Armed Group (Mali)",
               "location": "Gao", "admin1": "Gao", "country": "Niger", "geo_precision": 3, "fatalities": 12,
               "background": True}
    for name, value in changed.items():
        checks = _check([_event(**{name: value})], [_expected()])
        assert [c.status for c in checks] == ["differs"], name
        assert [d.field for d in checks[0].differences] == [name]
    attack = _event(event_type="Violence against civilians", sub_event_type="Attack", actor1="Islamist Militia (Mali)",
                    actor2="Civilians (Mali)")
    assert [c.status for c in _check([attack], [_expected(actor1="Islamist Militia (Mali)", actor2="Civilians (Mali)")])] \
        == ["differs"]


def test_check_reports_missing_and_unexpected_events() -> None:
    other = _event(sub_event_type="Attack", event_type="Violence against civilians", event_date=dt.date(2019, 1, 1),
                   location="Kidal", admin1="Kidal", actor2="Civilians (Mali)")
    statuses = [c.status for c in _check([other], [_expected()])]
    assert sorted(statuses) == ["missing", "unexpected"]
    assert _check([], [_expected(optional=True)]) == []
    recorded = [{"event_date": dt.date(2019, 1, 1), "sub_event_type": "Attack", "location": "Kidal", "note": "why"}]
    assert sorted(c.status for c in _check([other], [_expected(optional=True)], recorded)) == ["known_unexpected"]
    assert [c.status for c in _check([], [], recorded)] == ["differs"]  # the recorded extra event is gone


def test_a_known_deviation_fails_when_it_changes_either_way() -> None:
    deviation = _expected(known_deviation={"note": "reads the town as near", "actual": {"geo_precision": 2}})
    assert [c.status for c in _check([_event(geo_precision=2)], [deviation])] == ["known"]
    assert [c.status for c in _check([_event(geo_precision=1)], [deviation])] == ["differs"]  # fixed: update the file
    assert [c.status for c in _check([_event(geo_precision=3)], [deviation])] == ["differs"]
    missing = _expected(known_deviation={"note": "not coded", "missing": True})
    assert [c.status for c in _check([], [missing])] == ["known_missing"]
    assert [c.status for c in _check([_event()], [missing])] == ["differs"]


def test_a_perturbed_expectation_fails_on_the_real_examples(example_results) -> None:
    """The test above can fail: change one hand-coded value and the check must notice."""
    expectations = copy.deepcopy(load_expectations())
    report = expectations["en-fallujah-2014-01-04"]
    clash = next(e for e in report["events"] if e["sub_event_type"] == "Armed clash" and not e.get("optional"))
    clash["fatalities"] = 80
    result = next(r for r in example_results if r.report.id == "en-fallujah-2014-01-04")
    failing = [c for c in check_report(result.report.id, list(result.events), expectations) if not c.passed]
    assert [d.field for c in failing for d in c.differences] == ["fatalities"]


# --- the demo's layout ----------------------------------------------------------------------

def test_demo_shows_evidence_checks_and_a_legend(use_test_pipeline) -> None:
    result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("khaldun demo: 10 example reports")
    assert "\x1b[" not in out  # no colour codes when not a terminal
    assert "━━ fr-alep-2013-07-29 · fr · AFP · published 2013-07-29 (Monday)" in out
    assert "dateline: ALEP, Syrie (AFP)" in out
    assert 'actor1  Military Forces of Syria (2000-) ← "hélicoptères de l\'armée syrienne"' in out
    assert "(prec 3) (bg)" in out
    assert "✓ as hand-coded" in out and "≈ known deviation" in out
    assert "Checked against the hand-coded events:" in out
    for words in ("Legend", "date (prec N)", "place (geo N)", "(bg)", "uncertain field", "conf", "expected.yaml"):
        assert words in out, words
