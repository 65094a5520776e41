"""Bytes that reach a terminal, a JSON reader or a spreadsheet (issue 16, item 5), and a
closed pipe (item 8): data can hold escape sequences, C1 controls, bidi overrides and
formulas, and none of them may act where the output goes."""

from __future__ import annotations

import csv
import io
import json
import os
import select
import shlex
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from proc_helpers import child_env, tracker_cmd
from tracker.cli import cli
from tracker.formats import jsonl
from tracker.formats.csvfile import read_records as read_csv
from tracker.formats.importer import import_records
from tracker.store import Store

# ESC (a "clear the screen" sequence), C1 CSI, RIGHT-TO-LEFT OVERRIDE, LINE SEPARATOR, DEL.
NASTY = "a\x1b[2Jb\x9b31mc\u202ed\u2028e\x7ff"
UNSAFE = ("\x1b", "\x9b", "\u202e", "\u2028", "\x7f")
ESCAPES = ("\\u001b", "\\u009b", "\\u202e", "\\u2028", "\\u007f")


@pytest.fixture
def nasty_db(tmp_path: Path) -> Path:
    """One actor and question whose names, and one position whose quote, hold NASTY."""
    path = tmp_path / "nasty.db"
    with Store.open(path) as store:
        store.add_actor("Alpha " + NASTY, slug="alpha", kind="government")
        store.add_actor("Beta", slug="beta", kind="government")
        store.add_question("Crash " + NASTY, slug="crash")
        store.add_position(actor="alpha", question="crash", stance="committed", date="2001-01-01", quote=NASTY)
        store.add_position(actor="beta", question="crash", stance="ruled-out", date="2000-01-01", quote="no")
        store.add_position(actor="beta", question="crash", stance="committed", date="2002-01-01", quote="yes")
    return path


def invoke(db: Path, *args: str):
    result = CliRunner().invoke(cli, ["--db", str(db), *args])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def assert_only_escapes(text: str) -> None:
    for ch in UNSAFE:
        assert ch not in text, repr(text)
    for escape in ESCAPES:
        assert escape in text, (escape, text)


# ---------------------------------------------------------------------- JSON


def strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [s for item in value for s in strings(item)] if isinstance(value, list) else []


@pytest.mark.parametrize(
    "args",
    [("list", "positions", "--json"), ("list", "actors", "--json"), ("movers", "--question", "crash", "--json")],
    ids=["list positions", "list actors", "movers"],
)
def test_json_output_escapes_controls_bidi_and_separators(nasty_db, args):
    out = invoke(nasty_db, *args)
    assert_only_escapes(out)
    assert any(NASTY in text for text in strings(json.loads(out)))  # the same value read back


def test_export_jsonl_escapes_them_and_reads_back_identically(nasty_db, tmp_path):
    out = invoke(nasty_db, "export", "jsonl")
    assert_only_escapes(out)
    quotes = [json.loads(line).get("quote") for line in out.splitlines()]
    assert NASTY in quotes
    # Import into a fresh file and export again: the same bytes.
    copy = tmp_path / "copy.db"
    with Store.open(copy) as store:
        import_records(store, jsonl.read_records(io.StringIO(out)))
    assert invoke(copy, "export", "jsonl") == out


# ---------------------------------------------------------------------- a terminal


def in_a_terminal(*args: str, timeout: float = 60.0) -> tuple[int, bytes]:
    """Run ``tracker args`` with a pseudo-terminal as stdout and stderr: exit status, bytes shown."""
    master, slave = os.openpty()
    proc = subprocess.Popen(tracker_cmd(*args), stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=child_env())
    os.close(slave)
    output = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while True:
            if time.monotonic() > deadline:
                raise AssertionError(f"still running after {timeout}s: {bytes(output)[-2000:]!r}")
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the child has closed the terminal
                    break
                if not chunk:
                    break
                output += chunk
            elif proc.poll() is not None:
                break
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
    return proc.returncode, bytes(output)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "markdown"])
def test_export_to_a_terminal_shows_placeholders(nasty_db, fmt):
    code, shown = in_a_terminal("--db", nasty_db, "export", fmt)
    assert code == 0, shown
    text = shown.decode("utf-8")
    assert "\x1b" not in text and "\x9b" not in text and "\u202e" not in text, repr(text)
    if fmt == "csv":
        assert "a␛[2Jb<U+009B>31mc<U+202E>d" in text
        assert "␍" not in text  # CSV's line ends show as line ends
    # JSON escapes, markdown may render the data its own way, but the ESC is never raw.
    assert "rash" in text  # crash or Crash: the data is there


