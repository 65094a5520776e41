"""Several programs writing to one file at once: the interface saving from its form,
`tracker import` and a loop of `tracker add`. Nothing is lost, nobody prints or
raises "database is locked" (or any OperationalError), and the interface shows,
without a key being pressed, what the others wrote.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
import time
from pathlib import Path


from proc_helpers import (
    Child,
    assert_no_lock_errors,
    driver_cmd,
    import_file,
    imported,
    new_db,
    query,
    run,
    tracker_check,
    tracker_cmd,
)

from tracker.errors import TrackerError
from tracker.store import Store

UI_SAVES = 2
IMPORT_SIZE = 1_500  # a few tenths of a second holding the write lock, every time
ADD_COMMANDS = 10  # per run of the add loop
MAX_RUNS = 40  # per kind of writer: they write until the interface has saved; this only bounds them
PAUSE = 0.3  # between two runs of a writer, so that the interface is not starved of CPU


class Writers:
    """Runs one kind of writer again and again in a thread until told to stop."""

    def __init__(self, name: str, make_command, stop: threading.Event):
        self.name, self.make_command, self.stop = name, make_command, stop
        self.finished: list[tuple[str, Child]] = []
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        try:
            for k in range(MAX_RUNS):
                if self.stop.is_set():
                    return
                tag, command = self.make_command(k)
                with Child(command) as child:
                    child.finish(timeout=120)
                self.finished.append((tag, child))
                self.stop.wait(PAUSE)
        except BaseException as e:  # reported by the test
            self.error = e

    def join(self) -> None:
        self.thread.join(timeout=300)
        assert not self.thread.is_alive(), f"{self.name} still running"
        if self.error is not None:
            raise self.error
        for _, child in self.finished:
            assert child.proc.returncode == 0, child.describe()
            assert_no_lock_errors("\n".join(child.lines), child.stderr)


def test_the_interface_an_import_and_tracker_add_write_at_once(tmp_path):
    db = new_db(tmp_path / "t.db", position=True)
    stop = threading.Event()

    def an_import(k: int):
        tag = f"imp{k}"
        return tag, tracker_cmd("--db", db, "import", import_file(tmp_path / f"{tag}.jsonl", tag, IMPORT_SIZE))

    def an_add_loop(k: int):
        return f"cli{k}", driver_cmd("add_loop.py", db, f"cli{k}", "--count", ADD_COMMANDS, "--date-base", 1800)

    with Child(driver_cmd("tui_saver.py", db, "ui", "--count", UI_SAVES), stdin=True) as ui:
        ui.index_of(lambda line: line == "ready", timeout=120)
        # While the interface saves: imports back to back, and loops of `tracker add`.
        importers = Writers("imports", an_import, stop)
        adders = Writers("add loops", an_add_loop, stop)
        try:
            ui.index_of(lambda line: line == "saved" or line.startswith("failed"), timeout=240)
        finally:
            stop.set()
            importers.join()
            adders.join()
        first_save = ui.times[ui.index_of(lambda line: line.startswith("ack "))]
        last_other = max(child.ended for _, child in importers.finished + adders.finished)
        assert first_save < last_other, "the other programs did not write while the interface saved"

        # One more write by another program, then, without a key: the interface shows it.
        late = run(tracker_cmd(
            "--db", db, "add", "position", "--actor", "alpha", "--question", "crash", "--stance", "committed",
            "--date", "1700-01-01", "--quote", "written-by-another-program",
        ))  # fmt: skip
        assert late.returncode == 0, late.stderr
        (total,) = query(db, "SELECT count(*) FROM positions")[0]
        start = len(ui.lines)
        ui.send(f"expect {total} written-by-another-program")
        answer = ui.wait_for(lambda line: line == "seen" or line.startswith("unseen"), timeout=120, start=start)
        assert answer == "seen", f"the interface did not show the other program's writes: {answer}"
        ui.send("quit")
        assert ui.finish(timeout=60) == 0, ui.describe()

    lines = ui.lines
    assert not [line for line in lines if line.startswith(("notice", "failed"))], ui.describe()
    assert_no_lock_errors(ui.stderr)
    saved = [line.split()[1] for line in lines if line.startswith("ack ")]
    assert len(saved) == UI_SAVES
    quotes = {q for (q,) in query(db, "SELECT quote FROM positions")}
    assert set(saved) <= quotes, f"saves of the interface lost: {set(saved) - quotes}"
    for tag, _ in importers.finished:
        assert imported(db, tag) == (IMPORT_SIZE, 3, 2), tag
    notes = {n for (n,) in query(db, "SELECT notes FROM positions")}
    for tag, child in adders.finished:
        added = [line.split()[2] for line in child.lines if line.startswith("try position")]
        assert len(added) == ADD_COMMANDS and set(added) <= notes, tag
    expected = 1 + UI_SAVES + IMPORT_SIZE * len(importers.finished) + ADD_COMMANDS * len(adders.finished) + 1
    assert total == expected
    tracker_check(db)


def test_opening_a_connection_keeps_the_locks_of_the_others_in_the_process(tmp_path):
    """What the interface does (a connection for the watcher and one per worker thread,
    opened as needed) while other programs write: every write is kept. (Opening the file
    with Python's open() to read its header, then closing it, once dropped the POSIX locks
    of the process's other connections: the next program to end deleted the WAL under
    them, and writes were lost.)"""
    db = new_db(tmp_path / "t.db")

    def add_by_another_program(quote: str) -> None:
        done = run(tracker_cmd(
            "--db", db, "add", "position", "--actor", "alpha", "--question", "crash", "--stance", "open",
            "--date", "2024", "--quote", quote,
        ))  # fmt: skip
        assert done.returncode == 0, done.stderr

    with Store.open(db) as first:
        first.count_positions()
        with Store.open(db) as second:  # as a new worker thread does
            second.count_positions()
            add_by_another_program("by another program")  # when it ends, the file is still in use here
            first.add_position(actor="alpha", question="crash", stance="open", date="2024", quote="by this one")
            add_by_another_program("by a third program")
    quotes = {q for (q,) in query(db, "SELECT quote FROM positions")}
    assert {"by another program", "by this one", "by a third program"} <= quotes, quotes
    tracker_check(db)


def test_a_new_file_used_by_several_programs_at_once(tmp_path):
    """Each of several `tracker add actor` started at the same moment on a file that
    does not exist yet succeeds (the pending migrations are decided under the write lock,
    not before: once, the second one failed with "table schema_migrations already exists")."""
    db = tmp_path / "new.db"
    script = "import sys; from tracker.cli import main; sys.stdin.readline(); main(sys.argv[1:])"
    children = [
        Child([sys.executable, "-c", script, "--db", str(db), "add", "actor", f"Actor {k}"], stdin=True)
        for k in range(6)
    ]
    try:
        time.sleep(1.0)  # all of them imported and waiting
        for child in children:
            child.send("go")
        codes = [child.finish(timeout=60) for child in children]
    finally:
        for child in children:
            child.__exit__(None, None, None)
    errors = [child.stderr.strip() for child in children if child.stderr.strip()]
    assert codes == [0] * len(children) and not errors, errors
    assert query(db, "SELECT count(*) FROM actors")[0][0] == len(children)
    tracker_check(db)


def test_check_while_another_program_holds_the_write_lock(tmp_path):
    """`tracker check` while another program (an import, say) keeps the file busy for
    longer than the busy timeout must not report a damaged search index (the FTS5 check
    is a write statement, so it waits for the lock too)."""
    db = new_db(tmp_path / "t.db", position=True)
    hold = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN IMMEDIATE');"
        " c.execute(\"INSERT INTO revisions(at, table_name, row_uid, action) VALUES ('2024', 'positions', 'x', 'insert')\");"
        " print('locked', flush=True); sys.stdin.readline(); c.execute('ROLLBACK')"
    )
    with Child([sys.executable, "-c", hold, str(db)], stdin=True) as holder:
        holder.index_of(lambda line: line == "locked", timeout=60)
        with Store.open(db) as store:
            store.conn.execute("PRAGMA busy_timeout = 100")  # instead of waiting out the real 10 s
            try:
                problems = store.check()
            except TrackerError as e:  # a clear "busy, try again" is fine too
                problems = [str(e)]
        assert holder.finish(timeout=30) == 0, holder.describe()
    assert not [p for p in problems if "out of step" in p or "damaged" in p], problems
