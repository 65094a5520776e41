"""Issue 17, the forms: quote, paraphrase, context and notes take several lines (a text
area: tab moves on, ctrl+s saves, text shown literally), and the position form opens
prefilled from a quote found in an article (CapturePrefill)."""

from __future__ import annotations

from tui_helpers import (  # noqa: F401 (demo_db is a fixture)
    async_test,
    demo_db,
    running,
    screen_text,
    settle,
    type_text,
)
from textual import events
from textual.widgets import TextArea

from tracker.store import Store
from tracker.tui.forms import PositionForm, QuestionForm
from tracker.tui.forms.position_form import CapturePrefill

PASTED = "« Il n'y a pas de consensus aujourd'hui [TODO] »,\na-t-il dit. [/b]\nEt encore [bold]x[/]."


async def open_form(pilot, form, results: list | None = None):
    pilot.app.push_screen(form, results.append if results is not None else None)
    await settle(pilot)
    assert pilot.app.screen is form and form.loaded
    return form


async def keys(pilot, *names: str) -> None:
    for name in names:
        await pilot.press(name)
        await settle(pilot)


def focused_field(app) -> str | None:
    focused = app.focused
    while focused is not None and "form-field" not in focused.classes:
        focused = focused.parent
    return focused.id if focused is not None else None


def ids(store: Store, slug: str) -> tuple[int, int]:
    return store.resolve_actor(slug).id, store.resolve_question("ground-troops").id


def prefill(**changes) -> CapturePrefill:
    values = dict(
        actor_slug="macron",
        actor_name="Emmanuel Macron",
        date="2024-02-26",
        quote="rien ne doit être exclu",
        quote_lang="fr",
        source_url="https://example.org/paris-conference",
        source_title="Conférence de soutien à l'Ukraine",
        source_outlet="Example Presse",
        source_published="2024-02-26",
        source_language="fr",
    )
    values.update(changes)
    return CapturePrefill(**values)


# ---------------------------------------------------------------- several lines


@async_test
async def test_multiline_fields_are_text_areas_that_tab_moves_through(demo_db):
    async with running(demo_db) as pilot:
        app = pilot.app
        form = await open_form(pilot, PositionForm())
        for field_id in ("quote", "paraphrase", "context", "notes"):
            assert isinstance(form.field(field_id).input, TextArea), field_id
        form.field("quote").focus_input()
        await settle(pilot)
        await type_text(pilot, "ab")
        await keys(pilot, "tab")
        assert focused_field(app) == "quote_lang"
        await keys(pilot, "shift+tab")
        assert focused_field(app) == "quote"
        await keys(pilot, "shift+tab")
        assert focused_field(app) == "date"
        assert form.field("quote").value == "ab"  # tab inserted nothing


@async_test
async def test_a_quote_typed_and_pasted_on_several_lines_is_saved_and_shown_as_typed(demo_db):
    with Store.open(demo_db) as store:
        actor_id, question_id = ids(store, "macron")
    async with running(demo_db) as pilot:
        app = pilot.app
        form = await open_form(pilot, PositionForm(actor_id=actor_id, question_id=question_id))
        await type_text(pilot, "open")
        await keys(pilot, "tab")
        await type_text(pilot, "26 Feb 2024")
        await keys(pilot, "tab")
        assert focused_field(app) == "quote"
        await type_text(pilot, "first line")
        await keys(pilot, "enter")  # a new line, not the next field
        assert focused_field(app) == "quote"
        await type_text(pilot, "second [b]line")
        await keys(pilot, "tab", "tab")  # quote language, then the paraphrase
        assert focused_field(app) == "paraphrase"
        app.focused.post_message(events.Paste(PASTED))
        await settle(pilot)
        assert form.field("paraphrase").value == PASTED  # its line breaks kept
        shown = screen_text(app)
        for line in ("first line", "second [b]line", "[TODO] »,", "a-t-il dit. [/b]", "Et encore [bold]x[/]."):
            assert line in shown, line
        await keys(pilot, "ctrl+s")  # saves from inside a text area
        assert app.screen is not form
    with Store.open(demo_db) as store:
        pos = max(store.positions(actor_id=actor_id), key=lambda p: p.id)
    assert pos.quote == "first line\nsecond [b]line"
    assert pos.paraphrase == PASTED


