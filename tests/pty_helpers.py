"""A child process in a pseudo-terminal, as a person's terminal runs it: what it writes is
collected, keys are sent to it, and the terminal can be closed under it.

The terminal is not made the child's controlling terminal (a new session, as test harnesses
and benchmark drivers start programs): closing it sends no hang-up signal.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import termios
import time

LEAVE_ALT_SCREEN = "\x1b[?1049l"
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_][0-?]*|\x1b\][^\x07]*\x07")


class Terminal:
    """A child process in a pseudo-terminal of 100x30: everything it writes is collected."""

    def __init__(self, cmd: list[str], env: dict[str, str]):
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.master = master
        self.proc = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
        os.close(slave)
        self.output = bytearray()

    def read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if ready:
            try:
                self.output += os.read(self.master, 65536)
            except OSError:  # the child has closed the terminal
                time.sleep(timeout)

    def text(self) -> str:
        return ANSI.sub("", self.output.decode("utf-8", "replace"))

    def after_the_interface(self) -> str:
        """What was written once the interface had left the alternate screen (escape codes
        removed); fails if it never left it."""
        raw = self.output.decode("utf-8", "replace")
        assert LEAVE_ALT_SCREEN in raw, raw[-2000:]
        return ANSI.sub("", raw.rsplit(LEAVE_ALT_SCREEN, 1)[1])

    def wait_for(self, text: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.text():
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise AssertionError(f"{text!r} never appeared; exit {self.proc.poll()}; output:\n{self.text()[-3000:]}")
            self.read(0.1)

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def finish(self, timeout: float = 60.0) -> int:
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None:
            if time.monotonic() > deadline:
                self.proc.kill()
                raise AssertionError(f"still running after {timeout}s; output:\n{self.text()[-3000:]}")
            self.read(0.1)
        for _ in range(20):  # what is left in the terminal
            before = len(self.output)
            self.read(0.05)
            if len(self.output) == before:
                break
        os.close(self.master)
        return self.proc.returncode
