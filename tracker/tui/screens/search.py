"""Search (/): full-text over quotes, paraphrases, context, notes, actor names and question titles."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Input

from tracker import render
from tracker.errors import TrackerError
from tracker.store import Store
from tracker.store.store import SearchHit
from tracker.tui.sources import cell
from tracker.tui.widgets.lazy_list import LazyList

LIMIT = 200


@dataclass
class SearchSource:
    query: str
    hits: list[SearchHit] = field(default_factory=list)
    empty = "No matches."

    def count(self, store: Store) -> int:
        if not self.query.strip():
            self.empty = "Type to search; accents are optional."
            return 0
        try:
            self.hits = store.search(self.query, limit=LIMIT)
        except TrackerError as e:
            self.empty = str(e)
            return 0
        return len(self.hits)

    def fetch(self, store: Store, offset: int, limit: int) -> list[SearchHit]:
        return self.hits[offset : offset + limit]

    def render(self, hit: SearchHit) -> Text:
        text = Text.assemble((hit.kind.ljust(9), "italic dim"))
        text.append(hit.position.date.display.rjust(12) + "  " if hit.position else " " * 14)
        text.append(cell(hit.title, 40), style="bold")
        text.append("  ")
        text.append_text(render.highlighted(hit.snippet))
        return text


class SearchScreen(Screen):
    TITLE = "Search"
    BINDINGS = [
        Binding("escape", "app.back", "Back"),
        Binding("down", "results", "Results", show=False),
        Binding("slash", "query", "Edit the search"),  # from the results; in the box it is typed
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder="search quotes, paraphrases, notes, actors, questions…",
            # The box draws what it holds as is: a pasted escape sequence must not get in.
            restrict=r"[^\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]*",
            id="query",
        )
        yield LazyList(SearchSource(""), id="results")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Changed, "#query")
    def search(self, event: Input.Changed) -> None:
        self.query_one(LazyList).reload(SearchSource(event.value))

    def action_query(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#query")
    def action_results(self) -> None:
        self.query_one(LazyList).focus()

    def on_lazy_list_selected(self, message: LazyList.Selected) -> None:
        hit: SearchHit = message.row
        if hit.kind == "position":
            self.app.show_position(hit.id)  # type: ignore[attr-defined]
        elif hit.kind == "actor":
            self.app.show_actor(hit.id)  # type: ignore[attr-defined]
        else:
            self.app.show_question(hit.id)  # type: ignore[attr-defined]
