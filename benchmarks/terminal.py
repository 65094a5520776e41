"""A program in a pseudo-terminal of a given size, and what it draws: the first paint and the
sessions of the interface are timed from it."""

from __future__ import annotations

import os
import re
import select
import signal
import struct
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.processes import peak_of, with_peak

ESCAPES = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|P[^\x1b]*\x1b\\|[()][0-9A-Za-z]|[@-Z\\-_=>78])")


class Terminal:
    """A program in a pseudo-terminal of a given size; reads what it draws."""

    def __init__(self, argv: list[str], size: tuple[int, int]):
        import fcntl
        import termios

        master, slave = os.openpty()
        width, height = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
        env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL") and k not in ("NO_COLOR", "COLUMNS", "LINES")}
        env.update(TERM="xterm-256color", COLORTERM="truecolor")
        self.fd = master
        self.buffer = bytearray()
        self.eof = False
        handle, peak = tempfile.mkstemp(prefix="peak-")
        os.close(handle)
        self.peak = Path(peak)
        self.started = time.monotonic()  # until ``quit``, when the program itself started is known
        self.proc = subprocess.Popen(
            with_peak(argv, self.peak), stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True
        )
        os.close(slave)

    def _pump(self, timeout: float) -> None:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if ready:
            try:
                data = os.read(self.fd, 1 << 16)
            except OSError:  # EIO: the program closed the terminal
                data = b""
            if data:
                self.buffer += data
            else:
                self.eof = True

    def pump(self, seconds: float) -> None:
        """Read what the program draws for ``seconds``."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self.eof:
            self._pump(max(0.0, deadline - time.monotonic()))

    def text(self) -> bytes:
        return ESCAPES.sub(b"", bytes(self.buffer))

    def wait_for(self, markers: list[str], timeout: float) -> float:
        """The monotonic time at which every marker has been drawn since the last ``send``."""
        wanted = [m.encode() for m in markers]
        deadline = time.monotonic() + timeout
        while True:
            text = self.text()
            if all(m in text for m in wanted):
                return time.monotonic()
            if self.eof or self.proc.poll() is not None:
                raise RuntimeError(f"the program ended before drawing {markers}: …{text[-1500:].decode(errors='replace')}")
            if time.monotonic() > deadline:
                os.killpg(self.proc.pid, signal.SIGKILL)  # never left running behind a failed measure
                raise TimeoutError(f"{markers} not drawn within {timeout:.0f} s: …{text[-1500:].decode(errors='replace')}")
            self._pump(0.05)

    def send(self, keys: bytes) -> float:
        self.buffer.clear()
        now = time.monotonic()
        os.write(self.fd, keys)
        return now

    def quit(self, keys: bytes = b"q", timeout: float = 30.0) -> float:
        """Send ``keys`` and wait for the program to end; its peak RSS in MB. ``started`` is
        then the moment the program itself started (after benchmarks/peak.py's start-up)."""
        os.write(self.fd, keys)
        deadline = time.monotonic() + timeout
        while not self.eof and time.monotonic() < deadline:
            self._pump(0.05)
        for _ in range(int(timeout * 20)):
            pid, status, _ = os.wait4(self.proc.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.05)
        else:
            os.killpg(self.proc.pid, signal.SIGKILL)
            pid, status, _ = os.wait4(self.proc.pid, 0)
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        os.close(self.fd)
        if self.proc.returncode != 0:
            raise RuntimeError(f"exited with {self.proc.returncode}: …{self.text()[-1500:].decode(errors='replace')}")
        try:
            rss, self.started = peak_of(self.peak)
        finally:
            self.peak.unlink()
        return rss

