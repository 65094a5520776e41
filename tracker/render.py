"""Rich renderables shared by the command line and the interface.

User text always goes in as ``Text`` made from ``printable()``, never as a
markup string, so "[bold]" in a quote is shown as typed and an escape sequence
is shown as ␛ instead of reaching the terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len, set_cell_size
from rich.color import Color, ColorParseError
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style, StyleType
from rich.table import Table
from rich.text import Text

from tracker.domain.text import printable

if TYPE_CHECKING:  # the interface's first screen imports this module: only what it runs
    from rich.box import Box

    from tracker.domain.changes import Change
    from tracker.domain.history import HistoryEntry, HistoryLabels
    from tracker.domain.models import Level, Position, Scale, Source
    from tracker.domain.movers import MoversReport, QuestionMovers
    from tracker.domain.swimlane import Axis, Lane
    from tracker.store.search import SearchHit

CLASS_STYLES = {"reversal": "bold red", "shift": "yellow", "unchanged": "dim", "first": "dim"}


def plain(text: str | None, *, one_line: bool = True, limit: int | None = None) -> Text:
    value = printable(text or "", one_line=one_line)
    if limit and cell_len(value) > limit:
        value = set_cell_size(value, limit - 1) + "…"
    return Text(value)


# The background the text is drawn on, when known: the interface sets its theme's,
# so that level colours chosen for a dark screen stay readable on a light one (and
# the reverse). The command line leaves it unset and prints the colours as given.
_background: tuple[int, int, int] | None = None
MIN_CONTRAST = 4.0  # WCAG contrast ratio a level colour is brought up to


def set_background(colour: str | None) -> None:
    global _background
    _background = Color.parse(colour).get_truecolor()[:3] if colour else None


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable(rgb: tuple[int, int, int], background: tuple[int, int, int]) -> tuple[int, int, int]:
    """``rgb``, mixed towards black on a light background (white on a dark one) just
    enough to reach MIN_CONTRAST; the hue stays recognisable."""
    towards = (0, 0, 0) if _luminance(background) > 0.18 else (255, 255, 255)
    for step in range(21):
        t = step / 20
        mixed = tuple(round(c + (o - c) * t) for c, o in zip(rgb, towards))
        if contrast(mixed, background) >= MIN_CONTRAST:
            return mixed  # type: ignore[return-value]
    return towards


def colour_style(colour: str) -> Style:
    """A level's colour as a style. The colour is data (a scale in an imported file can
    say anything), so only a colour is taken: "link …", "blink" or "[bold]" give no style."""
    return _colour_style(colour, _background)


@lru_cache(maxsize=512)
def _colour_style(colour: str, background: tuple[int, int, int] | None) -> Style:
    try:
        color = Color.parse(colour.strip()) if colour.strip() else None
    except ColorParseError:
        color = None
    if color is None:
        return Style()
    if background is not None:
        color = Color.from_rgb(*readable(color.get_truecolor()[:3], background))
    return Style(color=color)


def level_style(level: Level, *, bold: bool = True) -> Style:
    return colour_style(level.colour) + Style(bold=True) if bold else colour_style(level.colour)


def level_text(level: Level) -> Text:
    return Text(*_level_piece(level))


def _level_piece(level: Level) -> tuple[str, Style]:
    return _line(level.label), level_style(level)


@lru_cache(maxsize=4096)
def _line(text: str) -> str:
    """``printable(text, one_line=True)``, kept for names shown again and again (an actor on
    each of a tag's questions)."""
    return printable(text, one_line=True)


def marker_text(change: Change) -> Text:
    # Styles go on spans, never on the Text itself: a Text's own style spans everything appended to it.
    text = Text.assemble((change.marker, CLASS_STYLES.get(change.change_class, "")))
    if change.elapsed:
        # The space on its own: a styled run that starts with a space loses it in an SVG
        # screenshot (Textual writes it as a no-break space, which rsvg drops at the start
        # of a run), and "= unchanged" would read "unchangedafter".
        text.append(" ")
        text.append(f"after {change.elapsed}", style="dim")
    return text


def source_text(source: Source | None) -> Text:
    if source is None:
        return Text("no source", style="dim italic")
    parts = [p for p in (source.outlet, source.title) if p]
    text = plain(", ".join(parts) or source.url or "")
    # Each space in a run of its own: an SVG screenshot drops a space that opens a styled run.
    if source.published:
        text.append(" ").append(f"({source.published.display})", style="dim")
    if source.url and parts:
        text.append(" ").append(printable(source.url, one_line=True), style="dim underline")
    return text


def statement(position: Position, *, limit: int | None = 160) -> Text:
    """The quote if there is one (with its language), else the paraphrase in italics."""
    if position.quote:
        text = plain(f"“{position.quote}”", limit=limit)
        if position.quote_lang:
            text.append(f" ({position.quote_lang})", style="dim")
        return text
    text = plain(position.paraphrase, limit=limit)
    text.stylize("italic")
    return text


def timeline_table(changes: list[Change], *, show_question: bool, show_actor: bool) -> Table:
    table = Table(show_lines=False, expand=False, header_style="bold")
    table.add_column("id", justify="right", style="dim")
    table.add_column("date", no_wrap=True)
    if show_actor:
        table.add_column("actor")
    if show_question:
        table.add_column("question")
    table.add_column("stance", no_wrap=True)
    table.add_column("change")
    table.add_column("statement", ratio=1)
    for change in changes:
        p = change.after
        row = [str(p.id), p.date.display]
        if show_actor:
            row.append(plain(p.actor_name))
        if show_question:
            row.append(plain(p.question_title))
        table.add_row(*row, level_text(p.level), marker_text(change), statement(p))
    return table


def positions_table(positions: list[Position]) -> Table:
    table = Table(header_style="bold")
    for name in ("id", "date", "actor", "question", "stance", "confidence", "statement"):
        table.add_column(name, justify="right" if name == "id" else "left")
    for p in positions:
        table.add_row(
            str(p.id), p.date.display, plain(p.actor_name), plain(p.question_title), level_text(p.level),
            plain(p.confidence), statement(p, limit=80),
        )  # fmt: skip
    return table


def diff_view(change: Change, *, marks: bool = False) -> Group:
    """Two positions side by side. With ``marks`` (output without colour), removed words
    read [-like this-] and added ones {+like this+}, as in ``git diff --word-diff``. Without
    marks, a removed word and the word added in its place are kept a space apart (struck out
    then underlined, they would read as one word once the style is lost)."""
    from tracker.domain.quote_diff import shown_apart

    before, after = change.before, change.after
    assert before is not None
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    head.add_column()
    head.add_row("", Text(f"#{before.id}", style="dim"), Text(f"#{after.id}", style="dim"))
    head.add_row("actor", plain(before.actor_name), plain(after.actor_name))
    head.add_row("question", plain(before.question_title), plain(after.question_title))
    head.add_row("date", before.date.display, after.date.display)
    head.add_row("stance", level_text(before.level), level_text(after.level))
    head.add_row("source", source_text(before.source), source_text(after.source))
    summary = Text.assemble(("change: ", "bold"))
    summary.append_text(marker_text(change))
    words = Text()
    chunks = change.quote_diff if marks else shown_apart(change.quote_diff)  # marks: [-a-]{+b+}, as git does
    for op, chunk in chunks:
        chunk = printable(chunk)
        if op in ("equal", "gap"):  # a gap: the space that keeps a removed word and its replacement apart
            words.append(chunk)
        elif op == "delete":
            words.append(f"[-{chunk}-]" if marks else chunk, style="red strike")
        else:
            words.append(f"{{+{chunk}+}}" if marks else chunk, style="green underline")
    parts = [head, Text(), summary]
    if before.quote or after.quote:
        legend = "removed [-…-], added {+…+}" if marks else "removed struck out, added underlined"
        parts += [Text(), Text(f"quote, word by word ({legend}):", style="bold"), words]
    if before.paraphrase or after.paraphrase:
        parts.append(Text())
    for label, p in (("before", before), ("after", after)):
        if p.paraphrase:
            parts += [Text.assemble((f"paraphrase {label}: ", "bold"), plain(p.paraphrase, one_line=False))]
    return Group(*parts)


def _table(compact: bool, gap: int = 1) -> Table:
    """The movers' and the stances' tables: a header over a rule, or (``compact``, on a short
    screen) a header alone, one line less."""
    if compact:
        return Table(box=None, padding=(0, gap + 1, 0, 0), pad_edge=False, show_edge=False, header_style="bold underline")
    return Table(box=box.SIMPLE_HEAD, padding=(0, gap, 0, 0), pad_edge=False, show_edge=False, header_style="bold")


class Drawn:
    """A renderable drawn beforehand for the widths it is likely to be given. The interface
    draws it in a worker, so that its layout and painting, on the main thread, copy lines
    (measuring and drawing a table of forty rows takes a tenth of a second there, several
    times over while the layout settles). A width not drawn beforehand is drawn when asked;
    with ``missed``, it is asked of that (a worker, which draws it) and meanwhile the lines
    drawn for the nearest width stand in (cropped by the interface)."""

    def __init__(
        self,
        renderable: RenderableType,
        console: Console,
        options: ConsoleOptions,
        widths: Iterable[int],
        *,
        missed: Callable[[Drawn, ConsoleOptions], None] | None = None,
    ):
        self.renderable = renderable
        self._wide = options.update(max_width=10_000)
        self._measurement = Measurement.get(console, self._wide, renderable)
        self._drawn: dict[tuple, list[Segment]] = {}
        self._missed = missed
        self._asked: set[tuple] = set()
        for width in widths:
            self.draw(console, options.update_width(width))

    @staticmethod
    def _key(options: ConsoleOptions) -> tuple:
        return options.max_width, options.justify, options.overflow, options.no_wrap, options.highlight, options.markup

    def draw(self, console: Console, options: ConsoleOptions) -> list[Segment]:
        key = self._key(options)
        drawn = self._drawn.get(key)
        if drawn is None:
            drawn = self._drawn[key] = list(console.render(self.renderable, options))
        return drawn

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        key = self._key(options)
        drawn = self._drawn.get(key)
        if drawn is None and self._missed is not None and self._drawn:
            if key not in self._asked:
                self._asked.add(key)
                self._missed(self, options)
            drawn = min(self._drawn.items(), key=lambda item: abs(item[0][0] - options.max_width))[1]
        yield from drawn if drawn is not None else self.draw(console, options)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        if options.max_width >= self._wide.max_width:
            return self._measurement
        return Measurement.get(console, options, self.renderable)


def _cells(text: str) -> int:
    """``cell_len``, at once for printable ASCII."""
    return len(text) if text.isascii() and text.isprintable() else cell_len(text)


@lru_cache(maxsize=4096)
def _wrap(text: str, width: int, *, fold: bool = True) -> tuple[str, ...]:
    """One line of plain text as ``Text.wrap`` breaks it (``divide_line``, then ``rstrip_end``
    and crop), not padded. Kept: a tag's movers wrap the same names on each question."""
    from rich._wrap import divide_line

    offsets = divide_line(text, width, fold=fold)
    lines = []
    for start, end in zip([0, *offsets], [*offsets, len(text)]):
        line = text[start:end]
        if len(line) > width:  # Text.rstrip_end
            line = line[: len(line) - min(len(line) - len(line.rstrip()), len(line) - width)]
        lines.append(set_cell_size(line, width) if cell_len(line) > width else line)
    return tuple(lines)


class QuickText:
    """A paragraph of pieces of text (printable already) with their styles, on a ``style`` of
    its own (as ``Text.assemble``). With colour it is that ``Text``; printed without, it is
    wrapped here as Rich wraps it (a Text of ten thousand pieces renders a segment each)."""

    def __init__(self, pieces: list[tuple[str, StyleType]], style: StyleType = ""):
        self.pieces = pieces
        self.style = style

    def text(self) -> Text:
        return Text.assemble(*self.pieces, style=self.style)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        text = "".join(text for text, _ in self.pieces)
        if console.color_system is not None or options.justify not in (None, "default", "left") or options.no_wrap or "\n" in text:
            yield self.text()
            return
        newline = Segment.line()
        for line in _wrap(text, options.max_width, fold=options.overflow in (None, "fold")):
            yield Segment(line)
            yield newline

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.text())


