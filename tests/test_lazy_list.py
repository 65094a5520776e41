"""The lazy list draws fast by doing little: a move repaints the two rows whose highlight changed
(or the whole list when it scrolls), the scrollbar only the cells its thumb left or reached, and
rows skip Textual's per-line pass. These tests hold that what it paints stays what a full redraw
would show."""

from __future__ import annotations

import io
import json

from rich.console import Console
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from tui_helpers import async_test, demo_db, press, running, settle  # noqa: F401 (demo_db is a fixture)

from tracker.formats.importer import import_records
from tracker.formats.jsonl import read_records
from tracker.store import Store
from tracker.tui.widgets.lazy_list import PAGE, LazyList

# Wide characters, combining marks, joiners and a long row, as titles.
TITLES = ["漢字の質問 " * 30, "e\u0301" * 200, "👨\u200d👩\u200d👧 family " * 20, "x" * 500, "\u200b" * 300 + "after"]


def many_questions(tmp_path, count: int = PAGE * 3):
    titles = TITLES + [f"Question {i:04d}" for i in range(len(TITLES), count)]
    records = [{"type": "question", "slug": f"q-{i:04d}", "title": title} for i, title in enumerate(titles)]
    path = tmp_path / "many.db"
    with Store.open(path) as store:
        import_records(store, read_records(io.StringIO("".join(json.dumps(r) + "\n" for r in records))))
    return path


def lines(widget) -> list[Strip]:
    return widget.render_lines(Region(0, 0, *widget.size))


def rows_in(regions) -> set[int]:
    return {y for region in regions for y in region.line_range}


def refreshes(widget) -> list[Region]:
    """What each refresh of ``widget`` asks to repaint from now on (the whole of it for a
    refresh without regions), as Textual is told through its public ``refresh``."""
    asked: list[Region] = []
    refresh = widget.refresh

    def told(*regions, **kwargs):
        asked.extend(regions or [widget.size.region])
        return refresh(*regions, **kwargs)

    widget.refresh = told
    return asked


@async_test
async def test_each_move_repaints_what_it_changes_and_the_scrollbar_stays_right(tmp_path):
    async with running(many_questions(tmp_path)) as pilot:
        app = pilot.app
        lst = app.screen.query_one(LazyList)
        bar = lst.vertical_scrollbar
        height = lst.size.height
        moves = ["cursor_down"] * (height + 20) + ["cursor_up"] * 5 + ["page_down", "page_up", "last", "first"]
        asked = refreshes(lst)
        for move in moves:
            before, top = lines(lst), lst.scroll_offset.y
            asked.clear()
            getattr(lst, f"action_{move}")()
            repainted = rows_in(asked)
            changed = {y for y, (a, b) in enumerate(zip(before, lines(lst))) if a != b}
            assert changed <= repainted, move
            if lst.scroll_offset.y == top:
                assert len(repainted) == 2, move  # not the whole list
            await pilot.pause()
            await settle(pilot)
            shown = lines(bar)  # the scrollbar's lines as last painted
            bar.refresh()
            assert lines(bar) == shown, move


@async_test
async def test_rows_are_drawn_as_textual_would_draw_them_in_either_theme(demo_db, monkeypatch):
    async with running(demo_db) as pilot:
        app = pilot.app
        await press(pilot, "3", "down", "down")  # the timeline: its stance colours follow the theme
        lst = app.screen.query_one(LazyList)
        for theme in ("tracker-light", "tracker-dark"):
            app.theme = theme
            await settle(pilot)
            ours = lines(lst)
            with monkeypatch.context() as m:
                m.setattr(lst, "_drawn_as_is", lambda: False)
                lst.refresh()  # Textual's own pass over the lines, from scratch
                assert lines(lst) == ours
            lst.reload(keep_cursor=True)  # every row built again, in this theme
            await settle(pilot)
            assert lines(lst) == ours


@async_test
async def test_long_rows_are_cut_as_truncate_would_cut_them(tmp_path):
    async with running(many_questions(tmp_path, count=len(TITLES))) as pilot:
        app = pilot.app
        lst = app.query_one(LazyList)
        console = Console(file=io.StringIO(), width=200, color_system="truecolor")
        for title in TITLES + ["short", "abc\u0301" * 40, "ab" * 40 + "\u0301"]:
            text = Text(title[:7], style="bold")
            text.append(title[7:], style="italic")
            for width in (5, 40, 79, 80, 81, 120):
                whole = text.copy()
                whole.no_wrap = True
                whole.truncate(width, overflow="ellipsis", pad=True)
                expected = Strip(whole.render(console), whole.cell_len)
                assert lst.fitted(text, width, width) == expected, (title[:20], width)


@async_test
async def test_the_next_page_is_fetched_before_it_shows(tmp_path):
    async with running(many_questions(tmp_path)) as pilot:
        app = pilot.app
        lst = app.screen.query_one(LazyList)
        assert lst.loaded_pages == {0}
        lst.cursor = PAGE - PAGE // 4
        await pilot.pause()
        await settle(pilot)
        assert lst.scroll_offset.y + lst.size.height <= PAGE  # the second page is not on screen yet
        assert lst.loaded_pages == {0, 1}


@async_test
async def test_paging_far_keeps_only_the_pages_near_the_cursor(tmp_path, monkeypatch):
    from tracker.tui.widgets import lazy_list

    monkeypatch.setattr(lazy_list, "MAX_PAGES", 3)
    async with running(many_questions(tmp_path, count=PAGE * 8)) as pilot:
        app = pilot.app
        lst = app.screen.query_one(LazyList)
        for _ in range(8 * PAGE // lst.size.height + 2):
            lst.action_page_down()
            await pilot.pause()
            await settle(pilot)
        assert lst.cursor == PAGE * 8 - 1
        assert len(lst.loaded_pages) <= 3 and lst.cursor // PAGE in lst.loaded_pages
        assert lst.current is not None  # the last row, loaded
        lst.action_first()  # back at the top: its page is fetched again
        await pilot.pause()
        await settle(pilot)
        assert lst.current is not None and 0 in lst.loaded_pages
