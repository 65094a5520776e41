"""Rich renderables shared by the command line and the interface.

User text always goes in as ``Text`` made from ``printable()``, never as a
markup string, so "[bold]" in a quote is shown as typed and an escape sequence
is shown as ␛ instead of reaching the terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len, set_cell_size
from rich.color import Color, ColorParseError
from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text

from tracker.domain.text import printable

if TYPE_CHECKING:  # the interface's first screen imports this module: only what it runs
    from tracker.domain.changes import Change
    from tracker.domain.history import HistoryEntry, HistoryLabels
    from tracker.domain.models import Level, Position, Scale, Source
    from tracker.domain.movers import MoversReport, QuestionMovers
    from tracker.domain.swimlane import Axis, Lane
    from tracker.store.search import SearchHit

CLASS_STYLES = {"reversal": "bold red", "shift": "yellow", "unchanged": "dim", "first": "dim"}


def plain(text: str | None, *, one_line: bool = True, limit: int | None = None) -> Text:
    value = printable(text or "", one_line=one_line)
    if limit and cell_len(value) > limit:
        value = set_cell_size(value, limit - 1) + "…"
    return Text(value)


# The background the text is drawn on, when known: the interface sets its theme's,
# so that level colours chosen for a dark screen stay readable on a light one (and
# the reverse). The command line leaves it unset and prints the colours as given.
_background: tuple[int, int, int] | None = None
MIN_CONTRAST = 4.0  # WCAG contrast ratio a level colour is brought up to


def set_background(colour: str | None) -> None:
    global _background
    _background = Color.parse(colour).get_truecolor()[:3] if colour else None


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable(rgb: tuple[int, int, int], background: tuple[int, int, int]) -> tuple[int, int, int]:
    """``rgb``, mixed towards black on a light background (white on a dark one) just
    enough to reach MIN_CONTRAST; the hue stays recognisable."""
    towards = (0, 0, 0) if _luminance(background) > 0.18 else (255, 255, 255)
    for step in range(21):
        t = step / 20
        mixed = tuple(round(c + (o - c) * t) for c, o in zip(rgb, towards))
        if contrast(mixed, background) >= MIN_CONTRAST:
            return mixed  # type: ignore[return-value]
    return towards


def colour_style(colour: str) -> Style:
    """A level's colour as a style. The colour is data (a scale in an imported file can
    say anything), so only a colour is taken: "link …", "blink" or "[bold]" give no style."""
    return _colour_style(colour, _background)


@lru_cache(maxsize=512)
def _colour_style(colour: str, background: tuple[int, int, int] | None) -> Style:
    try:
        color = Color.parse(colour.strip()) if colour.strip() else None
    except ColorParseError:
        color = None
    if color is None:
        return Style()
    if background is not None:
        color = Color.from_rgb(*readable(color.get_truecolor()[:3], background))
    return Style(color=color)


def level_style(level: Level, *, bold: bool = True) -> Style:
    return colour_style(level.colour) + Style(bold=True) if bold else colour_style(level.colour)


def level_text(level: Level) -> Text:
    return Text(printable(level.label, one_line=True), style=level_style(level))


def marker_text(change: Change) -> Text:
    # Styles go on spans, never on the Text itself: a Text's own style spans everything appended to it.
    text = Text.assemble((change.marker, CLASS_STYLES.get(change.change_class, "")))
    if change.elapsed:
        # The space on its own: a styled run that starts with a space loses it in an SVG
        # screenshot (Textual writes it as a no-break space, which rsvg drops at the start
        # of a run), and "= unchanged" would read "unchangedafter".
        text.append(" ")
        text.append(f"after {change.elapsed}", style="dim")
    return text


def source_text(source: Source | None) -> Text:
    if source is None:
        return Text("no source", style="dim italic")
    parts = [p for p in (source.outlet, source.title) if p]
    text = plain(", ".join(parts) or source.url or "")
    # Each space in a run of its own: an SVG screenshot drops a space that opens a styled run.
    if source.published:
        text.append(" ").append(f"({source.published.display})", style="dim")
    if source.url and parts:
        text.append(" ").append(printable(source.url, one_line=True), style="dim underline")
    return text


def statement(position: Position, *, limit: int | None = 160) -> Text:
    """The quote if there is one (with its language), else the paraphrase in italics."""
    if position.quote:
        text = plain(f"“{position.quote}”", limit=limit)
        if position.quote_lang:
            text.append(f" ({position.quote_lang})", style="dim")
        return text
    text = plain(position.paraphrase, limit=limit)
    text.stylize("italic")
    return text


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


def _table(compact: bool, gap: int = 1) -> Table:
    """The movers' and the stances' tables: a header over a rule, or (``compact``, on a short
    screen) a header alone, one line less."""
    if compact:
        return Table(box=None, padding=(0, gap + 1, 0, 0), pad_edge=False, show_edge=False, header_style="bold underline")
    return Table(box=box.SIMPLE_HEAD, padding=(0, gap, 0, 0), pad_edge=False, show_edge=False, header_style="bold")


MOVERS_COLUMNS = ("actor", "refused", "reached", "by", "refusal → reach", "lag")


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
        table = _table(compact)
        for name in MOVERS_COLUMNS:  # dates and durations stay whole; a long name wraps
            table.add_column(name, no_wrap=name != "actor", overflow="fold", min_width=10 if name == "actor" else None)
        for r in reached:
            refused = Text(r.refusal.date.display) if r.refusal else Text("—", style="dim")
            taken = Text(str(r.refusal_to_reach)) if r.refusal_to_reach else Text("—", style="dim")
            lag = Text("first", style="bold green") if r.is_first else Text(str(r.lag))
            by = Text(r.by, style="" if r.by == "move" else "dim")
            table.add_row(plain(r.actor_name), refused, Text(r.date.display), by, taken, lag)
        parts.append(table)
        if len(q.reached) > len(reached):
            parts.append(Text(f"… and {len(q.reached) - len(reached)} more reached it", style="dim"))
    if q.not_reached:
        line = Text("not yet: " if q.reached else "no actor has reached it; ", style="dim")
        others = q.not_reached if limit is None else q.not_reached[:limit]
        for i, n in enumerate(others):
            line.append(", " if i else "", style="dim")
            line.append_text(plain(n.actor_name))
            line.append(" (")
            line.append_text(level_text(n.latest))
            line.append(f" since {n.since.display})")
        if len(q.not_reached) > len(others):
            line.append(f" and {len(q.not_reached) - len(others)} more", style="dim")
        parts.append(line)
    return Group(*parts)


def movers_view(report: MoversReport) -> Group:
    """The summary sentence, then a table per question."""
    parts: list = [Text(printable(report.sentence, one_line=True), style="bold")]
    if report.roll_up:
        parts.append(Text("Positions of persons and other members count for their top-level parent (roll-up).", style="dim"))
    for q in report.questions:
        parts += [Text(), movers_table(q)]
    return Group(*parts)


def search_table(hits: list[SearchHit]) -> Table:
    table = Table(header_style="bold")
    for name in ("kind", "id", "date", "what", "match"):
        table.add_column(name)
    for hit in hits:
        table.add_row(
            hit.kind, str(hit.id), hit.position.date.display if hit.position else "", plain(hit.title, limit=60),
            highlighted(hit.snippet),
        )  # fmt: skip
    return table


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


def swimlane_chart(lanes: list[Lane], scale: Scale, axis: Axis, *, name_width: int = 22) -> Group:
    """Actors by time: each cell in the colour of the stance level it had then, a letter where a
    stance starts and a fill by rank after it (so that it reads without colour), ``┊`` where a
    quiet stretch is cut out; then the months and years, and a legend that shows the same."""
    from tracker.domain.swimlane import MONTHS, level_marks

    marks = level_marks(scale.levels)
    rows = []
    for lane in lanes:
        line = Text(set_cell_size(printable(lane.actor_name, one_line=True), name_width) + " ")
        before = None
        for day, level in zip(axis.days, lane.cells):
            if day is None:
                line.append("┊", style="dim")
            elif level is None:
                line.append("·", style="dim")
            else:
                letter, fill = marks.get(level.key, ("?", "█"))
                style = colour_style(level.colour)
                line.append(letter, style=style + Style(bold=True)) if level != before else line.append(fill, style=style)
            if day is not None:
                before = level
        rows.append(line)
    indent = " " * (name_width + 1)
    ticks = {t.column: t for t in axis.ticks}
    gaps = {column for column, _, _ in axis.gaps}
    rule = "".join("┊" if i in gaps else "┬" if i in ticks else "─" for i in range(axis.width))
    labels = [" "] * axis.width
    for tick in axis.ticks:
        for k, c in enumerate(tick.label):
            labels[tick.column + k] = c
    for i in gaps:
        labels[i] = "┊"
    width = name_width + 1 + axis.width
    items = []
    for level in sorted(scale.levels, key=lambda lv: lv.rank):
        letter, fill = marks[level.key]
        label = Text(printable(level.label, one_line=True))
        style = colour_style(level.colour)
        items.append(Text.assemble((letter, style + Style(bold=True)), (fill * 2, style), " ", label))
    items.append(Text("· no position yet", style="dim"))
    for _, first, last in axis.gaps:
        def month(d: date) -> str:
            return f"{MONTHS[d.month - 1]} {d.year}"

        quiet = month(first) if (first.year, first.month) == (last.year, last.month) else f"{month(first)} – {month(last)}"
        items.append(Text(f"┊ no statement {quiet} (left out)", style="dim"))
    legend_lines, line = [], Text.assemble(("legend: ", "bold"))
    for item in items:
        if line.cell_len > len("legend: ") and line.cell_len + 2 + item.cell_len > width:
            legend_lines.append(line)
            line = Text(" " * len("legend: "))
        elif line.cell_len > len("legend: "):
            line.append("  ")
        line.append_text(item)
    legend_lines.append(line)
    return Group(*rows, Text(indent + rule, style="dim"), Text(indent + "".join(labels)), *legend_lines)


def stances_brief(current: list[Position], *, compact: bool = False) -> Table:
    """Where each actor stands: actor, stance and since when, in the movers table's style,
    narrow enough to sit beside it (the statements are in the positions list)."""
    table = _table(compact, gap=2)
    table.add_column("actor", overflow="fold", min_width=10)  # a long name wraps; the rest stays whole
    table.add_column("stance", no_wrap=True)
    table.add_column("since", no_wrap=True)
    for p in current:
        table.add_row(plain(p.actor_name), level_text(p.level), p.date.display)
    return table
