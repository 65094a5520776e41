"""The capture screen (c): the article's quotes, moved through with j/k, captured with enter
(the position form, prefilled), skipped with x, marked as they are done."""

from __future__ import annotations

import threading

import pytest
from capture_helpers import fake_finder, hostile, seed_like
from tui_helpers import (  # noqa: F401 (demo_db is a fixture)
    MARKUP,
    TODO,
    async_test,
    content_text,
    demo_db,
    press,
    running,
    screen_segments,
    screen_text,
    settle,
)

from tracker.store import Store
from tracker.tui.screens.capture import CaptureScreen

SIZE = (120, 40)  # the article beside its quotes


async def open_capture(pilot, article) -> CaptureScreen:
    await settle(pilot)
    screen = CaptureScreen(article)
    pilot.app.push_screen(screen)
    await settle(pilot)
    assert pilot.app.screen is screen
    return screen


def selected_text(app) -> str:
    """The article's text drawn as the selected quote (reversed), as one string (spaces
    left out: the quote may be wrapped over lines)."""
    drawn = "".join(s.text for s in screen_segments(app) if s.style is not None and s.style.reverse)
    return "".join(drawn.split())


def same(text: str) -> str:
    return "".join(text.split())


def article_pane(app) -> str:
    """What the article's pane shows (the left of the screen at 120 columns)."""
    return "\n".join(line.split("│")[0] for line in screen_text(app).splitlines())


def quote_rows(app) -> list[str]:
    """The quotes list as on screen, a row per quote (two lines each)."""
    listing = app.screen.query_one("#capture-quotes")
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


@async_test
async def test_quotes_found_in_a_worker_listed_with_speakers(demo_db, monkeypatch):
    article, quotes = seed_like()
    threads = fake_finder(monkeypatch, quotes)
    async with running(demo_db, size=SIZE) as pilot:
        app = pilot.app
        await open_capture(pilot, article)
        assert threads and threads[0] != threading.main_thread().name
        text = screen_text(app)
        assert "Quotes: 3" in text
        assert "“rien ne doit être exclu”" in text
        assert "Emmanuel Macron · 26 Feb 2024" in text
        assert "Mark Rutte · 26 Feb 2024" in text
        assert "? Jean Dupont · 27 Feb 2024" in text  # not in the file: the name as written
        assert "Troupes au sol · Le Journal · 26 Feb 2024 · fr" in text
        assert selected_text(app) == same("rien ne doit être exclu")  # the first quote selected


@async_test
async def test_keys_move_and_the_article_scrolls_to_the_quote(demo_db, monkeypatch):
    article, quotes = seed_like()
    fake_finder(monkeypatch, quotes)
    async with running(demo_db, size=SIZE) as pilot:
        app = pilot.app
        await open_capture(pilot, article)
        far = "nous verrons bien ce que donnera la suite"
        assert same(far) not in same(article_pane(app))  # below the fold at first
        await press(pilot, "j")
        assert selected_text(app) == same("cette question n'était pas à l'ordre du jour")
        await press(pilot, "down")
        assert selected_text(app) == same(far)
        assert same(far) in same(article_pane(app))  # the article scrolled to it
        await press(pilot, "k", "up")
        assert selected_text(app) == same("rien ne doit être exclu")
        assert article_pane(app).splitlines()[2].strip() == "Troupes au sol"  # back at the top


@async_test
async def test_x_skips_moves_on_and_x_again_takes_it_back(demo_db, monkeypatch):
    article, quotes = seed_like()
    fake_finder(monkeypatch, quotes)
    async with running(demo_db, size=SIZE) as pilot:
        app = pilot.app
        await open_capture(pilot, article)
        await press(pilot, "x")
        assert "Quotes: 3 · 1 skipped" in screen_text(app)
        assert quote_rows(app)[0].startswith("− ") and "skipped" in quote_rows(app)[0]
        assert selected_text(app) == same("cette question n'était pas à l'ordre du jour")  # on to the next
        await press(pilot, "k", "x")
        assert "skipped" not in screen_text(app)
        assert selected_text(app) == same("rien ne doit être exclu")  # an unskip stays


