"""Small invented conflict reports (French and English) for end-to-end store tests.

Each report is a couple of sentences we wrote; some pairs tell the same event in both
languages with different figures, a day apart or at neighbourhood vs city level, so that
a directory of them exercises extraction, storage and cross-report merging.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

TOWNS = [("Homs", "Homs"), ("Hama", "Hama"), ("Idleb", "Idlib"), ("Alep", "Aleppo"), ("Deraa", "Deraa"),
         ("Lattaquié", "Latakia"), ("Tartous", "Tartus"), ("Raqqa", "Raqqa")]

FR = ("De violents combats entre l'armée syrienne et l'Armée syrienne libre ont fait {n} morts {day_fr} à {town}, "
      "selon l'Observatoire syrien des droits de l'homme. Les affrontements ont duré plusieurs heures.")
EN = ("Syrian army troops clashed with Free Syrian Army rebels in {town} on {day_en}, killing {n} people, "
      "the Syrian Observatory for Human Rights said. The fighting lasted for hours.")
WEEKDAYS_FR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def reports(count: int, start: dt.date = dt.date(2014, 5, 5)) -> list[dict]:
    """``count`` reports: pairs (FR, EN) on the same clash, the English one a day later with another figure."""
    made = []
    for i in range(count):
        pair, english = divmod(i, 2)
        town_fr, town_en = TOWNS[pair % len(TOWNS)]
        day = start + dt.timedelta(days=3 * pair)
        if english:
            published = day + dt.timedelta(days=1)
            text = EN.format(town=town_en, day_en=day.strftime("%A"), n=4 + pair % 3)
            made.append({"id": f"en-{pair:02d}", "text": text, "publication_date": published.isoformat(),
                         "language": "en", "source": "World Desk", "url": None})
        else:
            text = FR.format(town=town_fr, day_fr=WEEKDAYS_FR[day.weekday()], n=2 + pair % 3)
            made.append({"id": f"fr-{pair:02d}", "text": text, "publication_date": day.isoformat(),
                         "language": "fr", "source": "Le Quotidien", "url": None})
    return made


def write_reports(folder: Path, count: int) -> Path:
    """One JSON Lines file per report, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for report in reports(count):
        (folder / f"{report['id']}.jsonl").write_text(json.dumps(report, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder
