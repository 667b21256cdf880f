"""The rates pages (/cases/rates/, its export and the lists behind the figures): personas,
figures as computed by hand in test_rates, links that list exactly the counted rows, the
Excel file, bad parameters and the query budget."""

import io
import re
from html import unescape

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from renda.accounts.services import user_create
from renda.cases.rates import RATES
from renda.cases.services import case_rate, case_reply, case_sign
from renda.cases.tests.helpers import assigned_to_town, at
from renda.cases.tests.test_rates import (
    COUNTY_DEPT,
    EMPTY,
    TOWN_GOV,
    TOWN_TOTAL,
    make_other_town_handler,
    script_september,
)
from renda.org.roles import Role
from renda.org.services import membership_grant
from renda.testing import PASSWORD
from renda.workbench.tests.conftest import (  # noqa: F401 - the browser fixtures
    _async_unsafe_allowed,
    browser,
    live_personas,
    log_in,
    new_page,
    phone_page,
    shot,
)

SEPTEMBER = "?period=month&month=2026-09"


@pytest.fixture
def september(personas, clock, town_handler, county_unit, county_handler):
    """The scripted September of test_rates, whose figures are computed there by hand."""
    other = make_other_town_handler(personas)
    return script_september(personas, clock, town_handler, county_unit, county_handler, other)


def _rows(response) -> dict[str, dict[str, tuple[int, int, str]]]:
    """Every table row by its test id: rate key → (numerator, denominator, percent); the
    first table's rows win (the total row is in both)."""
    rows: dict[str, dict] = {}
    for match in re.finditer(
        r'<tr data-testid="rates-row-([\w-]+)"(.*?)</tr>', response.text, re.S
    ):
        cells = re.findall(
            r'data-testid="cell-(\w+)">\s*<span[^>]*>([^<]*)</span>\s*<small><a [^>]*>(\d+)</a>'
            r" / <a [^>]*>(\d+)</a>",
            match.group(2),
        )
        figures = {key: (int(n), int(d), p) for key, p, n, d in cells}
        rows.setdefault(match.group(1), figures)
    return rows


def _links(response, row: str) -> list[tuple[str, int]]:
    """(href, shown number) of every numerator and denominator link of a row."""
    match = re.search(rf'<tr data-testid="rates-row-{row}"(.*?)</tr>', response.text, re.S)
    assert match, row
    return [
        (unescape(href), int(number))
        for href, number in re.findall(
            r'<a href="(/cases/rates/cases/[^"]+)"[^>]*>(\d+)</a>', match.group(1)
        )
    ]


def _listed(response) -> int:
    return len(re.findall(r'data-testid="rates-case-row"', response.text))


def test_it_shows_the_town_clerk_the_hand_computed_figures(personas, login, september):
    response = login(personas.town_clerk).get(f"/cases/rates/{SEPTEMBER}")
    assert response.status_code == 200
    rows = _rows(response)
    assert rows["total"] == TOWN_TOTAL
    assert rows[f"unit-{personas.units['town_gov'].pk}"] == TOWN_GOV
    assert rows[f"town-{personas.regions['town'].pk}"] == TOWN_TOTAL
    assert "2026年9月" in response.text
    # The legend states every definition.
    for rate in RATES:
        assert rate.definition in response.text


def test_it_defaults_to_the_current_month(personas, login, september):
    response = login(personas.town_clerk).get("/cases/rates/")
    assert response.status_code == 200
    assert _rows(response)["total"] == TOWN_TOTAL


def test_it_offers_the_page_in_the_navigation_to_staff_only(personas, login):
    assert 'href="/cases/rates/"' in login(personas.town_clerk).get("/").text
    assert 'href="/cases/rates/"' not in login(personas.citizen).get("/").text


def test_it_shows_a_leader_the_page_read_only(personas, login, september):
    response = login(personas.leader).get(f"/cases/rates/{SEPTEMBER}")
    assert response.status_code == 200
    assert _rows(response)["total"]["returned"] == (1, 8, "12.5%")  # 西山镇's case too
    # Nothing to write here: the only POST forms are the top bar's logout (phone and desktop).
    logout = f'action="{reverse("logout")}"'
    assert response.text.count('method="post"') == response.text.count(logout) == 2
    assert 'data-testid="rates-export"' in response.text


