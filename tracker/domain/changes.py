"""Changes: what moved between an actor's consecutive positions on one question.

A change is derived, never stored. It has a direction and a size on the
question's scale, a class (``unchanged``; ``shift``; ``reversal``: crosses the
middle of the scale or moves half of it or more), the time elapsed in words,
and a word-level diff of the two quotes (worked out only when it is read: a
timeline or a report shows every change but no diff).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter

from tracker.domain.durations import elapsed_words
from tracker.domain.models import Position
from tracker.domain.quote_diff import word_diff
from tracker.errors import OutOfShape

CHANGE_CLASSES = ("unchanged", "shift", "reversal")
DIRECTIONS = ("up", "down", "none", "first")
FIRST = "first"
# Two positions on different questions (marked and compared with space then d): each stance is
# a level of its own question's scale, so they have no change class and no steps between them.
ACROSS = "across"
ACROSS_MARKER = "≠ different questions: stances not compared on one scale"

_MINUS = "\u2212"  # a real minus sign, the same width as "+"


def classify(scale_size: int, rank_a: int, rank_b: int) -> str:
    """Class of a move from ``rank_a`` to ``rank_b`` on a scale of ``scale_size`` levels.

    ``unchanged`` when the ranks are equal; ``reversal`` when the move crosses
    the middle of the scale (strictly: a move that starts or ends on the middle
    level of an odd scale does not cross it) or spans half of the scale or more;
    ``shift`` otherwise.
    """
    # Ranks come from the file: another program may have moved them off 0..n-1 (or left a
    # scale without levels), and then no move can be classed. One line, not a traceback.
    if scale_size < 1:
        raise _OffScale("a scale has no levels: the file was changed by another program: run `tracker check` for what to do")
    for rank in (rank_a, rank_b):
        if not 0 <= rank < scale_size:
            raise _OffScale(
                f"a stance has rank {rank}, but its scale's {scale_size} levels must be ranked 0..{scale_size - 1}:"
                " the file was changed by another program: run `tracker check` for what to do"
            )
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


# The same orders as sort keys that run in C (a sort of 100,000 positions calls its key
# 100,000 times): position_order(p) == POSITION_ORDER(p), and so on.
POSITION_ORDER = attrgetter("date.start", "date.end", "id")
_TIMELINE_ORDER = attrgetter("date.start", "date.end", "actor_slug", "id")


@dataclass(frozen=True)
class Change:
    """``after`` compared with the same actor's previous position on the question."""

    before: Position | None
    after: Position
    steps: int  # after.rank - before.rank; 0 for a first position
    direction: str  # "up", "down", "none", "first", or "across" (two questions)
    change_class: str  # one of CHANGE_CLASSES, "first", or "across" (two questions: no class)
    elapsed: str  # "1 year 11 months", "same day"...; "" for a first position

    @cached_property
    def quote_diff(self) -> list[tuple[str, str]]:
        """Word-level diff of the two quotes (``[]`` for a first position), computed on first use.

        It follows from ``before`` and ``after``, so it takes no part in equality.
        """
        if self.before is None:
            return []
        return word_diff(self.before.quote, self.after.quote)

    @property
    def is_first(self) -> bool:
        return self.before is None

    @property
    def is_across(self) -> bool:
        """Two positions on different questions: no steps, no class."""
        return self.change_class == ACROSS

    @property
    def marker(self) -> str:
        """A short plain-text marker: ``▲ +2 shift``, ``▼▼ −3 reversal``, ``= unchanged``, ``• first``."""
        if self.before is None:
            return "• first"
        if self.change_class == ACROSS:
            return ACROSS_MARKER
        if self.steps == 0:
            return "= unchanged"
        arrow = "▲" if self.steps > 0 else "▼"
        if self.change_class == "reversal":
            arrow *= 2
        sign = "+" if self.steps > 0 else _MINUS
        return f"{arrow} {sign}{abs(self.steps)} {self.change_class}"


def _change(before: Position | None, after: Position, steps: int, direction: str, change_class: str, elapsed: str) -> Change:
    """``Change(before, after, steps, direction, change_class, elapsed)``, made at a fraction of
    the cost (a report makes tens of thousands). The dataclass ``__init__`` of a frozen class
    sets each field through ``object.__setattr__``; giving the instance its dictionary whole
    makes the same record. (A whole new dictionary, not ``__dict__.update``: an instance
    dictionary filled in place shares its keys with the class, and Python 3.11 then reads its
    attributes the slow way.)"""
    change = object.__new__(Change)
    _set(change, "__dict__", {
        "before": before, "after": after, "steps": steps, "direction": direction, "change_class": change_class,
        "elapsed": elapsed,
    })  # fmt: skip
    return change


_set = object.__setattr__


