"""The bundled example reports (``khaldun demo``): well formed, and they go through the pipeline."""

from __future__ import annotations

import datetime as dt
import json

from khaldun.api import extract
from khaldun.resources import data_path


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


def test_examples_go_through_the_pipeline(pipeline) -> None:
    results = list(extract([str(data_path("examples", "reports.jsonl"))], pipeline=pipeline))
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
