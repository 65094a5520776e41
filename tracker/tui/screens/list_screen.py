"""The views that are one list (Questions, Actors, Timeline): a title line, the list, the footer.

A view says what its list shows (``make_list``), what a row is about (``row_context``: the
actor and question a new position or an export starts with) and what enter on a row opens
(``open_row``). A view may put lines of its own between the title and the list
(``compose_prompts``: the timeline's filter and go-to lines).
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Header, Static

from tracker.tui.base import Context, TrackerScreen
from tracker.tui.widgets.lazy_list import LazyList
from tracker.tui.widgets.footer import Footer


class ListScreen(TrackerScreen):
    HEADING = ""  # the title line above the list

    def make_list(self) -> LazyList:
        raise NotImplementedError

    def compose_prompts(self) -> ComposeResult:
        return iter(())

    def row_context(self, row: Any) -> Context:
        raise NotImplementedError

    def open_row(self, row: Any) -> None:
        """Enter on a row (a list that opens its rows itself stops the message first)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.HEADING, id="list-title", classes="view-title")
        yield from self.compose_prompts()
        yield self.make_list()
        yield Footer(compact=True)

    @property
    def list(self) -> LazyList:
        return self.query_one(LazyList)

    def entry_context(self) -> Context:
        row = self.list.current
        return self.row_context(row) if row is not None else (None, None)

    def export_context(self) -> Context:
        return self.entry_context()

    def on_lazy_list_selected(self, message: LazyList.Selected) -> None:
        self.open_row(message.row)
