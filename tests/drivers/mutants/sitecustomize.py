"""Deliberately broken variants of the store and the interface, to prove that the crash,
concurrency, live-backup and watching tests can fail. Never active in a normal run: only
when this folder is on PYTHONPATH (Python then imports this module at start-up, in the
test process and in every child) and TRACKER_MUTANT names variants (separated by commas):

    PYTHONPATH=tests/drivers/mutants TRACKER_MUTANT=late-commit \\
        .venv/bin/python -m pytest -q tests/test_crash_safety.py

Each with the tests it must break (tests/test_mutants.py runs a few of them):

    busy0           a writer that finds the file busy fails at once (no busy timeout, no
                    waiting for the other program's write): test_write_wait.py
    late-commit     a write's COMMIT waits for the next write or for closing the store
                    (acknowledged before it is durable): test_crash_safety.py
    import-batches  an import commits the records the positions refer to, then every batch
                    of positions (no longer all or nothing):
                    test_crash_safety.py::test_a_killed_import_leaves_all_of_it_or_none,
                    test_backup_live.py::test_backups_during_an_import_hold_all_of_it_or_none
    no-watch        the interface does not look for other programs' writes:
                    test_tui_editing.py::test_writes_by_another_program_show_up_by_themselves
    backup-copy     `backup` copies the main file byte for byte (without the WAL):
                    test_backup_live.py
    check-busy-is-damage  `check` reports a search index it could not check (busy) as damaged:
                    test_concurrency.py::test_check_while_another_program_holds_the_write_lock
    inspect-with-open     opening a Store reads the file's header with Python's open() (whose
                    close drops the POSIX locks of the process's other connections):
                    test_concurrency.py::test_opening_a_connection_keeps_the_locks_of_the_others_in_the_process
    migrate-unlocked      the pending migrations are decided before the write lock is taken:
                    test_concurrency.py::test_a_new_file_used_by_several_programs_at_once
"""

from __future__ import annotations

import os

MUTANTS = [m for m in os.environ.get("TRACKER_MUTANT", "").split(",") if m]


def _apply(MUTANT: str) -> None:
    if MUTANT == "busy0":
        import tracker.store.database as database
        import tracker.store.transactions as transactions

        database.BUSY_TIMEOUT_MS = 0
        transactions.WRITE_WAIT_S = 0

    elif MUTANT == "late-commit":
        from contextlib import contextmanager

        from tracker.store.transactions import Transactions

        def commit_pending(store) -> None:
            if getattr(store, "_pending_commit", False):
                store._pending_commit = False
                if store.conn.in_transaction:
                    store.conn.execute("COMMIT")

        @contextmanager
        def transaction(self, *, origin=None, limit=None):
            commit_pending(self)
            if self.conn.in_transaction:
                yield self.conn
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self._pending_commit = True  # the bug: no COMMIT here

        close = Transactions.close

        def late_close(self) -> None:
            commit_pending(self)
            close(self)

        Transactions.transaction = transaction
        Transactions.close = late_close

    elif MUTANT == "import-batches":
        # Each batch committed as it is written: the records the positions refer to, then
        # every batch of positions.
        from tracker.store.bulk import BulkWriter
        from tracker.store.upserts import RecordWriter

        def committing(flush):
            def flush_and_commit(self) -> None:
                flush(self)
                if self.conn.in_transaction:
                    self.conn.execute("COMMIT")
                    self.conn.execute("BEGIN IMMEDIATE")

            return flush_and_commit

        BulkWriter.flush = committing(BulkWriter.flush)
        RecordWriter.flush = committing(RecordWriter.flush)

    elif MUTANT == "no-watch":
        import tracker.tui.app as app

        app.WATCH_SECONDS = 1e9

    elif MUTANT == "backup-copy":
        import shutil
        from pathlib import Path

        from tracker.store.store import Store

        def backup(self, dest):
            shutil.copyfile(self.path, dest)
            return Path(dest)

        Store.backup = backup

    elif MUTANT == "check-busy-is-damage":
        # How `check` was before: any error of the FTS5 integrity check, "database is
        # locked" included, reported as a search index out of step.
        import sqlite3

        import tracker.store.integrity as integrity

        def _search_indexes(conn, advice, found) -> None:
            for index, table in integrity.EXTERNAL_INDEXES.items():
                try:
                    conn.execute(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")
                except sqlite3.DatabaseError:
                    found.append(integrity.Problem(f"the search index {index} is out of step with its table"))

        integrity._search_indexes = _search_indexes

    elif MUTANT == "inspect-with-open":
        # How opening a Store was before: the header read with Python's open(), whose
        # close drops the POSIX locks of every SQLite connection of the process.
        import tracker.store.database as database

        inspect = database._inspect

        def _inspect(path):
            with open(path, "rb") as f:
                f.read(100)
            return inspect(path)

        database._inspect = _inspect

    elif MUTANT == "migrate-unlocked":
        # How a new file was set up before: which migrations are pending is decided
        # before the write lock is taken.
        import tracker.store.database as database

        migrate = database._migrate

        def _migrate(conn, path, *args, **kwargs) -> None:
            before = database._version(conn, path)  # read before the lock: the bug
            version = database._version
            database._version = lambda conn, path: before
            try:
                migrate(conn, path, *args, **kwargs)
            finally:
                database._version = version

        database._migrate = _migrate

    elif MUTANT:
        raise SystemExit(f"unknown TRACKER_MUTANT {MUTANT!r}")


for _mutant in MUTANTS:
    _apply(_mutant)
