"""Values the program relies on that another program can spoil with plain SQL.

The schema's constraints let through much the program cannot use: tags that are valid JSON
but no list of texts (``1``, ``null``, ``[1, null]``), a position's date that is no date or
that disagrees with its ``date_start``/``date_end``/``precision``, ranks that are not
0..n-1, a scale without levels, a number or a blob where a text belongs, a text schema
version. :func:`find` finds them, in words a person can act on, one problem per kind of
value and table, naming the first rows. Each table is read in one pass, the tests made by
SQLite (``json_valid``, ``json_type``, ``typeof``); only the distinct dates are parsed here.
The reading side (:mod:`tracker.store.rows`) refuses such a value with one line that names
its row and says to run ``tracker check``.
"""

from __future__ import annotations

import shlex
import sqlite3
from pathlib import Path

from tracker.domain.dates import from_edtf
from tracker.store.integrity import SHOWN, Problem
from tracker.store.rows import shown

# Rows named per problem, at most; beyond, "and N more" (counted up to this many).
_LIMIT = 1000

# A tags column that holds a JSON array of texts and nothing else. ('[]' first: the common case.)
_TAGS_OK = (
    "({c} = '[]' OR (json_valid({c}) AND json_type({c}) = 'array'"
    " AND NOT EXISTS (SELECT 1 FROM json_each({c}) WHERE type <> 'text')))"
)

# (table, text columns that must hold text, columns that may be NULL among them)
_TEXTS = {
    "positions": (("uid", "date", "date_start", "date_end", "quote", "quote_lang", "paraphrase", "context", "notes"), ()),
    "questions": (("uid", "slug", "title", "description"), ()),
    "actors": (("uid", "slug", "name", "kind", "country"), ("country",)),
    "actor_aliases": (("alias",), ()),
    "sources": (("uid", "url", "title", "outlet", "published", "language"), ("url", "published")),
    "scales": (("uid", "key", "name", "description"), ()),
    "levels": (("key", "label", "description", "colour"), ()),
}


def find(conn: sqlite3.Connection, path: Path | None = None) -> list[Problem]:
    """Every kind of out-of-shape value in the file, as problems with advice."""
    file = shlex.quote(str(path)) if path else "FILE"
    problems: list[Problem] = []
    for table, (columns, nullable) in _TEXTS.items():
        problems += _not_text(conn, table, columns, nullable, file)
    problems += _tags(conn, "positions", file)
    problems += _tags(conn, "questions", file)
    problems += _levels(conn, file)
    problems += _dates(conn, file)
    problems += _published(conn, file)
    problems += _versions(conn, file)
    return problems


def _advice(table: str, file: str, rule: str) -> str:
    return (
        f"another program wrote these values; {rule}: restore the file from a backup, or correct the rows"
        f" named with: sqlite3 {file}"
    )


def _rows(ids: list) -> str:
    listed = ", ".join(str(i) for i in ids[:SHOWN])
    if len(ids) > SHOWN:
        listed += f" and {len(ids) - SHOWN}{'+' if len(ids) >= _LIMIT else ''} more"
    return f"row{'s' if len(ids) > 1 else ''} {listed}"


def _problem(table: str, found: list[tuple], what: str, advice: str) -> Problem:
    """One problem for the rows ``found``, each (id, value); the first value is quoted."""
    ids = [r[0] for r in found]
    first = found[0][1]
    where = f" in row {ids[0]}" if len(ids) > 1 else ""
    return Problem(f"{table} {_rows(ids)}: {what} (found {shown(first)}{where})", advice)


def _not_text(conn: sqlite3.Connection, table: str, columns: tuple, nullable: tuple, file: str) -> list[Problem]:
    """Numbers and blobs where a text belongs (the columns have no type SQLite enforces)."""
    tests = [(c, f"typeof({c}) NOT IN ('text', '{'null' if c in nullable else 'text'}')") for c in columns]
    # Which column failed, in the same pass: the first one, by a CASE.
    which = "CASE " + " ".join(f"WHEN {t} THEN '{c}'" for c, t in tests) + " END"
    value = "CASE " + " ".join(f"WHEN {t} THEN {c}" for c, t in tests) + " END"
    sql = f"SELECT id, {which}, {value} FROM {table} WHERE {' OR '.join(t for _, t in tests)} ORDER BY id LIMIT {_LIMIT}"
    by_column: dict[str, list[tuple]] = {}
    for id_, column, found in conn.execute(sql):
        by_column.setdefault(column, []).append((id_, found))
    return [
        _problem(table, found, f"{column} is not a text", _advice(table, file, f"{column} must be a text"))
        for column, found in by_column.items()
    ]


def _tags(conn: sqlite3.Connection, table: str, file: str) -> list[Problem]:
    """Tags that are no list of texts. (A pass of its own: folded into the one above, it
    made the whole check slower, SQLite then evaluating the JSON tests for every row.)"""
    sql = f"SELECT id, tags FROM {table} WHERE NOT coalesce({_TAGS_OK.format(c='tags')}, 0) ORDER BY id LIMIT {_LIMIT}"
    found = conn.execute(sql).fetchall()
    if not found:
        return []
    rule = "tags must be a JSON list of texts, such as '[]' or '[\"ukraine\"]'"
    return [_problem(table, found, "tags is not a list of texts", _advice(table, file, rule))]