def test_it_keeps_the_town_clerks_cases_from_another_town(personas, login, september):
    response = login(personas.other_town_clerk).get(f"/cases/rates/{SEPTEMBER}")
    rows = _rows(response)
    assert rows["total"] == COUNTY_DEPT  # only G, with the same all-in-time figures
    assert f"unit-{personas.units['town_gov'].pk}" not in rows
    assert "东湖街道办事处" not in response.text
    # Its lists hold only its own case.
    for href, number in _links(response, "total"):
        listed = login(personas.other_town_clerk).get(href)
        assert _listed(listed) == number
        assert september.a.code not in listed.text


def test_it_shows_a_handler_only_their_units_row(personas, login, september, town_handler):
    response = login(town_handler).get(f"/cases/rates/{SEPTEMBER}")
    assert response.status_code == 200
    rows = _rows(response)
    assert [key for key in rows if key.startswith("unit-")] == [
        f"unit-{personas.units['town_gov'].pk}"
    ]
    assert rows["total"] == TOWN_GOV
    assert "东湖区住房和城乡建设局" not in response.text


def test_it_forbids_citizens_and_deputies(personas, login, september):
    for user in (personas.citizen, personas.deputy):
        client = login(user)
        assert client.get("/cases/rates/").status_code == 403
        assert client.get("/cases/rates/export/").status_code == 403
        assert client.get("/cases/rates/cases/?metric=solved&part=numerator").status_code == 403


def test_it_sends_anonymous_users_to_login(client, personas):
    response = client.get("/cases/rates/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("row", ["total", "unit", "town"])
def test_it_links_every_figure_to_exactly_its_cases(personas, login, september, row):
    client = login(personas.town_clerk)
    response = client.get(f"/cases/rates/{SEPTEMBER}")
    key = {
        "total": "total",
        "unit": f"unit-{personas.units['town_gov'].pk}",
        "town": f"town-{personas.regions['town'].pk}",
    }[row]
    links = _links(response, key)
    assert len(links) == 2 * len(RATES)
    for href, number in links:
        listed = client.get(href)
        assert listed.status_code == 200, href
        assert _listed(listed) == number, href
        assert f'data-testid="rates-count">{number}<' in listed.text


def test_it_lists_the_value_that_counted(personas, login, september):
    client = login(personas.town_clerk)
    response = client.get(
        "/cases/rates/cases/?metric=satisfied&part=denominator&from=2026-09-01&to=2026-09-30"
    )
    assert response.status_code == 200
    assert _listed(response) == 4
    assert "评价“不满意”" in response.text
    assert "评价“基本满意”" in response.text
    assert september.b.code in response.text
    response = client.get(
        "/cases/rates/cases/?metric=response&part=numerator&from=2026-09-01&to=2026-09-30"
        f"&unit={personas.units['town_gov'].pk}"
    )
    assert _listed(response) == 2
    assert "时限 3 个工作日" in response.text


def test_it_shows_case_titles_as_text(personas, login, clock, town_handler):
    case = assigned_to_town(personas, title="<script>alert(1)</script>")
    case_sign(case=case, actor=town_handler, version=case.version)
    response = login(personas.town_clerk).get(
        "/cases/rates/cases/?metric=response&part=numerator&from=2026-09-01&to=2026-09-30"
    )
    assert _listed(response) == 1
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;" in response.text


def test_it_exports_the_table_and_the_definitions(personas, login, september):
    response = login(personas.town_clerk).get(f"/cases/rates/export/{SEPTEMBER}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["办理统计", "指标说明"]
    sheet = [list(r) for r in workbook["办理统计"].iter_rows(values_only=True)]
    header = sheet[0]
    assert header[:3] == ["分组", "名称", "响应率"]
    by_name = {(r[0], r[1]): r for r in sheet[1:]}
    for (group, name), expected in (
        (("承办单位", "东湖街道办事处"), TOWN_GOV),
        (("承办单位", "东湖区住房和城乡建设局"), COUNTY_DEPT),
        (("乡镇街道", "东湖街道"), TOWN_TOTAL),
        (("合计", "合计"), TOWN_TOTAL),
    ):
        line = by_name[(group, name)]
        for i, rate in enumerate(RATES):
            n, d, percent = expected[rate.key]
            assert line[2 + 3 * i : 5 + 3 * i] == [percent, n, d], (name, rate.key)
    legend = [list(r) for r in workbook["指标说明"].iter_rows(values_only=True)]
    assert "2026年9月" in legend[0][1]
    assert {r[0]: r[3] for r in legend[2:]} == {rate.label: rate.definition for rate in RATES}


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("?period=month&month=2026-13", "month", "请输入有效的月份"),
        ("?period=month&month=abc", "month", "请输入有效的月份"),
        ("?period=year&year=abc", "year", "请输入有效的年份"),
        ("?period=year&year=1900", "year", "年份应在 2000 到 2100 之间"),
        ("?period=quarter&year=2026&quarter=5", "quarter", "请选择第一至第四季度"),
        ("?period=range&from=2026-09-30&to=2026-09-01", "to", "结束日期不能早于开始日期"),
        ("?period=range&from=2026-02-30&to=2026-09-01", "from", "请输入有效的日期"),
        ("?period=range&from=2020-01-01&to=2026-09-01", "to", "统计区间不能超过3年"),
        ("?period=range", "from", "请填写开始日期和结束日期"),
        ("?period=week", "period", "请选择按月、按季度、按年或自定义区间"),
    ],
)
def test_it_explains_bad_periods(personas, login, query, field, message):
    client = login(personas.town_clerk)
    response = client.get(f"/cases/rates/{query}")
    assert response.status_code == 400
    assert message in response.text
    assert 'data-testid="rates-table"' not in response.text
    assert client.get(f"/cases/rates/export/{query}").status_code == 400


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?metric=nope&part=numerator&from=2026-09-01&to=2026-09-30", "没有这个指标"),
        ("?metric=solved&part=half&from=2026-09-01&to=2026-09-30", "请指明分子或分母"),
        ("?metric=solved&part=numerator", "请填写开始日期"),
        ("?metric=solved&part=numerator&from=x&to=2026-09-30", "请输入有效的日期"),
        ("?metric=solved&part=numerator&from=2026-09-01&to=2026-09-30&unit=x", "单位编号无效"),
        ("?metric=solved&part=numerator&from=2026-09-01&to=2026-09-30&town=999999", "没有这个区划"),
    ],
)
def test_it_explains_bad_list_parameters(personas, login, query, message):
    response = login(personas.town_clerk).get(f"/cases/rates/cases/{query}")
    assert response.status_code == 400
    assert message in response.text


