import itertools
from datetime import date

import pytest

from tracker.domain.dates import from_edtf
from tracker.domain.models import Position
from tracker.domain.models import Actor, Question
from tracker.domain.movers import (
    Stats, as_of, default_level, movers_report, question_movers, reach_by_level, roll_up, span, summary_sentence,
    top_parents,
)
from tracker.domain.scales import AGREEMENT
from tracker.domain.scales import COMMITMENT

_ids = itertools.count(1)

ACTORS = {
    1: ("france", "France"),
    2: ("germany", "Germany"),
    3: ("netherlands", "Netherlands"),
    4: ("belgium", "Belgium"),
    5: ("poland", "Poland"),
}

COMMITTED = COMMITMENT.level("committed")
RULED_OUT = COMMITMENT.level("ruled-out")
RELUCTANT = COMMITMENT.level("reluctant")


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


def question(question_id: int = 1) -> Question:
    return Question(id=question_id, uid=f"q-{question_id}", slug=f"q{question_id}", title=f"Question {question_id}")


def reach(positions, level=COMMITTED, refusal=RULED_OUT, question_id=1):
    return question_movers(question(question_id), positions, level, refusal)


def names(rows) -> list[str]:
    return [r.actor_name for r in rows]


# -- reach, move or entry, first movers, lag --------------------------------------------------


def test_france_first_germany_later_netherlands_never():
    f1 = pos(1, "open", "2022-11")
    f2 = pos(1, "committed", "2023-01")
    f3 = pos(1, "implemented", "2023-06-10")
    g1 = pos(2, "reluctant", "2022-12-01")
    g2 = pos(2, "committed", "2023-01-25")
    n1 = pos(3, "reluctant", "2023-02-01")
    n2 = pos(3, "open", "2023-09")
    n3 = pos(3, "open", "2023-10-02")

    result = reach([n2, g2, f3, n1, f1, g1, f2, n3])
    assert names(result.reached) == ["France", "Germany"] and names(result.first) == ["France"]
    france, germany = result.reached
    assert france.is_first and france.lag.days == 0 and france.position is f2 and france.by == "move"
    assert france.current == COMMITMENT.level("implemented")
    assert germany.position is g2 and germany.by == "move" and germany.lag.days == 24
    assert str(germany.lag) == "same month"  # Jan 2023 is only known to the month
    assert germany.lag.approximate and germany.approximate
    [netherlands] = result.not_reached
    assert netherlands.latest == COMMITMENT.level("open")
    assert netherlands.since == from_edtf("2023-09")  # open since its first of the last run at Open


def test_a_first_recorded_position_at_the_level_is_an_entry_not_a_move():
    # Denmark's first position on jets is already a commitment: we only know it was there by then.
    d = pos(1, "committed", "2023-08-20")
    n1 = pos(2, "reluctant", "2023-01-30")
    n2 = pos(2, "committed", "2023-08-20")
    result = reach([n2, d, n1])
    assert [(r.actor_name, r.by) for r in result.reached] == [("France", "entry"), ("Germany", "move")]
    assert all(r.is_first for r in result.reached)  # a tie: both first movers
    assert names(result.first) == ["France", "Germany"]


def test_lag_in_words_at_day_precision_and_approximate_dates():
    f = pos(1, "committed", "2023-01-05")
    g = pos(2, "committed", "2023-08-20")
    p = pos(5, "implemented", "2024-02-26")
    n = pos(3, "committed", "2024~")
    result = reach([p, g, f, n])
    assert names(result.reached) == ["France", "Germany", "Netherlands", "Poland"]
    assert [r.lag.days for r in result.reached] == [0, 227, 361, 417]
    assert [str(r.lag) for r in result.reached] == ["same day", "7 months 15 days", "c. 1 year", "1 year 1 month"]
    assert [r.approximate for r in result.reached] == [False, False, True, False]


