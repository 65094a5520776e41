"""The movers answer as markdown (``tracker export markdown --movers``): the summary sentence,
then a table per question of who reached the level, when they last refused it, how and how
late, and the actors that have not reached it. User text goes through the report's escaping
(:func:`tracker.formats.markdown.cell` and ``inline``), so it can never break a table."""

from __future__ import annotations

from typing import IO

from tracker.domain.movers import MoversReport, QuestionMovers
from tracker.formats.markdown import cell, inline, lines

HEADER = ("Actor", "Refused", "Reached", "By", "Refusal → reach", "Lag")

HOW_TO_READ = (
    "*How to read this.* An actor reaches the level with its first position at or above it: a **move** when it"
    " had an earlier position below it, an **entry** when its first recorded position is already there (it was"
    " there by then). The first movers are those with the earliest date; the lag of the others counts from"
    " theirs. *Refused* is the actor's last position at or below the refusal level before it reached the level,"
    " and *refusal → reach* the time between the two. Durations run between the starts of the two dates;"
    " *c.* marks one that involves a date known only to the month or year, or an approximate date."
)


def _table(q: QuestionMovers) -> list[str]:
    out = ["| " + " | ".join(HEADER) + " |", "|" + "|".join(" --- " for _ in HEADER) + "|"]
    for r in q.reached:
        row = (
            cell(r.actor_name),
            r.refusal.date.display if r.refusal else "—",
            r.date.display,
            r.by,
            str(r.refusal_to_reach) if r.refusal_to_reach else "—",
            "**first**" if r.is_first else str(r.lag),
        )
        out.append("| " + " | ".join(row) + " |")
    return out


def _question(q: QuestionMovers) -> list[list[str]]:
    blocks = [[f"## {inline(q.question.title)}"]]
    if q.question.description:
        blocks.append(lines(q.question.description))
    if not q.reached and not q.not_reached:
        return blocks + [["No positions on this question yet."]]
    if q.first:
        names = ", ".join(inline(r.actor_name) for r in q.first)
        blocks.append([f"First to reach {inline(q.level.label)}: **{names}**, {q.first[0].date.display}."])
        blocks.append(_table(q))
    else:
        blocks.append([f"No actor has reached {inline(q.level.label)} yet."])
    if q.not_reached:
        others = ", ".join(f"{inline(n.actor_name)} ({inline(n.latest.label)} since {n.since.display})" for n in q.not_reached)
        blocks.append([f"Not yet: {others}."])
    return blocks


def write_movers(report: MoversReport, out: IO[str]) -> int:
    """Write the report; returns the number of questions in it."""
    level, refusal = inline(report.level.label), inline(report.refusal_level.label)
    blocks = [
        [f"# Movers: who reached {level}"],
        [f"*{inline(report.sentence)}*"],
        [
            f"Level reached: **{level}**. A refusal is a position at **{refusal}** or below."
            + (" Roll-up: every actor's positions count for its top-level parent (a leader's for its government)."
               if report.roll_up else "")  # fmt: skip
        ],
    ]
    for q in report.questions:
        blocks += _question(q)
    blocks.append([HOW_TO_READ])
    out.write("\n\n".join("\n".join(block) for block in blocks) + "\n")
    return len(report.questions)
