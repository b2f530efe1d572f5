"""Uploaded reports are extracted in one background thread, with progress a page can poll.

Extraction is the slow part (the spaCy models load once, ~5 s, then a report takes about
a second), so an upload request only queues the reports and returns a job id. One worker
thread runs every job in turn: the pipeline is not shared between threads, and the store
serialises writers anyway.
"""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import select

from khaldun.errors import KhaldunError, error
from khaldun.pipeline import Pipeline
from khaldun.schema import Report
from khaldun.store.db import Store
from khaldun.store.ingest import store_result
from khaldun.store.models import EventSourceRow
from khaldun.store.records import IngestOutcome


class Job(BaseModel):
    """Progress of one upload: how many reports are done, what each gave, the events it touched."""

    id: str
    state: Literal["queued", "running", "done"] = "queued"
    total: int
    done: int = 0
    outcomes: list[IngestOutcome] = Field(default_factory=list)
    event_ids: list[str] = Field(default_factory=list)


class UploadJobs:
    """Queue of upload jobs, run one at a time by a single worker thread."""

    def __init__(self, store: Store, pipeline: Pipeline | None = None) -> None:
        self.store = store
        self._pipeline = pipeline
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="khaldun-upload")

    def submit(self, items: list[Report | KhaldunError]) -> Job:
        job = Job(id=uuid.uuid4().hex, total=len(items))
        with self._lock:
            self._jobs[job.id] = job
        self._executor.submit(self._run, job.id, items)
        return self.get(job.id) or job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            job = self._jobs.get(job_id)
            return job.model_copy(deep=True) if job else None

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def _pipeline_for_jobs(self) -> Pipeline:
        if self._pipeline is None:
            from khaldun.api import default_pipeline

            self._pipeline = default_pipeline()
        return self._pipeline

    def _run(self, job_id: str, items: list[Report | KhaldunError]) -> None:
        self._update(job_id, state="running")
        for item in items:
            outcome = self._one(item)
            events = self._events_of(outcome.document_id) if outcome.document_id else []
            with self._lock:
                job = self._jobs[job_id]
                job.done += 1
                job.outcomes.append(outcome)
                job.event_ids += [e for e in events if e not in job.event_ids]
        self._update(job_id, state="done")

    def _one(self, item: Report | KhaldunError) -> IngestOutcome:
        if isinstance(item, KhaldunError):
            return IngestOutcome(document_id=None, status="failed", error=str(item))
        try:
            result = self._pipeline_for_jobs().process(item)
        except KhaldunError as exc:
            return IngestOutcome(document_id=item.id, status="failed", error=str(exc))
        except Exception as exc:  # noqa: BLE001 - one report's crash must not stall the job and those queued after it
            failed = error("E501", origin=item.origin or item.id, reason=f"{type(exc).__name__}: {exc}")
            return IngestOutcome(document_id=item.id, status="failed", error=str(failed))
        return store_result(self.store, result)  # keeps the normalised text the evidence offsets point into

    def _events_of(self, document_id: str) -> list[str]:
        with self.store.read() as conn:
            rows = conn.execute(select(EventSourceRow.event_id).where(EventSourceRow.document_id == document_id)
                                .order_by(EventSourceRow.position)).scalars()
            return [r for r in rows if r]

    def _update(self, job_id: str, **values: object) -> None:
        with self._lock:
            job = self._jobs[job_id]
            for name, value in values.items():
                setattr(job, name, value)