@async_test
async def test_a_text_area_grows_with_its_text_up_to_six_lines(demo_db):
    async with running(demo_db) as pilot:
        form = await open_form(pilot, PositionForm())
        quote = form.field("quote")
        assert quote.input.size.height == 1
        quote.set_value("one\ntwo\nthree")
        await settle(pilot)
        assert quote.input.size.height == 3
        quote.set_value("\n".join(f"line {i}" for i in range(12)))
        await settle(pilot)
        assert quote.input.size.height == 6
        quote.set_value("word " * 200)  # one long line, soft wrapped: no sideways scrolling
        await settle(pilot)
        assert quote.input.size.height == 6 and quote.input.soft_wrap


@async_test
async def test_control_characters_in_a_quote_are_shown_as_symbols_and_saved_unchanged(demo_db):
    hostile = "a\x1b[31mred\x07\u202eb\x85c\u2028d\ttab"
    with Store.open(demo_db) as store:
        pos = store.positions()[0]
        store.update_position(pos.id, quote=hostile)
    async with running(demo_db) as pilot:
        app = pilot.app
        form = await open_form(pilot, PositionForm(pos.id))
        assert form.field("quote").value == hostile
        assert not form.field("quote").dirty
        shown = screen_text(app)
        assert "a␛[31mred␇" in shown
        assert "\x1b" not in shown and "\u202e" not in shown and "\x85" not in shown
        assert len(form.field("quote").input.document.lines) == 1  # no line break made of \x85 or \u2028
        form.field("notes").focus_input()
        await settle(pilot)
        app.focused.post_message(events.Paste("␛ typed"))  # a symbol put in stays a symbol
        await settle(pilot)
        await keys(pilot, "ctrl+s")
        assert app.screen is not form
    with Store.open(demo_db) as store:
        after = store.position(pos.id)
    assert after.quote == hostile
    assert after.notes.endswith("␛ typed")


@async_test
async def test_text_set_by_a_program_with_an_escape_is_never_drawn_raw(demo_db):
    async with running(demo_db) as pilot:
        app = pilot.app
        form = await open_form(pilot, QuestionForm())
        description = form.field("description")
        description.input.text = "x\x1b[2Jy"  # as a fuzz test or a caller might
        await settle(pilot)
        assert description.value == "x\x1b[2Jy"
        assert "\x1b" not in description.input.text and "x␛[2Jy" in screen_text(app)


# ---------------------------------------------------------------- a capture prefill


@async_test
async def test_a_capture_prefill_saves_the_position_and_creates_its_source_once(demo_db):
    with Store.open(demo_db) as store:
        sources_before = len(store.sources())
        _, question_id = ids(store, "macron")
    async with running(demo_db) as pilot:
        app = pilot.app
        app.last_question_id = question_id  # the question of the last save in this run
        form = await open_form(pilot, PositionForm(prefill=prefill()))
        assert form.field("actor").value == "Emmanuel Macron"
        assert form.field("quote").value == "rien ne doit être exclu"
        assert "new: created when saved" in screen_text(app) or "Conférence de soutien" in screen_text(app)
        assert focused_field(app) == "stance"  # all else is filled in
        await type_text(pilot, "not")
        await keys(pilot, "ctrl+s")
        assert app.screen is not form
        with Store.open(demo_db) as store:
            assert len(store.sources()) == sources_before + 1
        form = await open_form(pilot, PositionForm(prefill=prefill(quote="nous ferons tout ce qu'il faut")))
        assert focused_field(app) == "stance"
        await type_text(pilot, "not")
        await keys(pilot, "ctrl+s")
        assert app.screen is not form
    with Store.open(demo_db) as store:
        assert len(store.sources()) == sources_before + 1  # reused, not made twice
        macron = store.resolve_actor("macron")
        mine = [p for p in store.positions(actor_id=macron.id) if p.source and p.source.url == prefill().source_url]
    assert sorted(p.quote for p in mine) == ["nous ferons tout ce qu'il faut", "rien ne doit être exclu"]
    assert all(p.question_id == question_id and p.date.edtf == "2024-02-26" and p.quote_lang == "fr" for p in mine)
    assert mine[0].source.title == "Conférence de soutien à l'Ukraine" and mine[0].source.outlet == "Example Presse"


