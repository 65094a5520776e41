"""Changes: what moved between an actor's consecutive positions on one question.

A change is derived, never stored. It has a direction and a size on the
question's scale, a class (``unchanged``; ``shift``; ``reversal``: crosses the
middle of the scale or moves half of it or more), the time elapsed in words,
and a word-level diff of the two quotes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from tracker.domain.dates import elapsed_words
from tracker.domain.models import Position
from tracker.domain.quote_diff import word_diff

CHANGE_CLASSES = ("unchanged", "shift", "reversal")
DIRECTIONS = ("up", "down", "none", "first")
FIRST = "first"

_MINUS = "\u2212"  # a real minus sign, the same width as "+"


def classify(scale_size: int, rank_a: int, rank_b: int) -> str:
    """Class of a move from ``rank_a`` to ``rank_b`` on a scale of ``scale_size`` levels.

    ``unchanged`` when the ranks are equal; ``reversal`` when the move crosses
    the middle of the scale (strictly: a move that starts or ends on the middle
    level of an odd scale does not cross it) or spans half of the scale or more;
    ``shift`` otherwise.
    """
    if scale_size < 1:
        raise ValueError(f"a scale has at least one level, not {scale_size}")
    for rank in (rank_a, rank_b):
        if not 0 <= rank < scale_size:
            raise ValueError(f"rank {rank} is not on a scale of {scale_size} levels (0..{scale_size - 1})")
    if rank_a == rank_b:
        return "unchanged"
    # Doubled to stay in integers: mid = (size - 1) / 2, so 2 * mid = size - 1.
    mid2 = scale_size - 1
    crosses = (2 * rank_a - mid2) * (2 * rank_b - mid2) < 0
    if crosses or 2 * abs(rank_b - rank_a) >= scale_size:
        return "reversal"
    return "shift"


def position_order(position: Position) -> tuple:
    """Chronological order of one actor's positions: date start, date end, then id."""
    return (position.date.start, position.date.end, position.id)


def timeline_order(position: Position) -> tuple:
    """Overall chronological order: date start, date end, actor slug, then id."""
    return (position.date.start, position.date.end, position.actor_slug, position.id)


@dataclass(frozen=True)
class Change:
    """``after`` compared with the same actor's previous position on the question."""

    before: Position | None
    after: Position
    steps: int  # after.rank - before.rank; 0 for a first position
    direction: str  # "up", "down", "none", or "first"
    change_class: str  # one of CHANGE_CLASSES, or "first"
    elapsed: str  # "1 year 11 months", "same day"...; "" for a first position
    quote_diff: list[tuple[str, str]] = field(default_factory=list, hash=False)

    @property
    def is_first(self) -> bool:
        return self.before is None

    @property
    def marker(self) -> str:
        """A short plain-text marker: ``▲ +2 shift``, ``▼▼ −3 reversal``, ``= unchanged``, ``• first``."""
        if self.before is None:
            return "• first"
        if self.steps == 0:
            return "= unchanged"
        arrow = "▲" if self.steps > 0 else "▼"
        if self.change_class == "reversal":
            arrow *= 2
        sign = "+" if self.steps > 0 else _MINUS
        return f"{arrow} {sign}{abs(self.steps)} {self.change_class}"


def change_between(before: Position | None, after: Position, scale_size: int) -> Change:
    """The change from ``before`` (``None`` for a first position) to ``after``."""
    if before is None:
        return Change(None, after, 0, FIRST, FIRST, "", [])
    steps = after.level.rank - before.level.rank
    direction = "up" if steps > 0 else "down" if steps < 0 else "none"
    return Change(
        before=before,
        after=after,
        steps=steps,
        direction=direction,
        change_class=classify(scale_size, before.level.rank, after.level.rank),
        elapsed=elapsed_words(before.date, after.date),
        quote_diff=word_diff(before.quote, after.quote),
    )


def changes_for(positions: Iterable[Position], scale_sizes: Mapping[int, int] | int) -> list[Change]:
    """One change per position, against the same actor's previous position on the same question.

    ``positions`` may mix actors and questions. ``scale_sizes`` maps a question
    id to the number of levels of its scale, or is one size for all. The result
    is in overall date order (date start, date end, actor slug, id).
    """
    groups: dict[tuple[int, int], list[Position]] = defaultdict(list)
    for position in positions:
        groups[(position.actor_id, position.question_id)].append(position)

    changes: list[Change] = []
    for (_actor_id, question_id), group in groups.items():
        if isinstance(scale_sizes, int):
            size = scale_sizes
        else:
            try:
                size = scale_sizes[question_id]
            except KeyError:
                raise KeyError(f"no scale size given for question {question_id}") from None
        group.sort(key=position_order)
        previous: Position | None = None
        for position in group:
            changes.append(change_between(previous, position, size))
            previous = position
    changes.sort(key=lambda change: timeline_order(change.after))
    return changes
