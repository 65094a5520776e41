"""Fuzzing `tracker import`: valid JSONL and CSV files spoiled one field, one cell or one
line at a time, imported by the command line into a copy of the sample database.

Whatever the spoiling, the import either succeeds (and a free-text field is stored exactly
as given) or it exits 1 with one printable line, ``tracker: line N: …`` naming the line and
the field, and the database file is untouched: same bytes, same ``data_version``, same row
counts. Never a traceback.

test_formats.py checks one hand-written bad line of each kind; this file throws wrong
types, huge numbers, empty values, control characters, lone surrogates (``\\ud800``
escapes), invalid UTF-8 bytes, byte order marks, CRLF, terminal markup, very long strings,
NUL bytes, duplicate keys, nested objects and truncated lines at every field of every
record type. The tests at the end hold the minimal example of each bug it found, kept as
regressions.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import example, given
from hypothesis import strategies as st

from tracker.cli import cli
from tracker.domain.validation import SLUG_RE
from tracker.store import Store

from fuzz_helpers import (
    WIDE,
    Watch,
    assert_no_traceback,
    assert_user_error,
    error_line,
    fuzz_settings,
    scratch_db,
)

# ---------------------------------------------------------------- a valid file to spoil

# New records (the sample dataset is already in the database), one a line, in file order.
GOOD = [
    {"type": "scale", "uid": "00000000-0000-4000-8000-00000000f001", "key": "fuzz-scale", "name": "Fuzz scale",
     "description": "two levels", "levels": [{"key": "no", "label": "No"},
                                             {"key": "yes", "label": "Yes", "colour": "#1e8449", "description": "d"}]},
    {"type": "actor", "uid": "00000000-0000-4000-8000-00000000f002", "slug": "fuzz-actor", "name": "Fuzz Actor",
     "kind": "person", "country": "FR", "parent": "france", "aliases": ["Fuzzy", "le fuzz"]},
    {"type": "question", "uid": "00000000-0000-4000-8000-00000000f003", "slug": "fuzz-question",
     "title": "Fuzz question", "description": "about fuzz", "scale": "fuzz-scale", "tags": ["fuzz"]},
    {"type": "source", "uid": "00000000-0000-4000-8000-00000000f004", "url": "https://example.org/fuzz",
     "title": "Fuzz article", "outlet": "Fuzz Times", "published": "2024-02-26", "language": "en"},
    {"type": "position", "uid": "00000000-0000-4000-8000-00000000f005", "actor": "fuzz-actor",
     "question": "fuzz-question", "stance": "yes", "date": "26 février 2024", "quote": "a quote", "quote_lang": "fr",
     "paraphrase": "a paraphrase", "context": "a context", "source": "https://example.org/fuzz",
     "confidence": "reported", "notes": "some notes", "tags": ["t"]},
]  # fmt: skip

# What each field is, for deciding which values must be refused.
#   req/opt: required or not; line: one line of text; text: any text; slug; list; levels;
#   enum: a word whose empty value means a default.
SPEC = {
    "scale": {"uid": "opt uid", "key": "req slug", "name": "req line", "description": "opt text", "levels": "levels"},
    "actor": {"uid": "opt uid", "slug": "req slug", "name": "req line", "kind": "enum", "country": "opt line",
              "parent": "opt slug", "aliases": "list req-items"},
    "question": {"uid": "opt uid", "slug": "req slug", "title": "req line", "description": "opt text",
                 "scale": "enum slug", "tags": "list"},
    "source": {"uid": "opt uid", "url": "opt line", "title": "opt line", "outlet": "opt line", "published": "opt text",
               "language": "opt line"},
    "position": {"uid": "opt uid", "actor": "req slug", "question": "req slug", "stance": "req line",
                 "date": "req text", "quote": "opt text", "quote_lang": "opt line", "paraphrase": "opt text",
                 "context": "opt text", "source": "opt line", "confidence": "enum", "notes": "opt text",
                 "tags": "list"},
}  # fmt: skip

# The words a refusal of each field may use to name it.
WORDS = {
    "uid": ("uid",), "key": ("scale key",), "levels": ("level",), "slug": ("slug", "parent"), "kind": ("kind",),
    "country": ("country",), "parent": ("parent",), "aliases": ("alias",), "tags": ("tag",), "scale": ("scale",),
    "url": ("url",), "published": ("published", "date"), "language": ("language",), "actor": ("actor",),
    "question": ("question",), "stance": ("stance",), "date": ("date",), "quote_lang": ("quote_lang",),
    "source": ("source",), "confidence": ("confidence",),
}  # fmt: skip

# Fields that name another record: a valid but different value can make another line fail.
IDENTITY = {("scale", "key"), ("actor", "slug"), ("question", "slug"), ("source", "url"), ("source", "uid"),
            ("scale", "levels"), ("question", "scale")}  # fmt: skip

# Free text stored as given (one-line fields stripped), checked after a successful import.
FREE_TEXT = {
    "scale": {"name": True, "description": False},
    "actor": {"name": True},
    "question": {"title": True, "description": False},
    "source": {"title": True, "outlet": True},
    "position": {"quote": False, "paraphrase": False, "context": False, "notes": False},
}


def good_lines() -> list[str]:
    return [json.dumps(r, ensure_ascii=False) for r in GOOD]


def test_the_good_file_imports(tmp_path):
    """The baseline the fuzzing spoils is itself valid."""
    with scratch_db() as db:
        path = tmp_path / "good.jsonl"
        path.write_text("\n".join(good_lines()) + "\n", encoding="utf-8")
        result = CliRunner().invoke(cli, ["--db", str(db), "import", str(path)], env=WIDE)
        assert result.exit_code == 0, result.output
        assert "positions: 1 created" in result.stdout


# ---------------------------------------------------------------- spoiled values

# Raw JSON for values json.dumps cannot write: lone surrogates, big and non-finite numbers.
RAW_VALUES = [
    '"\\ud800"', '"x\\udcff"', '"\\udfff\\ud800"', "1e999", "-1e999", "1e308", "NaN", "Infinity", "-Infinity",
    "1" + "0" * 400, "-" + "9" * 4000, "0.000000000000000000000000001", "-0", "1E+2",
]  # fmt: skip
WRONG_TYPES = [0, 1, -1, 1.5, True, False, None, [], [1], [None], ["ok", 2], {}, {"a": 1}, [[[[[]]]]],
               {"b": {"c": {"d": []}}}, [{"key": "x"}], 10**30]  # fmt: skip
NASTY_STRINGS = [
    "", " ", "\t", "\x00", "a\x00b", "\ufeff", "\ufeffx", "\x1b[2J", "\x1b]0;title\x07", "\x07\x08", "a\nb", "a\r\nb",
    "\r", "\u2028", "\u2029", "\x85", "\u202eevil", "[/b]", "[TODO]", "[bold]x[/]", "[@click=app.quit]q[/]",
    "[link=https://x.invalid]l[/link]", "$accent", "%s%n", "{0}", "\\", "'", '"', "x" * 100_001, "[b]" * 2000,
    "é" * 50_000 + "\n", "🇫🇷👍🏽", "مرحبا", "NULL", "null", "None", "true", "0", "-1", "1e999",
    "https://example.org/\x00", "javascript:alert(1)", "fuzz-actor", "france", "FR", "fr-FR", "2024", "yes", "YES",
]  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(RAW_VALUES),
    st.sampled_from(WRONG_TYPES).map(json.dumps),
    st.sampled_from(NASTY_STRINGS).map(lambda s: json.dumps(s, ensure_ascii=False)),
    st.text(max_size=30).map(lambda s: json.dumps(s, ensure_ascii=False)),
    st.text(max_size=30).map(json.dumps),  # \u escapes, surrogate pairs included
    st.lists(st.text(max_size=5), max_size=3).map(json.dumps),
)


def is_bad_text(value: str, *, line: bool) -> bool:
    """Text that check_text refuses whatever the field."""
    if "\x00" in value or len(value) > 100_000:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return line and ("\n" in value.strip() or "\r" in value.strip())


def must_refuse(kind: str, field: str, value: object) -> bool:
    """Whether ``value`` in ``field`` of a ``kind`` record can only be refused (False: it may be)."""
    spec = SPEC[kind][field].split()
    empty = value is None or value == ""
    if "levels" in spec:
        return not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value)
    if "list" in spec:
        if value is None:
            return False
        if not isinstance(value, list):
            return True
        for item in value:
            if item is None or item == "":
                if "req-items" in spec:
                    return True
                continue
            if not isinstance(item, str) or is_bad_text(item, line=True):
                return True
        return False
    if "enum" in spec:
        if empty:
            return False
        if not isinstance(value, str):
            return True
        return is_bad_text(value, line=True)
    if empty:
        return "req" in spec
    if not isinstance(value, str):
        return True
    if is_bad_text(value, line="line" in spec or "slug" in spec or "uid" in spec):
        return True
    if "req" in spec and not value.strip():
        return True
    if "slug" in spec and not SLUG_RE.match(value.strip()):
        return True
    return False


def decode(raw: str) -> object:
    """The Python value of a raw JSON fragment (big numbers as text: nothing but their type matters)."""
    try:
        return json.loads(raw)
    except ValueError:
        return 0


@st.composite
def spoiled_fields(draw):
    """(line number, record type, field, raw JSON value)."""
    index = draw(st.integers(0, len(GOOD) - 1))
    record = GOOD[index]
    kind = record["type"]
    field = draw(st.sampled_from(sorted(SPEC[kind])))
    raw = draw(VALUES)
    if field == "levels" and draw(st.booleans()):
        # Spoil one field of one level rather than the whole list.
        level = draw(st.integers(0, 1))
        level_field = draw(st.sampled_from(["key", "label", "colour", "description", "extra"]))
        levels = [json.dumps(lv, ensure_ascii=False) for lv in record["levels"]]
        inner = {k: json.dumps(v, ensure_ascii=False) for k, v in record["levels"][level].items()}
        inner[level_field] = raw
        levels[level] = "{" + ", ".join(f"{json.dumps(k)}: {v}" for k, v in inner.items()) + "}"
        raw = "[" + ", ".join(levels) + "]"
    return index + 1, kind, field, raw


def spoil(number: int, field: str, raw: str) -> list[str]:
    """The good file's lines with ``field`` of line ``number`` set to the raw JSON ``raw``."""
    record = GOOD[number - 1]
    parts = {k: json.dumps(v, ensure_ascii=False) for k, v in record.items()} | {field: raw}
    lines = good_lines()
    lines[number - 1] = "{" + ", ".join(f"{json.dumps(k)}: {v}" for k, v in parts.items()) + "}"
    return lines


