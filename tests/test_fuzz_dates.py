"""Fuzzing the date parser: whatever is typed or stored, ``parse_date`` and ``from_edtf``
either give a date or raise the module's own DateError with a one-line, printable message
that quotes the text; every valid typed form round-trips.

``TRACKER_FUZZ_SCALE=50`` multiplies the number of examples, for a deeper search by hand.

test_dates.py already checks the documented forms one by one and plain ``st.text()``;
this file adds what a hostile user or file could send: lone surrogates, control and
line-separator characters, non-ASCII digits, very long text and digit runs, near
misses of valid dates (one character inserted, dropped or changed), and values that
are not text at all.
"""

from __future__ import annotations

import calendar
import os
import unicodedata
from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tracker.domain.dates import FuzzyDate, from_edtf, parse_date
from tracker.errors import DateError, TrackerError
from tracker.domain.text import quoted

TODAY = date(2024, 3, 1)
# TRACKER_FUZZ_SCALE=50 runs fifty times as many examples (a deeper search, by hand).
SCALE = int(os.environ.get("TRACKER_FUZZ_SCALE", "1"))
FAST = settings(max_examples=300 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------- what may be typed

SURROGATE = st.integers(0xD800, 0xDFFF).map(chr)  # "\ud800" escapes, undecodable bytes
CONTROL = st.sampled_from(["\x00", "\x07", "\x08", "\t", "\n", "\r", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9b",
                           "\u2028", "\u2029", "\u202e", "\ufeff", "\u200b", "\u00a0", "\u3000"])  # fmt: skip
ODD_DIGIT = st.sampled_from(["²", "٢", "۴", "２", "𝟚", "①", "Ⅻ", "½", "߂", "໒"])
PIECE = st.sampled_from(
    ["2024", "02", "26", "1", "0", "0000", "9999", "10000", "-", "/", ".", ",", " ", "~", "c.", "circa", "ca.", "er",
     "ᵉʳ", "st", "th", "Feb", "février", "FÉVR.", "mars", "Sept", "today", "hier", "aujourd’hui", "[bold]", "[/b]",
     "[TODO]", "\x1b[2J", "%s", "{}", "\\"]
)  # fmt: skip
ANY_CHAR = st.one_of(st.characters(), SURROGATE, CONTROL, ODD_DIGIT)
HOSTILE_TEXT = st.one_of(
    st.text(ANY_CHAR, max_size=40),
    st.lists(st.one_of(PIECE, ANY_CHAR, st.text(ANY_CHAR, max_size=3)), max_size=10).map("".join),
)

FRENCH = ("", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")  # fmt: skip
FRENCH_SHORT = ("", "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")
DAYS = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))


