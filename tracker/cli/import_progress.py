"""The progress bar of ``tracker import``: one line a phase (reading and checking,
writing, indexes, search index) with its counts, drawn on standard error when it is
a terminal, never in a pipe. It is driven by the ``progress`` and ``phase`` callbacks
of ``importer.import_records``."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

# The phases as import_records names them, and as the bar shows them.
PHASES = {"read": "reading and checking", "write": "writing", "indexes": "indexes", "search index": "search index"}
# What each phase counts, after its number.
_UNITS = {"read": "lines", "write": "positions", "indexes": "indexes", "search index": "positions"}


class ImportProgress:
    """``progress`` and ``phase`` for ``import_records``, drawn by ``rich.progress``.
    Reading a regular file, the bar follows the bytes read (the number of lines is not
    known before the end); the other phases count what they do, or show that they run."""

    def __init__(self, console: Console, stream: IO[str] | None = None):
        self.bar = Progress(
            TextColumn("{task.description:<20}"),
            BarColumn(),
            TextColumn("{task.fields[count]}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._raw = None  # the binary file under the text stream, when its size is known
        self._size: int | None = None
        if stream is not None:
            raw = getattr(stream, "buffer", None)
            try:
                info = os.fstat(stream.fileno())
            except (AttributeError, OSError, ValueError):
                info = None
            if raw is not None and info is not None and stat.S_ISREG(info.st_mode) and raw.seekable():
                self._raw, self._size = raw, info.st_size
        self._task: TaskID | None = None
        self._name = ""

    def phase(self, name: str, total: int | None) -> None:
        self._finish()
        self._name = name
        count = self._count(name, 0, total)
        if name == "read":
            total = self._size  # bytes, when known
        elif name != "write":
            total = None  # the phase runs in SQLite, which says nothing until it is done
        self._task = self.bar.add_task(PHASES.get(name, name), total=total, count=count)

    def progress(self, stage: str, count: int) -> None:
        if self._task is None:
            return
        if stage == "read":
            completed = self._raw.tell() if self._raw is not None else 0
            self.bar.update(self._task, completed=completed, count=self._count(stage, count, None))
        else:
            self.bar.update(self._task, completed=count, count=self._count(self._name, count, self.bar.tasks[self._task].total))

    def _finish(self) -> None:
        """The phase that ran, shown done."""
        if self._task is not None:
            total = self.bar.tasks[self._task].total or 1
            self.bar.update(self._task, total=total, completed=total)

    @staticmethod
    def _count(name: str, count: int, total: float | None) -> str:
        """What a phase has done: "1,200 lines", "300 of 1,000 positions", "7 indexes"."""
        if name in ("indexes", "search index"):
            return f"{int(total or 0):,} {_UNITS[name]}"
        unit = _UNITS.get(name, "")
        return f"{count:,} of {int(total):,} {unit}" if total is not None else f"{count:,} {unit}"

    def __enter__(self) -> ImportProgress:
        self.bar.start()
        return self

    def __exit__(self, kind, *_) -> None:
        if kind is None:
            self._finish()
        self.bar.stop()


@contextmanager
def import_progress(stream: IO[str] | None, console: Console | None = None) -> Iterator[ImportProgress | None]:
    """An ``ImportProgress`` drawn on ``console`` (standard error by default) when that is a
    terminal, else None: no bar, nothing written, in a pipe or a file."""
    if console is None:
        if not sys.stderr.isatty():
            yield None
            return
        console = Console(stderr=True)
    if not console.is_terminal or console.is_dumb_terminal:
        yield None
        return
    with ImportProgress(console, stream) as shown:
        yield shown
