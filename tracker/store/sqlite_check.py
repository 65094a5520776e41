"""SQLite's own integrity check (``PRAGMA integrity_check``), in words a person can act on.

Its messages are terse and technical: the common ones are grouped by the table or index
they are about, translated (an index out of step with its table, a row that breaks a
CHECK rule, a damaged page, pages that belong to nothing) with what to do, and the
original quoted. ``integrity.find_problems`` (``tracker check``) runs it first.
:func:`check_rules` reads the CHECK rules of a table, for the bulk load too.
"""

from __future__ import annotations

import re
import sqlite3

from tracker.store.integrity import Advice, Problem, rows_text

_INDEX_MISMATCH = re.compile(r"^(?:row \d+ missing from index|wrong # of entries in index) (\S+)")
_NOT_UNIQUE = re.compile(r"^non-unique entry in index (\S+)")
_NULL = re.compile(r"^NULL value in (\w+)\.(\w+)")
_CHECK = re.compile(r"^CHECK constraint failed in (\w+)")
_TREE = re.compile(r"^(?:Tree (\d+) page (\d+)|On tree page (\d+))")
_LOST = re.compile(r"^(?:Page \d+(?::| is) never used|Page count: |\d+ of \d+ pages missing from overflow list|Freelist: )")


def sqlite_problems(conn: sqlite3.Connection, advice: Advice) -> tuple[list[Problem], bool]:
    """What ``PRAGMA integrity_check`` reports, in words, and whether the file is damaged
    (pages that cannot be read, rather than rows or indexes out of step)."""
    unreadable: dict[str, Exception] = {}
    try:
        messages = _lines(conn.execute("PRAGMA integrity_check"))
        stopped = None
        if not any(_LOST.match(m) for m in messages):
            messages += _pages_in_nothing(conn)
    except sqlite3.DatabaseError as e:
        # SQLite met damage it cannot walk past: check table by table to say where.
        stopped, messages = e, []
        for table, error, table_messages in _tables_one_by_one(conn):
            if error is not None:
                unreadable[table] = error
            messages += table_messages
    groups = _group(conn, messages)
    if stopped is None and not any(key[0] in ("tree", "other") for key in groups):
        return _explain(conn, groups, advice), False

    problems = [
        Problem(f"the file is damaged: {_unreadable(conn, table)} ({error})", advice.damaged)
        for table, error in unreadable.items()
    ]
    for key, said in groups.items():
        if key[0] == "tree":
            where = _what(conn, key[1]) if key[1] else "a part of the file SQLite cannot place"
            problems.append(Problem(f"the file is damaged in {where} ({_sqlite_says(said)})", advice.damaged))
    if not problems:
        said = [m for key, group in groups.items() for m in group] or [str(stopped)]
        problems.append(Problem(f"the file is damaged ({_sqlite_says(said)})", advice.damaged))
    else:
        more = sum(len(said) for key, said in groups.items() if key[0] != "tree")
        if more:
            last = problems.pop()
            problems.append(Problem(f"{last}; and {more} more error{'s' if more != 1 else ''} that follow from it", last.advice))
    return problems, True


def _pages_in_nothing(conn: sqlite3.Connection) -> list[str]:
    """The pages that belong to no table and are not free, in SQLite's words. SQLite 3.40
    (Debian 12's) leaves them out of its integrity check when the first table of its schema
    cache is a view or a virtual table (it takes the root page 0 for a partial check): with
    the views ``statements`` and ``latest_positions`` that is most files. So the pages are
    counted here from ``dbstat`` (every page of every table, overflow pages included), which
    reads the file once more; nothing when dbstat is missing or the file has pointer-map
    pages (auto-vacuum), which it does not list."""
    own = not conn.in_transaction  # one snapshot for the counts and the walk
    try:
        if own:
            conn.execute("BEGIN")
        if conn.execute("PRAGMA auto_vacuum").fetchone()[0]:
            return []
        (count,) = conn.execute("PRAGMA page_count").fetchone()
        (free,) = conn.execute("PRAGMA freelist_count").fetchone()
        (size,) = conn.execute("PRAGMA page_size").fetchone()
        used = {n for (n,) in conn.execute("SELECT pageno FROM dbstat")}
    except sqlite3.DatabaseError:
        return []
    finally:
        if own and conn.in_transaction:
            conn.execute("ROLLBACK")
    lock = 2**30 // size + 1  # the page holding the lock bytes, past 1 GiB: never used
    unused = [n for n in range(1, count + 1) if n not in used and n != lock]
    if len(unused) <= free:
        return []
    if free == 0:
        return [f"Page {n} is never used" for n in unused]
    return [f"Page count: {len(unused) - free} of {count} pages are in no table and not in the free list"]


