"""The import measure: ``tracker import`` vs ``sqlite-utils insert``, their times and peak memory."""

from __future__ import annotations

from pathlib import Path

from benchmarks.datasets import Bench, count_rows, remove_db
from benchmarks.processes import measured, shell
from benchmarks.results import Result
from benchmarks.stats import median


def measure_import(b: Bench) -> list[Result]:
    results = import_results(b, b.main_jsonl, "JSONL import", adopt=True, reference=not b.big)
    if b.big:
        skipped = "not run above 1,000,000 positions: the imports are the longest measures"
    elif not b.short_quotes:
        skipped = "benchmarks/generate.py has no --short-quotes yet"
    else:
        return results + import_results(b, b.jsonl(b.positions, short_quotes=True), "JSONL import, short quotes", shape="-short")
    return results + [Result("import-short", "JSONL import, short quotes", None, None, "s", "ratio", 0.5, skipped=skipped)]


def import_results(b: Bench, jsonl: Path, label: str, adopt: bool = False, shape: str = "",
                   reference: bool = True) -> list[Result]:  # fmt: skip
    """``tracker import`` of ``jsonl`` into a new file, and ``sqlite-utils insert`` of its
    position lines (unless not ``reference``), alternately: their times and their peak
    memory. ``adopt``: keep our database as the dataset's (the other measures open it)."""
    ours_db, ref_db = b.work / "import-ours.db", b.work / "import-reference.db"
    ours_argv = [*b.tracker, "--db", str(ours_db), "import", str(jsonl)]
    rows = b.positions_only(jsonl) if reference else jsonl.with_suffix(".positions.jsonl")  # not made if not used
    ref_argv = [*b.sqlite_utils, "insert", str(ref_db), "positions", str(rows), "--nl", "--pk", "id"]
    runs = b.import_runs
    ours, ref = [], []
    for i in range(runs):
        remove_db(ours_db)
        b.log(f"{label} {i + 1}/{runs}: tracker import")
        ours.append(measured(ours_argv))
        if reference:
            remove_db(ref_db)
            b.log(f"{label} {i + 1}/{runs}: sqlite-utils insert")
            ref.append(measured(ref_argv))
    for db in (ours_db, ref_db) if reference else (ours_db,):
        if count_rows(db) != b.positions:
            raise RuntimeError(f"{db.name} holds {count_rows(db)} positions, not {b.positions}")
    remove_db(ref_db)
    if adopt:
        b.adopt(ours_db, jsonl)  # a fresh import of the dataset: the other measures use it
    else:
        remove_db(ours_db)
    commands = {"ours_command": shell(ours_argv, b.work), "samples": runs,
                "reference_command": shell(ref_argv, b.work) if reference else ""}  # fmt: skip
    unref = "" if reference else "; the reference is not run above 1,000,000 positions (its time grows with the file)"
    return [
        Result("import" + shape, f"{label}, {b.positions:,} positions", median(t for t, _ in ours), median(t for t, _ in ref),
               "s", "ratio", 0.5, **commands,
               note="a new file each run; the reference inserts the position lines alone (no actors, questions, "
                    "sources, checks, indexes or search index), as its users would" + unref),
        Result("import-memory" + shape, f"{label}: peak memory", median(m for _, m in ours), median(m for _, m in ref),
               "MB", "under", 300.0, **commands,
               note="peak RSS of each program during those same imports (through benchmarks/peak.py: wait4, and the sum "
                    "of the RSS of its processes read every 20 ms, for ours the import and the second process that builds "
                    "its search index; the larger); the file is streamed, so this stays flat whatever its size; the "
                    "reference is for context" + unref),
    ]  # fmt: skip