def _handled_cases(personas, clock, handler, n: int) -> None:
    """n cases assigned, signed, replied and rated through the services."""
    for i in range(n):
        clock.move_to(at(2026, 9, 15, 9))
        case = assigned_to_town(personas, title=f"事项{i}")
        case = case_sign(case=case, actor=handler, version=case.version)
        clock.move_to(at(2026, 9, 16, 9))
        case = case_reply(
            case=case, actor=handler, version=case.version, result_class="solved", reply="已修复"
        )
        rating = "satisfied" if i % 2 else "unsatisfied"
        case_rate(case=case, actor=personas.citizen, version=case.version, rating=rating)
    clock.move_to(at(2026, 9, 30))


def _measure(client, django_assert_max_num_queries) -> tuple[int, int, int, int]:
    """Queries of the page, the export and a list; and how many rows the list showed."""
    client.get(f"/cases/rates/{SEPTEMBER}")  # the installation (top bar) is then remembered
    # session, user, memberships (the scope); the calendar, the town depth; per source
    # (assignments, ratings) grouped by unit, by town and the total; unit names; region
    # names.
    with django_assert_max_num_queries(13) as page:
        assert client.get(f"/cases/rates/{SEPTEMBER}").status_code == 200
    with django_assert_max_num_queries(13) as export:
        assert client.get(f"/cases/rates/export/{SEPTEMBER}").status_code == 200
    # session, user, memberships; the calendar; the count; the page of rows; the names of
    # their units.
    with django_assert_max_num_queries(7) as listing:
        listed = client.get(
            "/cases/rates/cases/?metric=satisfied&part=denominator&from=2026-09-01&to=2026-09-30"
        )
    return len(page), len(export), len(listing), _listed(listed)