def ordinal(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th') }"


def expected(d: date, precision: str, approximate: bool) -> FuzzyDate:
    """The date, built without the parser."""
    tilde = "~" if approximate else ""
    if precision == "day":
        return FuzzyDate(f"{d.year:04d}-{d.month:02d}-{d.day:02d}{tilde}", "day", approximate, d, d)
    if precision == "month":
        last = calendar.monthrange(d.year, d.month)[1]
        return FuzzyDate(f"{d.year:04d}-{d.month:02d}{tilde}", "month", approximate, d.replace(day=1), d.replace(day=last))
    return FuzzyDate(f"{d.year:04d}{tilde}", "year", approximate, date(d.year, 1, 1), date(d.year, 12, 31))


@st.composite
def typed_dates(draw) -> tuple[str, FuzzyDate]:
    """A valid date as a person might type it, and what it must be read as."""
    d = draw(DAYS)
    precision = draw(st.sampled_from(["day", "month", "year"]))
    approximate = draw(st.booleans())
    y = f"{d.year:04d}"
    month_word = draw(
        st.sampled_from(
            [calendar.month_name[d.month], calendar.month_abbr[d.month], calendar.month_abbr[d.month] + ".",
             FRENCH[d.month], FRENCH_SHORT[d.month]]
        )
    )  # fmt: skip
    month_word = draw(st.sampled_from([month_word, month_word.upper(), month_word.lower(), month_word.title()]))
    sep = draw(st.sampled_from([" ", "  ", "\u00a0", ", ", ","]))
    if precision == "year":
        core = y
    elif precision == "month":
        core = draw(st.sampled_from([f"{y}-{d.month:02d}", f"{month_word}{sep}{y}"]))
    else:
        day = draw(st.sampled_from([str(d.day), f"{d.day:02d}", ordinal(d.day)] + (["1er", "1ᵉʳ"] if d.day == 1 else [])))
        core = draw(
            st.sampled_from([f"{y}-{d.month:02d}-{d.day:02d}", f"{day} {month_word}{sep}{y}", f"{month_word} {day}{sep}{y}"])
        )
    if approximate:
        core = draw(st.sampled_from([core + "~", core + " ~", "c. " + core, "circa " + core, "ca." + core]))
    pad = st.sampled_from(["", " ", "\t", "  "])
    return draw(pad) + core + draw(pad), expected(d, precision, approximate)


@st.composite
def near_misses(draw) -> str:
    """A valid typed date with one character inserted, dropped or replaced."""
    text, _ = draw(typed_dates())
    i = draw(st.integers(0, len(text)))
    ch = draw(ANY_CHAR)
    how = draw(st.sampled_from(["insert", "drop", "replace"]))
    if how == "insert":
        return text[:i] + ch + text[i:]
    if how == "drop":
        return text[:i] + text[i + 1 :]
    return text[:i] + ch + text[i + 1 :]


DIGIT_RUN = st.integers(1, 40).map(lambda n: "9" * n)  # long, but well under Python's int() digit limit


@st.composite
def numeric_forms(draw) -> str:
    """Numbers with separators: 26/02/2024, 2024.2.6, 99999/1, with runs of any length."""
    parts = draw(st.lists(st.one_of(DIGIT_RUN, st.integers(0, 10**6).map(str)), min_size=1, max_size=3))
    sep = draw(st.sampled_from(["-", "/", ".", " "]))
    return sep.join(parts)


# ---------------------------------------------------------------- what must come out


def assert_good_refusal(error: BaseException, text: object, *, stripped: bool = True) -> str:
    """A DateError (a TrackerError) whose message is one printable line quoting the text
    (``stripped`` of surrounding spaces, as parse_date shows it; from_edtf shows it whole)."""
    assert type(error) is DateError, repr(error)
    assert isinstance(error, TrackerError)
    message = str(error)
    assert message.startswith("cannot understand the date "), message
    assert len(message.splitlines()) == 1 and message.isprintable(), repr(message)
    message.encode("utf-8")  # no lone surrogate: it can be written to any terminal or log
    assert len(message) < 400, len(message)
    if isinstance(text, str):
        shown = text.strip() if stripped else text
        if shown.isprintable() and len(shown) < 80:
            assert quoted(shown) in message, (shown, message)
    return message


def assert_consistent(result: FuzzyDate) -> None:
    """A date that was read: canonical, inside 1..9999, and read back the same from every form."""
    assert isinstance(result, FuzzyDate)
    assert result.start <= result.end
    assert from_edtf(result.edtf) == result
    assert parse_date(result.edtf) == result
    assert parse_date(result.display) == result
    assert result.edtf.isascii() and result.edtf.isprintable()


@FAST
@given(st.one_of(HOSTILE_TEXT, near_misses(), numeric_forms()))
@example("2024\n02")
@example("Feb\u20282024")
@example("26 Feb\x002024")
@example("2024\ud800")
@example("\ud800 février 2024")
@example("[/b] 2024 [TODO]")
@example("\x1b[2J2024")
@example("٢٠٢٤")
@example("２０２４-０２")
@example("2024" * 1000)
@example("~" * 5000)
@example("9" * 4000 + "/1")
@example("31/31/" + "9" * 30)
@example("c.")
@example("c. ~")
def test_parse_date_gives_a_date_or_a_one_line_date_error(text):
    try:
        result = parse_date(text, today=TODAY)
    except DateError as error:
        assert_good_refusal(error, text)
    else:
        assert_consistent(result)


@FAST
@given(typed_dates())
def test_every_typed_form_of_a_valid_date_round_trips(case):
    text, want = case
    got = parse_date(text, today=TODAY)
    assert (got.edtf, got.precision, got.approximate, got.start, got.end) == (
        want.edtf, want.precision, want.approximate, want.start, want.end,
    )  # fmt: skip
    assert got.display == want.display
    assert_consistent(got)


@FAST
@given(st.one_of(HOSTILE_TEXT, typed_dates().map(lambda case: case[0]), typed_dates().map(lambda case: case[1].edtf)))
@example("2024-02-26")
@example("2024-02-26\n")
@example("2024-02-26~~")
@example("２０２４")
@example("2024\ud800")
@example("")
def test_from_edtf_accepts_only_canonical_text(text):
    try:
        result = from_edtf(text)
    except DateError as error:
        assert_good_refusal(error, text, stripped=False)
    else:
        assert result.edtf == text  # only the canonical form itself is accepted
        assert_consistent(result)


NOT_TEXT = [None, 0, 2024, -1, 20240226, 2024.0, float("nan"), float("inf"), True, b"2024", bytearray(b"2024"),
            ["2024"], {"date": "2024"}, ("2024",), date(2024, 2, 26), object()]  # fmt: skip


@pytest.mark.parametrize("value", NOT_TEXT, ids=lambda v: type(v).__name__)
def test_values_that_are_not_text_are_date_errors(value):
    for parse in (parse_date, from_edtf):
        with pytest.raises(DateError) as info:
            parse(value)
        message = str(info.value)
        assert len(message.splitlines()) == 1 and message.isprintable()


# int() refuses a run of more than 4,300 digits with a ValueError ("Exceeds the limit (4300
# digits) for integer string conversion"), which is not a DateError: the hint for a
# numbers-only date must not reach int() with one (it once did: a traceback).
HUGE_NUMERIC = ["2024/" + "0" * 4301, "0" * 4301 + "/1/2024", "2024-" + "0" * 4301 + "-1", "2024-1-" + "0" * 4301]


@pytest.mark.parametrize("text", HUGE_NUMERIC, ids=["month-year", "day-month-year", "ymd-month", "ymd-day"])
def test_a_huge_digit_run_in_a_numeric_form_is_a_date_error(text):
    with pytest.raises(DateError) as info:
        parse_date(text)
    assert_good_refusal(info.value, text)


@pytest.mark.parametrize("text", ["1 ao\u0302ut 2000", "fe\u0301vrier 2024", "26 de\u0301c. 2023"])
def test_a_decomposed_accent_is_read_like_a_composed_one(text):
    # Text pasted from a PDF or a macOS file name is often NFD: looks the same, reads differently.
    assert parse_date(text) == parse_date(unicodedata.normalize("NFC", text))
