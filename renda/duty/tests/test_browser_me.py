"""/me/ on a 375 px phone: a deputy sees their points with the reason of each entry, their
activities, their cases and their coming duty days; a non-deputy is told why not.

Skipped when RENDA_SKIP_BROWSER=1 or /usr/bin/chromium is missing. Screenshots land in
/tmp/shots/ (override with RENDA_SHOTS_DIR).
"""

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps
from django.utils import timezone

from renda.activities.models import DutyDay, DutyDayDeputy
from renda.duty.models import PointEntry
from renda.duty.tests.conftest import activity, attend, collected
from renda.testing import build_personas
from renda.workbench.tests.conftest import BROWSER_SKIP_REASON, PageProblems, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(bool(BROWSER_SKIP_REASON), reason=BROWSER_SKIP_REASON or "-"),
]

if not BROWSER_SKIP_REASON:
    from playwright.sync_api import expect

PHONE = {"width": 375, "height": 812}


@pytest.fixture(autouse=True)
def clock():
    """The live server runs on the real clock: no time travel in browser tests."""
    yield None


@pytest.fixture
def live_personas(committed_db, _async_unsafe_allowed):
    # A transactional test starts from a flushed database: put back the activity kinds and
    # the default point rules that the data migrations wrote.
    for module in (
        "renda.activities.migrations.0002_seed_kinds",
        "renda.duty.migrations.0002_default_rules",
        "renda.duty.migrations.0004_default_activity_rules",
    ):
        importlib.import_module(module).seed(apps, None)
    return build_personas()


@pytest.fixture
def phone(browser, live_server):
    problems = PageProblems()
    context = browser.new_context(
        base_url=live_server.url,
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems.watch(page)
    yield page
    context.close()
    problems.assert_none()


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px phone"


def test_a_deputy_reads_their_duty_record_on_a_phone(phone, live_personas, shot):
    personas = live_personas
    deputy = personas.deputies["deputy"]
    today = timezone.localdate()
    held = today - dt.timedelta(days=5)
    attend(activity(personas, date=held, title="湖滨社区接待日"), deputy)
    case = collected(personas, title="湖滨路路灯不亮")
    coming = today + dt.timedelta(days=10)
    day = DutyDay.objects.create(station=personas.stations["town"], date=coming, title="每月接待日")
    DutyDayDeputy.objects.create(duty_day=day, deputy=deputy)
    # The live server commits every save: the signal handlers have written the ledger.
    assert PointEntry.objects.filter(status="active").count() == 2

    page = phone
    log_in(page, "deputy")
    page.goto("/me/")
    expect(page.get_by_test_id("my-total")).to_have_text("+3")
    expect(page.get_by_test_id("point-entries")).to_contain_text(
        f"+2 分 参加接待日 {held.isoformat()}"
    )
    expect(page.get_by_test_id("point-entries")).to_contain_text(
        f"+1 分 收集民情意见 {today.isoformat()}"
    )
    expect(page.get_by_test_id("my-duty-days")).to_contain_text(f"{coming.month}月{coming.day}日")
    expect(page.get_by_test_id("my-duty-days")).to_contain_text("东湖街道代表联络站")
    _fits(page)
    _nav_fits(page)
    shot(page, "me-home-phone")

    page.get_by_test_id("me-nav").get_by_role("link", name=re.compile("积分")).click()
    expect(page.get_by_test_id("point-entries")).to_contain_text("湖滨社区接待日")
    _fits(page)
    shot(page, "me-points-phone")

    page.get_by_test_id("me-nav").get_by_role("link", name=re.compile("活动")).click()
    expect(page.get_by_test_id("my-activities")).to_contain_text("湖滨社区接待日")
    expect(page.get_by_test_id("my-activities")).to_contain_text("出席")
    _fits(page)

    page.get_by_test_id("me-nav").get_by_role("link", name=re.compile("民情")).click()
    expect(page.get_by_test_id("my-cases")).to_contain_text(case.code)
    _fits(page)
    shot(page, "me-cases-phone")

    page.get_by_test_id("me-nav").get_by_role("link", name=re.compile("值班")).click()
    expect(page.get_by_test_id("my-duty-days")).to_contain_text(f"{coming:%Y}年")
    _fits(page)

    page.goto("/me/")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("考评表 Excel")).click()
    assert download.value.suggested_filename.endswith("代表履职考评表.xlsx")


def test_a_citizen_is_told_the_pages_are_for_deputies(phone, live_personas, shot):
    page = phone
    log_in(page, "citizen")
    response = page.goto("/me/")
    assert response.status == 403
    expect(page.get_by_test_id("not-deputy")).to_contain_text("您的账号没有关联人大代表")
    _fits(page)
    shot(page, "me-not-deputy-phone")


def _nav_fits(page) -> None:
    """Every tab of /me/ is on screen, none scrolled out of sight."""
    right = page.evaluate(
        "Math.max(...[...document.querySelectorAll('[data-testid=me-nav] a')]"
        ".map(a => a.getBoundingClientRect().right))"
    )
    assert right <= PHONE["width"], f"the last tab ends at {right}px"
