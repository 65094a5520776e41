"""Reading the lists: column headers, the timeline's filter (f), go to a date (g) in the
timeline and the matrix, the matrix's calendar ends and whole names, the mark on a row."""

from __future__ import annotations

import re
import io
import json
from datetime import date

from tui_helpers import (  # noqa: F401 (demo_db is a fixture)
    async_test,
    demo_db,
    help_text,
    notices,
    go_to,
    open_question,
    position_on,
    press,
    running,
    screen_text,
    settle,
)

from tracker.formats.importer import import_records
from tracker.formats.jsonl import read_records
from tracker.store import Store
from tracker.store.rows import Narrowing
from tracker.tui.screens.diff import DiffScreen
from tracker.tui.screens.matrix import MatrixScreen
from tracker.tui.screens.question import QuestionScreen
from tracker.tui.screens.timeline import TimelineScreen
from tracker.tui.widgets.lazy_list import PAGE, LazyList
from tracker.tui.widgets.position_list import PositionList

BIG, NARROW = (120, 40), (80, 24)


def lines(app) -> list[str]:
    return screen_text(app).splitlines()


def timeline(app) -> PositionList:
    return app.screen.query_one(PositionList)


def rows(lst: LazyList) -> list:
    return [lst.row(i) for i in range(lst.count or 0)]


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)
    await settle(pilot)


async def filter_timeline(pilot, text: str) -> None:
    await press(pilot, "f")
    await pilot.press("ctrl+a", "ctrl+k")  # the line may hold the last filter
    await type_text(pilot, text)
    await press(pilot, "enter")


# ---------------------------------------------------------------------- headers


@async_test
async def test_each_list_names_its_columns_above_them_at_any_width(demo_db):
    for size in (BIG, NARROW):
        async with running(demo_db, size=size) as pilot:
            app = pilot.app
            await press(pilot, "3")
            shown = lines(app)
            head, first = shown[2], shown[3]
            for name in ("date", "actor", "question", "stance", "change"):
                assert f" {name} " in head, (size, name)
            assert first.index("Ruled out") == head.index("stance"), size  # over its column
            assert first.index("Poland") == head.index("actor"), size
            assert first.index("1 Mar 2022") + len("1 Mar 2022") == head.index("date") + len("date"), size  # right-aligned
            await press(pilot, *["down"] * 30)  # the header stays while the rows scroll
            assert lines(app)[2] == head
            await press(pilot, "1")
            head, first = lines(app)[2], lines(app)[3]
            assert head.split() == ["question", "slug", "scale", "tags"], size
            assert first[head.index("scale") :].startswith("commitment"), size
            await press(pilot, "2")
            head, first = lines(app)[2], lines(app)[3]
            assert head.split() == ["actor", "kind", "country", "parent", "aliases"], size
            assert first[head.index("kind") :].startswith("government"), size


@async_test
async def test_a_questions_positions_have_a_header_too(demo_db):
    async with running(demo_db, size=BIG) as pilot:
        app = pilot.app
        await open_question(pilot)
        text = screen_text(app)
        assert "date  actor" in text and "stance          change" in text
        assert "question  " not in text.split("date  actor")[1].splitlines()[0]  # no question column there


# ---------------------------------------------------------------------- the filter


@async_test
async def test_the_filter_narrows_the_timeline_and_escape_clears_it(demo_db):
    async with running(demo_db, size=BIG) as pilot:
        app = pilot.app
        await press(pilot, "3")
        everything = timeline(app).count
        await filter_timeline(pilot, "Germany tanks 2023-01..2023-06")
        found = rows(timeline(app))
        assert timeline(app).count == len(found) == 3
        for change in found:
            p = change.after
            assert p.actor_name == "Germany" and p.question_title == "Main battle tanks to Ukraine"
            assert date(2023, 1, 1) <= p.date.start <= date(2023, 6, 30)
        assert "filter: Germany · tanks · 2023-01..2023-06 · 3 positions" in lines(app)[1]
        assert lines(app)[2].startswith(" filter")  # the line stays while the filter applies
        assert isinstance(app.focused, PositionList)
        await press(pilot, "escape")
        assert timeline(app).count == everything
        assert "filter:" not in lines(app)[1] and "filter Germany" not in screen_text(app)


