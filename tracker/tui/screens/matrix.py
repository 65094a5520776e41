"""Matrix (4): questions by actors as of a date, stepping through time.

Only the cells on screen are queried (one indexed look-up each), in a worker,
so a step of the date costs the same on ten positions or a million; the grid
then repaints the lines whose cells changed. Once a date is on screen, the
dates one step either side are loaded ahead, so stepping (a key held down
too) usually shows cells already in memory. The date in the header and the
cells below it always go together: the previous date's stay on screen until
the next date's arrive. The date stays within the calendar's years 1 to 9999; ``g`` goes
to a date typed in any form the date parser takes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.cache import LRUCache
from textual.reactive import var
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from tracker.domain.models import Actor, Level, Question
from tracker.domain.text import printable
from tracker.errors import OutOfShape
from tracker.tui.refresh import reload_on_change
from tracker.tui.widgets.matrix_grid import MatrixGrid
from tracker.tui.widgets.prompt_line import DatePrompt
from tracker.tui.base import TrackerScreen
from tracker.tui.widgets.footer import Footer

FIRST, LAST = date.min, date.max  # 1 Jan 1 and 31 Dec 9999: the calendar's ends


@dataclass(frozen=True)
class Frame:
    """Which questions and actors a window holds: from these offsets, as many as fit."""

    question_offset: int
    actor_offset: int
    height: int
    width: int


@dataclass(frozen=True)
class Window:
    """A frame's questions, actors and cells as of a date, as one load found them."""

    generation: int
    as_of: date
    frame: Frame
    counts: tuple[int, int]
    questions: list[Question]
    actors: list[Actor]
    cells: dict[tuple[int, int], Level]


def shift(day: date, months: int) -> date | None:
    """``day`` moved by ``months`` (the last day of a shorter month if need be), or None
    beyond the calendar's years 1 to 9999."""
    try:
        return day + relativedelta(months=months)
    except (ValueError, OverflowError):
        return None


def span(offset: int, shown: int, total: int) -> str:
    """Which of ``total`` are on screen: "6–46 of 61", or "0 of 0"."""
    return f"{offset + 1}–{offset + shown} of {total}" if shown else f"0 of {total}"


