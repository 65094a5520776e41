"""The views that are one list (Questions, Actors, Timeline): a title line, the list, the footer.

A view says what its list shows (``make_list``), what a row is about (``row_context``: the
actor and question a new position or an export starts with) and what enter on a row opens
(``open_row``). A view may put lines of its own between the title and the list
(``compose_prompts``: the timeline's filter and go-to lines).

The keys line is built once the list's first rows are drawn (or it has none): building it
takes the main thread 20-30 ms, which came before the rows of the first screen (first
paint 264 -> 241 ms on 10,000 positions). If the rows are slow to come (a count that fails,
a file another program holds), it is built ``KEYS_AT_LATEST`` after the view anyway.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Header, Static

from tracker.tui.base import Context, TrackerScreen
from tracker.tui.widgets.lazy_list import LazyList
from tracker.tui.widgets.footer import Footer

KEYS_AT_LATEST = 0.5  # seconds after the view is mounted


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
        yield Footer(compact=True, held=True)

    def on_mount(self) -> None:
        self.set_timer(KEYS_AT_LATEST, self._show_keys)

    def on_lazy_list_page_loaded(self) -> None:
        self.call_after_refresh(self._show_keys)  # once the rows are drawn

    def on_lazy_list_counted(self, message: LazyList.Counted) -> None:
        if not message.count:
            self._show_keys()

    def _show_keys(self) -> None:
        self.query_one(Footer).release()  # nothing once released

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
