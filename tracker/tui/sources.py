"""What the interface's lists show: counts and pages from the store, rows as Rich Text.

User text goes through ``printable`` into ``Text``: never markup, never a raw
control character.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.text import Text

from tracker.domain.changes import Change, change_between
from tracker.domain.models import Actor, Question
from tracker.domain.text import printable
from tracker.render import level_style
from tracker.store import Store


def shrink(width: int, wanted: list[int], least: list[int]) -> list[int]:
    """Widths for columns that want ``wanted`` cells and fit in ``width``: when there is not
    room, the first column gives up cells first, each down to its ``least``."""
    over = sum(wanted) - width
    out = []
    for want, low in zip(wanted, least):
        cut = max(0, min(over, want - low))
        out.append(want - cut)
        over -= cut
    return out


def cell(text: str, width: int) -> str:
    """``text`` on one line, cut or padded to ``width`` terminal cells (wide
    characters such as emoji count twice, so columns stay aligned)."""
    value = printable(text, one_line=True)
    if cell_len(value) > width:
        return set_cell_size(value, width - 1) + "…"
    return set_cell_size(value, width)


# A position row's columns that narrow on a small terminal, in that order: (wanted, least) cells.
NARROWING = {"question": (28, 12), "actor": (24, 12)}
STATEMENT_AT_LEAST = 20  # cells of the quote kept before they narrow


@dataclass
class QuestionsSource:
    empty = "No questions yet: press n to add a position, or import a file with `tracker import`."

    def count(self, store: Store) -> int:
        return store.count_questions()

    def fetch(self, store: Store, offset: int, limit: int) -> list[Question]:
        return store.questions(limit=limit, offset=offset)

    def render(self, q: Question, width: int) -> Text:
        text = Text(cell(q.title, 60))
        text.append("  " + cell(q.slug, 28), style="dim")
        text.append("  " + cell(q.scale_key, 12), style="italic")
        if q.tags:
            text.append("  " + printable(" ".join(f"#{t}" for t in q.tags), one_line=True), style="dim")
        return text


@dataclass
class ActorsSource:
    empty = "No actors yet."

    def count(self, store: Store) -> int:
        return store.count_actors()

    def fetch(self, store: Store, offset: int, limit: int) -> list[Actor]:
        return store.actors(limit=limit, offset=offset)

    def render(self, a: Actor, width: int) -> Text:
        text = Text(cell(a.name, 36))
        text.append("  " + cell(a.kind, 12), style="italic")
        text.append("  " + cell(a.country or "", 2))
        text.append("  " + cell(a.parent_slug or "", 20), style="dim")
        if a.aliases:
            text.append("  " + printable(", ".join(a.aliases), one_line=True), style="dim")
        return text


@dataclass
class PositionsSource:
    """Positions in date order, each with its change against the actor's previous one."""

    actor_id: int | None = None
    question_id: int | None = None
    show_actor: bool = True
    show_question: bool = True
    empty = "No positions here yet: press n to add one."

    def count(self, store: Store) -> int:
        return store.count_positions(actor_id=self.actor_id, question_id=self.question_id)

    def fetch(self, store: Store, offset: int, limit: int) -> list[Change]:
        sizes = {s.key: s.size for s in store.scales()}
        scale_of: dict[int, int] = {}
        out = []
        for p in store.positions(actor_id=self.actor_id, question_id=self.question_id, limit=limit, offset=offset):
            if p.question_id not in scale_of:
                scale_of[p.question_id] = sizes[store.question(p.question_id).scale_key]
            out.append(change_between(store.previous_position(p), p, scale_of[p.question_id]))
        return out

    def render(self, change: Change, width: int) -> Text:
        """Date, actor, question, stance, change, then the quote (or paraphrase) in what is left.
        On a narrow terminal the question and then the actor columns narrow, so that the stance
        and the change stay whole."""
        p = change.after
        shown = {"question": self.show_question, "actor": self.show_actor}
        columns = [name for name in NARROWING if shown[name]]
        fixed = 14 + 2 * len(columns) + (2 + 14) * 2 + 2  # date, the gaps, stance, change, the gap before the quote
        wanted = [NARROWING[name][0] for name in columns] + [STATEMENT_AT_LEAST]
        least = [NARROWING[name][1] for name in columns] + [0]
        widths = dict(zip(columns, shrink(width - fixed, wanted, least)))
        text = Text.assemble((p.date.display.rjust(14), "bold"))  # a span: Text(style=) would embolden the row
        if self.show_actor:
            text.append("  " + cell(p.actor_name, widths["actor"]))
        if self.show_question:
            text.append("  " + cell(p.question_title, widths["question"]), style="italic")
        text.append("  ")
        text.append(cell(p.level.label, 14), style=level_style(p.level))
        marker = change.marker if change.before is not None else ""
        text.append("  " + cell(marker, 14), style="yellow" if change.change_class == "shift" else "bold red" if change.change_class == "reversal" else "dim")
        statement = f"“{p.quote}”" if p.quote else p.paraphrase
        text.append("  " + printable(statement, one_line=True), style="" if p.quote else "italic")
        return text
