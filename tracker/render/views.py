"""The tables and views of the command line and the interface: timelines, positions, a
change side by side, movers and stances, search hits, a position in full with its history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.style import StyleType
from rich.table import Table
from rich.text import Text

from tracker.domain.text import printable
from tracker.render.drawing import QuickTable, QuickText
from tracker.render.styles import level_piece, level_text, marker_text, plain, printable_line, source_text, statement

if TYPE_CHECKING:
    from tracker.domain.changes import Change
    from tracker.domain.history import HistoryEntry, HistoryLabels
    from tracker.domain.models import Position
    from tracker.domain.movers import MoversReport, QuestionMovers
    from tracker.store.search import SearchHit


def timeline_table(changes: list[Change], *, show_question: bool, show_actor: bool) -> Table:
    table = Table(show_lines=False, expand=False, header_style="bold")
    table.add_column("id", justify="right", style="dim")
    table.add_column("date", no_wrap=True)
    if show_actor:
        table.add_column("actor")
    if show_question:
        table.add_column("question")
    table.add_column("stance", no_wrap=True)
    table.add_column("change")
    table.add_column("statement", ratio=1)
    for change in changes:
        p = change.after
        row = [str(p.id), p.date.display]
        if show_actor:
            row.append(plain(p.actor_name))
        if show_question:
            row.append(plain(p.question_title))
        table.add_row(*row, level_text(p.level), marker_text(change), statement(p))
    return table


def positions_table(positions: list[Position]) -> Table:
    table = Table(header_style="bold")
    for name in ("id", "date", "actor", "question", "stance", "confidence", "statement"):
        table.add_column(name, justify="right" if name == "id" else "left")
    for p in positions:
        table.add_row(
            str(p.id), p.date.display, plain(p.actor_name), plain(p.question_title), level_text(p.level),
            plain(p.confidence), statement(p, limit=80),
        )  # fmt: skip
    return table


def diff_view(change: Change, *, marks: bool = False) -> Group:
    """Two positions side by side. With ``marks`` (output without colour), removed words
    read [-like this-] and added ones {+like this+}, as in ``git diff --word-diff``. Without
    marks, a removed word and the word added in its place are kept a space apart (struck out
    then underlined, they would read as one word once the style is lost)."""
    from tracker.domain.quote_diff import shown_apart

    before, after = change.before, change.after
    assert before is not None
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    head.add_column()
    head.add_row("", Text(f"#{before.id}", style="dim"), Text(f"#{after.id}", style="dim"))
    head.add_row("actor", plain(before.actor_name), plain(after.actor_name))
    head.add_row("question", plain(before.question_title), plain(after.question_title))
    head.add_row("date", before.date.display, after.date.display)
    head.add_row("stance", level_text(before.level), level_text(after.level))
    head.add_row("source", source_text(before.source), source_text(after.source))
    summary = Text.assemble(("change: ", "bold"))
    summary.append_text(marker_text(change))
    words = Text()
    chunks = change.quote_diff if marks else shown_apart(change.quote_diff)  # marks: [-a-]{+b+}, as git does
    for op, chunk in chunks:
        chunk = printable(chunk)
        if op in ("equal", "gap"):  # a gap: the space that keeps a removed word and its replacement apart
            words.append(chunk)
        elif op == "delete":
            words.append(f"[-{chunk}-]" if marks else chunk, style="red strike")
        else:
            words.append(f"{{+{chunk}+}}" if marks else chunk, style="green underline")
    parts = [head, Text(), summary]
    if before.quote or after.quote:
        legend = "removed [-…-], added {+…+}" if marks else "removed struck out, added underlined"
        parts += [Text(), Text(f"quote, word by word ({legend}):", style="bold"), words]
    if before.paraphrase or after.paraphrase:
        parts.append(Text())
    for label, p in (("before", before), ("after", after)):
        if p.paraphrase:
            parts += [Text.assemble((f"paraphrase {label}: ", "bold"), plain(p.paraphrase, one_line=False))]
    return Group(*parts)


def _table(compact: bool, gap: int) -> Table:
    """The movers' and the stances' tables: a header over a rule, or (``compact``, on a short
    screen) a header alone, one line less."""
    if compact:
        return Table(box=None, padding=(0, gap + 1, 0, 0), pad_edge=False, show_edge=False, header_style="bold underline")
    return Table(box=box.SIMPLE_HEAD, padding=(0, gap, 0, 0), pad_edge=False, show_edge=False, header_style="bold")


MOVERS_COLUMNS = ("actor", "refused", "reached", "by", "refusal → reach", "lag")
MOVERS_GAP = 1  # the spaces right of each column of the movers table but the last (none after it)
MOVERS_ACTOR_MIN_WIDTH = 10  # the actor column's least width: a longer name folds in it


def movers_table(q: QuestionMovers, *, title: bool = True, limit: int | None = None, compact: bool = False) -> Group:
    """One question's movers: each actor that reached the level (first movers first), when
    it last refused before, how, how long that took and its lag; then a line naming the
    others with their latest stance. ``limit`` keeps that many of each and counts the rest."""
    parts: list = []
    if title:
        parts.append(Text.assemble(
            (printable(q.question.title, one_line=True), "bold"), f": who reached “{printable(q.level.label, one_line=True)}”"
        ))  # fmt: skip
    if not q.reached and not q.not_reached:
        return Group(*parts, Text("no positions on this question yet", style="dim"))
    reached = q.reached if limit is None else q.reached[:limit]
    if reached:
        table = _table(compact, gap=MOVERS_GAP)
        for name in MOVERS_COLUMNS:  # dates and durations stay whole; a long name wraps
            table.add_column(name, no_wrap=name != "actor", overflow="fold", min_width=MOVERS_ACTOR_MIN_WIDTH if name == "actor" else None)
        parts.append(QuickTable(table, [
            (
                (printable_line(r.actor_name), ""),
                (r.refusal.date.display, "") if r.refusal else ("—", "dim"),
                (r.date.display, ""),
                (r.by, "" if r.by == "move" else "dim"),
                (str(r.refusal_to_reach), "") if r.refusal_to_reach else ("—", "dim"),
                ("first", "bold green") if r.is_first else (str(r.lag), ""),
            )
            for r in reached
        ]))  # fmt: skip
        if len(q.reached) > len(reached):
            parts.append(Text(f"… and {len(q.reached) - len(reached)} more reached it", style="dim"))
    if q.not_reached:
        pieces: list[tuple[str, StyleType]] = [("not yet: " if q.reached else "no actor has reached it; ", "")]
        others = q.not_reached if limit is None else q.not_reached[:limit]
        for i, n in enumerate(others):
            pieces += [(", ", "")] if i else []
            pieces += [(printable_line(n.actor_name), ""), (" (", ""), level_piece(n.latest), (f" since {n.since.display})", "")]
        if len(q.not_reached) > len(others):
            pieces.append((f" and {len(q.not_reached) - len(others)} more", ""))
        parts.append(QuickText(pieces, style="dim"))
    return Group(*parts)


def movers_view(report: MoversReport) -> Group:
    """The summary sentence, then a table per question."""
    parts: list = [Text(printable(report.sentence, one_line=True), style="bold")]
    if report.roll_up:
        parts.append(Text("Positions of persons and other members count for their top-level parent (roll-up).", style="dim"))
    for q in report.questions:
        parts += [Text(), movers_table(q)]
    return Group(*parts)


def listing_table(names: Sequence[str], rows: Iterable[Sequence[RenderableType]]) -> Table:
    """A bold header of ``names`` over a line for each of ``rows``: the command line's lists."""
    table = Table(header_style="bold")
    for name in names:
        table.add_column(name)
    for row in rows:
        table.add_row(*row)
    return table