def test_refusal_is_the_last_position_at_or_below_the_refusal_level_before_the_reach():
    g1 = pos(2, "ruled-out", "2022-04-01")
    g2 = pos(2, "ruled-out", "2022-09-21")
    g3 = pos(2, "reluctant", "2022-12-01")
    g4 = pos(2, "committed", "2023-01-25")
    g5 = pos(2, "ruled-out", "2023-06-01")  # after the reach: not a refusal before it
    germany = reach([g5, g3, g1, g4, g2]).reached[0]
    assert germany.refusal is g2
    assert germany.refusal_to_reach.days == 126 and str(germany.refusal_to_reach) == "4 months 4 days"
    # --from reluctant: the reluctant position counts as the refusal.
    germany = reach([g5, g3, g1, g4, g2], refusal=RELUCTANT).reached[0]
    assert germany.refusal is g3 and germany.refusal_to_reach.days == 55
    # A month-precise refusal makes the duration approximate.
    f = reach([pos(1, "ruled-out", "2022-05"), pos(1, "committed", "2023-04-11")]).reached[0]
    assert f.refusal_to_reach.approximate and str(f.refusal_to_reach) == "c. 11 months" and f.approximate


def test_no_refusal_without_a_position_at_or_below_the_refusal_level():
    result = reach([pos(1, "reluctant", "2022-01-01"), pos(1, "committed", "2022-06-01")])
    assert result.reached[0].refusal is None and result.reached[0].refusal_to_reach is None


def test_going_back_below_the_level_keeps_the_first_reach():
    f1 = pos(1, "committed", "2023-01-10")
    f2 = pos(1, "reluctant", "2023-05-01")
    g1 = pos(2, "committed", "2023-02-10")
    result = reach([f2, g1, f1])
    assert names(result.reached) == ["France", "Germany"]
    assert result.reached[0].position is f1 and result.reached[0].current == RELUCTANT
    assert result.not_reached == ()


def test_same_actor_ties_broken_by_end_then_id():
    month = pos(1, "committed", "2023-01", id=500)
    day = pos(1, "committed", "2023-01-01", id=900)
    assert reach([month, day]).reached[0].position is day  # same start, earlier end
    a = pos(2, "committed", "2023-02-02", id=20)
    b = pos(2, "implemented", "2023-02-02", id=10)
    only = reach([a, b]).reached[0]
    assert only.position is b and only.by == "entry"  # same interval, lower id first
    assert only.current == COMMITTED  # latest is the higher id


def test_nobody_reached_and_no_positions():
    result = reach([pos(3, "open", "2023"), pos(1, "reluctant", "2023"), pos(2, "ruled-out", "2022")])
    assert result.reached == () and result.first == ()
    assert names(result.not_reached) == ["France", "Germany", "Netherlands"]
    empty = reach([])
    assert empty.reached == () and empty.not_reached == ()


def test_the_refusal_level_must_be_below_the_level():
    with pytest.raises(ValueError):
        reach([], level=RELUCTANT, refusal=RELUCTANT)


def test_default_level():
    assert default_level(COMMITMENT).key == "committed"
    assert default_level(AGREEMENT).key == "ambiguous"  # the first at or above the middle


def test_the_level_a_question_shows_its_movers_at():
    from tracker.domain.movers import level_to_show

    assert level_to_show(COMMITMENT, [pos(1, "open", "2023"), pos(2, "implemented", "2024")]).key == "committed"
    # Nobody committed: the highest level reached, so that the first mover there is shown.
    assert level_to_show(COMMITMENT, [pos(1, "not-excluded", "2024"), pos(2, "reluctant", "2024")]).key == "not-excluded"
    assert level_to_show(COMMITMENT, [pos(1, "ruled-out", "2024")]).key == "committed"
    assert level_to_show(COMMITMENT, []).key == "committed"


