"""Issue 4's "done when", end to end in Chromium through the pages people use.

A station clerk plans a reception day at their station and records who attended; a deputy on
a 375 px phone records a visit to voters within a themed campaign and raises a problem heard
there, which becomes an opinion case collected by them; the four lists (by campaign and by
station) show both; the deputy's points (/me/) and the station ranking give each entry with
its rule's reason; the annual evaluation sheet downloads as Excel and Word with the deputy's
points in it.

Only the organisation, the accounts, the rules and the campaign are set up in Python; every
step the issue names goes through a page. Skipped when RENDA_SKIP_BROWSER=1 or
/usr/bin/chromium is missing. Screenshots land in $RENDA_SHOTS_DIR (default /tmp/shots/).
"""

import datetime as dt
import io
import re
import time
from decimal import Decimal

import pytest
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from renda.activities.models import (
    Activity,
    ActivityCase,
    ActivityKind,
    Attendance,
    DutyDay,
    DutyDayDeputy,
)
from renda.activities.services import activity_create, activity_raise_case
from renda.activities.tests.helpers import campaign as make_campaign
from renda.cases.models import Case, Category
from renda.deputies.models import Deputy, Seat, StationMembership
from renda.duty.models import PointEntry
from renda.testing import build_personas
from renda.workbench.tests.conftest import BROWSER_SKIP_REASON, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(bool(BROWSER_SKIP_REASON), reason=BROWSER_SKIP_REASON or "-"),
]

if not BROWSER_SKIP_REASON:
    from playwright.sync_api import expect

PHONE = {"width": 375, "height": 812}
# The machine running the suite is shared: wait longer than the default 10 s for a page.
WAIT_MS = 30_000
RECEPTION = "东湖街道联络站11月接待日"
VISIT = "走访湖滨社区小微企业"
PROBLEM = "湖滨路口早高峰拥堵"


@pytest.fixture
def city(committed_db, _async_unsafe_allowed):
    """The personas (committed_db has put back the seeded activity kinds and default point
    rules), a second deputy at the town station and the county's 六访六促."""
    personas = build_personas()
    zhang = personas.deputies["deputy"]
    li = Deputy.objects.create(
        name="李湖滨", gender="female", phone="13900004004", work_unit="湖滨小学", post="教师"
    )
    for seat in zhang.seats.all():
        Seat.objects.create(deputy=li, term=seat.term, constituency=seat.constituency)
    StationMembership.objects.create(deputy=li, station=personas.stations["town"])
    campaign = make_campaign(personas)
    return personas, campaign


def _fits(page, width: int = PHONE["width"]) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the page is {scroll}px wide on a {width}px phone"


def _download(page, locator):
    with page.expect_download() as info:
        locator.click()
    download = info.value
    with open(download.path(), "rb") as handle:
        return download.suggested_filename, handle.read()


def _sheet_rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [tuple(c for c in row if c is not None) for row in sheet.iter_rows(values_only=True)]