def test_it_uses_a_fixed_number_of_queries(
    personas, login, clock, town_handler, django_assert_max_num_queries
):
    _handled_cases(personas, clock, town_handler, 3)
    few = _measure(login(personas.town_clerk), django_assert_max_num_queries)
    _handled_cases(personas, clock, town_handler, 27)
    many = _measure(login(personas.town_clerk), django_assert_max_num_queries)
    assert few[:3] == many[:3]
    assert (few[3], many[3]) == (3, 30)


@pytest.mark.browser
def test_it_fits_a_phone(live_personas, clock, phone_page, shot):  # noqa: F811 - fixtures
    handler = user_create(
        username="town_handler", password=PASSWORD, full_name="街道办经办人", validate=False
    )
    membership_grant(user=handler, role=Role.HANDLER, unit=live_personas.units["town_gov"])
    _handled_cases(live_personas, clock, handler, 3)
    from playwright.sync_api import expect  # only where the browser tests run

    page = phone_page
    log_in(page, "town_clerk")
    page.goto(f"/cases/rates/{SEPTEMBER}")
    expect(page.get_by_role("heading", name="办理统计", exact=True)).to_be_visible()
    expect(page.get_by_test_id("rates-table").first).to_be_visible()
    # Measured once the stylesheets have loaded: before, the unstyled table is wider.
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px wide)"
    shot(page, "rates-phone")
    # A figure's link opens its list, which fits too.
    page.get_by_test_id("rates-row-total").get_by_test_id("denominator").nth(3).click()
    expect(page.get_by_test_id("rates-count")).to_have_text("3")
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "rates-cases-phone")


# The scripted September as the whole city sees it: G (西山镇政府, in time, 已解决, 满意) joins.
CITY_TOTAL = {
    "response": (4, 7, "57.1%"),  # A, C, H, G of A B C D E H G (F pending)
    "on_time": (5, 6, "83.3%"),  # A, B2, D, H, G of A, B1, B2, D, H, G
    "solved": (4, 5, "80.0%"),  # A, B2, H, G of ratings A, B1, B2, H, G
    "satisfied": (4, 5, "80.0%"),
    "reopened": (1, 5, "20.0%"),  # B of A, B, D, H, G
    "returned": (1, 8, "12.5%"),  # E of A B C D E F H G
}


@pytest.mark.parametrize("reader", ["town_clerk", "county_clerk", "leader"])
def test_it_shows_every_figure_of_the_page_as_computed_by_hand(
    personas, login, september, county_unit, reader
):
    """Every row of both tables, every cell of every row: nothing more, nothing less."""
    units = personas.units
    town, town2, other = (personas.regions[k] for k in ("town", "town2", "other_town"))
    expected = {
        "town_clerk": {
            f"unit-{units['town_gov'].pk}": TOWN_GOV,
            f"unit-{county_unit.pk}": COUNTY_DEPT,
            f"town-{town.pk}": TOWN_TOTAL,
            "total": TOWN_TOTAL,
        },
        "county_clerk": {
            f"unit-{units['town_gov'].pk}": TOWN_GOV,
            f"unit-{county_unit.pk}": COUNTY_DEPT,
            f"town-{town.pk}": TOWN_TOTAL,
            f"town-{town2.pk}": EMPTY,
            "total": TOWN_TOTAL,
        },
        "leader": {
            f"unit-{units['town_gov'].pk}": TOWN_GOV,
            f"unit-{county_unit.pk}": COUNTY_DEPT,
            f"unit-{units['other_town_gov'].pk}": COUNTY_DEPT,  # G alone: all in time
            f"town-{town.pk}": TOWN_TOTAL,
            f"town-{town2.pk}": EMPTY,
            f"town-{other.pk}": COUNTY_DEPT,
            "total": CITY_TOTAL,
        },
    }[reader]
    response = login(getattr(personas, reader)).get(f"/cases/rates/{SEPTEMBER}")
    assert response.status_code == 200
    assert _rows(response) == expected
    # The total row closes both tables (by unit, by town), with the same figures.
    assert response.text.count('data-testid="rates-row-total"') == 2