def test_span_counts_days_between_starts():
    a, b = from_edtf("2023-01-30"), from_edtf("2023-08-17")
    assert (span(a, b).days, str(span(a, b))) == (199, "6 months 18 days")
    assert str(span(from_edtf("2022~"), from_edtf("2023-06-01"))) == "c. 1 year"


# -- roll-up ------------------------------------------------------------------------------------

FRANCE = Actor(1, "a1", "france", "France", "government")
MACRON = Actor(6, "a6", "macron", "Emmanuel Macron", "person", parent_slug="france")
AIDE = Actor(7, "a7", "aide", "An aide", "person", parent_slug="macron")


def test_roll_up_counts_persons_for_their_top_level_parent():
    tops = top_parents([AIDE, MACRON, FRANCE])
    assert {k: v.slug for k, v in tops.items()} == {1: "france", 6: "france", 7: "france"}
    said = Position(
        id=99, uid="u99", actor_id=6, actor_slug="macron", actor_name="Emmanuel Macron", question_id=1,
        question_slug="q1", question_title="Question 1", level=COMMITTED, date=from_edtf("2023-01-22"),
    )  # fmt: skip
    france = pos(1, "ruled-out", "2022-06-01")
    rolled = roll_up([france, said], tops)
    assert [(p.id, p.actor_slug) for p in rolled] == [(france.id, "france"), (99, "france")]
    result = reach(rolled)
    assert [(r.actor_slug, r.by, r.refusal) for r in result.reached] == [("france", "move", france)]


def test_a_loop_of_parents_stops():
    a = Actor(1, "a", "a", "A", parent_slug="b")
    b = Actor(2, "b", "b", "B", parent_slug="a")
    assert set(top_parents([a, b])) == {1, 2}


# -- across questions: the summary -----------------------------------------------------------


def test_summary_across_questions():
    tanks = [pos(5, "committed", "2023-01-11", 1), pos(2, "ruled-out", "2022-09-21", 1), pos(2, "committed", "2023-01-25", 1)]
    jets = [pos(5, "committed", "2023-03-16", 2), pos(2, "ruled-out", "2023-01-25", 2), pos(1, "committed", "2024-06-06", 2)]
    report = movers_report([(question(1), tanks), (question(2), jets)], COMMITTED, RULED_OUT)
    assert report.lag == Stats(2, 231, 14, 448)
    assert report.refusal_to_reach == Stats(1, 126, 126, 126)
    assert report.sentence == (
        "Across 2 questions, 2 actors reached Committed a median 7 months after the first mover"
        " (range 14 days to 1 year 2 months); the 1 that had said “Ruled out” took 4 months 4 days from its last refusal."
    )
    as_json = report.as_dict()
    assert as_json["level"] == "committed" and as_json["from"] == "ruled-out" and as_json["roll_up"] is False
    assert as_json["questions"][0]["first"] == [{"actor": "poland", "date": "2023-01-11"}]
    assert as_json["questions"][0]["reached"][1] == {
        "actor": "germany", "date": "2023-01-25", "by": "move", "lag_days": 14,
        "refused": "2022-09-21", "refusal_to_reach_days": 126, "approximate": False,
    }  # fmt: skip
    assert as_json["questions"][1]["not_reached"] == [{"actor": "germany", "latest": "ruled-out", "since": "2023-01-25"}]
    assert as_json["summary"]["lag_days"] == {"n": 2, "median": 231, "min": 14, "max": 448}


