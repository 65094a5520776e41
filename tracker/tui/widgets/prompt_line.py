"""A line to type into above a view: a label, an input, and a note beside it (what was
understood, or why it was refused). Used by the timeline's filter (f); :class:`DatePrompt`,
go to a date (g), serves the timeline and the matrix.

The note is plain text, never markup: it quotes what the user typed.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

from tracker.domain.dates import FuzzyDate, parse_date
from tracker.domain.text import printable
from tracker.errors import TrackerError
from tracker.tui.base import TrackerNode


class PromptLine(TrackerNode, Horizontal):
    """Hidden until ``open``; ``enter`` posts the Input's Submitted message, which the screen handles."""

    def __init__(self, label: str, placeholder: str, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="prompt-line")
        self.label = label
        self.placeholder = placeholder
        self.display = False

    def compose(self) -> ComposeResult:
        yield Static(Text(self.label), classes="prompt-label")
        # Disabled while hidden: a screen's first focus must not land in it.
        yield Input(placeholder=self.placeholder, classes="prompt-input", disabled=True)
        yield Static("", classes="prompt-note")

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def value(self) -> str:
        return self.input.value

    def open(self, value: str | None = None) -> None:
        self.display = True
        self.input.disabled = False
        if value is not None:
            self.input.value = value
        self.input.focus()

    def close(self) -> None:
        self.display = False
        self.input.disabled = True
        self.note("")

    def note(self, text: str, *, error: bool = False) -> None:
        """Say something beside the input (one line, cut to fit)."""
        note = self.query_one(".prompt-note", Static)
        note.set_class(error, "-error")
        note.update(Text(printable(text, one_line=True), no_wrap=True, overflow="ellipsis"))


class DatePrompt(PromptLine):
    """Go to a date: what was understood shows as it is typed; ``enter`` posts :class:`Chosen`
    with the date, or says beside the input why it is not one."""

    class Chosen(Message):
        def __init__(self, when: FuzzyDate) -> None:
            super().__init__()
            self.when = when

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("go to", "a date: 2024-02-26, Feb 2024, 26 février 2024, 2023", id=id)

    def open(self, value: str | None = None) -> None:
        super().open("" if value is None else value)
        self.note(read_day(self.value, self.app.today)[1])

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        when, said = read_day(event.value, self.app.today)
        self.note(said, error=when is None and bool(event.value.strip()))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        when, said = read_day(event.value, self.app.today)
        if when is None:
            self.note(said, error=True)
            return
        self.close()
        self.post_message(self.Chosen(when))


def read_day(text: str, today) -> tuple[FuzzyDate | None, str]:
    """A typed date and its preview ("26 février 2024 → 26 Feb 2024, day"), or None and why it
    was refused. Never raises (any text at all may be typed)."""
    typed = text.strip()
    if not typed:
        return None, "type a date: 2024-02-26, Feb 2024, 26 février 2024, 2023, today"
    try:
        when = parse_date(typed, today)
    except (TrackerError, ValueError, OverflowError) as e:
        return None, str(e)
    return when, f"{typed} → {when.describe()}"
