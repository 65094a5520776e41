"""Movers (5): who reached a level first on the chosen questions, how late the others
followed, and how long each took from its last refusal ("from never to yes").

Tags and questions are listed on the left (``space`` selects; a tag selects its
questions); ``l`` cycles the level reached, ``f`` the refusal level below it, ``r`` rolls
persons up into their governments. The answer (the summary sentence, then a table per
question) is worked out in a worker on every change; the keys only change the state line.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from tracker import answers, render
from tracker.domain.models import Level, Question, Scale
from tracker.domain.movers import MoversReport, default_level
from tracker.domain.text import fold, printable
from tracker.domain.validation import slugify
from tracker.errors import TrackerError
from tracker.store import Store
from tracker.tui.refresh import reload_on_change
from tracker.tui.screens.export import Report
from tracker.tui.widgets.choice_list import ChoiceList
from tracker.tui.base import TrackerScreen
from tracker.tui.widgets.footer import Footer

NARROW = 100  # below this width the list goes above the answer
SCAN_LIMIT = 300  # questions read to choose the first selection; beyond, the biggest tag is chosen


@dataclass(frozen=True)
class Choices:
    """What can be selected: every question (by title) and every tag with its question ids."""

    questions: list[Question]
    tags: list[tuple[str, tuple[int, ...]]]
    first: tuple[str | None, tuple[int, ...]]  # the selection to start with: a tag, or questions


@dataclass(frozen=True)
class Answer:
    generation: int
    report: MoversReport | None
    scale: Scale | None  # the first question's: the levels l and f cycle through
    error: str | None


def _tag_value(tag: str) -> str:
    return f"tag:{tag}"


def _question_value(question_id: int) -> str:
    return f"q:{question_id}"


def _first_selection(store: Store, questions: list[Question], tags: list[tuple[str, tuple[int, ...]]]) -> tuple[str | None, tuple[int, ...]]:
    """The tag with the most questions that have movers (an actor that followed the first one
    to the default level), the more specific tag (fewer questions) on a tie; with no such tag,
    the first question with movers; else the first question."""
    if not questions:
        return None, ()
    if len(questions) > SCAN_LIMIT:  # reading every position would make the first answer wait
        best = sorted(tags, key=lambda t: (-len(t[1]), fold(t[0])))
        return (best[0][0], best[0][1]) if best else (None, (questions[0].id,))
    try:
        report = answers.movers(store, questions)
    except TrackerError:  # a scale of one level, say: no movers anywhere to rank by
        return (tags[0][0], tags[0][1]) if tags else (None, (questions[0].id,))
    moving = {q.question.id for q in report.questions if len(q.reached) > 1}
    ranked = sorted(
        ((tag, ids) for tag, ids in tags if moving.intersection(ids)),
        key=lambda t: (-len(moving.intersection(t[1])), len(t[1]), fold(t[0]), t[0]),
    )
    if ranked:
        return ranked[0]
    first = next((q.id for q in questions if q.id in moving), questions[0].id)
    return None, (first,)


class MoversScreen(TrackerScreen):
    TITLE = "Movers"
    BINDINGS = [
        Binding("l", "cycle_level", "Level", tooltip="the level reached: the next one up"),
        Binding("f", "cycle_refusal", "From", tooltip="the refusal level: the next one below"),
        Binding("r", "toggle_roll_up", "Roll-up", tooltip="persons count as their governments (roll-up)"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.level: str | None = None  # key of the level reached; None: the scale's default
        self.refusal: str | None = None  # key of the refusal level; None: the scale's lowest
        self.roll_up = False
        self.scale: Scale | None = None  # the first selected question's, from the last answer
        self.choices: Choices | None = None
        self.generation = 0  # of the state asked for; an answer for an older state is dropped
        self.return_mode: str | None = None  # the mode to go back to after m in a question

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="movers-body"):
            with Vertical(id="movers-choice"):
                yield Static("space selects · enter only this", classes="view-title")
                yield ChoiceList(id="movers-list")
            with Vertical(id="movers-main"):
                yield Static("", id="movers-state", classes="view-title")
                with VerticalScroll(id="movers-scroll"):
                    yield Static("loading…", id="movers-answer")
        yield Footer(compact=True)

    @property
    def selection(self) -> ChoiceList:
        return self.query_one("#movers-list", ChoiceList)

    def on_mount(self) -> None:
        reload_on_change(self)
        self.selection.focus()
        self._show_state()
        self.load()

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "-narrow")

    def on_screen_resume(self) -> None:
        self.take_request()

    # ------------------------------------------------------------------ what is selected

    def selected_questions(self) -> list[Question]:
        if self.choices is None:
            return []
        chosen = self.selection.ticked
        return [q for q in self.choices.questions if _question_value(q.id) in chosen]

    def entry_context(self) -> tuple[int | None, int | None]:
        chosen = self.selected_questions()
        return None, chosen[0].id if len(chosen) == 1 else None

    def export_report(self) -> Report:
        """``E`` writes the answer on screen, as `tracker export markdown --movers` does: to
        ``movers-TAG.md`` when a tag's questions are selected, ``movers-QUESTION.md`` for one."""
        from tracker.formats.movers_markdown import write_movers

        questions = self.selected_questions()
        level, refusal, roll_up = self.level, self.refusal, self.roll_up
        ids = {q.id for q in questions}
        tag = next((t for t, tagged in (self.choices.tags if self.choices else []) if set(tagged) == ids), None)
        name = slugify(tag) if tag else slugify(questions[0].slug) if len(questions) == 1 else ""

        def write(store: Store, out, _today) -> int:
            report = answers.movers(store, questions, level=level, refusal=refusal, roll_up=roll_up, chronological=True)
            return write_movers(report, out)

        return Report(lambda _store: f"movers-{name}.md" if name else "movers.md", write)

    def select_only(self, question_ids: tuple[int, ...], tag: str | None = None) -> None:
        """Select these questions (and so the tags they make up), nothing else; the cursor
        goes to ``tag``, else to the first of them."""
        self._tick({_question_value(i) for i in question_ids})
        if tag is not None:
            self.selection.highlight(_tag_value(tag))
        elif question_ids:
            self.selection.highlight(_question_value(question_ids[0]))
        self.compute()

    def _tick(self, questions: set[str]) -> None:
        """Tick these questions, and the tags all of whose questions they include."""
        assert self.choices is not None
        tags = {_tag_value(tag) for tag, ids in self.choices.tags if all(_question_value(i) in questions for i in ids)}
        self.selection.set_ticked(questions | tags)

    def _tag_questions(self, value: str) -> set[str]:
        assert self.choices is not None
        return {_question_value(i) for i in dict(self.choices.tags).get(value[len("tag:"):], ())}

    @on(ChoiceList.Toggled)
    def _toggled(self, event: ChoiceList.Toggled) -> None:
        event.stop()
        if self.choices is None:
            return
        questions = {v for v in self.selection.ticked if v.startswith("q:")}
        if event.value.startswith("tag:"):  # a tag selects (or deselects) its questions
            ids = self._tag_questions(event.value)
            questions = questions | ids if event.ticked else questions - ids
        self._tick(questions)
        self.compute()

    @on(ChoiceList.Only)
    def _only(self, event: ChoiceList.Only) -> None:
        event.stop()
        if self.choices is None:
            return
        questions = self._tag_questions(event.value) if event.value.startswith("tag:") else {event.value}
        self._tick(questions)
        self.compute()

    # ------------------------------------------------------------------ the keys

    def _levels(self) -> list[Level]:
        return sorted(self.scale.levels, key=lambda lv: lv.rank) if self.scale else []

    def _current(self) -> tuple[Level | None, Level | None]:
        """The level reached and the refusal level as the state says, on the known scale."""
        levels = self._levels()
        if not levels or self.scale is None:
            return None, None
        by_key = {lv.key: lv for lv in levels}
        level = by_key.get(self.level or "") or default_level(self.scale)
        refusal = by_key.get(self.refusal or "") or levels[0]
        return level, refusal

    def action_cycle_level(self) -> None:
        levels = self._levels()
        level, refusal = self._current()
        if level is None or refusal is None or len(levels) < 2:
            return
        above = levels[1:]  # every level above the lowest
        index = next((i for i, lv in enumerate(above) if lv.key == level.key), -1)
        new = above[(index + 1) % len(above)]
        self.level = new.key
        if refusal.rank >= new.rank:
            self.refusal = None  # back to the lowest, which is below any level above it
        self.compute()

    def action_cycle_refusal(self) -> None:
        levels = self._levels()
        level, refusal = self._current()
        if level is None or refusal is None:
            return
        below = [lv for lv in levels if lv.rank < level.rank]
        if not below:
            return
        index = next((i for i, lv in enumerate(below) if lv.key == refusal.key), -1)
        self.refusal = below[(index + 1) % len(below)].key
        self.compute()

    def action_toggle_roll_up(self) -> None:
        self.roll_up = not self.roll_up
        self.compute()

    def action_back(self) -> None:
        mode, self.return_mode = self.return_mode, None
        if mode is not None:
            self.app.switch_mode(mode)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.return_mode is not None
        return True

    # ------------------------------------------------------------------ m in a question

    def take_request(self) -> None:
        """Select the question the app was asked to show (``m`` in a question view)."""
        request = self.app.movers_request
        if request is None or self.choices is None:
            return  # none, or applied once the choices are loaded
        question_id, return_mode = request
        self.app.movers_request = None
        self.return_mode = return_mode
        self.refresh_bindings()
        if any(q.id == question_id for q in self.choices.questions):
            self.select_only((question_id,))

    # ------------------------------------------------------------------ loading

    def load(self) -> None:
        """Read the questions and tags again (on mount, when the data or the theme change)."""
        self._load_choices(self.choices is None)

    @work(thread=True, exclusive=True, group="movers-choices")
    def _load_choices(self, first: bool) -> None:
        store = self.app.pool.get()
        questions = store.questions()
        tags = answers.tags(questions)
        start = _first_selection(store, questions, tags) if first else (None, ())
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_choices, Choices(questions, tags, start), first)

    def _show_choices(self, choices: Choices, first: bool) -> None:
        lst = self.selection
        kept = {v for v in lst.ticked if v.startswith("q:")}
        self.choices = choices
        rows: list[tuple[str | None, Text]] = []
        if choices.tags:
            rows.append((None, Text("Tags", style="bold underline")))
        for tag, ids in choices.tags:
            rows.append((_tag_value(tag), Text.assemble(("#", "dim"), printable(tag, one_line=True), (f"  {len(ids)}", "dim"))))
        rows.append((None, Text("Questions", style="bold underline")))
        for q in choices.questions:
            rows.append((_question_value(q.id), Text(printable(q.title, one_line=True))))
        lst.set_choices(rows)
        if self.app.movers_request is not None:
            self.take_request()
        elif first:
            tag, ids = choices.first
            self.select_only(ids, tag)
        else:  # new data: the same questions stay selected
            self._tick({v for v in kept if v in {_question_value(q.id) for q in choices.questions}})
            self.compute()

    def compute(self) -> None:
        """Work out the answer for the state on screen (in a worker: a key never waits)."""
        self.generation += 1
        self._show_state()
        questions = self.selected_questions()
        if not questions:
            if self.choices is not None and not self.choices.questions:
                hint = "No questions yet: add one (ctrl+p, new question) and positions on it, then come back."
            else:
                hint = "Select a tag or questions on the left: space selects, a tag selects its questions."
            self.query_one("#movers-answer", Static).update(Text(hint, style="dim"))
            return
        self._answer(self.generation, questions, self.level, self.refusal, self.roll_up)

    @work(thread=True, exclusive=True, group="movers-answer")
    def _answer(self, generation: int, questions: list[Question], level: str | None, refusal: str | None, roll_up: bool) -> None:
        store = self.app.pool.get()
        scale = None
        try:
            scale = store.scale(questions[0].scale_key)
            keys = {lv.key for lv in scale.levels}
            if level is not None and level not in keys:  # the first question is on another scale now
                level = refusal = None
            elif refusal is not None and refusal not in keys:
                refusal = None
            # The questions in the order their first movers reached the level: the story's order.
            report = answers.movers(store, questions, level=level, refusal=refusal, roll_up=roll_up, chronological=True)
            answer = Answer(generation, report, scale, None)
        except TrackerError as e:  # a level that one of the questions' scales does not have, say
            answer = Answer(generation, None, scale, str(e))
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_answer, answer, level, refusal)

    def _show_answer(self, answer: Answer, level: str | None, refusal: str | None) -> None:
        if answer.generation != self.generation:
            return  # the state changed since: its own answer follows
        self.scale = answer.scale
        self.level, self.refusal = level, refusal
        self._show_state()
        shown = self.query_one("#movers-answer", Static)
        if answer.report is None:
            message = printable(answer.error or "", one_line=True)
            shown.update(Text.assemble(("No answer: ", "bold"), (message, "bold red"), "\n\n", ("l f r change the levels and the roll-up; space the questions.", "dim")))
            return
        shown.update(render.movers_view(answer.report))

    def _show_state(self) -> None:
        level, refusal = self._current()
        line = Text()
        line.append("level ")
        line.append_text(render.level_text(level) if level else Text("default", style="dim"))
        line.append(" · from ")
        line.append_text(render.level_text(refusal) if refusal else Text("lowest", style="dim"))
        line.append(f" · roll-up {'on' if self.roll_up else 'off'}")
        line.append("  (l f r to change)", style="dim")
        self.query_one("#movers-state", Static).update(line)
