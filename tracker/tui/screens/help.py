"""Help (?): every key, grouped by where it applies, read from the bindings themselves.

The keys and what they do are the ``BINDINGS`` of the app, the screens and the widgets
(their description, and their tooltip when they have one): a key added to a screen shows
here without a change to this file. ``COLUMNS`` only says which screens and widgets there
are, in the order they are shown, and under which heading.
"""

from __future__ import annotations

from dataclasses import replace
from importlib import import_module
from itertools import groupby, zip_longest

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tracker.tui.base import TrackerModalScreen

SIDE_BY_SIDE_FROM = 120  # columns of the terminal from which the three columns sit side by side
APP = "everywhere"  # the app's own bindings (those of the view the help was opened on)

# Columns of (heading, the classes whose bindings apply there), side by side so that the
# keys fit on one screen.
COLUMNS: list[list[tuple[str, tuple[str, ...]]]] = [
    [
        ("Views", (APP,)),
        ("Lists", ("tracker.tui.widgets.lazy_list:LazyList",)),
        ("Positions", ("tracker.tui.widgets.position_list:PositionList",)),
    ],
    [
        ("Details", ("tracker.tui.screens.detail_screen:DetailScreen",)),
        ("A position", ("tracker.tui.screens.position:PositionScreen",)),
        ("A question", ("tracker.tui.screens.question:QuestionScreen",)),
        ("Matrix", ("tracker.tui.screens.matrix:MatrixScreen",)),
        ("Timeline", ("tracker.tui.screens.timeline:TimelineScreen",)),
        ("Search", ("tracker.tui.screens.search:SearchScreen",)),
    ],
    [
        ("Movers", ("tracker.tui.screens.movers:MoversScreen", "tracker.tui.widgets.choice_list:ChoiceList")),
        ("Forms", (
            "tracker.tui.forms.base:FormScreen", "tracker.tui.forms.position_form:PositionForm",
            "tracker.tui.forms.scale_form:ScaleForm", "tracker.tui.forms.lookup_field:LookupField",
        )),
        ("Capture", ("tracker.tui.screens.capture_prompt:CapturePrompt", "tracker.tui.screens.capture:CaptureScreen")),
        ("Asked", ("tracker.tui.screens.confirm:ConfirmScreen", "tracker.tui.screens.export:ExportScreen")),
        ("Help", ("tracker.tui.screens.help:HelpScreen",)),
    ],
]  # fmt: skip


class HelpScreen(TrackerModalScreen):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static("Position Tracker: keys", classes="view-title")
            yield Static(id="help-keys")

    def on_resize(self) -> None:
        """Side by side where the three columns fit, else one under the other (80 columns)."""
        if self.size.width >= SIDE_BY_SIDE_FROM:
            columns = Table.grid(padding=(0, 3))
            columns.add_row(*(self._help_table(places) for places in COLUMNS))
        else:
            columns = self._help_table([place for places in COLUMNS for place in places])
        self.query_one("#help-keys", Static).update(columns)

    def _help_app_bindings(self) -> list[Binding]:
        """The app's keys as they are active on the screen below (the palette's among them)."""
        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else self
        return [active.binding for active in below.active_bindings.values() if active.node is self.app]

    def _help_bindings(self, where: str) -> list[Binding]:
        if where == APP:
            found = self._help_app_bindings()
        else:
            module, name = where.split(":")
            found = list(vars(getattr(import_module(module), name)).get("BINDINGS", []))
        return [b for b in found if isinstance(b, Binding) and not b.system and b.description]

    def _help_table(self, places: list[tuple[str, tuple[str, ...]]]) -> Table:
        table = Table(show_header=False, box=None, padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for heading, classes in places:
            rows = [row for where in classes for row in self._help_rows(self._help_bindings(where))]
            if not rows:
                continue
            table.add_row(Text(heading, style="underline"), "")
            for keys, what in rows:
                table.add_row(Text(keys), what)
            table.add_row("", "")
        return table

    def _help_rows(self, bindings: list[Binding]) -> list[tuple[str, Text]]:
        """One row per binding; single keys side by side with the same action (other arguments)
        share a row ("1 2 3 4 5": Questions, Actors...). A binding's other keys follow a comma."""
        rows = []
        by_action: dict[tuple, list[Binding]] = {}  # ctrl+q and q both quit: one row
        for b in bindings:
            by_action.setdefault((b.action, b.description), []).append(b)
        merged = [b for same in by_action.values() for b in same]
        for _action, run in groupby(merged, key=lambda b: (b.action.split("(")[0], id(b) if "," in b.key else 0)):
            same = list(run)
            keys = [[self.app.get_key_display(replace(b, key=k.strip())) for k in b.key.split(",")] for b in same]
            shown = ", ".join(" ".join(k for k in column if k) for column in zip_longest(*keys, fillvalue=""))
            what = Text(", ".join(dict.fromkeys(b.description for b in same)))
            for tooltip in dict.fromkeys(b.tooltip for b in same if b.tooltip):
                if tooltip.casefold().startswith(what.plain.casefold()):  # "Quit: Quit the app…": once
                    what = Text(tooltip)
                else:
                    what.append(f": {tooltip}", style="dim")
            rows.append((shown, what))
        return rows
