"""Comparing two positions: the one function behind `tracker diff` and the interface's diff."""

from __future__ import annotations

from tracker.domain.changes import Change, change_across, change_between
from tracker.errors import TrackerError
from tracker.store import Store


def diff_positions(store: Store, ref: str | int, other: str | int | None = None) -> Change:
    """The change from ``other`` (default: the same actor's previous position on the
    question) to ``ref``; with two positions the earlier one comes first. Two positions on
    different questions (with one scale) get no change class: see :func:`change_across`."""
    after = store.position(ref)
    if other is None:
        before = store.previous_position(after)
        if before is None:
            raise TrackerError(
                f"first position of {after.actor_name} on “{after.question_title}”: "
                "nothing earlier to compare with"
            )
    else:
        before = store.position(other)
    scale_before = store.question(before.question_id).scale_key
    scale_after = store.question(after.question_id).scale_key
    if scale_before != scale_after:
        raise TrackerError("these positions use different scales; their stances cannot be compared")
    if (before.date.sort_key, before.id) > (after.date.sort_key, after.id):
        before, after = after, before
    if before.question_id != after.question_id:
        return change_across(before, after)
    return change_between(before, after, store.scale(scale_after).size)
