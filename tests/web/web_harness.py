"""The app in a test client, with a token per role: shared by the fixtures and by tests that need a variant."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

with warnings.catch_warnings():  # Starlette's test client warns about its own httpx use: nothing to act on
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from web_factories import FakePipeline  # noqa: E402

PASSWORD = "a long test passphrase"
ROLES = ("viewer", "analyst", "admin")


@dataclass
class Bench:
    """A running app in a test client, with a token per role and the store behind it."""

    client: TestClient
    store: Any
    tokens: dict[str, str]
    db: str

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


def make_bench(db: str, tokens: dict[str, str], **options: Any) -> Iterator[Bench]:
    """The app over ``db`` (a fake extraction pipeline unless ``pipeline=`` is given), served in a test client."""
    from khaldun.web import create_app

    app = create_app(db, pipeline=options.pop("pipeline", FakePipeline()), **options)
    with TestClient(app) as client:
        yield Bench(client=client, store=app.state.workbench.store, tokens=tokens, db=db)
