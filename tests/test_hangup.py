"""A terminal closed under the interface ends it.

Closing a pseudo-terminal that is not the program's controlling terminal sends no hang-up
signal: the interface then read end-of-file for ever and one such process, left behind by
a benchmark, spun at 89% of a core for 72 minutes under the test runs. Now it ends, with no
crash log and with the file untouched."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from proc_helpers import child_env
from pty_helpers import Terminal
from tui_helpers import load_demo


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_the_interface_ends_when_its_terminal_is_closed(tmp_path):
    db = load_demo(tmp_path / "demo.db")
    before = db.read_bytes()
    env = child_env() | {"TERM": "xterm-256color", "HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path / "state")}
    term = Terminal([sys.executable, "-m", "tracker", "--db", str(db)], env)
    try:
        term.wait_for("Western ground troops")
        os.close(term.master)  # the window goes, with no SIGHUP
        started = cpu_seconds(term.proc.pid)
        deadline = time.monotonic() + 10
        while term.proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        if term.proc.poll() is None:
            spent = cpu_seconds(term.proc.pid) - started
            raise AssertionError(f"still running 10 s after its terminal closed, {spent:.1f} s of CPU meanwhile")
    finally:
        if term.proc.poll() is None:
            term.proc.kill()
            term.proc.wait()
    assert term.proc.returncode == 0
    assert not (tmp_path / "state").exists()  # no crash log
    assert db.read_bytes() == before
