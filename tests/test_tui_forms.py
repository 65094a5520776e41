"""The entry forms, typed into with Pilot on a copy of the demo data: every field as
text, validation beside the fields, autocomplete with "create new …", add another,
edits, cancelling, and hostile text saved and shown literally. Text is typed with
``type_text`` (pasted but for its last key: Pilot costs about 60 ms a key); the tests
about keys themselves press every one."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from textual import events
from textual.widgets import OptionList
from tui_helpers import (  # noqa: F401 (demo_db is a fixture)
    async_test,
    demo_db,
    focused_field,
    running,
    screen_text,
    settle,
    type_text,
)

from tracker.domain.models import Level, Scale
from tracker.errors import TrackerError
from tracker.store import Store
from tracker.tui.forms import ActorForm, PositionForm, QuestionForm, ScaleForm, SourceForm
from tracker.tui.forms.display import visible
from tracker.tui.forms.matching import Candidate, best_matches
from tracker.tui.screens.confirm import ConfirmScreen

IRISH_TIMES = "https://www.irishtimes.com/world/europe/2023/01/25/olaf-scholz-bows-to-pressure-on-tanks-and-shatters-another-german-post-war-taboo/"  # fmt: skip
TAB_ORDER = ["actor", "question", "stance", "date", "quote", "quote_lang", "paraphrase", "context", "source",
             "confidence", "notes"]  # fmt: skip


def ids(db) -> dict[str, int]:
    with Store.open(db) as store:
        return {
            "macron": store.resolve_actor("macron").id,
            "rutte": store.resolve_actor("rutte").id,
            "ground-troops": store.resolve_question("ground-troops").id,
            "tanks": store.resolve_question("tanks").id,
        }


def count(db, table: str = "positions") -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def latest_position(db):
    with Store.open(db) as store:
        (last_id,) = store.conn.execute("SELECT max(id) FROM positions").fetchone()
        return store.position(last_id)


async def open_form(pilot, form, results: list | None = None):
    """Push ``form`` (as the lead's key bindings will) and wait until it has loaded."""
    pilot.app.push_screen(form, results.append if results is not None else None)
    await settle(pilot)
    assert pilot.app.screen is form and form.loaded
    return form


async def keys(pilot, *names: str) -> None:
    for name in names:
        await pilot.press(name)
        await settle(pilot)


def note(form, field_id: str) -> str:
    return str(form.query_one(f"#{field_id} .field-note").render())


def status(form) -> str:
    return str(form.query_one(".form-status").render())


# ---------------------------------------------------------------- a full entry


@async_test
async def test_full_entry_from_the_keyboard(demo_db):
    before = count(demo_db)
    results: list = []
    async with running(demo_db) as pilot:
        app = pilot.app
        form = await open_form(pilot, PositionForm(), results)
        assert focused_field(app) == "actor"
        await type_text(pilot, "mcrn")
        await keys(pilot, "tab")
        assert focused_field(app) == "question"
        await type_text(pilot, "ground")
        await keys(pilot, "tab")
        await type_text(pilot, "not")
        assert note(form, "stance") == "→ Not excluded (2)"
        await keys(pilot, "tab")
        await type_text(pilot, "1er mars 2024")
        assert note(form, "date") == "1er mars 2024 → 1 Mar 2024, day"
        await keys(pilot, "tab")
        await type_text(pilot, "Rien ne doit être exclu.")
        await keys(pilot, "tab")
        await type_text(pilot, "fr")
        await keys(pilot, "tab")
        await type_text(pilot, "Nothing must be ruled out")
        await keys(pilot, "tab")
        await type_text(pilot, "Élysée, after the Paris conference")
        await keys(pilot, "tab")
        await type_text(pilot, "irish times")  # the outlet, fuzzily
        await keys(pilot, "tab")
        assert focused_field(app) == "confidence"
        await type_text(pilot, "rep")
        assert note(form, "confidence") == "→ reported"
        await keys(pilot, "tab")
        await type_text(pilot, "typed in the form")
        await keys(pilot, "ctrl+s")
        assert app.screen is not form
    assert count(demo_db) == before + 1
    pos = latest_position(demo_db)
    assert results == [pos]
    assert (pos.actor_slug, pos.question_slug, pos.level.key) == ("macron", "ground-troops", "not-excluded")
    assert (pos.date.edtf, pos.date.precision) == ("2024-03-01", "day")
    assert pos.quote == "Rien ne doit être exclu."
    assert pos.quote_lang == "fr"
    assert pos.paraphrase == "Nothing must be ruled out"
    assert pos.context == "Élysée, after the Paris conference"
    assert pos.source is not None and pos.source.url == IRISH_TIMES
    assert pos.confidence == "reported"
    assert pos.notes == "typed in the form"
    assert pos.tags == ()


@async_test
async def test_tab_order_and_footer(demo_db):
    async with running(demo_db) as pilot:
        app = pilot.app
        await open_form(pilot, PositionForm())
        seen = [focused_field(app)]
        for _ in TAB_ORDER[1:]:
            await keys(pilot, "tab")
            seen.append(focused_field(app))
        assert seen == TAB_ORDER
        footer = screen_text(app).splitlines()[-1]
        assert "Save" in footer and "Cancel" in footer and "add another" in footer


# ---------------------------------------------------------------- validation


@async_test
async def test_a_bad_date_is_explained_and_refused(demo_db):
    ref = ids(demo_db)
    before = count(demo_db)
    async with running(demo_db) as pilot:
        app = pilot.app
        form = await open_form(pilot, PositionForm(actor_id=ref["macron"], question_id=ref["ground-troops"]))
        assert focused_field(app) == "stance"  # the first empty field
        await type_text(pilot, "2")
        await keys(pilot, "tab")
        await type_text(pilot, "31 février 2024")
        assert "February 2024 has 29 days" in note(form, "date")
        await keys(pilot, "shift+tab", "ctrl+s")
        assert app.screen is form  # refused
        assert focused_field(app) == "date"  # the focus goes to the bad field
        assert "Not saved" in status(form) and "date" in status(form)
        assert "February 2024 has 29 days" in screen_text(app)
    assert count(demo_db) == before


@async_test
async def test_unknown_stance_and_bad_language(demo_db):
    ref = ids(demo_db)
    before = count(demo_db)
    async with running(demo_db) as pilot:
        app = pilot.app
        form = await open_form(pilot, PositionForm(actor_id=ref["macron"], question_id=ref["ground-troops"]))
        await type_text(pilot, "maybe")
        assert "✗ stance 'maybe' is not a level of the scale 'commitment'" in note(form, "stance")
        form.field("stance").input.value = ""
        await type_text(pilot, "9")
        assert "the scale 'commitment' has ranks 0 to 5" in note(form, "stance")
        form.field("stance").input.value = ""
        await type_text(pilot, "r")  # ruled-out or reluctant
        assert "ambiguous: ruled-out, reluctant" in note(form, "stance")
        await type_text(pilot, "e")
        assert note(form, "stance") == "→ Reluctant (1)"
        await keys(pilot, "tab")
        await type_text(pilot, "2024-02-26")
        await keys(pilot, "tab", "tab")
        assert focused_field(app) == "quote_lang"
        await type_text(pilot, "French!")
        assert "quote language 'French!' is not a language code" in note(form, "quote_lang")
        await keys(pilot, "ctrl+s")
        assert app.screen is form and focused_field(app) == "quote_lang"
        # Corrected, it saves.
        form.field("quote_lang").input.value = "fr"
        await settle(pilot)
        await keys(pilot, "ctrl+s")
        assert app.screen is not form
    assert count(demo_db) == before + 1
    assert latest_position(demo_db).level.key == "reluctant"


@async_test
async def test_required_fields_say_so_on_save(demo_db):
    async with running(demo_db) as pilot:
        app = pilot.app
        form = await open_form(pilot, PositionForm())
        assert "is required" not in screen_text(app)  # nothing shouted before a save attempt
        await keys(pilot, "ctrl+s")
        assert app.screen is form and focused_field(app) == "actor"
        assert "actor is required" in note(form, "actor")
        assert "question is required" in note(form, "question")
        assert "date is required" in note(form, "date")
        assert "Not saved: actor, question, stance, date need attention" in status(form)


@async_test
async def test_the_stance_follows_the_question(demo_db):
    ref = ids(demo_db)
    async with running(demo_db) as pilot:
        app = pilot.app
        form = await open_form(pilot, PositionForm(actor_id=ref["macron"]))
        await keys(pilot, "tab")  # from the question to the stance
        await type_text(pilot, "committed")
        assert "choose the question first" in note(form, "stance")
        form.lookup("question").focus_input()
        await type_text(pilot, "tanks")
        await keys(pilot, "enter")
        assert focused_field(app) == "stance"
        assert note(form, "stance") == "→ Committed (4)"


# ---------------------------------------------------------------- autocomplete


@async_test
async def test_autocomplete_finds_an_actor_by_fuzzy_text(demo_db):
    async with running(demo_db) as pilot:
        app = pilot.app
        form = await open_form(pilot, PositionForm())
        await type_text(pilot, "mcrn")
        dropdown = form.query_one("#actor-dropdown", OptionList)
        assert dropdown.display
        lines = [str(dropdown.get_option_at_index(i).prompt) for i in range(dropdown.option_count)]
        assert lines[0].startswith("Emmanuel Macron")
        assert lines[-1] == "+ create new actor “mcrn”"
        assert "Emmanuel Macron" in screen_text(app)
        await keys(pilot, "enter")
        actor = form.lookup("actor")
        assert actor.value == "Emmanuel Macron" and actor.record.slug == "macron"
        assert not dropdown.display
        assert focused_field(app) == "question"
        # An alias, then ↓ to the second match; escape closes the list without leaving the form.
        actor.focus_input()
        actor.input.value = ""
        await type_text(pilot, "chancel")  # "German Chancellor" (Scholz), "le chancelier allemand"
        lines = [str(dropdown.get_option_at_index(i).prompt) for i in range(dropdown.option_count)]
        assert lines[0].startswith("Olaf Scholz")
        await keys(pilot, "escape")
        assert not dropdown.display and app.screen is form
        assert "choose an actor in the list" in note(form, "actor")
        await keys(pilot, "down", "tab")
        assert actor.record.slug == "scholz"


def test_fuzzy_matching_ranks_close_names_first():
    people = [
        Candidate.make("macron", "Emmanuel Macron", names=("macron", "Macron", "le président français")),
        Candidate.make("merz", "Friedrich Merz", names=("merz",)),
        Candidate.make("marcon", "Marc Onné", names=("marc-onne",)),
    ]
    assert [m.candidate.record for m in best_matches("mcrn", people)][0] == "macron"
    assert best_matches("president", people)[0].name == "le président français"  # accents optional
    assert best_matches("MERZ", people)[0].candidate.record == "merz"
    assert best_matches("   ", people) == []
    assert best_matches("qqq", people) == []


# ---------------------------------------------------------------- create new …


@async_test
async def test_create_a_new_actor_inline(demo_db):
    ref = ids(demo_db)
    results: list = []
    async with running(demo_db) as pilot:
        app = pilot.app
        form = await open_form(pilot, PositionForm(question_id=ref["ground-troops"]), results)
        await type_text(pilot, "Giorgia Meloni")
        dropdown = form.query_one("#actor-dropdown", OptionList)
        last = dropdown.option_count - 1
        assert str(dropdown.get_option_at_index(last).prompt) == "+ create new actor “Giorgia Meloni”"
        await keys(pilot, *["down"] * last, "enter")
        actor_form = app.screen
        assert isinstance(actor_form, ActorForm)
        assert actor_form.field("name").value == "Giorgia Meloni"
        assert note(actor_form, "slug") == "→ giorgia-meloni (from the name)"
        await keys(pilot, "tab", "tab")
        assert focused_field(app) == "kind"
        await type_text(pilot, "pe")
        assert note(actor_form, "kind") == "→ person"
        await keys(pilot, "tab")
        await type_text(pilot, "ITA")
        assert "country 'ITA' is not a two-letter ISO 3166 code" in note(actor_form, "country")
        await keys(pilot, "backspace")
        await keys(pilot, "tab")
        await type_text(pilot, "ital")
        await keys(pilot, "tab")  # the parent: Italy, from the list
        await type_text(pilot, "Meloni, la presidente del Consiglio")
        await keys(pilot, "ctrl+s")
        # Back in the position form, the new actor filled in, the focus on the next field.
        assert app.screen is form
        actor = form.lookup("actor")
        assert actor.value == "Giorgia Meloni" and actor.record.slug == "giorgia-meloni"
        assert focused_field(app) == "question"
        await keys(pilot, "tab")
        await type_text(pilot, "open")
        await keys(pilot, "tab")
        await type_text(pilot, "2025")
        await keys(pilot, "ctrl+s")
        assert app.screen is not form
    with Store.open(demo_db) as store:
        meloni = store.resolve_actor("giorgia-meloni")
        assert (meloni.name, meloni.kind, meloni.country, meloni.parent_slug) == ("Giorgia Meloni", "person", "IT", "italy")
        assert set(meloni.aliases) == {"Meloni", "la presidente del Consiglio"}
    assert results[0].actor_slug == "giorgia-meloni" and results[0].level.key == "open"


@async_test
async def test_create_a_question_and_a_source_inline(demo_db):
    ref = ids(demo_db)
    async with running(demo_db) as pilot:
        app = pilot.app
        form = await open_form(pilot, PositionForm(actor_id=ref["macron"]))
        assert focused_field(app) == "question"  # the first empty field
        await type_text(pilot, "Zzz qqq")  # matches nothing: "create new" is the only line
        await keys(pilot, "tab")
        question_form = app.screen
        assert isinstance(question_form, QuestionForm)
        assert question_form.field("title").value == "Zzz qqq"
        await keys(pilot, "tab", "tab")
        await type_text(pilot, "agr")
        assert note(question_form, "scale").startswith("→ agreement: strongly-opposes < opposes")
        await keys(pilot, "ctrl+s")
        assert app.screen is form and form.lookup("question").record.slug == "zzz-qqq"
        await type_text(pilot, "s")
        assert "stance 's' is ambiguous: strongly-opposes, supports, strongly-supports" in note(form, "stance")
        await type_text(pilot, "upp")
        assert note(form, "stance") == "→ Supports (3)"
        await keys(pilot, "tab")
        await type_text(pilot, "2024")
        form.lookup("source").focus_input()
        await settle(pilot)
        await type_text(pilot, "https://example.org/new")
        dropdown = form.query_one("#source-dropdown", OptionList)
        await keys(pilot, *["down"] * (dropdown.option_count - 1), "enter")
        source_form = app.screen
        assert isinstance(source_form, SourceForm)
        assert source_form.field("url").value == "https://example.org/new"
        await keys(pilot, "tab")
        await type_text(pilot, "A new article")
        await keys(pilot, "tab", "tab")
        await type_text(pilot, "27 février 2024")
        assert note(source_form, "published") == "27 février 2024 → 27 Feb 2024, day"
        await keys(pilot, "tab")
        await type_text(pilot, "fr")
        await keys(pilot, "ctrl+s")
        assert app.screen is form and form.lookup("source").record.url == "https://example.org/new"
        await keys(pilot, "ctrl+s")
        assert app.screen is not form
    pos = latest_position(demo_db)
    assert (pos.question_slug, pos.level.key, pos.date.edtf) == ("zzz-qqq", "supports", "2024")
    assert pos.source.title == "A new article" and pos.source.published.edtf == "2024-02-27"


@async_test
async def test_a_cancelled_inline_form_returns_to_the_field(demo_db):
    before = count(demo_db, "actors")
    async with running(demo_db) as pilot:
        app = pilot.app
        form = await open_form(pilot, PositionForm())
        await type_text(pilot, "Nobody Known")
        dropdown = form.query_one("#actor-dropdown", OptionList)
        await keys(pilot, *["down"] * (dropdown.option_count - 1), "enter")
        assert isinstance(app.screen, ActorForm)
        await keys(pilot, "escape")  # the carried-over name counts as typed: it asks
        assert isinstance(app.screen, ConfirmScreen)
        await keys(pilot, "y")
        assert app.screen is form and focused_field(app) == "actor"
        assert form.lookup("actor").value == "Nobody Known" and form.lookup("actor").record is None
    assert count(demo_db, "actors") == before


# ---------------------------------------------------------------- add another


@async_test
async def test_add_another_from_the_same_source(demo_db):
    ref = ids(demo_db)
    before = count(demo_db)
    results: list = []
    saved_messages: list = []
    async with running(demo_db) as pilot:
        app = pilot.app
        form = await open_form(pilot, PositionForm(actor_id=ref["macron"], question_id=ref["ground-troops"]), results)
        form.post_message = lambda m, _orig=form.post_message: (saved_messages.append(m), _orig(m))[1]
        await type_text(pilot, "not")
        await keys(pilot, "tab")
        await type_text(pilot, "2024-02-26")
        form.lookup("source").focus_input()
        await settle(pilot)
        await type_text(pilot, "ukrinform")
        await keys(pilot, "tab", "ctrl+n")
        # Saved, and the form is ready for the next statement: actor, question and source kept.
        assert app.screen is form and results == []
        assert "Saved position" in status(form)
        assert form.lookup("actor").value == "Emmanuel Macron"
        assert form.lookup("question").value == "Western ground troops in Ukraine"
        assert form.lookup("source").record.outlet == "Ukrinform"
        assert form.field("date").value == "2024-02-26"  # the same article: the same day, most often
        for field_id in ("stance", "quote", "quote_lang", "paraphrase", "context", "confidence", "notes"):
            assert form.field(field_id).value == "", field_id
        assert focused_field(app) == "actor"
        await type_text(pilot, "rutte")  # replaces the kept actor (its text is selected on focus)
        await keys(pilot, "tab", "tab")
        await type_text(pilot, "reluct")
        await keys(pilot, "tab", "ctrl+u")  # the kept date, cleared (the cursor is at its end)
        await type_text(pilot, "2024-02-27")
        await keys(pilot, "ctrl+n")
        await type_text(pilot, "x")  # a third one begun, then dropped
        await keys(pilot, "escape")  # the first escape closes the open list of matches
        assert app.screen is form
        await keys(pilot, "escape", "y")
        assert app.screen is not form
    assert count(demo_db) == before + 2
    with Store.open(demo_db) as store:
        first, second = store.conn.execute("SELECT id FROM positions ORDER BY id DESC LIMIT 2").fetchall()[::-1]
        first, second = store.position(first[0]), store.position(second[0])
    assert (first.actor_slug, first.level.key, first.date.edtf) == ("macron", "not-excluded", "2024-02-26")
    assert (second.actor_slug, second.level.key, second.date.edtf) == ("rutte", "reluctant", "2024-02-27")
    assert first.source.uid == second.source.uid and first.source.outlet == "Ukrinform"
    assert results == [second]  # the form closes with the last position saved
    assert [m.position.id for m in saved_messages if isinstance(m, PositionForm.Saved)] == [first.id, second.id]


# ---------------------------------------------------------------- edit


@async_test
async def test_edit_an_existing_position(demo_db):
    with Store.open(demo_db) as store:
        macron = store.resolve_actor("macron")
        pos = next(p for p in store.positions(actor_id=macron.id) if p.quote and p.source)
        revisions = len(store.revisions("positions", pos.uid))
    results: list = []
    async with running(demo_db) as pilot:
        app = pilot.app
        form = await open_form(pilot, PositionForm(pos.id), results)
        assert "Edit position" in screen_text(app)
        assert form.lookup("actor").record.id == pos.actor_id
        assert form.lookup("question").record.id == pos.question_id
        assert form.field("stance").value == pos.level.key
        assert form.field("date").value == pos.date.edtf
        assert form.field("quote").value == pos.quote
        assert form.field("quote_lang").value == pos.quote_lang
        assert form.field("confidence").value == pos.confidence
        assert form.lookup("source").record.uid == pos.source.uid
        assert not form.dirty
        assert "add another" not in screen_text(app).splitlines()[-1]  # no ctrl+n in an edit
        form.field("stance").focus_input()
        await settle(pilot)
        await keys(pilot, "ctrl+u")  # the cursor is at the end of the prefilled text: cleared
        await type_text(pilot, "committed")
        assert note(form, "stance") == "→ Committed (4)"
        await keys(pilot, "ctrl+s")
        assert app.screen is not form
    with Store.open(demo_db) as store:
        after = store.position(pos.id)
        history = store.revisions("positions", pos.uid)
    assert after.level.key == "committed"
    assert (after.quote, after.date, after.source, after.actor_id) == (pos.quote, pos.date, pos.source, pos.actor_id)
    assert after.tags == pos.tags and after.notes == pos.notes
    assert len(history) == revisions + 1 and history[-1]["action"] == "update"
    assert results == [after]


# ---------------------------------------------------------------- typing before the form has loaded


@pytest.fixture
def slow_load(monkeypatch):
    """Hold the form's load worker until the test sets the returned event: what a fast
    typist meets on a large file (n, then the stance, before the lists are read)."""
    gate = threading.Event()
    real_load = PositionForm.load

    def load(self, store):
        assert gate.wait(10)
        return real_load(self, store)

    monkeypatch.setattr(PositionForm, "load", load)
    yield gate
    gate.set()


@async_test
async def test_keys_typed_while_a_new_form_loads_go_to_the_stance_and_stay(demo_db, slow_load):
    ref = ids(demo_db)
    async with running(demo_db) as pilot:
        app = pilot.app
        form = PositionForm(actor_id=ref["macron"], question_id=ref["ground-troops"])
        app.push_screen(form)
        await pilot.pause()
        await pilot.press(*"open")
        assert not form.loaded
        slow_load.set()
        await settle(pilot)
        assert form.loaded
        assert form.field("stance").value == "open" and note(form, "stance") == "→ Open (3)"
        assert form.lookup("actor").record.id == ref["macron"]
        assert form.lookup("question").record.id == ref["ground-troops"]
        assert focused_field(app) == "stance"


@async_test
async def test_keys_typed_right_after_n_go_into_the_form(demo_db):
    # n, then the stance at typing speed: the app sends the next keys to the list that has the
    # focus when they arrive, before n has opened the form; they come back up and go into it.
    async with running(demo_db) as pilot:
        app = pilot.app
        await keys(pilot, "end", "enter")  # the last question's timeline: actor and question given
        for event in (events.Key("n", "n"), events.Key("o", "o"), events.Key("p", "p"), events.Paste("en")):
            app.post_message(event)
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PositionForm) and form.loaded
        assert focused_field(app) == "stance" and form.field("stance").value == "open"
        assert note(form, "stance") == "→ Open (3)"


