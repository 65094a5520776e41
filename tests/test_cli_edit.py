"""`tracker edit POSITION [--stance ...]` and `tracker delete POSITION`: positions changed and
removed from scripts, checked as `add position` checks, kept in the revision log."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import table_dump
from tracker.cli import cli
from tracker.errors import TrackerError
from tracker.store import Store
from tracker.store.undo import Run
from tui_helpers import async_test, load_demo, notices, press, running

ENV = {"COLUMNS": "250", "TERM": "dumb", "NO_COLOR": "1"}


@pytest.fixture
def demo(tmp_path) -> Path:
    return load_demo(tmp_path / "demo.db")


def run(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args], env=ENV)


def ok(db: Path, *args: str) -> str:
    result = run(db, *args)
    assert result.exit_code == 0, (args, result.output, result.exception)
    assert result.stderr == ""
    return result.stdout


def user_error(db: Path, *args: str, code: int = 1) -> str:
    """Exit ``code``, one line on stderr (the usage lines of Click for 2), no traceback."""
    result = run(db, *args)
    assert result.exit_code == code, (args, result.output, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    if code == 1:
        assert result.stderr.startswith("tracker: ") and result.stderr.count("\n") == 1, repr(result.stderr)
    assert len(result.stderr) < 600, result.stderr
    return result.stderr


def macron_26_feb(db: Path):
    """Macron's "rien ne doit être exclu" on ground troops (26 Feb 2024, Not excluded)."""
    with Store.open(db) as store:
        macron, troops = store.resolve_actor("macron"), store.resolve_question("ground-troops")
        (p,) = [p for p in store.positions(actor_id=macron.id, question_id=troops.id) if p.date.edtf == "2024-02-26"]
        return p


def fetch(db: Path, ref):
    with Store.open(db) as store:
        return store.position(ref)


def revisions(db: Path, uid: str) -> list[dict]:
    with Store.open(db) as store:
        return store.revisions("positions", uid)


# ---------------------------------------------------------------------- edit


def test_edit_the_stance_says_what_changed_and_keeps_the_old_value(demo):
    p = macron_26_feb(demo)
    assert p.level.label == "Not excluded"
    assert ok(demo, "edit", str(p.id), "--stance", "reluctant") == f"position {p.id}: stance Not excluded → Reluctant\n"
    assert fetch(demo, p.id).level.key == "reluctant"
    (update,) = [r for r in revisions(demo, p.uid) if r["action"] == "update"]
    assert json.loads(update["before"])["level_id"] != json.loads(update["after"])["level_id"]
    # A rank and a label work as in `add position`.
    assert ok(demo, "edit", str(p.id), "--stance", "0") == f"position {p.id}: stance Reluctant → Ruled out\n"
    assert ok(demo, "edit", p.uid, "--stance", "Not excluded") == f"position {p.id}: stance Ruled out → Not excluded\n"


def test_edit_several_fields_by_uid(demo):
    p = macron_26_feb(demo)
    out = ok(demo, "edit", p.uid, "--date", "février 2024", "--confidence", "reported", "--notes", "checked [b]again[/b]")
    assert out == (
        f"position {p.id}: date 26 Feb 2024 → Feb 2024; confidence confirmed → reported;"
        f" notes “{' '.join(p.notes.split())[:59]}…” → “checked [b]again[/b]”\n"
    )
    after = fetch(demo, p.id)
    assert (after.date.edtf, after.date.precision, after.confidence, after.notes) == ("2024-02", "month", "reported", "checked [b]again[/b]")
    assert after.quote == p.quote and after.level == p.level  # the rest as it was


def test_edit_moves_a_position_to_another_actor_and_question(demo):
    p = macron_26_feb(demo)
    out = ok(demo, "edit", str(p.id), "--actor", "france", "--question", "tanks", "--stance", "open")
    assert out == (
        f"position {p.id}: actor Emmanuel Macron → France; question Western ground troops in Ukraine → Main battle tanks to Ukraine;"
        " stance Not excluded → Open\n"
    )
    after = fetch(demo, p.id)
    assert (after.actor_slug, after.question_slug, after.level.key) == ("france", "tanks", "open")


def test_an_empty_value_clears_a_text_field_or_the_source(demo):
    p = macron_26_feb(demo)
    assert p.source is not None and p.paraphrase
    out = ok(demo, "edit", str(p.id), "--paraphrase", "", "--source", "")
    assert out.startswith(f"position {p.id}: paraphrase “") and out.endswith(f"→ none; source “{p.source.url[:59]}…” → none\n")
    after = fetch(demo, p.id)
    assert after.paraphrase == "" and after.source is None


def test_a_new_source_url_creates_the_source_as_add_position_does(demo):
    p = macron_26_feb(demo)
    url = "https://example.org/new-article"
    assert ok(demo, "edit", str(p.id), "--source", url).endswith(f"→ “{url}”\n")
    with Store.open(demo) as store:
        assert store.source(url).id == fetch(demo, p.id).source.id


def test_an_edit_that_changes_nothing_says_so_and_writes_nothing(demo):
    p = macron_26_feb(demo)
    before = table_dump(demo)
    # The same values, written otherwise: a label for the key, another form of the same date.
    out = ok(demo, "edit", str(p.id), "--stance", "Not Excluded", "--date", "26 février 2024", "--actor", "Macron")
    assert out == f"position {p.id}: nothing changed\n"
    assert table_dump(demo) == before  # no revision, not even a new modification time


def test_edit_without_a_change_is_a_usage_error(demo):
    p = macron_26_feb(demo)
    before = table_dump(demo)
    err = user_error(demo, "edit", str(p.id), code=2)
    assert "say what to change: one or more of --actor, --question, --stance, --date" in err
    assert table_dump(demo) == before


