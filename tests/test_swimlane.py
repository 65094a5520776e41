"""The swimlane chart's lanes and time axis (tracker/domain/swimlane.py) and its drawing."""

from __future__ import annotations

import io
import itertools
from datetime import date

import pytest
from rich.cells import cell_len
from rich.console import Console

from tracker import render
from tracker.domain.dates import from_edtf
from tracker.domain.models import Level, Position
from tracker.domain.movers import as_of
from tracker.domain.scales import AGREEMENT, COMMITMENT
from tracker.domain.swimlane import FILLS, axis, lanes, level_marks

_ids = itertools.count(1)
NAMES = {1: "Germany", 2: "Poland", 3: "United Kingdom", 4: "United States", 5: "France"}


def pos(actor_id: int, level_key: str, edtf: str) -> Position:
    pid = next(_ids)
    return Position(
        id=pid, uid=f"uid-{pid}", actor_id=actor_id, actor_slug=f"a{actor_id}", actor_name=NAMES[actor_id],
        question_id=1, question_slug="q", question_title="Q", level=COMMITMENT.level(level_key), date=from_edtf(edtf),
    )  # fmt: skip


def outlier() -> list[Position]:
    """One refusal in April 2022, then everything from January 2023 to the end of 2024."""
    ps = [pos(1, "ruled-out", "2022-04-10")]
    levels = ["reluctant", "not-excluded", "open", "committed", "implemented"]
    for month in range(24):
        year, m = divmod(month, 12)
        actor = month % 5 + 1
        ps.append(pos(actor, levels[min(4, month // 5)], f"{2023 + year}-{m + 1:02d}-{(month * 7) % 27 + 1:02d}"))
    ps.append(pos(3, "committed", "2024-12"))  # a month precision date, the last day of the axis
    return ps


def monthly(first: date, last: date) -> list[date]:
    """The 15th of every month from ``first`` to ``last``: a span with no quiet stretch."""
    days, d = [], first
    while d <= last:
        days.append(d)
        d = date(d.year + d.month // 12, d.month % 12 + 1, 15)
    return days


def labels(ax) -> list[tuple[int, str]]:
    return [(t.column, t.label) for t in ax.ticks if t.label]


def render_text(renderable, width: int = 300) -> list[str]:
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None, legacy_windows=False)
    console.print(renderable)
    return console.export_text(styles=False).splitlines()


# ---------------------------------------------------------------- the time axis


def test_month_ticks_and_year_labels():
    ax = axis(monthly(date(2022, 9, 21), date(2023, 9, 25)), 60)
    assert ax.width == 60 and not ax.gaps
    # A tick at every month from Sep 2022 to Sep 2023, in order, the first in the first column.
    months = [t.month for t in ax.ticks]
    assert months[0] == date(2022, 9, 1) and months[-1] == date(2023, 9, 1) and len(months) == 13
    assert ax.ticks[0].column == 0 and [t.column for t in ax.ticks] == sorted({t.column for t in ax.ticks})
    text = dict(labels(ax))
    assert text[0] == "Sep 2022"  # the axis starts with its month and year
    assert "2023" in text.values()  # a year starts: its number
    january = next(t for t in ax.ticks if t.month == date(2023, 1, 1))
    assert january.label == "2023"
    assert {"Mar", "Jun", "Sep"} <= set(text.values())  # months where there is room


def test_a_tick_marks_the_column_of_its_month():
    ax = axis(monthly(date(2023, 1, 5), date(2023, 12, 20)), 48)
    for tick in ax.ticks:
        assert ax.days[tick.column] >= tick.month
        assert tick.column == 0 or ax.days[tick.column - 1] < tick.month


@pytest.mark.parametrize("columns", [20, 31, 38, 45, 60, 80, 100, 131, 160])
@pytest.mark.parametrize(
    "days",
    [
        monthly(date(2022, 9, 21), date(2023, 9, 25)),  # a year
        monthly(date(2015, 3, 2), date(2024, 9, 25)),  # ten years: years only
        [date(2024, 2, 26), date(2024, 3, 16)],  # three weeks
        [date(2022, 4, 10), date(2023, 1, 2), date(2024, 12, 30)],  # an early outlier
        [date(2020, 1, 1), date(2020, 2, 1), date(2022, 6, 1), date(2022, 7, 1), date(2024, 11, 1)],  # two cuts
    ],
    ids=["year", "decade", "weeks", "outlier", "clusters"],
)
def test_labels_fit_at_any_width(days, columns):
    """From a narrow screen to a wide one: labels never run into each other or off the axis,
    every part of the axis starts with a label that carries its year, and a year shows."""
    ax = axis(days, columns)
    assert ax.width == columns
    placed = labels(ax)
    for (a, text_a), (b, _) in zip(placed, placed[1:]):
        assert a + len(text_a) < b  # a space between two labels at least
    gap_columns = [g for g, _, _ in ax.gaps]
    for column, text in placed:
        assert column + len(text) <= columns
        assert not any(column <= g < column + len(text) for g in gap_columns)  # never across a cut
    for segment in ax.segments:
        first = dict(placed).get(segment.first, "")
        assert first[-4:].isdigit(), (segment, placed)  # "Sep 2022" or "2023"
    assert any(text[-4:].isdigit() for _, text in placed)


def test_a_long_span_labels_years_only():
    ax = axis(monthly(date(2010, 1, 1), date(2024, 12, 1)), 60)
    texts = [text for _, text in labels(ax)]
    assert texts[0] == "Jan 2010" and all(t.isdigit() for t in texts[1:]) and len(texts) >= 4


# ---------------------------------------------------------------- an early outlier: the broken axis


def test_an_early_outlier_cuts_the_quiet_stretch_out():
    ps = outlier()
    ax = axis([p.date.start for p in ps], 60)
    # One gap column, for May to December 2022, when no one said anything.
    assert ax.gaps == [(ax.gaps[0][0], date(2022, 5, 1), date(2022, 12, 31))]
    assert ax.days.count(None) == 1
    first, rest = ax.segments
    assert (first.start, first.end) == (date(2022, 4, 1), date(2022, 4, 30))
    assert (rest.start, rest.end) == (date(2023, 1, 1), date(2024, 12, 31))
    # 2023-24 gets the room: most of the width, not the last few columns.
    assert rest.columns >= 45 and first.columns + rest.columns + 1 == 60
    assert dict(labels(ax))[rest.first] == "Jan 2023"


def test_a_short_quiet_stretch_is_not_cut():
    # Sep 2022 then Jan 2023: three quiet months in a year is no outlier.
    ax = axis([date(2022, 9, 21), *monthly(date(2023, 1, 11), date(2023, 9, 25))], 60)
    assert not ax.gaps and len(ax.segments) == 1


def test_no_cut_without_room_for_both_parts():
    ax = axis([date(2022, 4, 10), date(2024, 12, 30)], 12)
    assert not ax.gaps and ax.width == 12


def test_every_position_is_still_drawn():
    """Each position lies on the axis (none in a stretch cut out), and each actor's lane shows,
    in the column of a position, the stance as of that column (its latest statement by then)."""
    ps = outlier()
    for columns in (20, 38, 60, 131, 160):
        ax = axis([p.date.start for p in ps], columns)
        drawn = {lane.actor_name: lane for lane in lanes(ps, ax)}
        assert set(drawn) == set(NAMES.values())
        for p in ps:
            column = ax.column(p.date.start)
            assert column is not None and ax.days[column] is not None, p.date
            latest = as_of([q for q in ps if q.actor_id == p.actor_id], ax.days[column])[p.actor_id]
            assert drawn[p.actor_name].cells[column] == latest.level
            if latest is p:
                assert drawn[p.actor_name].cells[column] == p.level
        # Before an actor's first statement its cells are empty; a gap column carries the stance held through it.
        for lane in drawn.values():
            first = min(ax.column(p.date.start) for p in ps if p.actor_name == lane.actor_name)
            assert all(c is None for c in lane.cells[:first]) and lane.cells[first] is not None
        for g, _, _ in ax.gaps:
            assert drawn["Germany"].cells[g] == COMMITMENT.level("ruled-out")


def test_lanes_in_order_of_first_statement_and_a_limit():
    ps = outlier()
    ax = axis([p.date.start for p in ps], 60)
    names = [lane.actor_name for lane in lanes(ps, ax)]
    assert names == ["Germany", "Poland", "United Kingdom", "United States", "France"]
    assert [lane.actor_name for lane in lanes(ps, ax, limit=2)] == ["Germany", "Poland"]


def test_no_positions_no_axis():
    ax = axis([], 60)
    assert ax.width == 0 and not ax.ticks and lanes([], ax) == []


# ---------------------------------------------------------------- letters and fills


@pytest.mark.parametrize("scale", [COMMITMENT, AGREEMENT], ids=lambda s: s.key)
def test_each_level_has_its_own_letter_and_fill(scale):
    marks = level_marks(scale.levels)
    letters = [marks[lv.key][0] for lv in scale.levels]
    fills = [marks[lv.key][1] for lv in scale.levels]
    assert len(set(letters)) == len(letters) and len(set(fills)) == len(fills)
    assert all(len(c) == 1 and cell_len(c) == 1 for c in letters + fills)
    ranks = sorted(scale.levels, key=lambda lv: lv.rank)
    assert [FILLS.index(marks[lv.key][1]) for lv in ranks] == sorted(FILLS.index(f) for f in fills)  # lightest first
    if scale is COMMITMENT:
        assert [marks[k][0] for k in ("ruled-out", "not-excluded", "open", "committed", "implemented")] == list("RNOCI")


def test_hostile_labels_give_plain_letters():
    levels = [
        Level("a", "[bold]x[/] no", 0), Level("b", "\x1b[31mred", 1), Level("c", "مرحبا", 2), Level("d", "🇫🇷", 3),
        Level("e", "", 4),
    ]  # fmt: skip
    marks = level_marks(levels)
    letters = [marks[lv.key][0] for lv in levels]
    assert len(set(letters)) == 5
    assert all(cell_len(c) == 1 and (c.isascii() and c.isalnum() or c == "•") for c in letters)


# ---------------------------------------------------------------- the drawing


def test_the_chart_reads_without_colour():
    ps = outlier()
    ax = axis([p.date.start for p in ps], 60)
    lines = render_text(render.swimlane_chart(lanes(ps, ax), COMMITMENT, ax, name_width=16), width=77)
    germany = next(line for line in lines if line.startswith("Germany"))
    cells = germany[17:]
    assert len(cells) == 60
    gap = ax.gaps[0][0]
    assert cells[gap] == "┊"  # the cut
    first = ax.column(date(2022, 4, 10))
    assert cells[:first] == "·" * first and cells[first] == "R"  # a letter where a stance starts
    assert cells[first + 1] == level_marks(COMMITMENT.levels)["ruled-out"][1]  # then its fill
    # The axis: a row of ticks (the cut in it too), then the months and years under them.
    rule = next(line for line in lines if "┬" in line)[17:]
    assert rule[gap] == "┊" and all(rule[t.column] == "┬" for t in ax.ticks)
    names = lines[lines.index(next(line for line in lines if "┬" in line)) + 1]
    assert "Apr 2022" in names and "Jan 2023" in names and "2024" in names
    legend = "\n".join(lines[lines.index(names) + 1 :])
    assert legend.startswith("legend: ")
    for level in COMMITMENT.levels:
        letter, fill = level_marks(COMMITMENT.levels)[level.key]
        assert f"{letter}{fill * 2} {level.label}" in legend
    assert "┊ no statement May 2022 – Dec 2022 (left out)" in legend
    assert all(cell_len(line.rstrip()) <= 77 for line in lines)  # the legend wraps within the chart's width
