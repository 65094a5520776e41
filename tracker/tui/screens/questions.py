"""Questions (1): every question; enter opens its view.

The answers of the question the cursor rests on (``READ_AHEAD_AFTER``) are read ahead, on a
worker: enter then finds them read (a question of ten thousand positions opens 30-60 ms
sooner). Keys held down, or pressed one after the other, read nothing ahead.
"""

from __future__ import annotations

from textual import on
from textual.timer import Timer

from tracker.domain.models import Question
from tracker.tui.base import Context
from tracker.tui.row_sources import QuestionsSource
from tracker.tui.screens.list_screen import ListScreen
from tracker.tui.widgets.lazy_list import LazyList


READ_AHEAD_AFTER = 0.15  # seconds the cursor rests on a question before its answers are read ahead


class QuestionsScreen(ListScreen):
    TITLE = "Questions"
    HEADING = "Questions · enter to open"

    def __init__(self) -> None:
        super().__init__()
        self._ahead: Timer | None = None

    def make_list(self) -> LazyList:
        return LazyList(QuestionsSource(), id="questions")

    def on_mount(self) -> None:
        self.watch(self.list, "cursor", self._rest, init=False)

    @on(LazyList.PageLoaded)
    def _rest(self) -> None:
        """The cursor moved, or its row arrived: read its answers ahead once it rests there."""
        if self._ahead is not None:
            self._ahead.stop()
        self._ahead = self.set_timer(READ_AHEAD_AFTER, self._read_ahead)

    def _read_ahead(self) -> None:
        row = self.list.current
        if row is not None:
            from tracker.tui.screens.question import read_ahead  # loaded after the first paint

            read_ahead(self.app, row.id)

    def row_context(self, row: Question) -> Context:
        return None, row.id

    def open_row(self, row: Question) -> None:
        self.app.show_question(row.id)
