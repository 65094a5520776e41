"""Questions (1): every question; enter opens its view."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tracker.tui.sources import QuestionsSource
from tracker.tui.widgets.lazy_list import LazyList


class QuestionsScreen(Screen):
    TITLE = "Questions"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Questions · enter to open", classes="view-title")
        yield LazyList(QuestionsSource(), id="questions")
        yield Footer(compact=True)

    def entry_context(self) -> tuple[int | None, int | None]:
        question = self.query_one(LazyList).current
        return None, question.id if question else None

    export_context = entry_context

    def on_lazy_list_selected(self, message: LazyList.Selected) -> None:
        self.app.show_question(message.row.id)  # type: ignore[attr-defined]
