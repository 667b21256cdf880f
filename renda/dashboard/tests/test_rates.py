"""The dashboard's rates by unit (`selectors.unit_rates`) are those of the rates page
(`renda.cases.rates.rates_for_user`) for every reader, over the scripted cases."""

import datetime as dt

import pytest
from django.utils import timezone

from renda.cases import rates
from renda.dashboard import selectors
from renda.dashboard.tests.conftest import NOW

pytestmark = pytest.mark.django_db


def _shown(row: rates.Row) -> dict:
    return {key: row.figures[key] for key in selectors.SHOWN_RATES}


@pytest.mark.parametrize("counted", [True, False], ids=["kept rows", "cases"])
@pytest.mark.parametrize("days", [30, 90])
def test_the_rates_by_unit_are_the_rates_pages(
    personas, scripted, county_leader, other_county_leader, days, counted, monkeypatch
):
    # Read from the rows kept beside the counters (RateAssignment, RateRating), or, for a
    # reader the counters do not serve, from the rates page's own rows.
    today = timezone.localdate(NOW)
    period = rates.range_period(today - dt.timedelta(days=days - 1), today)
    readers = [personas.leader, county_leader, other_county_leader, personas.town_clerk]
    readers.append(personas.admin)
    assert all(selectors.counted_scope(user) for user in readers)
    if not counted:
        monkeypatch.setattr(selectors, "counted_scope", lambda user: False)
    for user in readers:
        units, total = selectors.unit_rates(user, period, NOW)
        table = rates.rates_for_user(user, period, now=NOW)
        assert [(r.key, r.name, _shown(r)) for r in units] == [
            (r.key, r.name, _shown(r)) for r in table.units
        ], user
        assert _shown(total) == _shown(table.total), user
    units, total = selectors.unit_rates(personas.leader, period, NOW)
    assert total.figures["on_time"].denominator >= 1


def _rate_rows() -> tuple[list, list]:
    from renda.dashboard.models import RateAssignment, RateRating

    return (
        list(RateAssignment.objects.order_by("pk").values()),
        list(RateRating.objects.order_by("pk").values()),
    )


def test_the_rows_kept_after_every_change_are_those_a_rebuild_writes(
    personas, scripted, county_leader
):
    # The scripted cases went through the services, so the worker's follow-up (the hook)
    # wrote their rows one change after another; the rebuild writes them all in SQL.
    from renda.dashboard.counters import counts_rebuild

    kept = _rate_rows()
    assert kept[0] and kept[1]  # lead assignments, and ratings
    counts_rebuild()
    assert _rate_rows() == kept
    today = timezone.localdate(NOW)
    period = rates.range_period(today - dt.timedelta(days=89), today)
    for user in (personas.leader, county_leader):
        units, total = selectors.unit_rates(user, period, NOW)
        table = rates.rates_for_user(user, period, now=NOW)
        assert [(r.key, _shown(r)) for r in units] == [(r.key, _shown(r)) for r in table.units]
        assert _shown(total) == _shown(table.total)