class MatrixScreen(TrackerScreen):
    TITLE = "Matrix"
    BINDINGS = [
        Binding("left_square_bracket", "step(-1)", "−1 month"),
        Binding("right_square_bracket", "step(1)", "+1 month"),
        Binding("left_curly_bracket", "step(-12)", "−1 year"),
        Binding("right_curly_bracket", "step(12)", "+1 year"),
        Binding("t", "today", "Today"),
        Binding("g", "go_to_date", "Go to date"),
        Binding("escape", "close_prompt", "Close", show=False),
        Binding("up,k", "move(-1, 0)", "Up", show=False),
        Binding("down,j", "move(1, 0)", "Down", show=False),
        Binding("left,h", "move(0, -1)", "Left", show=False),
        Binding("right,l", "move(0, 1)", "Right", show=False),
        Binding("enter", "open", "Open"),
    ]

    as_of: var[date] = var(date.today, init=False)  # no repaint of its own: the cells come with the date

    def __init__(self) -> None:
        super().__init__()
        self.row = 0  # cursor, among all questions
        self.column = 0  # cursor, among all actors
        self.question_offset = 0  # of the window on screen
        self.actor_offset = 0
        self.counts = (0, 0)
        self.on_screen: tuple[list[Question], list[Actor]] = ([], [])
        self.shown_as_of: date | None = None  # the date of the cells on screen
        self._frame: Frame | None = None  # the frame loaded last (on screen, or on its way)
        self._generation = 0  # a new frame, new data or a new theme: every window loaded before is forgotten
        self._windows: LRUCache[date, Window] = LRUCache(24)  # this generation's, by date
        self._pending: set[date] = set()  # this generation's dates being loaded
        self._stride = -1  # months of the last step: the next one is likely the same

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="matrix-header", classes="view-title")
        yield DatePrompt(id="matrix-goto")
        yield MatrixGrid(id="matrix")
        yield Footer(compact=True)

    @property
    def grid(self) -> MatrixGrid:
        return self.query_one(MatrixGrid)

    def entry_context(self) -> tuple[int | None, int | None]:
        questions, actors = self.on_screen
        q, a = self.row - self.question_offset, self.column - self.actor_offset
        return (actors[a].id if 0 <= a < len(actors) else None, questions[q].id if 0 <= q < len(questions) else None)

    def export_context(self) -> tuple[int | None, int | None]:
        return None, self.entry_context()[1]

    def on_mount(self) -> None:
        reload_on_change(self)
        self.set_reactive(MatrixScreen.as_of, self.app.today)
        self.load()

    @on(MatrixGrid.Resized)
    def _resized(self) -> None:
        self.load()

    def watch_as_of(self) -> None:
        self._fetch()

    def action_step(self, months: int) -> None:
        self._stride = months
        moved = shift(self.as_of, months)
        if moved is None:  # a year 0 or 10000 would crash: stop at the calendar's end, and say so
            edge = FIRST if months < 0 else LAST
            self.notify(
                f"The matrix goes no {'further back than 1 Jan 1' if months < 0 else 'further than 31 Dec 9999'}.",
                title="As of", markup=False,
            )  # fmt: skip
            moved = edge
        self.as_of = moved

    # ------------------------------------------------------------------ go to a date

    @property
    def goto_line(self) -> DatePrompt:
        return self.query_one("#matrix-goto", DatePrompt)

    def action_go_to_date(self) -> None:
        self.goto_line.open()

    def action_close_prompt(self) -> None:
        if not self.goto_line.display:
            raise SkipAction()
        self.goto_line.close()
        self.set_focus(None)

    @on(DatePrompt.Chosen)
    def _go_to(self, event: DatePrompt.Chosen) -> None:
        self.set_focus(None)
        self.as_of = event.when.start

    def action_today(self) -> None:
        self.as_of = self.app.today

    def action_move(self, rows: int, columns: int) -> None:
        questions, actors = self.counts
        self.row = max(0, min(max(questions - 1, 0), self.row + rows))
        self.column = max(0, min(max(actors - 1, 0), self.column + columns))
        frame = self._frame
        if (
            frame is not None
            and frame.question_offset <= self.row < frame.question_offset + frame.height
            and frame.actor_offset <= self.column < frame.actor_offset + frame.width
        ):
            self.grid.move_cursor(self._cursor())  # still in the window: nothing to load
        else:
            self.load()  # the window follows the cursor

    def action_open(self) -> None:
        question = self.entry_context()[1]
        if question is not None:
            self.app.show_question(question)

    def _cursor(self) -> tuple[int, int] | None:
        """The cursor's place in the window on screen, if it is there."""
        questions, actors = self.on_screen
        q, a = self.row - self.question_offset, self.column - self.actor_offset
        return (q, a) if 0 <= q < len(questions) and 0 <= a < len(actors) else None

    # ------------------------------------------------------------------ loading

    def load(self) -> None:
        """Load afresh the window that holds the cursor, moving it no more than needed
        (on mount, on a resize, when the cursor leaves it, when the data or the theme change)."""
        if not self.grid.size:
            return  # not laid out yet: its first Resized loads
        height, width = self.grid.window
        before = self._frame or Frame(0, 0, height, width)
        self._frame = Frame(
            max(min(before.question_offset, self.row), self.row - height + 1),
            max(min(before.actor_offset, self.column), self.column - width + 1),
            height,
            width,
        )
        self._generation += 1
        self._windows.clear()
        self._pending.clear()
        self._fetch()

    def _fetch(self) -> None:
        """Show ``as_of`` from the windows loaded ahead, or load it."""
        if self._frame is None:
            return  # the first load is on its way
        window = self._windows.get(self.as_of)
        if window is not None:
            self._show(window)
        else:
            self._load([self.as_of])

    def _load_ahead(self) -> None:
        """Load the dates one step either side of the one on screen, the way of the last step first."""
        if self.shown_as_of == self.as_of:
            ahead = [shift(self.as_of, months) for months in (self._stride, -self._stride)]
            self._load([day for day in ahead if day is not None])

    def _load(self, dates: list[date]) -> None:
        wanted = [d for d in dates if d not in self._windows and d not in self._pending]
        if wanted and self._frame is not None:
            self._pending.update(wanted)
            self._query(self._generation, self._frame, wanted)

    @work(thread=True, group="matrix")
    def _query(self, generation: int, frame: Frame, dates: list[date]) -> None:
        try:
            self._query_dates(generation, frame, dates)
        except OutOfShape as e:  # a value another program spoiled: said in the header, not "loading…" for ever
            self.app.call_from_thread(self._refused, generation, dates, str(e))

    def _refused(self, generation: int, dates: list[date], message: str) -> None:
        if generation != self._generation:
            return
        self._pending.difference_update(dates)
        self.query_one("#matrix-header", Static).update(Text(printable(message, one_line=True), style="bold"), layout=False)
        self.grid.say("nothing to show: the file holds a value the program cannot use (the line above says which)")

    def _query_dates(self, generation: int, frame: Frame, dates: list[date]) -> None:
        store = self.app.pool.get()
        questions = store.questions(limit=frame.height, offset=frame.question_offset)
        actors = store.actors(limit=frame.width, offset=frame.actor_offset)
        counts = (store.count_questions(), store.count_actors())
        question_ids, actor_ids = [q.id for q in questions], [a.id for a in actors]
        for as_of in dates:
            if generation != self._generation or get_current_worker().is_cancelled:
                return  # outdated, or the app is closing
            cells = store.stances_as_of(question_ids, actor_ids, as_of)
            self.app.call_from_thread(self._loaded, Window(generation, as_of, frame, counts, questions, actors, cells))

    def _loaded(self, window: Window) -> None:
        if window.generation != self._generation:
            return  # for a frame, data or theme since replaced; their own load follows
        self._pending.discard(window.as_of)
        self._windows[window.as_of] = window
        if window.as_of == self.as_of:
            self._show(window)
        else:  # loaded ahead: drawn ahead too, for the step that shows it
            self.grid.prepare(window.questions, window.actors, window.cells)

    def _show(self, window: Window) -> None:
        self.shown_as_of = window.as_of
        self.counts = window.counts
        self.question_offset, self.actor_offset = window.frame.question_offset, window.frame.actor_offset
        self.on_screen = (window.questions, window.actors)
        (total_q, total_a), (questions, actors) = window.counts, self.on_screen
        self.query_one("#matrix-header", Static).update(
            Text(
                f"As of {window.as_of.day} {window.as_of:%b %Y} · [ ] month · {{ }} year · t today · "
                f"questions {span(self.question_offset, len(questions), total_q)} · "
                f"actors {span(self.actor_offset, len(actors), total_a)}"
            ),
            layout=False,  # one line, whatever it says
        )
        self.grid.show(window.questions, window.actors, window.cells, self._cursor())
        self.call_after_refresh(self._load_ahead)  # once the step is painted
