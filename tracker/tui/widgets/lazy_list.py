"""A list that draws only the rows on screen and fetches them a page at a time.

The rows come from a ``ListSource``: ``count`` and ``fetch`` run in worker
threads with that thread's own Store; ``render`` runs on the UI thread and
must be cheap. A million rows cost one count and one page of queries, never a
million widgets.
"""

from __future__ import annotations

from math import ceil
from typing import Any, Protocol, cast

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip

from tracker.store import Store
from tracker.tui.base import ControlMessage, TrackerNode
from tracker.tui.pool import StorePool

PAGE = 200
MAX_PAGES = 32  # pages kept in memory; beyond, the farthest from the cursor are dropped


class ListSource(Protocol):
    empty: str

    def count(self, store: Store) -> int: ...

    def fetch(self, store: Store, offset: int, limit: int) -> list[Any]: ...

    def render(self, row: Any, width: int) -> Text:
        """One row as text; ``width`` is the cells there are (the text is cut to it)."""
        ...



class HeadedSource(ListSource, Protocol):
    """A source with a line naming its columns, drawn above the rows (it stays there as they
    scroll), aligned with them at every width."""

    def header(self, width: int) -> Text: ...


class LazyList(TrackerNode, ScrollView, can_focus=True):
    DEFAULT_CSS = """
    LazyList { height: 1fr; overflow-x: hidden; }
    /* A neutral highlight: a coloured one would hide the stance colours on the row. */
    LazyList > .lazy-list--cursor { background: $foreground 10%; }
    LazyList:focus > .lazy-list--cursor { background: $foreground 20%; text-style: bold; }
    LazyList > .lazy-list--pending { color: $text-muted; }
    """
    COMPONENT_CLASSES = {"lazy-list--cursor", "lazy-list--pending", "lazy-list--header"}
    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Open"),
    ]

    # No repaint on change: watch_cursor repaints just the two rows whose highlight moved.
    cursor: reactive[int] = reactive(0, repaint=False)

    class Selected(ControlMessage):
        """Enter (or a click) on a loaded row."""

        def __init__(self, lazy_list: LazyList, index: int, row: Any):
            super().__init__(lazy_list)
            self.index, self.row = index, row

    class Counted(ControlMessage):
        """The rows were counted (on mount, after a reload or a write)."""

        def __init__(self, lazy_list: LazyList, count: int):
            super().__init__(lazy_list)
            self.count = count

    class PageLoaded(ControlMessage):
        """A page of rows arrived: drawn at the next refresh."""

    class _Counted(Message):
        def __init__(self, generation: int, count: int):
            super().__init__()
            self.generation, self.count = generation, count

    class _PageLoaded(Message):
        def __init__(self, generation: int, page: int, rows: list[Any]):
            super().__init__()
            self.generation, self.page, self.rows = generation, page, rows

    def __init__(
        self, source: ListSource, *, held: bool = False, name: str | None = None, id: str | None = None, classes: str | None = None
    ):
        """``held``: nothing is read until ``release`` (a view that shows something else first)."""
        super().__init__(name=name, id=id, classes=classes)
        self.source = source
        self._held = held
        self.count: int | None = None
        self._pages: dict[int, list[Any]] = {}
        self._strips: LRUCache[tuple, Strip] = LRUCache(1024)
        self._pending: set[int] = set()
        self._generation = 0
        self._paint: tuple[int, int, int, Style] = (0, 0, 0, Style())  # see render_lines

    # ------------------------------------------------------------------ loading

    def on_mount(self) -> None:
        self.app.data_changed_signal.subscribe(self, lambda _change: self.reload(keep_cursor=True))
        if not self._held:
            self.reload()

    def release(self) -> None:
        """Read the rows of a list made ``held`` (nothing if it was not, or was released)."""
        if self._held:
            self.reload()  # which ends the hold

    def reload(self, source: ListSource | None = None, *, keep_cursor: bool = False) -> None:
        """Forget every page and count again (after a write, or with a new source)."""
        self._held = False
        if source is not None:
            self.source = source
        self._generation += 1
        self._pages.clear()
        self._strips.clear()
        self._pending.clear()
        if not keep_cursor:
            self.cursor = 0
            self.scroll_to(y=0, animate=False)
        self._load_count(self._generation, self.source)

    @property
    def header_height(self) -> int:
        """Lines above the rows: the header, when the source has one."""
        return 1 if hasattr(self.source, "header") else 0

    @property
    def pool(self) -> StorePool:
        return self.app.pool

    @work(thread=True, group="lazy-list-count", exclusive=True)
    def _load_count(self, generation: int, source: ListSource) -> None:
        store = self.pool.get()
        count = source.count(store)
        self.post_message(self._Counted(generation, count))
        if count:
            first = max(0, min(self.cursor, count - 1)) // PAGE
            self.post_message(self._PageLoaded(generation, first, source.fetch(store, first * PAGE, PAGE)))

    @work(thread=True, group="lazy-list-page")
    def _load_page(self, generation: int, source: ListSource, page: int) -> None:
        rows = source.fetch(self.pool.get(), page * PAGE, PAGE)
        self.post_message(self._PageLoaded(generation, page, rows))

    def on_lazy_list__counted(self, message: _Counted) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self.count = message.count
        self.virtual_size = Size(self.size.width, max(message.count, 1) + self.header_height)
        if message.count:
            self.cursor = min(self.cursor, message.count - 1)
        self._pending.add(max(0, self.cursor) // PAGE)
        self.refresh()
        self.post_message(self.Counted(self, message.count))

    def on_lazy_list__page_loaded(self, message: _PageLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self._pages[message.page] = message.rows
        self._pending.discard(message.page)
        if len(self._pages) > MAX_PAGES:  # paging through a million rows must not keep them all
            here = self.cursor // PAGE
            for page in sorted(self._pages, key=lambda p: abs(p - here))[MAX_PAGES:]:
                del self._pages[page]
        self.refresh()
        self.post_message(self.PageLoaded(self))

    @property
    def loaded_pages(self) -> set[int]:
        """The pages of rows held in memory now (at most ``MAX_PAGES``): public so that what
        paging keeps can be checked from outside (the tests), since ``row`` loads what it lacks."""
        return set(self._pages)

    def row(self, index: int) -> Any | None:
        page = self._pages.get(index // PAGE)
        if page is None:
            if self.count is not None and 0 <= index < self.count and index // PAGE not in self._pending:
                self._pending.add(index // PAGE)
                self._load_page(self._generation, self.source, index // PAGE)
            return None
        offset = index % PAGE
        return page[offset] if offset < len(page) else None

    @property
    def current(self) -> Any | None:
        """The highlighted row, if it has been loaded."""
        if not self.count:
            return None
        return self.row(self.cursor)

    # ------------------------------------------------------------------ drawing

    def render_lines(self, crop: Region) -> list[Strip]:
        # What every line of this paint shares, worked out once: rich_style walks the ancestors.
        top = int(self.scroll_offset.y)
        self._paint = (self.scrollable_content_region.width, self.size.width, top, self.rich_style)
        if self.count:  # ask for the pages above and below the screen before they show
            self.row(max(0, top - PAGE // 2))
            self.row(min(self.count - 1, top + self.size.height + PAGE // 2))
        if not self._drawn_as_is():
            return super().render_lines(crop)
        # Textual's own pass over the lines would copy each one (then filter the copy, on every paint):
        # keep the filters (such as the one for ANSI colours) and let the strips' caches serve them again.
        _, background = self.background_colors
        filters = self.get_line_filters()
        lines = []
        for y in crop.line_range:
            strip = self.render_line(y)
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            lines.append(strip)
        if crop.column_span != (0, self.size.width):
            lines = [strip.crop(*crop.column_span) for strip in lines]
        return lines

    def _drawn_as_is(self) -> bool:
        """Whether Textual would leave the lines as they come: no padding, border, outline, hatch, tint or opacity."""
        styles = self.styles
        return (
            not any(styles.gutter)
            and not any(edge for edge, _ in styles.outline)
            and not (styles.has_rule("hatch") and styles.hatch != "none")
            and not styles.tint.a
            and styles.text_opacity == 1
            and self.opacity == 1
        )

    def render_line(self, y: int) -> Strip:
        # Rows are cut to the width left of the scrollbar, then padded under it to the full width.
        width, full, top, base = self._paint
        lines_above = self.header_height
        if y < lines_above:
            return self._header(width, full, base)
        y -= lines_above
        index = top + y
        if self.count is None:
            return self._note("loading…", width, full, base) if y == 0 else Strip.blank(full, base)
        if self.count == 0:  # the empty list's message, wrapped: its hint whole at 80 columns
            lines = Text(self.source.empty).wrap(self.app.console, width)
            return self._note(lines[y], width, full, base) if y < len(lines) else Strip.blank(full, base)
        if index >= self.count:
            return Strip.blank(full, base)
        row = self.row(index)
        if row is None:
            return self._note("…", width, full, base)
        # The theme is in the key: it gives the base style and the colours render picks (stances).
        key = (self._generation, index, width, full, base, self.row_state(row))
        strip = self._strips.get(key)
        if strip is None:  # rows are drawn again on every move: build each once
            strip = self._strips[key] = self.fitted(self.render_row(row, width), width, full)
        # The strip keeps its styled copies (its own cache): the row with and without the cursor.
        if index == self.cursor:
            return strip.apply_style(base + self.get_component_rich_style("lazy-list--cursor"))
        return strip.apply_style(base)

    def render_row(self, row: Any, width: int) -> Text:
        """A row as text (a subclass may add what the source does not know, such as a mark)."""
        return self.source.render(row, width)

    def row_state(self, row: Any) -> object:
        """What, besides the row itself, changes how it is drawn (None: nothing)."""
        return None

    def _header(self, width: int, full: int, base: Style) -> Strip:
        key = ("header", self._generation, width, full, base)
        strip = self._strips.get(key)
        if strip is None:
            text = cast(HeadedSource, self.source).header(width)  # header_height said it has one
            strip = self._strips[key] = self.fitted(text, width, full).apply_style(
                base + self.get_component_rich_style("lazy-list--header")
            )
        return strip

    def _note(self, text: str | Text, width: int, full: int, base: Style) -> Strip:
        """A line in place of rows: "loading…", the empty list's message, "…" for a row on its way."""
        return self.fitted(Text(text) if isinstance(text, str) else text, width, full).apply_style(base + self.get_component_rich_style("lazy-list--pending"))

    def fitted(self, text: Text, width: int, full: int) -> Strip:
        """``text`` on one line of ``width`` cells (cut with an ellipsis), padded to ``full``."""
        head = text.plain[: width + 1]
        if len(text.plain) > len(head) == cell_len(head):
            # A long row (a quote): when the cells on screen and the one after are a character
            # each, cut it there rather than have truncate measure the whole of it.
            line = text[: width + 1]
        else:
            line = text.copy()
        line.no_wrap = True
        line.truncate(width, overflow="ellipsis", pad=True)
        return Strip(line.render(self.app.console), line.cell_len).adjust_cell_length(full)

    # ------------------------------------------------------------------ moving

    def watch_scroll_y(self, old: float, new: float) -> None:
        # ScrollView's watcher gives the scrollbar each new position, and the scrollbar then draws
        # all its lines again, on every step down the list: most steps move its thumb by an eighth
        # of a cell at most, which changes two of its lines, or none.
        if self.show_vertical_scrollbar:
            bar = self.vertical_scrollbar
            drawn = _bar_cells(bar)
            bar.set_reactive(ScrollBar.position, bar.validate_position(new))
            cells = _bar_cells(bar)
            if len(cells) != len(drawn):
                bar.refresh()
            elif changed := [Region(0, y, bar.size.width, 1) for y, (a, b) in enumerate(zip(drawn, cells)) if a != b]:
                bar.refresh(*changed)
        if round(old) != round(new):
            self.refresh(self.size.region)

    def watch_cursor(self, old: int, new: int) -> None:
        top = int(self.scroll_offset.y)
        above = self.header_height
        if self.count:  # the row, and as many below it as there are lines above the rows, in view
            self.scroll_to_region(Region(0, new, 1, 1 + above), animate=False, force=True)
        if int(self.scroll_offset.y) == top:
            width = self.size.width  # only the two rows whose highlight changed
            self.refresh(Region(0, old - top + above, width, 1), Region(0, new - top + above, width, 1))
        else:
            self.refresh()

    def _move(self, delta: int) -> None:
        if self.count:
            self.cursor = max(0, min(self.count - 1, self.cursor + delta))

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_page_up(self) -> None:
        self._move(-max(1, self.scrollable_content_region.height - 1 - self.header_height))

    def action_page_down(self) -> None:
        self._move(max(1, self.scrollable_content_region.height - 1 - self.header_height))

    def action_first(self) -> None:
        self._move(-(self.count or 0))

    def action_last(self) -> None:
        self._move(self.count or 0)

    def action_select(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Selected(self, self.cursor, row))

    def on_click(self, event) -> None:
        if event.y < self.header_height:
            return  # the header
        index = int(self.scroll_offset.y) + event.y - self.header_height
        if self.count and 0 <= index < self.count:
            if index == self.cursor:
                self.action_select()
            self.cursor = index


def _bar_cells(bar: ScrollBar) -> list[Segment]:
    """What a vertical scrollbar draws at its position, a cell a line (in its default colours), as it works it out."""
    window = bar.window_size if bar.window_size < bar.window_virtual_size else 0
    return bar.renderer.render_bar(
        size=bar.size.height, virtual_size=ceil(bar.window_virtual_size), window_size=ceil(window),
        position=bar.position, thickness=bar.thickness,
    ).segments  # fmt: skip
