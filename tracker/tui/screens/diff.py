"""Diff: two positions side by side (levels, change class, elapsed time, quote word by word, sources)."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tracker import render
from tracker.compare import diff_positions
from tracker.domain.changes import Change
from tracker.domain.text import printable
from tracker.errors import TrackerError
from tracker.tui.refresh import reload_on_change


class DiffScreen(Screen):
    TITLE = "Diff"
    BINDINGS = [Binding("escape", "app.back", "Back")]

    def __init__(self, before_id: int | None, after_id: int):
        super().__init__()
        self.before_id, self.after_id = before_id, after_id

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static("loading…", id="diff")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        reload_on_change(self)
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        store = self.app.pool.get()  # type: ignore[attr-defined]
        try:
            change = diff_positions(store, self.after_id, self.before_id)
        except TrackerError as e:
            self.app.call_from_thread(self.show_message, str(e))
            return
        self.app.call_from_thread(self.show, change)

    def show(self, change: Change) -> None:
        before, after = change.before, change.after
        assert before is not None
        self.sub_title = (
            f"{printable(after.actor_name, one_line=True)} · {before.date.display} → {after.date.display}"
        )
        self.query_one("#diff", Static).update(render.diff_view(change))

    def show_message(self, message: str) -> None:
        self.query_one("#diff", Static).update(Text(printable(message)))