@async_test
async def test_keys_pressed_before_the_form_has_mounted_are_not_dropped(demo_db):
    # The keys reach the form's screen before any field has the focus.
    async with running(demo_db) as pilot:
        app = pilot.app
        app.action_new_position()
        for event in (events.Key("M", "M"), events.Paste("acr"), events.Key("o", "o")):
            app.post_message(event)
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PositionForm) and form.loaded
        assert focused_field(app) == "actor" and form.field("actor").value == "Macro"


@async_test
async def test_an_actor_typed_while_the_form_loads_is_not_replaced(demo_db, slow_load):
    ref = ids(demo_db)
    async with running(demo_db) as pilot:
        app = pilot.app
        form = PositionForm(actor_id=ref["macron"])
        app.push_screen(form)
        await pilot.pause()
        assert focused_field(app) == "question"  # the actor is given: the question comes first
        await pilot.press("shift+tab", *"Rutte")
        slow_load.set()
        await settle(pilot)
        assert form.field("actor").value == "Rutte"  # what was typed, not the prefilled Macron
        assert form.lookup("actor").record.id == ref["rutte"]
        assert focused_field(app) == "actor"  # the focus stays where the typing was


@async_test
async def test_text_typed_while_an_edit_loads_is_kept(demo_db, slow_load):
    with Store.open(demo_db) as store:
        pos = next(p for p in store.positions(actor_id=store.resolve_actor("macron").id) if p.quote)
    async with running(demo_db) as pilot:
        app = pilot.app
        form = PositionForm(pos.id)
        app.push_screen(form)
        await pilot.pause()
        await pilot.press(*"Rutte")
        slow_load.set()
        await settle(pilot)
        assert form.field("actor").value == "Rutte" and form.dirty
        assert form.field("quote").value == pos.quote  # the rest is the position's
        assert form.field("stance").value == pos.level.key


