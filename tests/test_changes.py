import dataclasses
import itertools
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.domain.changes import (
    CHANGE_CLASSES,
    Change,
    change_between,
    changes_for,
    classify,
    position_order,
    timeline_order,
    with_previous,
)
from tracker.domain.dates import from_edtf
from tracker.domain.models import Position
from tracker.domain.quote_diff import word_diff
from tracker.domain.scales import AGREEMENT, COMMITMENT

_ids = itertools.count(1)

ACTORS = {1: ("france", "France"), 2: ("germany", "Germany"), 3: ("netherlands", "Netherlands")}


def pos(actor_id: int, level_key: str, edtf: str, quote: str = "", question_id: int = 1, id: int | None = None, scale=COMMITMENT) -> Position:
    pid = next(_ids) if id is None else id
    slug, name = ACTORS[actor_id]
    return Position(
        id=pid,
        uid=f"uid-{pid}",
        actor_id=actor_id,
        actor_slug=slug,
        actor_name=name,
        question_id=question_id,
        question_slug=f"q{question_id}",
        question_title=f"Question {question_id}",
        level=scale.level(level_key),
        date=from_edtf(edtf),
        quote=quote,
    )


# -- classify -------------------------------------------------------------------

COMMITMENT_TABLE = [
    (1, 2, "shift"),
    (0, 2, "shift"),
    (2, 3, "reversal"),  # crosses the middle (2.5)
    (0, 3, "reversal"),  # half the scale
    (4, 5, "shift"),
    (0, 1, "shift"),
    (3, 5, "shift"),
    (1, 4, "reversal"),
    (5, 0, "reversal"),
    (3, 2, "reversal"),
    (2, 2, "unchanged"),
]

AGREEMENT_TABLE = [
    (1, 2, "shift"),  # ends on the middle: does not cross it
    (1, 3, "reversal"),
    (2, 3, "shift"),
    (0, 1, "shift"),
    (3, 4, "shift"),
    (0, 2, "shift"),
    (2, 4, "shift"),
    (0, 3, "reversal"),
    (4, 1, "reversal"),
    (2, 2, "unchanged"),
]


@pytest.mark.parametrize("a, b, expected", COMMITMENT_TABLE)
def test_classify_commitment(a, b, expected):
    assert COMMITMENT.size == 6
    assert classify(COMMITMENT.size, a, b) == expected


@pytest.mark.parametrize("a, b, expected", AGREEMENT_TABLE)
def test_classify_agreement(a, b, expected):
    assert AGREEMENT.size == 5
    assert classify(AGREEMENT.size, a, b) == expected


@pytest.mark.parametrize("size", range(1, 12))
def test_classify_properties_exhaustive(size):
    for a in range(size):
        for b in range(size):
            cls = classify(size, a, b)
            assert cls in CHANGE_CLASSES
            # unchanged iff equal
            assert (cls == "unchanged") == (a == b)
            # direction does not matter, only the magnitude and where it sits
            assert classify(size, b, a) == cls
            # mirroring the scale does not matter either
            assert classify(size, size - 1 - a, size - 1 - b) == cls
            # a single step is never more than a shift unless it crosses the middle
            if abs(a - b) == 1 and size > 2:
                mid = (size - 1) / 2
                assert cls == ("reversal" if (a - mid) * (b - mid) < 0 else "shift")
            # half the scale or more is always a reversal
            if abs(a - b) >= size / 2:
                assert cls == "reversal"


def test_classify_refuses_ranks_off_the_scale():
    with pytest.raises(ValueError):
        classify(6, 0, 6)
    with pytest.raises(ValueError):
        classify(5, -1, 2)
    with pytest.raises(ValueError):
        classify(0, 0, 0)


# -- one change -------------------------------------------------------------------


def test_first_position():
    p = pos(1, "reluctant", "2022~", quote="not on the agenda")
    change = change_between(None, p, 6)
    assert change.before is None and change.after is p
    assert change.steps == 0
    assert change.direction == "first"
    assert change.change_class == "first"
    assert change.elapsed == ""
    assert change.quote_diff == []
    assert change.marker == "• first"
    assert change.is_first


def test_change_up_shift():
    a = pos(1, "ruled-out", "2022-03-01", quote="never tanks, never planes")
    b = pos(1, "not-excluded", "2024-02-26", quote="never tanks, always planes")
    change = change_between(a, b, COMMITMENT.size)
    assert change.steps == 2
    assert change.direction == "up"
    assert change.change_class == "shift"
    assert change.elapsed == "1 year 11 months"
    assert ("delete", "never") in change.quote_diff and ("insert", "always") in change.quote_diff
    assert change.marker == "▲ +2 shift"