@async_test
async def test_save_and_another_from_a_prefill_reuses_the_source_it_created(demo_db):
    with Store.open(demo_db) as store:
        sources_before = len(store.sources())
        _, question_id = ids(store, "macron")
    async with running(demo_db) as pilot:
        app = pilot.app
        app.last_question_id = question_id
        form = await open_form(pilot, PositionForm(prefill=prefill(source_url=None)))
        await type_text(pilot, "not")
        await keys(pilot, "ctrl+n")
        assert app.screen is form
        await keys(pilot, "tab", "tab")  # actor and question kept
        await type_text(pilot, "open")
        await keys(pilot, "ctrl+s")
        assert app.screen is not form
    with Store.open(demo_db) as store:
        assert len(store.sources()) == sources_before + 1
        titled = [s for s in store.sources() if s.title == "Conférence de soutien à l'Ukraine"]
    assert len(titled) == 1 and titled[0].url is None


@async_test
async def test_a_prefill_finds_an_existing_source_by_its_url(demo_db):
    with Store.open(demo_db) as store:
        existing = next(s for s in store.sources() if s.url)
        count = len(store.sources())
        _, question_id = ids(store, "macron")
    async with running(demo_db) as pilot:
        app = pilot.app
        app.last_question_id = question_id
        form = await open_form(pilot, PositionForm(prefill=prefill(source_url=existing.url, source_title="other")))
        assert form.lookup("source").record == existing
        await type_text(pilot, "not")
        await keys(pilot, "ctrl+s")
        assert app.screen is not form
    with Store.open(demo_db) as store:
        assert len(store.sources()) == count
        pos = max(store.positions(), key=lambda p: p.id)
    assert pos.source == existing


@async_test
async def test_a_speaker_not_in_the_file_is_offered_as_a_new_actor(demo_db):
    with Store.open(demo_db) as store:
        _, question_id = ids(store, "macron")
    async with running(demo_db) as pilot:
        app = pilot.app
        app.last_question_id = question_id
        form = await open_form(pilot, PositionForm(prefill=prefill(actor_slug=None, actor_name="Petr Fiala")))
        assert focused_field(app) == "actor"
        assert "create new actor “Petr Fiala”" in screen_text(app)
        await keys(pilot, "enter")  # the create line is highlighted: the actor form, with the name
        assert app.screen is not form
        assert app.screen.field("name").value == "Petr Fiala"
        await keys(pilot, "ctrl+s")
        assert app.screen is form
        assert form.field("actor").value == "Petr Fiala" and form.field("actor").ok
        assert focused_field(app) == "stance"
        await type_text(pilot, "not")
        await keys(pilot, "ctrl+s")
        assert app.screen is not form
    with Store.open(demo_db) as store:
        fiala = store.resolve_actor("petr-fiala")
        (pos,) = store.positions(actor_id=fiala.id)
    assert pos.quote == "rien ne doit être exclu" and pos.question_id == question_id


@async_test
async def test_every_save_remembers_the_question_for_the_next_capture(demo_db):
    with Store.open(demo_db) as store:
        actor_id, question_id = ids(store, "scholz")
    async with running(demo_db) as pilot:
        app = pilot.app
        assert getattr(app, "last_question_id", None) is None
        form = await open_form(pilot, PositionForm(actor_id=actor_id, question_id=question_id))
        await type_text(pilot, "ruled")
        await keys(pilot, "tab")
        await type_text(pilot, "2024-02-27")
        await keys(pilot, "ctrl+s")
        assert app.screen is not form
        assert app.last_question_id == question_id
        form = await open_form(pilot, PositionForm(prefill=prefill()))
        assert form.lookup("question").record.id == question_id
