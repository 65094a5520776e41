"""A list that draws only the rows on screen and fetches them a page at a time.

The rows come from a ``ListSource``: ``count`` and ``fetch`` run in worker
threads with that thread's own Store; ``render`` runs on the UI thread and
must be cheap. A million rows cost one count and one page of queries, never a
million widgets.
"""

from __future__ import annotations

from typing import Any, Protocol

from rich.style import Style
from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tracker.store import Store

PAGE = 200


class ListSource(Protocol):
    empty: str

    def count(self, store: Store) -> int: ...

    def fetch(self, store: Store, offset: int, limit: int) -> list[Any]: ...

    def render(self, row: Any) -> Text: ...


class LazyList(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    LazyList { height: 1fr; overflow-x: hidden; }
    /* A neutral highlight: a coloured one would hide the stance colours on the row. */
    LazyList > .lazy-list--cursor { background: $foreground 10%; }
    LazyList:focus > .lazy-list--cursor { background: $foreground 20%; text-style: bold; }
    LazyList > .lazy-list--pending { color: $text-muted; }
    """
    COMPONENT_CLASSES = {"lazy-list--cursor", "lazy-list--pending"}
    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        Binding("enter", "select", "Open"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)

    class Highlighted(Message):
        def __init__(self, lazy_list: LazyList, index: int, row: Any):
            super().__init__()
            self.lazy_list, self.index, self.row = lazy_list, index, row

        @property
        def control(self) -> LazyList:
            return self.lazy_list

    class Selected(Highlighted):
        pass

    class _Counted(Message):
        def __init__(self, generation: int, count: int):
            super().__init__()
            self.generation, self.count = generation, count

    class _PageLoaded(Message):
        def __init__(self, generation: int, page: int, rows: list[Any]):
            super().__init__()
            self.generation, self.page, self.rows = generation, page, rows

    def __init__(self, source: ListSource, *, name: str | None = None, id: str | None = None, classes: str | None = None):
        super().__init__(name=name, id=id, classes=classes)
        self.source = source
        self.count: int | None = None
        self._pages: dict[int, list[Any]] = {}
        self._strips: LRUCache[tuple, Strip] = LRUCache(1024)
        self._pending: set[int] = set()
        self._generation = 0
        self._announced: int | None = None

    # ------------------------------------------------------------------ loading

    def on_mount(self) -> None:
        self.app.data_changed_signal.subscribe(self, lambda _change: self.reload(keep_cursor=True))  # type: ignore[attr-defined]
        self.reload()

    def reload(self, source: ListSource | None = None, *, keep_cursor: bool = False) -> None:
        """Forget every page and count again (after a write, or with a new source)."""
        if source is not None:
            self.source = source
        self._generation += 1
        self._pages.clear()
        self._strips.clear()
        self._pending.clear()
        self._announced = None
        if not keep_cursor:
            self.cursor = 0
            self.scroll_to(y=0, animate=False)
        self._load_count(self._generation, self.source)

    @property
    def pool(self):
        return self.app.pool  # type: ignore[attr-defined]

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
        self.virtual_size = Size(self.size.width, max(message.count, 1))
        if message.count:
            self.cursor = min(self.cursor, message.count - 1)
        self._pending.add(max(0, self.cursor) // PAGE)
        self.refresh()

    def on_lazy_list__page_loaded(self, message: _PageLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self._pages[message.page] = message.rows
        self._pending.discard(message.page)
        self.refresh()
        self._announce()

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

    def _announce(self) -> None:
        row = self.current
        if row is not None and self._announced != self.cursor:
            self._announced = self.cursor
            self.post_message(self.Highlighted(self, self.cursor, row))

    # ------------------------------------------------------------------ drawing

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width  # without the scrollbar
        index = int(self.scroll_offset.y) + y
        base = self.rich_style
        if self.count is None:
            return self._strip(Text("loading…"), width, self.get_component_rich_style("lazy-list--pending")) if y == 0 else Strip.blank(width, base)
        if self.count == 0:
            return self._strip(Text(self.source.empty), width, self.get_component_rich_style("lazy-list--pending")) if y == 0 else Strip.blank(width, base)
        if index >= self.count:
            return Strip.blank(width, base)
        row = self.row(index)
        if row is None:
            return self._strip(Text("…"), width, self.get_component_rich_style("lazy-list--pending"))
        # The cursor's style depends on focus, so it is part of the key.
        style = self.get_component_rich_style("lazy-list--cursor") if index == self.cursor else None
        key = (self._generation, index, width, base, style)
        strip = self._strips.get(key)
        if strip is None:  # rows are drawn again on every move: build each once
            strip = self._strips[key] = self._strip(self.source.render(row), width, style)
        return strip

    def _strip(self, text: Text, width: int, style: Style | None) -> Strip:
        line = text.copy()
        line.no_wrap = True
        line.truncate(width, overflow="ellipsis", pad=True)
        strip = Strip(line.render(self.app.console), line.cell_len).adjust_cell_length(width)
        return strip.apply_style(self.rich_style + style if style else self.rich_style)

    # ------------------------------------------------------------------ moving

    def watch_cursor(self, old: int, new: int) -> None:
        top = int(self.scroll_offset.y)
        if self.count:
            self.scroll_to_region(Region(0, new, 1, 1), animate=False, force=True)
        if int(self.scroll_offset.y) == top and old != new:
            width = self.size.width  # only the two rows whose highlight changed
            self.refresh(Region(0, old - top, width, 1), Region(0, new - top, width, 1))
        else:
            self.refresh()
        self._announce()

    def _move(self, delta: int) -> None:
        if self.count:
            self.cursor = max(0, min(self.count - 1, self.cursor + delta))

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_page_up(self) -> None:
        self._move(-max(1, self.scrollable_content_region.height - 1))

    def action_page_down(self) -> None:
        self._move(max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self._move(-(self.count or 0))

    def action_last(self) -> None:
        self._move(self.count or 0)

    def action_select(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Selected(self, self.cursor, row))

    def on_click(self, event) -> None:
        index = int(self.scroll_offset.y) + event.y
        if self.count and 0 <= index < self.count:
            if index == self.cursor:
                self.action_select()
            self.cursor = index
