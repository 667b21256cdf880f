"""The monthly and yearly tallies always equal the ledger, and a period's sums (whole years
and months from the tallies, partial months from the ledger) equal a plain sum of the
entries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum

from renda.deputies.models import Seat
from renda.duty.models import PointEntry, PointRule, PointTally, PointYearTally
from renda.duty.selectors import Period, _place_within, _rank_within, period_sums
from renda.duty.services import rule_save, tally_refresh
from renda.duty.tests.conftest import activity, attend, collected


@pytest.fixture
def ledger(personas, on_commit):
    deputy = personas.deputies["deputy"]
    for day in (dt.date(2026, 1, 31), dt.date(2026, 2, 1), dt.date(2026, 6, 15)):
        on_commit(attend, on_commit(activity, personas, date=day), deputy)
    on_commit(attend, on_commit(activity, personas, date=dt.date(2026, 6, 16)), deputy, "absent")
    on_commit(collected, personas)  # 2026-09-15
    return deputy


def tallies(deputy) -> dict:
    return {
        t.month: (t.points, t.entries)
        for t in PointTally.objects.filter(deputy=deputy).exclude(entries=0)
    }


def test_tallies_follow_the_ledger_through_a_rule_change(personas, ledger):
    assert tallies(ledger) == {
        dt.date(2026, 1, 1): (Decimal(2), 1),
        dt.date(2026, 2, 1): (Decimal(2), 1),
        dt.date(2026, 6, 1): (Decimal(0), 2),
        dt.date(2026, 9, 1): (Decimal(1), 1),
    }
    rule_save(actor=personas.admin, rule=PointRule.objects.get(name="参加接待日"), points=5)
    assert tallies(ledger)[dt.date(2026, 6, 1)] == (Decimal(3), 2)
    before = tallies(ledger)
    PointTally.objects.all().delete()  # a full rebuild gives the same numbers
    tally_refresh(None)
    assert tallies(ledger) == before


def year_tallies() -> dict:
    return {
        (t.deputy_id, t.year): (t.points, t.entries)
        for t in PointYearTally.objects.exclude(entries=0)
    }


def ledger_years() -> dict:
    rows = PointEntry.objects.filter(status="active").values_list("deputy_id", "date", "points")
    years: dict = {}
    for deputy_id, day, points in rows:
        total, n = years.get((deputy_id, day.year), (Decimal(0), 0))
        years[(deputy_id, day.year)] = (total + points, n + 1)
    return years


def test_year_tallies_follow_the_ledger(personas, ledger, on_commit):
    assert year_tallies() == ledger_years()
    assert year_tallies()[(ledger.pk, 2026)] == (Decimal(5), 5)
    # A rule change reprices in place, and moves the year with the months.
    rule_save(actor=personas.admin, rule=PointRule.objects.get(name="参加接待日"), points=5)
    assert year_tallies()[(ledger.pk, 2026)] == (Decimal(14), 5)
    # A change of what a rule applies to goes through the sync.
    rule = PointRule.objects.get(name="参加接待日")
    rule_save(actor=personas.admin, rule=rule, valid_from=dt.date(2026, 3, 1))
    assert year_tallies() == ledger_years()
    # A record's own change: an absence recorded in another year.
    on_commit(attend, on_commit(activity, personas, date=dt.date(2025, 12, 31)), ledger, "absent")
    assert year_tallies() == ledger_years()
    assert year_tallies()[(ledger.pk, 2025)] == (Decimal(-2), 1)
    before = year_tallies()
    PointYearTally.objects.all().delete()  # a full rebuild gives the same numbers
    tally_refresh(None)
    assert year_tallies() == before


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2026-01-01", "2026-12-31"),
        ("2025-01-01", "2026-12-31"),
        ("2025-11-01", "2027-01-31"),
        ("2025-11-15", "2027-01-20"),
        ("2026-01-31", "2026-06-15"),
        ("2026-02-01", "2026-02-28"),
        ("2026-06-16", "2026-06-20"),
        ("2026-01-15", "2026-09-14"),
    ],
)
def test_period_sums_equal_the_ledger(personas, ledger, start, end):
    period = Period.parse(start=start, end=end)
    expected = PointEntry.objects.filter(
        status="active", deputy=ledger, date__range=(period.start, period.end)
    )
    total = expected.aggregate(s=Sum("points"))["s"] or Decimal(0)
    got = period_sums([ledger.pk], period).get(ledger.pk, (Decimal(0), 0))
    assert got == (total, expected.count())


@pytest.mark.parametrize(
    ("start", "end"), [("2026-01-01", "2026-12-31"), ("2026-06-01", "2026-06-30")]
)
def test_a_deputys_place_in_a_congress_is_their_rank_in_it(personas, on_commit, start, end):
    """The sheet's place (counted in SQL over whole months) is the ranking's: equal totals
    share a place, and a deputy below zero comes after those without points."""
    day = dt.date(2026, 6, 15)
    held = on_commit(activity, personas, date=day)
    on_commit(attend, held, personas.deputies["deputy"])  # +2
    on_commit(attend, held, personas.deputies["city"], "absent")  # -2
    visit = on_commit(activity, personas, kind="visit_voters", date=day)
    on_commit(attend, visit, personas.deputies["other"])
    period = Period.parse(start=start, end=end)
    seats = Seat.objects.filter(status=Seat.Status.SERVING).select_related("term__congress")
    checked = 0
    for seat in seats:
        rows = _rank_within(seat.term.congress, period)
        expected = next(r for r, d in rows if d == seat.deputy_id), len(rows)
        mine = period_sums([seat.deputy_id], period).get(seat.deputy_id, (Decimal(0), 0))[0]
        assert _place_within(seat.term.congress, period, seat.deputy_id, mine) == expected
        checked += 1
    assert checked >= 3
