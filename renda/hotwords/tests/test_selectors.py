"""Hot words, rising terms and hot issues through each persona's data scope."""

import datetime as dt

import pytest

from renda.cases.services import case_accept, case_assign
from renda.cases.tests.helpers import category, tier
from renda.hotwords import selectors
from renda.org.scope import scope_for

SEPT = {"start": dt.date(2026, 9, 1), "end": dt.date(2026, 9, 15)}


def _words(user, **kwargs) -> dict[str, int]:
    found = selectors.hot_words(scope=scope_for(user), **{**SEPT, **kwargs})
    return {w.term: w.cases for w in found}


@pytest.fixture
def city(personas, file_case):
    """路灯 three times in 东湖街道, 停车 twice in 南湖镇, 积水 once in 西山镇; one old case."""
    file_case("湖滨路路灯不亮", "湖滨路北段三盏路灯已坏一周。")
    file_case("湖滨路路灯坏了", "湖滨路路灯晚上不亮。", place="town")
    file_case("湖滨社区路灯太暗", "小区门口路灯太暗。", when=(2026, 9, 2))
    file_case("南湖镇乱停车", "中心街道乱停车。", place="town2", cat="交通运输")
    file_case("南湖镇停车收费乱", "停车收费没有公示。", place="town2", cat="交通运输")
    file_case("西山村道路积水", "下雨后村道积水。", place="other_village")
    file_case("湖滨路路灯坏了", "去年的老问题。", when=(2026, 7, 1))
    return personas


@pytest.mark.parametrize(
    "persona,present,absent",
    [
        ("admin", {"路灯": 3, "停车": 2, "积水": 1}, set()),
        ("city_clerk", {"路灯": 3, "停车": 2, "积水": 1}, set()),
        ("leader", {"路灯": 3, "停车": 2, "积水": 1}, set()),
        ("county_clerk", {"路灯": 3, "停车": 2}, {"积水"}),
        ("town_clerk", {"路灯": 3}, {"停车", "积水"}),
        ("station_clerk", {"路灯": 3}, {"停车", "积水"}),
        ("other_town_clerk", {"积水": 1}, {"路灯", "停车"}),
        ("other_county_clerk", {"积水": 1}, {"路灯", "停车"}),
        ("unit_handler", {}, {"路灯", "停车", "积水"}),  # nothing assigned to the unit yet
        ("deputy", {}, {"路灯", "停车", "积水"}),
        ("citizen", {"路灯": 3, "停车": 2, "积水": 1}, set()),  # the citizen filed them all
    ],
)
def test_each_role_sees_the_words_of_its_scope(city, persona, present, absent):
    words = _words(getattr(city, persona))
    for term, n in present.items():
        assert words.get(term) == n, (persona, term, words)
    assert not absent & set(words), (persona, words)


def test_a_region_narrows_within_the_scope_and_never_widens_it(city):
    regions = city.regions
    assert set(_words(city.city_clerk, region=regions["town2"])) >= {"停车"}
    assert "路灯" not in _words(city.city_clerk, region=regions["town2"])
    # A town clerk asking for the whole city still gets only their town.
    assert "停车" not in _words(city.town_clerk, region=regions["city"])
    assert "路灯" in _words(city.town_clerk, region=regions["city"])
    # A region outside the scope reaches nothing.
    assert _words(city.town_clerk, region=regions["other_town"]) == {}
    # A village narrows to its town's counts (counts are kept by town).
    assert "路灯" in _words(city.town_clerk, region=regions["town"])


def test_category_and_period_filter(city):
    assert set(_words(city.city_clerk, category=category("交通运输"))) >= {"停车"}
    assert "路灯" not in _words(city.city_clerk, category=category("交通运输"))
    old = _words(city.city_clerk, start=dt.date(2026, 7, 1), end=dt.date(2026, 7, 31))
    assert old.get("路灯") == 1 and "停车" not in old


def test_a_handler_sees_the_words_of_the_cases_assigned_to_its_unit(city, file_case):
    case = file_case("湖滨路井盖缺失", "湖滨路井盖缺失很危险。", place="city")
    case = case_accept(case=case, actor=city.city_clerk, version=case.version)
    case_assign(
        case=case,
        actor=city.city_clerk,
        version=case.version,
        lead_unit=city.units["city_dept"],
        urgency=tier("一般"),
    )
    words = _words(city.unit_handler)
    assert words.get("井盖") == 1
    assert "停车" not in words
    total = selectors.case_total(scope=scope_for(city.unit_handler), **SEPT)
    assert total == 1


