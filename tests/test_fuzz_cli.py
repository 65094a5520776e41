"""Fuzzing every command's arguments: hypothesis-generated values put into each argument
and option of every command in ``tracker --help``, run through click's CliRunner on a copy
of the sample database.

The outcome is always an exit code of 0, 1 or 2 and never a traceback. Exit 1 is one
printable line on stderr; exit 2 is click's usage text ending in one ``Error: …`` line;
neither writes anything (the database file keeps its bytes, its ``data_version`` and its
row counts). A command that only reads writes nothing even when it succeeds. A successful
``add`` stores exactly what was typed (one-line fields without surrounding spaces).
The runner keeps colour on, so an escape sequence echoed back is seen as it would reach a
terminal (click strips them only when the output is not one).

test_cli.py fuzzes ``add position``'s actor, stance and date, ``search``'s text and one
argument of a few other commands; this file covers every other argument and option, the
file arguments (``import``, ``export -o``, ``backup``, ``--db``, ``$TRACKER_DB``), unknown
options and extra arguments. ``tui`` and ``demo`` are only given an extra argument: with a
valid command line they would open the interface.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import assume, example, given
from hypothesis import strategies as st

from tracker.cli import cli
from tracker.domain.text import printable
from tracker.store import Store

from conftest import SAMPLE_RECORDS, jsonl_text
from fuzz_helpers import (
    MAX_MESSAGE,
    WIDE,
    Watch,
    assert_no_traceback,
    assert_user_error,
    fuzz_settings,
    scratch_db,
    terminal_safe,
)

# ---------------------------------------------------------------- every command, every argument

# "{}" is the generated text; "{path}" the generated text as a file name inside the
# scratch folder. Positional values come after "--" so that text starting with "-" is
# still a value; options are written "--opt={}" for the same reason.
POSITION = ["add", "position", "--actor=macron", "--question=ground-troops", "--stance=open", "--date=2024"]
TEMPLATES: dict[str, list[list[str]]] = {
    "add actor": [
        ["add", "actor", "--", "{}"],
        ["add", "actor", "--slug={}", "--", "Fuzz Name"],
        ["add", "actor", "--kind={}", "--", "Fuzz Name"],
        ["add", "actor", "--country={}", "--", "Fuzz Name"],
        ["add", "actor", "--parent={}", "--", "Fuzz Name"],
        ["add", "actor", "--alias={}", "--alias={}", "--", "Fuzz Name"],
    ],
    "add question": [
        ["add", "question", "--", "{}"],
        ["add", "question", "--slug={}", "--", "Fuzz question"],
        ["add", "question", "--scale={}", "--", "Fuzz question"],
        ["add", "question", "--description={}", "--", "Fuzz question"],
        ["add", "question", "--tag={}", "--", "Fuzz question"],
    ],
    "add source": [
        ["add", "source", "--title={}"],
        ["add", "source", "--title=T", "--outlet={}"],
        ["add", "source", "--title=T", "--published={}"],
        ["add", "source", "--title=T", "--language={}"],
        ["add", "source", "--url=https://example.org/{}"],
    ],
    "add position": [
        [*POSITION[:3], "--question={}", *POSITION[4:]],
        [*POSITION, "--quote={}"],
        [*POSITION, "--quote-lang={}"],
        [*POSITION, "--paraphrase={}"],
        [*POSITION, "--context={}"],
        [*POSITION, "--source={}"],
        [*POSITION, "--confidence={}"],
        [*POSITION, "--notes={}"],
    ],
    "edit": [
        ["edit", "--", "{}"],
        ["edit", "--stance=1", "--", "{}"],
        *[["edit", f"--{option}={{}}", "--", "1"] for option in
          ("actor", "question", "stance", "date", "quote", "quote-lang", "paraphrase", "context", "source", "confidence", "notes")],
    ],  # fmt: skip
    "delete": [["delete", "--", "{}"], ["delete", "1", "x{}"]],
    "list actors": [["list", "actors", "--", "{}"], ["list", "actors", "--json", "--x{}"]],
    "list questions": [["list", "questions", "--", "{}"], ["list", "questions", "--json", "--x{}"]],
    "list positions": [["list", "positions", "--json", "--question={}"], ["list", "positions", "--as-of=2024", "--actor={}"]],
    "timeline": [["timeline", "--actor={}"], ["timeline", "--", "{}"]],
    "diff": [["diff", "--", "{}", "{}"], ["diff", "2", "--", "{}"]],
    "movers": [["movers", "--question={}"], ["movers", "--level=1", "--question={}"]],
    "search": [["search", "--limit={}", "--", "macron"], ["search", "--", "{}", "{}"]],
    "import": [["import", "{path}"], ["import", "--format={}", "--", "{sample}"], ["import", "--dry-run", "--", "{path}"]],
    "export": [
        ["export", "--", "{}"],
        ["export", "markdown", "--question={}"],
        ["export", "markdown", "--as-of={}"],
        ["export", "markdown", "--mermaid", "--actor={}"],
        ["export", "csv", "--actor={}", "--question={}"],
        ["export", "jsonl", "-o", "{path}"],
        ["export", "csv", "--as-of={}"],
    ],
    "backup": [["backup", "--", "{path}"]],
    "sync": [["sync", "--", "{path}"], ["sync", "x{}", "y"], ["sync", "--x{}"]],
    # Without --json, a file that reads would open the interface: only ever with --json, or two arguments.
    "capture": [["capture", "--json", "--", "{path}"], ["capture", "--json", "--", "{sample}"], ["capture", "x{}", "y"]],
    "check": [["check", "--", "{}"], ["check", "--x{}"]],
    # A valid command line would start a server: only ever --metadata, or a bad option or argument.
    "serve": [["serve", "--metadata", "x{}"], ["serve", "--metadata", "--port={}"], ["serve", "--x{}"]],
    # A valid command line would open the interface: only ever give them an extra argument.
    "tui": [["tui", "x{}"]],
    "demo": [["demo", "x{}"]],
    "": [["x{}"], ["--x{}"], ["--db={path}", "list", "actors"], ["add", "x{}"], ["list", "--x{}"]],
}
READ_ONLY = {"list actors", "list questions", "list positions", "timeline", "diff", "movers", "search", "export",
             "backup", "check", "capture", "tui", "demo", "serve", ""}  # fmt: skip
NEVER_RUNS = {"tui", "demo"}  # anything but a usage error would have started the interface


def leaf_commands(group: click.Group, prefix: str = "") -> set[str]:
    names = set()
    for name, command in group.commands.items():
        full = f"{prefix}{name}"
        if isinstance(command, click.Group):
            names |= leaf_commands(command, full + " ")
        else:
            names.add(full)
    return names


def test_every_command_is_fuzzed():
    """A new command must get its templates here."""
    assert leaf_commands(cli) == set(TEMPLATES) - {""}


CASES = [(name, i) for name, templates in TEMPLATES.items() for i in range(len(templates))]

# ---------------------------------------------------------------- generated values

NASTY = [
    "", " ", "-", "--", "-1", "0", "1", "2", "99999999999999999999", "1e999", "nan", "²", "٣", "macron", "Macron",
    "m", "ground-troops", "ground", "long-range", "commitment", "agreement", "2024", "2024-13", "31 février 2024",
    "today", "https://example.org/seed", "https://", "javascript:alert(1)", "fr", "pt-BR", "FR", "person",
    "reported", "markdown", "csv", "jsonl", "[bold]x[/]", "[/b]", "[TODO]", "[@click=app.quit]q[/]", "\x1b[2J",
    "\x1b]0;title\x07", "a\nb", "a\r\nb", "\r", "\t", "\x07", "\u202eevil", "\u2028", "\ufeff", "\ud800", "\udcff",
    "x" * 5000, "9" * 5000, "%s", "{}", "'", '"', "\\", "*", "NEAR(", "t.db", "t.db-wal", ".", "..x", "~", "-h", "--help",
    "--version", "\x00",
]  # fmt: skip
TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=20),
    st.text(st.characters(codec="ascii"), max_size=12),
    st.lists(st.sampled_from(NASTY[:60]), min_size=2, max_size=3).map("".join),
)


def as_path(folder: Path, text: str) -> str:
    """``text`` as a file name inside ``folder`` (the database's, "t.db" is the database itself), never outside it."""
    name = text.replace("\x00", "")  # a real command line cannot hold NUL (see test_nul_in_db_path)
    assume(".." not in name)
    try:  # a real command line or environment is bytes: only "\udc80"-"\udcff" surrogates (undecodable bytes)
        os.fsencode(name)
    except UnicodeEncodeError:
        assume(False)
    return f"{folder}/{name}"


def fill(template: list[str], text: str, folder: Path, sample: Path) -> list[str]:
    return [
        arg.replace("{path}", as_path(folder, text)) if "{path}" in arg
        else arg.replace("{sample}", str(sample)) if "{sample}" in arg
        else arg.replace("{}", text)
        for arg in template
    ]  # fmt: skip


def run(db: Path, args: list[str], env: dict | None = None):
    """The command on ``db``, colour on so that an echoed escape sequence is seen as a terminal would."""
    return CliRunner().invoke(cli, ["--db", str(db), *args], env=WIDE | (env or {}), color=True)


def assert_usage_error(result) -> str:
    assert_no_traceback(result)
    assert result.exit_code == 2, (result.exit_code, result.output)
    last = result.stderr.rstrip("\n").split("\n")[-1]
    assert last.startswith("Error: "), result.stderr
    assert terminal_safe(result.stderr.replace("\n", "")), repr(result.stderr)
    return last


def check_outcome(name: str, args: list[str], result, watch: Watch, *, path: str = "") -> None:
    """``path``: the file named on the command line, which a message names in full (values
    are cut short, a file name is not: it is the user's own, up to the system's limit)."""
    assert_no_traceback(result)
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
    if name in NEVER_RUNS:
        assert result.exit_code != 0, args
    if result.exit_code == 1:
        assert_user_error(result, max_length=MAX_MESSAGE + len(path))
        watch.assert_unchanged()
    elif result.exit_code == 2:
        assert_usage_error(result)
        watch.assert_unchanged()
    else:
        assert "\x1b" not in result.output, repr(result.output[:300])
        if name in READ_ONLY:
            watch.assert_unchanged()
        else:
            watch.written()


def stored_as_typed(db: Path, args: list[str], text: str, stdout: str) -> None:
    """After a successful add: the value given is the value stored."""
    option = next((a for a in args if "{}" in a), None)
    if option is None or option.startswith("--x"):
        return
    one_line = text.strip()
    with Store.open(db) as store:
        if args[:2] == ["add", "actor"]:
            actor = store.resolve_actor(stdout.strip())
            if option == "{}":
                assert actor.name == one_line
            elif option.startswith("--alias="):
                assert one_line in actor.aliases or not one_line
        elif args[:2] == ["add", "question"]:
            question = store.resolve_question(stdout.strip())
            if option == "{}":
                assert question.title == one_line
            elif option.startswith("--description="):
                assert question.description == text
            elif option.startswith("--tag="):
                assert one_line in question.tags or not one_line
        elif args[:2] == ["add", "source"]:
            source = store.source(stdout.strip())
            if option.startswith("--title="):
                assert source.title == one_line
            elif option.startswith("--outlet="):
                assert source.outlet == one_line
        elif args[:2] == ["add", "position"]:
            position = store.position(int(stdout.strip()))
            for field in ("quote", "paraphrase", "context", "notes"):
                if option.startswith(f"--{field}="):
                    assert getattr(position, field) == text


@pytest.mark.parametrize("case", CASES, ids=[f"{name or 'tracker'}-{i}" for name, i in CASES])
@fuzz_settings(12)
@given(text=TEXT)
@example(text="\x1b[2J")
@example(text="\ud800")
@example(text="t.db")  # the database itself: import reads it, export -o and backup refuse it
@example(text="t.db-wal")
def test_any_argument_gives_0_1_or_2_and_writes_nothing_when_refused(tmp_path, case, text):
    name, index = case
    template = TEMPLATES[name][index]
    with scratch_db() as db:
        sample = db.with_name("sample.jsonl")
        sample.write_text(jsonl_text(SAMPLE_RECORDS), encoding="utf-8")
        args = fill(template, text, db.parent, sample)
        watch = Watch(db)
        result = run(db, args)
        check_outcome(name, args, result, watch, path=as_path(db.parent, text) if "{path}" in str(template) else "")
        if result.exit_code == 0 and name.startswith("add "):
            stored_as_typed(db, template, text, result.stdout)


# ---------------------------------------------------------------- the database file named by the environment


@fuzz_settings(25)
@given(text=TEXT)
def test_any_tracker_db_variable_gives_0_or_1(tmp_path, text):
    path = as_path(tmp_path, text)
    result = CliRunner().invoke(cli, ["list", "actors"], env=WIDE | {"TRACKER_DB": path}, color=True)
    assert_no_traceback(result)
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        assert_user_error(result, max_length=600 + 4 * len(path))  # the file name, quoted whole


# ---------------------------------------------------------------- bytes from a real command line

TRACKER = Path(sys.executable).parent / "tracker"
BYTES_TEMPLATES = [
    [b"add", b"actor", b"--", b"{}"],
    [b"add", b"position", b"--actor=macron", b"--question=ground-troops", b"--stance=open", b"--date=2024", b"--quote={}"],
    [b"import", b"--", b"{path}"],
    [b"export", b"csv", b"-o", b"{path}"],
    [b"search", b"--", b"{}"],
]


@fuzz_settings(6)
@given(template=st.sampled_from(BYTES_TEMPLATES), arg=st.binary(min_size=1, max_size=12))
@example(template=BYTES_TEMPLATES[0], arg=b"caf\xe9 \xff\x1b[2J")
def test_bytes_that_are_not_utf8_from_a_real_command_line(template, arg):
    """The real console script, as a shell runs it: arguments are bytes, undecodable ones included."""
    arg = arg.replace(b"\x00", b"")  # no command line can hold NUL
    assume(arg and b".." not in arg)
    with scratch_db() as db:
        folder = bytes(db.parent)
        args = [a.replace(b"{path}", folder + b"/" + arg).replace(b"{}", arg) for a in template]
        watch = Watch(db)
        done = subprocess.run([str(TRACKER), "--db", str(db), *args], capture_output=True, timeout=60,
                              env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "LC_ALL": "C.UTF-8"})  # fmt: skip
        assert done.returncode in (0, 1, 2) and b"Traceback" not in done.stderr, done
        if done.returncode:
            watch.assert_unchanged()
        else:
            watch.written()
        if done.returncode == 1:
            assert done.stderr.startswith(b"tracker: ") and done.stderr.count(b"\n") == 1, done.stderr
            assert terminal_safe(done.stderr.decode("utf-8")[:-1]), done.stderr