def _lines(rows) -> list[str]:
    lines = []
    for (row,) in rows:
        for line in str(row).splitlines():
            line = line.strip()
            if line and line != "ok" and not line.startswith("*** in database"):
                lines.append(line)
    return lines


def _tables_one_by_one(conn: sqlite3.Connection) -> list[tuple[str, Exception | None, list[str]]]:
    """(table, error it raised or None, messages it gave) for each table that is not sound."""
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND rootpage > 0")]
    except sqlite3.DatabaseError as e:
        return [("sqlite_master", e, [])]
    bad = []
    for table in tables:
        try:
            messages = _lines(conn.execute(f"PRAGMA integrity_check({_quote(table)})"))
        except sqlite3.DatabaseError as e:
            bad.append((table, e, []))
            continue
        if messages:
            bad.append((table, None, messages))
    return bad


def _group(conn: sqlite3.Connection, messages: list[str]) -> dict[tuple, list[str]]:
    """SQLite's messages by what is wrong where: ("index", name), ("null", table, column),
    ("check", table), ("unique", index), ("tree", table or None), ("lost",) or ("other",)."""
    groups: dict[tuple, list[str]] = {}
    pages: dict[int, str | None] = {}
    for message in messages:
        if m := _INDEX_MISMATCH.match(message):
            key = ("index", m[1])
        elif m := _NOT_UNIQUE.match(message):
            key = ("unique", m[1])
        elif m := _NULL.match(message):
            key = ("null", m[1], m[2])
        elif m := _CHECK.match(message):
            key = ("check", m[1])
        elif m := _TREE.match(message):
            if m[1]:
                key = ("tree", _name_of_root(conn, int(m[1])))
            else:
                page = int(m[3])
                if page not in pages:
                    pages[page] = _name_of_page(conn, page) if len(pages) < 10 else None
                key = ("tree", pages[page])
        elif _LOST.match(message):
            key = ("lost",)
        else:
            key = ("other",)
        groups.setdefault(key, []).append(message)
    return groups


def _sqlite_says(said: list[str]) -> str:
    return f"SQLite says: {said[0]!r}" + (f" and {len(said) - 1} more" if len(said) > 1 else "")


def _explain(conn: sqlite3.Connection, groups: dict[tuple, list[str]], advice: Advice) -> list[Problem]:
    """Rows and indexes out of step, with the rows named where a query can find them."""
    problems = []
    for key, said in groups.items():
        kind = key[0]
        if kind == "index":
            table = _table_of_index(conn, key[1]) or "its table"
            problems.append(Problem(
                f"the index {key[1]} of the table {table} is out of step with the table"
                f" ({len(said)} error{'s' if len(said) != 1 else ''}; {_sqlite_says(said)})",
                advice.reindex(key[1]),
            ))  # fmt: skip
        elif kind == "unique":
            table = _table_of_index(conn, key[1]) or "a table"
            problems.append(Problem(
                f"two rows of {table} share a value that must be unique (index {key[1]}; {_sqlite_says(said)})",
                advice.edit_rows(table),
            ))  # fmt: skip
        elif kind == "null":
            table, column = key[1], key[2]
            rows = _rows_where(conn, table, f"{_quote(column)} IS NULL")
            problems.append(Problem(
                f"{table} {rows_text(rows)} {'have' if len(rows) > 1 else 'has'} no {column}, which is required"
                f" ({_sqlite_says(said)})",
                advice.edit_rows(table),
            ))  # fmt: skip
        elif kind == "check":
            table = key[1]
            broken = _broken_checks(conn, table)
            if not broken:
                problems.append(Problem(
                    f"a row of {table} holds a value the table does not allow ({_sqlite_says(said)})", advice.edit_rows(table)
                ))  # fmt: skip
            for rule, rows in broken:
                problems.append(Problem(
                    f"{table} {rows_text(rows)} {'hold values' if len(rows) > 1 else 'holds a value'} the table does not"
                    f" allow (its rule: {rule})",
                    advice.edit_rows(table),
                ))  # fmt: skip
        elif kind == "lost":
            problems.append(Problem(f"some pages of the file belong to nothing ({_sqlite_says(said)})", advice.lost_pages))
    return problems


