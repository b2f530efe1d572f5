"""The batch API behind ``khaldun extract --workers``: read, skip what is done, process in N processes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from khaldun.errors import KhaldunError
from khaldun.ingest import ReadOptions, read_paths
from khaldun.parallel.pool import WorkerPool
from khaldun.pipeline import Pipeline
from khaldun.schema import DocumentResult, Report


def extract_batch(paths: Iterable[str | Path], options: ReadOptions = ReadOptions(), *, workers: int = 1,
                  skip_ids: frozenset[str] | set[str] = frozenset(), keep_mentions: bool = True,
                  pipeline: Pipeline | None = None) -> Iterator[DocumentResult | KhaldunError]:
    """Every report under ``paths`` not in ``skip_ids``, processed in input order.

    With ``workers`` above 1 a :class:`WorkerPool` does the work (its processes stop when
    the iterator is exhausted or closed); otherwise ``pipeline`` (default: the process-wide
    one) runs here. Reading is streamed either way, so memory does not grow with the input.
    """
    items = (item for item in read_paths(list(paths), options)
             if not (isinstance(item, Report) and item.id in skip_ids))
    if workers <= 1:
        from khaldun.api import default_pipeline

        yield from (pipeline or default_pipeline()).pipe(items)
        return
    with WorkerPool(workers=workers, keep_mentions=keep_mentions) as pool:
        yield from pool.pipe(items)


def count_reports(paths: Iterable[str | Path]) -> int:
    """About how many reports ``paths`` hold, cheaply, for a progress bar's ETA.

    A JSON Lines file counts its non-blank lines (read in 1 MiB blocks, gunzipped if
    needed); any other file counts one. Nothing is parsed, so bad records are counted too.
    """
    import gzip

    from khaldun.ingest.readers import JSONL_SUFFIXES, _suffix, walk_reports

    total = 0
    for raw in paths:
        path = Path(raw)
        files = walk_reports(path) if path.is_dir() else iter([path] if path.is_file() else [])
        for file in files:
            if _suffix(file) not in JSONL_SUFFIXES:
                total += 1
                continue
            try:
                with (gzip.open(file, "rb") if file.suffix.lower() == ".gz" else open(file, "rb")) as stream:
                    total += sum(1 for line in stream if line.strip())
            except (OSError, EOFError):
                continue
    return total
