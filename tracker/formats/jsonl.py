"""JSONL, the exchange format: one object a line, sorted so that a dataset diffs cleanly."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import IO

from tracker.domain.text import json_dumps, quoted
from tracker.errors import TrackerError
from tracker.formats.records import FIELDS, check_decoded, check_record
from tracker.store.exports import export_rows
from tracker.store.rows import aliases as stored_aliases
from tracker.store.rows import out_of_shape
from tracker.store.rows import tags as stored_tags


def _object(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object, refused when it gives a key twice (json keeps the last one silently)."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise TrackerError(f"the field {quoted(key)} is given twice")
            seen.add(key)
    return obj


def _json_problem(e: json.JSONDecodeError) -> str:
    """json's message with its column: "Expecting ',' delimiter at column 18". Some of its
    messages end with "at" already ("Unterminated string starting at"); a line that ends
    inside a string (its end of line is the "control character") is said in words."""
    if e.msg.startswith("Invalid control character") and e.doc[e.pos : e.pos + 1] in ("\n", "\r"):
        return f"a string is not closed: the line ends at column {e.colno} before its closing quote"
    return f"{e.msg} {'column' if e.msg.endswith(' at') else 'at column'} {e.colno}"


def read_records(lines: IO[str]) -> Iterator[tuple[int, dict]]:
    """``(line number, checked record)`` for each non-blank line; TrackerError names the line."""
    number = 0
    loads = json.JSONDecoder(object_pairs_hook=_object).decode
    try:
        for number, text in enumerate(lines, start=1):
            if number == 1:
                text = text.removeprefix("\ufeff")  # a byte order mark left by some editors
            if not text or text.isspace():
                continue
            check_decoded(text, number)
            try:
                if text[0] == "\ufeff":  # as json.loads says it
                    raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
                raw = loads(text)
            except json.JSONDecodeError as e:
                raise TrackerError(f"line {number}: not valid JSON ({_json_problem(e)})") from None
            except ValueError:  # from int(): a number too long to convert
                limit = sys.get_int_max_str_digits()
                raise TrackerError(f"line {number}: not valid JSON (a number of more than {limit:,} digits)") from None
            except RecursionError:
                raise TrackerError(f"line {number}: not valid JSON (arrays or objects nested too deeply)") from None
            except TrackerError as e:
                raise TrackerError(f"line {number}: {e}") from None
            try:
                # Without a backslash, no escape can have put a control character or a
                # surrogate in a string: the record can take the fast path.
                yield number, check_record(raw, plain="\\" not in text)
            except TrackerError as e:
                raise TrackerError(f"line {number}: {e}") from None
    except UnicodeDecodeError:
        raise TrackerError(f"line {number + 1}: the file is not UTF-8 text") from None


def _line(kind: str, values: dict) -> str:
    ordered = {name: values[name] for name in FIELDS[kind] if name != "type"}
    try:
        return json_dumps({"type": kind, **ordered}) + "\n"
    except (TypeError, ValueError):  # a blob where a text belongs: only another program writes one
        name, found = next(_blobs(ordered), ("a value", None))
        raise out_of_shape(f"{kind}s", _which(values), f"{name} is not a text", found) from None


def _blobs(values: dict):
    """(name, value) of each blob among ``values``, those of a scale's levels included."""
    for name, value in values.items():
        if isinstance(value, bytes):
            yield name, value
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    yield from ((f"{name}: {n}", v) for n, v in item.items() if isinstance(v, bytes))


def _which(values) -> str:
    """A row of an export read, as a message names it (those reads have no ids)."""
    return f"with uid {values['uid']}" if "uid" in values.keys() else "?"


def write(conn, out: IO[str], *, actor_id: int | None = None, question_id: int | None = None) -> int:
    """Write the dataset (or the part about one actor and/or question); returns the number of lines."""
    data = export_rows(conn, actor_id=actor_id, question_id=question_id)
    try:
        return _write(data, out)
    finally:
        # A write that fails (a closed pipe) must not leave a query running until the
        # connection is closed under it.
        for rows in data.values():
            close = getattr(rows, "close", None)
            if close is not None:
                close()


def _write(data: dict, out: IO[str]) -> int:
    count = 0
    for s in data["scale"]:
        out.write(_line("scale", s))
        count += 1
    for a in data["actor"]:
        out.write(_line("actor", dict(a) | {"aliases": stored_aliases(a["aliases"], _which(a))}))
        count += 1
    for q in data["question"]:
        out.write(_line("question", dict(q) | {"tags": stored_tags(q["tags"], "questions", _which(q))}))
        count += 1
    for s in data["source"]:
        out.write(_line("source", dict(s)))
        count += 1
    for p in data["position"]:
        out.write(_line("position", dict(p) | {"tags": stored_tags(p["tags"], "positions", _which(p))}))
        count += 1
    return count
