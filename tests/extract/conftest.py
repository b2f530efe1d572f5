"""Fixtures of the place tests: the packaged gazetteer in a throwaway cache, and both spaCy pipelines."""

from __future__ import annotations

import pytest

from khaldun.extract.places import PlaceFinder
from khaldun.geo.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def finder(tmp_path_factory: pytest.TempPathFactory) -> PlaceFinder:
    mp = pytest.MonkeyPatch()
    mp.setenv("KHALDUN_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    mp.setenv("KHALDUN_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    try:
        yield PlaceFinder(gazetteer=Gazetteer.open())
    finally:
        mp.undo()


@pytest.fixture(scope="module")
def nlp():
    from khaldun.nlp.models import load_pipeline

    return {lang: load_pipeline(lang) for lang in ("fr", "en")}
