"""The screens about one record, pushed over a view: an actor, a question, a position, a diff.

``escape`` goes back to the view; the record is read by ``load`` (a worker), again after a
write when the screen subscribes (``tracker.tui.refresh.reload_on_change``).
"""

from __future__ import annotations

from textual.binding import Binding

from tracker.tui.base import TrackerScreen


class DetailScreen(TrackerScreen):
    BINDINGS = [Binding("escape", "app.back", "Back")]
