"""A list whose rows are ticked and unticked with space, each showing a ✓ when ticked (in
words a screen reader and a screenshot both show, not only a colour); enter asks for that
row alone. Headings are rows that cannot be ticked."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tracker.tui.base import ControlMessage

TICK = Text("✓", style="bold green")


class ChoiceList(OptionList):
    BINDINGS = [
        Binding("space", "toggle", "Select"),
        Binding("enter", "only", "Only this"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    class Toggled(ControlMessage):
        """A row ticked or unticked by the user (space)."""

        def __init__(self, choice_list: ChoiceList, value: str, ticked: bool):
            super().__init__(choice_list)
            self.value, self.ticked = value, ticked

    class Only(ControlMessage):
        """Enter on a row: that row alone is wanted."""

        def __init__(self, choice_list: ChoiceList, value: str):
            super().__init__(choice_list)
            self.value = value

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ticked: set[str] = set()
        self._labels: dict[str, Text] = {}

    def set_choices(self, rows: Sequence[tuple[str | None, Text]], ticked: Iterable[str] = ()) -> None:
        """``rows``: (value, label), a value of None for a heading. The highlight stays on
        the row with the same value, if there still is one."""
        current = self.highlighted_option.id if self.highlighted_option is not None else None
        self._labels = {value: label for value, label in rows if value is not None}
        self.ticked = {v for v in ticked if v in self._labels}
        options = []
        for n, (value, label) in enumerate(rows):
            if value is None:
                options.append(Option(label, id=f"\0heading{n}", disabled=True))
            else:
                options.append(Option(self._prompt(value), id=value))
        self.set_options(options)
        if current is not None and current in self._labels:
            self.highlighted = self.get_option_index(current)

    def set_ticked(self, values: Iterable[str]) -> None:
        """Tick exactly ``values`` (no message: this is the program, not the user)."""
        wanted = {v for v in values if v in self._labels}
        changed = wanted ^ self.ticked
        self.ticked = wanted
        for value in changed:
            self.replace_option_prompt(value, self._prompt(value))

    def highlight(self, value: str) -> None:
        """Put the cursor on ``value``, in view (once laid out, if it is not yet)."""
        if value in self._labels:
            self.highlighted = self.get_option_index(value)
            self.call_after_refresh(self.scroll_to_highlight)

    def on_resize(self) -> None:
        """The cursor kept in view when the list is given another height (the keys line
        below it drawn once the view's answer is there)."""
        self.scroll_to_highlight()

    def _prompt(self, value: str) -> RenderableType:
        # A grid, so that a label that wraps stays clear of the tick column.
        grid = Table.grid(padding=(0, 1, 0, 0))
        grid.add_column(width=1, no_wrap=True)
        grid.add_column(ratio=1)
        grid.add_row(TICK if value in self.ticked else Text(" "), self._labels[value])
        return grid

    def _highlighted_value(self) -> str | None:
        option = self.highlighted_option
        if option is None or option.disabled or option.id is None or option.id not in self._labels:
            return None
        return option.id

    def action_toggle(self) -> None:
        value = self._highlighted_value()
        if value is not None:
            ticked = value not in self.ticked
            self.set_ticked(self.ticked ^ {value})
            self.post_message(self.Toggled(self, value, ticked))

    def action_only(self) -> None:
        value = self._highlighted_value()
        if value is not None:
            self.post_message(self.Only(self, value))
