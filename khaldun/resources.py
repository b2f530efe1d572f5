"""Find and load the package's data files (lexicons, actors, taxonomy) through importlib.resources.

Data loads lazily, on first use, and is cached per process; nothing is read at import time.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import yaml

from khaldun.errors import error


def data_path(*parts: str) -> Traversable:
    """A path inside ``khaldun/data`` that works from a wheel, a zip or a checkout."""
    node = resources.files("khaldun") / "data"
    for part in parts:
        node = node / part
    return node


@cache
def load_yaml(*parts: str) -> Any:
    """Parse a YAML data file once; a malformed file is a coded error naming it."""
    node = data_path(*parts)
    try:
        return yaml.safe_load(node.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise error("E401", path="/".join(("khaldun/data",) + parts), reason=str(exc).splitlines()[0]) from None


def list_data(*parts: str, suffix: str = ".yaml") -> list[str]:
    """Names of the data files in a folder of ``khaldun/data``, sorted."""
    folder = data_path(*parts)
    return sorted(child.name for child in folder.iterdir() if child.name.endswith(suffix))
