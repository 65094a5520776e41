"""The schema a file should have, and how the file's own differs from it.

A file may come from someone else. Its schema (``sqlite_master``) is compared with the
one its version should have, built by applying the migrations 1..version to an empty
in-memory database (once per version and process). Only ``sqlite_master`` is read, a few
dozen rows whatever the file's size, so the comparison costs about a millisecond at
every open (the expected schema, once per process, a few more).

What differs falls in three kinds:

- a trigger that is not ours (a name we do not have, or our name with other SQL): it
  would run its own code on every write, so the file is refused by every command;
- an object of ours missing or changed (a dropped search table, a table whose columns
  differ, a dropped index or trigger): every command but ``check`` refuses the file;
- the user's own tables, views and indexes (names we do not use): allowed, and
  ``check`` lists them.
"""

from __future__ import annotations

import json
import re
import shlex
import sqlite3
import zlib
from dataclasses import dataclass, field
from pathlib import Path

# A quoted string or name, a comment, or a run of white space (see _normalise).
_TOKENS = re.compile(r"""('(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\])|(--[^\n]*|/\*.*?(?:\*/|$))|(\s+)""", re.S)
# Shadow tables of a full-text index: made by SQLite itself, worded by its version.
_SHADOW = ("_data", "_idx", "_content", "_docsize", "_config")

_expected_cache: dict[tuple, dict[tuple[str, str], tuple[str, str]]] = {}


def _normalise(sql: str | None) -> str:
    """``sql`` with comments dropped and white space outside quotes reduced to one space
    (none next to punctuation), so that only a real change counts."""
    if sql is None:
        return ""

    def one(m: re.Match) -> str:
        if m[1] is not None:
            return m[1]
        return " "

    text = _TOKENS.sub(one, sql).strip()
    return re.sub(r" ?([(),;]) ?", r"\1", text) if "'" not in text and '"' not in text else text


def _objects(conn: sqlite3.Connection) -> dict[tuple[str, str], tuple[str, str | None]]:
    """{(type, name): (tbl_name, sql)} of ``conn``'s schema, SQLite's own objects left out."""
    found = {}
    for type_, name, tbl_name, sql in conn.execute("SELECT type, name, tbl_name, sql FROM main.sqlite_master"):
        if not isinstance(name, str) or name.startswith("sqlite_"):
            continue  # sqlite_sequence, sqlite_stat1, sqlite_autoindex_*: SQLite's, follow from the tables
        found[(str(type_), name)] = (str(tbl_name), sql)
    return found


def expected(version: int) -> dict[tuple[str, str], tuple[str, str | None]]:
    """The schema a file at ``version`` should have, as :func:`_objects` gives it.

    Built by applying migrations 1..version to an in-memory database (for the newest
    version, by ``_migrate`` itself, so whatever it does beyond the scripts counts);
    cached per version and list of migrations. The newest version's comes from the file
    :data:`SAVED` when it was saved from these same migrations: building it took 9 ms of
    every start of the interface, before its first paint."""
    from tracker.store import database

    migrations = tuple(m for m in database.MIGRATIONS if m[0] <= version)
    key = (version, migrations)
    if key not in _expected_cache:
        saved = _saved(migrations) if version == database.LATEST_VERSION else None
        _expected_cache[key] = saved if saved is not None else built(version)
    return _expected_cache[key]


def built(version: int) -> dict[tuple[str, str], tuple[str, str | None]]:
    """The schema of version ``version``, made by applying the migrations (see :func:`expected`)."""
    from tracker.store import database

    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        if version == database.LATEST_VERSION:
            database._migrate(conn, Path(":memory:"), seed=False)  # no rows: no sqlite-utils to import
        else:
            for _, _, sql in (m for m in database.MIGRATIONS if m[0] <= version):
                for statement in database._statements(sql):
                    conn.execute(statement)
        return _objects(conn)
    finally:
        conn.close()


# The newest schema as the migrations make it, saved beside them (installed with the program,
# never read from a user's file): tests/fixtures/make_fixtures.py writes it again when a
# migration is added (tests/test_untrusted_schema.py fails until it is).
SAVED = "latest_schema.json"


def _digest(migrations: tuple) -> str:
    """What the saved schema was made from: every migration's number, name and script, as
    a CRC-32 (the saved file ships with the migrations; this only tells that one of them
    changed after it was saved, and zlib costs nothing to import where hashlib took 3 ms
    of every start)."""
    digest = 0
    for version, name, sql in migrations:
        digest = zlib.crc32(f"{version}\0{name}\0{sql}\0".encode(), digest)
    return f"crc32:{digest:08x}"


