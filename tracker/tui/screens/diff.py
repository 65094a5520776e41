"""Diff: two positions side by side (levels, change class, elapsed time, quote word by word, sources).

The app opens it with the change already worked out (``TrackerApp.show_diff``, in a worker), so
that a position with nothing to compare with gets a one-line notice instead of a screen; the
screen works it out again itself when the data changes.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.widgets import Static
from textual.worker import get_current_worker

from tracker import render
from tracker.compare import diff_positions
from tracker.domain.changes import Change
from tracker.domain.text import printable
from tracker.errors import TrackerError
from tracker.tui.refresh import reload_on_change
from tracker.tui.screens.detail_screen import DetailScreen


class DiffScreen(DetailScreen):
    TITLE = "Diff"
    BODY = "diff"

    def __init__(self, before_id: int | None, after_id: int, change: Change | None = None):
        super().__init__()
        self.before_id, self.after_id = before_id, after_id
        self.change = change  # worked out already by the caller, or None

    def on_mount(self) -> None:
        reload_on_change(self)
        if self.change is not None:
            self.show(self.change)
        else:
            self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        store = self.app.pool.get()
        try:
            change = diff_positions(store, self.after_id, self.before_id)
        except TrackerError as e:
            back, arg = self.show_message, str(e)  # a position deleted meanwhile, say
        else:
            back, arg = self.show, change
        if get_current_worker().is_cancelled:  # the screen was closed meanwhile
            return
        self.app.call_soon(back, arg)

    def show(self, change: Change) -> None:
        if not self.is_attached:
            return
        self.change = change
        before, after = change.before, change.after
        assert before is not None
        self.sub_title = (
            f"{printable(after.actor_name, one_line=True)} · {before.date.display} → {after.date.display}"
        )
        self.query_one("#diff", Static).update(render.diff_view(change))

    def show_message(self, message: str) -> None:
        if self.is_attached:
            self.query_one("#diff", Static).update(Text(printable(message)))
