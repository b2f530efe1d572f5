"""``khaldun eval`` against the reference scorer (``shared/eval/score.py``), on small invented files.

The numbers expected by hand are checked without the reference scorer; the parity tests
skip cleanly when the sibling ``shared/`` folder is absent.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner

from khaldun.cli import cli
from khaldun.evaluate import evaluate, read_gold, read_system_events

REPO_ROOT = Path(__file__).resolve().parents[2]
EVAL = REPO_ROOT.parent / "shared" / "eval"
SCORE_PY = EVAL / "score.py"
DEV = EVAL / "dev"
NUMBERS = ("documents", "system_events", "required_gold", "precision", "recall", "f1",
           "sub_event_type_acc", "location_acc", "actor_acc", "fatalities_acc", "missed_required", "unmatched_system")

GOLD: list[dict[str, Any]] = [
    {"doc_id": "d1", "publication_date": "2013-07-29", "events": [
        {"id": "g1", "required": True, "types": [["Battles", "Armed clash"], ["Battles", "Government regains territory"]],
         "date": ["2013-07-28", "2013-07-29"],
         "actors": {"actor1": ["Syrian army", "Military Forces of Syria"], "actor2": ["Free Syrian Army", "FSA"]},
         "location": {"names": ["Homs"], "lat": 34.73, "lon": 36.72, "radius_km": 10}, "fatalities": [3, 5]},
        {"id": "g2", "required": False,
         "types": [["Explosions/Remote violence", "Shelling/artillery/missile attack"]],
         "date": ["2013-07-29", "2013-07-29"], "location": {"names": ["Qusayr", "al-Qusayr"]}, "fatalities": None},
        {"id": "g3", "types": [["Violence against civilians", "Attack"]], "date": ["2013-07-27", "2013-07-27"],
         "actors": {"actor1": ["gunmen"], "actor2": None},
         "location": {"names": ["Hama"], "lat": 35.13, "lon": 36.75}, "fatalities": [2, 2]},
    ]},
    {"doc_id": "d2", "publication_date": "2013-08-02", "events": [
        {"id": "g4", "required": True, "types": [["Protests", "Peaceful protest"]], "date": ["2013-08-01", "2013-08-02"],
         "location": {"names": ["Bamako"], "lat": 12.65, "lon": -8.0, "radius_km": 5}, "fatalities": [0, 0]},
    ]},
    {"doc_id": "d3", "publication_date": "2013-08-03", "events": []},
    {"doc_id": 42, "publication_date": "2013-09-01", "events": [
        {"id": 7, "types": [["Riots", "Mob violence"]], "date": ["2013-09-01", "2013-09-01"],
         "location": {"names": ["Kaduna"], "lat": 10.52, "lon": 7.44}},
    ]},
]

SYSTEM: list[dict[str, Any]] = [
    # two candidates for g1: the nearer one, with an acceptable sub-type, wins it
    {"doc_id": "d1", "event_date": "2013-07-29", "event_type": "Battles", "sub_event_type": "Government regains territory",
     "actor1": "Military Forces of Syria (2000-)", "actor2": "Free Syrian Army", "location": "Homs",
     "latitude": 34.75, "longitude": 36.70, "fatalities": 4},
    {"doc_id": "d1", "event_date": "2013-07-29", "event_type": "Battles", "sub_event_type": "Armed clash",
     "actor1": "Free Syrian Army", "actor2": "Syrian army", "location": "Homs", "latitude": 34.73, "longitude": 36.72,
     "fatalities": None},
    # matches the optional g2 by name only (no coordinates), with the wrong sub-type
    {"doc_id": "d1", "event_date": "2013-07-29", "event_type": "Explosions/Remote violence",
     "sub_event_type": "Air/drone strike", "location": "Al Qusayr", "latitude": "", "longitude": ""},
    # outside g3's date window, then 52 km from its place
    {"doc_id": "d1", "event_date": "2013-07-28", "event_type": "Violence against civilians", "sub_event_type": "Attack",
     "actor1": "Unidentified Armed Group (Syria)", "location": "Hama", "latitude": 35.13, "longitude": 36.75},
    {"doc_id": "d1", "event_date": "2013-07-27", "event_type": "Violence against civilians", "sub_event_type": "Attack",
     "actor1": "gunmen", "location": "Mhardeh", "latitude": 35.6, "longitude": 36.75, "fatalities": 2},
    # 5.6 km from Bamako: matched, but outside the 5 km radius of a right location
    {"doc_id": "d2", "event_date": "2013-08-02", "event_type": "Protests", "sub_event_type": "Peaceful protest",
     "location": "Bamako", "latitude": 12.70, "longitude": -8.0, "fatalities": "0"},
    {"doc_id": "d3", "event_date": "2013-08-03", "event_type": "Riots", "sub_event_type": "Mob violence",
     "location": "Kano", "latitude": 12.0, "longitude": 8.5},
    {"doc_id": "not-in-gold", "event_date": "2013-08-03", "event_type": "Battles", "sub_event_type": "Armed clash"},
]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def load_reference() -> ModuleType:
    spec = importlib.util.spec_from_file_location("khaldun_reference_score", SCORE_PY)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


needs_reference = pytest.mark.skipif(not SCORE_PY.is_file(), reason=f"no reference scorer at {SCORE_PY}")


def khaldun_eval_json(gold: Path, predicted: Path) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["eval", str(gold), str(predicted), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def comparable(scores: dict[str, Any]) -> dict[str, Any]:
    """The numbers of a scorer's JSON; per-document rows as ``[doc_id, system, matched, gold, found]``."""
    rows = []
    for row in scores["per_doc"]:
        values = list(row.values()) if isinstance(row, dict) else list(row)
        rows.append([str(values[0]), *values[1:]])
    return {**{key: scores[key] for key in NUMBERS}, "per_doc": rows}


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    return write_jsonl(tmp_path / "gold.jsonl", GOLD), write_jsonl(tmp_path / "pred.jsonl", SYSTEM)