def _levels(conn: sqlite3.Connection, file: str) -> list[Problem]:
    """Ranks that are no whole number, ranks not 0..n-1, scales without levels."""
    problems = []
    bad = conn.execute(
        f"SELECT id, rank FROM levels WHERE typeof(rank) <> 'integer' OR rank < 0 ORDER BY id LIMIT {_LIMIT}"
    ).fetchall()
    if bad:
        problems.append(_problem("levels", bad, "rank is not a whole number", _advice(
            "levels", file, "a rank is a whole number, 0 for a scale's lowest level"
        )))  # fmt: skip
    for key, count, low, high in conn.execute(
        "SELECT s.key, count(*), min(l.rank), max(l.rank) FROM levels l JOIN scales s ON s.id = l.scale_id"
        " GROUP BY s.id HAVING count(*) = count(CASE WHEN typeof(l.rank) = 'integer' THEN 1 END) ORDER BY s.key"
    ):
        if (low, high) != (0, count - 1):
            problems.append(Problem(
                f"scale {shown(key)} has levels ranked {low}..{high}; ranks must be 0..{count - 1}"
                " (timelines, diffs and Markdown exports refuse the file until they are)",
                _advice("levels", file, f"number its levels 0..{count - 1} from the lowest, keeping their order"),
            ))  # fmt: skip
    for key, questions in conn.execute(
        "SELECT s.key, (SELECT group_concat(slug, ', ') FROM (SELECT slug FROM questions q WHERE q.scale_id = s.id"
        " ORDER BY slug LIMIT 6)) FROM scales s WHERE NOT EXISTS (SELECT 1 FROM levels l WHERE l.scale_id = s.id)"
        " ORDER BY s.key"
    ):
        used = f" (questions {questions} use it)" if questions else " (no question uses it)"
        problems.append(Problem(
            f"scale {shown(key)} has no levels{used}",
            _advice("levels", file, "a scale needs at least one level"),
        ))  # fmt: skip
    return problems


def _dates(conn: sqlite3.Connection, file: str) -> list[Problem]:
    """Positions whose date is no stored date, or disagrees with its start, end and precision
    (what lists are ordered and filtered by). One pass, the distinct dates parsed once each."""
    bad: list[tuple] = []
    mismatched: list[tuple] = []
    for date, start, end, precision, first, _count in conn.execute(
        "SELECT date, date_start, date_end, precision, min(id), count(*) FROM positions"
        " GROUP BY date, date_start, date_end, precision"
    ):
        try:
            parsed = from_edtf(date)
        except (ValueError, TypeError):
            bad.append((first, date))
            continue
        if (parsed.start.isoformat(), parsed.end.isoformat(), parsed.precision) != (start, end, precision):
            mismatched.append((first, date, start, end))
    problems = []
    if bad:
        bad.sort()  # by the first row that holds each
        ids = _ids_holding(conn, [d for _, d in bad[: SHOWN + 1]])
        where = f" in row {bad[0][0]}" if len(ids) > 1 else ""
        problems.append(Problem(
            f"positions {_rows(ids)}: date is not a date (YYYY-MM-DD, YYYY-MM or YYYY, optionally followed by ~)"
            f" (found {shown(bad[0][1])}{where})",
            _advice("positions", file, "a date is stored as YYYY-MM-DD, YYYY-MM or YYYY"),
        ))  # fmt: skip
    if mismatched:
        mismatched.sort()
        ids = sorted(r[0] for r in mismatched)
        first = mismatched[0]
        problems.append(Problem(
            f"positions {_rows(ids)}: date_start, date_end or precision do not match the date"
            f" (row {first[0]}: date {shown(first[1])}, from {shown(first[2])} to {shown(first[3])});"
            " lists order and filter by them",
            "another program wrote these values: restore the file from a backup, or edit each position and"
            " save its date again (`tracker edit ID --date ...`)",
        ))  # fmt: skip
    return problems


def _ids_holding(conn: sqlite3.Connection, dates: list) -> list[int]:
    """The positions whose date is one of ``dates`` (one scan: the column has no index)."""
    marks = ", ".join("?" * len(dates))
    return [r[0] for r in conn.execute(f"SELECT id FROM positions WHERE date IN ({marks}) ORDER BY id LIMIT {_LIMIT}", dates)]


def _published(conn: sqlite3.Connection, file: str) -> list[Problem]:
    bad = []
    for id_, published in conn.execute("SELECT id, published FROM sources WHERE published IS NOT NULL AND published <> '' ORDER BY id"):
        try:
            from_edtf(published)
        except (ValueError, TypeError):
            bad.append((id_, published))
    if not bad:
        return []
    return [_problem("sources", bad, "published is not a date", _advice(
        "sources", file, "a date is stored as YYYY-MM-DD, YYYY-MM or YYYY"
    ))]  # fmt: skip


def _versions(conn: sqlite3.Connection, file: str) -> list[Problem]:
    bad = conn.execute(
        "SELECT rowid, version FROM schema_migrations WHERE typeof(version) <> 'integer' ORDER BY rowid"
    ).fetchall()
    if not bad:
        return []
    return [_problem("schema_migrations", bad, "version is not a whole number", _advice(
        "schema_migrations", file, "each row is a migration's number, 1, 2, ..."
    ))]  # fmt: skip
