"""Rich renderables for the command line.

User text always goes in as ``Text`` made from ``printable()``, never as a
markup string, so "[bold]" in a quote is shown as typed and an escape sequence
is shown as ␛ instead of reaching the terminal.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from tracker.domain.changes import Change
from tracker.domain.models import Level, Position, Source
from tracker.domain.movers import Mover
from tracker.domain.text import printable
from tracker.store.store import SearchHit

CLASS_STYLES = {"reversal": "bold red", "shift": "yellow", "unchanged": "dim", "first": "dim"}


def plain(text: str | None, *, one_line: bool = True, limit: int | None = None) -> Text:
    value = printable(text or "", one_line=one_line)
    if limit and len(value) > limit:
        value = value[: limit - 1] + "…"
    return Text(value)


def level_text(level: Level) -> Text:
    style = f"bold {level.colour}" if level.colour else "bold"
    return Text(printable(level.label, one_line=True), style=style)


def marker_text(change: Change) -> Text:
    text = Text(change.marker, style=CLASS_STYLES.get(change.change_class, ""))
    if change.elapsed:
        text.append(f" after {change.elapsed}", style="dim")
    return text


def source_text(source: Source | None) -> Text:
    if source is None:
        return Text("no source", style="dim italic")
    parts = [p for p in (source.outlet, source.title) if p]
    text = plain(", ".join(parts) or source.url or "")
    if source.published:
        text.append(f" ({source.published.display})", style="dim")
    if source.url and parts:
        text.append(f" {printable(source.url, one_line=True)}", style="dim underline")
    return text


def statement(position: Position, *, limit: int | None = 160) -> Text:
    """The quote if there is one (with its language), else the paraphrase in italics."""
    if position.quote:
        text = plain(f"“{position.quote}”", limit=limit)
        if position.quote_lang:
            text.append(f" ({position.quote_lang})", style="dim")
        return text
    return Text(printable(position.paraphrase, one_line=True)[: limit or None], style="italic")


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
            p.confidence, statement(p, limit=80),
        )  # fmt: skip
    return table


def diff_view(change: Change) -> Group:
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
    summary = Text("change: ", style="bold")
    summary.append_text(marker_text(change))
    words = Text()
    for op, chunk in change.quote_diff:
        chunk = printable(chunk)
        if op == "equal":
            words.append(chunk)
        elif op == "delete":
            words.append(chunk, style="red strike")
        else:
            words.append(chunk, style="green underline")
    parts = [head, Text(), summary]
    if before.quote or after.quote:
        parts += [Text(), Text("quote, word by word (removed struck out, added underlined):", style="bold"), words]
    for label, p in (("before", before), ("after", after)):
        if p.paraphrase:
            parts += [Text(f"paraphrase {label}: ", style="bold") + plain(p.paraphrase, one_line=False)]
    return Group(*parts)


def movers_table(level: Level, movers: list[Mover]) -> Table:
    table = Table(title=Text(f"reached “{printable(level.label)}” or beyond"), title_justify="left", header_style="bold")
    for name in ("actor", "reached", "lag", "now"):
        table.add_column(name)
    for m in movers:
        if m.reached is None:
            reached, lag = Text("not yet", style="dim"), Text("")
        else:
            reached = Text(m.reached.display)
            lag = Text("first", style="bold green") if m.is_first else Text(f"{m.lag} later")
        now = level_text(m.current) if m.current else Text("")
        table.add_row(plain(m.actor_name), reached, lag, now)
    return table


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
