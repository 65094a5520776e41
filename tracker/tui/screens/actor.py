"""An actor: who it is, and its positions on every question, with change markers."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import Header, Static

from tracker.domain.models import Actor
from tracker.domain.text import printable
from tracker.tui.row_sources import PositionsSource
from tracker.tui.widgets.position_list import PositionList
from tracker.tui.screens.detail_screen import DetailScreen
from tracker.tui.widgets.footer import Footer


class ActorScreen(DetailScreen):
    TITLE = "Actor"

    def __init__(self, actor_id: int):
        super().__init__()
        self.actor_id = actor_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("loading…", id="actor-summary")
        yield Static("Positions · enter open · d diff · space mark", classes="view-title")
        yield PositionList(PositionsSource(actor_id=self.actor_id, show_actor=False), id="positions")
        yield Footer(compact=True)

    def entry_context(self) -> tuple[int | None, int | None]:
        _, question_id = self.query_one(PositionList).context()
        return self.actor_id, question_id

    def export_context(self) -> tuple[int | None, int | None]:
        return self.actor_id, None

    def on_mount(self) -> None:
        self.query_one(PositionList).focus()
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        actor = self.app.pool.get().actor(self.actor_id)
        self.app.call_from_thread(self.show, actor)

    def show(self, actor: Actor) -> None:
        self.sub_title = printable(actor.name, one_line=True)
        text = Text.assemble((printable(actor.name, one_line=True), "bold"))
        text.append(f"  {actor.kind}", style="italic")
        if actor.country:
            text.append(f"  {actor.country}")
        if actor.parent_slug:
            text.append(f"  part of {printable(actor.parent_slug, one_line=True)}", style="dim")
        if actor.aliases:
            text.append("\nalso known as: " + printable(", ".join(actor.aliases), one_line=True), style="dim")
        self.query_one("#actor-summary", Static).update(text)