@async_test
async def test_escape_goes_back(demo_db, monkeypatch):
    article, quotes = seed_like()
    fake_finder(monkeypatch, quotes)
    async with running(demo_db, size=SIZE) as pilot:
        app = pilot.app
        below = app.screen
        await open_capture(pilot, article)
        await press(pilot, "escape")
        assert app.screen is below


@async_test
async def test_an_article_without_quotes_says_so(demo_db, monkeypatch):
    article, _ = seed_like()
    fake_finder(monkeypatch, [])
    async with running(demo_db, size=SIZE) as pilot:
        app = pilot.app
        await open_capture(pilot, article)
        assert "No quotes found in this article." in screen_text(app)
        await press(pilot, "enter", "x", "j")  # nothing to capture: nothing happens
        assert isinstance(app.screen, CaptureScreen)


@async_test
async def test_hostile_text_is_shown_literally(demo_db, monkeypatch):
    article, quotes = hostile()
    fake_finder(monkeypatch, quotes)
    async with running(demo_db, size=SIZE) as pilot:
        app = pilot.app
        await open_capture(pilot, article)
        text = screen_text(app)
        assert f"{MARKUP} and [/b] {TODO} ␛[2J words" in text  # in the article
        assert f"? {MARKUP} Name" in text  # the speaker as written
        assert "[link=https://x.invalid]l[/link] end." in text
        assert f"{TODO} {MARKUP} · [/b]" in text  # the title bar
        assert selected_text(app) == same(f"{MARKUP} and [/b] {TODO} ␛[2J words")
        assert isinstance(app.screen, CaptureScreen)  # no [@click] ran, nothing crashed


def _position_form():
    forms = pytest.importorskip("tracker.tui.forms.position_form")
    if not hasattr(forms, "CapturePrefill"):  # TEMPORARY while "forms" adds it
        pytest.skip("the position form takes no prefill yet")
    return forms


@async_test
async def test_enter_opens_the_form_prefilled_from_the_quote(demo_db, monkeypatch):
    forms = _position_form()
    article, quotes = seed_like()
    fake_finder(monkeypatch, quotes)
    async with running(demo_db, size=SIZE) as pilot:
        app = pilot.app
        await open_capture(pilot, article)
        await press(pilot, "j", "j", "enter")
        form = app.screen
        assert isinstance(form, forms.PositionForm)
        assert form.prefill == forms.CapturePrefill(
            actor_slug=None, actor_name="Jean Dupont", date="2024-02-27",
            quote="nous verrons bien ce que donnera la suite", quote_lang="fr",
            source_url="https://example.org/troupes", source_title="Troupes au sol", source_outlet="Le Journal",
            source_published="2024-02-26", source_language="fr",
        )  # fmt: skip
        assert form.field("quote").value == "nous verrons bien ce que donnera la suite"


@async_test
async def test_a_save_marks_the_quote_and_moves_to_the_next_to_do(demo_db, monkeypatch):
    forms = _position_form()
    article, quotes = seed_like()
    fake_finder(monkeypatch, quotes)
    async with running(demo_db, size=SIZE) as pilot:
        app = pilot.app
        screen = await open_capture(pilot, article)
        await press(pilot, "j", "x")  # the second skipped: the cursor on the third
        await press(pilot, "k", "k")  # back to the first
        await press(pilot, "enter")
        form = app.screen
        assert isinstance(form, forms.PositionForm)
        with Store.open(demo_db) as store:  # a save, as the form ends it: dismissed with the position
            saved = store.positions()[0] if hasattr(store, "positions") else store.position(1)
        form.dismiss(saved)
        await settle(pilot)
        assert app.screen is screen
        rows = quote_rows(app)
        assert rows[0].startswith("✓ ") and "captured" in rows[0]
        assert "Quotes: 3 · 1 captured · 1 skipped" in screen_text(app)
        assert selected_text(app) == same("nous verrons bien ce que donnera la suite")  # the skipped one passed over


@async_test
async def test_a_cancelled_form_marks_nothing(demo_db, monkeypatch):
    _position_form()
    article, quotes = seed_like()
    fake_finder(monkeypatch, quotes)
    async with running(demo_db, size=SIZE) as pilot:
        app = pilot.app
        screen = await open_capture(pilot, article)
        await press(pilot, "enter")
        app.screen.dismiss(None)
        await settle(pilot)
        assert app.screen is screen
        assert "captured" not in screen_text(app)
        assert selected_text(app) == same("rien ne doit être exclu")