def run_import(db: Path, path: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), "import", str(path), *args], env=WIDE)


def exported(db: Path) -> list[dict]:
    out = CliRunner().invoke(cli, ["--db", str(db), "export", "jsonl"], env=WIDE)
    assert out.exit_code == 0, out.output
    return [json.loads(line) for line in out.stdout.split("\n") if line]  # not splitlines: U+2028 is data


def find(records: list[dict], kind: str, template: dict) -> dict | None:
    key = {"scale": "key", "actor": "slug", "question": "slug", "source": "uid", "position": "uid"}[kind]
    return next((r for r in records if r["type"] == kind and r.get(key) == template.get(key)), None)


@fuzz_settings(80)
@given(spoiled_fields())
@example((5, "position", "quote", '"\\ud800"'))
@example((2, "actor", "name", json.dumps("x" * 100_001)))
@example((5, "position", "date", '{"nested": {"deeper": []}}'))
@example((3, "question", "tags", '[["nested"]]'))
@example((1, "scale", "levels", '[{"key": "no", "label": "No"}, {"key": "no", "label": "Again"}]'))
@example((4, "source", "url", '"https://example.org/a\\u0000"'))
@example((5, "position", "notes", '"[/b] [TODO] \\u001b[2J"'))
def test_a_spoiled_jsonl_field_is_refused_with_its_line_and_field(tmp_path, case):
    number, kind, field, raw = case
    lines = spoil(number, field, raw)
    value = decode(raw)
    path = tmp_path / "spoiled.jsonl"
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"))
    with scratch_db() as db:
        watch = Watch(db)
        result = run_import(db, path)
        assert_no_traceback(result)
        if result.exit_code == 0:
            assert not must_refuse(kind, field, value), ("accepted", field, raw[:200])
            watch.written()
            if field in FREE_TEXT[kind] and isinstance(value, str):
                stored = find(exported(db), kind, GOOD[number - 1])
                assert stored is not None
                assert stored[field] == (value.strip() if FREE_TEXT[kind][field] else value)
            return
        message = assert_user_error(result)
        watch.assert_unchanged()
        line = error_line(message)
        assert line is not None, message
        if line != number:
            # Only a valid new name for a record can make another line fail (it refers to the old one).
            assert (kind, field) in IDENTITY and not must_refuse(kind, field, value), (number, field, message)
            return
        words = WORDS.get(field, (field,))
        assert any(w in message for w in words), (field, message)


