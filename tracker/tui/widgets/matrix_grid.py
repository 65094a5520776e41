"""The matrix's grid: questions (rows) by actors (columns), a stance in each cell.

Drawn a line at a time (Textual's line API) at a fixed size: no table is laid
out. The screen hands it the questions, actors and cells of the window it
loaded; the grid repaints only the lines whose content changed (a step of the
date, usually a few cells) and keeps the strips it built, so stepping back and
forth through time mostly reuses them. Names, titles and labels go on screen as
plain segments, never read as markup. An actor's name takes two lines above its
column ("Emmanuel" over "Macron"), so that names are read whole rather than cut.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from tracker.domain.models import Actor, Level, Question
from tracker.domain.text import printable
from tracker.render import level_style
from tracker.tui.row_sources import cell

COLUMN = 14  # cells an actor's column takes, a space either side of its label
TITLE_WIDTH = 32
LABEL = COLUMN - 2
LOADING = "loading…"
EMPTY = "Nothing to show yet: add actors, questions and positions."

BOLD = Style(bold=True)
REVERSE = Style(reverse=True)
DIM = Style(dim=True)
CURSOR = BOLD + REVERSE
PAD = Segment(" ")
HEADER_LINES = 2  # an actor's name on two lines


def two_lines(name: str, width: int) -> tuple[str, str]:
    """A name on two lines of ``width`` cells, broken between words where it can be: the
    second line holds what does not fit on the first (cut, with an ellipsis, when even that
    is too long); a name that fits on one line is on the second, over its column."""
    value = printable(name, one_line=True)
    if cell_len(value) <= width:
        return "", value
    words = value.split(" ")
    first = words[0]
    if cell_len(first) > width:  # one long word: broken where the line ends
        first = set_cell_size(value, width)
        return first, value[len(first) :].lstrip()
    taken = 1
    while taken < len(words) and cell_len(first + " " + words[taken]) <= width:
        first += " " + words[taken]
        taken += 1
    return first, " ".join(words[taken:])


class MatrixGrid(Widget):
    DEFAULT_CSS = "MatrixGrid { height: 1fr; }"

    class Resized(Message):
        """The grid's size changed: another window of questions and actors fits."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.questions: Sequence[Question] = ()
        self.actors: Sequence[Actor] = ()
        self.cells: Mapping[tuple[int, int], Level] = {}
        self.cursor: tuple[int, int] | None = None  # (row, column) in the window, None when outside it
        self.message: str | None = LOADING
        self._lines: list[tuple] = [("message", LOADING)]
        self._strips: LRUCache[tuple, Strip] = LRUCache(1024)

    @property
    def window(self) -> tuple[int, int]:
        """How many questions and how many actors fit (at least one of each)."""
        return max(1, self.size.height - HEADER_LINES), max(1, (self.size.width - TITLE_WIDTH - 2) // COLUMN)

    def on_resize(self) -> None:
        self.post_message(self.Resized())

    def show(
        self,
        questions: Sequence[Question],
        actors: Sequence[Actor],
        cells: Mapping[tuple[int, int], Level],
        cursor: tuple[int, int] | None,
    ) -> None:
        """Show a window of the matrix (the previous one stays on screen until then)."""
        self.questions, self.actors, self.cells, self.cursor = questions, actors, cells, cursor
        self.message = None if questions and actors else EMPTY
        self._repaint_changed()

    def say(self, message: str) -> None:
        """Show one line instead of the matrix (what could not be loaded, and why)."""
        self.message = message
        self._repaint_changed()

    def prepare(self, questions: Sequence[Question], actors: Sequence[Actor], cells: Mapping[tuple[int, int], Level]) -> None:
        """Draw ahead the lines of a window the screen may show next (a date either side of
        the one on screen, loaded ahead), with the cursor where it is: a step of the date then
        finds them drawn, and its paint is left with Textual's own part. Lines already drawn
        are kept as they are."""
        if not (questions and actors) or not self.size:
            return
        width, base = self.size.width, self.rich_style
        for line in self._describe_window(questions, actors, cells, self.cursor):
            self._drawn(line, width, base)

    def move_cursor(self, cursor: tuple[int, int] | None) -> None:
        """Move the cursor inside the window: only the lines it leaves and reaches are repainted."""
        self.cursor = cursor
        self._repaint_changed()

    # ------------------------------------------------------------------ drawing

    def _repaint_changed(self) -> None:
        before, self._lines = self._lines, self._describe()
        width = self.size.width
        changed = [
            Region(0, y, width, 1)
            for y in range(max(len(before), len(self._lines)))
            if y >= len(before) or y >= len(self._lines) or before[y] != self._lines[y]
        ]
        if changed:
            self.refresh(*changed)

    def _describe(self) -> list[tuple]:
        """What each line on screen shows, as a value: equal values draw the same line."""
        if self.message is not None:
            return [("message", self.message)]
        return self._describe_window(self.questions, self.actors, self.cells, self.cursor)

    @staticmethod
    def _describe_window(
        questions: Sequence[Question],
        actors: Sequence[Actor],
        cells: Mapping[tuple[int, int], Level],
        cursor: tuple[int, int] | None,
    ) -> list[tuple]:
        row, column = cursor if cursor is not None else (-1, -1)
        names = [two_lines(a.name, LABEL) for a in actors]
        lines: list[tuple] = [
            ("header", tuple(name[line] for name in names), column, line == HEADER_LINES - 1) for line in range(HEADER_LINES)
        ]
        for y, q in enumerate(questions):
            levels = tuple(cells.get((q.id, a.id)) for a in actors)
            lines.append(("row", q.title, levels, column if y == row else None))
        return lines

    def render_line(self, y: int) -> Strip:
        width, base = self.size.width, self.rich_style
        if y >= len(self._lines):
            return Strip.blank(width, base)
        return self._drawn(self._lines[y], width, base)

    def _drawn(self, line: tuple, width: int, base: Style) -> Strip:
        """The strip of ``line``: drawn before, or drawn now and kept."""
        key = (line, width, base)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._strips[key] = self._strip(line, width, base)
        return strip

    def _strip(self, line: tuple, width: int, base: Style) -> Strip:
        return Strip(self._segments(line)).adjust_cell_length(width).apply_style(base)

    @staticmethod
    def _segments(line: tuple) -> list[Segment]:
        kind, *content = line
        if kind == "message":
            return [PAD, Segment(content[0], DIM)]
        if kind == "header":
            names, column, last = content
            segments = [PAD, Segment(cell("question" if last else "", TITLE_WIDTH), BOLD), PAD]
            for j, name in enumerate(names):
                segments += [PAD, Segment(cell(name, LABEL), CURSOR if j == column else BOLD), PAD]
            return segments
        title, levels, column = content
        segments = [PAD, Segment(cell(title, TITLE_WIDTH), CURSOR if column is not None else None), PAD]
        for j, level in enumerate(levels):
            if level is None:
                text, style = cell("·", LABEL), DIM
            else:
                text, style = cell(level.label, LABEL), level_style(level, bold=False)
            segments += [PAD, Segment(text, style + REVERSE if j == column else style), PAD]
        return segments