# ---------------------------------------------------------------- cancel


@async_test
async def test_cancel_with_nothing_typed_closes_at_once(demo_db):
    ref = ids(demo_db)
    results: list = []
    async with running(demo_db) as pilot:
        app = pilot.app
        form = await open_form(pilot, PositionForm(actor_id=ref["macron"], question_id=ref["tanks"]), results)
        await keys(pilot, "escape")
        assert app.screen is not form and not isinstance(app.screen, ConfirmScreen)
    assert results == [None]


@async_test
async def test_cancel_with_typed_text_asks_first(demo_db):
    ref = ids(demo_db)
    before = count(demo_db)
    results: list = []
    async with running(demo_db) as pilot:
        app = pilot.app
        form = await open_form(pilot, PositionForm(actor_id=ref["macron"], question_id=ref["tanks"]), results)
        await type_text(pilot, "open")
        await keys(pilot, "tab")
        await type_text(pilot, "2023")
        await keys(pilot, "escape")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Drop this position?" in screen_text(app)
        await keys(pilot, "n")
        assert app.screen is form and form.field("stance").value == "open" and form.field("date").value == "2023"
        await keys(pilot, "escape")
        assert isinstance(app.screen, ConfirmScreen)
        await keys(pilot, "escape")  # escape is no, too
        assert app.screen is form
        await keys(pilot, "escape", "y")
        assert app.screen is not form
    assert results == [None]
    assert count(demo_db) == before


