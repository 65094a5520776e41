"""Timeline (3): every position in date order, with change markers."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tracker.tui.sources import PositionsSource
from tracker.tui.widgets.position_list import PositionList


class TimelineScreen(Screen):
    TITLE = "Timeline"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Timeline · enter open · d diff with previous · space mark", classes="view-title")
        yield PositionList(PositionsSource(), id="timeline")
        yield Footer(compact=True)

    def entry_context(self) -> tuple[int | None, int | None]:
        return self.query_one(PositionList).context()

    def export_context(self) -> tuple[int | None, int | None]:
        return None, None  # the whole timeline
