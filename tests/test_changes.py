import itertools

import pytest

from tracker.domain.changes import CHANGE_CLASSES, Change, change_between, changes_for, classify
from tracker.domain.dates import from_edtf
from tracker.domain.models import Position
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
