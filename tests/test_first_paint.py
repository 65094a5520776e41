"""The work the interface does before its first paint: styles applied once, with the theme it
shows, and no full garbage collection walking every module imported (issue 19).

Both cost the first paint time and nothing on screen: the tests check the screen is the same
(the theme's colours) and count the work.
"""

from __future__ import annotations

import subprocess
import sys

from textual.app import App
from textual.color import Color

from tui_helpers import async_test, demo_db, running, settle  # noqa: F401 (demo_db is a fixture)

from tracker.tui.themes import DARK, LIGHT


@async_test
async def test_the_styles_are_worked_out_once_and_with_the_dark_theme(demo_db, monkeypatch):
    reparsed = []
    refresh_css = App.refresh_css

    def counted(self, animate: bool = True) -> None:
        reparsed.append(self.screen_stack[-1].__class__.__name__ if self.screen_stack else None)
        refresh_css(self, animate)

    monkeypatch.setattr(App, "refresh_css", counted)
    async with running(demo_db, size=(120, 40)) as pilot:
        app = pilot.app
        # Textual's own, when the first view is made; setting the theme made a second one.
        assert reparsed == ["QuestionsScreen"]
        assert app.theme == "tracker-dark"
        assert app.screen.styles.background == Color.parse(DARK.background)
        # The watcher left out at the start still runs when the theme changes.
        app.theme = "tracker-light"
        await settle(pilot)
        assert app.screen.styles.background == Color.parse(LIGHT.background)
        assert app.has_class("-theme-tracker-light", "-light-mode")


PROBE = """
import gc, sys
import tracker.cli.interface as interface
from tracker.tui.app import TrackerApp

def run(self):
    print(gc.get_freeze_count())

TrackerApp.run = run
interface.run_app(sys.argv[1])
"""


def test_the_interface_starts_with_what_is_imported_out_of_the_collectors_sight(demo_db):
    """`tracker` freezes the modules it imported before the app runs: the full collection the
    start would otherwise run (20 to 60 ms before the first paint) has none of them to walk."""
    done = subprocess.run([sys.executable, "-c", PROBE, str(demo_db)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert int(done.stdout.split()[-1]) > 20_000  # Textual's, Rich's, click's and ours: some 39,000 containers