def test_markers():
    lo = pos(1, "reluctant", "2023-01")
    hi = pos(1, "committed", "2023-06")
    mid = pos(1, "not-excluded", "2023-03")
    same = pos(1, "reluctant", "2023-02")
    assert change_between(hi, lo, 6).marker == "▼▼ \u22123 reversal"
    assert change_between(lo, hi, 6).marker == "▲▲ +3 reversal"
    assert change_between(mid, lo, 6).marker == "▼ \u22121 shift"
    assert change_between(lo, same, 6).marker == "= unchanged"
    unchanged = change_between(lo, same, 6)
    assert unchanged.direction == "none" and unchanged.change_class == "unchanged" and unchanged.steps == 0
    for c in (change_between(hi, lo, 6), change_between(lo, same, 6)):
        assert "[" not in c.marker  # plain text, no markup


def test_change_is_frozen_and_hashable():
    c = change_between(pos(1, "reluctant", "2023"), pos(1, "open", "2024"), 6)
    assert isinstance(c, Change)
    with pytest.raises(AttributeError):
        c.steps = 5  # type: ignore[misc]
    hash(c)


def test_elapsed_uses_the_coarser_precision():
    a = pos(1, "reluctant", "2024-02")
    b = pos(1, "open", "2024-02-26")
    assert change_between(a, b, 6).elapsed == "same month"
    c = pos(1, "open", "2022~")
    d = pos(1, "committed", "2024-02-26")
    assert change_between(c, d, 6).elapsed == "about 2 years"


# -- a timeline of changes ----------------------------------------------------------


def test_changes_for_two_actors_mixed_precision():
    f1 = pos(1, "ruled-out", "2022~", quote="never")
    f2 = pos(1, "not-excluded", "2024-02-26", quote="nothing should be excluded")
    f3 = pos(1, "not-excluded", "2024-02", quote="nothing is excluded")
    g1 = pos(2, "reluctant", "2023-01-25", quote="not on the agenda")
    g2 = pos(2, "committed", "2024-03-01", quote="we will send")
    g3 = pos(2, "open", "2024-03", quote="we may send")
    # f3 covers Feb 2024, starts 1 Feb: before f2 (26 Feb). g3 starts 1 Mar like g2 but ends later.
    changes = changes_for([g3, f2, g1, f3, g2, f1], COMMITMENT.size)
    assert [c.after for c in changes] == [f1, g1, f3, f2, g2, g3]

    by_after = {c.after.id: c for c in changes}
    assert by_after[f1.id].before is None and by_after[f1.id].marker == "• first"
    assert by_after[g1.id].before is None
    assert by_after[f3.id].before is f1
    assert by_after[f3.id].change_class == "shift" and by_after[f3.id].steps == 2
    assert by_after[f3.id].elapsed == "about 2 years"
    assert by_after[f2.id].before is f3
    assert by_after[f2.id].change_class == "unchanged"
    assert by_after[f2.id].elapsed == "same month"
    assert by_after[g2.id].before is g1
    assert by_after[g2.id].change_class == "reversal" and by_after[g2.id].steps == 3
    assert by_after[g2.id].elapsed == "1 year 1 month"
    assert by_after[g3.id].before is g2
    assert by_after[g3.id].direction == "down" and by_after[g3.id].marker == "▼ \u22121 shift"


def test_changes_for_separates_questions_and_uses_each_scale():
    a1 = pos(1, "reluctant", "2023-01-01", question_id=1)
    a2 = pos(1, "open", "2023-02-01", question_id=1)
    b1 = pos(1, "opposes", "2023-01-15", question_id=2, scale=AGREEMENT)
    b2 = pos(1, "supports", "2023-03-01", question_id=2, scale=AGREEMENT)
    changes = changes_for([a2, b2, a1, b1], {1: COMMITMENT.size, 2: AGREEMENT.size})
    assert [c.after for c in changes] == [a1, b1, a2, b2]
    assert [c.before for c in changes] == [None, None, a1, b1]
    assert changes[2].change_class == "reversal"  # 1 -> 3 on 6 levels crosses 2.5
    assert changes[3].change_class == "reversal"  # 1 -> 3 on 5 levels crosses 2


def test_changes_for_same_date_ties_by_id_then_slug():
    # Same actor, same day: ordered by id.
    a = pos(1, "reluctant", "2023-05-05", id=101)
    b = pos(1, "open", "2023-05-05", id=100)
    # Another actor the same day: overall order by slug (france < germany).
    c = pos(2, "open", "2023-05-05", id=50)
    changes = changes_for([a, c, b], 6)
    assert [ch.after.id for ch in changes] == [100, 101, 50]
    assert changes[1].before is b
    assert changes[1].elapsed == "same day"


