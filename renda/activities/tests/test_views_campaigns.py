"""Campaign pages: list, detail with per-direction counts, create."""

import pytest

from renda.activities.models import Campaign
from renda.activities.tests.helpers import campaign, days, station_activity


@pytest.mark.parametrize(
    "name,sees",
    [
        ("admin", True),
        ("city_clerk", True),
        ("county_clerk", True),
        ("town_clerk", True),
        ("station_clerk", True),
        ("leader", True),
        ("deputy", True),
        ("other_town_clerk", False),
        ("other_county_clerk", False),
        ("unit_handler", False),
        ("citizen", False),
    ],
)
def test_a_county_campaign_reaches_the_county_below_it(personas, login, name, sees):
    six = campaign(personas)
    client = login(getattr(personas, name))
    listed = client.get("/activities/campaigns/")
    assert listed.status_code == 200
    assert ("六访六促" in listed.text) is sees
    assert client.get(f"/activities/campaigns/{six.pk}/").status_code == (200 if sees else 404)


def test_the_detail_counts_activities_by_direction(personas, login):
    six = campaign(personas)
    first = six.directions.first()
    station_activity(personas, campaign=six, direction=first)
    station_activity(personas, campaign=six)
    response = login(personas.town_clerk).get(f"/activities/campaigns/{six.pk}/")
    assert 'data-testid="total-activities">2<' in response.text
    assert first.name in response.text and "未选方向" in response.text


def test_a_clerk_creates_a_campaign_with_directions(personas, login):
    client = login(personas.town_clerk)
    assert client.get("/activities/campaigns/new/").status_code == 200
    response = client.post(
        "/activities/campaigns/new/",
        {
            "name": "稳企助企",
            "start_date": days(0).isoformat(),
            "end_date": days(90).isoformat(),
            "directions": "走访企业\n\n解决难题\n",
        },
    )
    created = Campaign.objects.get()
    assert response["Location"] == f"/activities/campaigns/{created.pk}/"
    assert created.organiser == personas.units["town"]
    assert list(created.directions.values_list("name", flat=True)) == ["走访企业", "解决难题"]


def test_campaign_bad_input_is_explained(personas, login):
    client = login(personas.town_clerk)
    response = client.post(
        "/activities/campaigns/new/",
        {"name": "稳企助企", "start_date": days(5).isoformat(), "end_date": days(0).isoformat()},
    )
    assert response.status_code == 400
    assert "结束日期不能早于开始日期" in response.text
    response = client.post(
        "/activities/campaigns/new/",
        {
            "name": "x",
            "start_date": days(0).isoformat(),
            "end_date": days(5).isoformat(),
            "organiser": personas.units["other_town"].pk,
        },
    )
    assert response.status_code == 400
    assert "所选主办人大不在可选范围内" in response.text


@pytest.mark.parametrize("name", ["leader", "deputy", "citizen", "unit_handler"])
def test_others_cannot_create(personas, login, name):
    assert login(getattr(personas, name)).get("/activities/campaigns/new/").status_code == 403