def test_scores_worked_out_by_hand(files: tuple[Path, Path]) -> None:
    gold, predicted = files
    scores = evaluate(read_gold(gold), read_system_events(predicted)).summary()
    assert (scores["documents"], scores["system_events"], scores["required_gold"]) == (4, 7, 4)
    assert (scores["precision"], scores["recall"], scores["f1"]) == (0.429, 0.5, 0.462)
    assert scores["sub_event_type_acc"] == pytest.approx(2 / 3)
    assert scores["location_acc"] == pytest.approx(2 / 3)
    assert scores["actor_acc"] == pytest.approx(0.5)  # g1's actors found, each in the other role
    assert scores["fatalities_acc"] == pytest.approx(0.5)
    assert scores["missed_required"] == ["d1:g3", "42:7"]
    assert [line.split(":")[0] for line in scores["unmatched_system"]] == ["d1", "d1", "d1", "d3"]


@needs_reference
def test_same_numbers_as_the_reference_scorer(files: tuple[Path, Path]) -> None:
    gold, predicted = files
    reference = load_reference()
    expected = json.loads(json.dumps(reference.score(reference.read_jsonl(gold), reference.read_jsonl(predicted))))
    assert comparable(khaldun_eval_json(gold, predicted)) == comparable(expected)


@needs_reference
def test_same_score_lines_as_the_reference_scorer(files: tuple[Path, Path]) -> None:
    import subprocess
    import sys

    gold, predicted = files
    theirs = subprocess.run([sys.executable, str(SCORE_PY), str(gold), str(predicted)], capture_output=True,
                            text=True, check=True).stdout.splitlines()
    ours = CliRunner().invoke(cli, ["eval", str(gold), str(predicted)]).output.splitlines()
    assert ours[:10] == theirs[:10]  # the ten score lines, formatted alike
    assert ours[-1] == theirs[-1]  # "f1: 0.462"


def events_near_gold(gold: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """System events made from gold ones, some right, some off in type, date, place or actors."""
    import datetime as dt

    events = []
    for d, document in enumerate(gold):
        for e, event in enumerate(document.get("events", [])):
            kind, sub = event["types"][-1]
            place = event.get("location") or {}
            actors = event.get("actors") or {}
            day = dt.date.fromisoformat(event["date"][1]) + dt.timedelta(days=(d + e) % 3 == 2)
            row = {"doc_id": document["doc_id"], "event_date": day.isoformat(), "event_type": kind,
                   "sub_event_type": sub, "location": (place.get("names") or [""])[0],
                   "actor1": (actors.get("actor2") or actors.get("actor1") or [""])[0] if e % 2 else
                   (actors.get("actor1") or [""])[0],
                   "fatalities": (event.get("fatalities") or [0, 0])[e % 2]}
            if place.get("lat") is not None and (d + e) % 4:
                row["latitude"], row["longitude"] = place["lat"] + 0.1 * (e % 3), place["lon"]
            events.append(row)
            if e % 3 == 1:
                events.append({**row, "event_type": "Strategic developments", "sub_event_type": "Other"})
    return events


@needs_reference
@pytest.mark.skipif(not (DEV / "dev.gold.jsonl").is_file(), reason=f"no dev set in {DEV}")
def test_same_numbers_on_the_dev_gold(tmp_path: Path) -> None:
    reference = load_reference()
    gold_path = DEV / "dev.gold.jsonl"
    predicted = write_jsonl(tmp_path / "near.jsonl", events_near_gold(reference.read_jsonl(gold_path)))
    expected = json.loads(json.dumps(reference.score(reference.read_jsonl(gold_path), reference.read_jsonl(predicted))))
    assert expected["system_events"] > 0 and 0 < expected["recall"] < 1  # a test that discriminates
    assert comparable(khaldun_eval_json(gold_path, predicted)) == comparable(expected)


@needs_reference
@pytest.mark.skipif(not (DEV / "dev.input.jsonl").is_file(), reason=f"no dev set in {DEV}")
def test_same_numbers_on_a_real_run_over_the_dev_set(tmp_path: Path, use_test_pipeline) -> None:
    predicted = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(cli, ["extract", str(DEV / "dev.input.jsonl"), "-o", str(predicted)])
    assert result.exit_code in (0, 1), result.output  # 1: some report failed; its events are simply missing
    reference = load_reference()
    gold_path = DEV / "dev.gold.jsonl"
    expected = json.loads(json.dumps(reference.score(reference.read_jsonl(gold_path), reference.read_jsonl(predicted))))
    assert comparable(khaldun_eval_json(gold_path, predicted)) == comparable(expected)


def test_bad_gold_line_is_a_coded_error(tmp_path: Path) -> None:
    gold = write_jsonl(tmp_path / "gold.jsonl", [{"doc_id": "d", "events": [{"id": "x", "date": ["2013-01-01"]}]}])
    predicted = write_jsonl(tmp_path / "pred.jsonl", [])
    result = CliRunner().invoke(cli, ["eval", str(gold), str(predicted)])
    assert result.exit_code != 0
    assert "E105" in result.output and "gold.jsonl:1" in result.output
