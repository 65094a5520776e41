"""The positions' search index of a load into an empty table, built by a second process.

A bulk load (:mod:`tracker.store.bulk`) into an empty positions table hands the ids and
texts of its rows, as it writes them, to :class:`SearchIndexBuild`: a second Python
process (``python -m tracker.store.search_build``) that builds their FTS5 index in a
private temporary file, on the machine's second core, while the import writes its rows
and then rebuilds the table's other indexes. The import then copies the index into its
transaction.

A process rather than a thread: both would spend most of their time in SQLite, but each
row also needs Python's lock (to hand its values to SQLite), and two threads asking for
it row after row made the writing twice as slow (100,000 positions: 0.69 -> 1.57 s). The
batches go to a file (``marshal``: plain values, nothing run when read), and the pipe to
the process says only how long each is: the writer never waits for the index (through a
pipe of the batches themselves it did, 0.4 s of 1.1), and memory stays bounded.

Nothing is left behind by an import that is killed, whenever it is: the batches' file has
no name (the process reads it through a descriptor it inherits), and the process removes
the folder of its index itself as it ends, once the import has opened the index (which is
then read through its open file) or has gone (its pipe closed).
"""

from __future__ import annotations

import marshal
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import BinaryIO

from tracker.store.spool import MARSHAL_VERSION

# The memory of the index built aside (see the memory of an import in tracker.store.bulk):
# a page cache that spills to its file beyond its size, and room for new words (instead
# of FTS5's 1 MB, which writes thousands of small segments and merges them again).
SEARCH_BUILD_CACHE_KIB = 16 * 1024
SEARCH_BUILD_HASH_BYTES = 32 << 20
# Sets the memory of a search index for new words before it writes them.
SEARCH_MEMORY = "INSERT INTO positions_fts(positions_fts, rank) VALUES ('hashsize', ?)"
_INSERT = "INSERT INTO positions_fts(rowid, quote, paraphrase, context, notes) VALUES (?, ?, ?, ?, ?)"
_END = 0  # the length that says the batches have ended (a value is never empty)
_BUILT = b"built"  # what the process says once its index is whole


class SearchIndexBuild:
    """The positions' search index (FTS5) of an insert-only load: ``put`` hands over each
    batch of new rows (their ids, and their texts in the order of the index's columns) as
    it is written; ``finish`` says there are no more; ``adopt``, inside the import's
    transaction, waits for the index and copies it into the file (the same table, declared
    the same way, by the same SQLite, holds the same bytes), after dropping and creating
    again the file's copy of the table, so that its connection keeps nothing from before
    about the index; ``close`` ends the process (if still running) and removes its files.

    When the process cannot start or stops on an error, ``adopt`` changes nothing and
    returns False: the import builds the index itself (slower, the same index)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        (self.sql,) = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'positions_fts'"
        ).fetchone()
        self.count = 0  # rows handed over
        self._folder = tempfile.mkdtemp(prefix="tracker-search-")  # private: made for us, mode 700
        self.path = os.path.join(self._folder, "index.db")
        # No name. The process shares its descriptor, and so its position: each side writes
        # or reads at its own offsets (pwrite, pread), never moving it.
        self._batches = tempfile.TemporaryFile(prefix="tracker-")
        self._written = 0
        fd = self._batches.fileno()
        self._process: subprocess.Popen | None = None
        self._ended = False  # told the process that the batches have ended
        self._adopted = False  # the index opened: the process is ending on its own
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "tracker.store.search_build", self.path, str(fd)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0, pass_fds=(fd,),
            )  # fmt: skip
        except (OSError, ValueError):  # no interpreter to run (an embedded one), no descriptor to pass: adopt() says so
            return
        self._send(self.sql)

    def _send(self, value: object) -> None:
        """``value`` appended to the batches' file, then its length down the pipe."""
        if self._process is None or self._process.stdin.closed:
            return  # no process, or it stopped
        data = memoryview(marshal.dumps(value, MARSHAL_VERSION))
        while data:
            wrote = os.pwrite(self._batches.fileno(), data, self._written)
            data, self._written = data[wrote:], self._written + wrote
        self._say(len(data.obj))

    def _say(self, length: int) -> None:
        if self._process.stdin.closed:  # the process stopped: adopt() finds it out
            return
        try:  # unbuffered: 8 bytes, written whole (fewer than a pipe writes at once)
            self._process.stdin.write(length.to_bytes(8, "little"))
        except BrokenPipeError:  # the process stopped: adopt() finds it out
            self._process.stdin.close()

    def put(self, ids: tuple[int, int] | list[int], texts: list[tuple]) -> None:
        """A batch of new rows: ``ids`` as (first, last + 1) or a list, ``texts`` each row's
        (quote, paraphrase, context, notes)."""
        self._send((ids, texts))
        self.count += len(texts)

    def finish(self) -> None:
        """No more rows: the process ends its index (later calls do nothing)."""
        if self._process is not None and not self._ended:
            self._ended = True
            self._say(_END)

    def adopt(self) -> bool:
        """Copy the index built into the file; False (nothing changed) if it was not built."""
        if self._process is None:
            return False
        self.finish()
        if self._process.stdout.read(len(_BUILT)) != _BUILT:  # it stopped on an error: built here instead
            return False
        (count,) = self.conn.execute("SELECT count(*) FROM positions").fetchone()
        if count != self.count:
            raise RuntimeError(f"the search index was built for {self.count} rows, not {count}")
        built = sqlite3.connect(Path(self.path).as_uri() + "?mode=ro", uri=True)
        try:
            built.execute("SELECT count(*) FROM sqlite_master")  # opened: read through its open file from now on
            self._process.stdin.close()  # the process removes its folder and ends
            self._adopted = True
            config = self.conn.execute("SELECT * FROM positions_fts_config").fetchall()
            self.conn.execute("DROP TABLE positions_fts")
            self.conn.execute(self.sql)
            for part in ("data", "idx", "docsize"):  # not config: the file keeps its own settings
                table = f"positions_fts_{part}"
                self.conn.execute(f"DELETE FROM {table}")
                columns = len(built.execute(f"SELECT * FROM {table} LIMIT 0").description)
                self.conn.executemany(  # streamed from the built file, never all in memory
                    f"INSERT INTO {table} VALUES ({', '.join('?' * columns)})", built.execute(f"SELECT * FROM {table}")
                )
            self.conn.execute("DELETE FROM positions_fts_config")
            if config:
                self.conn.executemany(f"INSERT INTO positions_fts_config VALUES ({', '.join('?' * len(config[0]))})", config)
        finally:
            built.close()
        return True

    def close(self) -> None:
        """End the process (stopped if still running: a load that failed) and remove its files."""
        if self._process is not None:
            if not self._adopted and self._process.poll() is None:
                self._process.kill()
            self._process.wait()  # once adopted, it only removes its folder
            self._process.stdin.close()
            self._process.stdout.close()
        self._batches.close()
        shutil.rmtree(self._folder, ignore_errors=True)