Cell = tuple[str, StyleType]  # a table cell's text (printable already) and its style


class QuickTable:
    """A table of one-line cells, laid out here in one pass: the same lines as Rich's ``Table``
    (the same segments, with colour) for the tables made here. Rich measures and draws each
    cell through several layers: some twenty seconds for the forty thousand rows of a tag's
    movers, a tenth of a second for the forty of a question's. A table of another shape, or
    with colour one whose cells wrap, is Rich's own (``table``)."""

    def __init__(self, columns: Table, rows: list[tuple[Cell, ...]]):
        self.columns = columns  # the header and the columns' settings; its rows are added when drawn by Rich
        self.rows = rows
        self._texts: list[list[str]] | None = None
        self._lengths: list[list[int]] | None = None

    def table(self) -> Table:
        if self.rows and not self.columns.row_count:
            for row in self.rows:
                self.columns.add_row(*(Text(text, style=style) for text, style in row))
        return self.columns

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        max_width = options.max_width - self.columns._extra_width
        layout = self._layout(console, max_width)
        lines = None
        if layout is not None:
            lines = self._plain(console, layout) if console.color_system is None else self._styled(console, layout, max_width)
        if lines is None:
            yield self.table()
            return
        newline = Segment.line()
        for line in lines:
            if isinstance(line, str):
                yield Segment(line)
            else:
                yield from line
            yield newline

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        max_width = options.max_width - self.columns._extra_width
        layout = self._layout(console, max_width)
        if layout is None or sum(layout[0]) > max_width:  # squeezed: as Rich measures it
            return Measurement.get(console, options, self.table())
        widths, pads = layout[0], layout[1]
        assert self._texts is not None and self._lengths is not None
        # Table.__rich_measure__: the columns measured with the table's width as room; a
        # Text's least width is its longest word's (whether its column wraps or not).
        room = sum(widths)
        floors = [0 if c.min_width is None else c.min_width + sum(p) for c, p in zip(self.columns.columns, pads)]
        words = [max((cell_len(w) for row in self._texts for w in row[i].split()), default=0) for i in range(len(widths))]
        widest = [max(column) for column in zip(*self._lengths)]
        least = [max(min(n + sum(p), room), f) for n, p, f in zip(words, pads, floors)]
        most = [max(min(n + sum(p), room), f) for n, p, f in zip(widest, pads, floors)]
        extra = self.columns._extra_width
        return Measurement(sum(least) + extra, sum(most) + extra).with_maximum(options.max_width)

    def _layout(self, console: Console, max_width: int) -> tuple[list[int], list[tuple[int, int]], list[int]] | None:
        """The columns' widths (with their padding), their padding (left, right) and the room
        for text in each, as ``Table._calculate_column_widths`` makes them; None for a table of
        a shape not laid out here (a header, no footer or title, left-justified cells, no fixed
        widths, not expanded, no box or one without edges). Where Rich would squeeze the columns
        that stay whole (they alone do not fit the page) and crop their cells, they stay whole
        and the lines run wider than the page."""
        table, columns = self.columns, self.columns.columns
        if (
            not columns or not table.show_header or table.show_footer or table.title or table.caption or table.expand
            or table.width is not None or table.min_width is not None or table.show_lines or table.leading
            or (table.box and table.show_edge) or table.collapse_padding or table.padding[0] or table.padding[2]
            or any(c.width is not None or c.max_width is not None or c.ratio or c.justify != "left" for c in columns)
            or any(c.vertical != "top" for c in columns)
        ):  # fmt: skip
            return None
        if self._texts is None:
            headers = [console.render_str(c.header).plain if isinstance(c.header, str) else c.header.plain for c in columns]
            self._texts = [headers, *([text for text, _ in row] for row in self.rows)]
            self._lengths = [[_cells(t) for t in row] for row in self._texts]
        if any("\n" in t for row in self._texts for t in row):
            return None
        assert self._lengths is not None
        _top, right, _bottom, left = table.padding
        last = len(columns) - 1
        pads = [
            (0 if i == 0 and not table.pad_edge else left, 0 if i == last and not table.pad_edge else right)
            for i in range(len(columns))
        ]  # fmt: skip
        widest = [max(column) for column in zip(*self._lengths)]

        def measured(i: int, room: int) -> int:
            """Rich's ``_measure_column(...).maximum``, the column's room being ``room``."""
            pad = sum(pads[i])
            floor = columns[i].min_width
            return min(widest[i] + pad, room) if floor is None else max(min(widest[i] + pad, room), floor + pad)

        widths = [measured(i, max_width) or 1 for i in range(len(columns))]
        if sum(widths) > max_width:
            widths = Table._collapse_widths(widths, [not c.no_wrap for c in columns], max_width)
            widths = [measured(i, max(w, 1)) for i, w in enumerate(widths)]
        rooms = [w - pad_left - pad_right for w, (pad_left, pad_right) in zip(widths, pads)]
        if any(n > room for n, room in zip(self._lengths[0], rooms)):
            return None  # a header that wraps sits at the foot of its row
        return widths, pads, rooms

    def _box(self, console: Console) -> Box | None:
        from rich._pick import pick_bool

        table = self.columns
        return table.box.substitute(console.options, safe=pick_bool(table.safe_box, console.safe_box)) if table.box else None

    def _plain(self, console: Console, layout: tuple[list[int], list[tuple[int, int]], list[int]]) -> list[str] | None:
        """The lines, without styles; a cell too long for its column is wrapped as ``Text.wrap``
        wraps it."""
        widths, pads, rooms = layout
        columns = self.columns.columns
        assert self._texts is not None and self._lengths is not None
        box = self._box(console)
        out: list[str] = []
        last_row = len(self._texts) - 1
        lefts = [" " * pad_left for pad_left, _ in pads]
        for number, (row, row_lengths) in enumerate(zip(self._texts, self._lengths)):
            divider = ""
            if box:
                divider = box.head_vertical if number == 0 else box.foot_vertical if number == last_row else box.mid_vertical
            if all(n <= room for n, room in zip(row_lengths, rooms)):  # each cell on one line: most rows
                cells = zip(lefts, row, row_lengths, widths)
                out.append(divider.join(left + text + " " * (width - len(left) - n) for left, text, n, width in cells))
                if number == 0 and box:
                    out.append(box.get_row(widths, "head", edge=False))
                continue
            parts: list[list[str]] = []
            for text, n, room, (pad_left, pad_right), column in zip(row, row_lengths, rooms, pads, columns):
                if n <= room:
                    lines = [text + " " * (room - n)]
                elif column.no_wrap or column.overflow not in ("fold", "crop"):
                    return None  # cropped or cut short by Rich in ways not copied here
                else:
                    lines = [set_cell_size(line, room) for line in _wrap(text, room, fold=column.overflow == "fold")]
                parts.append([" " * pad_left + line + " " * pad_right for line in lines] if pad_left or pad_right else lines)
            for k in range(max(map(len, parts))):
                out.append(divider.join(p[k] if k < len(p) else " " * w for p, w in zip(parts, widths)))
        return out

    def _styled(
        self, console: Console, layout: tuple[list[int], list[tuple[int, int]], list[int]], max_width: int
    ) -> list[list[Segment]] | None:
        """The lines as segments, styled as ``Table._render`` styles them; None if a cell wraps
        or the lines would run wider than ``max_width``."""
        widths, pads, rooms = layout
        table, columns = self.columns, self.columns.columns
        assert self._lengths is not None and self._texts is not None
        if sum(widths) > max_width or any(n > room for row in self._lengths for n, room in zip(row, rooms)):
            return None
        get_style = console.get_style
        border = get_style(table.style or "") + get_style(table.border_style or "")
        box = self._box(console)
        headers = [get_style(table.header_style or "") + get_style(c.header_style) for c in columns]
        column_styles = [get_style(c.style or "") for c in columns]
        null = Style.null()
        styles: dict[StyleType, Style | None] = {"": None}
        out: list[list[Segment]] = []
        last_row = len(self._texts) - 1
        for number, (row, row_lengths) in enumerate(zip(self._texts, self._lengths)):
            row_style = null  # Table.get_row_style: the rows made here have no style of their own
            if number and table.row_styles:
                row_style = null + get_style(table.row_styles[(number - 1) % len(table.row_styles)])
            line: list[Segment] = []
            for i, (text, n, room, (pad_left, pad_right)) in enumerate(zip(row, row_lengths, rooms, pads)):
                text_style = None  # a header's text has no style of its own
                if number:
                    style = self.rows[number - 1][i][1]
                    if style not in styles:
                        styles[style] = get_style(style, default=null) if style else None
                    text_style = styles[style]
                base = (headers[i] if number == 0 else column_styles[i]) + row_style  # Table._render's, per cell
                pad_style = base if base else null
                if i and box:
                    divider = box.head_vertical if number == 0 else box.foot_vertical if number == last_row else box.mid_vertical
                    line.append(Segment(divider, border if divider.strip() else row_style.background_style + border))
                if pad_left:
                    line.append(Segment(" " * pad_left, pad_style))
                line.append(Segment(text + " " * (room - n), base + text_style if base else text_style))
                if pad_right:
                    line.append(Segment(" " * pad_right, pad_style))
            out.append(line)
            if number == 0 and box:
                out.append([Segment(box.get_row(widths, "head", edge=False), border)])
        return out