def test_hot_words_are_one_query_for_a_region_scope(city, django_assert_num_queries):
    scope = scope_for(city.county_clerk)  # memberships loaded here, outside the count
    with django_assert_num_queries(1):  # SUM(cases) GROUP BY term over the areas' counts
        words = selectors.hot_words(scope=scope, region=city.regions["town"], **SEPT)
    assert words[0].term == "路灯" and words[0].cases == 3


def test_rising_terms_compare_with_the_previous_period(personas, file_case):
    # Previous period (8/17–8/31): 20 cases about 噪音, 2 about 停车.
    for i in range(20):
        file_case(f"工地噪音扰民{i}", "夜间噪音很大。", when=(2026, 8, 20))
    for i in range(2):
        file_case(f"停车收费太贵{i}", "小区停车收费太贵。", when=(2026, 8, 21))
    # This period (9/1–9/15): 20 about 停车, 3 about 噪音.
    for i in range(20):
        file_case(f"停车收费太贵{i}", "小区停车收费太贵。", when=(2026, 9, 10))
    for i in range(3):
        file_case(f"工地噪音扰民{i}", "夜间噪音很大。", when=(2026, 9, 11))
    scope = scope_for(personas.town_clerk)
    found = selectors.rising_terms(scope=scope, **SEPT)
    terms = [r.term for r in found]
    assert terms[0] in {"停车", "收费", "太贵"}
    assert "噪音" not in terms
    top = next(r for r in found if r.term == "停车")
    assert (top.cases, top.previous) == (20, 2)
    assert top.g2 > 6.63
    assert top.ratio == pytest.approx((20 / 23) / (2 / 22))
    # Nothing before: nothing can be said to rise.
    august = {"start": dt.date(2026, 8, 1), "end": dt.date(2026, 8, 31)}
    assert selectors.rising_terms(scope=scope, **august) == []
    # Another town's clerk sees none of it.
    other = selectors.rising_terms(scope=scope_for(personas.other_town_clerk), **SEPT)
    assert other == []


def test_hot_issues_group_cases_about_one_problem_in_one_town(personas, file_case):
    for i in range(3):
        file_case(
            f"湖滨路北段路灯坏了{i}",
            "湖滨路北段路灯坏了好几盏，夜间漆黑，行人摔倒。",
            when=(2026, 9, 3 + i),
        )
    file_case("西山村北段路灯不亮", "西山村北段路灯坏了好几盏，夜间漆黑。", place="other_village")
    for i in range(40):  # other problems, each once, so that 路灯 is a rare word
        file_case(f"其他问题{i}", f"第{i}号事项：关于编号{i}的咨询与求助{i}。", place="town2")
    issues = selectors.hot_issues(scope=scope_for(personas.city_clerk), **SEPT)
    assert len(issues) == 1
    issue = issues[0]
    assert issue.place == "东湖街道"
    assert issue.count == 3
    assert "路灯" in issue.terms
    assert [c.title for c in issue.cases] == [f"湖滨路北段路灯坏了{i}" for i in range(3)]
    assert issue.first_day == dt.date(2026, 9, 3) and issue.span_days == 2
    assert issue.cases[0].code.startswith("MQ2026-")
    assert selectors.hot_issues(scope=scope_for(personas.other_town_clerk), **SEPT) == []


def test_a_reversed_period_is_refused(city):
    with pytest.raises(ValueError):
        selectors.hot_words(
            scope=scope_for(city.admin), start=dt.date(2026, 9, 2), end=dt.date(2026, 9, 1)
        )


def test_the_region_picker_offers_the_scope_without_villages(city):
    names = [r.name for r in selectors.regions_for_scope(scope_for(city.county_clerk))]
    assert names == ["东湖区", "东湖街道", "南湖镇"]
    assert selectors.regions_for_scope(scope_for(city.unit_handler)) == []
    assert len(selectors.regions_for_scope(scope_for(city.admin))) == 7
