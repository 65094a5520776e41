"""The one-pass drawing machinery: renderables that draw what Rich would draw, faster.

``Drawn`` keeps the lines of a renderable drawn beforehand (in a worker) for the widths it
will be given; ``QuickText`` and ``QuickTable`` lay out a paragraph and a table of one-line
cells in one pass, with the same lines (and segments) as Rich's ``Text`` and ``Table``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style, StyleType
from rich.table import Table
from rich.text import Text

from tracker.render.wrap import cells, wrap

if TYPE_CHECKING:
    from rich.box import Box

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
        for line in wrap(text, options.max_width, fold=options.overflow in (None, "fold")):
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
        layout = self.layout(console, max_width)
        lines = None
        if layout is not None:
            lines = self._plain(console, layout) if console.color_system is None else self.styled(console, layout, max_width)
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
        layout = self.layout(console, max_width)
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

    def layout(self, console: Console, max_width: int) -> tuple[list[int], list[tuple[int, int]], list[int]] | None:
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
            self._lengths = [[cells(t) for t in row] for row in self._texts]
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
                    lines = [set_cell_size(line, room) for line in wrap(text, room, fold=column.overflow == "fold")]
                parts.append([" " * pad_left + line + " " * pad_right for line in lines] if pad_left or pad_right else lines)
            for k in range(max(map(len, parts))):
                out.append(divider.join(p[k] if k < len(p) else " " * w for p, w in zip(parts, widths)))
        return out

    def styled(
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