def test_edit_and_add_position_take_the_same_options():
    def options(command) -> dict[str, bool]:
        return {o.opts[0]: o.required for o in command.params if o.opts[0].startswith("--") and o.opts[0] != "--help"}

    add, edit = cli.commands["add"].commands["position"], cli.commands["edit"]
    assert options(add).keys() == options(edit).keys()
    assert {"--actor", "--stance", "--date", "--quote-lang", "--source", "--confidence", "--notes"} <= options(edit).keys()
    assert not any(options(edit).values())  # every one optional in edit


BAD_EDITS = [
    (["--stance", "maybe"], "maybe"),
    (["--stance", ""], "stance"),
    (["--stance", "99"], "99"),
    (["--date", ""], "date is required"),
    (["--date", "the day after tomorrow"], "cannot understand the date"),
    (["--date", "31 février 2024"], "2024"),
    (["--date", "\x00"], "date"),
    (["--actor", "nobody at all"], "no actor matches"),
    (["--actor", ""], "actor is required"),
    (["--question", "9" * 5000], "no question matches"),
    (["--quote", "a\x00b"], "NUL"),
    (["--quote-lang", "not a language"], "language"),
    (["--source", "no-such-source"], "no source"),
    (["--source", "https://example.org/fine", "--stance", "maybe"], "maybe"),  # the new source is not kept either
    (["--notes", "x" * 200_000], "notes"),
]


@pytest.mark.parametrize(("args", "fragment"), BAD_EDITS, ids=[f"{a[0]}-{i}" for i, (a, _) in enumerate(BAD_EDITS)])
def test_a_bad_value_gets_one_line_and_writes_nothing(demo, args, fragment):
    p = macron_26_feb(demo)
    before = table_dump(demo)
    err = user_error(demo, "edit", str(p.id), *args)
    assert fragment in err, err
    assert "\x00" not in err
    assert table_dump(demo) == before


def test_a_bad_choice_is_a_usage_error_and_writes_nothing(demo):
    p = macron_26_feb(demo)
    before = table_dump(demo)
    assert "'certain' is not one of" in user_error(demo, "edit", str(p.id), "--confidence", "certain", code=2)
    assert table_dump(demo) == before


HOSTILE_POSITIONS = ["9" * 5000, "", " ", "\x00", "1\x00", "²", "0", str(2**63), "1.5", "[b]x[/b]", "\x1b[2J"]


@pytest.mark.parametrize("ref", HOSTILE_POSITIONS, ids=range(len(HOSTILE_POSITIONS)))
def test_a_position_that_is_not_there_gets_one_line(demo, ref):
    before = table_dump(demo)
    for args in (["edit", ref, "--stance", "0"], ["delete", ref]):
        err = user_error(demo, *args)
        assert "no position with the id or uid" in err
        assert "\x00" not in err and "\x1b" not in err
    assert table_dump(demo) == before


def test_what_edit_prints_cannot_reach_the_terminal_as_control_codes(demo):
    p = macron_26_feb(demo)
    out = ok(demo, "edit", str(p.id), "--quote", "\x1b[2Jcleared\u202e")
    assert "\x1b" not in out and "\u202e" not in out and "cleared" in out
    assert fetch(demo, p.id).quote == "\x1b[2Jcleared\u202e"  # stored as given


# ---------------------------------------------------------------------- delete


def test_delete_says_what_it_deleted_and_how_to_bring_it_back(demo):
    p = macron_26_feb(demo)
    out = ok(demo, "delete", str(p.id))
    assert out == (
        f"deleted position {p.id}: Emmanuel Macron on Western ground troops in Ukraine, 26 Feb 2024, Not excluded."
        " The revision log keeps every field of it.\n"
    )
    with Store.open(demo) as store:
        assert store.count_positions() == 60
    (gone,) = [r for r in revisions(demo, p.uid) if r["action"] == "delete"]
    assert json.loads(gone["before"])["quote"] == p.quote
    # Deleted once: the second time it is not there.
    assert "no position with the id or uid" in user_error(demo, "delete", str(p.id))
    assert "no position with the id or uid" in user_error(demo, "delete", p.uid)


def test_delete_by_uid(demo):
    p = macron_26_feb(demo)
    assert ok(demo, "delete", p.uid).startswith(f"deleted position {p.id}: ")
    assert sqlite3.connect(demo).execute("SELECT count(*) FROM positions WHERE uid = ?", (p.uid,)).fetchone() == (0,)


@async_test
async def test_u_in_the_interface_leaves_what_the_command_line_deleted(demo):
    """Undo reverses the changes of its own run of the interface, never another program's:
    a deletion by `tracker delete` stays deleted, and u says there is nothing to undo."""
    p = macron_26_feb(demo)
    ok(demo, "delete", str(p.id))
    async with running(demo, notifications=True) as pilot:
        app = pilot.app
        await press(pilot, "u")
        assert "nothing to undo" in " ".join(notices(app))
    with pytest.raises(TrackerError, match="no position"):
        fetch(demo, p.id)


def test_an_edit_by_the_command_line_is_not_undone_by_a_run_of_the_interface(demo):
    p = macron_26_feb(demo)
    ok(demo, "edit", str(p.id), "--stance", "ruled-out", "--quote", "")
    with Store.open(demo, origin="interface", run=Run()) as store:
        with pytest.raises(TrackerError, match="nothing to undo"):
            store.undo()
    back = fetch(demo, p.id)
    assert (back.level.key, back.quote) == ("ruled-out", "")
