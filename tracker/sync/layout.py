"""The dataset's files in a clone (``tracker-data/``): writing them from the SQLite file,
and reading them back, checked.

Each file holds the JSONL exchange records of one kind (``scales.jsonl``,
``actors.jsonl``, ``questions.jsonl``, ``sources.jsonl``, one
``positions/<question-slug>.jsonl`` a question) plus the time each record was last
changed (``updated_at``, what "later" means when a merge meets a field changed on both
sides), and ``deleted.jsonl``, the tombstones of deleted positions. One record a line,
keys in a fixed order, sorted by uid (positions by date, then uid), so that git merges
most edits line by line. A position file is emptied, never removed: git would meet a
removal against another clone's edit as a conflict no merge driver is asked about.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from tracker.domain.dates import parse_date
from tracker.domain.text import json_dumps, quoted
from tracker.errors import TrackerError
from tracker.files import new_file_mode, sync_folder, temporary_beside
from tracker.formats.records import FIELDS, check_record
from tracker.store.dataset import deleted_positions, layout_rows
from tracker.store.rows import aliases as stored_aliases
from tracker.store.rows import tags as stored_tags

DATA = "tracker-data"
POSITIONS = "positions"
DELETED = "deleted.jsonl"
FILES = {"scale": "scales.jsonl", "actor": "actors.jsonl", "question": "questions.jsonl", "source": "sources.jsonl"}
# The keys of each kind of line, in order: the exchange record's, then the time of its last change.
KEYS = {kind: (*names, "updated_at") for kind, names in FIELDS.items()} | {"deleted": ("type", "uid", "kind", "at")}


class LayoutError(TrackerError):
    """A dataset file that is not what the layout writes (edited by hand, say)."""


def line(record: dict) -> str:
    """One record as the layout writes it: its kind's keys in order, a final newline."""
    return json_dumps({name: record.get(name) for name in KEYS[record["type"]]}) + "\n"


@lru_cache(maxsize=4096)
def _start(date: str) -> str:
    try:
        return parse_date(date).start.isoformat()
    except TrackerError:
        return ""  # refused when the file is read back; here it only has to sort


def sort_key(record: dict) -> tuple[str, str]:
    """Where a record goes in its file: positions by date, then uid; the others by uid."""
    if record.get("type") == "position":
        return (_start(str(record.get("date"))), record["uid"])
    return ("", record["uid"])


def parse(text: str, where: str) -> dict:
    """A line of a dataset file: a JSON object with a known type and a uid; LayoutError
    (naming ``where``) otherwise."""
    try:
        record = json.loads(text)
    except (json.JSONDecodeError, RecursionError, ValueError):
        raise LayoutError(f"{where}: not valid JSON") from None
    if not isinstance(record, dict) or record.get("type") not in KEYS or not isinstance(record.get("uid"), str):
        raise LayoutError(f"{where}: not a record of the dataset (a JSON object with a type and a uid)")
    return record


def parse_file(text: str, name: str) -> list[dict]:
    """The records of a dataset file's text."""
    return [parse(t, f"{name} line {n}") for n, t in enumerate(text.splitlines(), start=1) if t.strip()]


# ---------------------------------------------------------------------- writing


@dataclass
class Written:
    records: int = 0  # records added, changed or removed, against the files as they were
    # The file's own records, uid -> its line: a line of the merged files that is one of
    # them is the file's data already (neither parsed nor checked again).
    mine: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Entry:
    """A record to write: its file's group (a position's question), where it sorts, its
    time and its line."""

    group: str
    key: tuple[str, str]
    updated_at: str
    text: str

    @classmethod
    def of(cls, record: dict) -> _Entry:
        group = str(record.get("question")) if record.get("type") == "position" else ""
        return cls(group, sort_key(record), str(record.get("updated_at") or ""), line(record))


def write(conn, root: Path) -> Written:
    """Write the file's data (``conn``) into ``root/tracker-data``; a file that would not
    change is left alone.

    The file's rows replace their lines, except where a line holds a later change (a
    merge whose import failed, a `git pull` made by hand): the lines of the clone's
    commit that the file does not have yet are kept, never taken for deletions; only a
    position the file's revision log says was deleted here leaves (for a tombstone)."""
    folder = root / DATA
    (folder / POSITIONS).mkdir(parents=True, exist_ok=True)
    data = layout_rows(conn)
    written = Written()
    makers = {"scale": _scale, "actor": _actor, "question": _question, "source": _source}
    for kind, name in FILES.items():
        mine = {r["uid"]: _Entry.of(r) for r in map(makers[kind], data[kind])}
        _put(folder / name, _newest(mine, _texts(folder / name), ()), written)
        written.mine.update((uid, e.text) for uid, e in mine.items())
    mine = {p["uid"]: _Entry.of(_position(p)) for p in data["position"]}
    written.mine.update((uid, e.text) for uid, e in mine.items())
    old_files = sorted((folder / POSITIONS).glob("*.jsonl"))
    deleted = deleted_positions(conn)
    old = [t for path in old_files for t in _texts(path)]
    files: dict[str, list[_Entry]] = {path.stem: [] for path in old_files}  # emptied, never removed
    for e in _newest(mine, old, deleted.keys()):
        files.setdefault(e.group, []).append(e)
    for slug, entries in files.items():
        _put(folder / POSITIONS / f"{slug}.jsonl", entries, written)
    _put(folder / DELETED, _tombstones(folder / DELETED, deleted), written)
    return written


