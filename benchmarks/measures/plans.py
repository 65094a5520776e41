"""The query plans measure: how many of the hot reads scan the positions table without an index."""

from __future__ import annotations

from benchmarks.datasets import Bench
from benchmarks.plans import query_plans
from benchmarks.processes import shell
from benchmarks.results import Result


def measure_plans(b: Bench) -> list[Result]:
    db = b.main_db
    b.log("query plans")
    plans = query_plans(db)
    unintended = [p for p in plans if p.full_scans and not p.scan]
    intended = [p for p in plans if p.full_scans and p.scan]
    return [Result("plans", "Query plans: reads that scan the positions table without an index", len(unintended), None, "",
                   "zero", 0, samples=len(plans), ours_command=f"query_plans({shell([db], b.work)})",
                   note=f"EXPLAIN QUERY PLAN of the {len(plans)} statements the interface and the markdown export run "
                        f"(below); {len(intended)} full {'scan is' if len(intended) == 1 else 'scans are'} intended"
                        + "".join(f": {p.name}" for p in intended[:1]),
                   plans=plans)]  # fmt: skip
