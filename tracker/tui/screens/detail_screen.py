"""The screens about one record, pushed over a view: an actor, a question, a position, a diff.

``escape`` goes back to the view; the record is read by ``load`` (a worker), again after a
write when the screen subscribes (``tracker.tui.refresh.reload_on_change``). A screen that
is one scrolling text (a position, a diff) names it ``BODY``: it says "loading…" until then.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from tracker.tui.base import TrackerScreen
from tracker.tui.widgets.footer import Footer


class DetailScreen(TrackerScreen):
    BINDINGS = [Binding("escape", "app.back", "Back")]
    BODY = ""  # the id of the scrolling text of a screen that is one (screens of their own layout override compose)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static("loading…", id=self.BODY)
        yield Footer(compact=True)
