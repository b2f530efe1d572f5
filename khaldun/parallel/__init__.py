"""Batch processing on one machine: a pool of worker processes, and resumable output.

:class:`WorkerPool` runs the same :class:`~khaldun.pipeline.Pipeline` in N processes (each
builds its own once) and gives results back in input order, with a bounded number of
chunks in flight, so memory stays flat however long the input stream is.
:class:`Checkpoint` makes a JSON Lines output resumable after an interruption.
"""

from khaldun.parallel.batch import extract_batch
from khaldun.parallel.checkpoint import Checkpoint
from khaldun.parallel.pool import WorkerPool, default_workers

__all__ = ["Checkpoint", "WorkerPool", "default_workers", "extract_batch"]