@async_test
async def test_the_filter_reads_names_aliases_prefixes_and_stances_without_case_or_accents(demo_db):
    async with running(demo_db, size=BIG) as pilot:
        app = pilot.app
        await press(pilot, "3")
        await filter_timeline(pilot, "le president francais")  # an alias of Macron, accents left out
        assert {c.after.actor_name for c in rows(timeline(app))} == {"Emmanuel Macron"}
        await filter_timeline(pilot, "NOT EXCLUDED, ..2023")  # a stance, an open range
        found = rows(timeline(app))
        assert found and {c.after.level.key for c in found} == {"not-excluded"}
        assert all(c.after.date.start.year <= 2023 for c in found)
        await filter_timeline(pilot, "germany poland jets")  # two actors: either
        assert {c.after.actor_name for c in rows(timeline(app))} == {"Germany", "Poland"}
        assert {c.after.question_title for c in rows(timeline(app))} == {"Fighter jets to Ukraine"}


@async_test
async def test_a_bad_word_or_date_is_refused_beside_the_filter_and_the_list_stays(demo_db):
    async with running(demo_db, size=BIG) as pilot:
        app = pilot.app
        await press(pilot, "3")
        await filter_timeline(pilot, "Germany")
        kept = timeline(app).count
        for text, said in [
            ("zzz", "no actor, question or stance matches 'zzz'"),
            ("Germany 2023-13..", "cannot understand the date '2023-13'"),
            ("2024..2023", "ends before it starts"),
            ("[bold]x[/]", "no actor, question or stance matches '[bold]x[/]'"),  # literally, not markup
        ]:
            await filter_timeline(pilot, text)
            assert said in lines(app)[2], text
            assert timeline(app).count == kept, text
            assert "filter: Germany · 7 positions" in lines(app)[1], text


def test_a_filtered_page_reads_as_the_filtered_list_would(tmp_path):
    """The store reads the filtered rows a page at a time, in the timeline's order."""
    records: list[dict] = [{"type": "question", "slug": "q", "title": "Q"}]
    records += [{"type": "actor", "slug": f"a{i}", "name": f"A{i}"} for i in range(3)]
    records += [
        {"type": "position", "actor": f"a{i % 3}", "question": "q", "stance": ["open", "ruled-out"][i % 2],
         "date": date.fromordinal(date(2000, 1, 1).toordinal() + i).isoformat()}
        for i in range(PAGE * 3)
    ]  # fmt: skip
    path = tmp_path / "many.db"
    with Store.open(path) as store:
        import_records(store, read_records(io.StringIO("".join(json.dumps(r) + "\n" for r in records))))
        a1 = store.resolve_actor("a1").id
        narrowing = Narrowing(actor_ids=frozenset({a1}), level_keys=frozenset({"open"}), since=date(2000, 2, 1))
        every = [p for p in store.positions() if p.actor_id == a1 and p.level.key == "open" and p.date.start >= date(2000, 2, 1)]
        assert store.count_positions(narrowing=narrowing) == len(every) > 50
        pages = [store.positions(narrowing=narrowing, limit=50, offset=o) for o in range(0, len(every), 50)]
        assert [p.id for page in pages for p in page] == [p.id for p in every]


# ---------------------------------------------------------------------- go to a date


@async_test
async def test_g_in_the_timeline_goes_to_the_first_position_on_or_after_a_date(demo_db):
    async with running(demo_db, size=BIG) as pilot:
        app = pilot.app
        await press(pilot, "3", "g")
        await type_text(pilot, "26 février 2024")
        assert "26 février 2024 → 26 Feb 2024, day" in screen_text(app)  # the live preview
        await press(pilot, "enter")
        lst = timeline(app)
        assert isinstance(app.focused, PositionList)
        assert lst.current.after.date.start == date(2024, 2, 26)
        assert lst.row(lst.cursor - 1).after.date.start < date(2024, 2, 26)
        # A bad date: refused, the cursor stays.
        at = lst.cursor
        await press(pilot, "g")
        await type_text(pilot, "31 février 2024")
        await press(pilot, "enter")
        assert "cannot understand the date '31 février 2024'" in screen_text(app)
        await press(pilot, "escape")
        assert lst.cursor == at and "31 février" not in screen_text(app)
        # home and end: first and last (g is no longer "first" here).
        await press(pilot, "home")
        assert lst.cursor == 0
        await press(pilot, "end")
        assert lst.cursor == lst.count - 1


@async_test
async def test_g_goes_to_a_date_within_the_filter(demo_db):
    async with running(demo_db, size=BIG) as pilot:
        app = pilot.app
        await press(pilot, "3")
        await filter_timeline(pilot, "Germany")
        await press(pilot, "g")
        await type_text(pilot, "2023-02")
        await press(pilot, "enter")
        lst = timeline(app)
        assert lst.current.after.actor_name == "Germany" and lst.current.after.date.start >= date(2023, 2, 1)
        assert lst.row(lst.cursor - 1).after.date.start < date(2023, 2, 1)
        await press(pilot, "g")
        await type_text(pilot, "2090")
        await press(pilot, "enter")
        assert lst.cursor == lst.count - 1  # nothing after: the last one, and it says so
        assert "No position on or after 2090: the cursor is on the last one." in notices(app)


