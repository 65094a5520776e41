"""The least time any import written in Python takes over a file of position lines.

    python benchmarks/import_floor.py FILE.positions.jsonl [--runs 3]

Each line decoded by ``json.loads`` (the C decoder), its values made a tuple (lists as
JSON text) and inserted with ``executemany`` into one table with no index, no key, no
check, no search index, journal and syncing off, in a temporary file: what is left of an
import when nothing is checked and nothing is indexed. The import's bar is half of
``sqlite-utils insert``'s time (PRODUCT.md, Quality bars); this floor says how much of that
half any import in Python spends before it checks a record (see RESULTS.md's notes).
Prints the median of ``--runs`` runs, in seconds.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

BATCH = 10_000


def floor_seconds(path: Path) -> float:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        conn = sqlite3.connect(Path(folder) / "floor.db", isolation_level=None)
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        loads, dumps = json.loads, json.dumps
        with path.open(encoding="utf-8") as lines:
            first = loads(next(lines))
            columns = list(first)
            conn.execute(f"CREATE TABLE t ({', '.join(columns)})")
            insert = f"INSERT INTO t VALUES ({', '.join('?' * len(columns))})"
            conn.execute("BEGIN")
            batch = [tuple(dumps(v) if isinstance(v, list) else v for v in first.values())]
            for line in lines:
                batch.append(tuple(dumps(v) if isinstance(v, list) else v for v in loads(line).values()))
                if len(batch) == BATCH:
                    conn.executemany(insert, batch)
                    batch.clear()
            conn.executemany(insert, batch)
            conn.execute("COMMIT")
        conn.close()
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="a file of position lines (the runner's *.positions.jsonl)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{statistics.median(floor_seconds(args.file) for _ in range(args.runs)):.2f}")


if __name__ == "__main__":
    main()
