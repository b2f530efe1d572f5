"""The same input gives byte-identical output whatever PYTHONHASHSEED, the workers or the batch size.

Each run is a real subprocess (the hash seed is fixed when Python starts), run two at a time.
The reports are ours and exercise most stages in both languages, including a word that is
spelled like one trigger and lemmatised as another ("saccagé"), which once changed type with
the hash seed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

REPORTS = [
    ("fr-1", "fr", "2013-07-29",
     "ALEP, Syrie (AFP) — Des hélicoptères de l'armée syrienne ont largué samedi des barils explosifs sur le quartier "
     "d'al-Chaar, à Alep, tuant au moins douze civils, selon l'OSDH.\n\nDimanche, des rebelles ont tiré des obus de "
     "mortier sur le quartier de Midane, faisant trois morts selon l'agence officielle SANA."),
    ("fr-2", "fr", "2023-01-20",
     "Des manifestants ont saccagé mardi le siège du gouvernorat à Goma pour protester contre l'insécurité, a indiqué "
     "la police, qui a dispersé la foule à coups de gaz lacrymogène.\n\n« Ils ont tout pillé », a déclaré un témoin."),
    ("en-1", "en", "2013-09-09",
     "MOGADISHU (Reuters) - A suicide bomber blew himself up outside a restaurant in Mogadishu on Saturday, killing "
     "at least 15 people, police said.\n\nAl Shabaab claimed responsibility for the attack in a statement."),
    ("en-2", "en", "2014-05-20",
     "Nigerian troops retook the town of Damboa from Boko Haram militants on Monday after heavy fighting, a military "
     "spokesman said.\n\nResidents said dozens of houses were burned and shops were looted before the militants fled."),
    ("en-3", "en", "2019-03-15",
     "Thousands of protesters marched peacefully in Algiers on Friday against a fifth term for the president. Police "
     "arrested several students near the central post office, witnesses said."),
    ("fr-3", "fr", "2020-03-24",
     "Une attaque de Boko Haram contre une base de l'armée tchadienne près du lac Tchad a fait 92 morts parmi les "
     "soldats lundi, a annoncé le président. Des renforts ont été envoyés dans la région."),
]


def write_reports(folder: Path) -> Path:
    path = folder / "reports.jsonl"
    path.write_text("".join(json.dumps({"id": rid, "text": text, "publication_date": date, "language": language},
                                       ensure_ascii=False) + "\n" for rid, language, date, text in REPORTS),
                    encoding="utf-8")
    return path


def run(args: list[str], seed: int, cwd: Path) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONWARNINGS": "ignore"}
    completed = subprocess.run([sys.executable, *args], capture_output=True, timeout=600, cwd=cwd, env=env)
    assert completed.returncode == 0, completed.stderr.decode()[-2000:]
    return completed.stdout


BATCH_SCRIPT = """
import sys
from khaldun.api import extract
from khaldun.export import EXPORTERS
from khaldun.pipeline import Pipeline
pipeline = Pipeline(batch_size=int(sys.argv[2]))
EXPORTERS["jsonl"]((e for r in extract([sys.argv[1]], pipeline=pipeline) for e in r.events), sys.stdout)
"""


def extract_args(path: Path, *extra: str) -> list[str]:
    return ["-c", "from khaldun.cli import main; main()", "extract", str(path), "--format", "jsonl", *extra]


def test_same_events_whatever_the_hash_seed_workers_and_batch_size(tmp_path: Path) -> None:
    path = write_reports(tmp_path)
    runs = {
        "seed 0": (extract_args(path), 0),
        "seed 1": (extract_args(path), 1),
        "seed 2, batch size 1": (["-c", BATCH_SCRIPT, str(path), "1"], 2),
        "seed 3, 2 workers": (extract_args(path, "--workers", "2"), 3),
    }
    with ThreadPoolExecutor(max_workers=2) as pool:
        outputs = dict(zip(runs, pool.map(lambda item: run(item[0], item[1], tmp_path), runs.values())))
    reference = outputs["seed 0"]
    rows = [json.loads(line) for line in reference.splitlines()]
    assert {row["doc_id"] for row in rows} == {rid for rid, *_ in REPORTS}
    for name, output in outputs.items():
        assert output == reference, f"{name} differs from seed 0"


SHARED_DEV = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev" / "dev.input.jsonl"


@pytest.mark.skipif(not SHARED_DEV.is_file(), reason=f"no development set at {SHARED_DEV}")
def test_dev_set_is_the_same_under_two_hash_seeds(tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(lambda seed: run(extract_args(SHARED_DEV), seed, tmp_path), (0, 1))
    assert first and first == second
