import itertools
from datetime import date

import pytest

from tracker.domain.dates import from_edtf
from tracker.domain.models import Position
from tracker.domain.movers import Mover, as_of, movers, movers_by_level, reach_by_level
from tracker.domain.scales import COMMITMENT

_ids = itertools.count(1)

ACTORS = {
    1: ("france", "France"),
    2: ("germany", "Germany"),
    3: ("netherlands", "Netherlands"),
    4: ("belgium", "Belgium"),
    5: ("poland", "Poland"),
}

COMMITTED = COMMITMENT.level("committed").rank


def pos(actor_id: int, level_key: str, edtf: str, question_id: int = 1, id: int | None = None) -> Position:
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
        level=COMMITMENT.level(level_key),
        date=from_edtf(edtf),
    )


def names(result: list[Mover]) -> list[str]:
    return [m.actor_name for m in result]


def test_france_first_germany_later_netherlands_never():
    f1 = pos(1, "open", "2022-11")
    f2 = pos(1, "committed", "2023-01")
    f3 = pos(1, "implemented", "2023-06-10")
    g1 = pos(2, "reluctant", "2022-12-01")
    g2 = pos(2, "committed", "2023-01-25")
    n1 = pos(3, "reluctant", "2023-02-01")
    n2 = pos(3, "open", "2023-09")

    result = movers([n2, g2, f3, n1, f1, g1, f2], COMMITTED)
    assert names(result) == ["France", "Germany", "Netherlands"]
    france, germany, netherlands = result

    assert france.is_first and france.lag == "" and france.lag_days == 0
    assert france.reached == from_edtf("2023-01") and france.position is f2
    assert france.current == COMMITMENT.level("implemented")
    assert france.actor_slug == "france" and france.actor_id == 1

    assert not germany.is_first
    assert germany.position is g2 and germany.reached == from_edtf("2023-01-25")
    assert germany.lag_days == 24
    assert germany.lag == "same month"  # Jan 2023 is only known to the month
    assert germany.current == COMMITMENT.level("committed")

    assert netherlands.reached is None and netherlands.position is None
    assert netherlands.lag == "" and netherlands.lag_days is None and not netherlands.is_first
    assert netherlands.current == COMMITMENT.level("open")


def test_lag_in_words_at_day_precision():
    f = pos(1, "committed", "2023-01-05")
    g = pos(2, "committed", "2023-08-20")
    p = pos(5, "implemented", "2024-02-26")
    result = movers([p, g, f], COMMITTED)
    assert names(result) == ["France", "Germany", "Poland"]
    assert [m.lag for m in result] == ["", "7 months 15 days", "1 year 1 month"]
    assert [m.lag_days for m in result] == [0, 227, 417]


def test_ties_are_all_first_movers_sorted_by_name():
    g = pos(2, "committed", "2023-01-25")
    f = pos(1, "committed", "2023-01-25")
    b = pos(4, "implemented", "2023-01-25")  # above the threshold counts too
    n = pos(3, "committed", "2023-03-01")
    result = movers([n, g, f, b], COMMITTED)
    assert names(result) == ["Belgium", "France", "Germany", "Netherlands"]
    assert [m.is_first for m in result] == [True, True, True, False]
    assert [m.lag for m in result] == ["", "same day", "same day", "1 month 4 days"]
    assert [m.lag_days for m in result] == [0, 0, 0, 35]


def test_going_back_below_the_threshold_keeps_the_first_reach():
    f1 = pos(1, "committed", "2023-01-10")
    f2 = pos(1, "reluctant", "2023-05-01")
    g1 = pos(2, "committed", "2023-02-10")
    result = movers([f2, g1, f1], COMMITTED)
    assert names(result) == ["France", "Germany"]
    assert result[0].position is f1
    assert result[0].current == COMMITMENT.level("reluctant")


def test_never_reached_sorted_by_name_and_no_one_reached():
    result = movers([pos(3, "open", "2023"), pos(1, "reluctant", "2023"), pos(2, "ruled-out", "2022")], COMMITTED)
    assert names(result) == ["France", "Germany", "Netherlands"]
    assert all(m.reached is None and not m.is_first and m.lag == "" for m in result)
    assert movers([], COMMITTED) == []


def test_same_actor_ties_broken_by_end_then_id():
    month = pos(1, "committed", "2023-01", id=500)
    day = pos(1, "committed", "2023-01-01", id=900)
    assert movers([month, day], COMMITTED)[0].position is day  # same start, earlier end
    a = pos(2, "committed", "2023-02-02", id=20)
    b = pos(2, "implemented", "2023-02-02", id=10)
    only = movers([a, b], COMMITTED)[0]
    assert only.position is b  # same interval, lower id
    assert only.current == COMMITMENT.level("committed")  # latest is the higher id


def test_movers_refuses_several_questions():
    with pytest.raises(ValueError):
        movers([pos(1, "open", "2023", question_id=1), pos(2, "open", "2023", question_id=2)], 1)


def test_movers_by_level():
    f1 = pos(1, "reluctant", "2022")
    f2 = pos(1, "committed", "2023-01")
    g1 = pos(2, "open", "2022-06")
    result = movers_by_level([f1, f2, g1], COMMITMENT)
    assert list(result) == ["reluctant", "not-excluded", "open", "committed"]
    assert names(result["reluctant"]) == ["France", "Germany"]
    assert result["reluctant"][0].is_first and result["reluctant"][1].lag_days == 151
    assert names(result["open"]) == ["Germany", "France"]
    assert result["open"][1].lag == "7 months"
    assert [m.reached is None for m in result["committed"]] == [False, True]
    assert movers_by_level([], COMMITMENT) == {}
    assert movers_by_level([pos(1, "ruled-out", "2022")], COMMITMENT) == {}


