"""Help (?): every key, grouped by where it applies."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = [
    ("Views", [("1 2 3 4", "Questions, Actors, Timeline (all positions), Matrix (as of a date)"),
               ("/", "full-text search"), ("ctrl+p", "command palette: jump to any actor or question, run any action"),
               ("ctrl+p, theme", "switch between the tracker-dark and tracker-light themes"),
               ("?", "this help"), ("q", "quit")]),
    ("Lists", [("↑ ↓, j k", "move"), ("pgup pgdn, g G", "page, first, last"), ("enter", "open"),
               ("escape", "back"), ("tab", "next pane: in a question, scroll the chart, stances and movers")]),
    ("Positions", [("d", "diff the selected position with the actor's previous one on that question"),
                   ("space then d", "mark a position, then diff it with the selected one")]),
    ("Matrix", [("[ ]", "as-of date one month back / forward"), ("{ }", "one year back / forward"),
                ("t", "today"), ("← →", "scroll the actors")]),
]  # fmt: skip


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        table = Table(show_header=False, box=None, padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for group, keys in KEYS:
            table.add_row(f"[underline]{group}[/]", "")
            for key, what in keys:
                table.add_row(key, what)
            table.add_row("", "")
        with VerticalScroll(id="help"):
            yield Static("Position Tracker: keys", classes="view-title")
            yield Static(table)
