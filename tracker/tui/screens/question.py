"""A question: where each actor stands and who moved first (side by side when they fit),
then its description and the swimlane chart, then its positions."""

from __future__ import annotations

from concurrent.futures import Future
from datetime import date
from functools import partial
from typing import NamedTuple

from rich.console import ConsoleOptions, Group, RenderableType
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.worker import Worker, WorkerState, get_current_worker

from tracker import render
from tracker.domain.models import Level, Question, Scale, Statement
from tracker.domain.movers import QuestionMovers, as_of, level_to_show, question_movers
from tracker.domain.swimlane import axis, lanes
from tracker.domain.text import printable
from tracker.gc_pause import no_cycle_collection
from tracker.store import Store, reads
from tracker.tui.pool import StorePool
from tracker.tui.row_sources import PositionsSource
from tracker.tui.refresh import reload_on_change
from tracker.tui.screens.detail_screen import DetailScreen
from tracker.tui.widgets.footer import Footer
from tracker.tui.widgets.position_list import PositionList

NAME_WIDTH = 22  # the actor names left of the chart
ROWS = 40  # actors per section: a summary, not a list (the positions below list everything)
GAP = 4  # cells between the stances and the movers, side by side
MOVERS_MIN = 44  # the movers' "not yet" line wraps; below this it reads badly
SHORT = 32  # screens lower than this (80x24) drop the title (it is in the header) to fit the stances and the movers


def _more(hidden: int, what: str) -> list[Text]:
    return [Text(f"… and {hidden} more {what}; every position is listed below", style="dim")] if hidden > 0 else []


class Answers(NamedTuple):
    """What the first screen of a question shows, before it is drawn for a width."""

    question: Question
    scale: Scale
    positions: list[Statement]  # who said what when (without their texts), in timeline order
    current: list[Statement]  # each actor's latest as of today, highest stance first, then by name
    level: Level | None  # the level the movers are shown for (None without positions)
    movers: QuestionMovers | None  # None on a scale of one level: nothing to move to


def read_answers(store: Store, question_id: int, today: date) -> Answers:
    """The question's stances and movers. Both need only who said what when: the question's
    positions are read without their texts (the positions list below reads its own pages)."""
    question = store.question(question_id)
    scale = store.scale(question.scale_key)
    # Ten thousand statements and their movers, none in a reference cycle: a collection in
    # the middle walked them for nothing (27 ms a question of ten thousand positions without
    # one, 50 with one, one read in four).
    with no_cycle_collection():
        return _answers(question, scale, reads.question_brief(store.conn, question_id), today)


def _answers(question: Question, scale: Scale, positions: list[Statement], today: date) -> Answers:
    if not positions:
        return Answers(question, scale, [], [], None, None)
    current = sorted(as_of(positions, today, in_order=True).values(), key=lambda p: (-p.level.rank, p.actor_name.casefold()))
    lowest, level = min(scale.levels, key=lambda lv: lv.rank), level_to_show(scale, positions)
    # The brief read gives them in timeline order: each actor's in its own order, as the movers want.
    found = question_movers(question, positions, level, lowest, in_order=True) if level.rank > lowest.rank else None
    return Answers(question, scale, positions, current, level, found)


def _read_into(future: Future[Answers], pool: StorePool, question_id: int, today: date) -> None:
    """``read_answers`` on a worker's connection, its result (or error) put in ``future``."""
    try:
        future.set_result(read_answers(pool.get(), question_id, today))
    except BaseException as e:  # raised again by the load that takes it
        future.set_exception(e)


def _start_read(app, question_id: int) -> Future[Answers]:
    """``read_answers`` of ``question_id`` begun on a worker: its future."""
    future: Future[Answers] = Future()
    app.run_worker(
        partial(_read_into, future, app.pool, question_id, app.today),
        thread=True, group="question-read", exit_on_error=False,
    )  # fmt: skip
    return future


def read_ahead(app, question_id: int) -> None:
    """Start reading the answers of ``question_id`` (the questions list's cursor rests on
    it): the view, opened on it before anything is written, takes them (``answers_for``).
    A question of ten thousand positions then opens without its 30-60 ms read."""
    key = (question_id, app.today)
    if app.answers_ahead is None or app.answers_ahead[0] != key:  # else already read, or being read
        app.answers_ahead = (key, _start_read(app, question_id))


def answers_for(app, question_id: int) -> Future[Answers]:
    """The answers of ``question_id`` being read, or read: those read ahead for it (taken:
    the view's later loads read anew), else a read started now."""
    ahead = app.answers_ahead
    if ahead is not None and ahead[0] == (question_id, app.today):
        app.answers_ahead = None
        return ahead[1]
    return _start_read(app, question_id)