def change_between(before: Position | None, after: Position, scale_size: int, *, with_diff: bool = True) -> Change:
    """The change from ``before`` (``None`` for a first position) to ``after``.

    With ``with_diff`` (the default) the quote diff is worked out now, in the caller's
    thread (the interface compares positions in a worker, then shows the diff);
    without it, on first use of :attr:`Change.quote_diff`, if ever.
    """
    if before is None:
        return _change(None, after, 0, FIRST, FIRST, "")
    rank_before, rank_after = before.level.rank, after.level.rank
    steps = rank_after - rank_before
    change = _change(
        before,
        after,
        steps,
        "up" if steps > 0 else "down" if steps < 0 else "none",
        classify(scale_size, rank_before, rank_after),
        elapsed_words(before.date, after.date),
    )
    if with_diff:
        change.quote_diff  # noqa: B018 (fills the cached property)
    return change


def change_across(before: Position, after: Position, *, with_diff: bool = True) -> Change:
    """Two positions on different questions, ``before`` the earlier: the time between them
    and the quote diff, but no steps and no class ("shift" or "reversal" would measure two
    questions on one scale)."""
    change = _change(before, after, 0, ACROSS, ACROSS, elapsed_words(before.date, after.date))
    if with_diff:
        change.quote_diff  # noqa: B018 (fills the cached property)
    return change


def with_previous(positions: Iterable[Position], *, in_order: bool = False) -> list[tuple[Position | None, Position]]:
    """Each position with the same actor's previous position on the same question (``None``
    for its first), in overall date order (date start, date end, actor slug, id): what
    :func:`changes_for` compares, without making the changes (a report of 100,000 statements,
    most of them an actor's first on a question, makes only the others).

    ``in_order``: the positions come in that order already (a report reads them so), and
    are not sorted again.
    """
    ordered = list(positions) if in_order else sorted(positions, key=_TIMELINE_ORDER)
    # In timeline order, an actor's positions on a question come in position order when its
    # slug is the same throughout, so each one's predecessor is the last one seen.
    last: dict[tuple[int, int], Position] = {}
    pairs: list[tuple[Position | None, Position]] = []
    append = pairs.append
    for position in ordered:
        key = (position.actor_id, position.question_id)
        previous = last.get(key)
        last[key] = position
        if previous is not None and previous.actor_slug != position.actor_slug:
            return _with_previous_by_group(ordered)  # one actor under several slugs: the long way
        append((previous, position))
    return pairs


def _with_previous_by_group(positions: Iterable[Position]) -> list[tuple[Position | None, Position]]:
    """:func:`with_previous`, one actor and question at a time."""
    groups: dict[tuple[int, int], list[Position]] = defaultdict(list)
    for position in positions:
        groups[(position.actor_id, position.question_id)].append(position)
    pairs: list[tuple[Position | None, Position]] = []
    for group in groups.values():
        group.sort(key=POSITION_ORDER)
        pairs += zip([None, *group], group)
    pairs.sort(key=lambda pair: _TIMELINE_ORDER(pair[1]))
    return pairs


def changes_for(
    positions: Iterable[Position], scale_sizes: Mapping[int, int] | int, *, with_diff: bool = False
) -> list[Change]:
    """One change per position, against the same actor's previous position on the same question.

    ``positions`` may mix actors and questions. ``scale_sizes`` maps a question
    id to the number of levels of its scale, or is one size for all. The result
    is in overall date order (date start, date end, actor slug, id). The quote
    diffs are left to be worked out on use unless ``with_diff`` (a timeline or
    a report shows none of them).
    """
    sizes: dict[int, int] = {}
    changes: list[Change] = []
    append = changes.append
    for previous, position in with_previous(positions):
        size = sizes.get(position.question_id)
        if size is None:
            size = sizes[position.question_id] = _scale_size(scale_sizes, position.question_id)
        append(change_between(previous, position, size, with_diff=with_diff))
    return changes


def _scale_size(scale_sizes: Mapping[int, int] | int, question_id: int) -> int:
    if isinstance(scale_sizes, int):
        return scale_sizes
    try:
        return scale_sizes[question_id]
    except KeyError:
        # The caller reads the scales of the questions it knows: a question missing from them
        # names a scale the file lacks (deleted by another program with foreign keys off).
        raise _NoScale(
            f"no scale size given for question {question_id}: its scale is missing from the file, which was changed"
            " by another program: run `tracker check` for what to do"
        ) from None


class _OffScale(OutOfShape, ValueError):
    """A rank off its scale: one line on the command line, a ValueError to code."""


class _NoScale(OutOfShape, KeyError):
    """A question whose scale cannot be found: one line on the command line, a KeyError to code."""

    __str__ = Exception.__str__
