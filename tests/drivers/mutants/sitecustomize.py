"""Deliberately broken variants of the store, to prove that the crash, concurrency
and live-backup tests can fail. Never active in a normal run: only when this folder
is on PYTHONPATH (Python then imports this module at start-up, in the test process
and in every child) and TRACKER_MUTANT names variants (separated by commas):

    PYTHONPATH=tests/drivers/mutants TRACKER_MUTANT=late-commit \\
        .venv/bin/python -m pytest -n 2 -q tests/test_crash_safety.py

    busy0           busy_timeout 0: a writer that finds the file busy fails at once
    late-commit     a write's COMMIT waits for the next write or for closing the store
                    (acknowledged before it is durable)
    import-batches  an import commits every batch of positions (no longer all or nothing)
    no-watch        the interface does not look for other programs' writes
    backup-copy     `backup` copies the main file byte for byte (without the WAL)
    check-busy-is-damage  `check` reports a search index it could not check (busy) as damaged
    inspect-with-open     opening a Store reads the file's header with Python's open() (whose
                          close drops the POSIX locks of the process's other connections)
    migrate-unlocked      the pending migrations are decided before the write lock is taken

and one that is not a mutant but the fix proposed for a bug these tests found, to run
them as they will run once it is in (xfail-marked tests then XPASS):

    fix-inspect     opening a Store looks at the file through SQLite only (see below)
    fix-migrate     the pending migrations are read again under the write lock
"""

from __future__ import annotations

import os

MUTANTS = [m for m in os.environ.get("TRACKER_MUTANT", "").split(",") if m]


def _apply(MUTANT: str) -> None:
    if MUTANT == "busy0":
        import tracker.store.database as database

        database.BUSY_TIMEOUT_MS = 0

    elif MUTANT == "late-commit":
        from contextlib import contextmanager

        from tracker.store.store import Store

        def commit_pending(store) -> None:
            if getattr(store, "_pending_commit", False):
                store._pending_commit = False
                if store.conn.in_transaction:
                    store.conn.execute("COMMIT")

        @contextmanager
        def transaction(self):
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

        close = Store.close

        def late_close(self) -> None:
            commit_pending(self)
            close(self)

        Store.transaction = transaction
        Store.close = late_close

    elif MUTANT == "import-batches":
        from tracker.store.bulk import BulkWriter

        flush = BulkWriter.flush

        def flush_and_commit(self) -> None:
            flush(self)
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")
                self.conn.execute("BEGIN IMMEDIATE")

        BulkWriter.flush = flush_and_commit

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

        def _migrate(conn, path) -> None:
            before = database._version(conn, path)  # read before the lock: the bug
            version = database._version
            database._version = lambda conn, path: before
            try:
                migrate(conn, path)
            finally:
                database._version = version

        database._migrate = _migrate

    elif MUTANT == "fix-inspect":
        # Not a mutant: the fix proposed for the lost-locks bug, to run the tests against it.
        # Opening the file (Python's open(), or SQLite with immutable=1) and closing it drops
        # every POSIX lock this process holds on it, those of its open SQLite connections
        # included; so look at the file through SQLite only, which keeps such locks.
        import sqlite3
        from pathlib import Path

        import tracker.store.database as database
        from tracker.errors import StoreError

        def read_only_uri(path: Path) -> str:
            return Path(path).resolve().as_uri() + "?mode=ro"

        def _inspect(path: Path) -> int:
            if path.is_dir():
                raise StoreError(f"{path} is a directory, not a database file")
            if path.stat().st_size == 0:
                return 0
            try:
                conn = sqlite3.connect(read_only_uri(path), uri=True)
                try:
                    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                    if "schema_migrations" not in tables:
                        if tables:
                            raise StoreError(f"{path} is an SQLite database of another program; it was left untouched")
                        return 0
                    (version,) = conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
                finally:
                    conn.close()
            except sqlite3.DatabaseError as e:
                raise StoreError(f"{path} is not a Position Tracker database ({e}); it was left untouched") from None
            if version > database.LATEST_VERSION:
                raise StoreError(f"{path} was written by a newer version of Position Tracker")
            return version

        database.read_only_uri = read_only_uri
        database._inspect = _inspect

    elif MUTANT == "fix-migrate":
        # Not a mutant: the fix proposed for the first-use race. Which migrations are
        # pending is read again once the write lock is held.
        import sqlite3

        import tracker.store.database as database
        from tracker.errors import StoreError

        def _migrate(conn, current: int) -> None:
            from tracker.store.seed import seed_builtin_scales

            try:
                conn.execute("BEGIN IMMEDIATE")
                known = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'schema_migrations'").fetchone()
                current = conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0] if known else 0
                pending = [m for m in database.MIGRATIONS if m[0] > current]
                for version, name, sql in pending:
                    for statement in database._statements(sql):
                        conn.execute(statement)
                    conn.execute(
                        "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                        (version, name, database.now_iso()),
                    )
                    if version == 1:
                        seed_builtin_scales(conn)
                    conn.execute(f"PRAGMA user_version = {version}")
                conn.execute("COMMIT")
            except sqlite3.Error as e:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise StoreError(f"cannot upgrade the file: {e}; it was left as it was") from None

        database._migrate = _migrate

    elif MUTANT:
        raise SystemExit(f"unknown TRACKER_MUTANT {MUTANT!r}")


for _mutant in MUTANTS:
    _apply(_mutant)