def test_export_to_a_file_or_pipe_keeps_the_data(nasty_db, tmp_path):
    out = tmp_path / "x.csv"
    CliRunner().invoke(cli, ["--db", str(nasty_db), "export", "csv", "-o", str(out)])
    assert NASTY in out.read_text(encoding="utf-8")
    piped = subprocess.run(tracker_cmd("--db", nasty_db, "export", "csv"), capture_output=True, env=child_env(), timeout=60)
    assert piped.returncode == 0, piped.stderr
    assert NASTY.encode() in piped.stdout


# ---------------------------------------------------------------------- CSV formulas

FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2", "@SUM(A1)", "\tTAB", "\rCR", "'=quoted already", "plain"]


@pytest.fixture
def formula_db(tmp_path: Path) -> Path:
    path = tmp_path / "formula.db"
    with Store.open(path) as store:
        store.add_actor("Alpha", slug="alpha", kind="person")
        store.add_question("Crash", slug="crash")
        for day, cell in enumerate(FORMULAS, start=1):
            store.add_position(actor="alpha", question="crash", stance="open", date=f"2000-01-{day:02d}", quote=cell, notes=cell)
    return path


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_export_neutralises_formulas(formula_db):
    rows = csv_rows(invoke(formula_db, "export", "csv"))
    quotes = [r["quote"] for r in rows]
    assert quotes == ["'" + cell if cell != "plain" else cell for cell in FORMULAS]
    assert [r["notes"] for r in rows] == quotes


def test_csv_raw_writes_cells_unchanged(formula_db):
    rows = csv_rows(invoke(formula_db, "export", "csv", "--raw"))
    assert [r["quote"] for r in rows] == FORMULAS


def test_csv_excel_starts_with_a_byte_order_mark(formula_db, tmp_path):
    out = tmp_path / "x.csv"
    invoke(formula_db, "export", "csv", "--excel", "-o", str(out))
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfactor,question,")
    assert not invoke(formula_db, "export", "csv").startswith("\ufeff")


def test_raw_and_excel_are_for_csv_only(formula_db):
    result = CliRunner().invoke(cli, ["--db", str(formula_db), "export", "jsonl", "--raw"])
    assert result.exit_code == 2 and "csv only" in result.output


def test_csv_round_trip_of_formula_cells(formula_db, tmp_path):
    exported = tmp_path / "x.csv"
    invoke(formula_db, "export", "csv", "-o", str(exported))
    copy = tmp_path / "copy.db"
    invoke(copy, "import", str(exported))
    with Store.open(copy) as store:
        positions = store.positions()
    assert sorted(p.quote for p in positions) == sorted(FORMULAS)
    assert sorted(p.notes for p in positions) == sorted(FORMULAS)


def test_csv_import_removes_only_the_guard_quote(tmp_path):
    text = "actor,question,stance,date,quote,notes\r\nAlpha,Crash,open,2000-01-01,'=1+1,'plain\r\n"
    with Store.open(tmp_path / "x.db") as store:
        records = [rec for _, rec in read_csv(store, io.StringIO(text, newline=""))]
    (position,) = [r for r in records if r["type"] == "position"]
    assert position["quote"] == "=1+1"
    assert position["notes"] == "'plain"


# ---------------------------------------------------------------------- a closed pipe


@pytest.mark.parametrize("command", ["export jsonl", "export csv", "list positions --json", "list positions"])
def test_a_closed_pipe_ends_quietly(tmp_path, command):
    db = tmp_path / "big.db"
    with Store.open(db) as store:
        store.add_actor("Alpha", slug="alpha", kind="person")
        store.add_question("Crash", slug="crash")
    lines = [{"type": "position", "actor": "alpha", "question": "crash", "stance": "open",
              "date": f"{1000 + i // 12:04d}-{1 + i % 12:02d}", "quote": "x" * 200} for i in range(3000)]  # fmt: skip
    source = tmp_path / "big.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    invoke(db, "import", str(source))
    tracker = " ".join(shlex.quote(part) for part in tracker_cmd("--db", db, *command.split()))
    done = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {tracker} 2>err.txt | head -1 >/dev/null"],
        cwd=tmp_path, env=child_env(), timeout=120, capture_output=True,
    )  # fmt: skip
    err = (tmp_path / "err.txt").read_text(encoding="utf-8")
    assert err == ""
    assert done.returncode == 0, (done.returncode, err)
