"""/me/: a deputy's own points with reasons, activities, cases and coming duty days; everyone
else is told the pages are for deputies."""

import datetime as dt

import pytest

from renda.activities.models import DutyDay, DutyDayDeputy
from renda.duty.tests.conftest import activity, attend, collected


@pytest.fixture
def deputy_with_records(personas, on_commit):
    deputy = personas.deputies["deputy"]
    on_commit(attend, on_commit(activity, personas), deputy)
    case = on_commit(collected, personas)
    day = DutyDay.objects.create(
        station=personas.stations["town"], date=dt.date(2026, 10, 15), title="每月接待日"
    )
    DutyDayDeputy.objects.create(duty_day=day, deputy=deputy)
    return case


def test_the_home_page_shows_total_duty_days_and_recent_reasons(
    personas, login, deputy_with_records
):
    response = login(personas.deputy).get("/me/")
    assert response.status_code == 200
    text = response.text
    assert 'data-testid="my-total">+3<' in text
    assert "+2 分 参加接待日 2026-09-10" in text
    assert "+1 分 收集民情意见 2026-09-15" in text
    assert "10月15日" in text and "东湖街道代表联络站" in text
    # The deputy's place among the deputies of each congress they sit in.
    assert "东湖街道人大工委：第 1 名（共 1 名）" in text


def test_the_home_pages_total_and_places_are_the_sheets(personas, deputy_with_records):
    """/me/ reads the total from the tallies, without the lines by rule: the same total and
    places as the evaluation sheet, which sums the entries."""
    from renda.duty import selectors

    period = selectors.Period.year(2026)
    deputy = personas.deputies["deputy"]
    sheet = selectors.evaluation(personas.deputy, deputy, period)
    home = selectors.evaluation(personas.deputy, deputy, period, lines=False)
    assert sheet.lines and sheet.total == 3
    assert (home.total, home.ranks) == (sheet.total, sheet.ranks)
    assert home.lines == [] and home.by_source == {}


def test_points_page_lists_each_entry_with_its_reason(personas, login, deputy_with_records):
    response = login(personas.deputy).get("/me/points/?year=2026")
    assert "+2 分 参加接待日 2026-09-10" in response.text
    assert "湖滨社区接待日" in response.text
    assert "2026 年暂无积分记录" not in response.text
    empty = login(personas.deputy).get("/me/points/?year=2025")
    assert "2025 年暂无积分记录" in empty.text


def test_bad_period_falls_back_with_a_message(personas, login, deputy_with_records):
    response = login(personas.deputy).get("/me/points/?start=2026-12-01&end=2026-01-01")
    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in response.text
    assert login(personas.deputy).get("/me/points/?year=abc").status_code == 200


def test_activities_cases_and_duty_days_pages(personas, login, deputy_with_records):
    client = login(personas.deputy)
    assert "湖滨社区接待日" in client.get("/me/activities/").text
    cases = client.get("/me/cases/").text
    assert deputy_with_records.code in cases
    assert "湖滨路路灯不亮" in cases
    days = client.get("/me/duty-days/").text
    assert "2026年10月15日" in days


def test_a_deputy_sees_only_their_own(personas, login, on_commit):
    on_commit(collected, personas, deputy="other", actor=personas.other_town_clerk)
    response = login(personas.deputy).get("/me/cases/")
    assert "暂无您收集或提交的民情意见" in response.text


def test_the_own_evaluation_sheet_downloads(personas, login, deputy_with_records):
    client = login(personas.deputy)
    xlsx = client.get("/me/sheet.xlsx?year=2026")
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    docx = client.get("/me/sheet.docx")
    assert docx.status_code == 200
    assert client.get("/me/sheet.pdf").status_code == 404


@pytest.mark.parametrize(
    "who", ["admin", "city_clerk", "town_clerk", "station_clerk", "leader", "citizen"]
)
def test_non_deputies_get_a_clear_message(personas, login, who):
    response = login(getattr(personas, who)).get("/me/")
    assert response.status_code == 403
    assert "您的账号没有关联人大代表" in response.text
    assert login(getattr(personas, who)).get("/me/points/").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, personas):
    response = client.get("/me/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_home_in_few_queries(personas, login, deputy_with_records, django_assert_max_num_queries):
    client = login(personas.deputy)
    client.get("/me/")
    # session, user, deputy, memberships (scope), installation, nav; the evaluation (the
    # tallies' total, seats, congresses in scope, one ranking per seat), recent entries, duty
    # days, two counts, and the session's sliding expiry.
    with django_assert_max_num_queries(24):
        client.get("/me/")
