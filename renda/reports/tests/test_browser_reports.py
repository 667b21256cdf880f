"""A town clerk on a phone reviews and submits September's report with a typical case; the
city clerk at a desk sees it in the overview with the roll-up.

Skipped when RENDA_SKIP_BROWSER=1 or /usr/bin/chromium is missing. Screenshots land in
$RENDA_SHOTS_DIR (default /tmp/shots/).
"""

import importlib

import pytest
from django.apps import apps

from renda.reports.models import MonthlyReport
from renda.reports.tests.helpers import EXPECTED, build_september
from renda.workbench.tests.conftest import BROWSER_SKIP_REASON, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(bool(BROWSER_SKIP_REASON), reason=BROWSER_SKIP_REASON or "-"),
]

if not BROWSER_SKIP_REASON:
    from playwright.sync_api import expect


@pytest.fixture
def september_live(live_personas):
    # The activity kinds a data migration seeded, put back after the previous flush.
    importlib.import_module("renda.activities.migrations.0002_seed_kinds").seed(apps, None)
    return live_personas, build_september(live_personas)


def _fits(page, width: int = 390) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the page is {scroll}px wide on a {width}px phone"


def test_a_town_clerk_submits_and_the_city_clerk_sees_it(new_page, september_live, shot):
    _, cases = september_live
    solved = cases["solved"].code

    page = new_page(phone=True)
    log_in(page, "town_clerk")
    page.goto("/reports/T1-GW/2026-09/")
    expect(page.get_by_test_id("figure-collected")).to_have_text("3")
    expect(page.get_by_test_id("figure-activities")).to_have_text("3")
    expect(page.get_by_test_id("report-status")).to_contain_text("逾期未报")
    page.locator(f"#pick-{solved}").check()
    page.get_by_label(f"{solved} 简述").fill("三天内疏通排水管道，群众满意。")
    page.get_by_label("备注（填报说明）").fill("本月走访企业 12 家。")
    _fits(page)
    shot(page, "h9-report-unit-phone")
    with page.expect_navigation():
        page.get_by_test_id("submit-report").click()
    expect(page.get_by_role("alert").first).to_contain_text("第 1 版")
    expect(page.get_by_test_id("report-status")).to_contain_text("逾期报送")
    expect(page.get_by_test_id("typical-list")).to_contain_text("三天内疏通排水管道")
    _fits(page)
    shot(page, "h9-report-submitted-phone")
    report = MonthlyReport.objects.get()
    assert report.figures["collected"] == 3 and report.typical_cases[0]["code"] == solved

    desk = new_page()
    log_in(desk, "city_clerk")
    desk.goto("/reports/?month=2026-09")
    expect(desk.get_by_test_id("submitted-count")).to_have_text("1")
    town = desk.locator('[data-unit="T1-GW"]')
    expect(town.get_by_test_id("status")).to_have_text("逾期报送")
    expect(desk.locator('[data-unit="D1-RD"]').get_by_test_id("status")).to_have_text("逾期未报")
    total = EXPECTED["D1-RD"]["collected"] + EXPECTED["D2-RD"]["collected"]
    expect(desk.get_by_test_id("total-collected")).to_have_text(str(total))
    shot(desk, "h9-report-overview-desktop")
    # Every figure opens the rows behind it.
    with desk.expect_navigation():
        town.get_by_test_id("collected").click()
    expect(desk.get_by_test_id("rows-count")).to_have_text("3")
    desk.goto("/reports/T1-GW/2026-09/")
    shot(desk, "h9-report-unit-desktop")

    phone = new_page(phone=True)
    log_in(phone, "city_clerk")
    phone.goto("/reports/?month=2026-09")
    expect(phone.get_by_test_id("submitted-count")).to_have_text("1")
    _fits(phone)
    shot(phone, "h9-report-overview-phone")
