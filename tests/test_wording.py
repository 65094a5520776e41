"""Words a user reads: plurals, error messages and report lines that said something odd."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.errors import TrackerError
from tracker.formats import jsonl
from tracker.formats.markdown import write_markdown
from tracker.store import Store
from tracker.tui.forms import ActorForm
from tui_helpers import async_test, running, screen_text, settle

AS_OF = date(2025, 1, 1)

# ---------------------------------------------------------------------- the actor form


@async_test
async def test_the_actor_form_counts_aliases_in_english(tmp_path):
    async with running(tmp_path / "empty.db") as pilot:
        app = pilot.app
        form = ActorForm()
        app.push_screen(form)
        await settle(pilot)
        aliases = form.field("aliases")
        aliases.focus_input()
        await pilot.press(*"Macron, le président")
        await settle(pilot)
        shown = screen_text(app)
        assert "→ 2 aliases" in shown
        assert "aliass" not in shown
        aliases.focus_input(select=True)
        await pilot.press(*"Macron")
        await settle(pilot)
        shown = screen_text(app)
        assert "→ 1 alias" in shown and "→ 1 aliases" not in shown


# ---------------------------------------------------------------------- JSON errors


def json_error(text: str) -> str:
    with pytest.raises(TrackerError) as e:
        list(jsonl.read_records(io.StringIO(text)))
    return str(e.value)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"type": "actor", "name": "unterminated\n', "line 1: not valid JSON (a string is not closed: the line ends at column 40 before its closing quote)"),
        # The last line of a file without a newline at its end.
        ('{"type": "actor", "name": "abc', "line 1: not valid JSON (Unterminated string starting at column 27)"),
        ('{"type": "actor", "name": "a\tb"}', "line 1: not valid JSON (Invalid control character at column 29)"),
        ('{"type": "actor" "name": "x"}', "line 1: not valid JSON (Expecting ',' delimiter at column 18)"),
        ('{"type": "actor",}', "line 1: not valid JSON (Expecting property name enclosed in double quotes at column 18)"),
    ],
)
def test_a_json_error_says_at_column_once(line, message):
    assert json_error(line) == message


def test_import_names_the_column_once(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"type": "actor", "slug": "x", "name": "' + "y" * 620 + '\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), "import", str(bad)])
    assert result.exit_code == 1
    assert result.stderr == "tracker: line 1: not valid JSON (a string is not closed: the line ends at column 661 before its closing quote)\n"
    assert " at at " not in result.stderr


# ---------------------------------------------------------------------- markdown


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "t.db") as s:
        s.add_actor("Emmanuel Macron", slug="macron", kind="person")
        s.add_actor("Mark Rutte", slug="rutte", kind="person")
        s.add_question("Ground troops", slug="troops")
        s.add_question("Missile coalition", slug="coalition")
        yield s


def report(store: Store, **options) -> str:
    out = io.StringIO()
    write_markdown(store, out, as_of=AS_OF, **options)
    return out.getvalue()


def test_a_quote_in_english_is_not_said_to_be_in_english(store):
    """The report is written in English: a quote in English needs no word on its language
    (its reader is reading English), one in any other language says which."""
    store.add_position(actor="macron", question="troops", stance="reluctant", date="2024-02-26", quote="Nothing should be excluded.", quote_lang="en")
    store.add_position(actor="rutte", question="troops", stance="reluctant", date="2024-02-27", quote="Not on the table.", quote_lang="en-GB")
    store.add_position(actor="macron", question="troops", stance="not-excluded", date="2024-03-01", quote="Rien ne doit être exclu.", quote_lang="fr")
    store.add_position(actor="rutte", question="troops", stance="open", date="2024-03-02", quote="Dat is niet aan de orde.", quote_lang="nl-BE")
    md = report(store, question_id=store.resolve_question("troops").id)
    assert "in English" not in md
    assert "> Nothing should be excluded.\n\n" in md
    assert "> Not on the table.\n\n" in md
    assert "> Rien ne doit être exclu.\n>\n> — in French\n" in md
    assert "> Dat is niet aan de orde.\n>\n> — in Dutch (nl-BE)\n" in md


def test_a_question_with_one_actor_has_no_movers_section(store):
    store.add_position(actor="macron", question="coalition", stance="reluctant", date="2024-01-10")
    store.add_position(actor="macron", question="coalition", stance="committed", date="2024-02-26")
    md = report(store, question_id=store.resolve_question("coalition").id)
    assert "## Movers" not in md and "Reached" not in md and "**first**" not in md
    assert "\nOnly Emmanuel Macron has spoken on this question so far: no movers to compare.\n\n## Timeline\n" in md
    # The same in the actor's own report, and in the report of everything.
    mine = report(store, actor_id=store.resolve_actor("macron").id)
    assert "Movers" not in mine
    assert "Only Emmanuel Macron has spoken on this question so far: no movers to compare." in mine
    assert "Only Emmanuel Macron has spoken" in report(store) and "Movers" not in report(store)


def test_a_second_actor_brings_the_movers_back(store):
    store.add_position(actor="macron", question="coalition", stance="committed", date="2024-02-26")
    store.add_position(actor="rutte", question="coalition", stance="reluctant", date="2024-02-27")
    md = report(store, question_id=store.resolve_question("coalition").id)
    assert "## Movers" in md and "Only " not in md
    assert "| Emmanuel Macron | 26 Feb 2024 | entry | **first** | Committed |" in md


def test_a_one_actor_name_is_escaped_in_the_sentence(store):
    store.add_actor("[b]*Nobody*[/b] <i>", slug="nobody")
    store.add_position(actor="nobody", question="coalition", stance="open", date="2024-02-26")
    md = report(store, question_id=store.resolve_question("coalition").id)
    line = next(line for line in md.splitlines() if line.startswith("Only "))
    assert "*Nobody*" not in line and "<i>" not in line
