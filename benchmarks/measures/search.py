"""The search measure: ``Store.search`` over whole words and over prefixes, a bare FTS5 MATCH beside each."""

from __future__ import annotations

import time

from benchmarks.datasets import Bench, search_queries
from benchmarks.growth import fmt
from benchmarks.results import Result
from benchmarks.stats import median, p95


def measure_search(b: Bench) -> list[Result]:
    from tracker.store import Store
    from tracker.store.search import fts_query

    whole, prefixes = search_queries()
    raw_sql = "SELECT rowid FROM positions_fts WHERE positions_fts MATCH ? LIMIT 50"
    parts = []
    with Store.open(b.main_db) as store:
        for label, queries, prefix in (
            ("Full-text search: whole words (as you type)", whole, False),
            ("Full-text search: last word as a prefix (after a pause)", prefixes, True),
        ):
            ours: list[float] = []
            raw: list[float] = []
            per_query: dict[str, list[float]] = {q: [] for q in queries}
            for q in queries:  # warm: the file's pages in the cache, the statements prepared
                store.search(q, limit=50, prefix=prefix)
                store.conn.execute(raw_sql, (fts_query(q, prefix=prefix),)).fetchall()
            for _ in range(b.runs):
                for q in queries:
                    start = time.perf_counter()
                    store.search(q, limit=50, prefix=prefix)
                    elapsed = (time.perf_counter() - start) * 1000
                    ours.append(elapsed)
                    per_query[q].append(elapsed)
                    start = time.perf_counter()
                    store.conn.execute(raw_sql, (fts_query(q, prefix=prefix),)).fetchall()
                    raw.append((time.perf_counter() - start) * 1000)
            parts.append((label, queries, prefix, ours, raw, per_query))
    results = []
    for label, queries, prefix, ours, raw, per_query in parts:
        slowest = sorted(per_query.items(), key=lambda kv: -median(kv[1]))[:4]
        slow_text = ", ".join(f"{q!r} {fmt(median(v), 'ms')}" for q, v in slowest)
        results.append(Result("search-prefix" if prefix else "search-words", label, median(ours), median(raw), "ms", "none", 50.0,
                              samples=len(ours), ours_p95=p95(ours), reference_p95=p95(raw),
                              ours_command=f"Store.search(text, limit=50, prefix={prefix})", reference_command=raw_sql,
                              note=f"a part of the search above, for context; {len(queries)} queries × {b.runs} runs on a "
                                   f"warm connection: {', '.join(repr(q) for q in queries)}; slowest (median): {slow_text}"))  # fmt: skip
    ours = [t for part in parts for t in part[3]]
    raw = [t for part in parts for t in part[4]]
    return [Result("search", "Full-text search (words and prefixes)", median(ours), median(raw), "ms", "p95-under", 50.0,
                   samples=len(ours), ours_p95=p95(ours), reference_p95=p95(raw),
                   ours_command="Store.search(text, limit=50, prefix=False), and prefix=True for the prefixes",
                   reference_command=raw_sql,
                   note="every query of the two rows below pooled (the whole words and the unfinished last words); "
                        "the reference, a bare FTS5 MATCH of the same query, is for context, not a goal")] + results  # fmt: skip