def build(path: str, batches: int, lengths: BinaryIO) -> int:
    """The second process's work: the index declared by the first value of the file
    ``batches`` (a descriptor), filled with the batches that follow, into a new file at
    ``path``; the number of rows indexed. ``lengths`` says how long each value is, once it
    is whole in ``batches``, then that they have ended; ended without saying so (the
    importing process was killed), ``EOFError`` is raised."""

    def values():
        offset = 0
        while size := lengths.read(8):
            length = int.from_bytes(size, "little")
            if length == _END:
                return
            data = b""
            while len(data) < length:  # whole in the file: read at once, unless the system splits it
                piece = os.pread(batches, length - len(data), offset + len(data))
                if not piece:
                    raise EOFError("a batch is shorter than said")
                data += piece
            offset += length
            yield marshal.loads(data)
        raise EOFError("the importing process stopped before its last batch")

    built = sqlite3.connect(path, isolation_level=None)
    try:
        built.execute(f"PRAGMA cache_size = -{SEARCH_BUILD_CACHE_KIB}")
        built.execute("PRAGMA journal_mode = OFF")
        built.execute("PRAGMA synchronous = OFF")
        received = values()
        built.execute(next(received))
        built.execute(SEARCH_MEMORY, (SEARCH_BUILD_HASH_BYTES,))
        built.execute("BEGIN")
        count = 0
        for ids, texts in received:
            if type(ids) is tuple:  # (first, last + 1)
                ids = range(*ids)
            built.executemany(_INSERT, ((n, *t) for n, t in zip(ids, texts)))
            count += len(texts)
        built.execute("COMMIT")
        return count
    finally:
        built.close()


def main(path: str, batches: int) -> None:
    """Build the index (see :func:`build`), say so, and wait until the importing process has
    opened it or has gone; remove its folder whatever happens (an error exits with status 1:
    the importing process then builds the index itself)."""
    try:
        build(path, batches, sys.stdin.buffer)
        sys.stdout.buffer.write(_BUILT)
        sys.stdout.buffer.flush()
        sys.stdin.buffer.read()  # until the pipe closes: the index opened, or the import gone
    finally:
        shutil.rmtree(os.path.dirname(path), ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
