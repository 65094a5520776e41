"""The document being written: markdown blocks buffered as pieces of text and written a
section at a time, with the per-document memories of what repeats (actor names, stances,
languages, sources)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import IO

from tracker.domain.models import Source
from tracker.formats.markdown.escape import cell
from tracker.formats.markdown.words import confidence_words, language_name, source_line

class Memo(dict):
    """``memo[key]`` is ``make(key)``, worked out once: a report names the same actors,
    stances and languages again and again, and a look-up costs less than a call."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[str], str]):
        super().__init__()
        self.make = make

    def __missing__(self, key: str) -> str:
        value = self[key] = self.make(key)
        return value


GAP = "\n\n"  # after a block: the end of its last line, and a blank line


class Doc:
    """Markdown for one document, as the pieces of text to write one after the other (joined
    once, when written: a statement's quote, say, is copied into the output and nowhere
    else); blocks are separated by one blank line."""

    def __init__(self, out: IO[str]):
        self.out = out
        self.pieces: list[str] = []  # each block followed by GAP
        self.written = False  # a blank line goes before the next block written
        # id(source) -> (the source, its line): a look-up that does not read the source (one
        # among thousands, far in memory); the source is kept, and so its id stays its own.
        self.sources: dict[int, tuple[Source, str]] = {}
        self.lags: dict[tuple[str, str], str] = {}  # (first mover's date, date reached) -> lag_words
        self.cell = Memo(cell)  # text -> cell(text)
        self.language = Memo(language_name)  # code -> language_name(code)
        self.confidence = Memo(confidence_words)  # confidence -> what a statement's status line says of it
        self.folded = Memo(str.casefold)  # an actor's name -> the same, case folded (the order of names)

    def block(self, block_lines: Sequence[str]) -> None:
        if block_lines:
            self.pieces += ("\n".join(block_lines), GAP)

    def source(self, source: Source) -> str:
        """:func:`source_line` of ``source``, worked out once per source of the document."""
        known = self.sources.get(id(source))
        if known is None:
            known = self.sources[id(source)] = (source, source_line(source, self.cell))
        return known[1]

    def heading(self, level: int, text: str) -> None:
        self.block([f"{'#' * min(level, 6)} {text}"])

    def table(self, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
        out = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
        width = len(header)
        for row in rows:
            assert len(row) == width
            out.append("| " + " | ".join(row) + " |")
        self.block(out)

    def flush(self) -> None:
        """Write what is buffered (a section at a time, so that a long report is not held whole)."""
        pieces = self.pieces
        if pieces:
            # One join: a blank line before (after what was written), a newline at the end
            # (where the last block's GAP was).
            pieces[-1] = "\n"
            if self.written:
                pieces.insert(0, "\n")
            self.out.write("".join(pieces))
            self.written = True
            self.pieces = []

    close = flush

