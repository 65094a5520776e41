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
    ("Views", [("1 2 3 4 5", "Questions, Actors, Timeline, Matrix, Movers"),
               ("/", "full-text search"), ("ctrl+p", "palette: jump to an actor or question"),
               ("ctrl+p, theme", "the dark or the light theme"),
               ("?", "this help"), ("q", "quit")]),
    ("Lists", [("↑ ↓, j k", "move"), ("pgup pgdn", "a page up, down"), ("home end", "first, last"),
               ("enter", "open"), ("escape", "back"), ("tab", "next pane (a question's summary)")]),
    ("Positions", [("d", "diff with the actor's previous one"),
                   ("space then d", "mark (◆), then diff with this one"),
                   ("space, escape", "on a mark: clear it")]),
    ("Matrix", [("[ ]", "as-of date a month back / forward"), ("{ }", "a year back / forward"),
                ("t", "today"), ("g", "go to a date"), ("← →", "scroll the actors")]),
    ("Timeline", [("f", "filter: names, stances, 2023-01..2023-06"),
                  ("enter, escape", "apply the filter; clear it"),
                  ("g", "go to a date (the first on or after)")]),
    ("Writing", [("n", "new position (actor, question prefilled)"),
                 ("e, x", "edit; delete (asks: y / n)"),
                 ("u", "undo the last change; again: further"),
                 ("E", "export this view to markdown"),
                 ("c", "capture from an article (file or pasted)"),
                 ("ctrl+p, new…", "new actor, question, source, scale")]),
    ("Forms", [("tab, enter", "next field"), ("↑ ↓, enter", "pick a match (the last: create new)"),
               ("ctrl+s", "save (when every field is valid)"),
               ("ctrl+n", "save, add another: same source, date"),
               ("escape", "cancel (asks if you typed)")]),
    ("Movers", [("m", "the movers of the question on screen"),
                ("space / enter", "select a tag or question / only it"),
                ("l", "level reached: the next one up"), ("f", "refusal level: the next one below"),
                ("r", "roll-up: persons count as governments")]),
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


WRITING = ("Writing", "Forms", "Movers", "Timeline")  # the right-hand column


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
