"""Where the gazetteer lives: the packaged default, the user's data and cache folders.

The packaged index ships xz-compressed and is unpacked once into the cache folder; what a
user adds (country downloads, supplements) goes to the data folder. Both folders can be
moved with ``KHALDUN_DATA_DIR`` / ``KHALDUN_CACHE_DIR`` (tests and CI point them at a
temporary folder), otherwise they follow each platform's convention.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from khaldun.resources import data_path

PACKAGED_INDEX = ("gazetteer", "gazetteer.sqlite.xz")
PACKAGED_MANIFEST = ("gazetteer", "gazetteer.json")


def _platform_dir(kind: str) -> Path:
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
        return base / "khaldun" / ("Cache" if kind == "cache" else "Data")
    if sys.platform == "darwin":
        return home / "Library" / ("Caches" if kind == "cache" else "Application Support") / "khaldun"
    if kind == "cache":
        return Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache") / "khaldun"
    return Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share") / "khaldun"


def user_data_dir() -> Path:
    """Folder for the user's downloads, supplements and merged index."""
    return Path(os.environ.get("KHALDUN_DATA_DIR") or _platform_dir("data")) / "gazetteer"


def user_cache_dir() -> Path:
    """Folder for the unpacked packaged index (safe to delete)."""
    return Path(os.environ.get("KHALDUN_CACHE_DIR") or _platform_dir("cache")) / "gazetteer"


def packaged_index() -> Path:
    return Path(str(data_path(*PACKAGED_INDEX)))


def packaged_manifest() -> dict[str, str]:
    """The meta of the packaged index (counts, checksum), readable without unpacking it."""
    return json.loads(data_path(*PACKAGED_MANIFEST).read_text(encoding="utf-8"))
