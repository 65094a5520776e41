"""The movers answer as plain text (``tracker movers`` without colour: into a pipe or a
file): the lines Rich prints for :func:`tracker.render.movers_view`, written in one pass.

A tag's movers are tens of thousands of table rows and "not yet" lines of thousands of
names: Rich, even through ``render.QuickTable`` and ``render.QuickText``, passes each line
through its renderables as segments and wraps a long line word by word through generators,
half a second in all. Here each question's table is laid out as ``QuickTable`` lays out the
movers table (the columns as wide as their widest cell, or the actor column narrowed as
``Table._collapse_widths`` narrows it, its names folded), each paragraph wrapped as
``Text.wrap`` wraps it (:func:`tracker.render.wrap.wrap`, a line at a time), and the text
written at once. A table of another shape than the one laid out here (a header
that would wrap, a date or duration wider than its column) makes :func:`movers_text`
answer None: the caller prints the view through Rich. tests/test_movers_speed.py checks the
text against Rich's for the demo, hostile names, wide characters and several widths.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import repeat

from rich import box
from rich.cells import set_cell_size
from rich.console import Console
from rich.table import Table

from tracker.domain.movers import MoversReport, QuestionMovers
from tracker.domain.text import printable
from tracker.render.views import MOVERS_ACTOR_MIN_WIDTH, MOVERS_COLUMNS, MOVERS_GAP
from tracker.render.wrap import cells, is_plain
from tracker.render.wrap import wrap  # as the movers table and its paragraphs wrap

_PADS = (MOVERS_GAP,) * (len(MOVERS_COLUMNS) - 1) + (0,)  # right of each column, none after the last


def movers_text(report: MoversReport, console: Console) -> str | None:
    """What ``console.print(render.movers_view(report), crop=False)`` writes on ``console``
    (without colour), or None for a table not laid out here."""
    width = console.width
    simple = box.SIMPLE_HEAD.substitute(console.options, safe=console.safe_box)  # as render.QuickTable draws it
    names = _Shown()
    out: list[str] = []
    _paragraph(out, printable(report.sentence, one_line=True), width)
    if report.roll_up:
        _paragraph(out, "Positions of persons and other members count for their top-level parent (roll-up).", width)
    for q in report.questions:
        out.append("")
        title = f"{printable(q.question.title, one_line=True)}: who reached “{printable(q.level.label, one_line=True)}”"
        _paragraph(out, title, width)
        if not q.reached and not q.not_reached:
            _paragraph(out, "no positions on this question yet", width)
            continue
        if q.reached and not _table(out, q, width, simple, names):
            return None
        if q.not_reached:
            others = ", ".join(
                f"{names[n.actor_name]} ({names[n.latest.label]} since {n.since.display})"
                for n in q.not_reached
            )
            _paragraph(out, ("not yet: " if q.reached else "no actor has reached it; ") + others, width)
    out.append("")
    return "\n".join(out)


class _Shown(dict[str, str]):
    """Each name or label as ``printable(text, one_line=True)`` shows it, made once (a tag's
    questions repeat them); printable ASCII is shown as it is."""

    def __missing__(self, text: str) -> str:
        shown = self[text] = text if is_plain(text) else printable(text, one_line=True)
        return shown


def _table(out: list[str], q: QuestionMovers, width: int, simple: box.Box, names: _Shown) -> bool:
    """The movers table of ``q`` added to ``out``; False for a table not laid out here."""
    rows = [MOVERS_COLUMNS] + [
        (
            names[r.actor_name],
            r.refusal.date.display if r.refusal else "—",
            r.date.display,
            r.by,
            str(r.refusal_to_reach) if r.refusal_to_reach else "—",
            "first" if r.is_first else str(r.lag),
        )
        for r in q.reached
    ]
    columns = list(zip(*rows))
    plain = [is_plain("".join(column)) for column in columns]  # a cell a character
    lengths = [list(map(len, column)) if one else _lengths(column) for column, one in zip(columns, plain)]
    widest = [max(column) for column in lengths]
    room = width - (len(MOVERS_COLUMNS) - 1)  # less the dividers between the columns

    def measured(i: int, most: int) -> int:  # QuickTable.layout's, the actor column at least MOVERS_ACTOR_MIN_WIDTH wide
        fitting = min(widest[i] + _PADS[i], most)
        return max(fitting, MOVERS_ACTOR_MIN_WIDTH + _PADS[i]) if i == 0 else fitting

    widths = [measured(i, room) or 1 for i in range(len(MOVERS_COLUMNS))]
    if sum(widths) > room:
        widths = Table._collapse_widths(widths, [True] + [False] * (len(MOVERS_COLUMNS) - 1), room)
        widths = [measured(i, max(w, 1)) for i, w in enumerate(widths)]
    rooms = [w - pad for w, pad in zip(widths, _PADS)]
    if any(n > r for n, r in zip((column[0] for column in lengths), rooms)) or any(
        widest[i] > rooms[i] for i in range(1, len(rooms))
    ):
        return False  # a header that wraps, or a date or duration cut: Rich's own table
    # Each cell padded to its column's width (a column at a time), the rows' lines made of them.
    padded = [
        list(map(str.ljust, column, repeat(w))) if one else [t + " " * (w - n) for t, n in zip(column, ns)]
        for column, ns, w, one in zip(columns, lengths, widths, plain)
    ]  # fmt: skip
    last = len(rows) - 1
    dividers = [simple.head_vertical] + [simple.mid_vertical] * (last - 1) + [simple.foot_vertical] * bool(last)
    rests = list(map(str.join, dividers, zip(*padded[1:])))  # each line less its actor
    actor_room, names_lengths = rooms[0], lengths[0]
    blanks = {divider: divider.join(" " * w for w in widths[1:]) for divider in set(dividers)}  # a line less its actor, empty
    for number, (name, rest, divider) in enumerate(zip(padded[0], rests, dividers)):
        if names_lengths[number] <= actor_room:
            out.append(name + divider + rest)
        else:  # a long name, folded in its column; the other cells on its first line
            folded = _folded(columns[0][number], actor_room)
            out.append(folded[0] + divider + rest)
            out.extend(line + divider + blanks[divider] for line in folded[1:])
        if number == 0:
            out.append(simple.get_row(widths, "head", edge=False))
    return True


def _lengths(texts: tuple[str, ...]) -> list[int]:
    """The cells of each text, measured once per text (a column repeats its dates)."""
    measured = {text: cells(text) for text in set(texts)}
    return list(map(measured.__getitem__, texts))


@lru_cache(maxsize=4096)
def _folded(name: str, room: int) -> tuple[str, ...]:
    """The lines of a name folded in the actor column (``room`` cells, then its padding)."""
    return tuple(set_cell_size(line, room) + " " * _PADS[0] for line in wrap(name, room))


def _paragraph(out: list[str], text: str, width: int) -> None:
    """``text`` (one line) as Rich prints a ``Text`` of it at ``width``."""
    out.extend(wrap(text, width))
