"""Coded messages of the gazetteer (codes E6xx), in one catalogue.

They extend :data:`khaldun.errors.MESSAGES`; the gazetteer keeps its own table so the
geo package can be worked on without touching the shared catalogue.
"""

from __future__ import annotations

from khaldun.errors import KhaldunError

MESSAGES: dict[str, str] = {
    "E601": "gazetteer index {path} not found: run `khaldun gazetteer build --from DIR`",
    "E602": "{path}: not a khaldun gazetteer index ({reason})",
    "E603": "{path}: index built with other transliteration rules (hash {found}, expected {expected}): rebuild it",
    "E604": "{path}: raw GeoNames file missing: {name}",
    "E605": "{path}:{line}: malformed GeoNames row: {reason}",
    "E610": "{path}:{line}: {reason}",
    "E611": "{path}: supplement file has no rows",
    "E612": "{path}: unsupported supplement format (use .tsv, .yaml or .yml)",
    "E620": "{country}: not an ISO 3166 alpha-2 country code",
    "E621": "{url}: download failed: {reason}",
    "E622": "{name}: checksum mismatch (expected sha256 {expected}, got {found})",
    "E623": "{name}: not a GeoNames country dump: {reason}",
    "E630": "{path}: cannot write the gazetteer: {reason}",
}


def geo_error(code: str, **fields: object) -> KhaldunError:
    """Build the coded error ``code`` with its catalogued message."""
    return KhaldunError(code, MESSAGES[code].format(**fields))
