"""The leaders' dashboard in Chromium, on a desktop and on a phone: every chart draws on its
canvas without script errors, the page fits a phone, and a click on a figure (a total card,
a bar of the trend chart) opens the list of its cases.

Skipped when RENDA_SKIP_BROWSER=1 or /usr/bin/chromium is missing. Screenshots land in
/tmp/h10shots/ (override with RENDA_DASHBOARD_SHOTS_DIR).
"""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from renda.cases.models import UrgencyTier
from renda.cases.services import case_accept, case_assign, case_sign, case_supervise
from renda.dashboard.tests.conftest import _submit, person
from renda.org.roles import Role
from renda.workbench.tests.conftest import BROWSER_SKIP_REASON, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(bool(BROWSER_SKIP_REASON), reason=BROWSER_SKIP_REASON or "-"),
]

if not BROWSER_SKIP_REASON:
    from playwright.sync_api import expect

SHOTS = Path(os.environ.get("RENDA_DASHBOARD_SHOTS_DIR", "/tmp/h10shots"))
CHARTS = ("trend", "categories", "areas", "rates", "words")


@pytest.fixture(autouse=True)
def clock():
    """The live server runs on the real clock: no time travel in browser tests."""
    yield None


@pytest.fixture
def cases(live_personas):
    """Made 20 days ago (an urgent case of 东湖街道, now overdue and key-supervised) and today
    (new ones in 东湖街道 and 西山镇)."""
    p = live_personas
    handler = person("town_handler", Role.HANDLER, p.units["town_gov"])
    with time_machine.travel(timezone.now() - dt.timedelta(days=20), tick=False):
        case = _submit(p, title="湖滨路路灯不亮", region="village", category="城乡建设")
        case = case_accept(case=case, actor=p.town_clerk, version=case.version)
        case = case_assign(
            case=case,
            actor=p.town_clerk,
            version=case.version,
            lead_unit=p.units["town_gov"],
            urgency=UrgencyTier.objects.get(name="紧急"),
        )
        case = case_sign(case=case, actor=handler, version=case.version)
        case_supervise(case=case, actor=p.leader, version=case.version, level="key")
    _submit(p, title="湖滨路下水道堵塞", region="village", category="城乡建设")
    _submit(p, title="湖滨路口红绿灯太短", region="village", category="交通运输")
    _submit(p, title="西山村垃圾清运不及时", region="other_village", category="环境保护")
    return p


def _check(page, *, phone: bool) -> None:
    page.goto("/dashboard/")
    expect(page.get_by_role("heading", name="领导驾驶舱")).to_be_visible()
    for name in CHARTS:
        expect(page.locator(f"#dash-{name} canvas")).to_have_count(1)
        box = page.locator(f"#dash-{name} canvas").bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 80, name
    expect(page.get_by_test_id("dash-updated")).to_contain_text("数据更新于")
    expect(page.get_by_test_id("total-received").get_by_test_id("total-value")).to_have_text("4")
    expect(page.get_by_test_id("overdue-list-row")).to_have_count(1)
    expect(page.get_by_test_id("key-list-row")).to_have_count(1)
    rows = page.get_by_test_id("area-row").all_inner_texts()
    assert [r.split()[0] for r in rows] == ["东湖区", "西山县"]
    if phone:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width}px wide on a 390px phone"
    SHOTS.mkdir(parents=True, exist_ok=True)
    kind = "phone" if phone else "desktop"
    page.screenshot(path=str(SHOTS / f"dashboard-{kind}.png"), full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=str(SHOTS / f"dashboard-print-{kind}.png"), full_page=True)
    expect(page.locator("nav.renda-topbar")).to_be_hidden()
    page.emulate_media(media="screen")


def test_a_leader_opens_the_dashboard_and_drills_down(new_page, cases):
    desktop = new_page()
    log_in(desktop, "leader")
    _check(desktop, phone=False)

    # A total card opens its rows.
    desktop.get_by_test_id("total-overdue").click()
    expect(desktop).to_have_url(re.compile(r"/dashboard/cases/\?measure=overdue$"))
    expect(desktop.get_by_test_id("dash-list-row")).to_have_count(1)
    expect(desktop.get_by_test_id("dash-list")).to_contain_text("湖滨路路灯不亮")
    desktop.get_by_role("link", name=re.compile(r"MQ\d{4}-\d{6}")).click()
    expect(desktop).to_have_url(re.compile(r"/cases/MQ\d{4}-\d{6}/$"))

    # A bar of the trend chart (this month's 收到) opens that month's cases.
    desktop.goto("/dashboard/")
    point = desktop.evaluate(
        """() => {
          const el = document.getElementById('dash-trend');
          const chart = echarts.getInstanceByDom(el);
          const [x, y] = chart.convertToPixel({seriesIndex: 0}, [11, 2]);
          const box = el.getBoundingClientRect();
          return [box.left + x, box.top + y];
        }"""
    )
    desktop.mouse.click(point[0], point[1])
    month = timezone.localdate().strftime("%Y-%m")
    expect(desktop).to_have_url(re.compile(rf"measure=received&month={month}$"))
    made = timezone.localdate() - dt.timedelta(days=20)
    this_month = 3 + (made.strftime("%Y-%m") == month)
    expect(desktop.get_by_test_id("dash-list-row")).to_have_count(this_month)
    expect(desktop.get_by_test_id("dash-list-title")).to_contain_text("收到")

    phone = new_page(phone=True)
    log_in(phone, "leader")
    _check(phone, phone=True)
    phone.get_by_test_id("area-row").first.get_by_role("link").first.click()
    expect(phone).to_have_url(re.compile(r"measure=received&area=\d+$"))
    expect(phone.get_by_test_id("dash-list-row")).to_have_count(3)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the list is {width}px wide on a 390px phone"
