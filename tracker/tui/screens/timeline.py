"""Timeline (3): every position in date order, with change markers.

``f`` opens a filter line: words naming actors, questions or stances, and a date range
(``2023-01..2023-06``); ``enter`` applies it (read in a worker, the list then reads its pages
with the filter), ``escape`` clears it. ``g`` goes to a date: the cursor moves to the first
position on or after it.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from tracker.domain.changes import Change
from tracker.domain.dates import FuzzyDate
from tracker.errors import TrackerError
from tracker.tui.base import Context
from tracker.tui.row_sources import Filter, PositionsSource, read_filter
from tracker.tui.screens.list_screen import ListScreen
from tracker.tui.widgets.lazy_list import LazyList
from tracker.tui.widgets.position_list import PositionList
from tracker.tui.widgets.prompt_line import DatePrompt, PromptLine


class TimelineScreen(ListScreen):
    TITLE = "Timeline"
    HEADING = "Timeline · enter open · d diff with previous · space mark · f filter · g go to a date"
    BINDINGS = [
        Binding("f", "filter", "Filter"),
        Binding("g", "go_to_date", "Go to date"),
        Binding("escape", "escape", "Clear filter", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter: Filter | None = None  # the filter applied
        self._asked = 0  # the filter line's last enter: an older answer is dropped

    def compose_prompts(self) -> ComposeResult:
        yield PromptLine("filter", "Germany tanks 2023-01..2023-06 (actors, questions, stances, dates)", id="timeline-filter")
        yield DatePrompt(id="timeline-goto")

    def make_list(self) -> PositionList:
        return PositionList(PositionsSource(), id="timeline")

    @property
    def list(self) -> PositionList:
        return self.query_one(PositionList)

    @property
    def filter_line(self) -> PromptLine:
        return self.query_one("#timeline-filter", PromptLine)

    @property
    def goto_line(self) -> DatePrompt:
        return self.query_one("#timeline-goto", DatePrompt)

    def row_context(self, row: Change) -> Context:
        return row.after.actor_id, row.after.question_id

    def export_context(self) -> Context:
        return None, None  # the whole timeline

    # ------------------------------------------------------------------ the filter

    def action_filter(self) -> None:
        self.goto_line.close()
        self.filter_line.open()

    def action_escape(self) -> None:
        """Close the go-to line, or clear the filter and hide its line."""
        if self.goto_line.display:
            self.goto_line.close()
            self.list.focus()
            return
        if self.filter_line.display or self.filter is not None:
            self._asked += 1  # an answer on its way is dropped
            self.filter_line.close()
            self.filter_line.input.value = ""
            if self.filter is not None:
                self.filter = None
                self.list.reload(PositionsSource())
            self._show_title()
            self.list.focus()

    @on(Input.Submitted, "#timeline-filter Input")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._asked += 1
        if not event.value.strip():
            self.action_escape()
            return
        self.filter_line.note("reading…")
        self._read_filter(self._asked, event.value)

    @work(thread=True, group="timeline-filter", exclusive=True)
    def _read_filter(self, asked: int, text: str) -> None:
        try:
            found = read_filter(self.app.pool.get(), text, self.app.today)
        except TrackerError as e:
            self.app.call_from_thread(self._refused, asked, str(e))
            return
        self.app.call_from_thread(self._apply, asked, found)

    def _refused(self, asked: int, why: str) -> None:
        if asked == self._asked:
            self.filter_line.note(why, error=True)  # the list stays as it was

    def _apply(self, asked: int, found: Filter) -> None:
        if asked != self._asked:
            return
        self.filter = found
        self.filter_line.note("")
        self.list.reload(PositionsSource(narrowing=found.narrowing))
        self._show_title()
        self.list.focus()

    @on(LazyList.Counted, "#timeline")
    def _counted(self, event: LazyList.Counted) -> None:
        self._show_title()

    def _show_title(self) -> None:
        title = self.query_one("#list-title", Static)
        if self.filter is None:
            title.update(self.HEADING)
            return
        count = self.list.count
        counted = "…" if count is None else f"{count} position{'' if count == 1 else 's'}"
        title.update(Text(" · ".join(["Timeline", "filter: " + " · ".join(self.filter.terms), counted, "escape clears"])))

    # ------------------------------------------------------------------ go to a date

    def action_go_to_date(self) -> None:
        if self.filter is None:  # the filter line shows while a filter applies
            self.filter_line.close()
        self.goto_line.open()

    @on(DatePrompt.Chosen)
    def _go_to(self, event: DatePrompt.Chosen) -> None:
        self.list.focus()
        self._find(self.list.source, event.when)

    @work(thread=True, group="timeline-goto", exclusive=True)
    def _find(self, source: PositionsSource, when: FuzzyDate) -> None:
        store = self.app.pool.get()
        index, count = source.index_of(store, when.start), source.count(store)
        self.app.call_from_thread(self._found, source, when, index, count)

    def _found(self, source: PositionsSource, when: FuzzyDate, index: int, count: int) -> None:
        if source is not self.list.source:
            return  # filtered or cleared since
        if not count:
            self.notify("No positions to go to.", markup=False)
            return
        if index >= count:
            self.notify(f"No position on or after {when.display}: the cursor is on the last one.", markup=False)
        self.list.cursor = min(index, count - 1)