class QuestionScreen(DetailScreen):
    TITLE = "Question"
    BINDINGS = [
        Binding("m", "movers", "Movers"),
    ]

    def __init__(self, question_id: int):
        super().__init__()
        self.question_id = question_id
        self._shape: tuple[int, bool] | None = None  # the width and shortness last loaded for
        self._charted: tuple[Scale, list[Statement]] | None = None  # what the chart is drawn from
        self.chart_turn = 0  # the chart last asked for: only its drawing is shown
        # The answers read from the moment the view is made, while it is composed, mounted
        # and laid out (30 ms on the million), or before (read ahead from the questions
        # list): its first load takes them (the rest read anew).
        self._first_read: Future[Answers] | None = answers_for(self.app, question_id)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="summary"):
            yield Static("loading…", id="overview")
            with Horizontal(id="now"):
                yield Static("", id="stances")
                yield Static("", id="question-movers")
            yield Static("", id="about")
            yield Static("", id="chart")
        yield Static("Positions · enter open · d diff · space mark · tab scroll the summary", classes="view-title")
        # Read once the stances and the movers are drawn: its first page, drawn on the main
        # thread, came before them on the million (tests/test_question_open_round4.py).
        yield PositionList(PositionsSource(question_id=self.question_id, show_question=False), held=True, id="positions")
        yield Footer(compact=True, held=True)  # built once the stances and the movers are drawn

    def entry_context(self) -> tuple[int | None, int | None]:
        actor_id, _ = self.query_one(PositionList).context()
        return actor_id, self.question_id

    def export_context(self) -> tuple[int | None, int | None]:
        return None, self.question_id

    def action_movers(self) -> None:
        self.app.show_movers(self.question_id)

    def on_mount(self) -> None:
        reload_on_change(self)
        self.query_one(PositionList).focus()
        # No load here: the screen's first resize, which follows its mount, loads it.

    def on_resize(self) -> None:
        shape = (self.size.width, self.size.height < SHORT)  # what the chart and the stances are drawn for
        if shape != self._shape:
            self._shape = shape
            self.load()

    def load(self) -> None:
        """The stances and the movers (the first screen), then the chart below them: the room
        they have measured here, drawn in a worker. (A worker reading the layout made the
        compositor lay the screen out on the worker's thread, after a resize, while the main
        thread did: under load the view then kept the chart it had drawn for the width before.)"""
        summary = next(iter(self.query("#summary").results(VerticalScroll)), None)
        if summary is None:  # the view is being taken down
            return
        room = summary.scrollable_content_region.width or self.size.width - 4
        # The summary's scrollbar comes and goes with the chart: each is drawn with and without it.
        bar = summary.styles.scrollbar_size_vertical * (1 if summary.show_vertical_scrollbar else -1)
        first, self._first_read = self._first_read, None
        self._load(room, bar, self.size.height < SHORT, first)

    @work(thread=True, exclusive=True, group="load")
    def _load(self, room: int, bar: int, short: bool, first: Future[Answers] | None) -> None:
        """``first``: the answers being read since the view was made (its first load)."""
        worker = get_current_worker()
        answers = first.result() if first is not None else read_answers(self.app.pool.get(), self.question_id, self.app.today)
        question, scale, positions, current, level, found = answers
        head: list = [Text(printable(question.title, one_line=True), style="bold")]
        # The description (often a long scope note) comes after the stances and the movers,
        # so that they are on the first screen whatever its length.
        about = Text(printable(question.description), style="italic") if question.description else None
        if not positions:
            head += [about] if about is not None else []
            about = None
            head.append(Text("No positions on this question yet.", style="dim"))
            if not worker.is_cancelled:
                self.app.call_from_thread(self.show, question.title, Group(*head), None, None, about)
            return
        heading = Text("Where each actor stands today", style="bold underline")
        more = _more(len(current) - ROWS, "actors")
        # Actor, stance and since when, each whole (the statements are in the positions below).
        # short: a header without its rule, no blank line: two lines back
        stances = Group(heading, render.stances_brief(current[:ROWS], compact=short), *more)
        assert level is not None  # there are positions
        if found is not None:
            table = render.movers_table(found, title=False, limit=ROWS, compact=short)
        else:  # a scale of one level: nothing to move to
            table = Group(Text("the scale has one level: no one moves", style="dim"))
        movers = Group(
            Text.assemble(
                ("Movers", "bold underline"), ": who reached “",
                render.level_text(level), "”", ("  (m: other levels and questions)", "dim"),
            ),
            table,
        )  # fmt: skip
        # Measured and drawn here, for the widths they will be given: on the main thread, the
        # layout would measure and draw each table again and again while it settles.
        tables = [
            t for r in movers.renderables if isinstance(r, Group) for t in r.renderables if isinstance(t, (Table, render.QuickTable))
        ]  # fmt: skip
        stance_width, movers_width = _width(self, stances), max([MOVERS_MIN, *(_width(self, t) for t in tables)])
        # The stances and the movers side by side when both fit whole, else one above the other.
        side_by_side = stance_width + GAP + movers_width <= room
        rooms = (room, room + bar)
        if not (side_by_side or short):  # stacked: a blank line between (but on a short screen)
            movers = Group(Text(), movers)
        console, options = self.app.console, self.app.console_options.update(highlight=False)
        stance_rooms = [stance_width + GAP] if side_by_side else rooms
        movers_rooms = [r - stance_width - GAP for r in rooms] if side_by_side else rooms
        drawn_stances = render.Drawn(stances, console, options, stance_rooms, missed=self._missed)
        drawn_movers = render.Drawn(movers, console, options, movers_rooms, missed=self._missed)
        if worker.is_cancelled:  # a newer load (a resize, a theme, a change) follows
            return
        layout = (side_by_side, stance_width)
        self.app.call_from_thread(self.show, question.title, Group(*head), drawn_stances, drawn_movers, about, layout)
        # The chart below the first screen once that is drawn, so that it does not hold it up.
        # (What it is drawn from is no argument of the worker: a worker's description is made
        # of its arguments, two thousand of them here.)
        self._charted = (scale, positions)
        self.app.call_from_thread(self.call_after_refresh, self._want_chart)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A question the view cannot show (a value another program spoiled: the app says so
        in a toast) still lists its positions."""
        if event.worker.group == "load" and event.state == WorkerState.ERROR:
            for positions in self.query(PositionList):
                positions.release()

    def _missed(self, drawn: render.Drawn, options: ConsoleOptions) -> None:
        """A width the worker did not draw the stances or the movers for (the screen being
        resized: a load follows): drawn in a worker, not here."""
        self.redraw(drawn, options)

    @work(thread=True, group="redraw")
    def redraw(self, drawn: render.Drawn, options: ConsoleOptions) -> None:
        drawn.draw(self.app.console, options)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._drawn_again)

    def _drawn_again(self) -> None:
        for widget in self.query("#stances, #question-movers"):
            widget.refresh(layout=True)

    def _want_chart(self) -> None:
        self.chart_turn += 1
        self.load_chart(self.chart_turn, self.size.width)

    @work(thread=True, exclusive=True, group="chart")
    def load_chart(self, turn: int, width: int) -> None:
        """The swimlane chart, as wide as the screen allows (less the names, padding and
        scrollbar), within reason; the names take a quarter of a narrow screen at most.
        ``turn`` tells it from the charts asked for since (a resize): a worker that finds
        itself not cancelled can still hand its chart over after a newer one."""
        if self._charted is None:
            return
        scale, positions = self._charted
        longest = max(len(printable(p.actor_name, one_line=True)) for p in positions)
        name_width = max(10, min(NAME_WIDTH, longest, width // 4))
        columns = max(20, min(160, width - name_width - 7))
        chart_axis = axis([p.date.start for p in positions], columns)
        chart_lanes = lanes(positions, chart_axis, limit=ROWS)
        chart = Group(
            Text("Over time", style="bold underline"),
            render.swimlane_chart(chart_lanes, scale, chart_axis, name_width=name_width),
            *_more(len({p.actor_id for p in positions}) - ROWS, "actors"),
        )
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_chart, chart, turn)

    def show_chart(self, chart: Group, turn: int) -> None:
        if turn != self.chart_turn:  # drawn for a width or rows since replaced
            return
        for place in self.query("#chart").results(Static):  # none once the view is being taken down
            place.update(Group(Text(), chart))

    def _left(self) -> bool:
        """Whether the view is being taken down: a worker checks that it was not cancelled,
        then hands its result to the main thread, and the view can be left in between
        (the benchmark's quick Escape and Enter met it: "No nodes match '#chart'"); its
        children go in no set order, so each that ``show`` updates is looked for."""
        return not all(self.query(place) for place in ("#summary", "#overview", "#now", "#about", "#chart", "#stances", "#question-movers"))

    def show(
        self,
        title: str,
        head: Group,
        stances: render.Drawn | None,
        movers: render.Drawn | None,
        about: Text | None,
        layout: tuple[bool, int] = (False, 0),
    ) -> None:
        """``layout``: whether the stances and the movers are side by side, and the cells the
        stances take (the worker measured and drew them for that)."""
        if self._left():
            return
        self.call_after_refresh(self.query_one(Footer).release)  # once this is drawn: not in its way
        for positions in self.query(PositionList):
            self.call_after_refresh(positions.release)
        self.sub_title = printable(title, one_line=True)
        self.query_one("#overview", Static).update(head)
        now = self.query_one("#now", Horizontal)
        now.display = movers is not None
        self.set_class(movers is not None and self.size.height < SHORT, "-short")
        self.query_one("#about", Static).update(Group(Text(), about) if about is not None else "")
        if movers is None:  # no positions: no chart (else show_chart draws it next)
            self.query_one("#chart", Static).update("")
        if stances is None or movers is None:
            return
        side_by_side, stance_width = layout
        now.set_class(not side_by_side, "-stacked")
        stance_widget = self.query_one("#stances", Static)
        stance_widget.styles.width = stance_width + GAP if side_by_side else "1fr"
        stance_widget.update(stances)
        self.query_one("#question-movers", Static).update(movers)


def _width(screen: Screen, renderable: RenderableType) -> int:
    """The cells ``renderable`` takes when it has all it wants."""
    console = screen.app.console
    return Measurement.get(console, console.options.update(max_width=10_000), renderable).maximum