def _saved(migrations: tuple) -> dict[tuple[str, str], tuple[str, str | None]] | None:
    """The saved newest schema, or None if it was saved from other migrations (or is missing)."""
    from tracker.store import database

    try:
        data = json.loads((database.MIGRATIONS_FOLDER / SAVED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("digest") != _digest(migrations):
        return None
    return {(type_, name): (table, sql) for type_, name, table, sql in data["objects"]}


def save_latest(folder: Path) -> Path:
    """Write the newest schema, as :func:`built` makes it, to ``folder``/:data:`SAVED`."""
    from tracker.store import database

    objects = built(database.LATEST_VERSION)
    data = {
        "version": database.LATEST_VERSION,
        "digest": _digest(database.MIGRATIONS),
        "objects": [[type_, name, table, sql] for (type_, name), (table, sql) in sorted(objects.items())],
    }
    path = folder / SAVED
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


@dataclass
class Differences:
    """How a file's schema differs from the one its version should have."""

    foreign_triggers: list[tuple[str, str]] = field(default_factory=list)  # (name, table)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (type, name)
    changed: list[tuple[str, str]] = field(default_factory=list)  # (type, name)
    additions: list[tuple[str, str]] = field(default_factory=list)  # (type, name): the user's own

    @property
    def broken(self) -> bool:
        """Objects of ours missing or changed."""
        return bool(self.missing or self.changed)


def compare(conn: sqlite3.Connection, version: int) -> Differences:
    """How ``conn``'s schema differs from the one ``version`` should have."""
    ours = expected(version)
    theirs = _objects(conn)
    virtual = {name for (type_, name), (_, sql) in ours.items() if type_ == "table" and (sql or "").startswith("CREATE VIRTUAL")}
    diff = Differences()
    for key, (tbl_name, sql) in theirs.items():
        type_, name = key
        mine = ours.get(key)
        if type_ == "trigger":
            if mine is None or (sql != mine[1] and _normalise(sql) != _normalise(mine[1])) or tbl_name != mine[0]:
                diff.foreign_triggers.append((name, tbl_name))
        elif mine is None:
            if any(name == f"{v}{s}" for v in virtual for s in _SHADOW):
                diff.changed.append(key)  # a part of our search index, as a table we do not make
            elif not any(k[1] == name for k in ours):
                diff.additions.append(key)
            else:
                diff.changed.append(key)  # one of our names, as another kind of object
        elif sql != mine[1] and not _shadow(name, virtual) and _normalise(sql) != _normalise(mine[1]):
            diff.changed.append(key)
    for key in ours:
        if key not in theirs and not (key[0] == "trigger" and any(t[0] == key[1] for t in diff.foreign_triggers)):
            if not any(k[1] == key[1] for k in theirs):
                diff.missing.append(key)
    return diff


def _shadow(name: str, virtual: set[str]) -> bool:
    return any(name == f"{v}{s}" for v in virtual for s in _SHADOW)


# ---------------------------------------------------------------------- in words

_KINDS = {"table": "table", "index": "index", "view": "view", "trigger": "trigger"}


def _search_index(name: str) -> str | None:
    """The search index ``name`` belongs to (``positions_fts`` for ``positions_fts_data``)."""
    base, fts, _ = name.partition("_fts")
    return f"{base}_fts" if fts else None


def _named(objects: list[tuple[str, str]]) -> str:
    return ", ".join(f"{_KINDS.get(t, t)} {n}" for t, n in _grouped(objects))


def _grouped(objects: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``objects`` with the parts of a search index (positions_fts_data...) left out
    when the index itself is listed: "search table positions_fts" says it all."""
    indexes = {n for t, n in objects if t == "table" and n.endswith("_fts")}
    kept = []
    for t, n in objects:
        if t == "table" and n in indexes:
            kept.append(("search table", n))
        elif not (t == "table" and _search_index(n) in indexes):
            kept.append((t, n))
    return kept


def refusal(path: Path | str, diff: Differences) -> str | None:
    """The one line that refuses a file whose schema is not what its version should have,
    or None. A foreign trigger comes first: it is refused even by ``check``'s open."""
    if diff.foreign_triggers:
        return trigger_refusal(path, diff)
    if diff.broken:
        what = []
        if diff.missing:
            what.append(f"is missing {_named(diff.missing)}")
        if diff.changed:
            what.append(f"has a changed {_named(diff.changed)}")
        return (
            f"{path} {' and '.join(what)}, which Position Tracker needs, so it was not opened (it was left untouched);"
            f" `tracker --db {shlex.quote(str(path))} check` says what to do"
        )
    return None


def trigger_refusal(path: Path | str, diff: Differences) -> str:
    names = ", ".join(f"{n}, on {t}" for n, t in diff.foreign_triggers)
    drops = "; ".join(f"DROP TRIGGER {_quote(n)}" for n, _ in diff.foreign_triggers)
    one = len(diff.foreign_triggers) == 1
    return (
        f"{path} has {'a trigger' if one else 'triggers'} that Position Tracker did not make ({names}):"
        f" a trigger runs its own code on every write, so the file was not opened."
        f" Remove {'it' if one else 'them'} with: sqlite3 {shlex.quote(str(path))} {_shell(drops)}"
    )


def _quote(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) else '"' + name.replace('"', '""') + '"'


def problems(conn: sqlite3.Connection, path: Path | None) -> tuple[list[tuple[str, str]], list[str], Differences | None]:
    """For ``check``: ([(problem, advice)], [notes], the differences or None when the
    version cannot be read)."""
    from tracker.store import database

    file = shlex.quote(str(path)) if path else "FILE"
    try:
        version = database._version(conn, path or Path("FILE"))
    except database.StoreError as e:
        return [(
            f"the schema version in schema_migrations cannot be read ({getattr(e, 'detail', e)})",
            "the table schema_migrations was changed by another program: restore the file from a backup",
        )], [], None  # fmt: skip
    if version == 0 or version > database.LATEST_VERSION:
        return [], [], None
    diff = compare(conn, version)
    found: list[tuple[str, str]] = []
    for name, table in diff.foreign_triggers:
        found.append((
            f"the trigger {name} (on {table}) was not made by Position Tracker: it runs its own code on every write",
            f"remove it with: sqlite3 {file} {_shell(f'DROP TRIGGER {_quote(name)}')}",
        ))  # fmt: skip
    for type_, name in _grouped(diff.missing) + _grouped(diff.changed):
        state = "is missing" if (type_.removeprefix("search "), name) in diff.missing else "differs from the one Position Tracker makes"
        index = _search_index(name)
        if index and ("table", index) in expected(version):
            what = f"the {type_} {name}" if name == index else f"the {type_} {name} of the search index {index}"
            found.append((f"{what} {state}: searching cannot work", _rebuild_search(file, index, version, diff)))
        elif type_ in ("index", "trigger") and (type_, name) in expected(version):
            sql = " ".join(str(expected(version)[(type_, name)][1]).split())
            why = "an index is a copy of its table's rows, which are intact" if type_ == "index" else (
                "the program relies on it (to keep the search index or the revision log)"
            )
            found.append((
                f"the {type_} {name} {state}",
                f"{why}; make it again with: sqlite3 {file} {_shell(f'DROP {type_.upper()} IF EXISTS {name}; {sql};')}",
            ))  # fmt: skip
        else:
            found.append((
                f"the {type_} {name} {state}",
                "the file was changed by another program: restore it from a backup (`tracker backup` makes one of a sound file)",
            ))  # fmt: skip
    notes = []
    if diff.additions:
        notes.append(f"your own additions, left alone: {_named(diff.additions)}")
    return found, notes, diff


def _rebuild_search(file: str, index: str, version: int, diff: Differences) -> str:
    """How to make a search index again: its table as the migration makes it, the
    triggers that keep it that are missing, then filled from the rows."""
    ours = expected(version)
    base = index.removesuffix("_fts")
    statements = [f"DROP TABLE IF EXISTS {index}", ours[("table", index)][1]]
    for (type_, name), (_, sql) in ours.items():
        if type_ == "trigger" and ("trigger", name) in diff.missing and f" {index}" in (sql or "") and name.startswith(base):
            statements.append(sql)
    if index == "actors_fts":
        from tracker.store.integrity import ACTORS_INDEX_REBUILD

        statements.append(ACTORS_INDEX_REBUILD.rstrip(";"))
    else:
        statements.append(f"INSERT INTO {index}({index}) VALUES('rebuild')")
    script = " ".join("; ".join(" ".join(str(s).split()) for s in statements).split()) + ";"
    return f"only search is affected, the data is intact; make the index {index} again with: sqlite3 {file} {_shell(script)}"


def _shell(text: str) -> str:
    """``text`` as one shell word, in double quotes when it allows (SQL quotes in single)."""
    return f'"{text}"' if not any(c in text for c in '"$`\\!') else shlex.quote(text)


def find(conn: sqlite3.Connection, path: Path | None, found) -> bool:
    """For ``check`` (integrity.find_problems): the schema's problems added to ``found``
    and the user's own additions to its notes. False when the rest cannot be checked (a
    version that cannot be read, an object of ours missing or changed)."""
    from tracker.store.integrity import Problem

    problems_, notes, diff = problems(conn, path)
    found.extend(Problem(text, advice) for text, advice in problems_)
    found.notes.extend(notes)
    if (diff is None and problems_) or (diff is not None and diff.broken):
        found.notes.append("rows, foreign keys and search indexes were not checked: the schema is not the one Position Tracker makes")
        return False
    return True
