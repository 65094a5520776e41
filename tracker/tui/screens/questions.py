"""Questions (1): every question; enter opens its view."""

from __future__ import annotations

from tracker.domain.models import Question
from tracker.tui.base import Context
from tracker.tui.row_sources import QuestionsSource
from tracker.tui.screens.list_screen import ListScreen
from tracker.tui.widgets.lazy_list import LazyList


class QuestionsScreen(ListScreen):
    TITLE = "Questions"
    HEADING = "Questions · enter to open"

    def make_list(self) -> LazyList:
        return LazyList(QuestionsSource(), id="questions")

    def row_context(self, row: Question) -> Context:
        return None, row.id

    def open_row(self, row: Question) -> None:
        self.app.show_question(row.id)
