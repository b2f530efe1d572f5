"""khaldun: conflict reports in, verified ACLED-coded events out.

    >>> from khaldun import extract_text
    >>> events = extract_text("...", publication_date="2013-07-29", language="fr")
"""

from __future__ import annotations

__version__ = "0.1.0"
