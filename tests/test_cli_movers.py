"""`tracker movers` and `tracker export markdown --movers`: the seed's question answered from
the command line, on a small dataset whose answer is worked out by hand."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.formats import jsonl
from tracker.formats.importer import import_records

from conftest import jsonl_text

RECORDS = [
    {"type": "actor", "slug": "france", "name": "France", "kind": "government"},
    {"type": "actor", "slug": "macron", "name": "Emmanuel Macron", "kind": "person", "parent": "france"},
    {"type": "actor", "slug": "germany", "name": "Germany", "kind": "government"},
    {"type": "actor", "slug": "poland", "name": "Poland", "kind": "government"},
    {"type": "question", "slug": "tanks", "title": "Tanks", "scale": "commitment", "tags": ["weapons", "tanks"]},
    {"type": "question", "slug": "jets", "title": "Jets", "scale": "commitment", "tags": ["weapons", "aircraft"]},
    {"type": "question", "slug": "troops", "title": "[bold]Troops[/]", "scale": "commitment", "tags": ["troops"]},
    # Tanks: Poland first (an entry), Germany moves from "never" 14 days later.
    {"type": "position", "actor": "poland", "question": "tanks", "stance": "committed", "date": "2023-01-11", "paraphrase": "p"},
    {"type": "position", "actor": "germany", "question": "tanks", "stance": "ruled-out", "date": "2022-09-21", "paraphrase": "p"},
    {"type": "position", "actor": "germany", "question": "tanks", "stance": "committed", "date": "2023-01-25", "paraphrase": "p"},
    # Jets: Poland first; Macron (for France) "never" then France commits; Germany reluctant only.
    {"type": "position", "actor": "poland", "question": "jets", "stance": "committed", "date": "2023-03-16", "paraphrase": "p"},
    {"type": "position", "actor": "macron", "question": "jets", "stance": "ruled-out", "date": "2023-01", "paraphrase": "p"},
    {"type": "position", "actor": "france", "question": "jets", "stance": "committed", "date": "2024-06-06", "paraphrase": "p"},
    {"type": "position", "actor": "germany", "question": "jets", "stance": "reluctant", "date": "2023-01-25", "paraphrase": "p"},
]  # fmt: skip


@pytest.fixture
def db(tmp_path):
    from tracker.store import Store

    path = tmp_path / "movers.db"
    with Store.open(path) as store:
        import_records(store, jsonl.read_records(iter(jsonl_text(RECORDS).splitlines(keepends=True))))
    return path


def run(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def movers_json(db, *args):
    result = run(db, "movers", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_has_the_specs_shape(db):
    answer = movers_json(db, "--tag", "weapons")
    assert set(answer) == {"level", "from", "roll_up", "questions", "summary"}
    assert (answer["level"], answer["from"], answer["roll_up"]) == ("committed", "ruled-out", False)
    tanks, jets = sorted(answer["questions"], key=lambda q: q["question"], reverse=True)
    assert tanks == {
        "question": "tanks", "title": "Tanks",
        "first": [{"actor": "poland", "date": "2023-01-11"}],
        "reached": [
            {"actor": "poland", "date": "2023-01-11", "by": "entry", "lag_days": 0,
             "refused": None, "refusal_to_reach_days": None, "approximate": False},
            {"actor": "germany", "date": "2023-01-25", "by": "move", "lag_days": 14,
             "refused": "2022-09-21", "refusal_to_reach_days": 126, "approximate": False},
        ],
        "not_reached": [],
    }  # fmt: skip
    # Without roll-up, France's commitment is an entry: Macron's "never" is his, not France's.
    assert [(r["actor"], r["by"], r["refused"]) for r in jets["reached"]] == [("poland", "entry", None), ("france", "entry", None)]
    assert jets["not_reached"] == [  # by name: Emmanuel Macron, Germany
        {"actor": "macron", "latest": "ruled-out", "since": "2023-01"},
        {"actor": "germany", "latest": "reluctant", "since": "2023-01-25"},
    ]
    assert answer["summary"]["lag_days"] == {"n": 2, "median": 231, "min": 14, "max": 448}
    assert answer["summary"]["refusal_to_reach_days"] == {"n": 1, "median": 126, "min": 126, "max": 126}
    assert answer["summary"]["sentence"].startswith("Across 2 questions, 2 actors reached Committed a median 7 months")


def test_roll_up_counts_macron_for_france(db):
    jets = movers_json(db, "--question", "jets", "--roll-up")["questions"][0]
    france = next(r for r in jets["reached"] if r["actor"] == "france")
    # Macron's month-precise "never" is now France's refusal: a move, approximate.
    assert france == {"actor": "france", "date": "2024-06-06", "by": "move", "lag_days": 448,
                      "refused": "2023-01", "refusal_to_reach_days": 522, "approximate": True}  # fmt: skip
    assert [n["actor"] for n in jets["not_reached"]] == ["germany"]


def test_from_and_level(db):
    jets = movers_json(db, "--question", "jets", "--from", "reluctant", "--level", "impl")
    assert (jets["level"], jets["from"]) == ("implemented", "reluctant")
    assert jets["questions"][0]["reached"] == [] and len(jets["questions"][0]["not_reached"]) == 4
    assert jets["summary"]["sentence"] == "On “Jets”, no actor has reached Implemented yet."
    several = movers_json(db, "--question", "tanks", "--question", "Jets", "--question", "tanks")
    assert [q["question"] for q in several["questions"]] == ["tanks", "jets"]  # each once, in the order given


def test_tables_and_the_sentence(db):
    result = run(db, "movers", "--tag", "weap", "--roll-up")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("Across 2 questions, 2 actors reached Committed")
    assert "Tanks: who reached “Committed”" in out and "Jets: who reached “Committed”" in out
    for header in ("actor", "refused", "reached", "by", "refusal → reach", "lag"):
        assert header in out
    assert "Germany" in out and "21 Sep 2022" in out and "4 months 4 days" in out and "14 days" in out
    assert "c. 1 year 5 months" in out  # from Macron's "never" (Jan 2023) to France's commitment
    assert "not yet: Germany (Reluctant since 25 Jan 2023)" in out
    hostile = run(db, "movers", "--tag", "troops").stdout
    assert "[bold]Troops[/]" in hostile  # a title is shown as typed, never as markup


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        ((), 2, "give --question (one or more) or --tag, not both"),
        (("--tag", "weapons", "--question", "tanks"), 2, "not both"),
        (("--tag", "nope"), 1, "no question has the tag 'nope'"),
        (("--question", "tanks", "--level", "bogus"), 1, "not a level of the scale"),
        (("--question", "tanks", "--from", "committed"), 1, "must be below the level reached"),
        (("--question", "zzz"), 1, "no question matches 'zzz'"),
    ],
)
def test_bad_arguments_get_one_line_and_no_traceback(db, args, code, message):
    result = CliRunner().invoke(cli, ["--db", str(db), "movers", *args])
    assert result.exit_code == code, result.output
    assert message in result.stderr and "Traceback" not in result.output
    if code == 1:
        assert len(result.stderr.strip().splitlines()) == 1


def test_an_ambiguous_tag_names_the_candidates(tmp_path, db):
    result = CliRunner().invoke(cli, ["--db", str(db), "movers", "--tag", "t"])
    assert result.exit_code == 1 and "ambiguous: it matches tanks, troops" in result.stderr


# ---------------------------------------------------------------------- markdown --movers


def export_movers(db, *args):
    result = run(db, "export", "markdown", "--movers", *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def table_rows(md: str, heading: str) -> list[list[str]]:
    """The rows of the first table after ``heading``, parsed as GitHub does."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    start = next(i for i, t in enumerate(tokens) if t.type == "inline" and t.content == heading)
    rows, row = [], None
    for t in tokens[start:]:
        if t.type == "tr_open":
            row = []
        elif t.type == "inline" and row is not None:
            row.append(t.content)
        elif t.type == "tr_close":
            rows.append(row)
            row = None
        elif t.type == "table_close":
            return rows
    raise AssertionError(f"no table after {heading}")