@async_test
async def test_g_in_the_matrix_sets_its_date(demo_db):
    async with running(demo_db, size=BIG) as pilot:
        app = pilot.app
        await press(pilot, "4", "g")
        await type_text(pilot, "26 février 2024")
        assert "26 février 2024 → 26 Feb 2024, day" in screen_text(app)
        await press(pilot, "enter")
        assert lines(app)[1].startswith(" As of 26 Feb 2024 ·")
        await press(pilot, "g")
        await type_text(pilot, "someday")
        await press(pilot, "enter")
        assert "cannot understand the date" in screen_text(app)
        await press(pilot, "escape")
        assert lines(app)[1].startswith(" As of 26 Feb 2024 ·")
        await press(pilot, "]")  # the keys are the matrix's again
        assert lines(app)[1].startswith(" As of 26 Mar 2024 ·")


# ---------------------------------------------------------------------- the matrix


@async_test
async def test_the_matrix_stops_at_the_calendars_ends(demo_db):
    async with running(demo_db, size=BIG) as pilot:
        app = pilot.app
        await press(pilot, "4")
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        screen.as_of = date(2, 3, 15)
        await settle(pilot)
        await press(pilot, "{", "{", "{")  # some 2,000 presses from today end here
        assert screen.as_of == date(1, 1, 1)
        assert lines(app)[1].startswith(" As of 1 Jan 1 ·")
        assert "The matrix goes no further back than 1 Jan 1." in notices(app)
        await press(pilot, "[")
        assert screen.as_of == date(1, 1, 1)
        screen.as_of = date(9999, 6, 15)
        await settle(pilot)
        await press(pilot, "}", "]")
        assert screen.as_of == date(9999, 12, 31)
        assert "The matrix goes no further than 31 Dec 9999." in notices(app)


@async_test
async def test_the_matrix_shows_actors_names_whole(demo_db):
    async with running(demo_db, size=BIG) as pilot:
        app = pilot.app
        await press(pilot, "4")
        above, names = lines(app)[2], lines(app)[3]
        assert "Emmanuel Ma…" not in screen_text(app)
        column = above.index("Emmanuel")
        assert names[column:].startswith("Macron")  # under its first name, over its column
        assert names.startswith(" question")


# ---------------------------------------------------------------------- the mark


def marked_rows(app) -> list[str]:
    return [line for line in lines(app) if line.startswith("◆")]


@async_test
async def test_a_marked_position_shows_its_mark_until_used_or_cleared(demo_db):
    async with running(demo_db, size=BIG) as pilot:
        app = pilot.app
        await press(pilot, "3", "down", "down", "space")
        assert len(marked_rows(app)) == 1 and "United States" in marked_rows(app)[0]
        await press(pilot, "space")  # again: cleared
        assert marked_rows(app) == [] and app.marked is None
        await press(pilot, "space", "escape")  # escape clears it too
        assert marked_rows(app) == [] and isinstance(app.screen, TimelineScreen)
        await press(pilot, "space", "down", "d")  # used by d
        assert isinstance(app.screen, DiffScreen)
        await press(pilot, "escape")
        assert marked_rows(app) == [] and app.marked is None


@async_test
async def test_escape_in_a_question_clears_the_mark_before_it_goes_back(demo_db):
    async with running(demo_db, size=BIG) as pilot:
        app = pilot.app
        await open_question(pilot)
        app.screen.query_one(PositionList).focus()
        await settle(pilot)
        await go_to(pilot, position_on("Emmanuel Macron", "26 Feb 2024"))
        await press(pilot, "space")
        assert len(marked_rows(app)) == 1 and "26 Feb 2024" in marked_rows(app)[0]
        await press(pilot, "escape")
        assert isinstance(app.screen, QuestionScreen) and marked_rows(app) == []
        await press(pilot, "escape")
        assert not isinstance(app.screen, QuestionScreen)


@async_test
async def test_help_lists_the_new_keys(demo_db):
    async with running(demo_db, size=(150, 50)) as pilot:
        app = pilot.app
        await press(pilot, "question_mark")
        text = help_text(app)
        assert re.search(r"^ *home +First ", text, re.M) and re.search(r"^ *end +Last ", text, re.M)
        assert "g G" not in text
        assert re.search(r" f +Filter ", text) and len(re.findall(r" g +Go to date ", text)) == 2  # timeline, matrix
        assert re.search(r"^ *space +Mark: space then d", text, re.M)
