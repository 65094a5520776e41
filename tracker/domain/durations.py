"""How long between two dates, in words, and the calendar arithmetic under it.

* :func:`elapsed_words` says how long passed between two dates, at the coarser
  precision of the two ("1 year 11 months", "about 3 months", "same month");
* :func:`days_words` says a number of days that is not between two dates (a median);
* :func:`month_days` is the length of a month of the calendar, which
  :mod:`tracker.domain.dates` also checks typed days against.

Plain Python, no dependency beyond the standard library (``dateutil.relativedelta``
gives the same counts, which the tests check).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.domain.dates import FuzzyDate

# Days in each month of a common year, index 1..12.
_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def month_days(year: int, month: int) -> int:
    """The number of days of ``month`` (1..12) in ``year``."""
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _MONTH_DAYS[month]


_RANK = {"day": 0, "month": 1, "year": 2}


def _ymd_between(y1: int, m1: int, d1: int, y2: int, m2: int, d2: int) -> tuple[int, int, int]:
    """Whole years, months and days from the day ``(y1, m1, d1)`` to the day ``(y2, m2, d2)``,
    not before it: what ``dateutil.relativedelta(second, first)`` gives, in plain integers.

    Months are counted first, as calendar months from ``d1`` (clamped to the length of
    the month reached: 31 Jan + 1 month is 28 or 29 Feb), then the days left over.
    """
    months = (y2 - y1) * 12 + (m2 - m1)
    dim = month_days(y2, m2)
    day = d1 if d1 <= dim else dim  # the first day plus ``months``, in the second's month
    if d2 >= day:
        days = d2 - day
    else:  # one month fewer: the first day plus ``months - 1`` falls in the month before
        months -= 1
        py, pm = (y2, m2 - 1) if m2 > 1 else (y2 - 1, 12)
        dim = month_days(py, pm)
        days = dim - (d1 if d1 <= dim else dim) + d2
    years, months = divmod(months, 12)
    return years, months, days


def elapsed_words(a: FuzzyDate, b: FuzzyDate) -> str:
    """The time from ``a`` to ``b`` in words, at the coarser precision of the two.

    ``1 year 11 months``, ``3 months 5 days``, ``same month``; ``about ...`` when
    either is approximate; ``... earlier`` when ``b`` is before ``a``.
    """
    precision = a.precision if _RANK[a.precision] >= _RANK[b.precision] else b.precision
    first, second = a.start, b.start
    # Both cut to the precision: a month counts from its first day, a year from 1 January.
    if precision == "day":
        y1, m1, d1, y2, m2, d2 = first.year, first.month, first.day, second.year, second.month, second.day
    elif precision == "month":
        y1, m1, d1, y2, m2, d2 = first.year, first.month, 1, second.year, second.month, 1
    else:
        y1, m1, d1, y2, m2, d2 = first.year, 1, 1, second.year, 1, 1
    earlier = (y2, m2, d2) < (y1, m1, d1)
    if earlier:
        y1, m1, d1, y2, m2, d2 = y2, m2, d2, y1, m1, d1
    years, months, days = _ymd_between(y1, m1, d1, y2, m2, d2)
    # At most two units, the largest first: years and months, or months and days...
    if precision == "year":
        months = days = 0
    elif precision == "month":
        days = 0
    if years:
        words = "1 year" if years == 1 else f"{years} years"
        if months:
            words += " 1 month" if months == 1 else f" {months} months"
        elif days:
            words += " 1 day" if days == 1 else f" {days} days"
    elif months:
        words = "1 month" if months == 1 else f"{months} months"
        if days:
            words += " 1 day" if days == 1 else f" {days} days"
    elif days:
        words = "1 day" if days == 1 else f"{days} days"
    else:
        return f"about the same {precision}" if a.approximate or b.approximate else f"same {precision}"
    if earlier:
        words += " earlier"
    return "about " + words if a.approximate or b.approximate else words


def days_words(days: int) -> str:
    """A number of days in words, for a figure that is not between two dates (a median):
    ``14 days``, ``5 months``, ``1 year 2 months``. A month is 30.44 days, give or take the
    three days by which calendar months differ (1 Jan to 1 Mar, 59 days, is 2 months), and
    what is left under a month is dropped, as :func:`elapsed_words` drops it after a year."""
    if days < 0:
        return days_words(-days) + " earlier"
    years, months = divmod(int((days + 3) / 30.436875), 12)
    if days < 28 or not (years or months):
        return "1 day" if days == 1 else f"{days} days"
    parts = []
    if years:
        parts.append("1 year" if years == 1 else f"{years} years")
    if months:
        parts.append("1 month" if months == 1 else f"{months} months")
    return " ".join(parts)