# ---------------------------------------------------------------- hostile text


@async_test
async def test_hostile_text_is_saved_and_shown_literally(demo_db):
    ref = ids(demo_db)
    async with running(demo_db) as pilot:
        app = pilot.app
        form = await open_form(pilot, PositionForm(actor_id=ref["rutte"], question_id=ref["ground-troops"]))
        await type_text(pilot, "1")
        await keys(pilot, "tab")
        await type_text(pilot, "2024-02-27")
        await keys(pilot, "tab")
        await type_text(pilot, "[bold]x[/] ")
        # An escape sequence arrives pasted (a key press of ESC is the escape key).
        app.focused.post_message(events.Paste("\x1b[31mred\x1b[0m [@click=app.quit]q[/]"))
        await settle(pilot)
        assert form.field("quote").value == "[bold]x[/] \x1b[31mred\x1b[0m [@click=app.quit]q[/]"
        text = screen_text(app)
        assert "[bold]x[/] ␛[31mred␛[0m [@click=app.quit]q[/]" in text
        assert "\x1b" not in text
        await keys(pilot, "tab", "tab")
        assert focused_field(app) == "paraphrase"
        await type_text(pilot, "[red]Rutte[/]")
        assert "[red]Rutte[/]" in screen_text(app)
        await keys(pilot, "ctrl+s")
        assert app.screen is not form
        # And shown as typed where the saved position is read.
        app.show_position(latest_position(demo_db).id)
        await settle(pilot)
        text = assert_shown_literally(app, "[bold]x[/] ␛[31mred␛[0m [@click=app.quit]q[/]", "[red]Rutte[/]")
        assert "\x1b" not in text
    pos = latest_position(demo_db)
    assert pos.quote == "[bold]x[/] \x1b[31mred\x1b[0m [@click=app.quit]q[/]"
    assert pos.paraphrase == "[red]Rutte[/]"


