"""Export (E): the current view to a markdown file, at a path the user confirms.

A view says what it exports with a :class:`Report`: a question's or an actor's report
(:func:`story`, the default), or the Movers view's answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from tracker.domain.text import printable
from tracker.errors import TrackerError
from tracker.formats.markdown import default_filename, write_markdown
from tracker.formats.output import check_target, write_file
from tracker.store import Store
from tracker.tui.screens.confirm import ConfirmScreen
from tracker.tui.base import TrackerModalScreen


@dataclass(frozen=True)
class Report:
    """What ``E`` writes: the file name to suggest, and the markdown (both read the store in
    the export's worker; ``today`` is the interface's date, for stance tables)."""

    filename: Callable[[Store], str]
    write: Callable[[Store, IO[str], date | None], object]


def story(actor_id: int | None, question_id: int | None) -> Report:
    """The report of a question, an actor, both, or (with neither) every question."""
    return Report(
        lambda store: default_filename(store, question_id=question_id, actor_id=actor_id),
        lambda store, out, today: write_markdown(store, out, question_id=question_id, actor_id=actor_id, as_of=today),
    )


class ExportScreen(TrackerModalScreen[Path | None]):
    """Dismissed with the written file, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, report: Report, folder: Path | None = None):
        super().__init__()
        self.report = report
        self.folder = folder or Path.cwd()

    def compose(self) -> ComposeResult:
        with Vertical(id="export"):
            yield Static("Export this view to markdown: enter writes, escape cancels", classes="view-title")
            yield Input(id="path", placeholder="file to write")
            yield Static("", id="export-message")

    def on_mount(self) -> None:
        self.suggest()

    @work(thread=True)
    def suggest(self) -> None:
        name = self.report.filename(self.app.pool.get())
        self.app.call_from_thread(self._suggested, str(self.folder / name))

    def _suggested(self, path: str) -> None:
        field = self.query_one("#path", Input)
        field.value = path
        field.cursor_position = len(path)
        field.focus()

    def _say(self, message: str) -> None:
        self.query_one("#export-message", Static).update(Text(printable(message, one_line=True), style="bold"))

    @on(Input.Submitted, "#path")
    def submitted(self, event: Input.Submitted) -> None:
        try:
            target = check_target(event.value.strip(), database=self.app.db_path)
        except TrackerError as e:
            self._say(str(e))
            return
        if target.exists():
            question = Text(f"{printable(str(target), one_line=True)} exists. Replace it?")
            self.app.push_screen(ConfirmScreen(question), lambda yes: self.export(target) if yes else None)
        else:
            self.export(target)

    @work(thread=True, exclusive=True)
    def export(self, target: Path) -> None:
        store = self.app.pool.get()
        today = self.app.today
        try:
            write_file(target, lambda out: self.report.write(store, out, today), database=self.app.db_path)
        except TrackerError as e:
            self.app.call_from_thread(self._say, str(e))
            return
        self.app.call_from_thread(self.dismiss, target)

    def action_cancel(self) -> None:
        self.dismiss(None)
