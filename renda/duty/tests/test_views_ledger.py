"""/duty/deputies/<pk>/: a deputy's ledger with the history of superseded entries, and the
annual evaluation sheet in Excel and Word — within the reader's scope only."""

import io
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from renda.duty.models import PointRule
from renda.duty.services import rule_save
from renda.duty.tests.conftest import activity, attend, collected


@pytest.fixture
def zhang(personas, on_commit):
    deputy = personas.deputies["deputy"]
    on_commit(attend, on_commit(activity, personas), deputy)
    on_commit(collected, personas)
    return deputy


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("city_clerk", 200),
        ("county_clerk", 200),
        ("town_clerk", 200),
        ("station_clerk", 200),
        ("leader", 200),
        ("other_town_clerk", 404),
        ("other_county_clerk", 404),
        ("unit_handler", 403),
        ("deputy", 403),
        ("citizen", 403),
    ],
)
def test_who_may_open_a_ledger_and_its_sheets(personas, login, zhang, who, status):
    client = login(getattr(personas, who))
    assert client.get(f"/duty/deputies/{zhang.pk}/").status_code == status
    assert client.get(f"/duty/deputies/{zhang.pk}/sheet.xlsx").status_code == status
    assert client.get(f"/duty/deputies/{zhang.pk}/sheet.docx").status_code == status


def test_the_ledger_lists_reasons_and_keeps_history(personas, login, zhang):
    client = login(personas.town_clerk)
    response = client.get(f"/duty/deputies/{zhang.pk}/?year=2026")
    assert 'data-testid="ledger-total">+3<' in response.text
    assert "+2 分 参加接待日 2026-09-10" in response.text
    rule_save(
        actor=personas.admin,
        rule=PointRule.objects.get(name="参加接待日"),
        points=Decimal(3),
    )
    current = client.get(f"/duty/deputies/{zhang.pk}/")
    assert "+3 分 参加接待日 2026-09-10" in current.text
    assert "+2 分 参加接待日" not in current.text
    history = client.get(f"/duty/deputies/{zhang.pk}/?history=1")
    assert "已被替代：积分规则“参加接待日”修改，现为“+3 分 参加接待日 2026-09-10”" in history.text


def test_the_excel_sheet(personas, login, zhang):
    response = login(personas.town_clerk).get(f"/duty/deputies/{zhang.pk}/sheet.xlsx?year=2026")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert sheet["A1"].value == "张代表 2026 年代表履职考评表"
    assert "参加接待日" in cells and "收集民情意见" in cells
    assert "合计" in cells and 3 in cells
    # Only the congress the town clerk may see is ranked on the sheet.
    assert "东湖街道人大工委：第 1 名（共 1 名）" in cells
    assert not any("东湖区人大常委会：" in str(c) for c in cells)


def test_the_word_sheet(personas, login, zhang):
    response = login(personas.county_clerk).get(f"/duty/deputies/{zhang.pk}/sheet.docx")
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "张代表 2026 年代表履职考评表" in text
    assert "参加接待日" in cells and "+3" in cells
    assert "东湖区人大常委会：第 1 名（共 1 名）" in text
    assert "人大常委会（主席团）考评意见：" in text


def test_an_empty_year_still_makes_a_sheet(personas, login, zhang):
    response = login(personas.town_clerk).get(f"/duty/deputies/{zhang.pk}/sheet.xlsx?year=2024")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "本期间无积分记录" in cells


def test_unknown_format_and_deputy_are_404(personas, login, zhang):
    client = login(personas.town_clerk)
    assert client.get(f"/duty/deputies/{zhang.pk}/sheet.pdf").status_code == 404
    assert client.get("/duty/deputies/999999/").status_code == 404