def test_visible_keeps_one_character_for_each():
    hostile = "a\x1b[31m\x07\n\t\x9b\u202eb\x7f"
    shown = visible(hostile)
    assert len(shown) == len(hostile)
    assert shown == "a␛[31m␇↵␉\ufffd\ufffdb␡"


@async_test
async def test_a_multiline_quote_survives_an_edit(demo_db):
    with Store.open(demo_db) as store:
        pos = store.positions()[0]
        store.update_position(pos.id, quote="line one\nline two [b]x[/b]")
    async with running(demo_db) as pilot:
        app = pilot.app
        form = await open_form(pilot, PositionForm(pos.id))
        shown = screen_text(app).splitlines()  # on two lines of the quote's text area, one under the other
        first = next(i for i, line in enumerate(shown) if "line one" in line)
        assert "line two [b]x[/b]" in shown[first + 1]
        assert shown[first].index("line one") == shown[first + 1].index("line two")
        form.field("notes").focus_input()
        await settle(pilot)
        await type_text(pilot, "checked")
        await keys(pilot, "ctrl+s")
        assert app.screen is not form
    with Store.open(demo_db) as store:
        after = store.position(pos.id)
    assert after.quote == "line one\nline two [b]x[/b]" and after.notes == pos.notes + "checked"  # added at the end


