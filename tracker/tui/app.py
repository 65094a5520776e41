"""The Position Tracker application: five views, detail screens pushed on top."""

from __future__ import annotations

import gc
import threading
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import App
from textual import events, work
from textual.binding import Binding
from textual.signal import Signal

from tracker import render
from tracker.domain.text import printable
from tracker.errors import OutOfShape, TrackerError
from tracker.store import Store
from tracker.tui.base import TrackerScreen
from tracker.tui.drafts_app import KeepsDrafts
from tracker.tui.pool import StorePool, open_store
from tracker.tui.screens.questions import QuestionsScreen
from tracker.tui.themes import THEMES

# The first screen is the questions list: the other views, the detail screens, the
# forms and the command palette are imported when first opened, so that the first
# paint waits for none of them (tests/test_imports.py).
if TYPE_CHECKING:
    from collections.abc import Callable
    from concurrent.futures import Future

    from textual.command import Provider
    from textual.screen import Screen

    from tracker.domain.models import Position
    from tracker.tui.forms.position_form import PositionForm


WATCH_SECONDS = 1.0


def _actors_screen() -> Screen:
    from tracker.tui.screens.actors import ActorsScreen

    return ActorsScreen()


def _timeline_screen() -> Screen:
    from tracker.tui.screens.timeline import TimelineScreen

    return TimelineScreen()


def _matrix_screen() -> Screen:
    from tracker.tui.screens.matrix import MatrixScreen

    return MatrixScreen()


def _movers_screen() -> Screen:
    from tracker.tui.screens.movers import MoversScreen

    return MoversScreen()


def _tracker_commands() -> type[Provider]:
    from tracker.tui.commands import TrackerCommands

    return TrackerCommands


