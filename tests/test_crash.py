"""A crash of the interface: the terminal is given back, the process exits with a non-zero
status, and the traceback is in a crash log whose path is printed in one line.

The interface runs in a pseudo-terminal, through the real entry point, with a bug planted
in an action and in a worker (tests/drivers/crashing_tui.py)."""

from __future__ import annotations

import re
import sys
from datetime import datetime
from pathlib import Path

import click
import pytest

import tracker.cli.interface

from proc_helpers import DRIVERS, child_env
from pty_helpers import Terminal
from tui_helpers import async_test, load_demo, running
from tracker import crash

def run_crash(tmp_path: Path, key: str, **env_vars: str) -> tuple[int, str, Path]:
    """Open the interface on the demo data, press ``key``; the exit status, what the
    terminal showed after the interface (escape codes removed) and the state folder the
    logs go to."""
    db = load_demo(tmp_path / "demo.db")
    state = tmp_path / "state"
    env = child_env() | {"XDG_STATE_HOME": str(state), "TERM": "xterm-256color", "HOME": str(tmp_path / "home")} | env_vars
    term = Terminal([sys.executable, str(DRIVERS / "crashing_tui.py"), str(db)], env)
    try:
        term.wait_for("Western ground troops")  # the questions list is on screen
        term.send(key)
        status = term.finish()
    finally:
        if term.proc.poll() is None:
            term.proc.kill()
            term.proc.wait()
    return status, term.after_the_interface(), state / "tracker"


def the_log(folder: Path) -> Path:
    logs = list(folder.glob("crash-*.log"))
    assert len(logs) == 1, logs
    assert re.fullmatch(r"crash-\d{8}-\d{6}\.log", logs[0].name)
    return logs[0]


def printed_line(output: str) -> str:
    """The one line printed after the interface, and nothing else."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output[-3000:]
    return lines[0]


@pytest.mark.parametrize(
    ("key", "where", "message"),
    [("!", "action_crash", "planted in an action [b]not markup[/b]"), ("@", "_crash_worker", "planted in a worker")],
    ids=["action", "worker"],
)
def test_a_crash_exits_non_zero_and_writes_the_traceback_to_a_log_whose_path_is_printed(tmp_path, key, where, message):
    status, output, folder = run_crash(tmp_path, key)
    assert status == crash.CRASH_EXIT != 0
    log = the_log(folder)
    assert oct(log.stat().st_mode & 0o777) == oct(0o600)
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert f"PlantedBug: {message}" in text
    assert f"in {where}" in text  # the frame where the bug is, not just Textual's
    assert "Database: " in text and "demo.db" in text
    line = printed_line(output)
    assert line.startswith("tracker: the interface stopped on an unexpected error (PlantedBug: planted in ")
    assert line.endswith(f"the traceback is in {log}")
    # The traceback is in the file, not all over the terminal.
    assert "Traceback" not in output and "locals" not in output


def test_when_no_log_can_be_written_the_traceback_is_printed(monkeypatch, capsys):
    def refuse(error, **_):
        raise PermissionError(13, "Permission denied", "/state/tracker")

    monkeypatch.setattr(crash, "report", refuse)
    with pytest.raises(click.exceptions.Exit) as stop:
        tracker.cli.interface.report_crash(boom(), Path("t.db"))
    assert stop.value.exit_code == crash.CRASH_EXIT
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last)") and "1 / 0" in err
    assert err.endswith(
        "tracker: the interface stopped on an unexpected error (ZeroDivisionError: division by zero);"
        " no crash log could be written ([Errno 13] Permission denied: '/state/tracker'); the traceback is above\n"
    )


@async_test
async def test_under_a_test_pilot_textual_reports_the_error_as_usual(tmp_path, monkeypatch):
    """Only the command line writes crash logs: an app run by a test (or anything else)
    keeps Textual's behaviour, and the error reaches the test."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    with pytest.raises(ZeroDivisionError):
        async with running(load_demo(tmp_path / "demo.db")) as pilot:
            app = pilot.app
            app.call_later(lambda: 1 / 0)
            await pilot.pause()
    assert app.return_code == 1 and isinstance(app.crash_error, ZeroDivisionError)
    assert not (tmp_path / "state").exists()


# ---------------------------------------------------------------------- the log file itself


NOW = datetime(2024, 2, 26, 18, 30, 5)


def boom() -> ZeroDivisionError:
    try:
        1 / 0
    except ZeroDivisionError as e:
        return e
    raise AssertionError


def test_the_log_goes_to_xdg_state_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    path = crash.report(boom(), now=NOW)
    assert path == tmp_path / "state" / "tracker" / "crash-20240226-183005.log"
    assert "ZeroDivisionError: division by zero" in path.read_text(encoding="utf-8")
    assert oct((tmp_path / "state" / "tracker").stat().st_mode & 0o777) == oct(0o700)


def test_by_default_the_log_goes_to_local_state(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert crash.report(boom(), now=NOW).parent == tmp_path / ".local" / "state" / "tracker"


def test_a_relative_xdg_state_home_is_ignored(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_STATE_HOME", "relative")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert crash.report(boom(), now=NOW).parent == tmp_path / "home" / ".local" / "state" / "tracker"
    assert not (tmp_path / "relative").exists()


def test_a_log_never_overwrites_another_nor_follows_a_link(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    folder = tmp_path / "tracker"
    folder.mkdir()
    first = crash.report(boom(), now=NOW)
    target = tmp_path / "elsewhere.txt"
    target.write_text("precious")
    (folder / "crash-20240226-183005-2.log").symlink_to(target)  # planted under the next name
    third = crash.report(boom(), now=NOW)
    assert first.name == "crash-20240226-183005.log"
    assert third.name == "crash-20240226-183005-3.log"
    assert target.read_text() == "precious"
    assert "ZeroDivisionError" in first.read_text() and "ZeroDivisionError" in third.read_text()


def test_a_state_folder_that_cannot_be_made_falls_back_to_the_temporary_folder(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "file"))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # TMPDIR is read again
    path = crash.report(boom(), now=NOW)
    assert path.parent == tmp_path / "tmp" and path.name.startswith("tracker-crash-20240226-183005-")
    assert "ZeroDivisionError" in path.read_text()
