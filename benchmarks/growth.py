"""How each benchmark figure grows with the file: the growth table of RESULTS.md and its chart.

``benchmarks/run.py --sizes 10000,100000,1000000,5000000`` measures every figure at each
size; this module turns those results into a table (one row a measure, one column a size)
and an SVG chart drawn by hand (no plotting library): log-log axes, the positions across,
the figure up, one line a measure, ours solid and the reference dashed. Times are in one
panel (in ms) and peak memory in another (in MB).
"""

from __future__ import annotations

import math
import re
from html import escape

GROWTH_GOAL = 2.0  # keypress and question opening: within 2x of their figure at the smallest size
HELD = ("keys-", "question")  # the measures that GROWTH_GOAL applies to (a prefix of their name)

# Colours that stay apart from each other on white (Tableau's 20, dark ones first).
COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd"]  # fmt: skip


def fmt(value: float | None, unit: str = "") -> str:
    """A figure with its unit: three significant digits, at least (12.3 ms, 1,234 ms)."""
    if value is None:
        return "—"
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return f"{value:,.{digits}f}" + (f" {unit}" if unit else "")


def name(label: str) -> str:
    """A result's label without its size ("JSONL import, 1,000,000 positions" → "JSONL import")."""
    return re.sub(r", [\d,]+ positions\b", "", label)


def held(measure: str) -> bool:
    return measure.startswith(HELD)


def series(results: list, sizes: list[int]) -> list[dict]:
    """One entry a measure with a figure at some size: its name, unit and, by size, ours and the reference."""
    out: dict[str, dict] = {}
    for r in results:
        if r.ours is None or r.goal == "zero" or r.size not in sizes:
            continue  # an error, a skipped line, a count of plans
        entry = out.setdefault(r.measure, {"measure": r.measure, "name": name(r.label), "unit": r.unit,
                                           "ours": {}, "reference": {}, "reference_command": r.reference_command})  # fmt: skip
        entry["ours"][r.size] = r.ours
        if r.reference is not None:
            entry["reference"][r.size] = r.reference
    return list(out.values())


def growth_of(entry: dict) -> float | None:
    """Ours at the largest size over ours at the smallest."""
    ours = entry["ours"]
    if len(ours) < 2 or not ours[min(ours)]:
        return None
    return ours[max(ours)] / ours[min(ours)]


def growth_section(results: list, sizes: list[int], chart: str = "") -> list[str]:
    """The growth table (markdown): a row a measure (and one for its reference), a column a size."""
    lines = [
        "### Growth",
        "",
        "Each figure at each size (medians; the reference's on the row below ours). The last column is ours at "
        f"{sizes[-1]:,} over ours at {sizes[0]:,}; a keypress and opening a question must stay within "
        f"{GROWTH_GOAL:g}x of their figure at {sizes[0]:,} positions, at every size.",
        "",
    ]
    if chart:
        lines += [f"![How each figure grows with the file]({chart})", ""]
    lines += [
        "| measure | " + " | ".join(f"{size:,}" for size in sizes) + " | growth | goal |",
        "| --- | " + " | ".join("---:" for _ in sizes) + " | ---: | --- |",
    ]
    for entry in series(results, sizes):
        growth = growth_of(entry)
        goal, verdict = "—", ""
        if held(entry["measure"]) and growth is not None:  # at every size, not only the largest
            ours = entry["ours"]
            worst = max(value / ours[min(ours)] for value in ours.values())
            goal = f"≤ {GROWTH_GOAL:g}x"
            verdict = " met" if worst <= GROWTH_GOAL else f" **MISSED** ({fmt(worst)}x)" if worst != growth else " **MISSED**"
        cells = " | ".join(fmt(entry["ours"].get(size), entry["unit"]) for size in sizes)
        lines.append(f"| {entry['name']} | {cells} | {fmt(growth) + 'x' if growth else '—'} | {goal}{verdict} |")
        if entry["reference"]:
            cells = " | ".join(fmt(entry["reference"].get(size), entry["unit"]) for size in sizes)
            lines.append(f"| … reference | {cells} | | |")
    return lines


# ---------------------------------------------------------------------- the chart

WIDTH, PANEL_H = 1100, 420
LEFT, RIGHT, TOP, BOTTOM = 80, 30, 60, 50  # margins of each panel
GAP = 50  # between a panel's legend and the next panel
LEGEND_COLUMNS, LEGEND_ROW = 2, 20


def to_ms(value: float, unit: str) -> float:
    return value * 1000 if unit == "s" else value


def log_ticks(low: float, high: float) -> list[float]:
    """Powers of ten from below ``low`` to above ``high``."""
    return [10.0**e for e in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)]


def tick_text(value: float, unit: str) -> str:
    if unit == "ms" and value >= 1000:
        return f"{value / 1000:g} s"
    if value >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if value >= 1000 and unit == "MB":
        return f"{value / 1000:g} GB"
    if value >= 1000 and unit == "":
        return f"{value / 1000:g}k"
    return f"{value:g}" + (f" {unit}" if unit else "")