def test_changes_for_empty_and_missing_scale():
    assert changes_for([], 6) == []
    with pytest.raises(KeyError):
        changes_for([pos(1, "open", "2023", question_id=9)], {1: 6})


# -- the quote diff, worked out on use ---------------------------------------------------


def test_quote_diff_is_worked_out_when_read():
    a = pos(1, "ruled-out", "2022-03-01", quote="never tanks, never planes")
    b = pos(1, "not-excluded", "2024-02-26", quote="never tanks, always planes")
    eager, lazy = change_between(a, b, 6), change_between(a, b, 6, with_diff=False)
    assert "quote_diff" in eager.__dict__ and "quote_diff" not in lazy.__dict__
    assert lazy == eager and hash(lazy) == hash(eager)
    assert lazy.quote_diff == eager.quote_diff == word_diff(a.quote, b.quote)
    assert change_between(None, b, 6, with_diff=False).quote_diff == []
    (first, second) = changes_for([b, a], 6)
    assert "quote_diff" not in second.__dict__ and second.quote_diff == eager.quote_diff
    assert changes_for([b, a], 6, with_diff=True)[1].__dict__["quote_diff"] == eager.quote_diff


# -- changes_for against the first implementation -------------------------------------------


def changes_for_reference(positions, scale_sizes):
    """The first implementation: group by actor and question, pair in date order, sort."""
    groups = defaultdict(list)
    for p in positions:
        groups[(p.actor_id, p.question_id)].append(p)
    changes = []
    for (_, question_id), group in groups.items():
        size = scale_sizes if isinstance(scale_sizes, int) else scale_sizes[question_id]
        group.sort(key=position_order)
        previous = None
        for p in group:
            changes.append(change_between(previous, p, size))
            previous = p
    changes.sort(key=lambda c: timeline_order(c.after))
    return changes


EDTFS = st.sampled_from(["2022", "2022~", "2022-06", "2022-06-01", "2022-06-15", "2022-06-15~", "2023-01", "2023-01-01", "2024-02-29"])
RAW = st.lists(
    st.tuples(st.integers(1, 3), st.integers(1, 2), st.integers(0, 4), EDTFS, st.integers(1, 80)),
    max_size=30,
    unique_by=lambda t: t[4],
)


def build(raw, slugs=None):
    out = []
    for actor_id, question_id, rank, edtf, pid in raw:
        p = pos(actor_id, AGREEMENT.levels[rank].key, edtf, question_id=question_id, id=pid, scale=AGREEMENT)
        if slugs is not None:  # the same actor under other slugs: records that come from no one file
            p = dataclasses.replace(p, actor_slug=slugs[pid % len(slugs)])
        out.append(p)
    return out


@settings(max_examples=300, deadline=None)
@given(RAW)
def test_changes_for_equals_the_reference(raw):
    positions = build(raw)
    assert changes_for(positions, 5) == changes_for_reference(positions, 5)
    assert changes_for(positions, {1: 5, 2: 5}) == changes_for_reference(positions, {1: 5, 2: 5})
    assert [c.after for c in changes_for(positions, 5)] == sorted(positions, key=timeline_order)
    assert with_previous(positions) == [(c.before, c.after) for c in changes_for_reference(positions, 5)]
    assert with_previous(sorted(positions, key=timeline_order), in_order=True) == with_previous(positions)


@settings(max_examples=100, deadline=None)
@given(RAW, st.lists(st.sampled_from(["a", "b", "zz"]), min_size=1, max_size=3))
def test_changes_for_equals_the_reference_with_inconsistent_slugs(raw, slugs):
    positions = build(raw, slugs)
    assert changes_for(positions, 5) == changes_for_reference(positions, 5)
    assert with_previous(positions) == [(c.before, c.after) for c in changes_for_reference(positions, 5)]
    assert with_previous(sorted(positions, key=timeline_order), in_order=True) == with_previous(positions)


def test_changes_for_still_wants_every_scale_size():
    with pytest.raises(KeyError, match="no scale size given for question 2"):
        changes_for([pos(1, "open", "2023", question_id=1), pos(2, "open", "2023", question_id=2)], {1: 6})


def test_changes_for_pairs_an_actor_under_two_slugs_in_date_order():
    early = dataclasses.replace(pos(1, "open", "2023-05-01", id=1), actor_slug="b")
    late = dataclasses.replace(pos(1, "committed", "2023-05-01", id=2), actor_slug="a")
    changes = changes_for([late, early], 6)
    assert changes == changes_for_reference([late, early], 6)
    assert [(c.before, c.after) for c in changes] == [(early, late), (None, early)]
