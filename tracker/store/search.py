"""Full-text search over one connection: actors, questions and positions matching words.

Every word must match; the last also matches as the beginning of longer words (for
actors and questions always, for positions when asked). Accents and case are folded by
the indexes' tokenizer (``unicode61 remove_diacritics 2``), so "ambiguite" finds
"ambigüité".

The positions' index keeps its own lists for the prefixes of one, two and three letters
(``prefix = '1 2 3'``, schema 6), so a short prefix is read like a word: newest first,
stopping at the limit, instead of merging the lists of the thousands of words it begins
("g": 0.35 s before on a million positions, about a millisecond now). A longer prefix is
still answered by merging the lists of the words it begins, which are few but may be
common: 20 to 40 ms for "pouv" (pouvons is in half the positions of the benchmark file).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from tracker.domain.models import Position
from tracker.domain.text import quoted
from tracker.errors import TrackerError
from tracker.store import rows

RANK_AT_MOST = 2_000  # matches a search still ranks by relevance; beyond, newest first


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "position", "actor" or "question"
    id: int
    title: str  # actor name, question title, or "actor on question"
    snippet: str  # matched text with the terms between \x02 and \x03 (plain text, no markup)
    position: Position | None = None


def fts_query(text: str, *, prefix: bool = True) -> str:
    """User text to an FTS5 query: every word must match, the last one as a prefix
    (unless ``prefix`` is False).

    Words are quoted, so FTS5 syntax in the input ("AND", quotes, parentheses,
    a leading minus) is searched for literally instead of raising an error.
    """
    words = [w for w in "".join(c if c.isalnum() else " " for c in text).split()]
    if not words:
        raise TrackerError(f"nothing to search for in {quoted(text)}: type at least one letter or digit")
    terms = ['"' + w.replace('"', '""') + '"' for w in words]
    if prefix:
        terms[-1] += "*"
    return " ".join(terms)


def search(
    conn: sqlite3.Connection, text: str, *, limit: int = 50, prefix: bool = True
) -> list[SearchHit]:
    """Actors, questions and positions matching every word of ``text``, the last also as a
    prefix: always for actors and questions; for positions only if ``prefix``.

    At most ``limit`` of each kind: actors and questions by relevance, then positions
    (see :func:`matching_positions`)."""
    query = fts_query(text)
    hits: list[SearchHit] = []
    for r in conn.execute(
        "SELECT rowid, name, snippet(actors_fts, -1, char(2), char(3), '…', 12) AS snip"
        " FROM actors_fts WHERE actors_fts MATCH ? ORDER BY rank LIMIT ?",
        (query, limit),
    ):
        hits.append(SearchHit("actor", r["rowid"], r["name"], r["snip"]))
    for r in conn.execute(
        "SELECT rowid, title, snippet(questions_fts, -1, char(2), char(3), '…', 12) AS snip"
        " FROM questions_fts WHERE questions_fts MATCH ? ORDER BY rank LIMIT ?",
        (query, limit),
    ):
        hits.append(SearchHit("question", r["rowid"], r["title"], r["snip"]))
    matched = matching_positions(conn, text, limit, prefix=prefix)
    if matched:
        by_id = {
            r["id"]: rows.position(r)
            for r in conn.execute(
                rows.POSITION_SELECT + f" WHERE p.id IN ({', '.join('?' * len(matched))})",
                [m["rowid"] for m in matched],
            )
        }
        for m in matched:
            pos = by_id.get(m["rowid"])
            if pos is None:  # the search index names a row the tables cannot show: `tracker check` says so
                continue
            hits.append(SearchHit("position", pos.id, f"{pos.actor_name} on {pos.question_title}", m["snip"], pos))
    return hits


def matching_positions(
    conn: sqlite3.Connection, text: str, limit: int, *, prefix: bool
) -> list[sqlite3.Row]:
    """Positions whose words match (rowid and snippet): whole words first, then (if
    ``prefix``) the last word as a prefix.

    Ranking scores every match, which takes long on common words in a million
    positions: whole-word matches are ranked when there are fewer than
    ``RANK_AT_MOST``, else newest first. Prefix matches fill up to ``limit``, newest
    first: FTS5 reads the newest entries of the word's (or the short prefix's) list and stops.
    """
    snippet = "SELECT rowid, snippet(positions_fts, -1, char(2), char(3), '…', 16) AS snip FROM positions_fts"
    exact = fts_query(text, prefix=False)
    (count,) = conn.execute(
        "SELECT count(*) FROM (SELECT rowid FROM positions_fts WHERE positions_fts MATCH ? ORDER BY rowid DESC LIMIT ?)",
        (exact, RANK_AT_MOST),
    ).fetchone()
    order = "rank" if count < RANK_AT_MOST else "rowid DESC"
    matched = conn.execute(f"{snippet} WHERE positions_fts MATCH ? ORDER BY {order} LIMIT ?", (exact, limit)).fetchall()
    if prefix and len(matched) < limit:
        seen = {m["rowid"] for m in matched}
        more = conn.execute(
            f"{snippet} WHERE positions_fts MATCH ? ORDER BY rowid DESC LIMIT ?", (fts_query(text), limit)
        ).fetchall()
        matched += [m for m in more if m["rowid"] not in seen][: limit - len(matched)]
    return matched
