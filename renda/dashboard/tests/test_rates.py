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


@pytest.mark.parametrize("days", [30, 90])
def test_the_rates_by_unit_are_the_rates_pages(
    personas, scripted, county_leader, other_county_leader, days
):
    today = timezone.localdate(NOW)
    period = rates.range_period(today - dt.timedelta(days=days - 1), today)
    readers = [personas.leader, county_leader, other_county_leader, personas.town_clerk]
    readers.append(personas.admin)
    for user in readers:
        units, total = selectors.unit_rates(user, period, NOW)
        table = rates.rates_for_user(user, period, now=NOW)
        assert [(r.key, r.name, _shown(r)) for r in units] == [
            (r.key, r.name, _shown(r)) for r in table.units
        ], user
        assert _shown(total) == _shown(table.total), user
    units, total = selectors.unit_rates(personas.leader, period, NOW)
    assert total.figures["on_time"].denominator >= 1
