"""Query budgets of the activity pages: a page costs the same with more rows.

Every budget counts: session, user, memberships and the installation row (4); the session save
at the end (an update inside a savepoint: 3); and the page's own queries, named per test.
"""

import pytest

from renda.activities.models import OfficialVisit
from renda.activities.services import schedule_create, visit_record
from renda.activities.tests.helpers import campaign, days, station_activity


def _budget(client, url, assert_max, n):
    client.get(url)
    with assert_max(n):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("rows", [1, 8])
def test_the_activity_detail(personas, login, django_assert_max_num_queries, rows):
    activity = station_activity(personas, citizens_names="李大明")
    for _ in range(rows - 1):
        station_activity(personas)
    # activity with joins, can-write (scope + activity), attendances, links, photos.
    _budget(
        login(personas.town_clerk),
        f"/activities/{activity.pk}/",
        django_assert_max_num_queries,
        15,
    )


@pytest.mark.parametrize("rows", [1, 8])
def test_the_campaign_list_and_detail(personas, login, django_assert_max_num_queries, rows):
    for i in range(rows):
        six = campaign(personas, name=f"主题{i}")
        station_activity(personas, campaign=six)
    client = login(personas.town_clerk)
    # count, rows with directions counted.
    _budget(client, "/activities/campaigns/", django_assert_max_num_queries, 10)
    # campaign, directions, by direction, recent, three totals.
    _budget(client, f"/activities/campaigns/{six.pk}/", django_assert_max_num_queries, 16)


@pytest.mark.parametrize("weeks", [1, 10])
def test_the_calendar(personas, login, django_assert_max_num_queries, weeks):
    schedule_create(
        actor=personas.station_clerk,
        station=personas.stations["town"],
        kind="weekly_study",
        weekday=days(0).weekday(),
        valid_from=days(0),
        generate_until=days(7 * weeks),
    )
    station = personas.stations["town"]
    month = days(0).strftime("%Y-%m")
    # station, duty days with their rota (prefetch), schedules.
    _budget(
        login(personas.station_clerk),
        f"/activities/calendar/{station.pk}/?month={month}",
        django_assert_max_num_queries,
        13,
    )


@pytest.mark.parametrize("rows", [1, 6])
def test_the_visit_list(personas, login, django_assert_max_num_queries, rows):
    for i in range(rows):
        visit_record(
            actor=personas.station_clerk,
            station=personas.stations["town"],
            date=days(-i),
            kind=OfficialVisit.Kind.OFFICIAL,
            official_name=f"陈{i}",
            unit=personas.units["town_gov"],
        )
    # count, rows with station and unit joined.
    _budget(login(personas.town_clerk), "/activities/visits/", django_assert_max_num_queries, 10)
