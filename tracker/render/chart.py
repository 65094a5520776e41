"""The swimlane chart: actors by time, each cell in the colour and mark of its stance."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.cells import set_cell_size
from rich.console import Group
from rich.style import Style
from rich.text import Text

from tracker.domain.text import printable
from tracker.render.styles import colour_style

if TYPE_CHECKING:
    from tracker.domain.models import Scale
    from tracker.domain.swimlane import Axis, Lane


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
