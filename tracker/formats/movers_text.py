"""The movers answer as plain text (``tracker movers`` without colour: into a pipe or a
file): the lines Rich prints for :func:`tracker.render.movers_view`, written in one pass.

A tag's movers are tens of thousands of table rows and "not yet" lines of thousands of
names: Rich, even through ``render.QuickTable`` and ``render.QuickText``, passes each line
through its renderables as segments and wraps a long line word by word through generators,
half a second in all. Here each question's table is laid out as ``QuickTable`` lays out the
movers table (the columns as wide as their widest cell, or the actor column narrowed as
``Table._collapse_widths`` narrows it, its names folded), each paragraph wrapped as
``Text.wrap`` wraps it (words kept whole where they fit, then ``rstrip_end`` and crop), and
the text written at once. A table of another shape than the one laid out here (a header
that would wrap, a date or duration wider than its column) makes :func:`movers_text`
answer None: the caller prints the view through Rich. tests/test_movers_speed.py checks the
text against Rich's for the demo, hostile names, wide characters and several widths.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import repeat

from rich import box
from rich.cells import cell_len, chop_cells, get_character_cell_size, set_cell_size
from rich.console import Console
from rich.table import Table

from tracker.domain.movers import MoversReport, QuestionMovers
from tracker.domain.text import printable
from tracker.render import MOVERS_COLUMNS

_WORD = re.compile(r"(\s*\S+)(\s*)")  # rich._wrap's word (with the white space before it, if first), and the white space after
_NOT_SPACE = re.compile(r"[^ ]")
_PADS = (1,) * (len(MOVERS_COLUMNS) - 1) + (0,)  # render._table: one space right of each column, none after the last
_ACTOR_MIN = 10  # render.movers_table: the actor column's min_width


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
        shown = self[text] = text if _plain(text) else printable(text, one_line=True)
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
    plain = [_plain("".join(column)) for column in columns]  # a cell a character
    lengths = [list(map(len, column)) if one else _lengths(column) for column, one in zip(columns, plain)]
    widest = [max(column) for column in lengths]
    room = width - (len(MOVERS_COLUMNS) - 1)  # less the dividers between the columns

    def measured(i: int, most: int) -> int:  # QuickTable._layout's, the actor column at least _ACTOR_MIN wide
        fitting = min(widest[i] + _PADS[i], most)
        return max(fitting, _ACTOR_MIN + _PADS[i]) if i == 0 else fitting

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
    cells = {text: _cells(text) for text in set(texts)}
    return list(map(cells.__getitem__, texts))


def _plain(text: str) -> bool:
    """Whether ``text`` is printable ASCII: a cell a character."""
    return text.isascii() and text.isprintable()


@lru_cache(maxsize=4096)
def _folded(name: str, room: int) -> tuple[str, ...]:
    """The lines of a name folded in the actor column (``room`` cells, then its padding)."""
    return tuple(set_cell_size(line, room) + " " * _PADS[0] for line in _wrap(name, room))


def _paragraph(out: list[str], text: str, width: int) -> None:
    """``text`` (one line) as Rich prints a ``Text`` of it at ``width``."""
    out.extend(_wrap(text, width))


def _cells(text: str) -> int:
    """``cell_len``, at once for printable ASCII."""
    return len(text) if _plain(text) else cell_len(text)


@lru_cache(maxsize=4096)
def _wrap(text: str, width: int) -> tuple[str, ...]:
    """One line of text as ``Text.wrap`` breaks it at ``width``: ``rich._wrap.divide_line``
    folding a word longer than a line, then ``rstrip_end`` and crop; not padded. Kept: a
    tag's questions fold the same names."""
    plain = not text.startswith(" ") and (_plain(text) or _single_cells(text))
    breaks = _breaks(text, width) if plain else _word_breaks(text, width)
    cells = len if plain else _cells
    lines = []
    for start, end in zip([0, *breaks], [*breaks, len(text)]):
        line = text[start:end]
        if len(line) > width:  # Text.rstrip_end
            line = line[: len(line) - min(len(line) - len(line.rstrip()), len(line) - width)]
        lines.append(set_cell_size(line, width) if cells(line) > width else line)
    return tuple(lines)


def _single_cells(text: str) -> bool:
    """Whether each character of ``text`` takes one cell, and its only white space is " "."""
    return all(ch == " " or (get_character_cell_size(ch) == 1 and not ch.isspace()) for ch in set(text))


def _breaks(text: str, width: int) -> list[int]:
    """``divide_line(text, width)`` for a text of characters of one cell each, its words
    parted by spaces, not starting with one (see :func:`_single_cells`), a line at a time rather than a word: a line
    from ``start`` holds every word whose last letter ends at ``start + width`` at the
    latest; the next starts at the first word that ends after, folded if it is longer than
    a line (then the line goes on from its last piece)."""
    breaks: list[int] = []
    end = len(text.rstrip(" "))  # where the last word ends
    start = 0
    while start + width < end:
        beyond = start + width  # the first cell past the line
        if text[beyond] == " ":
            word = _NOT_SPACE.search(text, beyond).start()  # type: ignore[union-attr]  # one follows: beyond < end
        else:
            word = text.rfind(" ", start, beyond) + 1 or start  # the line's first word (start) only if it is too long
        word_end = text.find(" ", word)
        head_end = end if word_end == -1 else word_end
        if head_end - word <= width and word != start:
            breaks.append(word)
            start = word
            continue
        following = _NOT_SPACE.search(text, head_end)
        after = len(text) if following is None else following.start()  # where the next word starts
        pieces = -(-(after - word) // width)  # chop_cells: pieces of ``width`` characters, the spaces after it included
        breaks.extend(at for at in range(word, word + pieces * width, width) if at)
        start = word + (pieces - 1) * width
    return breaks


def _word_breaks(text: str, width: int) -> list[int]:
    """``divide_line(text, width)``, word by word."""
    breaks: list[int] = []
    offset = 0  # cells on the line so far
    start = 0  # where the word starts
    for head, tail in _WORD.findall(text):  # a word, and the white space after it
        length = len(head) if _plain(head) else cell_len(head)
        whole = length + 1 if tail == " " else _cells(head + tail)
        if width - offset >= length:
            offset += whole
        elif length > width:  # folded across lines
            pieces = chop_cells(head + tail, width)
            at = start
            for piece in pieces[:-1]:
                if at:
                    breaks.append(at)
                at += len(piece)
            if at:
                breaks.append(at)
            offset = _cells(pieces[-1])
        elif offset and start:
            breaks.append(start)
            offset = whole
        start += len(head) + len(tail)
    return breaks