def test_summary_sentences_at_the_edges():
    one = movers_report([(question(1), [pos(1, "committed", "2023-01-11")])], COMMITTED, RULED_OUT)
    assert one.sentence == "On “Question 1”, only the first mover reached Committed; none had said “Ruled out” before."
    none = movers_report([(question(1), [pos(1, "open", "2023")]), (question(2), [])], COMMITTED, RULED_OUT)
    assert none.sentence == "Across 2 questions, no actor has reached Committed yet."
    from_reluctant = movers_report(
        [(question(1), [pos(1, "committed", "2023-01-01"), pos(2, "reluctant", "2023-01-01"), pos(2, "committed", "2023-03-01"),
                        pos(3, "reluctant", "2023-01-01"), pos(3, "committed", "2023-07-01")])],
        COMMITTED, RELUCTANT,
    )  # fmt: skip
    assert summary_sentence(from_reluctant) == (
        "On “Question 1”, 2 actors reached Committed a median 4 months after the first mover (range 2 to 6 months)"
        "; the 2 that had been at “Reluctant” or below took a median 4 months from their last refusal (range 2 to 6 months)."
    )


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
from tracker.domain.durations import elapsed_words  # noqa: E402


def reach_reference(positions, scale):
    """The first implementation: per level, scan each actor's positions for the first hit."""
    actors = defaultdict(list)
    for p in positions:
        actors[p.actor_id].append(p)
    for group in actors.values():
        group.sort(key=position_order)
    top = max((p.level.rank for p in positions), default=-1)
    result = {}
    for level in sorted(scale.levels, key=lambda lv: lv.rank):
        if not 0 < level.rank <= top:
            continue
        reached, never = [], []
        for group in actors.values():
            hit = next((p for p in group if p.level.rank >= level.rank), None)
            if hit is None:
                never.append(group[-1])
            else:
                reached.append((hit, group[-1]))
        reached.sort(key=lambda pair: (pair[0].date.start, pair[0].date.end, pair[0].actor_name, pair[0].actor_id))
        never.sort(key=lambda p: (p.actor_name, p.actor_id))
        result[level.key] = (reached, never)
    return result


EDTFS = st.sampled_from(
    ["2021", "2022", "2022~", "2022-01", "2022-06", "2022-06-01", "2022-06-15", "2022-06-15~", "2022-12-31", "2023-01", "2023-01-01", "2024-02-29"]
)
RAW_POSITIONS = st.lists(
    st.tuples(st.integers(1, 5), st.sampled_from([lv.key for lv in COMMITMENT.levels]), EDTFS, st.integers(1, 60)),
    max_size=40,
    unique_by=lambda t: t[3],
)


@settings(max_examples=300, deadline=None)
@given(RAW_POSITIONS)
def test_reach_by_level_equals_the_reference(raw):
    ps = [pos(a, key, edtf, id=i) for a, key, edtf, i in raw]
    assert reach_by_level(ps, COMMITMENT) == reach_reference(ps, COMMITMENT)
    # In timeline order, as a report reads them: the same without sorting them again.
    ordered = sorted(ps, key=timeline_order)
    assert reach_by_level(ordered, COMMITMENT, in_order=True) == reach_by_level(ps, COMMITMENT)
    for when in (date(2021, 12, 31), date(2022, 6, 15), date(2022, 12, 31), date(2030, 1, 1)):
        assert as_of(ordered, when, in_order=True) == as_of(ps, when)


# -- properties of the movers on random trajectories -------------------------------------------

LEVEL_PAIRS = st.sampled_from([(hi, lo) for hi in COMMITMENT.levels for lo in COMMITMENT.levels if lo.rank < hi.rank])


