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
