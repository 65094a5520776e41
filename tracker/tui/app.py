"""The Position Tracker application: four views, detail screens pushed on top."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.app import App
from textual.binding import Binding

from tracker import render
from tracker.domain.models import Position
from tracker.tui.commands import TrackerCommands
from tracker.tui.data import StorePool
from tracker.tui.screens.actor import ActorScreen
from tracker.tui.screens.actors import ActorsScreen
from tracker.tui.screens.diff import DiffScreen
from tracker.tui.screens.help import HelpScreen
from tracker.tui.screens.matrix import MatrixScreen
from tracker.tui.screens.position import PositionScreen
from tracker.tui.screens.question import QuestionScreen
from tracker.tui.screens.questions import QuestionsScreen
from tracker.tui.screens.search import SearchScreen
from tracker.tui.screens.timeline import TimelineScreen
from tracker.tui.themes import THEMES


class TrackerApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "Position Tracker"
    COMMANDS = App.COMMANDS | {TrackerCommands}
    MODES = {
        "questions": QuestionsScreen,
        "actors": ActorsScreen,
        "timeline": TimelineScreen,
        "matrix": MatrixScreen,
    }
    DEFAULT_MODE = "questions"
    BINDINGS = [
        Binding("1", "switch_mode('questions')", "Questions"),
        Binding("2", "switch_mode('actors')", "Actors"),
        Binding("3", "switch_mode('timeline')", "Timeline"),
        Binding("4", "switch_mode('matrix')", "Matrix"),
        Binding("slash", "search", "Search"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, db_path: Path, *, today: date | None = None):
        super().__init__()
        self.db_path = Path(db_path)
        self._today = today  # fixed in tests and screenshots; None follows the clock
        self.pool = StorePool(self.db_path)
        self.marked: Position | None = None
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = "tracker-dark"

    @property
    def today(self) -> date:
        """The date screens treat as today."""
        return self._today or date.today()

    def on_mount(self) -> None:
        self.sub_title = str(self.db_path)
        render.set_background(self.current_theme.background)

    def watch_theme(self) -> None:
        # Before the theme-changed signal reaches the screens, which then redraw.
        render.set_background(self.current_theme.background)

    def on_unmount(self) -> None:
        render.set_background(None)
        self.pool.close()

    # Navigation used by screens, widgets and the command palette.

    def show_question(self, question_id: int) -> None:
        self.push_screen(QuestionScreen(question_id))

    def show_actor(self, actor_id: int) -> None:
        self.push_screen(ActorScreen(actor_id))

    def show_position(self, position_id: int) -> None:
        self.push_screen(PositionScreen(position_id))

    def show_diff(self, before_id: int | None, after_id: int) -> None:
        self.push_screen(DiffScreen(before_id, after_id))

    def action_back(self) -> None:
        if len(self.screen_stack) > 1:
            self.pop_screen()

    def action_search(self) -> None:
        self.push_screen(SearchScreen())

    def action_help(self) -> None:
        self.push_screen(HelpScreen())