def panel(entries: list[dict], sizes: list[int], top: float, title: str, unit: str) -> tuple[list[str], float]:
    """One log-log panel of ``entries`` (values in ``unit``), its top edge at ``top``, with its
    legend below it; and the bottom of that legend."""
    values = [v for e in entries for side in ("ours", "reference") for v in e[side].values() if v > 0]
    if not values:
        return [], top
    colours = {e["measure"]: COLOURS[i % len(COLOURS)] for i, e in enumerate(entries)}
    ys = log_ticks(min(values), max(values))
    low, high = math.log10(min(sizes)) - 0.15, math.log10(max(sizes)) + 0.15  # the sizes, a little in from the edges
    x0, x1 = LEFT, WIDTH - RIGHT
    y0, y1 = top + PANEL_H, top  # the bottom and the top of the plot

    def x(size: float) -> float:
        return x0 + (math.log10(size) - low) / (high - low) * (x1 - x0)

    def y(value: float) -> float:
        return y0 - (math.log10(value) - math.log10(ys[0])) / (math.log10(ys[-1]) - math.log10(ys[0]) or 1) * (y0 - y1)

    out = [f'<text x="{x0}" y="{top - 12}" class="panel">{escape(title)}</text>',
           f'<rect x="{x0}" y="{y1}" width="{x1 - x0}" height="{y0 - y1}" class="frame"/>']  # fmt: skip
    for tick in ys:
        out.append(f'<line x1="{x0}" x2="{x1}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" class="grid"/>')
        out.append(f'<text x="{x0 - 6}" y="{y(tick) + 4:.1f}" class="tick" text-anchor="end">{tick_text(tick, unit)}</text>')
    for size in sizes:
        out.append(f'<line x1="{x(size):.1f}" x2="{x(size):.1f}" y1="{y1}" y2="{y0}" class="grid"/>')
        out.append(f'<line x1="{x(size):.1f}" x2="{x(size):.1f}" y1="{y0}" y2="{y0 + 5}" class="axis"/>')
        out.append(f'<text x="{x(size):.1f}" y="{y0 + 18}" class="tick" text-anchor="middle">{tick_text(size, "")}</text>')
    out.append(f'<text x="{(x0 + x1) / 2}" y="{y0 + 38}" class="label" text-anchor="middle">positions in the file (log)</text>')
    out.append(f'<text transform="translate({x0 - 52},{(y0 + y1) / 2}) rotate(-90)" class="label" text-anchor="middle">'
               f"{escape(unit)} (log)</text>")  # fmt: skip
    drawn_references: set = set()
    for e in entries:
        colour = colours[e["measure"]]
        for side, dash in (("ours", ""), ("reference", ' stroke-dasharray="6 4"')):
            points = sorted((s, v) for s, v in e[side].items() if v > 0)
            if side == "reference":
                key = (e["reference_command"], tuple(points))
                if key in drawn_references:
                    continue  # the same reference as a line already drawn (the bare app's table for every list)
                drawn_references.add(key)
            if not points:
                continue
            path = " ".join(f"{x(s):.1f},{y(v):.1f}" for s, v in points)
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
            out += [f'<circle cx="{x(s):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>' for s, v in points]
    legend_top = y0 + 62
    for i, e in enumerate(entries):
        lx = LEFT + (i % LEGEND_COLUMNS) * ((WIDTH - LEFT - RIGHT) // LEGEND_COLUMNS)
        ly = legend_top + (i // LEGEND_COLUMNS) * LEGEND_ROW
        out.append(f'<line x1="{lx}" x2="{lx + 28}" y1="{ly}" y2="{ly}" stroke="{colours[e["measure"]]}" stroke-width="3"/>')
        out.append(f'<text x="{lx + 34}" y="{ly + 4}" class="legend">{escape(e["name"])}</text>')
    return out, legend_top + math.ceil(len(entries) / LEGEND_COLUMNS) * LEGEND_ROW


def growth_svg(results: list, sizes: list[int]) -> str:
    """The chart: times in one panel, peak memory in another, a legend below."""
    entries = series(results, sizes)
    times = [dict(e, unit="ms", ours={s: to_ms(v, e["unit"]) for s, v in e["ours"].items()},
                  reference={s: to_ms(v, e["unit"]) for s, v in e["reference"].items()})
             for e in entries if e["unit"] in ("ms", "s")]  # fmt: skip
    memory = [e for e in entries if e["unit"] == "MB"]
    body, top = [], TOP + 30
    for group, title, unit in ((times, "Time", "ms"), (memory, "Peak memory", "MB")):
        drawn, bottom = panel(group, sizes, top, title, unit)
        if drawn:
            body += drawn
            top = bottom + GAP
    height = top
    sizes_text = ", ".join(f"{s:,}" for s in sizes)
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        'font-family="DejaVu Sans, Arial, sans-serif">',
        "<style>.title{font-size:20px;font-weight:bold}.subtitle{font-size:13px;fill:#444}.panel{font-size:15px;"
        "font-weight:bold}.tick{font-size:11px;fill:#333}.label{font-size:13px}.legend{font-size:12px}"
        ".grid{stroke:#ddd;stroke-width:1}.frame{fill:none;stroke:#888}.axis{stroke:#333}</style>",
        f'<rect width="{WIDTH}" height="{height}" fill="white"/>',
        f'<text x="{LEFT}" y="32" class="title">Position Tracker: how each figure grows with the file</text>',
        f'<text x="{LEFT}" y="54" class="subtitle">{sizes_text} positions; medians; ours solid, the reference dashed '
        "(one dashed line for a reference shared by several measures)</text>",
        *body,
        "</svg>",
        "",
    ])  # fmt: skip
