"""A yes/no question: y answers yes; n or escape answer no."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from tracker.tui.base import TrackerModalScreen


class ConfirmScreen(TrackerModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: Text):
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(self.question)
            yield Static(Text.assemble(("y", "bold"), " yes   ", ("n", "bold"), " / ", ("escape", "bold"), " no"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
