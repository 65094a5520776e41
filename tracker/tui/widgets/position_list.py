"""A lazy list of positions: enter opens one, d diffs it, space marks it for a diff (a ◆ on
its row until d uses it, or space or escape clears it), e edits it, x deletes it (after asking).

Opening, diffing, editing and deleting are asked for with messages (``OpenRequested``...),
which the screen answers (:class:`~tracker.tui.base.TrackerScreen`); the mark is the app's,
so that it holds across screens."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.actions import SkipAction
from textual.binding import Binding
from textual.message import Message

from tracker.domain.changes import Change
from tracker.domain.models import Position
from tracker.tui.widgets.lazy_list import LazyList


class PositionList(LazyList):
    BINDINGS = [
        Binding("d", "diff", "Diff", tooltip="with the actor's previous one, or the marked one"),
        Binding("space", "mark", "Mark", tooltip="space then d: diff with it"),
        Binding("e", "edit", "Edit"),
        Binding("x", "delete", "Delete", tooltip="asks: y / n"),
        Binding("escape", "clear_mark", "Clear mark", show=False),
    ]

    class OpenRequested(Message):
        """Enter on a position: its detail screen."""

        def __init__(self, position_id: int) -> None:
            super().__init__()
            self.position_id = position_id

    class DiffRequested(Message):
        """d: the diff of ``after_id`` with ``before_id`` (None: the actor's previous position)."""

        def __init__(self, before_id: int | None, after_id: int) -> None:
            super().__init__()
            self.before_id, self.after_id = before_id, after_id

    class EditRequested(Message):
        """e: the position's form."""

        def __init__(self, position_id: int) -> None:
            super().__init__()
            self.position_id = position_id

    class DeleteRequested(Message):
        """x: delete the position (after asking)."""

        def __init__(self, position: Position) -> None:
            super().__init__()
            self.position = position

    @property
    def marked_id(self) -> int | None:
        marked = self.app.marked
        return marked.id if marked is not None else None

    def row_state(self, row: Change) -> object:
        return row.after.id == self.marked_id

    def render_row(self, row: Change, width: int) -> Text:
        render: Any = self.source.render
        return render(row, width, marked=row.after.id == self.marked_id)

    def _set_mark(self, position: Position | None) -> None:
        self.app.marked = position
        self.refresh()

    def context(self) -> tuple[int | None, int | None]:
        """The highlighted position's actor and question, for a new entry."""
        change: Change | None = self.current
        return (change.after.actor_id, change.after.question_id) if change else (None, None)

    def action_edit(self) -> None:
        change: Change | None = self.current
        if change is not None:
            self.post_message(self.EditRequested(change.after.id))

    def action_delete(self) -> None:
        change: Change | None = self.current
        if change is not None:
            self.post_message(self.DeleteRequested(change.after))

    def action_diff(self) -> None:
        change: Change | None = self.current
        if change is None:
            return
        marked = self.app.marked
        if marked is not None and marked.id != change.after.id:
            self._set_mark(None)  # used
            self.post_message(self.DiffRequested(marked.id, change.after.id))
        else:
            self.post_message(self.DiffRequested(None, change.after.id))

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
        if message.control is self:
            message.stop()
            self.post_message(self.OpenRequested(message.row.after.id))