def test_markdown_movers_writes_the_summary_and_a_table_per_question(db, tmp_path):
    md = export_movers(db, "--tag", "weapons", "--roll-up")
    assert md.startswith("# Movers: who reached Committed\n\n*Across 2 questions, 2 actors reached Committed")
    assert "Roll-up: every actor's positions count for its top-level parent" in md
    # A tag's questions in the order their first movers reached the level: tanks (Jan), jets (Mar).
    assert md.index("## Tanks") < md.index("## Jets")
    assert table_rows(md, "Tanks") == [
        ["Actor", "Refused", "Reached", "By", "Refusal → reach", "Lag"],
        ["Poland", "—", "11 Jan 2023", "entry", "—", "**first**"],
        ["Germany", "21 Sep 2022", "25 Jan 2023", "move", "4 months 4 days", "14 days"],
    ]
    assert table_rows(md, "Jets")[2] == ["France", "Jan 2023", "6 Jun 2024", "move", "c. 1 year 5 months", "1 year 2 months"]
    assert "Not yet: Germany (Reluctant since 25 Jan 2023)." in md
    # The same answer as the command line's sentence.
    sentence = movers_json(db, "--tag", "weapons", "--roll-up")["summary"]["sentence"]
    assert f"*{sentence}*" in md
    out = tmp_path / "movers.md"
    result = run(db, "export", "markdown", "--movers", "--question", "tanks", "-o", str(out))
    assert result.exit_code == 0 and "wrote 1 question to" in result.stderr and out.read_text(encoding="utf-8").startswith("# Movers")


def test_markdown_movers_escapes_titles(db):
    md = export_movers(db, "--question", "troops")
    assert "## \\[bold\\]Troops\\[/\\]" in md and "No positions on this question yet." in md


@pytest.mark.parametrize(
    "args",
    [("--tag", "weapons", "--actor", "poland"), ("--tag", "weapons", "--question", "tanks"), (), ("--as-of", "2024", "--tag", "weapons")],
)
def test_markdown_movers_usage_errors(db, args):
    result = CliRunner().invoke(cli, ["--db", str(db), "export", "markdown", "--movers", *args])
    assert result.exit_code == 2 and "--movers" in result.stderr


def test_movers_options_need_movers(db):
    for args in (("--tag", "weapons"), ("--roll-up",), ("--question", "tanks", "--question", "jets")):
        result = CliRunner().invoke(cli, ["--db", str(db), "export", "markdown", *args])
        assert result.exit_code == 2, args
