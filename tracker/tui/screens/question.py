"""A question: each actor's current stance, the swimlane chart, the movers, and its positions."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static
from textual.worker import get_current_worker

from tracker import render
from tracker.domain.movers import as_of, movers_by_level
from tracker.domain.swimlane import lanes
from tracker.domain.text import printable
from tracker.tui.sources import PositionsSource
from tracker.tui.refresh import reload_on_change
from tracker.tui.widgets.position_list import PositionList

NAME_WIDTH = 22  # the actor names left of the chart
ROWS = 40  # actors per section: a summary, not a list (the positions below list everything)


def _more(hidden: int, what: str) -> list[Text]:
    return [Text(f"… and {hidden} more {what}; every position is listed below", style="dim")] if hidden > 0 else []


class QuestionScreen(Screen):
    TITLE = "Question"
    BINDINGS = [Binding("escape", "app.back", "Back")]

    def __init__(self, question_id: int):
        super().__init__()
        self.question_id = question_id

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="summary"):
            yield Static("loading…", id="overview")
        yield Static("Positions · enter open · d diff · space mark · tab scroll the summary", classes="view-title")
        yield PositionList(PositionsSource(question_id=self.question_id, show_question=False), id="positions")
        yield Footer(compact=True)

    def entry_context(self) -> tuple[int | None, int | None]:
        actor_id, _ = self.query_one(PositionList).context()
        return actor_id, self.question_id

    def export_context(self) -> tuple[int | None, int | None]:
        return None, self.question_id

    def on_mount(self) -> None:
        reload_on_change(self)
        self.query_one(PositionList).focus()
        self.load()

    def on_resize(self) -> None:
        self.load()  # the chart is as wide as the screen

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        store = self.app.pool.get()  # type: ignore[attr-defined]
        question = store.question(self.question_id)
        scale = store.scale(question.scale_key)
        positions = store.positions(question_id=self.question_id)
        today = self.app.today  # type: ignore[attr-defined]
        parts: list = [Text(printable(question.title, one_line=True), style="bold")]
        if question.description:
            parts.append(Text(printable(question.description), style="italic"))
        if not positions:
            parts.append(Text("No positions on this question yet.", style="dim"))
        else:
            current = sorted(as_of(positions, today).values(), key=lambda p: (-p.level.rank, p.actor_name.casefold()))
            start = min(p.date.start for p in positions)
            last = max(p.date.end for p in positions)
            end = last + (last - start) / 20  # a little room after the last move
            # The chart first: it is what shows the moves at a glance.
            parts += [Text(), Text("Over time", style="bold underline")]
            # As wide as the screen allows (less the names, padding and scrollbar), within reason.
            columns = max(20, min(160, self.size.width - NAME_WIDTH - 7))
            chart_lanes = lanes(positions, start, end, columns)
            parts.append(render.swimlane_chart(chart_lanes[:ROWS], scale, start, end, name_width=NAME_WIDTH))
            parts += _more(len(chart_lanes) - ROWS, "actors")
            parts += [Text(), Text("Where each actor stands today", style="bold underline")]
            parts += [render.stances_table(current[:ROWS]), *_more(len(current) - ROWS, "actors")]
            parts += [Text(), Text("Movers", style="bold underline")]
            for key, movers in movers_by_level(positions, scale).items():
                reached = [m for m in movers if m.reached is not None]
                shown = reached[:ROWS] if len(movers) > ROWS else movers
                parts.append(render.movers_table(scale.level(key), shown))
                parts += _more(len(reached) - len(shown), "actors reached it")
                if len(movers) > ROWS and len(movers) > len(reached):
                    parts.append(Text(f"{len(movers) - len(reached)} actors have not reached it yet", style="dim"))
        if not get_current_worker().is_cancelled:  # a newer load (a resize, a theme) follows
            self.app.call_from_thread(self.show, question.title, Group(*parts))

    def show(self, title: str, overview: Group) -> None:
        self.sub_title = printable(title, one_line=True)
        self.query_one("#overview", Static).update(overview)
