"""Detect a report's language and check that khaldun supports it."""

from __future__ import annotations

from functools import cache

from khaldun.errors import error
from khaldun.resources import load_yaml


def supported_languages() -> list[str]:
    return sorted(load_yaml("languages.yaml"))


@cache
def _identifier():  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, origin: str = "") -> str:
    """ISO 639-1 code of ``text`` (py3langid: offline, deterministic, 97 languages)."""
    sample = text[:5000]
    if sum(ch.isalpha() for ch in sample) < 10:
        raise error("E202", origin=origin)
    code, _ = _identifier().classify(sample)
    return str(code)


def check_language(code: str, origin: str = "") -> str:
    """The code itself when supported, else the coded 'not supported yet' error."""
    code = code.lower().split("-")[0].split("_")[0]
    if code not in supported_languages():
        raise error("E201", origin=origin, language=code, supported=", ".join(supported_languages()))
    return code
