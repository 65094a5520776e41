"""Dates: parsing what people type, the stored fast path, display and elapsed time."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from dateutil.relativedelta import relativedelta
from hypothesis import strategies as st

from tracker.domain import dates
from tracker.domain.dates import (
    FuzzyDate,
    as_of_bound,
    from_edtf,
    parse_date,
)
from tracker.domain.durations import elapsed_words
from tracker.errors import DateError, TrackerError
from tracker.domain.text import quoted

TODAY = date(2024, 3, 1)  # the day after 29 Feb 2024: "yesterday" crosses a month


def fd(edtf: str) -> FuzzyDate:
    return from_edtf(edtf)


# -- accepted forms ----------------------------------------------------------------

ACCEPTED = [
    # ISO
    ("2024-02-26", "2024-02-26", "day", "26 Feb 2024"),
    ("2024-02", "2024-02", "month", "Feb 2024"),
    ("2024", "2024", "year", "2024"),
    ("0001", "0001", "year", "0001"),
    ("9999-12-31", "9999-12-31", "day", "31 Dec 9999"),
    ("2024-02-29", "2024-02-29", "day", "29 Feb 2024"),
    ("2000-02-29", "2000-02-29", "day", "29 Feb 2000"),
    ("  2024-02-26\t", "2024-02-26", "day", "26 Feb 2024"),
    # English
    ("26 Feb 2024", "2024-02-26", "day", "26 Feb 2024"),
    ("26 February 2024", "2024-02-26", "day", "26 Feb 2024"),
    ("26 FEB 2024", "2024-02-26", "day", "26 Feb 2024"),
    ("26 feb. 2024", "2024-02-26", "day", "26 Feb 2024"),
    ("26 Feb, 2024", "2024-02-26", "day", "26 Feb 2024"),
    ("February 2024", "2024-02", "month", "Feb 2024"),
    ("Feb. 2024", "2024-02", "month", "Feb 2024"),
    ("feb 2024", "2024-02", "month", "Feb 2024"),
    ("Feb 26, 2024", "2024-02-26", "day", "26 Feb 2024"),
    ("Feb 26,2024", "2024-02-26", "day", "26 Feb 2024"),
    ("February 26 2024", "2024-02-26", "day", "26 Feb 2024"),
    ("Feb. 26th, 2024", "2024-02-26", "day", "26 Feb 2024"),
    ("1st March 2024", "2024-03-01", "day", "1 Mar 2024"),
    ("2nd Mar 2024", "2024-03-02", "day", "2 Mar 2024"),
    ("3rd Mar 2024", "2024-03-03", "day", "3 Mar 2024"),
    ("11th Mar 2024", "2024-03-11", "day", "11 Mar 2024"),
    ("12th Mar 2024", "2024-03-12", "day", "12 Mar 2024"),
    ("13th Mar 2024", "2024-03-13", "day", "13 Mar 2024"),
    ("21st Mar 2024", "2024-03-21", "day", "21 Mar 2024"),
    ("22nd Mar 2024", "2024-03-22", "day", "22 Mar 2024"),
    ("23rd Mar 2024", "2024-03-23", "day", "23 Mar 2024"),
    ("26th Feb 2024", "2024-02-26", "day", "26 Feb 2024"),
    ("31st Dec 2023", "2023-12-31", "day", "31 Dec 2023"),
    ("01 Jan 2024", "2024-01-01", "day", "1 Jan 2024"),
    ("Sept 2024", "2024-09", "month", "Sep 2024"),
    ("September 2024", "2024-09", "month", "Sep 2024"),
    ("June 2024", "2024-06", "month", "Jun 2024"),
    ("Jul 2024", "2024-07", "month", "Jul 2024"),
    ("May 2024", "2024-05", "month", "May 2024"),
    # French
    ("26 février 2024", "2024-02-26", "day", "26 Feb 2024"),
    ("26 FÉVRIER 2024", "2024-02-26", "day", "26 Feb 2024"),
    ("26\u00a0février 2024", "2024-02-26", "day", "26 Feb 2024"),
    ("fév. 2024", "2024-02", "month", "Feb 2024"),
    ("févr. 2024", "2024-02", "month", "Feb 2024"),
    ("fevr 2024", "2024-02", "month", "Feb 2024"),
    ("fevrier 2024", "2024-02", "month", "Feb 2024"),
    ("1er mars 2024", "2024-03-01", "day", "1 Mar 2024"),
    ("1ᵉʳ mars 2024", "2024-03-01", "day", "1 Mar 2024"),
    ("mars 2024", "2024-03", "month", "Mar 2024"),
    ("janvier 2024", "2024-01", "month", "Jan 2024"),
    ("janv. 2024", "2024-01", "month", "Jan 2024"),
    ("avril 2024", "2024-04", "month", "Apr 2024"),
    ("avr. 2024", "2024-04", "month", "Apr 2024"),
    ("mai 2024", "2024-05", "month", "May 2024"),
    ("juin 2024", "2024-06", "month", "Jun 2024"),
    ("juillet 2024", "2024-07", "month", "Jul 2024"),
    ("juil. 2024", "2024-07", "month", "Jul 2024"),
    ("août 2024", "2024-08", "month", "Aug 2024"),
    ("aout 2024", "2024-08", "month", "Aug 2024"),
    ("15 août 2024", "2024-08-15", "day", "15 Aug 2024"),
    ("septembre 2024", "2024-09", "month", "Sep 2024"),
    ("sept. 2024", "2024-09", "month", "Sep 2024"),
    ("octobre 2024", "2024-10", "month", "Oct 2024"),
    ("novembre 2024", "2024-11", "month", "Nov 2024"),
    ("décembre 2024", "2024-12", "month", "Dec 2024"),
    ("déc. 2024", "2024-12", "month", "Dec 2024"),
    ("decembre 2024", "2024-12", "month", "Dec 2024"),
    # relative to TODAY
    ("today", "2024-03-01", "day", "1 Mar 2024"),
    ("Today", "2024-03-01", "day", "1 Mar 2024"),
    ("yesterday", "2024-02-29", "day", "29 Feb 2024"),
    ("aujourd'hui", "2024-03-01", "day", "1 Mar 2024"),
    ("Aujourd\u2019hui", "2024-03-01", "day", "1 Mar 2024"),
    ("hier", "2024-02-29", "day", "29 Feb 2024"),
    # approximate
    ("2022~", "2022~", "year", "c. 2022"),
    ("2022 ~", "2022~", "year", "c. 2022"),
    ("2024-02~", "2024-02~", "month", "c. Feb 2024"),
    ("2024-02-26~", "2024-02-26~", "day", "c. 26 Feb 2024"),
    ("Feb 2024~", "2024-02~", "month", "c. Feb 2024"),
    ("26 février 2024 ~", "2024-02-26~", "day", "c. 26 Feb 2024"),
    ("today~", "2024-03-01~", "day", "c. 1 Mar 2024"),
    ("c. 2022", "2022~", "year", "c. 2022"),
    ("c. Feb 2024", "2024-02~", "month", "c. Feb 2024"),
]


@pytest.mark.parametrize(("text", "edtf", "precision", "display"), ACCEPTED)
def test_accepted_forms(text, edtf, precision, display):
    d = parse_date(text, today=TODAY)
    assert d.edtf == edtf
    assert d.precision == precision
    assert d.display == display
    assert d.approximate == edtf.endswith("~")
    assert str(d) == edtf
    assert d == from_edtf(edtf)


def test_intervals():
    assert parse_date("2024-02-26").start == parse_date("2024-02-26").end == date(2024, 2, 26)
    feb = parse_date("Feb 2024")
    assert (feb.start, feb.end) == (date(2024, 2, 1), date(2024, 2, 29))
    assert (fd("2023-02").start, fd("2023-02").end) == (date(2023, 2, 1), date(2023, 2, 28))
    year = parse_date("2022~")
    assert (year.start, year.end) == (date(2022, 1, 1), date(2022, 12, 31))
    assert as_of_bound(feb) == date(2024, 2, 29)
    assert as_of_bound(fd("2024-02-26")) == date(2024, 2, 26)
    assert as_of_bound(year) == date(2022, 12, 31)


def test_today_defaults_to_the_real_today():
    assert parse_date("today") == FuzzyDate.from_date(date.today())
    assert parse_date("yesterday", today=datetime(2024, 1, 1, 12, 30)).edtf == "2023-12-31"


def test_from_date_contains_describe():
    d = FuzzyDate.from_date(date(2024, 3, 1))
    assert d == fd("2024-03-01")
    assert FuzzyDate.from_date(datetime(2024, 3, 1, 10, 0)) == d
    assert FuzzyDate.from_date(date(2022, 1, 5), approximate=True).edtf == "2022-01-05~"
    assert d.describe() == "1 Mar 2024, day"
    assert fd("2024-02").describe() == "Feb 2024, month"
    assert fd("2022~").describe() == "c. 2022, year, approximate"
    feb = fd("2024-02")
    assert feb.contains(date(2024, 2, 1)) and feb.contains(date(2024, 2, 29))
    assert not feb.contains(date(2024, 1, 31)) and not feb.contains(date(2024, 3, 1))
    assert feb.contains(datetime(2024, 2, 10, 23, 59))


def test_sort_key_orders_by_start_then_end_then_text():
    dates = [fd("2024"), fd("2024-02"), fd("2024-02-26"), fd("2024-02-01"), fd("2023-12-31"), fd("2024~")]
    ordered = [d.edtf for d in sorted(dates, key=lambda d: d.sort_key)]
    assert ordered == ["2023-12-31", "2024", "2024~", "2024-02-01", "2024-02", "2024-02-26"]


# -- refused forms -------------------------------------------------------------------

REFUSED = [
    ("31 février 2024", "February 2024 has 29 days"),
    ("30 Feb 2024", "February 2024 has 29 days"),
    ("29 Feb 2023", "February 2023 has 28 days"),
    ("31 April 2024", "April 2024 has 30 days"),
    ("2024-02-30", "February 2024 has 29 days"),
    ("2023-02-29", "February 2023 has 28 days"),
    ("2024-04-31", "April 2024 has 30 days"),
    ("2024-13", "months run from 01 to 12"),
    ("2024-00", "months run from 01 to 12"),
    ("2024-01-00", "days start at"),
    ("0 Jan 2024", "days start at"),
    ("0000", "years run from 1 to 9999"),
    ("0000-01-01", "years run from 1 to 9999"),
    ("10000", "years run from 1 to 9999"),
    ("Jan 0000", "years run from 1 to 9999"),
    ("", "try 2024-02-26"),
    ("   ", "try 2024-02-26"),
    ("~", "try 2024-02-26"),
    ("2022~~", "try 2024-02-26"),
    ("~2022", "try 2024-02-26"),
    ("next week", "try 2024-02-26, 2024-02, 2024, 26 Feb 2024 or 26 février 2024"),
    ("tomorrow", "try 2024-02-26"),
    ("26 Feb", "try 2024-02-26"),
    ("Feb26 2024", "try 2024-02-26"),
    ("26/02/2024", "write 2024-02-26"),
    ("26.02.2024", "write 2024-02-26"),
    ("26-02-2024", "write 2024-02-26"),
    ("03/04/2024", "write 2024-04-03 or 2024-03-04"),
    ("2024/02/26", "write it as 2024-02-26"),
    ("2024-2-6", "write it as 2024-02-06"),
    ("2024-02-6", "write it as 2024-02-06"),
    ("02/2024", "write it as 2024-02"),
    ("40/40/2024", "YYYY-MM-DD"),
    ("26 Feb 24", "four digits"),
    ("Feb 26", "four digits"),
    ("24", "four digits"),
    ("26 Fbr 2024", '"Fbr" is not a month name'),
    ("Smarch 2024", '"Smarch" is not a month name'),
    ("2er mars 2024", '"er" only follows 1'),
    ("2st Feb 2024", "write 2nd or 2"),
    ("11st Feb 2024", "write 11th or 11"),
    ("1th Feb 2024", "write 1st or 1"),
    ("26xx Feb 2024", "not an ordinal ending"),
]


@pytest.mark.parametrize(("text", "reason"), REFUSED)
def test_refused_forms(text, reason):
    with pytest.raises(DateError) as info:
        parse_date(text, today=TODAY)
    message = str(info.value)
    assert message.startswith("cannot understand the date ")
    assert quoted(text.strip()) in message
    assert reason in message
    assert "\n" not in message
    assert isinstance(info.value, TrackerError) and isinstance(info.value, ValueError)


def test_refused_message_is_one_line_for_control_characters():
    with pytest.raises(DateError) as info:
        parse_date("Feb\n2024x")
    assert "\n" not in str(info.value)
    assert quoted("Feb\n2024x") in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        "", "2024-02-26 ", " 2024", "2024-2-6", "26 Feb 2024", "today",
        "2024~~", "2024-02-30", "0000", "２０２４", "+202", "2024-02-26T00",
    ],  # fmt: skip
)
def test_from_edtf_is_strict(text):
    with pytest.raises(DateError) as info:
        from_edtf(text)
    assert quoted(text) in str(info.value)


def test_from_edtf_refuses_non_text():
    with pytest.raises(DateError):
        from_edtf(None)  # type: ignore[arg-type]
    with pytest.raises(DateError):
        parse_date(b"2024")  # type: ignore[arg-type]


# -- elapsed time ---------------------------------------------------------------------

ELAPSED = [
    ("2022-03", "2024-02", "1 year 11 months"),
    ("2022-02-26", "2024-02-26", "2 years"),
    ("2024-02-26", "2022-02-26", "2 years earlier"),
    ("2024-01-01", "2024-04-06", "3 months 5 days"),
    ("2024-04-06", "2024-01-01", "3 months 5 days earlier"),
    ("2024-01-01", "2024-01-13", "12 days"),
    ("2024-01-01", "2024-01-02", "1 day"),
    ("2024-01-01", "2024-01-01", "same day"),
    ("2023-01-01", "2024-02-01", "1 year 1 month"),
    ("2022-01-01", "2024-03-05", "2 years 2 months"),
    ("2023-01-01", "2024-01-06", "1 year 5 days"),
    ("2024-01", "2024-04", "3 months"),
    ("2024-04", "2024-01", "3 months earlier"),
    ("2024-01", "2025-01", "1 year"),
    ("2024-02", "2024-02", "same month"),
    ("2024-02-26", "2024-02", "same month"),
    ("2024-02-26", "2024-05", "3 months"),
    ("2020", "2022", "2 years"),
    ("2020", "2021", "1 year"),
    ("2022", "2020", "2 years earlier"),
    ("2024", "2024", "same year"),
    ("2022-03-15", "2024", "2 years"),
    ("2022~", "2024", "about 2 years"),
    ("2024-01~", "2024-04", "about 3 months"),
    ("2024-04", "2024-01-05~", "about 3 months earlier"),
    ("2024~", "2024-06", "about the same year"),
]


@pytest.mark.parametrize(("a", "b", "words"), ELAPSED)
def test_elapsed_words(a, b, words):
    assert elapsed_words(fd(a), fd(b)) == words


# -- properties -------------------------------------------------------------------------

DAYS = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
PRECISIONS = st.sampled_from(["day", "month", "year"])


def build(d: date, precision: str, approximate: bool) -> FuzzyDate:
    """A FuzzyDate built independently of the parser."""
    tilde = "~" if approximate else ""
    if precision == "day":
        return FuzzyDate(f"{d.year:04d}-{d.month:02d}-{d.day:02d}{tilde}", "day", approximate, d, d)
    if precision == "month":
        last = calendar.monthrange(d.year, d.month)[1]
        start, end = date(d.year, d.month, 1), date(d.year, d.month, last)
        return FuzzyDate(f"{d.year:04d}-{d.month:02d}{tilde}", "month", approximate, start, end)
    return FuzzyDate(f"{d.year:04d}{tilde}", "year", approximate, date(d.year, 1, 1), date(d.year, 12, 31))


fuzzy_dates = st.builds(build, DAYS, PRECISIONS, st.booleans())


@given(fuzzy_dates)
def test_edtf_round_trips(x):
    assert from_edtf(x.edtf) == x
    assert parse_date(x.edtf) == x
    assert parse_date(f"  {x.edtf}  ") == x
    assert x.start <= x.end
    assert x.contains(x.start) and x.contains(x.end)
    assert as_of_bound(x) == x.end


@given(fuzzy_dates)
def test_display_round_trips(x):
    plain = x.display.removeprefix("c. ")
    assert "~" not in plain
    assert parse_date(plain) == build(x.start, x.precision, False)
    assert parse_date(plain + "~") == build(x.start, x.precision, True)
    assert parse_date(x.display) == x


@given(DAYS, st.sampled_from(["{d} {m} {y}", "{m} {d}, {y}", "{d} {fr} {y}"]))
def test_month_names_round_trip(d, pattern):
    french = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
    text = pattern.format(d=d.day, m=calendar.month_name[d.month], fr=french[d.month - 1], y=f"{d.year:04d}")
    assert parse_date(text) == FuzzyDate.from_date(d)


@given(DAYS, DAYS, PRECISIONS, st.booleans(), st.booleans())
def test_edtf_order_matches_sort_key_order(d1, d2, precision, approx1, approx2):
    a, b = build(d1, precision, approx1), build(d2, precision, approx2)
    assert (a.edtf < b.edtf) == (a.sort_key < b.sort_key)
    assert (a.edtf == b.edtf) == (a.sort_key == b.sort_key)


@given(fuzzy_dates, fuzzy_dates)
def test_elapsed_words_is_symmetric(a, b):
    forward, backward = elapsed_words(a, b), elapsed_words(b, a)
    if "same" in forward:
        assert backward == forward
    elif forward.endswith(" earlier"):
        assert backward == forward.removesuffix(" earlier")
    else:
        assert forward == backward.removesuffix(" earlier") and backward.endswith(" earlier")
    assert forward.startswith("about ") == (a.approximate or b.approximate)


# -- elapsed_words against the relativedelta reference ---------------------------------
#
# elapsed_words counts years, months and days with plain integer arithmetic; it must say
# exactly what the first version said, which measured them with dateutil's relativedelta.

_RANK = {"day": 0, "month": 1, "year": 2}


def _truncate(d: date, precision: str) -> date:
    if precision == "year":
        return date(d.year, 1, 1)
    if precision == "month":
        return date(d.year, d.month, 1)
    return d


def elapsed_words_reference(a: FuzzyDate, b: FuzzyDate) -> str:
    """The first implementation, with relativedelta."""
    precision = a.precision if _RANK[a.precision] >= _RANK[b.precision] else b.precision
    first, second = _truncate(a.start, precision), _truncate(b.start, precision)
    earlier = second < first
    if earlier:
        first, second = second, first
    delta = relativedelta(second, first)
    units = [(delta.years, "year")]
    if precision != "year":
        units.append((delta.months, "month"))
    if precision == "day":
        units.append((delta.days, "day"))
    parts = [f"{n} {unit}" if n == 1 else f"{n} {unit}s" for n, unit in units if n][:2]
    approximate = a.approximate or b.approximate
    if not parts:
        return f"about the same {precision}" if approximate else f"same {precision}"
    words = " ".join(parts)
    if earlier:
        words += " earlier"
    return "about " + words if approximate else words


@settings(max_examples=1000)
@given(fuzzy_dates, fuzzy_dates)
def test_elapsed_words_equals_the_relativedelta_version(a, b):
    assert elapsed_words(a, b) == elapsed_words_reference(a, b)


# Dates near each other, where month lengths and leap days decide the answer.
NEAR = st.builds(
    lambda d, n: (d, d + timedelta(days=n)),
    st.dates(min_value=date(1, 1, 1), max_value=date(9998, 1, 1)),
    st.integers(min_value=0, max_value=800),
)


@settings(max_examples=1000)
@given(NEAR, PRECISIONS, PRECISIONS, st.booleans())
def test_elapsed_words_equals_the_relativedelta_version_nearby(pair, p1, p2, swap):
    a, b = build(pair[0], p1, False), build(pair[1], p2, False)
    if swap:
        a, b = b, a
    assert elapsed_words(a, b) == elapsed_words_reference(a, b)


def test_elapsed_words_equals_the_relativedelta_version_on_every_pair_of_days_around_a_leap_year():
    days = [date(2023, 11, 25) + timedelta(days=n) for n in range(0, 160)]
    days += [date(y, m, calendar.monthrange(y, m)[1]) for y in (1900, 2000, 2023, 2024) for m in range(1, 13)]
    for first in days:
        for second in days:
            a, b = FuzzyDate.from_date(first), FuzzyDate.from_date(second)
            assert elapsed_words(a, b) == elapsed_words_reference(a, b), (first, second)


@settings(max_examples=200)
@given(st.text())
def test_any_text_is_a_date_or_a_date_error(text):
    try:
        result = parse_date(text, today=TODAY)
    except DateError as error:
        message = str(error)
        assert "\n" not in message and "\r" not in message
        shown = text.strip()
        if shown.isprintable() and len(shown) < 80:
            assert quoted(shown) in message
    else:
        assert isinstance(result, FuzzyDate)
        assert result.start <= result.end


TODAY_WORDS = {"today", "yesterday", "aujourd'hui", "aujourd\u2019hui", "aujourdhui", "hier"}


@settings(max_examples=200)
@given(st.text(alphabet=st.characters(blacklist_characters="0123456789")) | st.sampled_from(sorted(TODAY_WORDS)))
def test_text_without_digits_is_only_today_or_yesterday(text):
    try:
        result = parse_date(text, today=TODAY)
    except DateError:
        return
    word = text.strip().removesuffix("~").strip().casefold()
    word = word.removeprefix("circa").removeprefix("ca.").removeprefix("c.").strip()
    assert word in TODAY_WORDS
    assert result.start in (TODAY, TODAY - timedelta(days=1))


def test_from_edtf_returns_equal_values_on_repeat():
    assert from_edtf("2024-02-26") == from_edtf("2024-02-26") == parse_date("2024-02-26")


@given(fuzzy_dates)
def test_display_is_made_with_the_date_and_takes_no_part_in_equality(x):
    again = FuzzyDate(x.edtf, x.precision, x.approximate, x.start, x.end)
    assert again.display == x.display and again == x and hash(again) == hash(x)
    assert "display" not in repr(x)
    with pytest.raises(AttributeError):
        x.display = "changed"  # type: ignore[misc]


# -- the fast path: canonical text read before ------------------------------------------

ISO_SHAPED = st.one_of(
    st.from_regex(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?~?", fullmatch=True),
    st.sampled_from(
        ["2024-02-29", "2023-02-29", "0000", "2024-13", "2024-00-10", " 2024", "2024 ", "2024 ~", "c. 2022"]
    ),
)


def outcome(parse, text: str):
    try:
        return parse(text)
    except DateError as e:
        return str(e)


@settings(max_examples=500)
@given(ISO_SHAPED)
def test_a_date_read_before_is_read_the_same(text):
    """parse_date answers canonical text it has seen (as typed, or read by from_edtf) from
    memory: the answer must be what the general parser gives."""
    dates._EDTF_CACHE.clear()
    fresh = outcome(parse_date, text)  # the general parser (which remembers canonical text)
    assert outcome(parse_date, text) == fresh
    dates._EDTF_CACHE.clear()
    outcome(from_edtf, text)  # remembered by the stored-value reader
    assert outcome(parse_date, text) == fresh
    if isinstance(fresh, FuzzyDate) and fresh.edtf != text:
        assert text not in dates._EDTF_CACHE  # only canonical text is answered from memory


def test_today_is_never_answered_from_memory():
    assert parse_date("today", today=TODAY) == FuzzyDate.from_date(TODAY)
    assert parse_date("today", today=TODAY + timedelta(days=1)) == FuzzyDate.from_date(TODAY + timedelta(days=1))


@pytest.mark.parametrize(
    ("days", "words"),
    [(0, "0 days"), (1, "1 day"), (27, "27 days"), (28, "1 month"), (59, "2 months"), (231, "7 months"),
     (365, "1 year"), (448, "1 year 2 months"), (730, "2 years"), (-14, "14 days earlier")],
)  # fmt: skip
def test_days_words(days, words):
    """A median in words: calendar months as people count them (1 Jan to 1 Mar is 2 months)."""
    from tracker.domain.durations import days_words

    assert days_words(days) == words
