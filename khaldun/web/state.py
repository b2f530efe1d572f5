"""What every request handler shares: the store, the upload jobs and the settings."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from khaldun.store.db import Store
from khaldun.web.jobs import UploadJobs

DEFAULT_MAX_UPLOAD = 2 * 1024 * 1024
DEFAULT_MAX_EXPANDED = 16 * 1024 * 1024
"""Largest upload once its gzip files are decompressed."""


@dataclass
class Workbench:
    store: Store
    jobs: UploadJobs
    tile_url: str | None = None
    max_upload: int = DEFAULT_MAX_UPLOAD
    max_expanded: int = DEFAULT_MAX_EXPANDED


def workbench(request: Request) -> Workbench:
    return request.app.state.workbench
