"""Search (/): full-text over quotes, paraphrases, context, notes, actor names and question titles.

As the user types, positions match whole words; once typing pauses, the last word also
matches the beginnings of longer words. Both take milliseconds on a million positions
(the search index keeps lists for short prefixes: see :mod:`tracker.store.search`); the
pause keeps the list from changing under the user at every letter of a word, and the
prefix search runs in a worker all the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Header, Input

from tracker import render
from tracker.domain.text import HIDDEN
from tracker.errors import TrackerError
from tracker.store import Store
from tracker.store.search import SearchHit
from tracker.tui.row_sources import cell, shrink
from tracker.tui.widgets.lazy_list import LazyList
from tracker.tui.base import TrackerScreen
from tracker.tui.widgets.footer import Footer

LIMIT = 200
PAUSE = 0.35  # seconds without typing before the last word is searched as a prefix
PREFIX_AT_LEAST = 2  # characters the last word needs to be searched as a prefix


def last_word(query: str) -> str:
    """The word being typed: the query's last run of letters and digits, "" after a space
    or punctuation (the word is finished)."""
    word = ""
    for char in reversed(query):
        if not char.isalnum():
            break
        word = char + word
    return word


@dataclass
class SearchSource:
    query: str
    prefix: bool = False  # the last word also as the beginning of longer words
    hits: list[SearchHit] = field(default_factory=list)
    empty: str = "No matches."
    searched: bool = False  # ``hits`` are already found: the first count is theirs

    def count(self, store: Store) -> int:
        if self.searched:  # a later count (after a write) searches again
            self.searched = False
            return len(self.hits)
        if not self.query.strip():
            self.empty = "Type to search; accents are optional."
            return 0
        word = last_word(self.query)
        if not self.prefix and len(word) >= PREFIX_AT_LEAST:
            self.empty = f"No whole-word matches; looking for words that begin with “{word}”…"
        try:
            self.hits = store.search(self.query, limit=LIMIT, prefix=self.prefix)
        except TrackerError as e:
            self.empty = str(e)
            return 0
        return len(self.hits)

    def fetch(self, store: Store, offset: int, limit: int) -> list[SearchHit]:
        return self.hits[offset : offset + limit]

    def render(self, hit: SearchHit, width: int) -> Text:
        text = Text.assemble((hit.kind.ljust(9), "italic dim"))
        text.append(hit.position.date.display.rjust(12) + "  " if hit.position else " " * 14)
        title, _ = shrink(width - 23 - 2, [40, 30], [16, 0])  # the title narrows to leave the snippet 30 cells
        text.append(cell(hit.title, title), style="bold")
        text.append("  ")
        text.append_text(render.highlighted(hit.snippet))
        return text


class SearchScreen(TrackerScreen):
    TITLE = "Search"
    BINDINGS = [
        Binding("escape", "app.back", "Back"),
        Binding("down", "results", "Results", show=False),
        Binding("slash", "query", "Edit the search"),  # from the results; in the box it is typed
    ]

    pause_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder="search quotes, paraphrases, notes, actors, questions…",
            # The box draws what it holds as is: a pasted escape sequence must not get in.
            restrict="[^" + "".join(map(chr, sorted(HIDDEN))) + "]*",
            id="query",
        )
        yield LazyList(SearchSource(""), id="results")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Changed, "#query")
    def search(self, event: Input.Changed) -> None:
        self.query_one(LazyList).reload(SearchSource(event.value))
        if self.pause_timer is not None:
            self.pause_timer.stop()
            self.pause_timer = None
        if len(last_word(event.value)) >= PREFIX_AT_LEAST:
            self.pause_timer = self.set_timer(PAUSE, self.search_prefixes)

    def search_prefixes(self) -> None:
        """Typing paused: search again with the last word as a prefix. The whole-word
        matches stay on screen until the new ones are found."""
        self.pause_timer = None
        self.find_prefixed(self.query_one(Input).value)

    @work(thread=True, exclusive=True, group="search-prefix")
    def find_prefixed(self, query: str) -> None:
        try:
            hits = self.app.pool.get().search(query, limit=LIMIT, prefix=True)
        except TrackerError:
            return  # the whole-word search already said what is wrong
        self.app.call_from_thread(self.show_prefixed, query, hits)

    def show_prefixed(self, query: str, hits: list[SearchHit]) -> None:
        if self.query_one(Input).value == query:  # not typed on since
            self.query_one(LazyList).reload(SearchSource(query, prefix=True, hits=hits, searched=True), keep_cursor=True)

    def action_query(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#query")
    def action_results(self) -> None:
        self.query_one(LazyList).focus()

    def on_lazy_list_selected(self, message: LazyList.Selected) -> None:
        hit: SearchHit = message.row
        if hit.kind == "position":
            self.app.show_position(hit.id)
        elif hit.kind == "actor":
            self.app.show_actor(hit.id)
        else:
            self.app.show_question(hit.id)
