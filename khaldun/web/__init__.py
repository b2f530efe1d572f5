"""The web workbench: a JSON API (OpenAPI at ``/openapi.json``) and pages over the event store.

    >>> from khaldun.web import create_app
    >>> app = create_app("events.db")  # serve with uvicorn, or ``khaldun serve --db events.db``
"""

from khaldun.web.app import create_app

__all__ = ["create_app"]
