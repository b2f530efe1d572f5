"""Readers: turn paths (text, HTML, JSON Lines, directories, gzip) into :class:`Report` records.

Each reader yields either a ``Report`` or a ``KhaldunError`` for one bad input, so that
a batch reports its bad records and goes on with the others.
"""

from khaldun.ingest.readers import ReadOptions, read_paths, read_text_report

__all__ = ["ReadOptions", "read_paths", "read_text_report"]
