"""Help (?): every key, grouped by where it applies."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = [
    ("Views", [("1 2 3 4 5", "Questions, Actors, Timeline (all positions), Matrix (as of a date), Movers"),
               ("/", "full-text search"), ("ctrl+p", "command palette: jump to any actor or question, run any action"),
               ("ctrl+p, theme", "switch between the tracker-dark and tracker-light themes"),
               ("?", "this help"), ("q", "quit")]),
    ("Lists", [("↑ ↓, j k", "move"), ("pgup pgdn, g G", "page, first, last"), ("enter", "open"),
               ("escape", "back"), ("tab", "next pane: in a question, scroll the stances, movers and chart")]),
    ("Positions", [("d", "diff the selected position with the actor's previous one on that question"),
                   ("space then d", "mark a position, then diff it with the selected one")]),
    ("Writing", [("n", "new position, prefilled with the actor and question you are on"),
                 ("e, x", "edit the selected position; delete it (asks: y / n)"),
                 ("u", "undo the last edit or deletion; again to go further back"),
                 ("E", "export the current view to a markdown file"),
                 ("ctrl+p, new…", "new actor, question, source or scale; add or remove a scale's levels")]),
    ("Forms", [("tab, enter", "next field"), ("↑ ↓, enter", "choose in a list of matches (the last creates a new one)"),
               ("ctrl+s", "save (only when every field is valid)"),
               ("ctrl+n", "save and add another from the same source (keeps actor, question, source)"),
               ("escape", "cancel (asks first if you typed something)")]),
    ("Matrix", [("[ ]", "as-of date one month back / forward"), ("{ }", "one year back / forward"),
                ("t", "today"), ("← →", "scroll the actors")]),
    ("Movers", [("m", "a question's movers in the Movers view (5)"),
                ("space / enter", "select a tag (its questions) or a question / only it"),
                ("l", "level reached: the next one up"), ("f", "refusal level: the next one below it"),
                ("r", "roll-up: a person counts for its government")]),
]  # fmt: skip


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        # Reading first, writing second, side by side so that every key fits on one screen.
        reading = [group for group in KEYS if group[0] not in WRITING]
        writing = [group for group in KEYS if group[0] in WRITING]
        columns = Table.grid(padding=(0, 4))
        columns.add_row(_keys_table(reading), _keys_table(writing))
        with VerticalScroll(id="help"):
            yield Static("Position Tracker: keys", classes="view-title")
            yield Static(columns)


WRITING = ("Writing", "Forms", "Movers")


def _keys_table(groups: list[tuple[str, list[tuple[str, str]]]]) -> Table:
    table = Table(show_header=False, box=None, padding=(0, 2))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for group, keys in groups:
        table.add_row(Text(group, style="underline"), "")
        for key, what in keys:
            table.add_row(key, what)
        table.add_row("", "")
    return table
