"""Officials' visits to stations (国家机关工作人员进站 / 局长进站)."""

import pytest

from renda.activities.models import OfficialVisit
from renda.activities.tests.helpers import days


def _post(client, personas, **fields):
    data = {
        "station": personas.stations["town"].pk,
        "kind": OfficialVisit.Kind.DIRECTOR,
        "date": days(0).isoformat(),
        "official_name": "陈局长",
        "official_post": "局长",
        "unit": personas.units["town_gov"].pk,
        "questions": "加装电梯\n停车难",
        "answered_count": "1",
        "deputies": [personas.deputies["deputy"].pk],
    }
    data.update(fields)
    return client.post("/activities/visits/new/", data)


def test_a_station_clerk_records_a_visit(personas, login):
    client = login(personas.station_clerk)
    assert client.get("/activities/visits/new/").status_code == 200
    response = _post(client, personas)
    visit = OfficialVisit.objects.get()
    assert response["Location"] == f"/activities/{visit.activity_id}/"
    listed = client.get("/activities/visits/")
    assert "陈局长" in listed.text and "收集问题 2 个，现场答复 1 个" in listed.text


def test_visit_bad_input_is_explained(personas, login):
    client = login(personas.station_clerk)
    response = _post(client, personas, date=days(3).isoformat())
    assert response.status_code == 400 and "进站日期不能晚于今天" in response.text
    response = _post(client, personas, unit="", unit_name="")
    assert response.status_code == 400 and "请填写工作人员所在单位" in response.text
    response = _post(client, personas, answered_count="5")
    assert response.status_code == 400 and "现场答复数应在0至2之间" in response.text
    assert not OfficialVisit.objects.exists()


@pytest.mark.parametrize(
    "name,sees",
    [
        ("town_clerk", True),
        ("county_clerk", True),
        ("leader", True),
        ("station_clerk", True),
        ("other_town_clerk", False),
        ("other_county_clerk", False),
    ],
)
def test_the_visit_list_follows_the_scope(personas, login, name, sees):
    _post(login(personas.station_clerk), personas)
    response = login(getattr(personas, name)).get("/activities/visits/")
    assert response.status_code == 200
    listed = response.text.split('data-testid="visit-list"')[1]
    assert ("陈局长" in listed) is sees


@pytest.mark.parametrize("name", ["deputy", "citizen", "unit_handler"])
def test_others_cannot_see_visits(personas, login, name):
    assert login(getattr(personas, name)).get("/activities/visits/").status_code == 403
