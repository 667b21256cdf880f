"""Deadlines in working days, over the seeded 2024–2027 calendar."""

import datetime as dt

import pytest

from renda.workcal.calendar import add_working_days, is_working_day, working_days_between
from renda.workcal.models import CalendarDay
from renda.workcal.services import calendar_day_set, calendar_seed

pytestmark = pytest.mark.django_db

D = dt.date


def test_it_seeds_every_year_from_2024_to_2027():
    years = {d.year for d in CalendarDay.objects.values_list("date", flat=True)}
    assert years == {2024, 2025, 2026, 2027}


def test_it_skips_the_national_day_holiday():
    # 2026-10-01..07 off; Sat 2026-10-10 is a make-up working day.
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)
    assert is_working_day(D(2026, 10, 10))
    assert not is_working_day(D(2026, 10, 5))


def test_it_counts_make_up_days_and_skips_spring_festival():
    # 2026 Spring Festival: 02-15..02-23 off, Sat 02-14 and Sat 02-28 worked.
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2  # 02-14 and 02-24
    assert add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)


def test_it_is_the_inverse_of_working_days_between():
    start = D(2025, 12, 20)
    for n in (1, 5, 15, 30, 60):
        end = add_working_days(start, n)
        assert working_days_between(start, end) == n
        assert add_working_days(end, -n) <= start


def test_it_handles_zero_and_reversed_ranges():
    assert add_working_days(D(2026, 1, 5), 0) == D(2026, 1, 5)
    assert working_days_between(D(2026, 1, 9), D(2026, 1, 5)) == -4


def test_it_lets_an_admin_announce_a_new_make_up_day(personas):
    saturday = D(2027, 1, 30)
    assert not is_working_day(saturday)
    calendar_day_set(
        day=saturday, kind=CalendarDay.Kind.WORKDAY, name="春节调休上班", actor=personas.admin
    )
    assert is_working_day(saturday)


def test_it_keeps_admin_edits_when_reseeded(personas):
    day = D(2026, 10, 1)
    calendar_day_set(day=day, kind=CalendarDay.Kind.WORKDAY, name="测试", actor=personas.admin)
    calendar_seed(years=[2026])
    assert CalendarDay.objects.get(date=day).kind == CalendarDay.Kind.WORKDAY
    calendar_seed(years=[2026], overwrite=True)
    assert CalendarDay.objects.get(date=day).kind == CalendarDay.Kind.HOLIDAY
