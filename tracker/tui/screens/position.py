"""Position detail: every field, the source and the revision history."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tracker import render
from tracker.domain.models import Position
from tracker.domain.text import printable
from tracker.tui.themes import redraw_on_theme_change


class PositionScreen(Screen):
    TITLE = "Position"
    BINDINGS = [
        Binding("escape", "app.back", "Back"),
        Binding("d", "diff", "Diff with previous"),
    ]

    def __init__(self, position_id: int):
        super().__init__()
        self.position_id = position_id
        self.position: Position | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static("loading…", id="detail")
        yield Footer()

    def on_mount(self) -> None:
        redraw_on_theme_change(self)
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        store = self.app.pool.get()  # type: ignore[attr-defined]
        position = store.position(self.position_id)
        revisions = store.revisions("positions", position.uid)
        self.app.call_from_thread(self.show, position, revisions)

    def show(self, position: Position, revisions: list[dict]) -> None:
        self.position = position
        self.sub_title = f"{printable(position.actor_name, one_line=True)} · {position.date.display}"
        self.query_one("#detail", Static).update(render.position_detail(position, revisions))

    def action_diff(self) -> None:
        self.app.show_diff(None, self.position_id)  # type: ignore[attr-defined]