# ---------------------------------------------------------------- errors from the store


@async_test
async def test_a_store_error_is_shown_and_nothing_is_written(demo_db):
    before = count(demo_db, "sources")
    async with running(demo_db) as pilot:
        app = pilot.app
        form = await open_form(pilot, SourceForm("https://example.org/raced"))
        # Another program adds the same URL after the form has loaded its list.
        with Store.open(demo_db) as other:
            other.add_source(url="https://example.org/raced", title="first")
        await keys(pilot, "ctrl+s")
        assert app.screen is form
        assert "Not saved: a source with the URL 'https://example.org/raced' already exists" in status(form)
        assert not form.busy
    assert count(demo_db, "sources") == before + 1


@async_test
async def test_source_form_needs_a_url_or_a_title(demo_db):
    async with running(demo_db) as pilot:
        app = pilot.app
        form = await open_form(pilot, SourceForm())
        await type_text(pilot, "ftp://x")
        assert "is not an http(s) address" in note(form, "url")
        form.field("url").input.value = ""
        await keys(pilot, "ctrl+s")
        assert app.screen is form and "a source needs a URL or a title" in status(form)
        await type_text(pilot, IRISH_TIMES[:30])
        form.field("url").input.value = IRISH_TIMES
        await settle(pilot)
        assert "already exists: pick it in the list instead" in note(form, "url")


