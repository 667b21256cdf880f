"""张代表 fills a 满意度测评 sheet on a phone; the town clerk sees the anonymous results.

Skipped when RENDA_SKIP_BROWSER=1 or /usr/bin/chromium is missing.
"""

import pytest

from renda.oversight.models import Score
from renda.oversight.tests.helpers import make_evaluation
from renda.workbench.tests.conftest import BROWSER_SKIP_REASON, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(bool(BROWSER_SKIP_REASON), reason=BROWSER_SKIP_REASON or "-"),
]

if not BROWSER_SKIP_REASON:
    from playwright.sync_api import expect


def test_a_deputy_scores_on_a_phone(new_page, live_personas, shot):
    evaluation = make_evaluation(live_personas)
    page = new_page(phone=True)
    log_in(page, "deputy")
    page.goto("/oversight/mine/")
    page.get_by_text(evaluation.title).click()
    page.get_by_text("满意", exact=True).first.click()
    page.get_by_label("东湖街道办事处 意见建议").fill("办事效率高")
    # Submitting with one subject unrated is refused and nothing is saved.
    page.get_by_test_id("submit-sheet").click()
    expect(page.get_by_test_id("sheet-error")).to_contain_text("尚未评价：老旧小区加装电梯整改")
    assert not Score.objects.exists()
    page.get_by_text("不满意", exact=True).nth(1).click()
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= 390, f"the sheet is {scroll}px wide on a phone"
    shot(page, "oversight-sheet-phone")
    page.get_by_test_id("submit-sheet").click()
    expect(page.get_by_test_id("submitted")).to_be_visible()
    assert sorted(Score.objects.values_list("value", flat=True)) == ["satisfied", "unsatisfied"]

    clerk = new_page(phone=True)
    log_in(clerk, "town_clerk")
    clerk.goto(f"/oversight/evaluations/{evaluation.pk}/")
    expect(clerk.get_by_test_id("progress")).to_have_text("1 / 1")
    expect(clerk.get_by_test_id("rate").first).to_have_text("100.0%")
    expect(clerk.get_by_test_id("comments")).to_contain_text("办事效率高")
    expect(clerk.get_by_test_id("results")).not_to_contain_text("张代表")


def test_a_clerk_creates_and_opens_an_evaluation_on_a_phone(new_page, live_personas, shot):
    from renda.oversight.models import Evaluation

    page = new_page(phone=True)
    log_in(page, "town_clerk")
    page.goto("/oversight/evaluations/")
    page.get_by_test_id("new-evaluation").click()
    page.get_by_label("测评名称").fill("街道部门满意度测评")
    page.get_by_label("开始日期").fill("2026-11-01")
    page.get_by_label("截止日期").fill("2026-11-30")
    page.get_by_label("东湖街道办事处").check()
    page.get_by_label("测评事项（每行一项，如整改事项）").fill("路灯整改")
    page.get_by_label("张代表").check()
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= 390, f"the form is {scroll}px wide on a phone"
    shot(page, "oversight-create-phone")
    page.get_by_role("button", name="保存为草稿").click()
    expect(page.get_by_test_id("status")).to_have_text("草稿")
    page.get_by_role("button", name="开始测评").click()
    expect(page.get_by_test_id("status")).to_have_text("进行中")
    evaluation = Evaluation.objects.get()
    assert [s.name for s in evaluation.subjects.all()] == ["东湖街道办事处", "路灯整改"]
    assert evaluation.raters.get().deputy == live_personas.deputies["deputy"]
