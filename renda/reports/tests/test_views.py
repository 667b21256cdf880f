"""The report pages: personas, the scripted month end to end, files read back, query budgets."""

import io

import pytest
import time_machine
from django.core.management import call_command
from docx import Document
from openpyxl import load_workbook

from renda.reports.exports import DATA_ROW, HEADERS
from renda.reports.models import MonthlyReport
from renda.reports.tests.helpers import EXPECTED, at

pytestmark = pytest.mark.django_db
PAGE, TOWN_PAGE, ROWS = 13, 17, 7
KEYS = ["activities", "attendances", "collected", "solved", "escalated"]
OVERVIEW = "/reports/?month=2026-09"
TOWN = "/reports/T1-GW/2026-09/"
COUNTY = "/reports/D1-RD/2026-09/"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(at(2026, 10, 12), tick=False) as traveller:
        yield traveller


def _sheet_row(content: bytes):
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    return ws, [ws.cell(row=DATA_ROW, column=c).value for c in range(1, 7)]


def _expected(code):
    return [EXPECTED[code][k] for k in KEYS]


def test_a_town_and_a_county_submit_and_the_city_roll_up_sums_them(personas, september, login):
    client = login(personas.town_clerk)
    response = client.post(
        TOWN + "submit/",
        {
            "notes": "走访企业 12 家。",
            "typical": [september["solved"].code],
            f"text_{september['solved'].code}": "三天内疏通。",
        },
    )
    assert response.status_code == 302
    client = login(personas.county_clerk)
    assert client.post(COUNTY + "submit/", {"notes": ""}).status_code == 302
    assert MonthlyReport.objects.count() == 2

    client = login(personas.city_clerk)
    page = client.get(OVERVIEW).content.decode()
    assert '已报送 <strong data-testid="submitted-count">2</strong>' in page
    # The roll-up: 东湖区 submitted (its figures hold 东湖街道's) + 西山县 live.
    totals = [EXPECTED["D1-RD"][k] + EXPECTED["D2-RD"][k] for k in KEYS]
    for key, value in zip(KEYS, totals, strict=True):
        assert f'data-testid="total-{key}">{value}<' in page

    response = client.get("/reports/overview/2026-09/export/")
    ws, row = _sheet_row(response.content)
    assert row[:5] == totals
    assert "［东湖街道人大工委］" in row[5] and "三天内疏通。" in row[5]
    assert ws["A1"].value == "三级人大万名代表助力“稳企助企、稳进提质”活动情况汇总表"
    assert ws["A3"].value.startswith("填报单位：示例市人大常委会")
    assert ws["A4"].value == "填报人：市人大代表工委干部"
    assert ws["A5"].value.startswith("填报日期：2026年10月12日")
    assert [ws.cell(row=6, column=c).value for c in range(1, 7)] == HEADERS
    assert "20 日前" in ws.cell(row=DATA_ROW + 3, column=1).value
    detail = load_workbook(io.BytesIO(response.content))["分单位明细"]
    by_unit = {r[0]: r for r in detail.iter_rows(min_row=2, values_only=True)}
    assert list(by_unit["东湖街道人大工委"][3:]) == _expected("T1-GW")
    assert by_unit["东湖街道人大工委"][2] == "已报送"
    assert by_unit["西山县人大常委会"][2] == "未报送"

    ws, row = _sheet_row(client.get(TOWN + "export/").content)
    assert row[:5] == _expected("T1-GW")
    assert ws["A4"].value == "填报人：东湖街道工委干部"
    doc = Document(io.BytesIO(client.get("/reports/overview/2026-09/summary/").content))
    assert "各单位报送情况" in "\n".join(p.text for p in doc.paragraphs)
    assert len(doc.tables[1].rows) == 5  # header + 4 units
    doc = Document(io.BytesIO(client.get(COUNTY + "summary/").content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "东湖区人大常委会2026年9月月报" in text and "收集意见建议 4 件" in text


def test_submitting_twice_shows_the_chinese_refusal(personas, september, login):
    client = login(personas.town_clerk)
    assert client.post(TOWN + "submit/", {}).status_code == 302
    response = client.post(TOWN + "submit/", {})
    assert response.status_code == 400
    assert "不能重复报送；如需修改，请提交更正版本" in response.content.decode()
    response = client.post(TOWN + "submit/", {"correction": "1", "correction_reason": ""})
    assert response.status_code == 400 and "请填写更正说明" in response.content.decode()
    response = client.post(TOWN + "submit/", {"correction": "1", "correction_reason": "补录"})
    assert response.status_code == 302
    history = client.get(TOWN + "history/").content.decode()
    assert history.count('data-testid="version"') == 2 and "更正说明：补录" in history


def test_a_bad_typical_pick_is_a_form_error(personas, september, login):
    client = login(personas.town_clerk)
    response = client.post(TOWN + "submit/", {"typical": [september["other"].code]})
    assert response.status_code == 400
    assert "不在候选范围内" in response.content.decode()
    assert not MonthlyReport.objects.exists()


@pytest.mark.parametrize(
    ("persona", "overview", "town", "form"),
    [
        ("admin", 200, 200, True),
        ("city_clerk", 200, 200, False),
        ("leader", 200, 200, False),
        ("county_clerk", 200, 200, False),
        ("town_clerk", 200, 200, True),
        ("other_town_clerk", 200, 404, False),
        ("other_county_clerk", 200, 404, False),
        ("station_clerk", 403, 403, False),
        ("unit_handler", 403, 403, False),
        ("deputy", 403, 403, False),
        ("citizen", 403, 403, False),
    ],
)
def test_who_sees_what(personas, september, login, persona, overview, town, form):
    client = login(personas.users[persona])
    assert client.get(OVERVIEW).status_code == overview
    response = client.get(TOWN)
    assert response.status_code == town
    if town == 200:
        assert ('data-testid="report-form"' in response.content.decode()) == form
    assert client.get(TOWN + "rows/collected/").status_code == town
    assert client.get(TOWN + "export/").status_code == town
    if not form:
        assert client.post(TOWN + "submit/", {}).status_code in (302, 403, 404)
    assert not MonthlyReport.objects.exclude(
        submitted_by__username__in=["admin", "town_clerk"]
    ).exists()


def test_anonymous_is_sent_to_login(client):
    assert client.get(OVERVIEW).status_code == 302


def test_the_overview_lists_units_in_scope_with_their_status(personas, september, login):
    page = login(personas.county_clerk).get(OVERVIEW).content.decode()
    assert 'data-unit="D1-RD"' in page and 'data-unit="T1-GW"' in page
    assert "T3-ZXT" not in page
    with time_machine.travel(at(2026, 10, 21), tick=False):
        page = login(personas.city_clerk).get(OVERVIEW).content.decode()
    assert page.count(">逾期未报<") == 4


def test_every_figure_links_to_its_rows(personas, september, login):
    client = login(personas.county_clerk)
    page = client.get(COUNTY).content.decode()
    for key in KEYS:
        assert f'href="/reports/D1-RD/2026-09/rows/{key}/"' in page
    for key in KEYS:
        rows = client.get(f"{COUNTY}rows/{key}/").content.decode()
        assert f'data-testid="rows-count">{EXPECTED["D1-RD"][key]}<' in rows, key
    assert client.get(COUNTY + "rows/contact/").status_code == 200
    assert client.get(COUNTY + "rows/nothing/").status_code == 404
    assert client.get("/reports/D1-RD/2026-13/").status_code == 404


def test_the_pages_stay_within_their_query_budgets(
    personas, september, login, django_assert_num_queries
):
    client = login(personas.town_clerk)
    client.post(TOWN + "submit/", {})
    client = login(personas.city_clerk)
    client.get(OVERVIEW)  # warm the session
    # session, user, memberships (scope), the
    # units in scope, settings, the roll-up (regions, activities, attendances, collected,
    # solved, city congresses, escalations), the latest reports: the same for 4 units or 400.
    # (The installation, in the base template, is remembered: renda.lib.memo.)
    with django_assert_num_queries(13):
        assert client.get(OVERVIEW).status_code == 200
    # session, user, scope, the unit, its history, its live figures (7), settings.
    with django_assert_num_queries(PAGE):
        assert client.get(COUNTY).status_code == 200
    # The town's own clerk also gets the typical-case candidates (city congresses + 3 lists).
    client = login(personas.town_clerk)
    client.get(TOWN)
    with django_assert_num_queries(TOWN_PAGE):
        assert client.get(TOWN).status_code == 200
    # session, user, scope, the unit, city congresses, count and page of the rows.
    with django_assert_num_queries(ROWS):
        assert client.get(TOWN + "rows/escalated/").status_code == 200


def test_the_command_writes_the_city_roll_up_and_one_units_sheet(personas, september, tmp_path):
    out = io.StringIO()
    call_command(
        "monthly_report", "--month", "2026-09", "--xlsx", str(tmp_path / "city.xlsx"), stdout=out
    )
    _, row = _sheet_row((tmp_path / "city.xlsx").read_bytes())
    assert row[:5] == [EXPECTED["D1-RD"][k] + EXPECTED["D2-RD"][k] for k in KEYS]
    call_command(
        "monthly_report",
        "--month",
        "2026-09",
        "--unit",
        "T3-ZXT",
        "--xlsx",
        str(tmp_path / "t3.xlsx"),
        stdout=out,
    )
    _, row = _sheet_row((tmp_path / "t3.xlsx").read_bytes())
    assert row[:5] == _expected("T3-ZXT")
    assert "已写入" in out.getvalue()


def test_the_command_refuses_bad_input(personas, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="不是有效的月份"):
        call_command("monthly_report", "--month", "2026-13", "--xlsx", str(tmp_path / "a.xlsx"))
    with pytest.raises(CommandError, match="没有编码为 NOPE"):
        call_command(
            "monthly_report",
            "--month",
            "2026-09",
            "--unit",
            "NOPE",
            "--xlsx",
            str(tmp_path / "a.xlsx"),
        )
