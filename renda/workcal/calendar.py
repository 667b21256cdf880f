"""Working days: the only way deadlines are computed in Renda.

`add_working_days(start, n)` is the n-th working day after `start` (before it, for n < 0);
`working_days_between(a, b)` counts the working days after `a` up to and including `b`, so
`working_days_between(a, add_working_days(a, n)) == n`.
"""

import datetime as dt

from renda.workcal.models import CalendarDay

# Holiday seasons are at most ~9 days; a window this wide always covers n working days.
_SLACK_DAYS = 20


def _exceptions(first: dt.date, last: dt.date) -> dict[dt.date, bool]:
    """Stored days in [first, last], mapped to whether they are working days."""
    rows = CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "kind")
    return {day: kind == CalendarDay.Kind.WORKDAY for day, kind in rows}


def _is_working(day: dt.date, exceptions: dict[dt.date, bool]) -> bool:
    if day in exceptions:
        return exceptions[day]
    return day.weekday() < 5


def is_working_day(day: dt.date) -> bool:
    return _is_working(day, _exceptions(day, day))


def add_working_days(start: dt.date, n: int) -> dt.date:
    if n == 0:
        return start
    step = 1 if n > 0 else -1
    remaining = abs(n)
    day = start
    while True:
        span = dt.timedelta(days=remaining * 2 + _SLACK_DAYS)
        window = (day, day + span) if step > 0 else (day - span, day)
        exceptions = _exceptions(*window)
        end = window[1] if step > 0 else window[0]
        while day != end:
            day += dt.timedelta(days=step)
            if _is_working(day, exceptions):
                remaining -= 1
                if remaining == 0:
                    return day


def working_days_between(a: dt.date, b: dt.date) -> int:
    if a == b:
        return 0
    if b < a:
        return -working_days_between(b, a)
    exceptions = _exceptions(a, b)
    count = 0
    day = a
    while day < b:
        day += dt.timedelta(days=1)
        count += _is_working(day, exceptions)
    return count
