"""The dashboard and its drill-down lists: who may open them, the figures of a scripted set
of cases counted by hand, jurisdiction, constant query counts and bad input."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renda.cases.models import Category
from renda.dashboard.tests.conftest import _submit

pytestmark = pytest.mark.django_db

# The last twelve months end with September 2026; the scripted cases fall in July to September.
JUL, AUG, SEP = 9, 10, 11


def _get(client, url="/dashboard/"):
    response = client.get(url)
    assert response.status_code == 200, response.content.decode()[:500]
    return response


def _list_count(client, url) -> int:
    response = _get(client, url)
    return response.context["page"].paginator.count


@pytest.mark.parametrize("who", ["leader", "city_clerk", "county_clerk", "town_clerk", "admin"])
def test_it_opens_for_leaders_clerks_and_admins(personas, login, who):
    response = _get(login(getattr(personas, who)))
    html = response.content.decode()
    assert "领导驾驶舱" in html
    assert "数据更新于" in html
    assert "vendor/echarts/echarts.min.js" in html
    assert 'id="dash-chart-data"' in html


@pytest.mark.parametrize("who", ["deputy", "citizen", "unit_handler", "station_clerk"])
def test_it_refuses_everyone_else_with_a_clear_page(personas, login, who):
    client = login(getattr(personas, who))
    for url in ("/dashboard/", "/dashboard/cases/?measure=received"):
        response = client.get(url)
        assert response.status_code == 403
        assert "领导驾驶舱仅向人大领导、人大工作人员和系统管理员开放" in response.content.decode()


def test_it_sends_anonymous_visitors_to_sign_in(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_city_leader_sees_the_figures_counted_by_hand(personas, scripted, login):
    client = login(personas.leader)
    data = _get(client).context["data"]
    assert data.totals == {"received": 5, "closed": 1, "late": 3, "overdue": 2, "key": 1}
    assert [m.key for m in data.months][JUL:] == ["2026-07", "2026-08", "2026-09"]
    assert data.months[0].key == "2025-10"
    assert data.trend["received"] == [0] * 9 + [2, 1, 2]
    assert data.trend["closed"] == [0] * 9 + [1, 0, 0]
    assert data.trend["late"] == [0] * 9 + [1, 1, 1]
    areas = {a["name"]: a for a in data.areas}
    assert list(areas) == ["东湖区", "西山县"]
    assert {k: areas["东湖区"][k] for k in ("received", "closed", "late", "overdue", "key")} == {
        "received": 4, "closed": 1, "late": 2, "overdue": 1, "key": 0
    }  # fmt: skip
    assert {k: areas["西山县"][k] for k in ("received", "closed", "late", "overdue", "key")} == {
        "received": 1, "closed": 0, "late": 1, "overdue": 1, "key": 1
    }  # fmt: skip
    categories = {c["name"]: (c["received"], c["closed"], c["late"]) for c in data.categories}
    assert categories == {"城乡建设": (2, 1, 1), "交通运输": (2, 0, 1), "环境保护": (1, 0, 1)}
    assert [r["code"] for r in data.overdue] == [scripted["late"].code, scripted["west"].code]
    assert [r["code"] for r in data.key] == [scripted["west"].code]
    assert data.key[0]["supervision_label"] == "重点督办"
    # The rates by unit come from renda.cases.rates over the last 30 days (08-17 to 09-15):
    # only the 南湖镇 case, assigned 09-07 and answered late, falls in it.
    assert data.rates["period"] == {"from": "2026-08-17", "to": "2026-09-15"}
    units = [(r["name"], r["figures"][1]["percent"]) for r in data.rates["units"]]
    assert units == [("东湖街道办事处", "0.0%")]
    assert data.rates["total"][1]["numerator"] == 0 and data.rates["total"][1]["denominator"] == 1
    assert ("湖滨路", 2) in data.words


def test_a_county_leader_sees_only_the_county(
    personas, scripted, login, county_leader, other_county_leader
):
    data = _get(login(county_leader)).context["data"]
    assert data.totals == {"received": 4, "closed": 1, "late": 2, "overdue": 1, "key": 0}
    names = [a["name"] for a in data.areas]
    assert "西山县" not in names and "西山镇" not in names
    areas = {a["name"]: a for a in data.areas}
    assert (areas["东湖街道"]["received"], areas["南湖镇"]["received"]) == (3, 1)
    assert [r["code"] for r in data.overdue] == [scripted["late"].code]
    assert data.key == []
    assert [r["name"] for r in data.rates["units"]] == ["东湖街道办事处"]
    assert all(term != "西山村" for term, _ in data.words)
    html = _get(login(county_leader)).content.decode()
    assert "西山村垃圾清运不及时" not in html

    data = _get(login(other_county_leader)).context["data"]
    assert data.totals == {"received": 1, "closed": 0, "late": 1, "overdue": 1, "key": 1}
    assert [a["name"] for a in data.areas] == ["西山镇"]
    assert [r["code"] for r in data.key] == [scripted["west"].code]
    assert "湖滨路路灯不亮" not in _get(login(other_county_leader)).content.decode()


def test_every_figure_leads_to_as_many_rows(personas, scripted, login):
    client = login(personas.leader)
    response = _get(client)
    data = response.context["data"]
    html = response.content.decode()
    for total in response.context["totals"]:
        assert _list_count(client, total["url"]) == total["value"], total["key"]
        assert f'href="{total["url"].replace("&", "&amp;")}"' in html
    for row in data.categories + data.areas:
        for measure, url in row["urls"].items():
            assert _list_count(client, url) == row[measure], (row["name"], measure)
    chart = response.context["chart"]
    for series in chart["trend"]:
        for value, url in zip(series["data"], series["urls"], strict=True):
            assert _list_count(client, url) == value, url
    # A rate leads to the rates page's own list, whose count is the denominator.
    figure = data.rates["units"][0]["figures"][1]
    rows = client.get(figure["url"])
    assert rows.status_code == 200
    assert rows.context["page"].paginator.count == figure["denominator"] == 1
    # A hot word leads to the inbox's search.
    word = next(w for w in chart["words"] if w["name"] == "湖滨路")
    assert word["url"].startswith("/cases/?q=")
    assert client.get(word["url"]).status_code == 200


def test_the_list_behind_a_figure_shows_its_rows(personas, scripted, login):
    client = login(personas.leader)
    html = _get(client, "/dashboard/cases/?measure=late&month=2026-08").content.decode()
    assert "逾期 · 2026年8月" in html
    assert scripted["west"].code in html
    assert scripted["late"].code not in html
    html = _get(client, "/dashboard/cases/?measure=key").content.decode()
    assert "西山村垃圾清运不及时" in html and "重点督办" in html


def test_a_county_leader_cannot_list_another_countys_area(personas, scripted, login, county_leader):
    client = login(county_leader)
    west = personas.regions["other_county"].pk
    response = client.get(f"/dashboard/cases/?measure=received&area={west}")
    assert response.status_code == 400
    assert "该区域不在您的辖区内" in response.content.decode()
    # Without an area, the list is the county's own.
    assert _list_count(client, "/dashboard/cases/?measure=key") == 0
    assert _list_count(client, "/dashboard/cases/?measure=received") == 4


@pytest.mark.parametrize(
    "query, message",
    [
        ("", "请选择指标"),
        ("measure=nonsense", "没有这个指标"),
        ("measure=received&month=2024-01", "月份须为近12个月之一"),
        ("measure=received&month=abc", "月份须为近12个月之一"),
        ("measure=received&category=99999", "没有这个分类"),
        ("measure=received&category=x", "分类编号无效"),
        ("measure=received&area=x", "区划编号无效"),
    ],
)
def test_bad_list_parameters_get_a_clear_message(personas, login, query, message):
    response = login(personas.leader).get(f"/dashboard/cases/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def _queries(client, url="/dashboard/?refresh=1") -> int:
    with CaptureQueriesContext(connection) as queries:
        _get(client, url)
    return len(queries.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_cases(
    personas, login, scripted, django_assert_num_queries, django_capture_on_commit_callbacks
):
    client = login(personas.leader)
    _get(client)  # the session and anything cached per process
    before = _queries(client)
    # With their follow-up run as the commits would run it: the worker counts them.
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(6):
            _submit(
                personas,
                title=f"第{i}件道路破损",
                region="other_village" if i % 2 else "village",
                category="交通运输" if i % 3 else "城乡建设",
            )
    with django_assert_num_queries(before):
        _get(client, "/dashboard/?refresh=1")
    assert _get(client, "/dashboard/?refresh=1").context["data"].totals["received"] == 11
    # The list pages too: a page of rows costs the same as an empty one.
    list_before = _queries(client, "/dashboard/cases/?measure=key")
    assert _queries(client, "/dashboard/cases/?measure=received") == list_before


def test_the_figures_are_cached_for_a_minute_and_say_when(
    personas, scripted, login, clock, django_capture_on_commit_callbacks
):
    client = login(personas.leader)
    html = _get(client).content.decode()
    assert re.search(r"数据更新于 10:00", html)
    with django_capture_on_commit_callbacks(execute=True):  # counted by the worker
        _submit(personas, title="新增一件", region="village", category="城乡建设")
    with CaptureQueriesContext(connection) as queries:
        data = _get(client).context["data"]
    assert data.totals["received"] == 5  # cached
    assert len(queries.captured_queries) < 10
    clock.shift(61)
    data = _get(client).context["data"]
    assert data.totals["received"] == 6
    assert "数据更新于 10:01" in _get(client).content.decode()


def test_a_category_with_no_cases_is_left_out_and_an_empty_city_shows_zeros(personas, login):
    data = _get(login(personas.leader)).context["data"]
    assert data.totals == {"received": 0, "closed": 0, "late": 0, "overdue": 0, "key": 0}
    assert data.categories == []
    assert [a["name"] for a in data.areas] == ["东湖区", "西山县"]
    assert Category.objects.exists()


def test_the_page_is_printable(personas, login):
    html = _get(login(personas.leader)).content.decode()
    assert "dashboard/dashboard.css" in html
    from django.contrib.staticfiles import finders

    with open(finders.find("dashboard/dashboard.css"), encoding="utf-8") as f:
        css = f.read()
    assert "@media print" in css and "size: A4" in css
    assert ".renda-topbar" in css