MOVERS_COLUMNS = ("actor", "refused", "reached", "by", "refusal → reach", "lag")


def movers_table(q: QuestionMovers, *, title: bool = True, limit: int | None = None, compact: bool = False) -> Group:
    """One question's movers: each actor that reached the level (first movers first), when
    it last refused before, how, how long that took and its lag; then a line naming the
    others with their latest stance. ``limit`` keeps that many of each and counts the rest."""
    parts: list = []
    if title:
        parts.append(Text.assemble(
            (printable(q.question.title, one_line=True), "bold"), f": who reached “{printable(q.level.label, one_line=True)}”"
        ))  # fmt: skip
    if not q.reached and not q.not_reached:
        return Group(*parts, Text("no positions on this question yet", style="dim"))
    reached = q.reached if limit is None else q.reached[:limit]
    if reached:
        table = _table(compact)
        for name in MOVERS_COLUMNS:  # dates and durations stay whole; a long name wraps
            table.add_column(name, no_wrap=name != "actor", overflow="fold", min_width=10 if name == "actor" else None)
        parts.append(QuickTable(table, [
            (
                (_line(r.actor_name), ""),
                (r.refusal.date.display, "") if r.refusal else ("—", "dim"),
                (r.date.display, ""),
                (r.by, "" if r.by == "move" else "dim"),
                (str(r.refusal_to_reach), "") if r.refusal_to_reach else ("—", "dim"),
                ("first", "bold green") if r.is_first else (str(r.lag), ""),
            )
            for r in reached
        ]))  # fmt: skip
        if len(q.reached) > len(reached):
            parts.append(Text(f"… and {len(q.reached) - len(reached)} more reached it", style="dim"))
    if q.not_reached:
        pieces: list[tuple[str, StyleType]] = [("not yet: " if q.reached else "no actor has reached it; ", "")]
        others = q.not_reached if limit is None else q.not_reached[:limit]
        for i, n in enumerate(others):
            pieces += [(", ", "")] if i else []
            pieces += [(_line(n.actor_name), ""), (" (", ""), _level_piece(n.latest), (f" since {n.since.display})", "")]
        if len(q.not_reached) > len(others):
            pieces.append((f" and {len(q.not_reached) - len(others)} more", ""))
        parts.append(QuickText(pieces, style="dim"))
    return Group(*parts)