def _newest(mine: dict[str, _Entry], old: list[tuple[str, str]], deleted) -> list[_Entry]:
    """The records to write, sorted: the file's own, or the old line of the same uid
    where it holds a later change; the old lines the file has not seen, unless their uid
    is in ``deleted``. ``old``: (where, line) of the files as they are."""
    out = dict(mine)
    same = {e.text for e in mine.values()}
    for where, text in old:
        if text in same:
            continue
        rec = parse(text, where)
        had = out.get(rec["uid"])
        if had is None and rec["uid"] in deleted:
            continue
        old_entry = _Entry.of(rec)
        # Only a strictly later line: at the same second, the file's row is taken to be an
        # edit made since (a line that wins a tie would undo it at the import).
        if had is None or old_entry.updated_at > had.updated_at:
            out[rec["uid"]] = old_entry
    return sorted(out.values(), key=lambda e: e.key)


def _tombstones(path: Path, deleted: dict[str, str]) -> list[_Entry]:
    """The file's tombstones, each with the time it first had (so that every clone
    writes the same line), then those of this file's own deletions. A tombstone stays
    when an edit won over its deletion (the position is back, beside it): the set only
    grows, so every clone settles on the same one."""
    kept = {t["uid"]: t for t in (parse(text, where) for where, text in _texts(path))}
    for uid, at in deleted.items():
        kept.setdefault(uid, {"type": "deleted", "uid": uid, "kind": "position", "at": at})
    return sorted(map(_Entry.of, kept.values()), key=lambda e: e.key)


def _scale(s: dict) -> dict:
    return {"type": "scale", **s}


def _source(s: dict) -> dict:
    return {"type": "source", **s}


def _actor(a: dict) -> dict:
    return {"type": "actor", **a, "aliases": list(stored_aliases(a["aliases"], a["uid"]))}


def _question(q: dict) -> dict:
    return {"type": "question", **q, "tags": list(stored_tags(q["tags"], "questions", q["uid"]))}


def _position(p) -> dict:
    return {"type": "position", **dict(p), "tags": list(stored_tags(p["tags"], "positions", p["uid"]))}


def _texts(path: Path) -> list[tuple[str, str]]:
    """(where, line with its newline) of each non-blank line of a dataset file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except UnicodeDecodeError:
        raise LayoutError(f"{_shown(path)}: not UTF-8 text") from None
    shown = _shown(path)
    return [(f"{shown} line {n}", t + "\n") for n, t in enumerate(text.splitlines(), start=1) if t.strip()]


def _shown(path: Path) -> str:
    """A dataset file's name as messages give it: from tracker-data/ on."""
    parts = path.parts
    return "/".join(parts[parts.index(DATA) :]) if DATA in parts else str(path)


def _put(path: Path, entries: list[_Entry], written: Written) -> None:
    text = "".join(e.text for e in entries)
    try:
        old = path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        old = None  # written, even empty: every file of the layout is there
    if text == old:
        return
    before = set((old or "").splitlines(keepends=True))
    added = sum(e.text not in before for e in entries)  # new or changed
    removed = len(before - {e.text for e in entries})  # removed or changed
    written.records += max(added, removed)  # a changed record counted once
    mode = new_file_mode(path)
    fd, temporary = temporary_beside(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


# ---------------------------------------------------------------------- reading


@dataclass
class Layout:
    """What a clone's dataset files hold beyond what the SQLite file has already: the
    checked records that differ from the file's own (by kind; positions by uid), the uids
    of every position the files hold, and the tombstones (uid -> time)."""

    records: dict[str, list[dict]]
    positions: dict[str, dict]
    present: set[str]
    tombstones: dict[str, str]


def read(root: Path, known: dict[str, str]) -> Layout:
    """Read the dataset files and check every record that is not one of ``known`` (the
    file's own, uid -> line, as the layout wrote them); LayoutError names the first bad
    line. A line that is one of them is the file's data already."""
    folder = root / DATA
    uids = {text: uid for uid, text in known.items()}
    records: dict[str, list[dict]] = {kind: [] for kind in FILES}
    for kind, name in FILES.items():
        for where, text in _texts(folder / name):
            if text not in uids:
                records[kind].append(_checked(parse(text, where), kind, where))
    chosen: dict[str, tuple[str, str]] = {}  # uid -> (where, line)
    files = sorted((folder / POSITIONS).glob("*.jsonl")) if (folder / POSITIONS).is_dir() else []
    for path in files:
        for where, text in _texts(path):
            uid = uids.get(text) or parse(text, where)["uid"]
            # A position in two files (moved to another question on one side, edited on
            # the other): the later change is kept, as for a field changed on both sides.
            if uid not in chosen or _rank(text, where) > _rank(chosen[uid][1], chosen[uid][0]):
                chosen[uid] = (where, text)
    positions = {
        uid: _checked(parse(text, where), "position", where) for uid, (where, text) in chosen.items() if text not in uids
    }
    tombstones = {}
    for where, text in _texts(folder / DELETED):
        raw = parse(text, where)
        if raw["type"] != "deleted" or raw.get("kind") != "position" or not isinstance(raw.get("at"), str):
            raise LayoutError(f"{where}: not a tombstone of a position")
        tombstones[raw["uid"]] = raw["at"]
    return Layout(records, positions, set(chosen), tombstones)


def _rank(text: str, where: str) -> tuple[str, str]:
    return (str(parse(text, where).get("updated_at") or ""), text)


def _checked(raw: dict, kind: str, where: str) -> dict:
    """The exchange record's check, with the layout's time kept beside it."""
    if raw["type"] != kind:
        raise LayoutError(f"{where}: a {raw['type']} in a file of {kind}s")
    raw = dict(raw)
    at = raw.pop("updated_at", "")
    if not isinstance(at, str):
        raise LayoutError(f"{where}: updated_at {quoted(at)} is not a text")
    try:
        rec = check_record(raw)
    except TrackerError as e:
        raise LayoutError(f"{where}: {e}") from None
    return rec | {"updated_at": at}
