"""Run a partition plan on a Dask cluster, or in this process with the same code and output."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from khaldun.distributed.partitions import (Partition, PartitionSummary, mark_success, part_exists,
                                            process_partition, write_manifest)
from khaldun.errors import error
from khaldun.ingest import ReadOptions
from khaldun.pipeline import Pipeline


def _pending(partitions: list[Partition], output_dir: str, resume: bool,
             storage_options: dict[str, Any] | None) -> tuple[list[Partition], list[PartitionSummary]]:
    """The partitions still to run; with ``resume``, those whose part exists are done already."""
    write_manifest(partitions, output_dir, storage_options)
    todo, done = [], []
    for partition in partitions:
        if resume and part_exists(partition, storage_options):
            done.append(PartitionSummary(index=partition.index, input=partition.input, output=partition.output,
                                         skipped=True))
        else:
            todo.append(partition)
    return todo, done


def run_locally(partitions: list[Partition], output_dir: str, *, options: ReadOptions = ReadOptions(),
                resume: bool = False, storage_options: dict[str, Any] | None = None,
                pipeline: Pipeline | None = None) -> Iterator[PartitionSummary]:
    """Process the partitions one after the other in this process; summaries in partition order."""
    todo, done = _pending(partitions, output_dir, resume, storage_options)
    yield from done
    for partition in todo:
        yield process_partition(partition, options, storage_options=storage_options, pipeline=pipeline)
    mark_success(output_dir, storage_options)


def run_on_dask(partitions: list[Partition], output_dir: str, address: str, *, options: ReadOptions = ReadOptions(),
                resume: bool = False, storage_options: dict[str, Any] | None = None,
                timeout: float = 30.0) -> Iterator[PartitionSummary]:
    """Process the partitions as tasks on the Dask cluster at ``address``; summaries as tasks finish.

    Workers need khaldun (and its spaCy models) installed: tasks call
    :func:`process_partition` by reference. Each worker process builds its pipeline on
    its first task. Task keys name the partitions (``khaldun-part-00003-<run>``), so the
    dashboard shows which input a task is working on. Raises E801 when the scheduler
    cannot be reached.
    """
    from distributed import Client, as_completed

    todo, done = _pending(partitions, output_dir, resume, storage_options)
    yield from done
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise error("E801", address=address, reason=str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
    run = uuid.uuid4().hex[:8]  # two runs sharing a scheduler must not share task keys
    with client:
        futures = [client.submit(process_partition, partition, options, storage_options=storage_options,
                                 key=f"khaldun-part-{partition.index:05d}-{run}", retries=1)
                   for partition in todo]
        for future in as_completed(futures, loop=client.loop):
            try:
                yield future.result()
            except Exception as exc:  # noqa: BLE001 - a failed partition is reported; the others go on
                partition = todo[futures.index(future)]
                reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
                yield PartitionSummary(index=partition.index, input=partition.input, output=partition.output,
                                       errors=[str(error("E804", origin=partition.input, reason=reason))])
    mark_success(output_dir, storage_options)
