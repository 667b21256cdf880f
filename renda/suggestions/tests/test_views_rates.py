"""The suggestion rates pages: /suggestions/rates/, its Excel (年度建议办理情况表) and the list
behind each figure, for every role, across towns, with bad input and a fixed query count.

The data is the scripted county set of test_rates (counted on 2027-01-20), plus one town
suggestion in 东湖街道 and one in 西山镇 for the cross-town test.
"""

import io
import re
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from renda.accounts.services import user_create
from renda.org.roles import Role
from renda.org.services import membership_grant
from renda.suggestions import services
from renda.suggestions.tests.test_rates import answer, at, script
from renda.testing import PASSWORD

URL = "/suggestions/rates/"
EXPORT = "/suggestions/rates/export/"
LIST = "/suggestions/rates/list/"


def _town_suggestion(personas, *, deputy_user, congress, clerk, unit, handler, answer_class):
    from renda.cases.models import Category

    s = services.suggestion_file(
        actor=deputy_user,
        congress=congress,
        session=None,
        title=f"{congress.name}的建议",
        content="建议增设村内路灯，方便夜间出行。",
        category=Category.objects.order_by("pk").first(),
    )
    s.case.refresh_from_db()
    services.suggestion_review(actor=clerk, suggestion=s, version=s.case.version, accept=True)
    s.case.refresh_from_db()
    services.suggestion_assign(actor=clerk, suggestion=s, version=s.case.version, lead_unit=unit)
    answer(handler, s, answer_class)
    return s


@pytest.fixture
def data(personas, c) -> SimpleNamespace:
    out = script(personas, c)
    u = personas.units
    other_deputy = personas.deputies["other"]
    other_user = user_create(
        username="other_deputy", password=PASSWORD, full_name="王西山", validate=False
    )
    membership_grant(user=other_user, role=Role.DEPUTY, unit=u["other_town"])
    other_deputy.user = other_user
    other_deputy.save(update_fields=["user"])
    town_handler = user_create(
        username="jd_handler2", password=PASSWORD, full_name="街道经办人", validate=False
    )
    membership_grant(user=town_handler, role=Role.HANDLER, unit=u["town_gov"])
    other_handler = user_create(
        username="xs_handler", password=PASSWORD, full_name="西山镇经办人", validate=False
    )
    membership_grant(user=other_handler, role=Role.HANDLER, unit=u["other_town_gov"])
    with at(2026, 10, 8):
        out.town = _town_suggestion(
            personas,
            deputy_user=personas.deputy,
            congress=u["town"],
            clerk=personas.town_clerk,
            unit=u["town_gov"],
            handler=town_handler,
            answer_class="A",
        )
        out.other_town = _town_suggestion(
            personas,
            deputy_user=other_user,
            congress=u["other_town"],
            clerk=personas.other_town_clerk,
            unit=u["other_town_gov"],
            handler=other_handler,
            answer_class="C",
        )
    out.other_handler = other_handler
    return out


@pytest.fixture
def today():
    with at(2027, 1, 20) as t:
        yield t


def _row(html: str, testid: str) -> str:
    match = re.search(rf'<tr data-testid="{testid}".*?</tr>', html, re.S)
    assert match, testid
    return match.group(0)


def _percents(row_html: str) -> list[str]:
    return re.findall(r'data-testid="percent">([^<]*)<', row_html)


def _assigned(row_html: str) -> int:
    match = re.search(r'data-testid="count-assigned"><a [^>]*>(\d+)<', row_html)
    assert match
    return int(match.group(1))


def test_the_county_clerk_sees_every_figure_with_its_link(login, personas, data, today):
    client = login(personas.county_clerk)
    response = client.get(URL, {"year": 2026})
    assert response.status_code == 200
    html = response.content.decode()
    zj = _row(html, f"rates-row-unit-{data.zj.pk}")
    total = _row(html, "rates-row-total")
    assert _percents(zj) == ["75.0%", "50.0%", "100.0%"]
    # The county's seven and its town's one (东湖街道办事处, A, on time).
    assert _percents(total) == ["71.4%", "50.0%", "75.0%"]
    assert _assigned(total) == 8
    link = f"/suggestions/rates/list/?measure=on_time&amp;unit={data.zj.pk}&amp;year=2026"
    assert f'href="{link}"' in zj
    assert 'href="/suggestions/rates/list/?measure=overdue&amp;year=2026"' in total
    # The definitions are on the page, and the export link keeps the filter.
    assert "按时答复 ÷ 应办结" in html and "满意+基本满意 ÷ 已评价" in html
    assert "法定办理期限" in html
    assert 'href="/suggestions/rates/export/?year=2026"' in html


