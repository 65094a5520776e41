"""Actors (2): every actor; enter opens its view."""

from __future__ import annotations

from tracker.domain.models import Actor
from tracker.tui.base import Context
from tracker.tui.row_sources import ActorsSource
from tracker.tui.screens.list_screen import ListScreen
from tracker.tui.widgets.lazy_list import LazyList


class ActorsScreen(ListScreen):
    TITLE = "Actors"
    HEADING = "Actors · enter to open"

    def make_list(self) -> LazyList:
        return LazyList(ActorsSource(), id="actors")

    def row_context(self, row: Actor) -> Context:
        return row.id, None

    def open_row(self, row: Actor) -> None:
        self.app.show_actor(row.id)