# ---------------------------------------------------------------- a usage error creates no file


@fuzz_settings(25)
@given(text=TEXT)
def test_a_usage_error_creates_no_database(tmp_path, text):
    db = tmp_path / "never.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "add", "actor", "--kind", f"x{text}", "--", "Name"], env=WIDE)
    assert_no_traceback(result)
    assert result.exit_code in (1, 2)
    assert not db.exists()


# ---------------------------------------------------------------- what was typed, echoed back safely


@pytest.mark.parametrize("arg", ["\x1b[2J", "a\nb", "\x07"], ids=["escape", "newline", "bell"])
def test_an_extra_argument_is_echoed_safely(arg):
    with scratch_db() as db:
        result = run(db, ["check", "--", arg])
        assert result.exit_code == 2
        last = result.stderr.rstrip("\n").split("\n")[-1]
        assert last.startswith("Error: Got unexpected extra argument"), repr(result.stderr)
        assert terminal_safe(result.stderr.replace("\n", "")), repr(result.stderr)


@pytest.mark.parametrize("args", [["export", "jsonl", "-o", "{}"], ["backup", "{}"]], ids=["export", "backup"])
def test_a_file_name_is_echoed_safely(args):
    with scratch_db() as db:
        target = f"{db.parent}/\x1b[2J"
        result = run(db, [a.replace("{}", target) for a in args])
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.output, repr(result.output)


