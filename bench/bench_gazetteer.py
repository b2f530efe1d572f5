"""Benchmark the gazetteer: one-off load, then lookups per second against a plain dict.

The dict baseline is built in the same run from the same index (name key -> entries),
so the ratios say what the SQLite index costs over an in-memory table, and what it saves
in load time. Run: python bench/bench_gazetteer.py [--names 3000] [--index PATH]
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import tempfile
import time
from pathlib import Path

from khaldun.geo.gazetteer import Gazetteer, _open_cached
from khaldun.geo.translit import key


def sample_names(gaz: Gazetteer, count: int, rng: random.Random) -> tuple[list[str], list[str]]:
    """Real names (hits) and altered names (mostly misses) from the index."""
    conn = sqlite3.connect(f"file:{gaz.path}?mode=ro", uri=True)
    total = conn.execute("SELECT max(rid) FROM place").fetchone()[0]
    hits: list[str] = []
    while len(hits) < count:
        row = conn.execute("SELECT name FROM place WHERE rid = ?", (rng.randint(1, total),)).fetchone()
        if row and key(row[0]):
            hits.append(row[0])
    misses = [name[::-1] + "zq" for name in hits]
    conn.close()
    return hits, misses


def timed(fn, names: list[str]) -> float:
    start = time.perf_counter()
    for name in names:
        fn(name)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--names", type=int, default=3000)
    parser.add_argument("--fuzzy-names", type=int, default=200)
    parser.add_argument("--index", type=Path, default=None)
    args = parser.parse_args()
    rng = random.Random(13)

    start = time.perf_counter()
    gaz = Gazetteer.open(args.index)
    load_first = time.perf_counter() - start
    _open_cached.cache_clear()
    start = time.perf_counter()
    gaz = Gazetteer.open(args.index)
    load_index = time.perf_counter() - start

    start = time.perf_counter()
    conn = sqlite3.connect(f"file:{gaz.path}?mode=ro", uri=True)
    table: dict[str, list[tuple]] = {}
    for row in conn.execute("SELECT k.key, p.* FROM name_key k JOIN place p ON p.rid = k.rid"):
        table.setdefault(row[0], []).append(row[1:])
    conn.close()
    load_dict = time.perf_counter() - start

    hits, misses = sample_names(gaz, args.names, rng)
    mixed = hits + misses
    rng.shuffle(mixed)
    fresh = Gazetteer(gaz.path)  # cold per-name cache, same file

    rows = []
    t_dict = timed(lambda n: table.get(key(n), ()), mixed)
    t_cold = timed(lambda n: fresh.lookup(n), mixed)
    t_warm = timed(lambda n: fresh.lookup(n), mixed)
    t_country = timed(lambda n: fresh.lookup(n, country="SY"), mixed)
    fuzzy_names = hits[: args.fuzzy_names]
    t_fuzzy_sy = timed(lambda n: fresh.fuzzy(n, country="SY"), fuzzy_names)
    t_fuzzy_all = timed(lambda n: fresh.fuzzy(n), fuzzy_names)
    n = len(mixed)
    rows.append(("dict lookup (key + get)", n / t_dict, 1.0))
    rows.append(("index lookup, cold cache", n / t_cold, t_cold / t_dict))
    rows.append(("index lookup, warm cache", n / t_warm, t_warm / t_dict))
    rows.append(("index lookup, country=SY", n / t_country, t_country / t_dict))
    per_dict = t_dict / n
    rows.append(("fuzzy, country=SY", len(fuzzy_names) / t_fuzzy_sy, (t_fuzzy_sy / len(fuzzy_names)) / per_dict))
    rows.append(("fuzzy, all countries", len(fuzzy_names) / t_fuzzy_all, (t_fuzzy_all / len(fuzzy_names)) / per_dict))

    print(f"index: {gaz.path} ({gaz.meta['places']} places, {gaz.meta['keys']} keys)")
    print(f"names: {len(hits)} hits + {len(misses)} misses; fuzzy on {len(fuzzy_names)} names\n")
    print(f"{'one-off load':34} {'seconds':>10} {'ratio':>8}")
    print(f"{'dict built from the index':34} {load_dict:10.3f} {1.0:8.2f}")
    print(f"{'Gazetteer.open, first (unpack)':34} {load_first:10.3f} {load_first / load_dict:8.2f}")
    print(f"{'Gazetteer.open, later runs':34} {load_index:10.4f} {load_index / load_dict:8.4f}\n")
    print(f"{'lookups':34} {'per second':>10} {'time vs dict':>13}")
    for name, rate, ratio in rows:
        print(f"{name:34} {rate:10.0f} {ratio:12.2f}x")
    _open_cached.cache_clear()


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as cache:
        os.environ.setdefault("KHALDUN_CACHE_DIR", cache)
        main()
