"""Issue 6's first Done-when sentence, in a browser: a deputy files a suggestion with two
co-signers, the committee accepts it, assigns a lead and a co-unit, the co-unit gives its
view, the lead unit answers B-class, the deputy rates it, the promise is later marked kept.

Skipped when RENDA_SKIP_BROWSER=1 or /usr/bin/chromium is missing.
"""

import pytest

from renda.cases.models import Case
from renda.suggestions.models import Promise, Suggestion
from renda.suggestions.tests.helpers import county
from renda.workbench.tests.conftest import BROWSER_SKIP_REASON, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(bool(BROWSER_SKIP_REASON), reason=BROWSER_SKIP_REASON or "-"),
]

if not BROWSER_SKIP_REASON:
    from playwright.sync_api import expect


def _fits_a_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a phone"


def test_a_suggestion_from_filing_to_the_kept_promise(new_page, live_personas, shot):
    county(live_personas)

    # 张代表 files on a phone, with 钱代表 and 孙代表 as co-signers.
    deputy = new_page(phone=True)
    log_in(deputy, "deputy")
    deputy.goto("/suggestions/")
    deputy.get_by_test_id("new-suggestion").click()
    deputy.get_by_label("提交人大").select_option(label="东湖区人大常委会")
    deputy.get_by_label("提出时间").select_option(label="闭会期间")
    deputy.get_by_label("建议标题").fill("关于加快老旧小区加装电梯的建议")
    deputy.get_by_label("建议类别").select_option(index=1)
    deputy.get_by_label("建议内容").fill("东湖街道老旧小区多，建议加快加装电梯并简化审批。")
    deputy.get_by_label("钱代表").check()
    deputy.get_by_label("孙代表").check()
    _fits_a_phone(deputy)
    shot(deputy, "suggestion-file-phone")
    deputy.get_by_test_id("submit-suggestion").click()
    expect(deputy.get_by_test_id("label")).to_have_text("2026年闭会期间第1号建议")
    expect(deputy.get_by_test_id("cosigners")).to_contain_text("待确认")
    code = Suggestion.objects.get().case.code

    # Each co-signer confirms from the box on their list.
    for username, name in (("cosigner1", "钱代表"), ("cosigner2", "孙代表")):
        page = new_page(phone=True)
        log_in(page, username)
        page.goto("/suggestions/")
        page.get_by_test_id("to-cosign").get_by_role("link").click()
        page.get_by_role("button", name="确认联名").click()
        expect(page.get_by_test_id("cosigners")).to_contain_text(f"{name} 已确认")

    # The committee (the county congress's clerk) accepts it, then assigns it.
    clerk = new_page()
    log_in(clerk, "county_clerk")
    clerk.goto("/suggestions/review/")
    clerk.get_by_test_id("review-list").get_by_role("link").click()
    clerk.get_by_label("立案", exact=True).check()
    clerk.get_by_role("button", name="提交审查结论").click()
    expect(clerk.get_by_test_id("review")).to_have_text("已立案")
    clerk.get_by_label("主办单位").select_option(label="东湖区住房和城乡建设局")
    clerk.get_by_test_id("form-assign").get_by_label("东湖街道办事处").check()
    clerk.get_by_role("button", name="交办", exact=True).click()
    expect(clerk.get_by_test_id("state")).to_have_text("待签收")
    expect(clerk.get_by_test_id("assignments")).to_contain_text("东湖街道办事处 · 协办")

    # The co-unit sends its view to the lead unit.
    co = new_page(phone=True)
    log_in(co, "town_handler")
    co.goto(f"/suggestions/{code}/")
    co.get_by_label("协办意见").fill("街道负责做好居民协调和场地保障。")
    co.get_by_role("button", name="提交协办意见").click()
    expect(co.get_by_test_id("co-views")).to_contain_text("街道负责做好居民协调")

    # The lead unit signs and answers B-class with its promise.
    lead = new_page()
    log_in(lead, "county_handler")
    lead.goto("/suggestions/")
    lead.get_by_text("关于加快老旧小区加装电梯的建议").click()
    lead.get_by_role("button", name="签收").click()
    expect(lead.get_by_test_id("state")).to_have_text("办理中")
    lead.get_by_label("B类（列入计划逐步解决）").check()
    lead.get_by_label("答复内容").fill("已将东湖街道5个小区列入明年加装电梯计划。")
    lead.get_by_label("承诺事项（B类必填）").fill("2027年6月前完成5个小区加装电梯")
    lead.get_by_label("计划完成日期（B类必填）").fill("2027-06-30")
    shot(lead, "suggestion-answer")
    lead.get_by_role("button", name="提交答复").click()
    expect(lead.get_by_test_id("answer-class")).to_have_text("B类")

    # The deputy rates the answer and the contact.
    deputy.goto(f"/suggestions/{code}/")
    deputy.locator("#rate-answer_0").check()  # 满意
    deputy.locator("#rate-contact_0").check()
    deputy.get_by_label("办前沟通").check()
    deputy.get_by_label("办后沟通").check()
    _fits_a_phone(deputy)
    deputy.get_by_role("button", name="提交评价").click()
    expect(deputy.get_by_test_id("state")).to_have_text("已办结")
    expect(deputy.get_by_test_id("ratings")).to_contain_text("办理结果：满意")

    # Later the clerk marks the promise kept on the tracking list.
    clerk.goto("/suggestions/promises/")
    expect(clerk.get_by_test_id("promise-state")).to_have_text("未兑现")
    clerk.get_by_label("兑现情况").fill("5个小区电梯已全部投入使用。")
    clerk.get_by_role("button", name="标记已兑现").click()
    clerk.goto("/suggestions/promises/?all=1")
    expect(clerk.get_by_test_id("promise-state")).to_have_text("已兑现")
    shot(clerk, "suggestion-promises")

    s = Suggestion.objects.select_related("case").get()
    assert s.case.state == Case.State.CLOSED and s.answer_class == "B"
    assert [x.state for x in s.cosigners.all()] == ["confirmed", "confirmed"]
    assert Promise.objects.get().kept_at is not None
