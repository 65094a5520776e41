"""Matrix (4): questions by actors as of a date, stepping through time.

Only the cells on screen are queried (one indexed look-up each), in a worker,
so a step of the date costs the same on ten positions or a million.
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, Static
from textual.worker import get_current_worker

from tracker.render import level_style
from tracker.tui.sources import cell
from tracker.tui.refresh import reload_on_change

COLUMN = 14  # cells an actor's column takes, padding included
TITLE_WIDTH = 32


class MatrixScreen(Screen):
    TITLE = "Matrix"
    BINDINGS = [
        Binding("left_square_bracket", "step(-1)", "−1 month"),
        Binding("right_square_bracket", "step(1)", "+1 month"),
        Binding("left_curly_bracket", "step(-12)", "−1 year"),
        Binding("right_curly_bracket", "step(12)", "+1 year"),
        Binding("t", "today", "Today"),
        Binding("up,k", "move(-1, 0)", "Up", show=False),
        Binding("down,j", "move(1, 0)", "Down", show=False),
        Binding("left,h", "move(0, -1)", "Left", show=False),
        Binding("right,l", "move(0, 1)", "Right", show=False),
        Binding("enter", "open", "Open"),
    ]

    as_of: reactive[date] = reactive(date.today, init=False)

    def __init__(self) -> None:
        super().__init__()
        self.row = 0  # cursor, among all questions
        self.column = 0  # cursor, among all actors
        self.question_offset = 0
        self.actor_offset = 0
        self.counts = (0, 0)
        self.cells: dict[tuple[int, int], object] = {}
        self.on_screen: tuple[list, list] = ([], [])

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="matrix-header", classes="view-title")
        yield Static("loading…", id="matrix")
        yield Footer(compact=True)

    def entry_context(self) -> tuple[int | None, int | None]:
        questions, actors = self.on_screen
        q, a = self.row - self.question_offset, self.column - self.actor_offset
        return (actors[a].id if 0 <= a < len(actors) else None, questions[q].id if 0 <= q < len(questions) else None)

    def export_context(self) -> tuple[int | None, int | None]:
        return None, self.entry_context()[1]

    def on_mount(self) -> None:
        reload_on_change(self)
        self.set_reactive(MatrixScreen.as_of, self.app.today)  # type: ignore[attr-defined]
        self.load()

    def on_resize(self) -> None:
        self.load()

    def watch_as_of(self) -> None:
        self.load()

    def action_step(self, months: int) -> None:
        self.as_of = self.as_of + relativedelta(months=months)

    def action_today(self) -> None:
        self.as_of = self.app.today  # type: ignore[attr-defined]

    def action_move(self, rows: int, columns: int) -> None:
        questions, actors = self.counts
        self.row = max(0, min(max(questions - 1, 0), self.row + rows))
        self.column = max(0, min(max(actors - 1, 0), self.column + columns))
        self.load()

    def action_open(self) -> None:
        questions, actors = self.on_screen
        index = self.row - self.question_offset
        if 0 <= index < len(questions):
            self.app.show_question(questions[index].id)  # type: ignore[attr-defined]

    def _window(self) -> tuple[int, int]:
        height = max(1, self.size.height - 5)
        width = max(1, (self.size.width - TITLE_WIDTH - 2) // COLUMN)
        return height, width

    @work(thread=True, exclusive=True, group="matrix")
    def load(self) -> None:
        store = self.app.pool.get()  # type: ignore[attr-defined]
        as_of = self.as_of
        height, width = self._window()
        self.counts = (store.count_questions(), store.count_actors())
        # Keep the cursor inside the window by moving the window.
        if self.row < self.question_offset:
            self.question_offset = self.row
        elif self.row >= self.question_offset + height:
            self.question_offset = self.row - height + 1
        if self.column < self.actor_offset:
            self.actor_offset = self.column
        elif self.column >= self.actor_offset + width:
            self.actor_offset = self.column - width + 1
        questions = store.questions(limit=height, offset=self.question_offset)
        actors = store.actors(limit=width, offset=self.actor_offset)
        cells = store.stances_as_of([q.id for q in questions], [a.id for a in actors], as_of)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show, questions, actors, cells, as_of)

    def show(self, questions, actors, cells, as_of: date) -> None:
        if as_of != self.as_of:
            return  # a step came in while this was loading; its own load follows
        self.on_screen = (questions, actors)
        total_q, total_a = self.counts
        self.query_one("#matrix-header", Static).update(
            Text(
                f"As of {self.as_of.day} {self.as_of:%b %Y} · [ ] month · {{ }} year · t today · "
                f"questions {self.question_offset + 1}–{self.question_offset + len(questions)} of {total_q} · "
                f"actors {self.actor_offset + 1}–{self.actor_offset + len(actors)} of {total_a}"
            )
        )
        if not questions or not actors:
            self.query_one("#matrix", Static).update(Text("Nothing to show yet: add actors, questions and positions.", style="dim"))
            return
        table = Table(box=None, padding=(0, 1), header_style="bold", show_edge=False)
        table.add_column("question", width=TITLE_WIDTH, no_wrap=True)
        for a in actors:
            table.add_column(Text(cell(a.name, COLUMN - 2)), width=COLUMN - 2, no_wrap=True)
        for i, q in enumerate(questions):
            on_row = self.question_offset + i == self.row
            row = [Text(cell(q.title, TITLE_WIDTH), style="bold reverse" if on_row else "")]
            for j, a in enumerate(actors):
                level = cells.get((q.id, a.id))
                on_cursor = on_row and self.actor_offset + j == self.column
                if level is None:
                    row.append(Text("·", style="reverse dim" if on_cursor else "dim"))
                else:
                    style = level_style(level, bold=False)
                    row.append(Text(cell(level.label, COLUMN - 2), style=style + Style(reverse=True) if on_cursor else style))
            table.add_row(*row)
        self.query_one("#matrix", Static).update(table)