def test_a_line_separator_in_a_message_is_escaped():
    with scratch_db() as db:
        result = run(db, ["import", "--", f"{db.parent}/a\u2028b"])
        assert result.exit_code == 1
        assert len(result.stderr.splitlines()) == 1, repr(result.stderr)


def test_printable_one_line_leaves_no_line_break():
    breaks = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"  # every break str.splitlines() knows
    shown = printable(f"a{'b'.join(breaks)}z", one_line=True)
    assert len(shown.splitlines()) == 1 and terminal_safe(shown), repr(shown)
    assert printable("a\u2028b\u2029c", one_line=True) == "a b c"


@pytest.mark.parametrize(
    "args",
    [[*POSITION[:4], "--stance=" + "9" * 5000, *POSITION[5:]], [*POSITION[:3], "--question=" + "9" * 5000, *POSITION[4:]],
     ["timeline", "--actor=" + "9" * 5000], ["diff", "--", "9" * 5000, "1"]],
    ids=["stance", "question", "actor", "position"],
)  # fmt: skip
def test_a_5000_digit_number_is_refused_without_a_traceback(args):
    # int() refuses more than 4,300 digits with a ValueError: a stance rank or row id must never reach it.
    with scratch_db() as db:
        watch = Watch(db)
        assert_user_error(run(db, args))
        watch.assert_unchanged()


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "markdown"])
def test_export_onto_the_database_itself_is_refused(fmt):
    with scratch_db() as db:
        watch = Watch(db)
        result = run(db, ["export", fmt, "-o", str(db)])
        assert_user_error(result)
        watch.assert_unchanged()


@pytest.mark.parametrize("name, says", [("a\x00b.db", "NUL"), ("", "empty")], ids=["nul", "empty"])
def test_a_db_path_with_a_nul_or_empty_is_a_usage_error(tmp_path, name, says):
    # An empty --db once meant the default file: a typo could read or write the wrong database.
    result = CliRunner().invoke(cli, ["--db", name, "list", "actors"], env=WIDE | {"TRACKER_DB": str(tmp_path / "t.db")})
    message = assert_usage_error(result)
    assert "'--db'" in message and says in message
    assert not (tmp_path / "t.db").exists()


@pytest.mark.parametrize("args", [["import", "{}"], ["export", "csv", "-o", "{}"], ["backup", "{}"]],
                         ids=["import", "export", "backup"])  # fmt: skip
@pytest.mark.parametrize("name, says", [("a\x00b", "NUL"), ("", "empty")], ids=["nul", "empty"])
def test_a_file_argument_with_a_nul_or_empty_is_a_usage_error(args, name, says):
    with scratch_db() as db:
        watch = Watch(db)
        result = run(db, [a.replace("{}", name) for a in args])
        assert says in assert_usage_error(result)
        assert result.stdout == ""  # export -o "" once wrote to stdout
        watch.assert_unchanged()
