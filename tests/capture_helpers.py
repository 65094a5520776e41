"""An article with three quotes, for the capture screen's tests (interface and snapshots).

The quotes are given to the screen by replacing its finding function (a test double):
these tests are about the screen, not about finding quotes (tests of their own)."""

from __future__ import annotations

import threading

from tracker.domain.quotes import FoundQuote
from tracker.formats.article import Article
from tui_helpers import MARKUP, TODO

PARAGRAPH = (
    "Le président a parlé longuement de la guerre, des alliés et de la défense européenne, "
    "devant une salle comble où les ministres écoutaient sans rien dire. "
)


def _article(parts: list[tuple[str, dict | None]], **meta) -> tuple[Article, list[FoundQuote]]:
    """Text made of plain pieces (None) and quoted pieces (the quote's fields)."""
    text, quotes = "", []
    for piece, fields in parts:
        if fields is not None:
            quotes.append(FoundQuote(text=piece, start=len(text), end=len(text) + len(piece), **fields))
        text += piece
    return Article(text=text, **meta), quotes


def seed_like() -> tuple[Article, list[FoundQuote]]:
    """Three quotes: Macron's, Rutte's (an actor named in the text) and one from a person the
    file does not know; the third far down, below a long run of text."""
    return _article(
        [
            ("Troupes au sol\n\nL'envoi de troupes ne doit pas « ", None),
            ("rien ne doit être exclu", {"speaker": "macron", "speaker_name": "Emmanuel Macron", "date": "2024-02-26", "lang": "fr"}),
            (" », a affirmé Emmanuel Macron. Mark Rutte a déclaré : « ", None),
            ("cette question n'était pas à l'ordre du jour", {"speaker": "rutte", "speaker_name": "Mark Rutte", "date": "2024-02-26", "lang": "fr"}),
            (" ».\n\n" + PARAGRAPH * 20 + "\n\nUn diplomate, Jean Dupont, a ajouté : « ", None),
            ("nous verrons bien ce que donnera la suite", {"speaker": None, "speaker_name": "Jean Dupont", "date": "2024-02-27", "lang": "fr"}),
            (" ».\n", None),
        ],
        title="Troupes au sol", url="https://example.org/troupes", outlet="Le Journal", published="2024-02-26", language="fr",
    )  # fmt: skip


def hostile() -> tuple[Article, list[FoundQuote]]:
    return _article(
        [
            (f"{TODO} title\n\n{MARKUP} said \x1b[31m: “", None),
            (f"{MARKUP} and [/b] {TODO} \x1b[2J words", {"speaker": None, "speaker_name": f"{MARKUP} Name", "date": None, "lang": "en"}),
            ("” [link=https://x.invalid]l[/link] end.", None),
        ],
        title=f"{TODO} {MARKUP}", outlet="[/b]",
    )


NAMES = {"macron": "Emmanuel Macron", "rutte": "Mark Rutte"}


def fake_finder(monkeypatch, quotes: list[FoundQuote], names: dict[str, str] | None = None) -> list[str]:
    """Replace the screen's finding function; returns the names of the threads it ran in."""
    threads: list[str] = []

    def find(store, article):
        threads.append(threading.current_thread().name)
        return list(quotes), dict(NAMES if names is None else names)

    monkeypatch.setattr("tracker.tui.screens.capture.find_in_article", find)
    return threads