@async_test
async def test_narrow_screen_stacks_the_quotes_under_the_article(demo_db, monkeypatch):
    article, quotes = seed_like()
    fake_finder(monkeypatch, quotes)
    async with running(demo_db, size=(80, 24)) as pilot:
        app = pilot.app
        screen = await open_capture(pilot, article)
        side = screen.query_one("#capture-side")
        body = screen.query_one("#capture-article")
        assert side.region.y > body.region.y and side.region.width == 80
        text = screen_text(app)
        assert "Emmanuel Macron" in text and "? Jean Dupont" in text


SEED = sorted(__import__("pathlib").Path("/work/shared/seed").glob("*.txt"))


async def open_prompt(pilot):
    from tracker.tui.screens.capture_prompt import CapturePrompt

    await settle(pilot)
    await press(pilot, "c")
    assert isinstance(pilot.app.screen, CapturePrompt)
    return pilot.app.screen


@async_test
async def test_c_then_a_file_opens_its_quotes(demo_db, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(
        "Troupes\n\nL'envoi de troupes ne doit pas être exclu, a affirmé lundi Emmanuel Macron : "
        "« Rien ne doit être exclu pour que la Russie ne gagne pas », a-t-il déclaré.\n",
        encoding="utf-8",
    )
    async with running(demo_db, size=SIZE) as pilot:
        app = pilot.app
        prompt = await open_prompt(pilot)
        prompt.query_one("#capture-path").value = str(article)
        await press(pilot, "enter")
        assert isinstance(app.screen, CaptureScreen)
        text = screen_text(app)
        assert "Quotes: 1" in text and "Emmanuel Macron" in text
        assert "“Rien ne doit être exclu pour que" in text
        # The keys go to the quotes, not to the article (arrows scrolled the article once).
        assert app.focused is app.screen.query_one("#capture-quotes")


def message(prompt) -> str:
    text = content_text(prompt.query_one("#capture-prompt-message"), width=1000).strip()
    assert "\n" not in text
    return text


@async_test
async def test_c_bad_input_is_one_line_and_the_prompt_stays(demo_db, tmp_path):
    async with running(demo_db, size=SIZE) as pilot:
        app = pilot.app
        prompt = await open_prompt(pilot)
        await press(pilot, "enter")
        assert "Type a file's path, or paste the article's text." in screen_text(app)
        prompt.query_one("#capture-path").value = str(tmp_path / "missing [bold]x[/].txt")
        await press(pilot, "enter")
        assert message(prompt).endswith("missing [bold]x[/].txt: no such file")  # literally, one line
        (tmp_path / "bin.txt").write_bytes(b"\x00\x01binary")
        prompt.query_one("#capture-path").value = str(tmp_path / "bin.txt")
        await press(pilot, "enter")
        assert message(prompt).endswith("bin.txt is a binary file, not an article (text or HTML)")
        assert app.screen is prompt
        await press(pilot, "escape")
        assert not isinstance(app.screen, CaptureScreen)


@async_test
async def test_c_then_pasted_text_and_ctrl_s_opens_its_quotes(demo_db):
    from textual.widgets import TextArea

    async with running(demo_db, size=SIZE) as pilot:
        app = pilot.app
        prompt = await open_prompt(pilot)
        prompt.query_one("#capture-paste", TextArea).text = (
            f"{TODO}\n\nMark Rutte said: “{MARKUP} was not on the agenda today”.\n"
        )
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, CaptureScreen)
        text = screen_text(app)
        assert f"{MARKUP} was not on the agenda today" in text
        assert "Mark Rutte" in text


@pytest.mark.skipif(not SEED, reason="the seed article is not there")
@async_test
async def test_the_seed_article_lists_its_quotes(demo_db):
    async with running(demo_db, size=SIZE) as pilot:
        app = pilot.app
        prompt = await open_prompt(pilot)
        prompt.query_one("#capture-path").value = str(SEED[0])
        await press(pilot, "enter")
        assert isinstance(app.screen, CaptureScreen)
        assert len(app.screen.quotes) >= 5
        assert "Emmanuel Macron · 26 Feb 2024" in screen_text(app)