def test_reception_day_visit_case_lists_points_and_sheet(new_page, city, shot):
    personas, campaign = city
    station = personas.stations["town"]
    zhang = personas.deputies["deputy"]
    today = timezone.localdate()

    # 1. The station clerk plans today's reception day at the station …
    desk = new_page(timeout_ms=WAIT_MS)
    log_in(desk, "station_clerk")
    desk.goto("/activities/")
    desk.get_by_test_id("new-activity").click()
    desk.get_by_text("接待日", exact=True).click()
    expect(desk.get_by_label("活动日期")).to_have_value(today.isoformat())
    expect(desk.get_by_label("联络站")).to_have_value(str(station.pk))
    desk.get_by_label("活动名称").fill(RECEPTION)
    desk.get_by_label("活动纪要").fill("接待选民12人次，现场答复8件。")
    with desk.expect_navigation():
        desk.get_by_test_id("save-activity").click()
    expect(desk.get_by_test_id("activity-title")).to_have_text(RECEPTION)
    expect(desk.get_by_test_id("attendance-list")).to_contain_text("尚未登记代表")
    reception = Activity.objects.get(title=RECEPTION)
    assert reception.kind.code == "reception_day"
    assert reception.station == station

    # … and records attendance: both station deputies put on the sheet, then one on leave.
    desk.get_by_test_id("take-attendance").click()
    desk.get_by_label("张代表").check()
    desk.get_by_label("李湖滨").check()
    with desk.expect_navigation():
        desk.get_by_test_id("save-attendance").click()
    desk.get_by_test_id("take-attendance").click()
    desk.get_by_role("group", name="李湖滨的出席情况").get_by_text("请假", exact=True).click()
    desk.get_by_label("李湖滨的备注").fill("外出培训")
    with desk.expect_navigation():
        desk.get_by_test_id("save-attendance").click()
    attendance = desk.get_by_test_id("attendance-list")
    expect(attendance.get_by_role("listitem").filter(has_text="张代表")).to_contain_text("出席")
    expect(attendance.get_by_role("listitem").filter(has_text="李湖滨")).to_contain_text("请假")
    statuses = dict(reception.attendances.values_list("deputy__name", "status"))
    assert statuses == {"张代表": Attendance.Status.ATTENDED, "李湖滨": Attendance.Status.LEAVE}
    shot(desk, "duty-loop-reception-desktop")

    # 2. The deputy, on a phone, records a visit to voters within 六访六促 …
    phone = new_page(phone=True, viewport=PHONE, timeout_ms=WAIT_MS)
    log_in(phone, "deputy")
    phone.goto("/me/")
    started = time.monotonic()
    phone.get_by_test_id("record-activity").click()
    phone.get_by_text("走访选民", exact=True).click()
    expect(phone.get_by_label("活动日期")).to_have_value(today.isoformat())
    phone.get_by_label("联络站").select_option(label=station.name)
    phone.get_by_label("活动名称").fill(VISIT)
    phone.get_by_label("活动纪要").fill("走访湖滨社区5家小微企业，听取用工和交通方面的意见。")
    phone.get_by_text("更多信息").click()
    phone.get_by_label("主题活动").select_option(label=campaign.name)
    phone.get_by_label("活动方向").select_option(
        label=f"{campaign.name} · 访企业生产运行，促经济高质量发展"
    )
    _fits(phone)
    shot(phone, "duty-loop-visit-form-phone")
    with phone.expect_navigation():
        phone.get_by_test_id("save-activity").click()
    expect(phone.get_by_test_id("activity-status")).to_have_text("已开展")
    elapsed = time.monotonic() - started
    assert elapsed < 60, f"recording the visit took {elapsed:.1f}s"
    expect(phone.get_by_test_id("attendance-list")).to_contain_text("张代表")
    _fits(phone)
    shot(phone, "duty-loop-visit-detail-phone")
    visit = Activity.objects.get(title=VISIT)
    assert (visit.kind.code, visit.campaign, visit.station) == ("visit_voters", campaign, station)
    assert visit.attendances.get().deputy == zhang

    # … and raises a problem heard there, which becomes a case collected by them.
    phone.get_by_test_id("raise-case").click()
    phone.get_by_test_id("nature-choices").get_by_text("问题", exact=True).click()
    expect(phone.get_by_role("radio", name="问题")).to_be_checked()
    phone.get_by_label("标题").fill(PROBLEM)
    phone.get_by_label("内容").fill("湖滨路与东湖大道路口早高峰车辆排队过长，企业员工通勤困难。")
    phone.get_by_label("分类").select_option(label="城乡建设")
    _fits(phone)
    shot(phone, "duty-loop-raise-phone")
    with phone.expect_navigation():
        phone.get_by_test_id("submit-case").click()
    link = ActivityCase.objects.select_related("case").get(activity=visit)
    case = link.case
    expect(phone.get_by_role("alert")).to_contain_text(case.code)
    expect(phone.get_by_test_id("case-links")).to_contain_text(case.code)
    _fits(phone)
    assert case.title == PROBLEM
    assert case.collected_by == zhang
    assert case.channel == Case.Channel.ACTIVITY
    assert case.kind == Case.Kind.OPINION
    assert (link.nature, link.raised_by, link.campaign) == (
        ActivityCase.Nature.PROBLEM,
        zhang,
        campaign,
    )

    # 3. The four lists: the campaign's show the visit and the problem, the station's both
    # activities.
    desk.goto("/activities/campaigns/")
    desk.get_by_role("link", name=re.compile(campaign.name)).click()
    desk.get_by_test_id("campaign-lists").click()
    filters = desk.get_by_test_id("filters")
    expect(filters.get_by_label("主题活动")).to_have_value(str(campaign.pk))
    expect(desk.get_by_test_id("work-list")).to_contain_text(VISIT)
    expect(desk.get_by_test_id("work-list")).not_to_contain_text(RECEPTION)
    desk.get_by_test_id("tab-problems").click()
    problem_row = desk.get_by_test_id("problem-list").get_by_role("row").filter(has_text=case.code)
    expect(problem_row).to_contain_text(PROBLEM)
    expect(problem_row).to_contain_text("张代表")
    expect(problem_row).to_contain_text(VISIT)
    shot(desk, "duty-loop-four-lists-desktop")
    name, content = _download(desk, desk.get_by_test_id("export"))
    assert name.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(content))
    cells = {
        title: " ".join(str(c) for row in workbook[title].iter_rows(values_only=True) for c in row)
        for title in workbook.sheetnames
    }
    assert any(case.code in text and PROBLEM in text for text in cells.values()), cells.keys()
    assert any(VISIT in text for text in cells.values())

    desk.goto("/activities/lists/")
    filters.get_by_label("联络站").select_option(label=station.name)
    with desk.expect_navigation():
        filters.get_by_role("button", name="查询").click()
    expect(desk.get_by_test_id("work-list")).to_contain_text(RECEPTION)
    expect(desk.get_by_test_id("work-list")).to_contain_text(VISIT)

    # The deputy's points, each with its rule's reason.
    day = today.isoformat()
    reasons = {
        f"+2 分 参加接待日 {day}",
        f"+1 分 参加履职活动 {day}",
        f"+1 分 收集民情意见 {day}",
    }
    assert {e.reason for e in PointEntry.objects.filter(deputy=zhang, status="active")} == reasons
    assert not PointEntry.objects.filter(deputy__name="李湖滨", status="active").exists()
    phone.goto("/me/")
    expect(phone.get_by_test_id("my-total")).to_have_text("+4")
    _fits(phone)
    shot(phone, "duty-loop-me-home-phone")
    phone.get_by_test_id("me-nav").get_by_role("link", name=re.compile("积分")).click()
    entries = phone.get_by_test_id("point-entries")
    for reason in reasons:
        expect(entries).to_contain_text(reason)
    expect(entries).to_contain_text(RECEPTION)
    expect(entries).to_contain_text(PROBLEM)
    _fits(phone)
    shot(phone, "duty-loop-me-points-phone")

    # The station's ranking: the deputy's total, and nothing for the one on leave.
    desk.goto("/duty/?by=station")
    ranking = desk.get_by_test_id("ranking-table")
    zhang_row = ranking.get_by_role("row").filter(has_text="张代表")
    expect(zhang_row.get_by_role("cell").nth(3)).to_have_text("+4")
    li_row = ranking.get_by_role("row").filter(has_text="李湖滨")
    expect(li_row.get_by_role("cell").nth(3)).to_have_text("0")
    shot(desk, "duty-loop-ranking-desktop")

    # 4. The annual evaluation sheet: Excel from the deputy's phone, Word from the ranking.
    phone.goto("/me/")
    name, content = _download(phone, phone.get_by_role("link", name=re.compile("考评表 Excel")))
    assert name.endswith("代表履职考评表.xlsx")
    rows = _sheet_rows(content)
    assert any("张代表" in str(r[0]) for r in rows if r)
    lines = {r[1]: (r[2], r[3]) for r in rows if len(r) == 4 and r[0] != "积分来源"}
    assert lines["参加接待日"] == (1, 2)
    assert lines["参加履职活动"] == (1, 1)
    assert lines["收集民情意见"] == (1, 1)
    assert ("合计", 4) in rows

    name, content = _download(desk, zhang_row.get_by_role("link", name="Word"))
    assert name.endswith("代表履职考评表.docx")
    document = Document(io.BytesIO(content))
    assert "张代表" in document.paragraphs[0].text
    table = [[c.text for c in row.cells] for row in document.tables[1].rows]
    assert table_row(table, "收集民情意见")[1:3] == ["收集民情意见", "1"]
    assert table[-1][0] == "合计"
    assert Decimal(table[-1][3].lstrip("+")) == 4

    # From the ranking to the deputy's ledger: each entry with its reason and its record.
    zhang_row.get_by_role("link", name="张代表").click()
    ledger = desk.get_by_test_id("point-entries")
    for reason in reasons:
        expect(ledger).to_contain_text(reason)
    expect(ledger).to_contain_text(f"{case.code} {PROBLEM}")