@settings(max_examples=400, deadline=None)
@given(RAW_POSITIONS, LEVEL_PAIRS)
def test_movers_properties(raw, levels):
    level, refusal = levels
    ps = [pos(a, key, edtf, id=i) for a, key, edtf, i in raw]
    result = reach(ps, level, refusal)
    own = defaultdict(list)
    for p in sorted(ps, key=position_order):
        own[p.actor_id].append(p)
    # Every actor with positions is listed once, reached or not.
    listed = [r.actor_id for r in result.reached] + [n.actor_id for n in result.not_reached]
    assert sorted(listed) == sorted(own)
    for r in result.reached:
        mine = own[r.actor_id]
        i = mine.index(r.position)
        # The reach is the actor's first position at or above the level.
        assert r.position.level.rank >= level.rank and all(p.level.rank < level.rank for p in mine[:i])
        # A move has an earlier position (below the level); an entry has none, and so never a refusal.
        assert (r.by == "move") == (i > 0)
        if r.by == "entry":
            assert r.refusal is None and r.refusal_to_reach is None
        # The refusal is the last position at or below the refusal level before the reach.
        before = [p for p in mine[:i] if p.level.rank <= refusal.rank]
        assert r.refusal == (before[-1] if before else None)
        if r.refusal is not None:
            assert r.refusal_to_reach.days == (r.date.start - r.refusal.date.start).days >= 0
        assert r.lag.days >= 0 and r.current == mine[-1].level
    for n in result.not_reached:
        assert all(p.level.rank < level.rank for p in own[n.actor_id]) and n.latest == own[n.actor_id][-1].level
    # The first movers have lag 0; they are the ones with the earliest reach, listed first.
    if result.reached:
        assert result.first and all(r.lag.days == 0 and not r.lag.approximate for r in result.first)
        earliest = min(r.date.start for r in result.reached)
        assert {r.actor_id for r in result.first} == {r.actor_id for r in result.reached if r.date.start == earliest}
        assert result.reached[: len(result.first)] == result.first
        assert [r.date.start for r in result.reached] == sorted(r.date.start for r in result.reached)
    else:
        assert result.first == ()


# Parents as the store keeps them: no loops (an actor's parent has a lower id here).
PARENTS = st.fixed_dictionaries({}, optional={i: st.integers(1, i - 1) for i in range(2, 6)})


@settings(max_examples=300, deadline=None)
@given(RAW_POSITIONS, PARENTS, LEVEL_PAIRS)
def test_roll_up_never_loses_a_position(raw, parents, levels):
    actors = [Actor(i, f"a{i}", ACTORS[i][0], ACTORS[i][1], parent_slug=ACTORS[parents[i]][0] if i in parents else None) for i in ACTORS]
    tops = top_parents(actors)
    ps = [pos(a, key, edtf, id=i) for a, key, edtf, i in raw]
    rolled = roll_up(ps, tops)
    # Every position is still there, with its stance and date, now under a top-level actor.
    assert [(p.id, p.level, p.date) for p in rolled] == [(p.id, p.level, p.date) for p in ps]
    assert all(p.actor_id == tops[q.actor_id].id for p, q in zip(rolled, ps))
    # A top-level parent is its own top, so rolling up twice changes nothing.
    assert roll_up(rolled, tops) == rolled
    level, refusal = levels
    result = reach(rolled, level, refusal)
    assert len(result.reached) + len(result.not_reached) == len({p.actor_id for p in rolled})


@settings(max_examples=200, deadline=None)
@given(st.lists(RAW_POSITIONS, min_size=1, max_size=4), LEVEL_PAIRS)
def test_summary_counts_every_follower_and_every_refusal(raws, levels):
    level, refusal = levels
    questions = [(question(q), [pos(a, key, edtf, question_id=q, id=i) for a, key, edtf, i in raw]) for q, raw in enumerate(raws, 1)]
    report = movers_report(questions, level, refusal)
    followers = [r.lag.days for q in report.questions for r in q.reached if not r.is_first]
    refusals = [r.refusal_to_reach.days for q in report.questions for r in q.reached if r.refusal_to_reach]
    for stats, days in ((report.lag, followers), (report.refusal_to_reach, refusals)):
        assert stats.n == len(days)
        if days:
            assert stats.min == min(days) <= stats.median <= max(days) == stats.max
        else:
            assert stats == Stats(0, None, None, None)
    scope = f"Across {len(questions)} questions, " if len(questions) > 1 else "On “Question 1”, "
    assert report.sentence.startswith(scope) and report.sentence.endswith(".")
    if report.lag.n > 1:
        assert f"{report.lag.n} actors reached {level.label} a median" in report.sentence
