"""/duty/nominations/: a congress clerk proposes from the ledger and confirms; a station clerk
or leader reads; a clerk of another town can do neither."""

import pytest

from renda.duty.models import Nomination
from renda.duty.tests.conftest import activity, attend


@pytest.fixture
def points(personas, on_commit):
    on_commit(attend, on_commit(activity, personas), personas.deputies["deputy"])


def propose(client, personas, **changes):
    data = {
        "honour": "activist",
        "congress": personas.units["town"].pk,
        "year": "2026",
        "top": "5",
    }
    data.update(changes)
    return client.post("/duty/nominations/", data)


def test_a_clerk_proposes_and_confirms(personas, login, points):
    client = login(personas.town_clerk)
    response = propose(client, personas)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "已根据积分推荐 1 名代表" in page.text
    assert "张代表" in page.text and "待确认" in page.text
    nomination = Nomination.objects.get()
    decided = client.post(
        f"/duty/nominations/{nomination.pk}/decide/",
        {"decision": "confirm", "note": "主席团会议通过"},
    )
    assert decided.status_code == 302
    page = client.get(decided["Location"])
    assert "已确认：张代表（年度履职积极分子）" in page.text
    assert "东湖街道工委干部 2026-09-15 10:00" in page.text
    again = client.post(f"/duty/nominations/{nomination.pk}/decide/", {"decision": "decline"})
    assert "不能重复处理" in client.get(again["Location"]).text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"top": "0"}, "确保该值大于或等于1"),
        ({"year": "abc"}, "输入整数"),
        ({"year": "2024"}, "2024 年没有可据以推荐的积分记录"),
        ({"honour": "nobel"}, "选择一个有效的选项"),
    ],
)
def test_bad_input(personas, login, points, changes, message):
    response = propose(login(personas.town_clerk), personas, **changes)
    assert response.status_code == 200
    assert message in response.text


def test_readers_see_without_acting(personas, login, points):
    propose(login(personas.town_clerk), personas)
    nomination = Nomination.objects.get()
    for who in ("station_clerk", "leader"):
        client = login(getattr(personas, who))
        page = client.get("/duty/nominations/")
        assert page.status_code == 200
        assert "张代表" in page.text and "生成推荐名单" not in page.text
        assert propose(client, personas).status_code == 403
        decide = client.post(f"/duty/nominations/{nomination.pk}/decide/", {"decision": "confirm"})
        assert decide.status_code == 403


def test_another_towns_clerk_can_neither_see_nor_decide(personas, login, points):
    propose(login(personas.town_clerk), personas)
    nomination = Nomination.objects.get()
    client = login(personas.other_town_clerk)
    assert "张代表" not in client.get("/duty/nominations/").text
    decide = client.post(f"/duty/nominations/{nomination.pk}/decide/", {"decision": "confirm"})
    assert decide.status_code == 404
    # Nor propose for a congress outside their scope.
    response = propose(client, personas)
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.text
    assert Nomination.objects.get().status == Nomination.Status.PROPOSED


@pytest.mark.parametrize("who", ["deputy", "citizen", "unit_handler"])
def test_others_may_not(personas, login, who):
    assert login(getattr(personas, who)).get("/duty/nominations/").status_code == 403
