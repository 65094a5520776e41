"""Capture (c, or `tracker capture FILE`): an article's quotes, one position each.

The article is on the left, its quotes highlighted (the selected one stronger); the
quotes are on the right, each with its first words, its speaker (an actor of the file,
or ``? name`` as the text gives it when no actor matches) and its date. ``j``/``k`` or
the arrows move, and the article scrolls to the selected quote; ``enter`` opens the
position form prefilled from the quote and the article; once it is saved the quote is
marked captured (✓) and the cursor goes to the next quote still to do; ``x`` skips one
(``x`` again takes the skip back); ``escape`` goes back.

The quotes are found in a worker (they need the file's actors and aliases), again after
every change to the file: an actor created from the form then names its quotes. What was
captured or skipped is kept by the quote's place in the article, so it survives that.
On a screen narrower than ``NARROW`` the quotes go below the article, one line each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from tracker.domain.dates import from_edtf
from tracker.domain.text import printable
from tracker.errors import TrackerError
from tracker.tui.refresh import reload_on_change
from tracker.tui.base import TrackerScreen
from tracker.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from tracker.domain.models import Position
    from tracker.domain.quotes import FoundQuote
    from tracker.formats.article import Article
    from tracker.store import Store

NARROW = 100  # below this width the quotes go under the article
WORDS = 12  # words of a quote shown in the list (then cut to the width)

# Styles of the quotes in the article, plain attributes so that both themes read them.
QUOTE = "underline"
SELECTED = "bold reverse"
CAPTURED = "underline dim"
SKIPPED = "dim"

Key = tuple[int, int]  # a quote's place in the article: (start, end)


def find_in_article(store: Store, article: Article) -> tuple[list[FoundQuote], dict[str, str]]:
    """The article's quotes (in text order) and the name of each actor, by slug."""
    from tracker.capture import speakers_of
    from tracker.domain.quotes import find_quotes

    speakers = speakers_of(store)
    names = {s.slug: s.names[0] for s in speakers if s.names}
    return find_quotes(article, speakers), names


def _date_display(edtf: str | None) -> str:
    if not edtf:
        return ""
    try:
        return from_edtf(edtf).display
    except TrackerError:
        return printable(edtf, one_line=True)


def _first_words(text: str, width: int) -> str:
    words = printable(text, one_line=True).split()
    short = " ".join(words[:WORDS])
    cut = len(words) > WORDS
    if len(short) > width:
        short, cut = short[: max(width - 1, 1)].rstrip(), True
    return short + "…" if cut else short