@async_test
async def test_actor_form_slug_and_kind(demo_db):
    results: list = []
    async with running(demo_db) as pilot:
        app = pilot.app
        form = await open_form(pilot, ActorForm(), results)
        await type_text(pilot, "Macron")
        assert note(form, "slug") == "✗ an actor with the slug 'macron' already exists; type another slug"
        await keys(pilot, "tab")
        await type_text(pilot, "Not A Slug")
        assert "slug 'Not A Slug' is not valid" in note(form, "slug")
        form.field("slug").input.value = "macron-2"
        await keys(pilot, "tab")
        await type_text(pilot, "p")
        assert "kind 'p' is ambiguous: person, party" in note(form, "kind")
        await keys(pilot, "ctrl+s")
        assert app.screen is form and focused_field(app) == "kind"
        await type_text(pilot, "a")
        await keys(pilot, "ctrl+s")
        assert app.screen is not form
    assert results[0].slug == "macron-2" and results[0].kind == "party" and results[0].country is None


# ---------------------------------------------------------------- scales


@async_test
async def test_create_a_scale(demo_db):
    results: list = []
    async with running(demo_db) as pilot:
        app = pilot.app
        form = await open_form(pilot, ScaleForm(None), results)
        await type_text(pilot, "commitment")
        assert "a scale 'commitment' already exists" in note(form, "key")
        form.field("key").input.value = "support"
        await keys(pilot, "tab")
        await type_text(pilot, "Support")
        await keys(pilot, "tab")
        for line in ("against: Against", "neutral: Neutral", "Strongly for"):
            await type_text(pilot, line)
            await keys(pilot, "enter")
        assert note(form, "levels") == "→ 3 levels: 0 against < 1 neutral < 2 strongly-for"
        await type_text(pilot, "Bad Key: x")
        assert "line 4: level key 'Bad Key' is not valid" in note(form, "levels")
        await keys(pilot, "ctrl+s")
        assert app.screen is form
        await keys(pilot, "shift+home", "backspace")  # the bad line selected and deleted
        await keys(pilot, "ctrl+s")
        assert app.screen is not form
    scale: Scale = results[0]
    assert [(lv.key, lv.label, lv.rank) for lv in scale.levels] == [
        ("against", "Against", 0), ("neutral", "Neutral", 1), ("strongly-for", "Strongly for", 2)]  # fmt: skip
    with Store.open(demo_db) as store:
        assert store.scale("support").name == "Support"


