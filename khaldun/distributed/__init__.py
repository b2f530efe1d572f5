"""Cluster runs: the same pipeline over partitioned input, one output part per input part.

Every input file (JSON Lines, optionally gzipped, or Parquet; local or any fsspec URL such
as ``s3://bucket/reports/``) is a partition. A task reads its partition streamed, runs the
pipeline of its worker process (built once, on the process's first task) and writes
``part-NNNNN.jsonl`` (or ``.parquet``) into the output directory; ``NNNNN`` is the
partition's position in sorted input order, so concatenating the parts in name order
gives exactly what one machine writes for the same inputs. The same plan runs on a Dask
cluster (:func:`run_on_dask`) or in this process (:func:`run_locally`).
"""

from khaldun.distributed.partitions import Partition, PartitionSummary, plan_partitions, process_partition
from khaldun.distributed.runner import run_locally, run_on_dask

__all__ = ["Partition", "PartitionSummary", "plan_partitions", "process_partition", "run_locally", "run_on_dask"]