def _unreadable(conn: sqlite3.Connection, table: str) -> str:
    """Which part of a table SQLite cannot read: the rows, or only an index."""
    what = _what(conn, table)
    if what != f"the table {table}":
        return f"{what} cannot be read"
    try:
        for _ in conn.execute(f"SELECT * FROM {_quote(table)} NOT INDEXED"):
            pass
    except sqlite3.DatabaseError:
        return f"some rows of the table {table} cannot be read"
    return f"an index of the table {table} cannot be read, though its rows can"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _name(conn: sqlite3.Connection, sql: str, value: object, errors: type[Exception] = sqlite3.DatabaseError) -> str | None:
    """The first column of the row ``sql`` finds for ``value``; None when there is none or
    the file cannot answer (``errors``)."""
    try:
        row = conn.execute(sql, (value,)).fetchone()
    except errors:
        return None
    return row[0] if row else None


def _name_of_root(conn: sqlite3.Connection, root: int) -> str | None:
    return _name(conn, "SELECT name FROM sqlite_master WHERE rootpage = ?", root)


def _name_of_page(conn: sqlite3.Connection, page: int) -> str | None:
    """The table or index a page belongs to, when SQLite has the ``dbstat`` table and can walk the file."""
    return _name_of_root(conn, page) or _name(conn, "SELECT name FROM dbstat WHERE pageno = ?", page, sqlite3.Error)


def _table_of_index(conn: sqlite3.Connection, index: str) -> str | None:
    return _name(conn, "SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND name = ?", index)


def _what(conn: sqlite3.Connection, name: str) -> str:
    """A table or index as a person would say it."""
    if name in ("sqlite_master", "sqlite_schema"):
        return "the list of tables (the schema)"
    base, fts, _ = name.partition("_fts")
    if fts:
        return f"the search index of {base} ({name})"
    table = _table_of_index(conn, name)
    if table:
        return f"the index {name} of the table {table}"
    return f"the table {name}"


def _rows_where(conn: sqlite3.Connection, table: str, condition: str) -> list[int]:
    try:
        return [r[0] for r in conn.execute(f"SELECT rowid FROM {_quote(table)} WHERE {condition} ORDER BY rowid LIMIT 1000")]
    except sqlite3.Error:
        return []


def check_rules(sql: str) -> list[str]:
    """The expressions of every CHECK constraint in a CREATE TABLE statement."""
    rules = []
    for m in re.finditer(r"\bCHECK\s*\(", sql, re.IGNORECASE):
        depth, i, quote = 1, m.end(), None
        while i < len(sql) and depth:
            c = sql[i]
            if quote:
                if c == quote:
                    quote = None
            elif c in "'\"`[":
                quote = "]" if c == "[" else c
            elif c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
            i += 1
        if depth == 0:
            rules.append(" ".join(sql[m.end() : i - 1].split()))
    return rules


def _broken_checks(conn: sqlite3.Connection, table: str) -> list[tuple[str, list[int]]]:
    """(rule, rows that break it) for each CHECK constraint of ``table`` that some row breaks."""
    try:
        row = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
    except sqlite3.DatabaseError:
        return []
    broken = []
    for rule in check_rules(row[0] if row and row[0] else ""):
        # A CHECK fails only when its expression is false; NULL passes.
        rows = _rows_where(conn, table, f"NOT coalesce(({rule}), 1)")
        if rows:
            broken.append((rule, rows))
    return broken
