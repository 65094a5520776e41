"""A terminal closed under the interface ends it; without one, it does not start.

Closing a pseudo-terminal that is not the program's controlling terminal sends no hang-up
signal: the interface then read end-of-file for ever and one such process, left behind by
a benchmark, spun at 89% of a core for 72 minutes under the test runs. Now it ends, with no
crash log and with the file untouched. Started with no terminal at all (from a script, with
standard input from /dev/null and its output piped) it drew into the pipe and spun the same
way: now it says why it cannot run, in one line, and writes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

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


@pytest.mark.parametrize("command", [[], ["tui"], ["demo"], ["capture"]])
@pytest.mark.parametrize("missing", ["standard input", "standard error"])
def test_without_a_terminal_the_interface_says_so_and_does_not_start(tmp_path, command, missing):
    db = tmp_path / "new.db"
    env = child_env() | {"HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path / "state")}
    master, slave = os.openpty()  # a terminal for standard input when standard error is the one missing
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tracker", "--db", str(db), *command],
            stdin=subprocess.DEVNULL if missing == "standard input" else slave,
            capture_output=True, text=True, env=env, timeout=30,
        )  # fmt: skip
    finally:
        os.close(slave)
        os.close(master)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith(f"tracker: the interface needs a terminal, and {missing} is not one")
    assert done.stderr.count("\n") == 1 and "\x1b" not in done.stderr  # one line, no escape codes
    assert not db.exists() and not (tmp_path / "state").exists()


def test_a_hang_up_signal_keeps_what_was_just_typed(tmp_path):
    """The terminal window closed with a form open, less than a second after the last key
    (before the draft kept a moment after each change is written): SIGHUP, whose default
    ends the process at once, ends the interface as q does, and the draft is kept."""
    import signal

    from tracker.tui.drafts import read_draft

    db = load_demo(tmp_path / "demo.db")
    state = tmp_path / "state"
    env = child_env() | {"TERM": "xterm-256color", "HOME": str(tmp_path), "XDG_STATE_HOME": str(state)}
    term = Terminal([sys.executable, "-m", "tracker", "--db", str(db)], env)
    try:
        term.wait_for("Western ground troops")
        time.sleep(0.5)  # the drafts are looked for after the first paint
        term.send("n")
        term.wait_for("New position")
        term.send("Mark Rutte")
        term.wait_for("Mark Rutte")
        term.proc.send_signal(signal.SIGHUP)
        term.proc.wait(timeout=30)
    finally:
        if term.proc.poll() is None:
            term.proc.kill()
            term.proc.wait()
    drafts = sorted((state / "tracker" / "drafts").glob("*.json"))
    assert len(drafts) == 1
    assert read_draft(drafts[0]).forms[0].fields["actor"] == "Mark Rutte"
