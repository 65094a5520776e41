"""`tracker backup` of a file that other programs are writing: each copy passes
`tracker check`, stands alone (no -wal beside it), and holds a moment of the
file: a prefix of what a writer acknowledged, at least everything it had
acknowledged when the backup started; an import either whole or not at all.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from proc_helpers import (
    SCALE,
    Child,
    assert_no_lock_errors,
    driver_cmd,
    import_file,
    imported,
    new_db,
    query,
    rng,
    run,
    store_check,
    tracker_check,
    tracker_cmd,
)

from tracker.store.bulk import BULK_THRESHOLD

BACKUPS = 5 * SCALE


def backup(db: Path, copy: Path) -> None:
    done = run(tracker_cmd("--db", db, "backup", copy))
    assert done.returncode == 0, done.stderr
    assert_no_lock_errors(done.stdout, done.stderr)


def holding_the_file_open(db: Path) -> sqlite3.Connection:
    """A connection that stays open, as the interface's do: writers that end then do
    not fold the write-ahead log into the file, so a copy must take the log into account."""
    conn = sqlite3.connect(db)
    conn.execute("SELECT count(*) FROM positions").fetchone()
    return conn


def test_backups_while_tracker_add_writes_hold_a_prefix_of_its_entries(tmp_path):
    r = rng("backup")
    db = new_db(tmp_path / "t.db")
    keeper = holding_the_file_open(db)
    copies = []
    try:
        with Child(driver_cmd("add_loop.py", db, "b")) as writer:
            writer.wait_count(lambda line: line.isdigit(), 3, timeout=60)
            for k in range(BACKUPS):
                time.sleep(r.uniform(0, 0.3))
                acked_before = sum(1 for line in writer.lines if line.isdigit())
                actors_before = {line for line in writer.lines if line.startswith("b-a")}
                copy = tmp_path / f"copy{k}.db"
                backup(db, copy)
                tried_after = sum(1 for line in writer.lines if line.startswith("try position"))
                copies.append((copy, acked_before, actors_before, tried_after))
            writer.kill()
            assert not [line for line in writer.lines if line.startswith("failed")], writer.describe()
            assert_no_lock_errors(writer.stderr)
    finally:
        keeper.close()
    for copy, acked_before, actors_before, tried_after in copies:
        assert not Path(f"{copy}-wal").exists(), "the copy needs a -wal file beside it"
        store_check(copy)
        numbers = sorted(int(n.split("-")[1]) for (n,) in query(copy, "SELECT notes FROM positions WHERE notes LIKE 'b-%'"))
        assert numbers == list(range(len(numbers))), f"{copy.name} is not a moment of the file: {numbers}"
        assert acked_before <= len(numbers) <= tried_after, (copy.name, acked_before, len(numbers), tried_after)
        slugs = {s for (s,) in query(copy, "SELECT slug FROM actors")}
        assert actors_before <= slugs, actors_before - slugs
    assert copies[-1][1] > copies[0][1], "the writer did not write between the backups"
    tracker_check(copies[-1][0])
    tracker_check(db)


def test_backups_during_an_import_hold_all_of_it_or_none(tmp_path):
    """The import is big enough to take the bulk path (the positions' indexes are dropped
    and rebuilt inside its transaction)."""
    db = new_db(tmp_path / "t.db")
    keeper = holding_the_file_open(db)
    size = BULK_THRESHOLD
    data = import_file(tmp_path / "big.jsonl", "big", size)
    copies = []
    try:
        with Child(tracker_cmd("--db", db, "import", data)) as importer:
            while importer.proc.poll() is None and len(copies) < 4:
                copy = tmp_path / f"during{len(copies)}.db"
                backup(db, copy)
                copies.append(copy)
            assert importer.finish(timeout=120) == 0, importer.describe()
        after = tmp_path / "after.db"
        backup(db, after)
    finally:
        keeper.close()
    assert copies, "the import ended before a backup started"
    for copy in copies:
        assert imported(copy, "big") in ((0, 0, 0), (size, 3, 2)), copy.name
        store_check(copy)
    assert imported(after, "big") == (size, 3, 2)
    tracker_check(after)
