"""A lazy list of positions: enter opens one, d diffs it, space marks it for a diff,
e edits it, x deletes it (after asking)."""

from __future__ import annotations

from textual.binding import Binding

from tracker.domain.changes import Change
from tracker.tui.widgets.lazy_list import LazyList


class PositionList(LazyList):
    BINDINGS = [
        Binding("d", "diff", "Diff"),
        Binding("space", "mark", "Mark"),
        Binding("e", "edit", "Edit"),
        Binding("x", "delete", "Delete"),
    ]

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
            self.app.marked = None  # type: ignore[attr-defined]
            self.app.show_diff(marked.id, change.after.id)  # type: ignore[attr-defined]
        else:
            self.app.show_diff(None, change.after.id)  # type: ignore[attr-defined]

    def action_mark(self) -> None:
        change: Change | None = self.current
        if change is None:
            return
        self.app.marked = change.after  # type: ignore[attr-defined]
        self.app.notify(
            f"Marked {change.after.date.display}; select another position and press d to compare.",
            title="Marked",
            markup=False,
        )

    def on_lazy_list_selected(self, message: LazyList.Selected) -> None:
        if message.lazy_list is self:
            message.stop()
            self.app.show_position(message.row.after.id)  # type: ignore[attr-defined]
