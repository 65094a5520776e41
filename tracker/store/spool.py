"""Rows kept on disk between two passes: an import's positions, never all in memory.

An import reads its file once to check it and spools the positions it will write; the
bulk load (:mod:`tracker.store.bulk`) spools the rows it must apply again after its
indexes are rebuilt. Peak memory stays bounded whatever the number of rows.
"""

from __future__ import annotations

import marshal
import tempfile
from collections.abc import Iterator

from tracker.store.transactions import Closing

BATCH = 5_000  # rows a batch: a bulk load writes a batch a statement

# Without references to objects written before (version 3 on): faster to write, as fast to read.
MARSHAL_VERSION = 2


class Spool(Closing):
    """Tuples of plain values (str, int, float, None) kept in a temporary file, in batches,
    and read back in order: many rows between two passes without holding them in memory.
    The file has no name (removed by the system even if the process is killed)."""

    def __init__(self, batch: int = BATCH):
        self._file = tempfile.TemporaryFile(prefix="tracker-")
        self._size = batch
        self._batch: list[tuple] = []
        self.count = 0

    def append(self, row: tuple) -> None:
        self._batch.append(row)
        self.count += 1
        if len(self._batch) >= self._size:
            self._write()

    def extend(self, rows: list[tuple]) -> None:
        """Append ``rows`` (a batch already gathered: written as it is)."""
        if self._batch:
            self._write()
        if rows:
            self._batch = rows
            self.count += len(rows)
            self._write()

    def _write(self) -> None:
        data = marshal.dumps(self._batch, MARSHAL_VERSION)
        self._file.write(len(data).to_bytes(8, "little"))
        self._file.write(data)
        self._batch = []

    def batches(self) -> Iterator[list[tuple]]:
        """The rows, a batch at a time, from the first; more may not be appended after."""
        if self._batch:
            self._write()
        self._file.flush()
        self._file.seek(0)
        read, loads = self._file.read, marshal.loads  # marshal.load(file) reads a value at a time: slow
        while size := read(8):
            yield loads(read(int.from_bytes(size, "little")))

    def close(self) -> None:
        self._file.close()
