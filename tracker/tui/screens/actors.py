"""Actors (2): every actor; enter opens its view."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tracker.tui.sources import ActorsSource
from tracker.tui.widgets.lazy_list import LazyList


class ActorsScreen(Screen):
    TITLE = "Actors"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Actors · enter to open", classes="view-title")
        yield LazyList(ActorsSource(), id="actors")
        yield Footer(compact=True)

    def entry_context(self) -> tuple[int | None, int | None]:
        actor = self.query_one(LazyList).current
        return actor.id if actor else None, None

    export_context = entry_context

    def on_lazy_list_selected(self, message: LazyList.Selected) -> None:
        self.app.show_actor(message.row.id)  # type: ignore[attr-defined]
