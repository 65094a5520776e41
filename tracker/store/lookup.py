"""Finding a row from what a person or a file calls it: an actor or a question by name,
a source by id, uid or URL, a position by id or uid.

One resolver serves every face: the command line and the interface's forms look names
up forgivingly (a slug, a row id, a name or an alias with case and accents ignored, a
prefix only one row has); the importers of files (JSONL, CSV) look them up exactly (a
slug, or a name or alias equal but for case and accents; never a prefix, never a row
id). ``Store.resolve_actor`` and ``Store.resolve_question`` are its doors.
"""

from __future__ import annotations

import sqlite3

from tracker.domain.text import fold, quoted
from tracker.errors import Ambiguous, NotFound, TrackerError
from tracker.store import rows

# (row id, slug, [names and aliases, the slug among them])
Candidates = list[tuple[int, str, list[str]]]


def row_id(text: str) -> int | None:
    """``text`` as a row id when it is one: ASCII digits only ("²".isdigit() is true but
    int("²") fails) and within SQLite's integer range; else None."""
    if text.isascii() and text.isdigit() and len(text) <= 19:  # int() refuses more than 4,300 digits
        value = int(text)
        if value < 2**63:
            return value
    return None


def source_row(conn: sqlite3.Connection, ref: str | int) -> sqlite3.Row:
    """The row (``rows.SOURCE_COLUMNS``) of the source whose id, uid or URL is ``ref``."""
    raw = str(ref).strip()
    row = conn.execute(
        f"SELECT {rows.SOURCE_COLUMNS} FROM sources s WHERE s.uid = ? OR s.url = ? OR s.id = ?",
        (raw, raw, row_id(raw) or -1),
    ).fetchone()
    if row is None:
        raise NotFound(f"no source with the id, uid or URL {quoted(raw)}")
    return row


def position_row(conn: sqlite3.Connection, ref: str | int) -> sqlite3.Row:
    """The row (``rows.POSITION_SELECT``) of the position whose id or uid is ``ref``."""
    raw = str(ref).strip()
    wanted_id = row_id(raw)
    if wanted_id is not None:
        row = conn.execute(rows.POSITION_SELECT + " WHERE p.id = ?", (wanted_id,)).fetchone()
    else:
        row = conn.execute(rows.POSITION_SELECT + " WHERE p.uid = ?", (raw,)).fetchone()
    if row is None:
        raise NotFound(f"no position with the id or uid {quoted(raw)}")
    return row


def actor_id(conn: sqlite3.Connection, ref: str | int, *, exact: bool = False) -> int:
    """The row id of the actor ``ref`` names (its slug, name or an alias; see :func:`resolve`)."""
    aliases: dict[int, list[str]] = {}
    for r in conn.execute("SELECT actor_id, alias FROM actor_aliases"):
        aliases.setdefault(r[0], []).append(r[1])
    candidates = [(r[0], r[1], [r[2], r[1], *aliases.get(r[0], [])]) for r in conn.execute("SELECT id, slug, name FROM actors")]
    return resolve("actor", ref, candidates, exact=exact)


def question_id(conn: sqlite3.Connection, ref: str | int, *, exact: bool = False) -> int:
    """The row id of the question ``ref`` names (its slug or title; see :func:`resolve`)."""
    candidates = [(r[0], r[1], [r[2], r[1]]) for r in conn.execute("SELECT id, slug, title FROM questions")]
    return resolve("question", ref, candidates, exact=exact)


def resolve(what: str, ref: str | int, candidates: Candidates, *, exact: bool = False) -> int:
    """The row id of the ``what`` (actor or question) ``ref`` names, in one of two modes.

    Forgiving (the default; people typing at the command line or in a form): its slug,
    its row id, its name or an alias (case and accents ignored), then a prefix of a
    name, alias or one of their words that only one row has.

    Exact (``exact=True``; files: JSONL and CSV import): its slug, or its name or an
    alias equal to ``ref`` with case and accents ignored; never a prefix, never a row id.

    No match raises NotFound; a name that fits several rows raises Ambiguous naming them.
    ``candidates`` are (row id, slug, [names and aliases, the slug among them])."""
    raw = str(ref).strip()
    if not raw:
        raise TrackerError(f"{what} is required")
    for found_id, slug, _ in candidates:
        if slug == raw:
            return found_id
    if not exact:
        wanted_id = row_id(raw)
        if wanted_id is not None:
            for found_id, _, _ in candidates:
                if found_id == wanted_id:
                    return found_id
    wanted = fold(raw)
    tests = [lambda name: fold(name) == wanted]
    if not exact:
        tests += [
            lambda name: fold(name).startswith(wanted),
            lambda name: any(word.startswith(wanted) for word in fold(name).split()),
        ]
    for test in tests:
        found = {found_id: slug for found_id, slug, names in candidates if any(test(n) for n in names)}
        if len(found) == 1:
            return next(iter(found))
        if found:
            listed = ", ".join(sorted(found.values())[:6]) + (", ..." if len(found) > 6 else "")
            raise Ambiguous(f"{what} {quoted(raw)} is ambiguous: it matches {listed}")
    raise NotFound(f"no {what} matches {quoted(raw)}")