class TrackerApp(KeepsDrafts, App):
    CSS_PATH = "app.tcss"
    TITLE = "Position Tracker"
    COMMANDS = App.COMMANDS | {_tracker_commands}
    MODES = {
        "questions": QuestionsScreen,
        "actors": _actors_screen,
        "timeline": _timeline_screen,
        "matrix": _matrix_screen,
        "movers": _movers_screen,
    }
    DEFAULT_MODE = "questions"
    BINDINGS = [
        *(Binding(str(key), f"switch_mode('{mode}')", mode.title()) for key, mode in enumerate(MODES, 1)),  # 1..5
        Binding("slash", "search", "Search"),
        Binding("n", "new_position", "New"),
        Binding("u", "undo", "Undo"),
        Binding("E", "export", "Export"),
        Binding("question_mark", "help", "Help"),
        Binding("c", "capture", "Capture"),
        Binding("q", "quit", "Quit"),
    ]

    def action_capture(self) -> None:
        """c: an article (a file, or pasted text), then its quotes on the capture screen."""
        from tracker.tui.screens.capture_prompt import CapturePrompt

        self.push_screen(CapturePrompt())

    def __init__(
        self,
        db_path: Path,
        *,
        today: date | None = None,
        first: Callable[[], Screen] | None = None,
        drafts_folder: Path | None = None,
        keep_drafts: bool = True,
    ):
        """``first`` makes the screen to open over the first view (`tracker capture FILE`);
        ``drafts_folder``: where typed text is kept between runs (tracker.tui.drafts), unless
        ``keep_drafts`` is False (the demo, whose copy of the data goes with the session)."""
        super().__init__()
        self._first = first
        self.init_drafts(drafts_folder, keep_drafts)
        # Published after every write (save, delete, undo): lists and detail screens reload.
        self.data_changed_signal: Signal[str] = Signal(self, "data-changed")
        self.watcher: Store | None = None  # one connection, so its data_version means something
        self._seen_version: int | None = None
        self._watch_lock = threading.Lock()
        self._closed = False
        self.db_path = Path(db_path)
        self._today = today  # fixed in tests and screenshots; None follows the clock
        self.pool = StorePool(self.db_path, on_wait=self._waiting_to_write)
        self.marked: Position | None = None
        # (question id, the mode to go back to): the Movers view selects that question when shown.
        self.movers_request: tuple[int, str | None] | None = None
        # The question of the last position saved in this run: a capture's form starts on it.
        self.last_question_id: int | None = None
        # The answers of the question the questions list's cursor rests on, read ahead:
        # ((question id, today), their future), forgotten at any change of the data
        # (tracker.tui.screens.question.read_ahead).
        self.answers_ahead: tuple[tuple[int, date], Future] | None = None
        for theme in THEMES:
            self.register_theme(theme)
        # Set without its watcher, which would parse and apply every style once more before the
        # first paint: the app's first styling already uses this theme (tests/test_first_paint.py).
        self.set_reactive(TrackerApp.theme, "tracker-dark")

    @property
    def today(self) -> date:
        """The date screens treat as today."""
        return self._today or date.today()

    def on_mount(self) -> None:
        self.sub_title = str(self.db_path)
        # Everything made so far (modules, widgets, styles: some 200,000 objects) lives as long
        # as the app: out of the collector's sight, a full collection no longer walks them all
        # in the middle of a keypress (45-80 ms, about one key in 200).
        self.call_after_refresh(gc.freeze)
        self._watch()  # the version to compare with
        self.set_interval(WATCH_SECONDS, self._watch)
        self.data_changed_signal.subscribe(self, self._forget_answers_ahead)
        if not self.is_headless:
            from tracker.tui.hangup import on_hangup_signal, watch_terminal

            watch_terminal(0, self._terminal_gone)
            on_hangup_signal(self.exit)
        render.set_background(self.current_theme.background)
        if self._first is not None:
            self.push_screen(self._first())
        self.start_drafts()

    def call_soon(self, callback: Callable[..., object], *args: object) -> bool:
        """From a thread (a worker, the hang-up's): ``callback(*args)`` on the UI thread; False,
        nothing run, when the app has stopped meanwhile (q pressed while the thread worked)."""
        try:
            self.call_from_thread(callback, *args)
        except RuntimeError:
            return False
        return True

    def _terminal_gone(self) -> None:
        """The terminal hung up (tracker.tui.hangup): end as `q` does, from the hang-up's thread."""
        self.call_soon(self.exit)

    def watch_theme(self) -> None:
        # Before the theme-changed signal reaches the screens, which then redraw.
        render.set_background(self.current_theme.background)

    @work(thread=True, exclusive=True, group="watch")
    def _watch(self) -> None:
        """Publish ``data_changed_signal`` when the file changed since the last look: writes by
        other programs, and this one's own (which call this right after writing)."""
        with self._watch_lock:  # on_unmount must not close the connection under this thread (a segfault)
            if self._closed:
                return
            if self.watcher is None:
                self.watcher = open_store(self.db_path)
            version = self.watcher.data_version()
            changed = self._seen_version is not None and version != self._seen_version
            self._seen_version = version
        if changed:  # outside the lock: this waits for the UI thread, which may be waiting for the lock
            self.call_from_thread(self.data_changed_signal.publish, "file")

    def _forget_answers_ahead(self, _change: str) -> None:
        self.answers_ahead = None  # read before this change

    def _waiting_to_write(self) -> None:
        """A write (in a worker) waits for another program's, such as a long import."""
        self.call_from_thread(
            self.notify, "Another program is writing to this file (an import?); your change will be saved when it is done.",
            title="Waiting", timeout=10, markup=False,
        )  # fmt: skip

    def on_unmount(self) -> None:
        gc.unfreeze()  # collectable again (tests run many apps in one process)
        with self._watch_lock:
            self._closed = True
            if self.watcher is not None:
                self.watcher.close()
        render.set_background(None)
        self.pool.close()
        self.close_drafts()

    # Running and exiting. An unexpected error (a bug) ends the app, as Textual always does
    # (return code 1), with the first error kept in ``crash_error``. The command line
    # (tracker.cli.interface.run_app) sets ``reports_crashes``: it writes that error's traceback to a crash log
    # once the terminal is restored, and says where; Textual's own print of it is then dropped.

    reports_crashes = False
    crash_error: BaseException | None = None

    def _handle_exception(self, error: Exception) -> None:
        """Textual's hook for an unhandled exception (it ends the app)."""
        from textual.worker import WorkerFailed

        refused = error.error if isinstance(error, WorkerFailed) else error
        if isinstance(refused, OutOfShape):
            # A value another program spoiled (tags that are no list, a date that is no
            # date...), met by a worker as it reads: not a bug. One line, naming the row and
            # `tracker check`; the app goes on, with the screens it can still show.
            self.notify(printable(str(refused), one_line=True), title="Cannot show this", severity="error", markup=False, timeout=15)
            return
        super()._handle_exception(error)
        if self.crash_error is None:
            from textual.worker import WorkerFailed

            # A worker's error comes wrapped, without a traceback of its own.
            self.crash_error = error.error if isinstance(error, WorkerFailed) else error
        if self.reports_crashes:
            self._exit_renderables.clear()

    # Navigation used by screens, widgets and the command palette.

    def show_question(self, question_id: int) -> None:
        from tracker.tui.screens.question import QuestionScreen

        self.push_screen(QuestionScreen(question_id))

    def show_actor(self, actor_id: int) -> None:
        from tracker.tui.screens.actor import ActorScreen

        self.push_screen(ActorScreen(actor_id))

    def show_position(self, position_id: int) -> None:
        from tracker.tui.screens.position import PositionScreen

        self.push_screen(PositionScreen(position_id))

    def show_diff(self, before_id: int | None, after_id: int) -> None:
        """The diff of two positions (``before_id`` None: the actor's previous one on the
        question), worked out in a worker; when there is nothing to compare (a first
        position) or they cannot be compared (two scales), a one-line notice, no screen."""
        self._open_diff(before_id, after_id, self.screen)

    @work(thread=True, exclusive=True, group="open-diff")
    def _open_diff(self, before_id: int | None, after_id: int, asked_on: Screen) -> None:
        from tracker.compare import diff_positions

        try:
            change = diff_positions(self.pool.get(), after_id, before_id)
        except TrackerError as e:
            back, args = self._diff_refused, (str(e), asked_on)
        else:
            back, args = self._push_diff, (before_id, after_id, change, asked_on)
        self.call_soon(back, *args)

    def _diff_refused(self, message: str, asked_on: Screen) -> None:
        if self.screen is asked_on:  # not after the user has gone elsewhere
            self.notify(printable(message, one_line=True), title="Diff", markup=False)

    def _push_diff(self, before_id: int | None, after_id: int, change, asked_on: Screen) -> None:
        from tracker.tui.screens.diff import DiffScreen

        if self.screen is asked_on:
            self.push_screen(DiffScreen(before_id, after_id, change))

    def show_movers(self, question_id: int) -> None:
        """The Movers view (5) on one question, ``escape`` coming back here."""
        if self.current_mode != "movers":
            self.movers_request = (question_id, self.current_mode)
            self.switch_mode("movers")
            return
        self.movers_request = (question_id, None)  # a question opened over the Movers view: back to it
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) > 1:
            self.pop_screen()  # the Movers view, resumed, takes the request
        else:
            from tracker.tui.screens.movers import MoversScreen

            cast(MoversScreen, self.screen).take_request()  # the Movers view, alone in its mode

    def action_back(self) -> None:
        if len(self.screen_stack) > 1:
            self.pop_screen()

    def action_search(self) -> None:
        from tracker.tui.screens.search import SearchScreen

        self.push_screen(SearchScreen())

    def action_help(self) -> None:
        from tracker.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def on_key(self, event: events.Key) -> None:
        """A key that came back up unhandled: a form on top may have been typed into too early."""
        self._typeahead(event)

    def on_paste(self, event: events.Paste) -> None:
        self._typeahead(event)

    def _typeahead(self, event: events.Key | events.Paste) -> None:
        take = getattr(self.screen, "take_typeahead", None)
        if take is not None:
            take(event)

    # Writing. The current screen says which actor, question or position it is about
    # (``entry_context``); every write runs in a worker and then announces the change.

    def _entry_context(self) -> tuple[int | None, int | None]:
        screen = self.screen
        return screen.entry_context() if isinstance(screen, TrackerScreen) else (None, None)

    def action_new_position(self) -> None:
        from tracker.tui.forms.position_form import PositionForm

        actor_id, question_id = self._entry_context()
        self.push_screen(PositionForm(actor_id=actor_id, question_id=question_id))

    def edit_position(self, position_id: int) -> None:
        from tracker.tui.forms.position_form import PositionForm

        self.push_screen(PositionForm(position_id))

    def on_position_form_saved(self, message: PositionForm.Saved) -> None:
        p = message.position
        verb = "Added" if message.new else "Saved"
        self.notify(printable(f"{verb}: {p.actor_name}, {p.date.display}, {p.level.label}", one_line=True), markup=False)
        self._watch()  # sees the new version at once and reloads what is on screen

    def _created(self, record) -> None:
        if record is not None:
            self._watch()

    def action_new_actor(self) -> None:
        from tracker.tui.forms.actor_form import ActorForm

        self.push_screen(ActorForm(), self._created)

    def action_new_question(self) -> None:
        from tracker.tui.forms.question_form import QuestionForm

        self.push_screen(QuestionForm(), self._created)

    def action_new_source(self) -> None:
        from tracker.tui.forms.source_form import SourceForm

        self.push_screen(SourceForm(), self._created)

    def action_edit_scale(self, key: str) -> None:
        self.edit_scale(key or None)

    def edit_scale(self, key: str | None) -> None:
        from tracker.tui.forms.scale_form import ScaleForm

        self.push_screen(ScaleForm(key), self._created)

    def delete_position(self, position: Position) -> None:
        from tracker.tui.screens.confirm import ConfirmScreen

        question = Text.assemble(
            "Delete the position of ", (printable(position.actor_name, one_line=True), "bold"),
            f" of {position.date.display} on ", (printable(position.question_title, one_line=True), "italic"), "?",
            "\nu undoes it.",
        )  # fmt: skip

        def delete(store) -> str:
            store.delete_position(position.id)
            return "Deleted; press u to undo."

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(delete)

        self.push_screen(ConfirmScreen(question), answered)

    def action_export(self) -> None:
        from tracker.tui.screens.export import ExportScreen, story

        screen = self.screen
        report = screen.export_report() if isinstance(screen, TrackerScreen) else story(None, None)

        def exported(path) -> None:
            if path is not None:
                self.notify(printable(f"Exported to {path}", one_line=True), title="Markdown", markup=False)

        self.push_screen(ExportScreen(report), exported)

    def action_undo(self) -> None:
        self._write(lambda store: _sentence(store.undo()))

    @work(thread=True, group="write")
    def _write(self, change) -> None:
        try:
            message = change(self.pool.get())
        except TrackerError as e:
            self.call_from_thread(self.notify, printable(str(e), one_line=True), severity="warning", markup=False)
            return
        self.call_from_thread(self._written, message)

    def _written(self, message: str) -> None:
        self.notify(printable(message, one_line=True), markup=False)
        self._watch()


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."
