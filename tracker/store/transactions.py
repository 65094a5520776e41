"""One connection and its write transactions: the base of ``Store``.

Every write runs in a single ``BEGIN IMMEDIATE`` transaction, so a failure or a crash
leaves either the whole change or none of it. Another program's write is waited for
(:data:`WRITE_WAIT_S`) rather than failed; once the write lock is taken, one change may
run :data:`WRITE_LIMIT_S` seconds. The revisions a transaction logs are marked with what
made them (:data:`tracker.store.revisions.ORIGINS`) and the run of the interface, which
is what undo reverses. A full disk, a read-only or damaged file is said in words.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

from tracker.errors import StoreError
from tracker.store.database import describe_error, is_file_error, time_limit
from tracker.store.revisions import ORIGINS
from tracker.store.undo import Run

WRITE_WAIT_S = 600  # how long a write waits for another program's to finish (see Transactions._begin)
WRITE_LIMIT_S = 60  # how long one change may take once it has the write lock (see Transactions.transaction)


class Closing(AbstractContextManager):
    """Closed (its ``close``) at the end of a ``with`` block: a store, a spool."""

    def __exit__(self, *exc) -> None:
        self.close()


class Transactions(Closing):
    """One connection (``conn``, to the file at ``path``) and its write transactions."""

    def __init__(
        self, conn: sqlite3.Connection, path: Path | None = None, *, origin: str = "command line", run: Run | None = None
    ):
        if origin not in ORIGINS:
            raise ValueError(f"unknown origin {origin!r}: one of {', '.join(ORIGINS)}")
        self.conn = conn
        self.path = path
        self.origin = origin  # written on the revisions of this store's transactions
        self.run = run  # the run of the interface this store belongs to: undo reverses its changes only
        self.on_wait: Callable[[], None] | None = None  # see _begin

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self, *, origin: str | None = None, limit: float | None = WRITE_LIMIT_S) -> Iterator[sqlite3.Connection]:
        """One write transaction; nested uses join the outer one.

        Once the write lock is taken, the transaction may run ``limit`` seconds (None: no
        limit, for an import): a single change never needs more, so a statement still running
        then (a file that somehow loops) is interrupted, everything rolled back, and said.

        The revisions it logs (the program's own and the triggers') are marked with
        ``origin``, by default the store's, and with the store's run of the interface,
        just before it commits: a trigger cannot know what is writing, so the rows above
        the log's last id when the write lock was taken are this transaction's."""
        if self.conn.in_transaction:
            yield self.conn
            return
        origin = origin or self.origin
        if origin not in ORIGINS:
            raise ValueError(f"unknown origin {origin!r}: one of {', '.join(ORIGINS)}")
        self._begin()
        try:
            with time_limit(self.conn, limit, f"writing to {self.path}") if limit else nullcontext():
                (last,) = self.conn.execute("SELECT coalesce(max(id), 0) FROM revisions").fetchone()
                yield self.conn
                self.conn.execute(
                    "UPDATE revisions SET origin = ?, session = ? WHERE id > ?",
                    (origin, self.run.id if self.run else None, last),
                )
        except BaseException as e:
            self._rollback()
            if is_file_error(e):  # a full disk, a read-only file, a damaged page: said in words
                raise StoreError(self._describe(e)) from None
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as e:
            self._rollback()
            raise StoreError(self._describe(e)) from None

    def _begin(self) -> None:
        """Take the write lock. Another program's write (an import of a million positions
        takes a minute or two) is waited for, up to :data:`WRITE_WAIT_S`, rather than failed:
        each try waits the connection's busy timeout; ``on_wait`` is called once, when the
        first try gives up, so the user can be told why nothing seems to happen."""
        deadline = time.monotonic() + WRITE_WAIT_S
        waited = False
        while True:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.Error as e:
                if getattr(e, "sqlite_errorcode", None) != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                    raise StoreError(self._describe(e)) from None
            if not waited and self.on_wait is not None:
                self.on_wait()
            waited = True

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:  # SQLite has already rolled back, or the file is unusable
                pass

    def _describe(self, error: sqlite3.Error) -> str:
        return describe_error(error, self.path)