# -- as of ---------------------------------------------------------------------------


def test_as_of_boundaries():
    f1 = pos(1, "reluctant", "2023-01-31")
    f2 = pos(1, "open", "2023-02")  # starts 1 Feb, covers the month
    f3 = pos(1, "committed", "2023-02-15")
    g1 = pos(2, "open", "2023~")  # starts 1 Jan 2023
    ps = [f3, g1, f2, f1]

    assert as_of(ps, date(2022, 12, 31)) == {}
    assert as_of(ps, date(2023, 1, 1)) == {2: g1}
    assert as_of(ps, date(2023, 1, 31)) == {1: f1, 2: g1}
    assert as_of(ps, date(2023, 2, 1)) == {1: f2, 2: g1}  # the month starts on that day
    assert as_of(ps, date(2023, 2, 14)) == {1: f2, 2: g1}
    assert as_of(ps, date(2023, 2, 15)) == {1: f3, 2: g1}


def test_as_of_uses_the_end_of_the_users_date():
    f1 = pos(1, "reluctant", "2023-01-31")
    f2 = pos(1, "open", "2023-02-20")
    user = from_edtf("2023-02")  # "as of Feb 2023" includes all of February
    assert as_of([f1, f2], user.end) == {1: f2}
    assert as_of([f1, f2], user) == {1: f2}
    assert as_of([f1, f2], from_edtf("2023-01").end) == {1: f1}


def test_as_of_same_start_ties():
    day = pos(1, "committed", "2023-02-01", id=1)
    month = pos(1, "open", "2023-02", id=2)
    assert as_of([month, day], date(2023, 2, 1)) == {1: month}  # later end wins
    a = pos(2, "open", "2023-03-03", id=30)
    b = pos(2, "committed", "2023-03-03", id=31)
    assert as_of([b, a], date(2023, 3, 3)) == {2: b}  # then the higher id


# -- the one-pass computation against the first, level-by-level one -------------------------

from collections import defaultdict  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tracker.domain.changes import position_order, timeline_order  # noqa: E402
from tracker.domain.dates import elapsed_words  # noqa: E402


def movers_reference(positions, threshold_rank):
    """The first implementation: per threshold, scan each actor's positions for the first hit."""
    actors = defaultdict(list)
    for p in positions:
        actors[p.actor_id].append(p)
    for group in actors.values():
        group.sort(key=position_order)
    reached, never = [], []
    for group in actors.values():
        hit = next((p for p in group if p.level.rank >= threshold_rank), None)
        if hit is None:
            never.append(group[-1])
        else:
            reached.append((hit, group[-1]))
    reached.sort(key=lambda pair: (pair[0].date.start, pair[0].date.end, pair[0].actor_name, pair[0].actor_id))
    never.sort(key=lambda p: (p.actor_name, p.actor_id))
    result = []
    if reached:
        leader = reached[0][0]
        for hit, latest in reached:
            lag_days = (hit.date.start - leader.date.start).days
            result.append(
                Mover(hit.actor_id, hit.actor_slug, hit.actor_name, hit.date, hit,
                      "" if hit is leader else elapsed_words(leader.date, hit.date), lag_days, lag_days == 0, latest.level)
            )  # fmt: skip
    for latest in never:
        result.append(Mover(latest.actor_id, latest.actor_slug, latest.actor_name, None, None, "", None, False, latest.level))
    return result


def movers_by_level_reference(positions, scale):
    top = max((p.level.rank for p in positions), default=-1)
    return {lv.key: movers_reference(positions, lv.rank) for lv in sorted(scale.levels, key=lambda lv: lv.rank) if 0 < lv.rank <= top}


EDTFS = st.sampled_from(
    ["2021", "2022", "2022~", "2022-01", "2022-06", "2022-06-01", "2022-06-15", "2022-06-15~", "2022-12-31", "2023-01", "2023-01-01", "2024-02-29"]
)
RAW_POSITIONS = st.lists(
    st.tuples(st.integers(1, 5), st.sampled_from([lv.key for lv in COMMITMENT.levels]), EDTFS, st.integers(1, 60)),
    max_size=40,
    unique_by=lambda t: t[3],
)


@settings(max_examples=300, deadline=None)
@given(RAW_POSITIONS, st.integers(-2, 8))
def test_movers_equal_the_reference(raw, threshold):
    ps = [pos(a, key, edtf, id=i) for a, key, edtf, i in raw]
    assert movers(ps, threshold) == movers_reference(ps, threshold)
    assert movers_by_level(ps, COMMITMENT) == movers_by_level_reference(ps, COMMITMENT)
    # In timeline order, as a report reads them: the same without sorting them again.
    ordered = sorted(ps, key=timeline_order)
    assert reach_by_level(ordered, COMMITMENT, in_order=True) == reach_by_level(ps, COMMITMENT)
    for when in (date(2021, 12, 31), date(2022, 6, 15), date(2022, 12, 31), date(2030, 1, 1)):
        assert as_of(ordered, when, in_order=True) == as_of(ps, when)
