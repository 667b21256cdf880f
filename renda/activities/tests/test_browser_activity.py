"""A station clerk on a phone records an activity with attendance in well under a minute, a
problem raised in it becomes a case, and the four lists show both; a reception day is
planned from the calendar and its attendance taken.

Skipped when RENDA_SKIP_BROWSER=1 or /usr/bin/chromium is missing. Screenshots land in
$RENDA_SHOTS_DIR (default /tmp/shots/).
"""

import importlib
import re
import time

import pytest
from django.apps import apps

from renda.activities.models import Activity, ActivityCase, Attendance, DutyDay
from renda.workbench.tests.conftest import BROWSER_SKIP_REASON, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(bool(BROWSER_SKIP_REASON), reason=BROWSER_SKIP_REASON or "-"),
]

if not BROWSER_SKIP_REASON:
    from playwright.sync_api import expect


@pytest.fixture
def kinds(live_personas):
    """The activity kinds a data migration seeded, put back after the previous flush."""
    importlib.import_module("renda.activities.migrations.0002_seed_kinds").seed(apps, None)
    return live_personas


def _fits(page, width: int = 390) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the page is {scroll}px wide on a {width}px phone"


def test_a_station_clerk_records_an_activity_from_a_phone(new_page, kinds, shot):
    personas = kinds
    page = new_page(phone=True)
    log_in(page, "station_clerk")

    started = time.monotonic()
    page.goto("/activities/")
    page.get_by_test_id("new-activity").click()
    page.get_by_text("走访选民", exact=True).click()
    # Today and the clerk's own station are filled in already.
    expect(page.get_by_label("联络站")).to_have_value(str(personas.stations["town"].pk))
    page.get_by_label("张代表").check()
    page.get_by_label("活动纪要").fill("走访湖滨社区10户，收集意见2条。")
    _fits(page)
    shot(page, "activity-create-phone")
    with page.expect_navigation():
        page.get_by_test_id("save-activity").click()
    elapsed = time.monotonic() - started
    expect(page.get_by_test_id("activity-status")).to_have_text("已开展")
    expect(page.get_by_test_id("attendance-list")).to_contain_text("张代表")
    expect(page.get_by_test_id("attendance-list")).to_contain_text("出席")
    assert elapsed < 60, f"recording took {elapsed:.1f}s"
    _fits(page)
    shot(page, "activity-detail-phone")
    activity = Activity.objects.get()
    assert activity.attendances.get().status == Attendance.Status.ATTENDED

    # A problem heard on the visit becomes a case, linked both ways.
    page.get_by_test_id("raise-case").click()
    page.get_by_label("标题").fill("湖滨路路灯不亮")
    page.get_by_label("内容").fill("湖滨路北段三盏路灯已坏一周。")
    page.get_by_label("分类").select_option(label="城乡建设")
    page.get_by_label("提出代表").select_option(label="张代表")
    _fits(page)
    with page.expect_navigation():
        page.get_by_test_id("submit-case").click()
    link = ActivityCase.objects.get()
    expect(page.get_by_test_id("case-links")).to_contain_text(link.case.code)
    expect(page.get_by_role("alert")).to_contain_text(link.case.code)

    # The town clerk at a desk sees it in the four lists.
    desk = new_page()
    log_in(desk, "town_clerk")
    desk.goto("/activities/lists/")
    expect(desk.get_by_test_id("work-list")).to_contain_text(activity.title)
    desk.get_by_test_id("tab-problems").click()
    expect(desk.get_by_test_id("problem-list")).to_contain_text("湖滨路路灯不亮")
    shot(desk, "four-lists-desktop")
    desk.get_by_role("link", name=link.case.code).click()
    expect(desk).to_have_url(re.compile(rf"/cases/{link.case.code}/$"))


def test_a_reception_day_is_planned_and_its_attendance_taken(new_page, kinds, shot):
    personas = kinds
    page = new_page()
    log_in(page, "station_clerk")
    station = personas.stations["town"]
    page.goto(f"/activities/calendar/{station.pk}/")
    page.get_by_role("link", name=re.compile("设置活动安排")).click()
    page.get_by_label("安排类型").select_option(label="每月接待日")
    page.get_by_label("每月几日（每月接待日）").fill("15")
    page.get_by_label("每次值班代表人数").fill("1")
    page.get_by_label("开始时间").fill("09:00")
    with page.expect_navigation():
        page.get_by_role("button", name="保存并生成日程").click()
    expect(page.get_by_test_id("schedules")).to_contain_text("每月接待日")
    day = DutyDay.objects.order_by("date").first()
    page.goto(f"/activities/calendar/{station.pk}/?month={day.date:%Y-%m}")
    expect(page.get_by_test_id("duty-days")).to_contain_text("张代表")
    shot(page, "calendar-desktop")
    with page.expect_navigation():
        page.get_by_test_id("duty-days").get_by_role("button").first.click()
    # Opened as a plan (the day is ahead): the deputy on duty is invited.
    expect(page.get_by_test_id("activity-status")).to_have_text("计划中")
    page.get_by_test_id("take-attendance").click()
    page.get_by_text("请假", exact=True).first.click()
    page.get_by_label("张代表的备注").fill("外出开会")
    with page.expect_navigation():
        page.get_by_test_id("save-attendance").click()
    expect(page.get_by_test_id("attendance-list")).to_contain_text("请假")
    # Marking presence before the day is refused, in words.
    page.get_by_test_id("take-attendance").click()
    page.get_by_text("出席", exact=True).first.click()
    page.get_by_test_id("save-attendance").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("尚未开展")
    phone = new_page(phone=True)
    log_in(phone, "station_clerk")
    phone.goto(f"/activities/calendar/{station.pk}/?month={day.date:%Y-%m}")
    _fits(phone)
    shot(phone, "calendar-phone")