def test_a_deputys_pages_fit_a_phone(new_page, city, shot):
    """Every page a deputy opens around their records, on a 375 px phone: nothing wider than
    the screen, no server error, and what they recorded on it."""
    personas, campaign = city
    station = personas.stations["town"]
    zhang = personas.deputies["deputy"]
    today = timezone.localdate()
    visit = activity_create(
        actor=zhang.user,
        kind=ActivityKind.objects.get(code="visit_voters"),
        date=today,
        title=VISIT,
        station=station,
        campaign=campaign,
        direction=campaign.directions.first(),
        summary="走访湖滨社区5家小微企业，听取用工和交通方面的意见。" * 3,
    )
    link = activity_raise_case(
        actor=zhang.user,
        activity=visit,
        nature=ActivityCase.Nature.SUGGESTION,
        title="建议在湖滨路口增设左转信号灯以缓解早高峰拥堵",
        content="湖滨路与东湖大道路口早高峰车辆排队过长。",
        category=Category.objects.filter(is_active=True).first(),
    )
    coming = DutyDay.objects.create(
        station=station, date=today + dt.timedelta(days=7), title="每月接待日"
    )
    DutyDayDeputy.objects.create(duty_day=coming, deputy=zhang)

    phone = new_page(phone=True, viewport=PHONE, timeout_ms=WAIT_MS)
    log_in(phone, "deputy")
    pages = [
        ("/activities/", "my-activity-list", VISIT),
        (f"/activities/{visit.pk}/", "activity-detail", link.case.code),
        (f"/activities/{visit.pk}/attendance/", "activity-attendance", "张代表"),
        (f"/activities/{visit.pk}/edit/", "activity-edit", "补充照片"),
        (f"/activities/{visit.pk}/raise/", "activity-raise", "建议"),
        ("/activities/campaigns/", "campaigns", campaign.name),
        (f"/activities/campaigns/{campaign.pk}/", "campaign-detail", VISIT),
        (f"/activities/calendar/{station.pk}/?month={coming.date:%Y-%m}", "calendar", "张代表"),
        ("/me/activities/", "me-activities", VISIT),
        ("/me/cases/", "me-cases", link.case.code),
        ("/me/duty-days/", "me-duty-days", station.name),
    ]
    for url, name, text in pages:
        response = phone.goto(url)
        assert response.status == 200, f"{url}: {response.status}"
        expect(phone.locator("main, body").first).to_contain_text(text)
        _fits(phone)
        shot(phone, f"duty-loop-{name}-phone")
        if name == "campaign-detail":
            # The four lists are for clerks: no button that would end in a 403.
            expect(phone.get_by_test_id("campaign-lists")).to_have_count(0)
        if name == "activity-attendance":
            # The deputy's own record: nobody else to look up and add.
            expect(phone.get_by_role("search")).to_have_count(0)
            expect(phone.get_by_text("添加代表")).to_have_count(0)


def table_row(table: list[list[str]], rule: str) -> list[str]:
    return next(row for row in table if row[1] == rule)
