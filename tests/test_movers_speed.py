"""`tracker movers` made fast (issue 19): what a user sees stays what Rich printed.

Without colour (into a pipe or a file) the tables and paragraphs are written in one pass by
tracker.formats.movers_text, and --json by tracker.formats.movers_json: their text must be,
byte for byte, what `console.print(render.movers_view(report))` and
`json_dumps(report.as_dict(), indent=2)` wrote, on the demo, on hostile names (markup,
escapes, right-to-left text, emoji), on wide characters and long names that fold, at any
width; and the read of a tag's positions leaves the connection as it found it.
"""

from __future__ import annotations

import io
import random
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from rich._wrap import divide_line
from rich.console import Console
from rich.text import Text

from tracker import answers, render
from tracker.cli import cli
from tracker.domain.text import json_dumps
from tracker.formats import jsonl
from tracker.formats.importer import import_records
from tracker.formats.movers_text import movers_text
from tracker.render.wrap import wrap
from tracker.store import Store, reads

from conftest import jsonl_text
from tui_helpers import demo_copy, load_hostile

WIDTHS = (20, 33, 60, 80, 120, 200)


def rich_text(report, width: int) -> str:
    """The reference: the movers view printed by Rich without colour, as the command printed it."""
    out = Console(highlight=False, soft_wrap=False, file=io.StringIO(), width=width, color_system=None)
    out.print(render.movers_view(report), crop=False)
    return out.file.getvalue()


