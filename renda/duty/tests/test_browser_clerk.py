"""The clerks' duty pages in a browser: an administrator lowers a rule below zero, is shown
who would go negative, confirms, and the ranking follows; a station clerk reads the ranking
on a phone and downloads an evaluation sheet.

Skipped when RENDA_SKIP_BROWSER=1 or /usr/bin/chromium is missing.
"""

import datetime as dt

import pytest
from django.utils import timezone

from renda.duty.models import PointRule
from renda.duty.tests.conftest import activity, attend
from renda.workbench.tests.conftest import BROWSER_SKIP_REASON, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(bool(BROWSER_SKIP_REASON), reason=BROWSER_SKIP_REASON or "-"),
]

if not BROWSER_SKIP_REASON:
    from playwright.sync_api import expect


@pytest.fixture(autouse=True)
def clock():
    yield None


@pytest.fixture
def live_personas(committed_db, _async_unsafe_allowed):
    import importlib

    from django.apps import apps

    from renda.testing import build_personas

    for module in (
        "renda.activities.migrations.0002_seed_kinds",
        "renda.duty.migrations.0002_default_rules",
        "renda.duty.migrations.0004_default_activity_rules",
    ):
        importlib.import_module(module).seed(apps, None)
    return build_personas()


@pytest.fixture
def new_page(browser, live_server):
    from renda.workbench.tests.conftest import DESKTOP, PHONE, PageProblems

    problems = PageProblems()
    contexts = []

    def _new(*, phone: bool = False):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=PHONE if phone else DESKTOP,
            is_mobile=phone,
            has_touch=phone,
            locale="zh-CN",
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        problems.watch(page)
        return page

    yield _new
    for context in contexts:
        context.close()
    problems.assert_none()


def test_a_rule_change_that_turns_totals_negative_is_confirmed_first(new_page, live_personas, shot):
    personas = live_personas
    held = timezone.localdate() - dt.timedelta(days=3)
    attend(activity(personas, date=held), personas.deputies["deputy"])
    rule = PointRule.objects.get(name="参加接待日")

    page = new_page()
    log_in(page, "admin")
    page.goto(f"/duty/rules/{rule.pk}/")
    page.get_by_label("分值").fill("-3")
    page.get_by_role("button", name="预览影响").click()
    expect(page.get_by_test_id("preview")).to_contain_text("替代或作废 1 条，涉及 1 名代表")
    page.get_by_role("button", name="保存并重新计算").click()
    expect(page.get_by_test_id("negatives")).to_contain_text("张代表")
    expect(page.get_by_role("alert").first).to_contain_text("年度积分变为负数")
    shot(page, "duty-rule-negative-desktop")
    rule.refresh_from_db()
    assert rule.points == 2
    page.get_by_label("确认负分仍然保存").check()
    page.get_by_role("button", name="保存并重新计算").click()
    expect(page.get_by_role("alert").first).to_contain_text("已保存规则“参加接待日”")
    rule.refresh_from_db()
    assert rule.points == -3

    page.goto("/duty/?lower=1")
    expect(page.get_by_test_id("ranking-table")).to_contain_text("-3")
    shot(page, "duty-ranking-desktop")


def test_a_station_clerk_reads_the_ranking_on_a_phone(new_page, live_personas, shot):
    personas = live_personas
    held = timezone.localdate() - dt.timedelta(days=3)
    attend(activity(personas, date=held), personas.deputies["deputy"])

    page = new_page(phone=True)
    log_in(page, "station_clerk")
    page.goto("/duty/?by=station")
    table = page.get_by_test_id("ranking-table")
    expect(table).to_contain_text("张代表")
    expect(table).not_to_contain_text("王西山")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "duty-ranking-phone")
    with page.expect_download() as download:
        table.get_by_role("link", name="Word").click()
    assert download.value.suggested_filename.endswith("代表履职考评表.docx")
    page.get_by_role("link", name="张代表").click()
    expect(page.get_by_test_id("point-entries")).to_contain_text(
        f"+2 分 参加接待日 {held.isoformat()}"
    )
    shot(page, "duty-ledger-phone")