def test_the_list_behind_a_figure(login, personas, data, today):
    client = login(personas.county_clerk)
    response = client.get(LIST, {"measure": "on_time", "unit": data.zj.pk, "year": 2026})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="rates-list-row"') == 3
    assert 'data-testid="rates-count">3<' in html
    for n in (1, 3, 4):
        assert data.s[n].case.code in html
    assert data.s[2].case.code not in html


def test_the_session_filter(login, personas, data, today):
    client = login(personas.county_clerk)
    html = client.get(URL, {"session": data.session.pk}).content.decode()
    assert _assigned(_row(html, "rates-row-total")) == 4
    assert f"rates-row-unit-{data.jd.pk}" not in html
    html = client.get(URL, {"session": "none", "year": 2026}).content.decode()
    assert _assigned(_row(html, "rates-row-total")) == 4  # S5, S6, S7 and the town's one


# Who sees what: the total of assigned suggestions in their scope (all years).
PERSONAS = [
    ("admin", 10),
    ("city_clerk", 10),
    ("leader", 10),
    ("county_clerk", 9),  # the county's eight and its town's one
    ("town_clerk", 1),
    ("station_clerk", 1),
    ("other_town_clerk", 1),
    ("other_county_clerk", 1),
    ("unit_handler", 0),  # 市住建局: leads none
]


@pytest.mark.parametrize(("username", "assigned"), PERSONAS)
def test_every_role_sees_its_own_scope(login, personas, data, today, username, assigned):
    client = login(personas.users[username])
    response = client.get(URL)
    assert response.status_code == 200
    assert _assigned(_row(response.content.decode(), "rates-row-total")) == assigned
    assert client.get(EXPORT).status_code == 200


def test_handlers_see_only_their_unit(login, personas, c, data, today):
    html = login(c.lead_handler).get(URL).content.decode()
    assert _assigned(_row(html, "rates-row-total")) == 5
    assert f"rates-row-unit-{data.jd.pk}" not in html
    # 街道办 leads three county suggestions and the town's one.
    html = login(c.co_handler).get(URL).content.decode()
    assert _assigned(_row(html, "rates-row-total")) == 4


@pytest.mark.parametrize("username", ["deputy", "citizen"])
def test_deputies_and_citizens_get_403(login, personas, data, today, username):
    client = login(personas.users[username])
    assert client.get(URL).status_code == 403
    assert client.get(EXPORT).status_code == 403
    assert client.get(LIST, {"measure": "assigned"}).status_code == 403


def test_anonymous_is_sent_to_login(client, data):
    response = client.get(URL)
    assert response.status_code == 302 and "/login" in response["Location"]


def test_a_town_clerk_never_sees_another_towns_figures(login, personas, data, today):
    u = personas.units
    client = login(personas.town_clerk)
    html = client.get(URL).content.decode()
    assert f"rates-row-unit-{u['town_gov'].pk}" in html
    assert f"rates-row-unit-{u['other_town_gov'].pk}" not in html
    assert "西山镇人民政府" not in html
    # Asking for the other town's unit by id lists nothing.
    response = client.get(LIST, {"measure": "assigned", "unit": u["other_town_gov"].pk})
    assert response.status_code == 200
    assert 'data-testid="rates-count">0<' in response.content.decode()
    assert data.other_town.case.code not in response.content.decode()
    # Nor does the export hold it.
    sheet = load_workbook(io.BytesIO(client.get(EXPORT).content)).worksheets[0]
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["东湖街道办事处", "合计"]
    # The other town's clerk, the other way round.
    html = login(personas.other_town_clerk).get(URL).content.decode()
    assert "西山镇人民政府" in html and "东湖街道办事处" not in html