def run(db: Path, *args: str, width: int = 80) -> str:
    result = CliRunner(env={"COLUMNS": str(width)}).invoke(cli, ["--db", str(db), "movers", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def report_of(db: Path, tag: str, **options):
    with Store.open(db) as store:
        return answers.movers(store, answers.choose_questions(store, (), tag), chronological=True, **options)


def generated(path: Path, seed: int, positions: int = 3000) -> Path:
    """A file of a few thousand positions on five tagged questions: names long enough to
    fold, accented, wide (CJK) or spaced twice, leaders rolled up into governments, dates
    to the day, month or year, some approximate."""
    rnd = random.Random(seed)
    words = ["Lee", "Ångström", "北京市政府", "Raitschat", "Choumschor", "Border", "x" * 23, "d'Arc", "Ω"]
    records: list[dict] = []
    for i in range(120):
        name = " ".join(rnd.choice(words) for _ in range(rnd.randint(1, 4)))
        name = name.replace(" ", "  ", 1) if i % 7 == 0 else name
        record = {"type": "actor", "slug": f"a{i}", "name": f"Actor {i:03d} {name}", "kind": "government"}
        if i % 5 == 1:
            record.update(kind="person", parent=f"a{i - 1}")
        records.append(record)
    for q in range(5):
        records.append({"type": "question", "slug": f"q{q}", "title": f"Question {q}: " + "tanks " * q, "tags": ["t"]})
    stances = ["ruled-out", "reluctant", "not-excluded", "open", "committed", "implemented"]
    for _ in range(positions):
        year, month, day = rnd.randint(2014, 2024), rnd.randint(1, 12), rnd.randint(1, 28)
        date = rnd.choice([f"{year}-{month:02d}-{day:02d}"] * 6 + [f"{year}-{month:02d}", f"{year}", f"{year}-{month:02d}~"])
        records.append({
            "type": "position", "actor": f"a{rnd.randrange(120)}", "question": f"q{rnd.randrange(5)}",
            "stance": rnd.choice(stances), "date": date, "paraphrase": "p",
        })  # fmt: skip
    with Store.open(path, create=True) as store:
        import_records(store, jsonl.read_records(iter(jsonl_text(records).splitlines(keepends=True))))
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("movers-speed")
    return {
        "demo": demo_copy(folder / "demo.db"),
        "hostile": load_hostile(folder / "hostile.db"),
        "generated": generated(folder / "generated.db", seed=1),
    }


CASES = [("demo", "ukraine"), ("demo", "weapons"), ("demo", "troops"), ("hostile", "[bold]x[/]"), ("generated", "t")]


@pytest.mark.parametrize("roll_up", [False, True], ids=["", "roll-up"])
@pytest.mark.parametrize(("name", "tag"), CASES)
def test_the_table_is_what_rich_printed_at_every_width(files, name, tag, roll_up):
    report = report_of(files[name], tag, roll_up=roll_up)
    args = ["--tag", tag] + (["--roll-up"] if roll_up else [])
    for width in WIDTHS:
        assert run(files[name], *args, width=width) == rich_text(report, width), width


@pytest.mark.parametrize("roll_up", [False, True], ids=["", "roll-up"])
@pytest.mark.parametrize(("name", "tag"), CASES)
def test_the_json_is_the_indented_json_of_the_answer(files, name, tag, roll_up):
    report = report_of(files[name], tag, roll_up=roll_up)
    args = ["--tag", tag, "--json"] + (["--roll-up"] if roll_up else [])
    assert run(files[name], *args) == json_dumps(report.as_dict(), indent=2) + "\n"


def test_user_text_shows_literally(files):
    shown = run(files["hostile"], "--tag", "[bold]x[/]", width=200)
    assert "[TODO] fix Beta" in shown and "[bold]x[/] Alpha" in shown  # markup as typed
    assert "\x1b" not in shown and "␛[31mred" in shown  # an escape is shown, never sent
    assert "second␛[2J line" in shown  # a newline in a name stays on its line


def test_a_table_too_narrow_for_its_header_is_rich_own(files):
    """At 20 columns the headers would wrap: the one-pass layout gives way to Rich's table."""
    report = report_of(files["demo"], "ukraine")
    narrow = Console(highlight=False, soft_wrap=False, file=io.StringIO(), width=20, color_system=None)
    assert movers_text(report, narrow) is None
    assert run(files["demo"], "--tag", "ukraine", width=20) == rich_text(report, 20)
    wide = Console(highlight=False, soft_wrap=False, file=io.StringIO(), width=120, color_system=None)
    assert movers_text(report, wide) == rich_text(report, 120)


def test_the_level_and_refusal_options_keep_the_same_text(files):
    report_args = {"level": "open", "refusal": "reluctant"}
    with Store.open(files["generated"]) as store:
        report = answers.movers(store, answers.choose_questions(store, (), "t"), chronological=True, **report_args)
    assert run(files["generated"], "--tag", "t", "--level", "open", "--from", "reluctant", width=90) == rich_text(report, 90)


# Texts as the movers paragraphs hold them: words of letters, wide characters and emoji,
# parted by one space or more; a word longer than a line is folded.
_LETTERS = st.sampled_from(["a", "b", "Z", "é", "Ω", "北", "👍", "x", "—", "“"])
_TEXTS = st.lists(
    st.tuples(st.lists(_LETTERS, min_size=1, max_size=14).map("".join), st.sampled_from([" ", " ", "  ", "   "])),
    min_size=1,
    max_size=20,
).map(lambda words: "".join(w + s for w, s in words))


@settings(max_examples=400, deadline=None)
@given(text=_TEXTS, width=st.integers(min_value=2, max_value=30), trailing=st.booleans())
def test_a_paragraph_wraps_as_rich_wraps_it(text, width, trailing):
    text = text if trailing else text.rstrip(" ")
    out = Console(highlight=False, soft_wrap=False, file=io.StringIO(), width=width, color_system=None)
    out.print(Text(text), crop=False)
    expected = out.file.getvalue().split("\n")[:-1]
    assert list(wrap(text, width)) == expected
    assert len(divide_line(text, width)) == len(expected) - 1


def test_the_read_comes_from_the_index_alone(files):
    """brief_statements reads a tag's rows from the index on (question_id, actor_id, ...)
    alone, which holds every column it reads (schema 7): no row of the table is read."""
    conn = sqlite3.connect(files["generated"])
    ran: list[str] = []
    try:
        conn.set_trace_callback(ran.append)
        found = reads.brief_statements(conn, [1, 2, 3])
        conn.set_trace_callback(None)
        assert sum(map(len, found.values())) > 1000
        (read,) = [sql for sql in ran if "FROM positions" in sql]
        plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {read}")]
        assert plan == ["SEARCH p USING COVERING INDEX positions_question_actor_date (question_id=?)"]
    finally:
        conn.close()


def test_positions_read_in_order_give_the_movers_of_any_order(files):
    """The one pass over a tag's positions as read (in timeline order, not sorted again)
    finds the same movers as over the same positions shuffled."""
    from tracker.domain.movers import question_movers
    from tracker.domain.scales import COMMITMENT

    levels = {lv.key: lv for lv in COMMITMENT.levels}
    with Store.open(files["generated"]) as store:
        questions = answers.choose_questions(store, (), "t")
        found = reads.brief_statements(store.conn, [q.id for q in questions])
    shuffled, others = random.Random(2), 0
    for q in questions:
        positions = found[q.id]
        for level, refusal in (("committed", "ruled-out"), ("reluctant", "ruled-out"), ("implemented", "open")):
            fast = question_movers(q, positions, levels[level], levels[refusal], in_order=True)
            mixed = shuffled.sample(positions, len(positions))
            assert fast == question_movers(q, mixed, levels[level], levels[refusal])
            assert fast.reached
            others += len(fast.not_reached)
    assert others
