"""Position detail: every field, the source and the revision history."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.widgets import Static

from tracker import render
from tracker.domain.history import HistoryEntry, describe_all
from tracker.domain.models import Position
from tracker.domain.text import printable
from tracker.errors import NotFound
from tracker.tui.refresh import reload_on_change
from tracker.tui.screens.detail_screen import DetailScreen


class PositionScreen(DetailScreen):
    TITLE = "Position"
    BODY = "detail"
    BINDINGS = [
        Binding("d", "diff", "Diff with previous"),
        Binding("e", "edit", "Edit"),
        Binding("x", "delete", "Delete"),
    ]

    def __init__(self, position_id: int):
        super().__init__()
        self.position_id = position_id
        self.position: Position | None = None

    def on_mount(self) -> None:
        reload_on_change(self)
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        store = self.app.pool.get()
        try:
            position = store.position(self.position_id)
        except NotFound:
            if self.position is not None:  # deleted while on screen: say so, keep the history
                revisions = store.revisions("positions", self.position.uid)
                ours = bool(revisions) and store.run is not None and revisions[-1]["session"] == store.run.id
                self.app.call_from_thread(self.show_deleted, self._history(store, self.position.uid), undoable=ours)
            return
        self.app.call_from_thread(self.show, position, self._history(store, position.uid))

    @staticmethod
    def _history(store, uid: str) -> list[HistoryEntry]:
        """The position's revisions in words (labels read, quotes diffed), here in the worker."""
        revisions = store.revisions("positions", uid)
        return describe_all(revisions, store.revision_labels(revisions))

    def show(self, position: Position, history: list[HistoryEntry]) -> None:
        self.position = position
        self.sub_title = f"{printable(position.actor_name, one_line=True)} · {position.date.display}"
        self.query_one("#detail", Static).update(render.position_detail(position, history))

    def show_deleted(self, history: list[HistoryEntry], *, undoable: bool) -> None:
        """The position is gone: deleted here (``undoable``: u brings it back) or by another program."""
        assert self.position is not None
        said = "This position was deleted; press u to undo." if undoable else "This position was deleted by another program or command."
        deleted = Text(said + "\n", style="bold")
        self.query_one("#detail", Static).update(Group(deleted, render.position_detail(self.position, history)))

    def entry_context(self) -> tuple[int | None, int | None]:
        return (self.position.actor_id, self.position.question_id) if self.position else (None, None)

    export_context = entry_context

    def action_edit(self) -> None:
        self.app.edit_position(self.position_id)

    def action_delete(self) -> None:
        if self.position is not None:
            self.app.delete_position(self.position)

    def action_diff(self) -> None:
        self.app.show_diff(None, self.position_id)