def test_a_session_outside_the_scope_is_refused(login, personas, data, today):
    client = login(personas.town_clerk)
    response = client.get(URL, {"session": data.session.pk})
    assert response.status_code == 400
    assert "没有这个会议，或您无权查看它的建议。" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "params", "message"),
    [
        (URL, {"year": "abc"}, "没有这个年度的建议，请从列表中选择年度。"),
        (URL, {"year": "2031"}, "没有这个年度的建议，请从列表中选择年度。"),
        (URL, {"session": "x"}, "没有这个会议，或您无权查看它的建议。"),
        (EXPORT, {"year": "abc"}, "没有这个年度的建议，请从列表中选择年度。"),
        (LIST, {}, "请选择要查看的数字。"),
        (LIST, {"measure": "nope"}, "没有这个指标。"),
        (LIST, {"measure": "assigned", "unit": "x"}, "单位编号无效。"),
    ],
)
def test_bad_input_gets_a_chinese_message(login, personas, data, today, url, params, message):
    response = login(personas.county_clerk).get(url, params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_annual_handling_table(login, personas, data, today):
    response = login(personas.county_clerk).get(EXPORT, {"year": 2026})
    assert response.status_code == 200
    assert "2026%E5%B9%B4" in response["Content-Disposition"]  # 2026年建议办理情况表.xlsx
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [
        "序号",
        "主办单位",
        "交办件数",
        "已答复",
        "按时答复",
        "A类",
        "B类",
        "C类",
        "按时办结率",
        "解决率",
        "满意率",
        "未答复",
        "超期未答复",
    ]
    assert list(rows[1])[:10] == [1, "东湖区住房和城乡建设局", 4, 4, 3, 2, 2, 0, "75.0%", "50.0%"]
    assert list(rows[1])[10:] == ["100.0%", 0, 0]
    # 街道办: the county's three and the town's one (A, answered on time).
    assert list(rows[2]) == [2, "东湖街道办事处", 4, 2, 2, 1, 0, 1, "66.7%", "50.0%", "0.0%", 2, 1]
    assert list(rows[3]) == [None, "合计", 8, 6, 5, 3, 2, 1, "71.4%", "50.0%", "75.0%", 2, 1]
    legend = workbook["指标说明"]
    texts = [row[0] for row in legend.iter_rows(values_only=True)]
    assert "按时办结率" in texts and "超期未答复" in texts


def test_the_page_runs_a_fixed_number_of_queries(
    login, personas, c, data, today, django_assert_num_queries
):
    client = login(personas.county_clerk)
    client.get(URL)  # the session row is read and stamped once
    # Session and user; the memberships (scope); the counts per unit, session and year; the
    # units' names; the sessions' names (the installation, in the base template's header, is
    # remembered: renda.lib.memo).
    with django_assert_num_queries(6):
        assert client.get(URL, {"year": 2026}).status_code == 200
    with at(2026, 9, 15):
        for _ in range(3):
            s = services.suggestion_file(
                actor=personas.deputy,
                congress=c.congress,
                session=None,
                title="又一件建议",
                content="建议增加公交班次。",
                category=data.s[1].case.category,
            )
            s.case.refresh_from_db()
            services.suggestion_review(
                actor=personas.county_clerk, suggestion=s, version=s.case.version, accept=True
            )
            s.case.refresh_from_db()
            services.suggestion_assign(
                actor=personas.county_clerk,
                suggestion=s,
                version=s.case.version,
                lead_unit=personas.units["town_gov"],
            )
    with django_assert_num_queries(6):
        assert client.get(URL, {"year": 2026}).status_code == 200
    # The list behind a figure: session, user, memberships, session and year choices, the
    # count, the page of rows, the unit's name.
    with django_assert_num_queries(8):
        client.get(LIST, {"measure": "assigned", "unit": data.zj.pk})


def test_the_suggestion_list_links_to_the_rates(login, personas, data, today):
    clerk = login(personas.county_clerk).get("/suggestions/").content.decode()
    assert 'data-testid="rates-link"' in clerk
    deputy = login(personas.deputy).get("/suggestions/").content.decode()
    assert 'data-testid="rates-link"' not in deputy


def test_dates_are_counted_on_the_day_of_the_request(login, personas, data):
    def unanswered_and_overdue(html: str) -> list[str]:
        cell = re.search(r'data-testid="count-unanswered">(.*?)</td>', html, re.S)
        assert cell
        return re.findall(r">(\d+)</a>", cell.group(1))

    with at(2026, 12, 10):
        html = login(personas.county_clerk).get(URL, {"year": 2026}).content.decode()
    # Before the deadline (2026-12-15) nothing is overdue.
    assert unanswered_and_overdue(_row(html, "rates-row-total"))[1] == "0"
    with at(2027, 1, 20):
        html = login(personas.county_clerk).get(URL, {"year": 2026}).content.decode()
    assert unanswered_and_overdue(_row(html, "rates-row-total")) == ["2", "1"]
