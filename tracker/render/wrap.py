"""Line-breaking as Rich's ``Text.wrap`` breaks one line of plain text, a line at a time.

Rich wraps word by word through generators; a tag's movers wrap tens of thousands of names
and "not yet" lines of thousands of words, so the breaks are found here a line at a time
where each character takes one cell, word by word otherwise. ``QuickText``, ``QuickTable``
and the movers' plain text (tracker/formats/movers_text.py) wrap with it;
tests/test_movers_speed.py checks it against Rich at many widths.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rich._wrap import divide_line
from rich.cells import cell_len, chop_cells, get_character_cell_size, set_cell_size

_WORD = re.compile(r"(\s*\S+)(\s*)")  # rich._wrap's word (with the white space before it, if first), and the white space after
_NOT_SPACE = re.compile(r"[^ ]")


def is_plain(text: str) -> bool:
    """Whether ``text`` is printable ASCII: a cell a character."""
    return text.isascii() and text.isprintable()


def cells(text: str) -> int:
    """``cell_len``, at once for printable ASCII."""
    return len(text) if is_plain(text) else cell_len(text)


@lru_cache(maxsize=4096)
def wrap(text: str, width: int, *, fold: bool = True) -> tuple[str, ...]:
    """One line of text as ``Text.wrap`` breaks it at ``width``: ``rich._wrap.divide_line``
    (folding a word longer than a line, with ``fold``), then ``rstrip_end`` and crop; not
    padded. Kept: a tag's questions wrap and fold the same names."""
    single = not text.startswith(" ") and (is_plain(text) or _single_cells(text))
    if not fold:
        breaks = divide_line(text, width, fold=False)
    else:
        breaks = _breaks(text, width) if single else _word_breaks(text, width)
    measure = len if single else cells
    lines = []
    for start, end in zip([0, *breaks], [*breaks, len(text)]):
        line = text[start:end]
        if len(line) > width:  # Text.rstrip_end
            line = line[: len(line) - min(len(line) - len(line.rstrip()), len(line) - width)]
        lines.append(set_cell_size(line, width) if measure(line) > width else line)
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
            found = _NOT_SPACE.search(text, beyond)
            assert found is not None  # a word follows: beyond < end
            word = found.start()
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
        length = len(head) if is_plain(head) else cell_len(head)
        whole = length + 1 if tail == " " else cells(head + tail)
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
            offset = cells(pieces[-1])
        elif offset and start:
            breaks.append(start)
            offset = whole
        start += len(head) + len(tail)
    return breaks