def search_table(hits: list[SearchHit]) -> Table:
    return listing_table(("kind", "id", "date", "what", "match"), (
        (hit.kind, str(hit.id), hit.position.date.display if hit.position else "", plain(hit.title, limit=60),
         highlighted(hit.snippet))
        for hit in hits
    ))  # fmt: skip


def highlighted(snippet: str) -> Text:
    """A search snippet whose matches sit between \\x02 and \\x03, as bold text."""
    text = Text()
    for i, part in enumerate(snippet.replace("\x03", "\x02").split("\x02")):
        text.append(printable(part, one_line=True), style="bold reverse" if i % 2 else "")
    return text


def position_detail(p: Position, revisions: Sequence[HistoryEntry | dict], labels: HistoryLabels | None = None) -> Group:
    """Every field of a position, its source, and its revision history in words.

    ``revisions`` are best worded beforehand (``history.describe_all``, in a worker:
    a long quote's word diff is work); rows of the revision log are worded here."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row("actor", plain(p.actor_name) + Text(f"  ({printable(p.actor_slug)})", style="dim"))
    grid.add_row("question", plain(p.question_title) + Text(f"  ({printable(p.question_slug)})", style="dim"))
    grid.add_row("stance", Text.assemble(level_text(p.level), (f"  rank {p.level.rank}", "dim")))
    grid.add_row("date", Text(p.date.describe()))
    grid.add_row("quote", plain(p.quote, one_line=False) if p.quote else Text("none", style="dim"))
    grid.add_row("quote language", plain(p.quote_lang) if p.quote_lang else Text("—", style="dim"))
    grid.add_row("paraphrase", plain(p.paraphrase, one_line=False))
    grid.add_row("context", plain(p.context, one_line=False))
    grid.add_row("confidence", plain(p.confidence))
    grid.add_row("notes", plain(p.notes, one_line=False))
    grid.add_row("tags", plain(", ".join(p.tags)))
    grid.add_row("id / uid", Text(f"{p.id} / {p.uid}", style="dim"))
    src = Table.grid(padding=(0, 2))
    src.add_column(style="bold", no_wrap=True)
    src.add_column(ratio=1)
    if p.source is None:
        src.add_row("source", Text("none recorded", style="dim italic"))
    else:
        s = p.source
        src.add_row("title", plain(s.title))
        src.add_row("outlet", plain(s.outlet))
        src.add_row("published", Text(s.published.display) if s.published else Text(""))
        src.add_row("language", plain(s.language))
        src.add_row("url", plain(s.url or "—"))
    parts = [grid, Text(), Text("Source", style="bold underline"), src, Text(), Text("History", style="bold underline")]
    parts.append(history_table(_worded(revisions, labels)) if revisions else Text("no edits recorded", style="dim"))
    return Group(*parts)


def _worded(revisions: Sequence[HistoryEntry | dict], labels: HistoryLabels | None) -> list[HistoryEntry]:
    from tracker.domain import history

    rows = [r for r in revisions if isinstance(r, dict)]
    worded = {id(r): e for r, e in zip(rows, history.describe_all(rows, labels))} if rows else {}
    return [worded[id(r)] if isinstance(r, dict) else r for r in revisions]


HISTORY_LINE = 64  # a change longer than this shows its new value on a line of its own
ARROW = "→"


def history_table(entries: Sequence[HistoryEntry]) -> Table:
    """A revision a row: when (local time), what made it, what happened and each field's
    old and new value on a line of its own."""
    table = Table(header_style="bold", expand=False, box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("when", no_wrap=True)
    table.add_column("by", no_wrap=True)
    table.add_column("what")
    for e in entries:
        what = plain(e.headline, limit=120)
        if e.undo:
            what.stylize("italic")
        for line in e.changes:
            # Each run starts with a visible character (an SVG screenshot drops a run's
            # leading spaces): the field's name in bold with its space, then the change;
            # a long one on two lines, the new value under the old.
            what.append("\n  ")
            old, new = getattr(line, "old", None), getattr(line, "new", None)
            if old is not None and new is not None and cell_len(printable(line, one_line=True)) > HISTORY_LINE:
                what.append(printable(f"{line.name}: ", one_line=True), style="bold")
                what.append_text(plain(old, limit=110))
                what.append("\n    ")
                what.append(f"{ARROW} ", style="bold")
                what.append_text(plain(new, limit=110))
                continue
            name, colon, change = line.partition(": ")
            if colon:
                what.append(printable(f"{name}: ", one_line=True), style="bold")
                what.append_text(plain(change, limit=110))
            else:
                what.append_text(plain(line, limit=120))
        by = plain(e.origin)
        if e.origin == "unknown":
            by.stylize("dim")
        table.add_row(plain(e.when), by, what)
    return table


def stances_brief(current: list[Position], *, compact: bool = False) -> QuickTable:
    """Where each actor stands: actor, stance and since when, in the movers table's style,
    narrow enough to sit beside it (the statements are in the positions list)."""
    table = _table(compact, gap=2)
    table.add_column("actor", overflow="fold", min_width=10)  # a long name wraps; the rest stays whole
    table.add_column("stance", no_wrap=True)
    table.add_column("since", no_wrap=True)
    return QuickTable(table, [((printable_line(p.actor_name), ""), level_piece(p.level), (p.date.display, "")) for p in current])