class CaptureScreen(TrackerScreen):
    CSS_PATH = "capture.tcss"
    TITLE = "Capture"
    AUTO_FOCUS = "#capture-quotes"
    BINDINGS = [
        Binding("enter", "capture", "Capture", priority=True),
        Binding("x", "skip", "Skip"),
        Binding("j", "move(1)", "Down", show=False),
        Binding("k", "move(-1)", "Up", show=False),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, article: Article) -> None:
        super().__init__()
        self.article = article
        self.quotes: list[FoundQuote] | None = None  # None until found
        self.names: dict[str, str] = {}
        self.captured: set[Key] = set()
        self.skipped: set[Key] = set()
        self.error: str | None = None
        self._selected: Key | None = None
        self._starts: list[int] = []  # each quote's start in the article as drawn
        self._text = Text()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="capture-body"):
            with Vertical(id="capture-article"):
                yield Static(self._article_title(), id="capture-article-title", classes="view-title")
                with VerticalScroll(id="capture-scroll"):
                    yield Static(Text(printable(self.article.text)), id="capture-text")
            with Vertical(id="capture-side"):
                yield Static("Quotes", id="capture-count", classes="view-title")
                yield Static("finding the quotes…", id="capture-empty")
                yield OptionList(id="capture-quotes", markup=False)
        yield Footer(compact=True)

    def _article_title(self) -> Text:
        a = self.article
        parts = [a.title or "Article", a.outlet, _date_display(a.published), a.language]
        return Text(printable(" · ".join(p for p in parts if p), one_line=True))

    @property
    def quote_list(self) -> OptionList:
        return self.query_one("#capture-quotes", OptionList)

    @property
    def narrow(self) -> bool:
        return self.size.width < NARROW

    def on_mount(self) -> None:
        reload_on_change(self)
        self.quote_list.display = False
        self.load()

    def on_resize(self) -> None:
        self.set_class(self.narrow, "-narrow")
        if self.quotes:
            self._show_list()
            self.call_after_refresh(self._scroll_to_selected)

    # ------------------------------------------------------------------ finding the quotes

    @work(thread=True, exclusive=True, group="capture-find")
    def load(self) -> None:
        try:
            quotes, names = find_in_article(self.app.pool.get(), self.article)
        except TrackerError as e:
            self.app.call_from_thread(self._failed, str(e))
            return
        self.app.call_from_thread(self._found, quotes, names)

    def _failed(self, message: str) -> None:
        if self.is_attached:
            self.error = message
            self.query_one("#capture-empty", Static).update(Text(printable(message, one_line=True)))

    def _found(self, quotes: list[FoundQuote], names: dict[str, str]) -> None:
        if not self.is_attached:
            return
        self.quotes, self.names, self.error = list(quotes), names, None
        keys = {self.key(q) for q in self.quotes}
        self.captured &= keys
        self.skipped &= keys
        empty = self.query_one("#capture-empty", Static)
        if not self.quotes:
            empty.update("No quotes found in this article.")
            empty.display = True
            self.quote_list.display = False
            self._draw_article()
            self._show_count()
            return
        empty.display = False
        self.quote_list.display = True
        if self._selected not in keys:
            self._selected = self.key(self.quotes[0])
        self._show_list()
        self.quote_list.focus()
        self._show_count()
        self._draw_article()
        self.call_after_refresh(self._scroll_to_selected)

    @staticmethod
    def key(quote: FoundQuote) -> Key:
        return (quote.start, quote.end)

    # ------------------------------------------------------------------ drawing

    def speaker(self, quote: FoundQuote) -> str:
        if quote.speaker is not None:
            return self.names.get(quote.speaker, quote.speaker)
        return f"? {quote.speaker_name}" if quote.speaker_name else "? no speaker"

    def _row(self, quote: FoundQuote) -> Text:
        """Two lines (the first words; the speaker, the date), or one on a narrow screen;
        the list cuts what is too long with an ellipsis."""
        key = self.key(quote)
        mark = ("✓ ", "bold green") if key in self.captured else ("− ", "bold") if key in self.skipped else ("· ", "dim")
        state = " · captured" if key in self.captured else " · skipped" if key in self.skipped else ""
        speaker = printable(self.speaker(quote), one_line=True)
        when = _date_display(quote.date)
        done = "dim" if key in self.skipped else ""
        words = _first_words(quote.text, 200)
        if self.narrow:  # mark, speaker, date, the first words
            who = speaker if len(speaker) <= 20 else speaker[:19] + "…"
            row = Text.assemble(mark, (who.ljust(21), "bold"), (when.ljust(12), "dim"), (words, done))
        else:
            row = Text.assemble(mark, ("“" + words + "”", done), "\n  ", (speaker, "bold"))
            row.append(f" · {when}" if when else "", style="dim")
            row.append(state, style="italic")
        row.no_wrap, row.overflow = True, "ellipsis"
        return row

    def _show_list(self) -> None:
        assert self.quotes is not None
        listing = self.quote_list
        listing.clear_options()
        listing.add_options([Option(self._row(q), id=f"{q.start}:{q.end}") for q in self.quotes])
        index = self._index(self._selected)
        if index is not None:
            listing.highlighted = index

    def _refresh_row(self, index: int) -> None:
        assert self.quotes is not None
        self.quote_list.replace_option_prompt_at_index(index, self._row(self.quotes[index]))

    def _show_count(self) -> None:
        count = self.query_one("#capture-count", Static)
        if not self.quotes:
            count.update("Quotes")
            return
        text = f"Quotes: {len(self.quotes)}"
        if self.captured:
            text += f" · {len(self.captured)} captured"
        if self.skipped:
            text += f" · {len(self.skipped)} skipped"
        count.update(Text(text))

    def _draw_article(self) -> None:
        """The article as written (never read as markup), each quote highlighted."""
        text, pos, starts = self.article.text, 0, []
        out = Text()
        for quote in self.quotes or ():
            if quote.start < pos or quote.end > len(text) or quote.end < quote.start:
                starts.append(len(out.plain))  # overlapping or out of the text: not highlighted twice
                continue
            out.append(printable(text[pos : quote.start]))
            starts.append(len(out.plain))
            key = self.key(quote)
            style = (
                SELECTED if key == self._selected
                else CAPTURED if key in self.captured
                else SKIPPED if key in self.skipped
                else QUOTE
            )  # fmt: skip
            out.append(printable(text[quote.start : quote.end]), style=style)
            pos = quote.end
        out.append(printable(text[pos:]))
        self._text, self._starts = out, starts
        self.query_one("#capture-text", Static).update(out)

    def _scroll_to_selected(self) -> None:
        index = self._index(self._selected)
        if index is None or not self.is_attached:
            return
        scroll = self.query_one("#capture-scroll", VerticalScroll)
        width = self.query_one("#capture-text", Static).content_region.width
        if width <= 0:
            return
        lines = self._text[: self._starts[index]].wrap(self.app.console, width)
        line = max(len(lines) - 1, 0)
        scroll.scroll_to(y=max(line - scroll.scrollable_content_region.height // 3, 0), animate=False)

    def _index(self, key: Key | None) -> int | None:
        if key is None or not self.quotes:
            return None
        return next((i for i, q in enumerate(self.quotes) if self.key(q) == key), None)

    # ------------------------------------------------------------------ keys

    @on(OptionList.OptionHighlighted, "#capture-quotes")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if not self.quotes or event.option_index >= len(self.quotes):
            return
        key = self.key(self.quotes[event.option_index])
        if key != self._selected:
            self._selected = key
            self._draw_article()
            self._scroll_to_selected()

    @on(OptionList.OptionSelected, "#capture-quotes")
    def selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_capture()

    def action_move(self, step: int) -> None:
        if self.quotes:
            (self.quote_list.action_cursor_down if step > 0 else self.quote_list.action_cursor_up)()

    def current(self) -> tuple[int, FoundQuote] | None:
        index = self._index(self._selected)
        if index is None:
            return None
        assert self.quotes is not None
        return index, self.quotes[index]

    def _chosen(self) -> tuple[FoundQuote, Key] | None:
        """The quote under the cursor and its key, if any."""
        chosen = self.current()
        if chosen is None:
            return None
        quote = chosen[1]
        return quote, self.key(quote)

    def action_capture(self) -> None:
        from tracker.tui.forms.position_form import PositionForm

        chosen = self._chosen()
        if chosen is None:
            return
        quote, key = chosen
        self.app.push_screen(PositionForm(prefill=self.prefill(quote)), lambda saved: self.form_closed(key, saved))

    def prefill(self, quote: FoundQuote):
        from tracker.tui.forms.position_form import CapturePrefill

        a = self.article
        return CapturePrefill(
            actor_slug=quote.speaker,
            actor_name=quote.speaker_name if quote.speaker is None else None,
            date=quote.date or a.published,
            quote=quote.text,
            quote_lang=quote.lang or a.language,
            source_url=a.url,
            source_title=a.title,
            source_outlet=a.outlet,
            source_published=a.published,
            source_language=a.language,
        )

    def form_closed(self, key: Key, saved: Position | None) -> None:
        """The form closed: with a position saved, the quote is captured; on to the next."""
        if saved is None or not self.is_attached:
            return
        self.captured.add(key)
        self.skipped.discard(key)
        self._after_mark(key)

    def action_skip(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        _, key = chosen
        if key in self.skipped:  # x again: the skip taken back, the cursor stays
            self.skipped.discard(key)
            self._after_mark(key, move_on=False)
            return
        self.skipped.add(key)
        self._after_mark(key)

    def _after_mark(self, key: Key, move_on: bool = True) -> None:
        index = self._index(key)
        if index is None:
            return
        self._refresh_row(index)
        self._show_count()
        following = self._next_to_do(index) if move_on else None
        if following is not None:
            self.quote_list.highlighted = following  # redraws the article (OptionHighlighted)
        else:
            self._draw_article()
        if move_on and following is None:
            self.notify("Every quote of this article is captured or skipped.", title="Capture", markup=False)

    def _next_to_do(self, index: int) -> int | None:
        """The first quote after ``index`` neither captured nor skipped, going round."""
        assert self.quotes is not None
        n = len(self.quotes)
        for step in range(1, n):
            i = (index + step) % n
            key = self.key(self.quotes[i])
            if key not in self.captured and key not in self.skipped:
                return i
        return None

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.exit()
