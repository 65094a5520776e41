"""Mermaid charts: a question's timeline as a Mermaid ``timeline`` block (``--mermaid``),
its labels made of user text that Mermaid cannot read as syntax."""

from __future__ import annotations

from collections.abc import Sequence

from tracker.domain.models import Statement
from tracker.domain.text import printable

__all__ = ["mermaid_text", "timeline_chart"]

# Mermaid's timeline lexer reads "#" and "%%" as comments, ":" as the event
# separator, ";" as the end of a title and a newline as the end of a statement;
# its labels may be read as HTML, and a backtick could close the code fence.
# Each is replaced by a look-alike that means nothing to it.
_MERMAID = str.maketrans(
    {
        ":": "\u2236",  # ∶ ratio
        "#": "\uff03",  # ＃
        ";": "\uff1b",  # ；
        "%": "\uff05",  # ％
        "<": "\u2039",  # ‹
        ">": "\u203a",  # ›
        "&": "\uff06",  # ＆
        "`": "\u02cb",  # ˋ
        "{": "(",
        "}": ")",
        "\\": "\u29f5",  # ⧵
        '"': "\u201d",
    }
)


def mermaid_text(text: str | None) -> str:
    """User text for a Mermaid timeline label: one line, nothing Mermaid would read as syntax."""
    if not text:
        return ""
    return " ".join(printable(text, one_line=True).translate(_MERMAID).split())


def timeline_chart(title: str, positions: Sequence[Statement], *, show_actor: bool) -> list[str]:
    """The lines of a Mermaid ``timeline`` block of ``positions`` (in timeline order): a
    section a year, an event a date, each naming the stance (and the actor, ``show_actor``)."""
    out = ["```mermaid", "timeline"]
    if mermaid_text(title):
        out.append(f"    title {mermaid_text(title)}")
    year = None
    period: str | None = None
    events: list[str] = []

    def flush() -> None:
        if period is not None:
            out.append(f"        {period} : " + " : ".join(events))

    for p in positions:
        if p.date.start.year != year:
            flush()
            period, events = None, []
            year = p.date.start.year
            out.append(f"    section {year}")
        if p.date.display != period:
            flush()
            period, events = p.date.display, []
        label = mermaid_text(p.level.label) or "?"
        events.append(f"{mermaid_text(p.actor_name)} — {label}" if show_actor else label)
    flush()
    out.append("```")
    return out