@async_test
async def test_add_and_remove_levels_of_a_scale(demo_db):
    with Store.open(demo_db) as store:
        store.add_scale("trial", "Trial", [Level("no", "No", 0), Level("yes", "Yes", 1)])
        store.add_question("Trial question", scale="trial")
        store.add_position(actor="macron", question="trial-question", stance="yes", date="2024")
    results: list = []
    async with running(demo_db) as pilot:
        app = pilot.app
        form = await open_form(pilot, ScaleForm("trial"), results)
        text = screen_text(app)
        assert "Scale trial" in text and " 0  no" in text and " 1  yes" in text
        form.field("level_key").focus_input()
        await settle(pilot)
        await type_text(pilot, "maybe")
        await keys(pilot, "tab")
        await type_text(pilot, "Maybe")
        await keys(pilot, "tab")
        await type_text(pilot, "1")
        assert note(form, "rank") == "→ rank 1, below yes (which moves up one)"
        await keys(pilot, "ctrl+s")
        assert "Added the level maybe at rank 1" in status(form)
        assert [lv.key for lv in form.scale.levels] == ["no", "maybe", "yes"]
        # Removing the level in use: the store's message, nothing changed.
        listing = form.query_one("#levels-list", OptionList)
        listing.focus()
        listing.highlighted = 2
        await keys(pilot, "x")
        assert isinstance(app.screen, ConfirmScreen)
        await keys(pilot, "y")
        assert "level 'yes' is used by 1 position; it cannot be removed" in status(form)
        # Removing an unused one works.
        listing.highlighted = 0
        await keys(pilot, "delete", "y")
        assert "Removed the level no" in status(form)
        await keys(pilot, "escape")
        assert app.screen is not form
    with Store.open(demo_db) as store:
        assert [(lv.key, lv.rank) for lv in store.scale("trial").levels] == [("maybe", 0), ("yes", 1)]
    assert [lv.key for lv in results[0].levels] == ["maybe", "yes"]


def assert_shown_literally(app, *expect: str) -> str:
    """What is on screen holds ``expect`` and no raw control character, nothing that
    could reorder a line, and no link or click action made from data."""
    from tui_helpers import screen_segments

    text = screen_text(app)
    for literal in expect:
        assert literal in text, (literal, text)
    bad = {c for c in text if (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) <= 0x9F or c == "\u202e"}
    assert not bad, bad
    for segment in screen_segments(app):
        if segment.style is not None:
            assert not segment.style.link and not (segment.style.meta or {}).get("@click"), segment
    return text


@async_test
async def test_hostile_names_in_the_lists_and_an_edit(tmp_path):
    from tui_helpers import load_hostile

    db = load_hostile(tmp_path / "hostile.db")
    with Store.open(db) as store:
        pos = store.positions(actor_id=store.resolve_actor("beta").id)[0]
    async with running(db) as pilot:
        app = pilot.app
        form = await open_form(pilot, PositionForm(pos.id))
        # Every field of a hostile position, prefilled: markup and escapes shown as typed.
        assert_shown_literally(app, "[TODO] fix Beta ␛[31mred␛[0m", "[bold]x[/] [/b] [TODO] fix ␛[31mred")
        form.lookup("actor").focus_input(select=True)
        await settle(pilot)
        await type_text(pilot, "alph")
        assert_shown_literally(app, "[bold]x[/] Alpha", "+ create new actor “alph”")
        await keys(pilot, "enter")
        assert note(form, "actor") == "→ [bold]x[/] Alpha (alpha · person · FR)"
        form.lookup("source").focus_input()
        await settle(pilot)
        await type_text(pilot, "[TODO")
        assert_shown_literally(app, "[TODO] fix ␛[31mred␛[0m")
        await keys(pilot, "enter", "ctrl+s")
        assert app.screen is not form, status(form)
    with Store.open(db) as store:
        after = store.position(pos.id)
    assert after.actor_slug == "alpha" and after.quote == pos.quote and after.context == pos.context
