"""Issue 6's supervision lists in a browser: a clerk drafts a review opinion with a problem
list of three items, issues it, the street office signs and answers one item on its case page,
and the opinion's page then counts one done and two in hand (on a 375 px phone too).

Skipped when RENDA_SKIP_BROWSER=1 or /usr/bin/chromium is missing.
"""

import re

import pytest

from renda.cases.models import Case
from renda.reviews.models import ReviewOpinion
from renda.reviews.tests.helpers import town_units
from renda.workbench.tests.conftest import BROWSER_SKIP_REASON, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(bool(BROWSER_SKIP_REASON), reason=BROWSER_SKIP_REASON or "-"),
]

if not BROWSER_SKIP_REASON:
    from playwright.sync_api import expect

ITEMS = """燃煤锅炉淘汰｜加快淘汰建成区35蒸吨以下燃煤锅炉｜东湖街道办事处｜20
燃煤锅炉淘汰｜建立清洁能源改造台账，按月报送进度｜东湖街道城管中队｜10
生活噪声污染整治｜整治夜间施工和广场舞噪声扰民｜东湖街道办事处"""


def _fits_a_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a phone"


def _counts(page, done: int, in_hand: int, overdue: int) -> None:
    expect(page.get_by_test_id("count-done")).to_have_text(str(done))
    expect(page.get_by_test_id("count-in-hand")).to_have_text(str(in_hand))
    expect(page.get_by_test_id("count-overdue")).to_have_text(str(overdue))


def test_a_problem_list_from_drafting_to_the_first_answer(new_page, live_personas, shot):
    town_units(live_personas)

    # The town clerk drafts the opinion on a phone and issues it.
    clerk = new_page(phone=True, timeout_ms=30_000)
    log_in(clerk, "town_clerk")
    clerk.goto("/reviews/")
    clerk.get_by_test_id("new-opinion").click()
    clerk.get_by_label("审议意见标题").fill("关于街道环境状况报告的审议意见")
    clerk.get_by_label("审议的报告").fill("2025年度环境状况和环境保护目标完成情况的报告")
    clerk.get_by_label("会议名称").fill("东湖街道人大工委第三次会议")
    clerk.get_by_label("审议日期").fill("2026-09-10")
    clerk.get_by_label("所属领域").select_option(index=1)
    clerk.get_by_label("默认整改时限（工作日）").fill("30")
    clerk.get_by_label("问题清单").fill(ITEMS)
    _fits_a_phone(clerk)
    shot(clerk, "review-create-phone")
    with clerk.expect_navigation():
        clerk.get_by_role("button", name="保存为草稿").click()
    expect(clerk.get_by_test_id("status")).to_have_text("草稿")
    expect(clerk.get_by_test_id("category")).to_have_count(2)
    clerk.once("dialog", lambda dialog: dialog.accept())
    with clerk.expect_navigation():
        clerk.get_by_test_id("issue").click()
    expect(clerk.get_by_test_id("status")).to_have_text("已交办")
    _counts(clerk, 0, 3, 0)
    expect(clerk.get_by_test_id("case-link")).to_have_count(3)

    opinion = ReviewOpinion.objects.get()
    first = opinion.items.select_related("case").get(number=1).case
    assert first.kind == Case.Kind.SUPERVISION_ITEM and first.state == Case.State.ASSIGNED

    # 东湖街道办事处 signs the first item and answers it on the case page.
    unit = new_page(timeout_ms=30_000)
    log_in(unit, "town_handler")
    unit.goto(f"/cases/{first.code}/")
    expect(unit.get_by_test_id("case-state")).to_have_text("待签收")
    for action, fill in (
        ("sign", None),
        (
            "reply",
            lambda f: (
                f.get_by_label("办理结果").select_option(label="已解决"),
                f.get_by_label("答复内容").fill("建成区12台燃煤锅炉已全部淘汰，改用天然气。"),
            ),
        ),
    ):
        toggle = unit.locator(f"button[aria-controls=act-{action}]")
        toggle.click()
        expect(unit.locator(f"#act-{action}")).to_have_class(re.compile(r"\bcollapse show\b"))
        form = unit.get_by_test_id(f"form-{action}")
        if fill is not None:
            fill(form)
        with unit.expect_navigation():
            form.locator("button[type=submit]").click()
    expect(unit.get_by_test_id("case-state")).to_have_text("待评价")

    # The opinion's page counts it done; the other two are in hand.
    clerk.goto(f"/reviews/{opinion.pk}/")
    _counts(clerk, 1, 2, 0)
    expect(clerk.locator("[data-item='1'] [data-testid=item-state]")).to_have_text("待评价")
    _fits_a_phone(clerk)
    shot(clerk, "review-detail-phone")
    clerk.goto("/reviews/")
    expect(clerk.get_by_test_id("progress")).to_contain_text("已办结 1")
    _fits_a_phone(clerk)
    shot(clerk, "review-list-phone")
