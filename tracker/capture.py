"""Capture from an article: the glue the command line and the capture screen share.

``capture(store, article)`` is exactly the JSON of PRODUCT.md "Capture from an article";
``store`` may be None (no database file yet): then no actor matches and every ``speaker``
is null, while ``speaker_name`` still gives the names the text has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.domain.quotes import Speaker, find_quotes

if TYPE_CHECKING:
    from tracker.formats.article import Article
    from tracker.store import Store


def speakers_of(store: Store | None) -> list[Speaker]:
    """Every actor of the store with its name and aliases (the name first)."""
    if store is None:
        return []
    return [Speaker(a.slug, (a.name, *a.aliases)) for a in store.actors()]


def capture(store: Store | None, article: Article) -> dict:
    quotes = find_quotes(article, speakers_of(store))
    return {
        "source": {
            "url": article.url,
            "title": article.title,
            "outlet": article.outlet,
            "published": article.published,
            "language": article.language,
        },
        "quotes": [
            {
                "text": q.text, "start": q.start, "end": q.end, "speaker": q.speaker,
                "speaker_name": q.speaker_name, "date": q.date, "lang": q.lang,
            }  # fmt: skip
            for q in quotes
        ],
    }
