"""A lazy list of positions: enter opens one, d diffs it, space marks it for a diff (a ◆ on
its row until d uses it, or space or escape clears it), e edits it, x deletes it (after asking)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.actions import SkipAction
from textual.binding import Binding

from tracker.domain.changes import Change
from tracker.tui.widgets.lazy_list import LazyList


class PositionList(LazyList):
    BINDINGS = [
        Binding("d", "diff", "Diff"),
        Binding("space", "mark", "Mark"),
        Binding("e", "edit", "Edit"),
        Binding("x", "delete", "Delete"),
        Binding("escape", "clear_mark", "Clear mark", show=False),
    ]

    @property
    def marked_id(self) -> int | None:
        marked = getattr(self.app, "marked", None)
        return marked.id if marked is not None else None

    def row_state(self, row: Change) -> object:
        return row.after.id == self.marked_id

    def render_row(self, row: Change, width: int) -> Text:
        render: Any = self.source.render
        return render(row, width, marked=row.after.id == self.marked_id)

    def _set_mark(self, position) -> None:
        self.app.marked = position  # type: ignore[attr-defined]
        self.refresh()

    def context(self) -> tuple[int | None, int | None]:
        """The highlighted position's actor and question, for a new entry."""
        change: Change | None = self.current
        return (change.after.actor_id, change.after.question_id) if change else (None, None)

    def action_edit(self) -> None:
        change: Change | None = self.current
        if change is not None:
            self.app.edit_position(change.after.id)  # type: ignore[attr-defined]

    def action_delete(self) -> None:
        change: Change | None = self.current
        if change is not None:
            self.app.delete_position(change.after)  # type: ignore[attr-defined]

    def action_diff(self) -> None:
        change: Change | None = self.current
        if change is None:
            return
        marked = getattr(self.app, "marked", None)
        if marked is not None and marked.id != change.after.id:
            self._set_mark(None)  # used
            self.app.show_diff(marked.id, change.after.id)  # type: ignore[attr-defined]
        else:
            self.app.show_diff(None, change.after.id)  # type: ignore[attr-defined]

    def action_mark(self) -> None:
        change: Change | None = self.current
        if change is None:
            return
        if change.after.id == self.marked_id:
            self._set_mark(None)
            self.app.notify("Mark cleared.", title="Marked", markup=False)
            return
        self._set_mark(change.after)
        self.app.notify(
            f"Marked {change.after.date.display} (◆); select another position and press d to compare"
            " (space or escape clears the mark).",
            title="Marked",
            markup=False,
        )

    def action_clear_mark(self) -> None:
        if self.marked_id is None:
            raise SkipAction()  # escape goes on: back, out of a view
        self._set_mark(None)
        self.app.notify("Mark cleared.", title="Marked", markup=False)

    def on_lazy_list_selected(self, message: LazyList.Selected) -> None:
        if message.lazy_list is self:
            message.stop()
            self.app.show_position(message.row.after.id)  # type: ignore[attr-defined]