def movers_view(report: MoversReport) -> Group:
    """The summary sentence, then a table per question."""
    parts: list = [Text(printable(report.sentence, one_line=True), style="bold")]
    if report.roll_up:
        parts.append(Text("Positions of persons and other members count for their top-level parent (roll-up).", style="dim"))
    for q in report.questions:
        parts += [Text(), movers_table(q)]
    return Group(*parts)


def search_table(hits: list[SearchHit]) -> Table:
    table = Table(header_style="bold")
    for name in ("kind", "id", "date", "what", "match"):
        table.add_column(name)
    for hit in hits:
        table.add_row(
            hit.kind, str(hit.id), hit.position.date.display if hit.position else "", plain(hit.title, limit=60),
            highlighted(hit.snippet),
        )  # fmt: skip
    return table


def highlighted(snippet: str) -> Text:
    """A search snippet whose matches sit between \\x02 and \\x03, as bold text."""
    text = Text()
    for i, part in enumerate(snippet.replace("\x03", "\x02").split("\x02")):
        text.append(printable(part, one_line=True), style="bold reverse" if i % 2 else "")
    return text


def position_detail(p: Position, revisions: Sequence[HistoryEntry | dict], labels: HistoryLabels | None = None) -> Group:
    """Every field of a position, its source, and its revision history in words.

    ``revisions`` are best worded beforehand (``history.describe_all``, in a worker:
    a long quote's word diff is work); rows of the revision log are worded here."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row("actor", plain(p.actor_name) + Text(f"  ({printable(p.actor_slug)})", style="dim"))
    grid.add_row("question", plain(p.question_title) + Text(f"  ({printable(p.question_slug)})", style="dim"))
    grid.add_row("stance", Text.assemble(level_text(p.level), (f"  rank {p.level.rank}", "dim")))
    grid.add_row("date", Text(p.date.describe()))
    grid.add_row("quote", plain(p.quote, one_line=False) if p.quote else Text("none", style="dim"))
    grid.add_row("quote language", plain(p.quote_lang) if p.quote_lang else Text("—", style="dim"))
    grid.add_row("paraphrase", plain(p.paraphrase, one_line=False))
    grid.add_row("context", plain(p.context, one_line=False))
    grid.add_row("confidence", plain(p.confidence))
    grid.add_row("notes", plain(p.notes, one_line=False))
    grid.add_row("tags", plain(", ".join(p.tags)))
    grid.add_row("id / uid", Text(f"{p.id} / {p.uid}", style="dim"))
    src = Table.grid(padding=(0, 2))
    src.add_column(style="bold", no_wrap=True)
    src.add_column(ratio=1)
    if p.source is None:
        src.add_row("source", Text("none recorded", style="dim italic"))
    else:
        s = p.source
        src.add_row("title", plain(s.title))
        src.add_row("outlet", plain(s.outlet))
        src.add_row("published", Text(s.published.display) if s.published else Text(""))
        src.add_row("language", plain(s.language))
        src.add_row("url", plain(s.url or "—"))
    parts = [grid, Text(), Text("Source", style="bold underline"), src, Text(), Text("History", style="bold underline")]
    parts.append(history_table(_worded(revisions, labels)) if revisions else Text("no edits recorded", style="dim"))
    return Group(*parts)


def _worded(revisions: Sequence[HistoryEntry | dict], labels: HistoryLabels | None) -> list[HistoryEntry]:
    from tracker.domain import history

    rows = [r for r in revisions if isinstance(r, dict)]
    worded = {id(r): e for r, e in zip(rows, history.describe_all(rows, labels))} if rows else {}
    return [worded[id(r)] if isinstance(r, dict) else r for r in revisions]


HISTORY_LINE = 64  # a change longer than this shows its new value on a line of its own
ARROW = "→"


def history_table(entries: Sequence[HistoryEntry]) -> Table:
    """A revision a row: when (local time), what made it, what happened and each field's
    old and new value on a line of its own."""
    table = Table(header_style="bold", expand=False, box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("when", no_wrap=True)
    table.add_column("by", no_wrap=True)
    table.add_column("what")
    for e in entries:
        what = plain(e.headline, limit=120)
        if e.undo:
            what.stylize("italic")
        for line in e.changes:
            # Each run starts with a visible character (an SVG screenshot drops a run's
            # leading spaces): the field's name in bold with its space, then the change;
            # a long one on two lines, the new value under the old.
            what.append("\n  ")
            old, new = getattr(line, "old", None), getattr(line, "new", None)
            if old is not None and new is not None and cell_len(printable(line, one_line=True)) > HISTORY_LINE:
                what.append(printable(f"{line.name}: ", one_line=True), style="bold")
                what.append_text(plain(old, limit=110))
                what.append("\n    ")
                what.append(f"{ARROW} ", style="bold")
                what.append_text(plain(new, limit=110))
                continue
            name, colon, change = line.partition(": ")
            if colon:
                what.append(printable(f"{name}: ", one_line=True), style="bold")
                what.append_text(plain(change, limit=110))
            else:
                what.append_text(plain(line, limit=120))
        by = plain(e.origin)
        if e.origin == "unknown":
            by.stylize("dim")
        table.add_row(plain(e.when), by, what)
    return table


def swimlane_chart(lanes: list[Lane], scale: Scale, axis: Axis, *, name_width: int = 22) -> Group:
    """Actors by time: each cell in the colour of the stance level it had then, a letter where a
    stance starts and a fill by rank after it (so that it reads without colour), ``┊`` where a
    quiet stretch is cut out; then the months and years, and a legend that shows the same."""
    from tracker.domain.swimlane import MONTHS, level_marks

    marks = level_marks(scale.levels)
    rows = []
    for lane in lanes:
        line = Text(set_cell_size(printable(lane.actor_name, one_line=True), name_width) + " ")
        before = None
        for day, level in zip(axis.days, lane.cells):
            if day is None:
                line.append("┊", style="dim")
            elif level is None:
                line.append("·", style="dim")
            else:
                letter, fill = marks.get(level.key, ("?", "█"))
                style = colour_style(level.colour)
                line.append(letter, style=style + Style(bold=True)) if level != before else line.append(fill, style=style)
            if day is not None:
                before = level
        rows.append(line)
    indent = " " * (name_width + 1)
    ticks = {t.column: t for t in axis.ticks}
    gaps = {column for column, _, _ in axis.gaps}
    rule = "".join("┊" if i in gaps else "┬" if i in ticks else "─" for i in range(axis.width))
    labels = [" "] * axis.width
    for tick in axis.ticks:
        for k, c in enumerate(tick.label):
            labels[tick.column + k] = c
    for i in gaps:
        labels[i] = "┊"
    width = name_width + 1 + axis.width
    items = []
    for level in sorted(scale.levels, key=lambda lv: lv.rank):
        letter, fill = marks[level.key]
        label = Text(printable(level.label, one_line=True))
        style = colour_style(level.colour)
        items.append(Text.assemble((letter, style + Style(bold=True)), (fill * 2, style), " ", label))
    items.append(Text("· no position yet", style="dim"))
    for _, first, last in axis.gaps:
        def month(d: date) -> str:
            return f"{MONTHS[d.month - 1]} {d.year}"

        quiet = month(first) if (first.year, first.month) == (last.year, last.month) else f"{month(first)} – {month(last)}"
        items.append(Text(f"┊ no statement {quiet} (left out)", style="dim"))
    legend_lines, line = [], Text.assemble(("legend: ", "bold"))
    for item in items:
        if line.cell_len > len("legend: ") and line.cell_len + 2 + item.cell_len > width:
            legend_lines.append(line)
            line = Text(" " * len("legend: "))
        elif line.cell_len > len("legend: "):
            line.append("  ")
        line.append_text(item)
    legend_lines.append(line)
    return Group(*rows, Text(indent + rule, style="dim"), Text(indent + "".join(labels)), *legend_lines)


def stances_brief(current: list[Position], *, compact: bool = False) -> QuickTable:
    """Where each actor stands: actor, stance and since when, in the movers table's style,
    narrow enough to sit beside it (the statements are in the positions list)."""
    table = _table(compact, gap=2)
    table.add_column("actor", overflow="fold", min_width=10)  # a long name wraps; the rest stays whole
    table.add_column("stance", no_wrap=True)
    table.add_column("since", no_wrap=True)
    return QuickTable(table, [((_line(p.actor_name), ""), _level_piece(p.level), (p.date.display, "")) for p in current])
