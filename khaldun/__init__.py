"""khaldun: conflict reports in, verified ACLED-coded events out.

    >>> from khaldun import extract_text
    >>> events = extract_text("...", publication_date="2013-07-29", language="fr")
"""

from __future__ import annotations

__version__ = "0.4.0"

from khaldun.api import extract, extract_text  # noqa: E402
from khaldun.errors import KhaldunError  # noqa: E402
from khaldun.pipeline import Pipeline  # noqa: E402

__all__ = ["KhaldunError", "Pipeline", "extract", "extract_text", "__version__"]
