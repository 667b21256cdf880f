"""The 民意热点 dashboard (/hot/): who may open it, what each role sees, bad input, queries."""

import pytest
from django.urls import reverse

from renda.cases.tests.helpers import category

URL = reverse("hotwords:dashboard")


@pytest.fixture
def city(personas, file_case):
    file_case("湖滨路路灯坏了", "湖滨路北段三盏路灯已坏一周，夜间漆黑。")
    file_case("湖滨社区路灯太暗", "小区门口路灯太暗。", place="town", when=(2026, 9, 15))
    file_case("西山村道路积水", "下雨后村道积水。", place="other_village")
    return personas


def _words(response) -> list[str]:
    return [w.term for w in response.context["words"]]


@pytest.mark.parametrize(
    "persona,sees,hidden",
    [
        ("admin", {"路灯", "积水"}, set()),
        ("city_clerk", {"路灯", "积水"}, set()),
        ("leader", {"路灯", "积水"}, set()),  # read-only, may look
        ("county_clerk", {"路灯"}, {"积水"}),
        ("town_clerk", {"路灯"}, {"积水"}),
        ("station_clerk", {"路灯"}, {"积水"}),
        ("other_town_clerk", {"积水"}, {"路灯"}),
        ("other_county_clerk", {"积水"}, {"路灯"}),
        ("unit_handler", set(), {"路灯", "积水"}),  # nothing assigned to the unit
    ],
)
def test_each_staff_role_sees_its_own_scope(city, login, persona, sees, hidden):
    response = login(getattr(city, persona)).get(URL, {"period": "month"})
    assert response.status_code == 200
    words = set(_words(response))
    assert sees <= words, words
    assert not hidden & words, words
    body = response.content.decode()
    assert "民意热点" in body
    if sees:
        assert 'data-testid="hot-bar"' in body and 'data-testid="hot-cloud"' in body
        assert "vendor/echarts/echarts.min.js" in body
        assert "vendor/echarts/echarts-wordcloud.min.js" in body
    else:
        assert 'data-testid="hot-empty"' in body


@pytest.mark.parametrize("persona", ["deputy", "citizen"])
def test_deputies_and_citizens_may_not_open_it(city, login, persona):
    assert login(getattr(city, persona)).get(URL).status_code == 403


def test_it_asks_a_visitor_to_log_in(client, city):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_region_picker_offers_only_the_scope(city, login):
    response = login(city.county_clerk).get(URL)
    choices = [label for _, label in response.context["form"].fields["region"].choices]
    expected = ["全部（权限范围内）", "东湖区", "东湖街道", "南湖镇"]
    assert [c.strip("\u3000") for c in choices] == expected
    # A town clerk has one region: it is chosen for them.
    response = login(city.town_clerk).get(URL)
    assert response.context["place"] == "东湖街道"


def test_a_region_outside_the_scope_is_refused_in_chinese(city, login):
    other = city.regions["other_town"].pk
    response = login(city.town_clerk).get(URL, {"region": other})
    assert response.status_code == 400
    assert "请选择您权限范围内的区域" in response.content.decode()


@pytest.mark.parametrize(
    "query,message",
    [
        ({"period": "custom"}, "自定义时间请填写开始日期和结束日期"),
        ({"period": "custom", "from": "2026-09-10", "to": "2026-09-01"}, "结束日期不能早于"),
        ({"period": "custom", "from": "2020-01-01", "to": "2026-09-01"}, "时间跨度不能超过3年"),
        ({"period": "custom", "from": "2026-13-01", "to": "2026-09-01"}, "请输入有效的日期"),
        ({"period": "year"}, "请选择本周、本月或自定义"),
        ({"category": "99999"}, "没有这个分类"),
        ({"region": "abc"}, "请选择您权限范围内的区域"),
    ],
)
def test_bad_filters_get_a_clear_message(city, login, query, message):
    response = login(city.city_clerk).get(URL, query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_period_category_and_region_filter_the_page(city, login):
    client = login(city.city_clerk)
    week = client.get(URL, {"period": "week"})  # Monday 9/14 – Tuesday 9/15
    assert week.context["start"].isoformat() == "2026-09-14"
    assert "路灯" in _words(week)
    custom = client.get(URL, {"period": "custom", "from": "2026-08-01", "to": "2026-08-31"})
    assert custom.status_code == 200 and _words(custom) == []
    env = client.get(URL, {"category": category("环境保护").pk})
    assert _words(env) == []
    town = client.get(URL, {"region": city.regions["other_town"].pk})
    assert "积水" in _words(town) and "路灯" not in _words(town)


def test_it_shows_hot_issues_with_links_to_their_cases(personas, login, file_case):
    codes = []
    for i in range(3):
        case = file_case(f"湖滨路北段路灯坏了{i}", "湖滨路北段路灯坏了好几盏，夜间漆黑，行人摔倒。")
        codes.append(case.code)
    for i in range(10):
        file_case(f"其他问题{i}", f"关于编号{i}的咨询与求助{i}。", place="town2")
    body = login(personas.town_clerk).get(URL).content.decode()
    assert 'data-testid="hot-issue"' in body
    for code in codes:
        assert f'href="/cases/{code}/"' in body


def test_it_renders_in_a_fixed_number_of_queries(
    personas, login, file_case, django_assert_num_queries
):
    client = login(personas.county_clerk)
    client.get(URL)  # warm: the segmenter, content types

    def count() -> int:
        # session, user, memberships (the scope), regions for the picker, hot words, case
        # total, rising terms (counts and totals), hot issues (stored terms, their cases,
        # their towns) and categories (the picker); the session is written back only every
        # few minutes (renda.accounts.middleware), and the installation (the base template)
        # is remembered (renda.lib.memo).
        with django_assert_num_queries(11):
            response = client.get(URL)
        assert response.status_code == 200
        return len(response.context["words"])

    for i in range(3):
        file_case(f"湖滨路北段路灯坏了{i}", "湖滨路北段路灯坏了好几盏，夜间漆黑。")
    few = count()
    for i in range(10):
        file_case(f"南湖镇停车收费太贵{i}", "停车收费太贵。", place="town2")
    assert count() > few
