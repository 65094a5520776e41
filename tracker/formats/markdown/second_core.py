"""Half of a long report written on the machine's second core.

A markdown report of every question is a loop of independent sections, in pure
Python, which one interpreter runs on one core at a time. ``aside`` forks the
process: the child reads and writes the second half into a temporary file while the
parent reads and writes the first half; the parent then copies the child's text after
its own. The child never touches a connection of the parent's (one must never be used
on both sides of a fork): what ``write`` reads, it reads on a connection it opens
itself. It leaves through ``os._exit``, so it runs no clean-up of the parent's (no
connection closed, no buffer flushed twice).

If anything goes wrong in the child, or forking is not possible, the parent is
told (``Aside.take`` returns None) and writes the second half itself: the report
is the same either way, only slower.
"""

from __future__ import annotations

import codecs
import io
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO


class Aside:
    def __init__(self, pid: int, text: IO[str], count_fd: int):
        self.pid, self.text, self.count_fd = pid, text, count_fd

    def take(self, out: IO[str]) -> int | None:
        """Wait for the child; copy its text to ``out`` and return what its ``write``
        returned, or None (nothing copied) if it failed."""
        with os.fdopen(self.count_fd, "r", encoding="ascii") as counted:
            said = counted.read()
        self.count_fd = -1
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 and said.strip().isdigit()):
            return None
        copy_text(self.text, out)
        return int(said)


def copy_text(text: IO[str], out: IO[str]) -> None:
    """Copy the UTF-8 temporary file ``text`` to ``out``: as bytes when ``out`` writes UTF-8
    text to a binary buffer (a file, the standard output), without decoding and encoding
    again, by the kernel where it can (``os.sendfile``: 12 ms less for the 40 MB half of a
    report of 100,000 statements); else as text."""
    out_bytes = getattr(out, "buffer", None)
    if isinstance(out, io.TextIOWrapper) and out_bytes is not None and codecs.lookup(out.encoding).name == "utf-8":
        out.flush()
        text.buffer.flush()
        if _sendfile(text.buffer, out_bytes):
            return
        text.buffer.seek(0)
        shutil.copyfileobj(text.buffer, out_bytes, 1 << 20)
    else:
        text.seek(0)
        shutil.copyfileobj(text, out, 1 << 20)


def _sendfile(source: IO[bytes], out: IO[bytes]) -> bool:
    """Copy all of ``source`` to ``out`` by the kernel (no read into this process, no write
    from it), when both are files of the system that allow it; False, nothing copied, if not."""
    offset = 0
    try:
        in_fd, out_fd = source.fileno(), out.fileno()
        out.flush()
        size = os.fstat(in_fd).st_size
        while offset < size:
            sent = os.sendfile(out_fd, in_fd, offset, size - offset)
            if sent == 0:
                raise OSError(f"the second half ended after {offset} of {size} bytes")
            offset += sent
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        if offset:  # part of it is out: copying it again would write that part twice
            raise
        return False
    return True


@contextmanager
def aside(write: Callable[[IO[str]], int]) -> Iterator[Aside | None]:
    """Run ``write(file)`` in a forked child; yields an ``Aside`` to ``take`` once the
    parent's own half is written (None where ``os.fork`` is missing). A parent that
    stops early (an exception) does not leave the child behind."""
    if not hasattr(os, "fork"):
        yield None
        return
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as text:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: write, say how many, leave without any clean-up
            code = 1
            try:
                os.close(read_end)
                count = write(text)
                text.flush()
                os.write(write_end, str(count).encode("ascii"))
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        handle = Aside(pid, text, read_end)
        try:
            yield handle
        finally:
            if handle.pid:  # not taken: the parent failed; end the child
                try:
                    os.kill(handle.pid, 9)
                    os.waitpid(handle.pid, 0)
                except OSError:
                    pass
            if handle.count_fd >= 0:
                os.close(handle.count_fd)
