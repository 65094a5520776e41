"""Swimlanes: each actor's stance over time, sampled into columns, for a chart.

The time axis runs over whole months, from the month of the first statement to the month
of the last. A long quiet stretch (whole months in which no one said anything, a large part
of the span) is cut out and drawn as one gap column, so that one early statement does not
squeeze every later one into the last few columns. The axis carries its month ticks and
the labels that fit ("Sep 2022" where a part of the axis starts, then "2023" on a January,
"Feb" on another month), chosen here so that the drawing only places them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tracker.domain.changes import POSITION_ORDER
from tracker.domain.models import Level, Position

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
GAP_MONTHS = 6  # a quiet stretch shorter than this is never cut
GAP_SHARE = 0.2  # ... nor one that is less than this share of the whole span
MIN_SEGMENT = 9  # columns a part of the axis gets at least ("Sep 2022" and a space)
LABEL_STEPS = (1, 2, 3, 6, 12, 24, 60, 120, 240, 600)  # months between labels, the first that fits
# Fill characters, lightest to heaviest: a stance's rank picks one, so that the lanes read
# without colour (a screenshot in black and white, a colour-blind reader).
FILLS = ("╌", "─", "═", "≡", "▒", "▓", "█")


@dataclass(frozen=True)
class Segment:
    """A stretch of time drawn without a cut: ``columns`` columns from column ``first``."""

    start: date  # the first day of a month
    end: date  # the last day of a month
    first: int
    columns: int


@dataclass(frozen=True)
class Tick:
    column: int
    month: date  # the first day of the month that starts in this column
    label: str  # "" for a tick without a label


@dataclass(frozen=True)
class Axis:
    days: tuple[date | None, ...]  # the last day each column shows; None for a gap column
    segments: tuple[Segment, ...]
    ticks: tuple[Tick, ...]

    @property
    def width(self) -> int:
        return len(self.days)

    @property
    def gaps(self) -> list[tuple[int, date, date]]:
        """Each gap column with the first and last day of the quiet stretch it stands for."""
        return [
            (before.first + before.columns, _next_month(before.end), after.start - timedelta(days=1))
            for before, after in zip(self.segments, self.segments[1:])
        ]

    def column(self, day: date) -> int | None:
        """The column that shows ``day``; None when it is in a stretch cut out or off the axis."""
        for segment in self.segments:
            if segment.start <= day <= segment.end:
                for i in range(segment.first, segment.first + segment.columns):
                    shown = self.days[i]
                    assert shown is not None  # a segment's columns are days; a gap's sits between segments
                    if shown >= day:
                        return i
        return None


@dataclass(frozen=True)
class Lane:
    actor_name: str
    cells: tuple[Level | None, ...]  # the stance as of each column's last day; None before the first position


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def _month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def _next_month(d: date) -> date:
    return _month_start(_month_index(d) + 1)


def _month_end(index: int) -> date:
    return _month_start(index + 1) - timedelta(days=1)


def axis(days: Iterable[date], columns: int) -> Axis:
    """An axis of ``columns`` columns over the months of ``days`` (the dates of the statements),
    with the longest quiet stretches cut out when they are long enough and room allows."""
    columns = max(1, columns)
    active = sorted({_month_index(d) for d in days})
    if not active:
        return Axis((), (), ())
    span = active[-1] - active[0] + 1
    # Quiet stretches: (months, first quiet month index), the longest first.
    quiet = sorted(
        ((b - a - 1, a + 1) for a, b in zip(active, active[1:]) if b - a - 1 >= max(GAP_MONTHS, GAP_SHARE * span)),
        key=lambda q: (-q[0], q[1]),
    )
    cuts: list[tuple[int, int]] = []
    for length, first in quiet:  # each cut costs a gap column and needs a part of the axis of MIN_SEGMENT
        if (len(cuts) + 2) * MIN_SEGMENT + len(cuts) + 1 > columns:
            break
        cuts.append((first, first + length - 1))
    cuts.sort()
    parts, start = [], active[0]
    for first, last in cuts:
        parts.append((start, first - 1))
        start = last + 1
    parts.append((start, active[-1]))
    bounds = [(_month_start(a), _month_end(b)) for a, b in parts]
    widths = _share(columns - len(cuts), [(end - start).days + 1 for start, end in bounds])
    day_list: list[date | None] = []
    segments = []
    for (start_day, end_day), width in zip(bounds, widths):
        if segments:
            day_list.append(None)
        segments.append(Segment(start_day, end_day, len(day_list), width))
        total = (end_day - start_day).days + 1
        day_list += [start_day + timedelta(days=max(0, total * (k + 1) // width - 1)) for k in range(width)]
    result = Axis(tuple(day_list), tuple(segments), ())
    ticks = [tick for segment in segments for tick in _ticks(result, segment)]
    return Axis(result.days, result.segments, tuple(ticks))


def _share(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` columns shared in proportion to ``weights``, each part given MIN_SEGMENT at least
    (or an equal share when there is not room for that)."""
    n = len(weights)
    if total < n * MIN_SEGMENT:
        return [total // n + (1 if i < total % n else 0) for i in range(n)]
    fixed: dict[int, int] = {}
    while True:
        free = [i for i in range(n) if i not in fixed]
        room = total - sum(fixed.values())
        weight = sum(weights[i] for i in free)
        small = [i for i in free if room * weights[i] / weight < MIN_SEGMENT]
        if not small:
            break
        for i in small:
            fixed[i] = MIN_SEGMENT
    result = [fixed.get(i, 0) for i in range(n)]
    # The rest by largest remainder, so that the parts add up to ``total`` exactly.
    exact = {i: room * weights[i] / weight for i in free}
    for i in free:
        result[i] = int(exact[i])
    for i in sorted(free, key=lambda i: -(exact[i] - int(exact[i])))[: total - sum(result)]:
        result[i] += 1
    return result


def _ticks(ax: Axis, segment: Segment) -> list[Tick]:
    """The segment's month ticks, labelled where labels fit: the first with its year, then every
    ``step`` months (the smallest step whose labels do not run into each other)."""
    last_column = segment.first + segment.columns - 1
    months = []
    for index in range(_month_index(segment.start), _month_index(segment.end) + 1):
        column = ax.column(_month_start(index))
        if column is not None and (not months or column > months[-1][0]):  # two months in one column: the first
            months.append((column, index))
    if not months:
        return []

    def label(index: int, first: bool) -> str:
        year, month = divmod(index, 12)
        if first:
            return f"{MONTHS[month]} {year}"
        return str(year) if month == 0 else MONTHS[month]

    def aligned(index: int, step: int) -> bool:
        return index % step == 0 if step <= 12 else index % 12 == 0 and (index // 12) % (step // 12) == 0

    def place(step: int) -> tuple[dict[int, str], bool]:
        """Labels left to right, each after the one before and a space; whether every aligned one fitted."""
        placed: dict[int, str] = {}
        free_from, first_end = segment.first, segment.first
        complete = True
        for n, (column, index) in enumerate(months):
            if n and not aligned(index, step):
                continue
            text = label(index, first=n == 0)
            if n == 0 and column + len(text) - 1 > last_column:
                text = str(index // 12)  # the year at least
            if column >= free_from and column + len(text) - 1 <= last_column:
                placed[column] = text
                free_from = column + len(text) + 1
                if n == 0:
                    first_end = free_from
            elif column >= first_end or n == 0:  # one hidden by the first label's year is no loss
                complete = False
        return placed, complete

    for step in LABEL_STEPS:
        labels, complete = place(step)
        if complete:
            break
    # Every month gets a tick when months are two columns apart or more, else the labelled ones.
    every = segment.columns >= 2 * len(months)
    return [Tick(column, _month_start(index), labels.get(column, "")) for column, index in months if every or column in labels]


def lanes(positions: Iterable[Position], ax: Axis, *, limit: int | None = None) -> list[Lane]:
    """One lane per actor (ordered by first position, then name), a cell per column of ``ax``:
    the stance as of the column's last day (a gap column carries the stance held through the
    stretch cut out). ``limit``: the first so many actors only (the others cost nothing)."""
    by_actor: dict[int, list[Position]] = {}
    for p in positions:
        by_actor.setdefault(p.actor_id, []).append(p)
    order = sorted(by_actor.values(), key=lambda ps: (min(p.date.start for p in ps), ps[0].actor_name.casefold()))
    if limit is not None:
        order = order[: max(0, limit)]
    result = []
    for ps in order:
        ps.sort(key=POSITION_ORDER)  # as_of's order: the latest wins a tie
        cells: list[Level | None] = []
        i, current = 0, None
        for day in ax.days:
            if day is not None:  # a gap column: no statement in it, the stance carries through
                while i < len(ps) and ps[i].date.start <= day:
                    current = ps[i].level
                    i += 1
            cells.append(current)
        result.append(Lane(ps[0].actor_name, tuple(cells)))
    return result


def level_marks(levels: Iterable[Level]) -> dict[str, tuple[str, str]]:
    """Per level key, the letter that marks where a stance starts in a lane and the fill
    that follows it: the first letter of one of the label's words if free (else another
    of its letters, else a free letter or digit), and a fill by rank, lightest first."""
    levels = sorted(levels, key=lambda lv: lv.rank)
    taken: set[str] = set()
    marks = {}
    n = len(levels)
    for i, level in enumerate(levels):
        label = level.label or level.key
        words = [next((c for c in w if _letter(c)), "") for w in label.split()]
        others = [c for c in label if _letter(c)]
        spare = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        letter = next((c.upper() for c in [*words, *others, *spare] if c and c.upper() not in taken), "•")
        taken.add(letter)
        fill = FILLS[round(i * (len(FILLS) - 1) / (n - 1)) if 1 < n <= len(FILLS) else min(i, len(FILLS) - 1) if n > 1 else -1]
        marks[level.key] = (letter, fill)
    return marks


def _letter(c: str) -> bool:
    """A letter or digit that reads left to right and takes one cell (no mark, no wide glyph)."""
    return (
        c.isalnum() and len(c.upper()) == 1 and unicodedata.bidirectional(c) in ("L", "EN")
        and unicodedata.east_asian_width(c) in ("Na", "N", "H")
    )  # fmt: skip
