"""The prompt of ``c``: an article to capture from, as a file or as pasted text.

``enter`` in the file line, or ``ctrl+s`` anywhere, reads it (in a worker: an HTML page
goes through trafilatura) and opens the capture screen in place of this prompt; pasted
text is read when the file line is empty. Bad input (a missing, empty or binary file,
HTML with no text...) is one line under the fields, and the prompt stays open.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static, TextArea

from tracker.domain.text import printable
from tracker.errors import TrackerError
from tracker.tui.base import TrackerModalScreen
from tracker.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from tracker.formats.article import Article


class CapturePrompt(TrackerModalScreen[None]):
    CSS_PATH = "capture.tcss"
    BINDINGS = [
        Binding("ctrl+s", "open", "Open", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="capture-prompt"):
            yield Static("Capture from an article: a file, then enter; or paste its text, then ctrl+s", classes="view-title")
            yield Input(id="capture-path", placeholder="file: article.html, article.txt")
            yield TextArea(id="capture-paste", soft_wrap=True, tab_behavior="focus", placeholder="or paste the article here")
            yield Static("", id="capture-prompt-message")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#capture-path", Input).focus()

    def _say(self, message: str) -> None:
        self.query_one("#capture-prompt-message", Static).update(Text(printable(message, one_line=True)))

    @on(Input.Submitted, "#capture-path")
    def submitted(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        path = self.query_one("#capture-path", Input).value.strip()
        pasted = self.query_one("#capture-paste", TextArea).text
        if path == "-":  # standard input is the terminal here
            self._say("Paste the article's text below (- reads standard input only on the command line).")
        elif path:
            self._say("reading…")
            self.read(path, None)
        elif pasted.strip():
            self._say("reading…")
            self.read(None, pasted)
        else:
            self._say("Type a file's path, or paste the article's text.")

    @work(thread=True, exclusive=True, group="capture-read")
    def read(self, path: str | None, pasted: str | None) -> None:
        from tracker.formats.article import article_from_text, read_article

        try:
            if path is not None:
                article = read_article(str(Path(path).expanduser()))
            else:
                assert pasted is not None
                article = article_from_text(pasted)  # an HTML page is recognised
        except TrackerError as e:
            self.app.call_from_thread(self._say, str(e))
            return
        self.app.call_from_thread(self._open, article)

    def _open(self, article: Article) -> None:
        from tracker.tui.screens.capture import CaptureScreen

        if not self.is_attached or self.app.screen is not self:
            return
        self.dismiss(None)
        self.app.push_screen(CaptureScreen(article))

    def action_cancel(self) -> None:
        self.dismiss(None)
