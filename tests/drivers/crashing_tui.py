"""The interface as `tracker --db DB tui` runs it, with a bug planted for tests/test_crash.py.

    crashing_tui.py DB

Runs the real entry point (tracker.cli.main) with TrackerApp replaced by a subclass that
has two more keys: ``!`` runs an action that raises, ``@`` starts a thread worker that
raises. Everything else (the terminal, the exit status, the crash log) is the program's own.
"""

from __future__ import annotations

import sys
from pathlib import Path

from textual import work
from textual.binding import Binding

import tracker.tui.app
from tracker.cli import main


class PlantedBug(Exception):
    pass


class CrashingApp(tracker.tui.app.TrackerApp):
    CSS_PATH = str(Path(tracker.tui.app.__file__).with_name("app.tcss"))  # relative to the subclass's module otherwise
    BINDINGS = [
        *tracker.tui.app.TrackerApp.BINDINGS,
        Binding("exclamation_mark", "crash", "Crash"),
        Binding("at", "crash_in_worker", "Crash in a worker"),
    ]

    def action_crash(self) -> None:
        raise PlantedBug("planted in an action [b]not markup[/b]")

    def action_crash_in_worker(self) -> None:
        self._crash_worker()

    @work(thread=True)
    def _crash_worker(self) -> None:
        raise PlantedBug("planted in a worker")


tracker.tui.app.TrackerApp = CrashingApp  # type: ignore[misc]  # what run_app imports

if __name__ == "__main__":
    main(["--db", sys.argv[1], "tui"])
