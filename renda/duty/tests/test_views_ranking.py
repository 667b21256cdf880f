"""/duty/ rankings per congress and per station, with the Excel export: each reader sees only
the deputies in their scope; a clerk of another town can neither see nor ask for them."""

import io

import pytest
from openpyxl import load_workbook

from renda.duty.tests.conftest import activity, attend


@pytest.fixture
def points(personas, on_commit):
    a = on_commit(activity, personas)
    on_commit(attend, a, personas.deputies["deputy"])  # +2
    on_commit(attend, a, personas.deputies["city"], "absent")  # -2
    b = on_commit(
        activity,
        personas,
        station=personas.stations["other_town"],
        region=personas.regions["other_town"],
        organiser=personas.units["other_town"],
        kind="study",
    )
    on_commit(attend, b, personas.deputies["other"])  # +1


def names(response) -> list[str]:
    import re

    table = response.text.split('data-testid="ranking-table"')[1].split("</table>")[0]
    return re.findall(r'/duty/deputies/\d+/\?year=\d+">([^<]+)</a>', table)


def test_a_town_clerk_ranks_their_towns_deputies(personas, login, points):
    response = login(personas.town_clerk).get("/duty/")
    assert response.status_code == 200
    assert "东湖街道人大工委代表 · 2026 年" in response.text
    assert names(response) == ["张代表"]


def test_a_clerk_of_another_town_sees_only_theirs(personas, login, points):
    client = login(personas.other_town_clerk)
    assert names(client.get("/duty/")) == ["王西山"]
    assert client.get(f"/duty/?congress={personas.units['town'].pk}").status_code == 404
    station = personas.stations["town"].pk
    assert client.get(f"/duty/?by=station&station={station}").status_code == 404
    town = personas.units["town"].pk
    assert client.get(f"/duty/ranking/export/?congress={town}").status_code == 404


def test_a_station_clerk_ranks_their_stations_deputies(personas, login, points):
    response = login(personas.station_clerk).get("/duty/?by=station")
    assert "东湖街道代表联络站进站代表" in response.text
    assert names(response) == ["张代表"]


def test_the_city_ranks_its_own_or_every_congress_below(personas, login, points):
    client = login(personas.city_clerk)
    city = personas.units["city"].pk
    assert names(client.get(f"/duty/?congress={city}&year=2026")) == ["赵市代"]
    # Everyone from 示例市 down, best first; 赵市代 lost 2 points for an absence.
    assert names(client.get(f"/duty/?congress={city}&lower=1")) == ["张代表", "王西山", "赵市代"]


def test_a_leader_reads_rankings_too(personas, login, points):
    assert login(personas.leader).get("/duty/").status_code == 200


@pytest.mark.parametrize("who", ["deputy", "citizen", "unit_handler"])
def test_others_may_not(personas, login, who):
    client = login(getattr(personas, who))
    assert client.get("/duty/").status_code == 403
    assert client.get("/duty/ranking/export/").status_code == 403


def test_the_export_has_the_rows_of_the_page(personas, login, points):
    city = personas.units["city"].pk
    response = login(personas.city_clerk).get(f"/duty/ranking/export/?congress={city}&lower=1")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("名次", "姓名", "工作单位及职务", "积分", "明细条数")
    assert [(r[0], r[1], r[3]) for r in rows[1:]] == [
        (1, "张代表", 2),
        (2, "王西山", 1),
        (3, "赵市代", -2),
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2026-13-01&end=2026-12-31", "请填写有效的起止日期"),
        ("start=2026-12-01&end=2026-01-01", "结束日期不能早于开始日期"),
        ("start=2000-01-01&end=2026-01-01", "统计期间不能超过 5 年"),
        ("year=1900", "请选择有效的年度"),
    ],
)
def test_a_bad_period_says_so(personas, login, points, query, message):
    response = login(personas.town_clerk).get(f"/duty/?{query}")
    assert response.status_code == 200
    assert message in response.text
    assert names(response) == ["张代表"]


def test_a_custom_period_counts_only_its_days(personas, login, points):
    client = login(personas.town_clerk)
    response = client.get("/duty/?start=2026-09-11&end=2026-12-31")
    assert "2026-09-11 至 2026-12-31" in response.text
    assert ">0</td>" in response.text


def test_bad_ids_are_404(personas, login):
    client = login(personas.city_clerk)
    assert client.get("/duty/?congress=abc").status_code == 404
    assert client.get(f"/duty/?congress={personas.units['city_dept'].pk}").status_code == 404
    assert client.get("/duty/?congress=999999").status_code == 404


def test_ranking_in_few_queries(personas, login, points, django_assert_max_num_queries):
    client = login(personas.city_clerk)
    client.get("/duty/")
    # session, user, memberships, installation, congresses (first + list), stations list,
    # deputies, sums, and the session's sliding expiry.
    with django_assert_max_num_queries(14):
        client.get(f"/duty/?congress={personas.units['city'].pk}&lower=1")