# ---------------------------------------------------------------- spoiled lines

BAD_BYTES = [b"\xff", b"\xfe", b"\x80", b"\xc3\x28", b"\xa0\xa1", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf4\x90\x80\x80",
             b"\xe2\x82", b"\xf0\x9f\x98"]  # fmt: skip


def is_utf8_bytes(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@st.composite
def spoiled_lines(draw):
    """(line number, how, the file's bytes, whether it must be refused, what the message says)."""
    lines = [line.encode("utf-8") for line in good_lines()]
    index = draw(st.integers(0, len(lines) - 1))
    line = lines[index]
    how = draw(
        st.sampled_from(["truncate", "bytes", "bom", "nul", "raw control", "not an object", "unknown field",
                         "duplicate key", "crlf", "cr", "blank lines", "concatenated"])
    )  # fmt: skip
    refuse, says = True, "not valid JSON"
    if how == "truncate":
        lines[index] = line[: draw(st.integers(1, len(line) - 1))]
    elif how == "bytes":
        at = draw(st.integers(0, len(line)))
        lines[index] = line[:at] + draw(st.sampled_from(BAD_BYTES)) + line[at:]
        says = "not UTF-8"
    elif how == "bom":
        lines[index] = b"\xef\xbb\xbf" + line
        refuse = index > 0  # a byte order mark is expected at the start of a file only
    elif how == "nul":
        at = draw(st.integers(0, len(line)))
        lines[index] = line[:at] + b"\x00" + line[at:]
    elif how == "raw control":  # inside a string: JSON wants it escaped
        at = line.index(b'": "') + 4
        lines[index] = line[:at] + draw(st.sampled_from([b"\x00", b"\x07", b"\x1b", b"\t", b"\x1f"])) + line[at:]
    elif how == "not an object":
        lines[index] = draw(st.sampled_from([b"[]", b'"actor"', b"1", b"null", b"true", b"[{}]", b"{}", b'{"type": 1}']))
        says = ""
    elif how == "unknown field":
        key = draw(st.sampled_from(["mood", "Type", "TYPE", " type", "type ", "", "\\u0000", "\\ud800", "[b]"]))
        lines[index] = line[:-1] + f', "{key}": 1}}'.encode()
        says = "unknown field"
    elif how == "duplicate key":
        key = draw(st.sampled_from(sorted(k for k in GOOD[index] if k != "type")))
        lines[index] = line[:-1] + b", " + json.dumps(key).encode() + b": " + json.dumps(GOOD[index][key]).encode() + b"}"
        says = f"the field {key!r} is given twice"
    elif how in ("crlf", "cr"):
        return 0, how, (b"\r\n" if how == "crlf" else b"\r").join(lines) + b"\r\n", False, ""
    elif how == "blank lines":
        lines[index] = b"   \t" + line
        lines.insert(index, b"")
        return 0, how, b"\n".join(lines) + b"\n", False, ""
    elif how == "concatenated":  # two records on one line
        lines[index] = line + b" " + line
    if not is_utf8_bytes(lines[index]):
        says = "not UTF-8"  # cut or split inside a character: that is what the line is first
    return index + 1, how, b"\n".join(lines) + b"\n", refuse, says


@fuzz_settings(50)
@given(spoiled_lines())
def test_a_spoiled_jsonl_line_is_refused_with_its_number(tmp_path, case):
    number, how, data, refuse, says = case
    path = tmp_path / "spoiled.jsonl"
    path.write_bytes(data)
    with scratch_db() as db:
        watch = Watch(db)
        result = run_import(db, path)
        assert_no_traceback(result)
        if not refuse:
            assert result.exit_code == 0, (how, result.output)
            watch.written()
            return
        message = assert_user_error(result)
        watch.assert_unchanged()
        assert error_line(message) == number, (how, message)
        assert says in message, (how, message)


# ---------------------------------------------------------------- the same through stdin, and --dry-run


@fuzz_settings(15)
@given(spoiled_fields(), st.booleans())
def test_stdin_and_dry_run_write_nothing_either(case, dry_run):
    number, kind, field, raw = case
    data = ("\n".join(spoil(number, field, raw)) + "\n").encode("utf-8", "surrogatepass")
    with scratch_db() as db:
        watch = Watch(db)
        args = ["--db", str(db), "import", "-"] + (["--dry-run"] if dry_run else [])
        result = CliRunner().invoke(cli, args, input=data, env=WIDE)
        assert_no_traceback(result)
        if result.exit_code == 0:
            if dry_run:
                assert result.stdout.splitlines()[-1] == "dry run: nothing was written"
                watch.assert_unchanged()
            else:
                watch.written()
            return
        message = assert_user_error(result)
        watch.assert_unchanged()
        assert error_line(message) is not None, message


# ---------------------------------------------------------------- CSV

HEADER = ["actor", "question", "stance", "date", "quote", "quote_lang", "paraphrase", "context", "source_url",
          "source_title", "outlet", "confidence", "notes"]  # fmt: skip
ROWS = [
    ["Emmanuel Macron", "ground-troops", "open", "2030-01-01", "a quote", "fr", "", "Élysée", "https://example.org/seed",
     "Paris conference", "", "confirmed", ""],
    ["Rutte", "Western ground troops", "Reluctant", "2030-01-02", "line one\nline two", "en", "p", "", "", "", "",
     "reported", "notes"],
    ["Fuzz Newcomer", "A fuzz question", "ruled-out", "2030-01-03", "", "", "", "", "https://example.org/csv-fuzz",
     "New article", "Fuzz Times", "", "=1+1"],
]  # fmt: skip
# Another (valid) question can make the row's stance wrong: it is a level of that question's scale.
CSV_WORDS = {
    "actor": ("actor",), "question": ("question", "stance"), "stance": ("stance",), "date": ("date",), "quote": ("quote",),
    "quote_lang": ("quote_lang",), "paraphrase": ("paraphrase",), "context": ("context",), "source_url": ("url",),
    "source_title": ("title", "source"), "outlet": ("outlet",), "confidence": ("confidence",), "notes": ("notes",),
}  # fmt: skip
# Cells that are free text, stored as given.
CSV_FREE = {"quote", "paraphrase", "context", "notes"}
REQUIRED = {"actor", "question", "stance", "date"}

CELLS = st.one_of(
    st.sampled_from(NASTY_STRINGS),
    st.text(max_size=30),
    st.sampled_from(["Macron", "m", "macron", "MACRON!!", "Ground", "ground-troops", "2", "99", "strongly",
                     "31 février 2024", "2024-13", "today", "c. 2022", "https://", "http://x", "ftp://x",
                     "inferred", "REPORTED", "pt-BR", "xx-", ",", '"', '""', "\r\n", "\n\n"]),
)  # fmt: skip


def csv_bytes(rows: list[list[str]], *, header: list[str] = HEADER, newline: str = "\r\n") -> bytes:
    out = io.StringIO(newline="")
    # With "\n" line ends, csv.writer would leave a lone "\r" unquoted (see test_a_lone_cr_survives_csv_export).
    writer = csv.writer(out, lineterminator=newline, quoting=csv.QUOTE_MINIMAL if newline == "\r\n" else csv.QUOTE_ALL)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


def row_lines(data: bytes) -> list[int]:
    """The line each row ends on (what the importer names), the header's first."""
    reader = csv.reader(io.StringIO(data.decode("utf-8", "surrogateescape"), newline=""))
    ends = []
    for _ in reader:
        ends.append(reader.line_num)
    return ends


def csv_must_refuse(column: str, value: str, row: list[str]) -> bool:
    if column == "outlet" and not (row[HEADER.index("source_url")].strip() or row[HEADER.index("source_title")].strip()):
        return False  # an outlet without a URL or a title names no source: the cell is not read
    if is_bad_text(value, line=False):
        return True
    return column in REQUIRED and not value.strip()


@st.composite
def spoiled_cells(draw):
    rows = [list(r) for r in ROWS]
    index = draw(st.integers(0, len(rows) - 1))
    column = draw(st.sampled_from(HEADER))
    value = draw(CELLS)
    rows[index][HEADER.index(column)] = value
    return index, column, value, rows, draw(st.sampled_from(["\r\n", "\n"]))


def run_csv(db: Path, tmp_path: Path, data: bytes):
    path = tmp_path / "spoiled.csv"
    path.write_bytes(data)
    return run_import(db, path)


@fuzz_settings(60)
@given(spoiled_cells())
@example((0, "actor", "a\x00b", None, "\r\n"))
@example((1, "quote", "x" * 100_001, None, "\n"))
@example((2, "notes", "[/b] [TODO] \x1b[2J\r\n\u2028", None, "\r\n"))
@example((0, "date", "", None, "\r\n"))
def test_a_spoiled_csv_cell_is_refused_with_its_line_and_column(tmp_path, case):
    index, column, value, rows, newline = case
    if rows is None:
        rows = [list(r) for r in ROWS]
        rows[index][HEADER.index(column)] = value
    data = csv_bytes(rows, newline=newline)
    number = row_lines(data)[index + 1]
    with scratch_db() as db:
        watch = Watch(db)
        result = run_csv(db, tmp_path, data)
        assert_no_traceback(result)
        if result.exit_code == 0:
            assert not csv_must_refuse(column, value, rows[index]), ("accepted", column, value[:80])
            watch.written()
            if column in CSV_FREE:
                with Store.open(db) as store:
                    (pos,) = [p for p in store.positions() if p.date.edtf == ROWS[index][3]]
                    assert getattr(pos, column) == value
            return
        message = assert_user_error(result)
        watch.assert_unchanged()
        line = error_line(message)
        assert line == number, (number, column, message)
        assert any(w in message for w in CSV_WORDS[column]), (column, message)


@st.composite
def spoiled_csv_files(draw):
    """(line the refusal must name or None when it may succeed, what it says, bytes)."""
    rows = [list(r) for r in ROWS]
    how = draw(st.sampled_from(["bytes", "cells", "bom", "crlf", "truncate", "header", "bad quote", "nul"]))
    index = draw(st.integers(0, len(rows) - 1))
    if how == "cells":
        rows[index] = rows[index] + ["extra"] * draw(st.integers(1, 3)) if draw(st.booleans()) else rows[index][:-2]
        data = csv_bytes(rows)
        return row_lines(data)[index + 1], "cells where the header has", data
    if how == "header":
        header = list(HEADER)
        header[draw(st.integers(0, len(header) - 1))] = draw(st.sampled_from(["", "Actor", "mood", "actor ", "\ufeffx"]))
        data = csv_bytes(rows, header=header)
        return None, "", data
    data = csv_bytes(rows)
    at = draw(st.integers(0, len(data) - 1))
    at = data.rfind(b"\n", 0, at) + 1  # the start of a physical line
    line_end = data.find(b"\n", at)
    line_end -= data[line_end - 1 : line_end] == b"\r"  # not between \r and \n: that makes a line of its own
    if how == "bytes":
        at = draw(st.integers(at, line_end))  # anywhere on that line
        spoiled = data[:at] + draw(st.sampled_from(BAD_BYTES)) + data[at:]
        # The importer names the line the spoiled row ends on (the header when it is line 1).
        physical = data.count(b"\n", 0, at) + 1
        return next(end for end in row_lines(spoiled) if end >= physical), "not UTF-8", spoiled
    if how == "bom":
        return None, "", data[:at] + b"\xef\xbb\xbf" + data[at:]
    if how == "crlf":
        return None, "", data.replace(b"\r\n", b"\n")
    if how == "truncate":
        return None, "", data[: draw(st.integers(1, len(data) - 1))]
    if how == "nul":
        at = draw(st.integers(at, line_end))
        return None, "", data[:at] + b"\x00" + data[at:]
    end = data.find(b"\r\n", at)  # bad quote: an unbalanced one at the end of a line
    end = len(data) if end == -1 else end
    return None, "", data[:end] + b',"unbalanced' + data[end:]


@fuzz_settings(50)
@given(spoiled_csv_files())
def test_a_spoiled_csv_file_is_refused_with_a_line_number(tmp_path, case):
    number, says, data = case
    with scratch_db() as db:
        watch = Watch(db)
        result = run_csv(db, tmp_path, data)
        assert_no_traceback(result)
        if result.exit_code == 0:
            assert number is None, ("accepted", data[:300])
            watch.written()
            return
        message = assert_user_error(result)
        watch.assert_unchanged()
        assert error_line(message) is not None, message
        if number is not None:
            assert error_line(message) == number and says in message, (number, message)


# ---------------------------------------------------------------- bugs once pinned here, kept as regressions


def refused(tmp_path: Path, text: str | bytes, suffix: str = ".jsonl") -> str:
    """Import ``text`` into a copy of the sample database: the one-line message; nothing written."""
    path = tmp_path / f"bug{suffix}"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    with scratch_db() as db:
        watch = Watch(db)
        result = run_import(db, path)
        message = assert_user_error(result)
        watch.assert_unchanged()
        return message


def test_an_integer_of_5000_digits_is_refused(tmp_path):
    message = refused(tmp_path, '{"type": "actor", "slug": "x", "name": ' + "1" * 5000 + "}\n")
    assert message.startswith("line 1: not valid JSON (a number of more than "), message


@pytest.mark.parametrize(
    "line, says",
    [
        ('{"type": []}', "line 1: type '[]' is not one of"),
        ('{"type": {"a": 1}}', "line 1: type \"{'a': 1}\" is not one of"),
        ('{"type": "actor", "slug": "x", "name": ' + "[" * 5000 + "]" * 5000 + "}", "line 1: not valid JSON (arrays"),
    ],
    ids=["type-list", "type-object", "deep-nesting"],
)
def test_a_type_that_cannot_be_looked_up_and_deep_nesting_are_refused(tmp_path, line, says):
    """Found while fixing the bugs above: both were tracebacks (TypeError, RecursionError)."""
    message = refused(tmp_path, line + "\n")
    assert message.startswith(says), message


@pytest.mark.parametrize(
    "line",
    [
        '{"type": "actor", "slug": "x", "name": "X", "kind": false}',
        '{"type": "actor", "slug": "x", "name": "X", "kind": 0}',
        '{"type": "question", "slug": "q", "title": "Q", "scale": []}',
        '{"type": "position", "actor": "macron", "question": "ground-troops", "stance": "open", "date": "2024", '
        '"confidence": {}}',
    ],
    ids=["kind-false", "kind-0", "scale-list", "confidence-object"],
)
def test_a_falsy_value_of_the_wrong_type_is_refused(tmp_path, line):
    message = refused(tmp_path, line + "\n")
    assert message.startswith("line 1: ") and "must be text" in message


def test_a_duplicate_key_is_refused(tmp_path):
    message = refused(tmp_path, '{"type": "actor", "slug": "x", "name": "First", "name": "Second"}\n')
    assert message == "line 1: the field 'name' is given twice", message


def test_a_bad_published_date_names_the_field(tmp_path):
    message = refused(tmp_path, '{"type": "source", "title": "T", "published": "soon"}\n')
    assert message.startswith("line 1: published: "), message


def test_a_loop_of_parents_names_a_line(tmp_path):
    text = (
        '{"type": "actor", "slug": "a", "name": "A", "parent": "b"}\n'
        '{"type": "actor", "slug": "b", "name": "B", "parent": "a"}\n'
    )
    message = refused(tmp_path, text)
    assert message == "line 1: the parents of actor 'a' form a loop", message


def test_a_5000_digit_actor_cell_is_a_new_actor_not_a_traceback(tmp_path):
    # A cell of digits is first tried as a row id; int() refuses more than 4,300 digits.
    path = tmp_path / "digits.csv"
    path.write_text("actor,question,stance,date\r\n" + "9" * 5000 + ",ground-troops,open,2024\r\n", encoding="utf-8")
    with scratch_db() as db:
        result = run_import(db, path, "--dry-run")
        assert_no_traceback(result)
        assert result.exit_code == 0, result.output


def test_a_bad_new_actor_in_csv_names_the_actor_column(tmp_path):
    message = refused(tmp_path, "actor,question,stance,date\r\na\x00b,ground-troops,open,2024\r\n", ".csv")
    assert message.startswith("line 2: actor"), message


@pytest.mark.parametrize(
    "line",
    [
        '{"type": "actor", "slug": "x", "name": "X", "aliases": "' + "x" * 5000 + '"}',
        '{"type": "question", "slug": "q", "title": "Q", "tags": ' + "9" * 4000 + "}",
        '{"type": "' + "x" * 5000 + '"}',
        '{"type": "actor", "slug": "x", "name": "X", "' + "k" * 5000 + '": 1}',
        '{"type": "actor", "uid": "' + "u" * 5000 + '", "slug": "x", "name": "X"}',
        '{"type": "position", "actor": "macron", "question": "ground-troops", "stance": "' + "s" * 5000 + '", '
        '"date": "2024"}',
        '{"type": "position", "actor": "macron", "question": "ground-troops", "stance": "open", "date": "2024", '
        '"source": "' + "s" * 5000 + '"}',
    ],
    ids=["aliases-text", "tags-number", "type", "field-name", "uid", "stance", "source"],
)
def test_a_long_wrong_value_is_quoted_short(tmp_path, line):
    path = tmp_path / "long.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with scratch_db() as db:
        watch = Watch(db)
        message = assert_user_error(run_import(db, path))
        watch.assert_unchanged()
        assert message.startswith("line 1: ")


def test_a_lone_cr_survives_csv_export(tmp_path):
    with scratch_db() as db:
        with Store.open(db) as store:
            store.add_position(actor="macron", question="ground-troops", stance="open", date="2030", quote="one\rtwo")
        out = tmp_path / "export.csv"
        assert CliRunner().invoke(cli, ["--db", str(db), "export", "csv", "-o", str(out)]).exit_code == 0
    with scratch_db() as other:
        result = run_import(other, out)
        assert result.exit_code == 0, result.output
        with Store.open(other) as store:
            assert "one\rtwo" in [p.quote for p in store.positions()]


@pytest.mark.parametrize("raw", ["1e999", "-Infinity", "NaN", "1" + "0" * 400, "[[[[[]]]]]", '{"a": {"b": {}}}'])
def test_big_numbers_and_nested_values_are_refused_as_wrong_types(tmp_path, raw):
    """Not bugs: what JSON can hold besides text is refused, naming the field (kept as regressions)."""
    message = refused(tmp_path, '{"type": "actor", "slug": "x", "name": ' + raw + "}\n")
    assert message.startswith("line 1: name must be text"), message
