"""A pool of processes, each running its own pipeline over chunks of reports.

spaCy releases little of the GIL, so one process parses on one core; N processes use N.
Reports go to the workers in chunks (tens of reports, so each worker still batches with
``nlp.pipe``); reading errors never leave the parent, and results come back stripped of
the report text the parent already holds, which keeps inter-process traffic small.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import cache

from khaldun.errors import KhaldunError, error
from khaldun.ingest import read_paths
from khaldun.pipeline import Pipeline
from khaldun.resources import data_path
from khaldun.schema import DocumentResult, Event, Mentions, Report

Item = Report | KhaldunError
Result = DocumentResult | KhaldunError
Outcome = tuple[list[Event], str | None, Mentions | None]
"""What a worker sends back for one report: its events, its coded error, its mentions (if kept)."""


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _exit_with_parent(parent: int, interval: float = 1.0) -> None:
    """Worker initializer: end this process once its parent is gone.

    A parent killed outright (SIGKILL, out of memory) cannot shut its pool down, and an
    orphaned worker would wait for work forever, holding its models in memory.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="khaldun-parent-watch", daemon=True).start()


@cache
def _process_pipeline(factory: Callable[[], Pipeline]) -> Pipeline:
    """The pipeline of this worker process, built on its first chunk and kept for the others."""
    return factory()


def _warm(factory: Callable[[], Pipeline], minimum_seconds: float = 1.0) -> None:
    """Build this worker's pipeline and run it on the bundled examples, which loads every lazy resource."""
    started = time.monotonic()
    pipeline = _process_pipeline(factory)
    for _ in pipeline.pipe(read_paths([str(data_path("examples", "reports.jsonl"))])):
        pass
    time.sleep(max(0.0, minimum_seconds - (time.monotonic() - started)))


def _run_chunk(factory: Callable[[], Pipeline], reports: list[Report], keep_mentions: bool) -> list[Outcome]:
    pipeline = _process_pipeline(factory)
    outcomes: list[Outcome] = []
    for result in pipeline.pipe(reports):
        assert isinstance(result, DocumentResult)  # only reports were sent
        outcomes.append((result.events, result.error, result.mentions if keep_mentions else None))
    return outcomes


@dataclass
class _Chunk:
    """Consecutive input items from ``start``; only the reports among them go to a worker."""

    start: int
    items: list[Item] = field(default_factory=list)
    future: Future[list[Outcome]] | None = None

    @property
    def reports(self) -> list[Report]:
        return [item for item in self.items if isinstance(item, Report)]


class WorkerPool:
    """Runs a pipeline in ``workers`` processes; a drop-in for :meth:`Pipeline.pipe`.

    ``factory`` builds each worker's pipeline: a picklable callable (a class or a
    module-level function), ``Pipeline`` by default. At most ``max_in_flight`` chunks of
    ``chunk_size`` reports are queued or running at any time (default: two per worker),
    so reading never runs far ahead of processing. Use as a context manager, or call
    :meth:`close`, to stop the processes.
    """

    def __init__(self, *, workers: int, chunk_size: int = 32, max_in_flight: int | None = None,
                 factory: Callable[[], Pipeline] = Pipeline, keep_mentions: bool = True,
                 start_method: str = "spawn") -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        self.chunk_size = chunk_size
        self.max_in_flight = max_in_flight or 2 * workers
        self.factory = factory
        self.keep_mentions = keep_mentions
        self._context = multiprocessing.get_context(start_method)
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker processes (they are started again by the next :meth:`pipe`)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def warm_up(self) -> None:
        """Start the workers and load every language's models now, instead of on the first reports.

        One task per worker; a task takes seconds (model loading), so each idle worker takes one.
        """
        executor = self._pool()
        for future in [executor.submit(_warm, self.factory) for _ in range(self.workers)]:
            future.result()

    def pipe(self, items: Iterable[Item]) -> Iterator[Result]:
        """Results in input order, as :meth:`Pipeline.pipe` gives them in one process."""
        for _, result in self.pipe_indexed(items, ordered=True):
            yield result

    def pipe_indexed(self, items: Iterable[Item], *, ordered: bool = True) -> Iterator[tuple[int, Result]]:
        """``(input position, result)`` pairs; with ``ordered=False`` each chunk is given as soon as it is done."""
        pending: deque[_Chunk] = deque()
        for chunk in self._chunks(items):
            self._submit(chunk)
            pending.append(chunk)
            while len(pending) >= self.max_in_flight:
                yield from self._collect(pending, ordered)
        while pending:
            yield from self._collect(pending, ordered)

    def _chunks(self, items: Iterable[Item]) -> Iterator[_Chunk]:
        """Consecutive items, ``chunk_size`` at a time; reading errors count too, so a run of them stays bounded."""
        chunk = _Chunk(start=0)
        for position, item in enumerate(items):
            chunk.items.append(item)
            if len(chunk.items) >= self.chunk_size:
                yield chunk
                chunk = _Chunk(start=position + 1)
        if chunk.items:
            yield chunk

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=self._context,
                                                 initializer=_exit_with_parent, initargs=(os.getpid(),))
        return self._executor

    def _submit(self, chunk: _Chunk) -> None:
        reports = chunk.reports
        if reports:
            try:
                chunk.future = self._pool().submit(_run_chunk, self.factory, reports, self.keep_mentions)
            except BrokenProcessPool:
                self._restart()
                chunk.future = self._pool().submit(_run_chunk, self.factory, reports, self.keep_mentions)

    def _restart(self) -> None:
        """A worker died (killed, out of memory): drop the broken pool; a fresh one starts on demand."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def _collect(self, pending: deque[_Chunk], ordered: bool) -> Iterator[tuple[int, Result]]:
        if ordered:
            chunk = pending.popleft()
        else:
            futures = [c.future for c in pending if c.future is not None]
            done = {c.future for c in pending if c.future is None}
            if futures:
                done |= wait(futures, return_when=FIRST_COMPLETED).done
            chunk = next(c for c in pending if c.future in done)
            pending.remove(chunk)
        yield from self._results(chunk)

    def _results(self, chunk: _Chunk) -> Iterator[tuple[int, Result]]:
        outcomes: Iterator[Outcome] = iter(self._outcomes(chunk))
        for offset, item in enumerate(chunk.items):
            if isinstance(item, Report):
                events, message, mentions = next(outcomes)
                yield chunk.start + offset, DocumentResult(report=item, events=events, error=message, mentions=mentions)
            else:
                yield chunk.start + offset, item

    def _outcomes(self, chunk: _Chunk) -> list[Outcome]:
        if chunk.future is None:
            return []
        try:
            return chunk.future.result()
        except BrokenProcessPool as exc:
            self._restart()
            return [_failed(report, f"worker process died ({exc})") for report in chunk.reports]
        except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be unpickled; the batch goes on
            reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
            return [_failed(report, reason) for report in chunk.reports]


def _failed(report: Report, reason: str) -> Outcome:
    message = str(error("E501", origin=report.origin or report.id, reason=reason))
    return [], message, None

