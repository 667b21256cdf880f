"""The case page's ways into triage, in a real Chromium: the clerk who may accept a case finds
the triage page from it, and a handler typing a reply sees what the reply check says before
sending it."""

import re

import pytest

from renda.accounts.services import user_create
from renda.cases.services import case_sign
from renda.cases.tests.helpers import assigned_to_town, submit
from renda.org.roles import Role
from renda.org.services import membership_grant
from renda.testing import PASSWORD
from renda.workbench.tests.conftest import BROWSER_SKIP_REASON, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(bool(BROWSER_SKIP_REASON), reason=BROWSER_SKIP_REASON or "-"),
]

if not BROWSER_SKIP_REASON:
    from playwright.sync_api import expect


def test_the_clerk_goes_from_the_case_to_its_triage_page(new_page, live_personas):
    case = submit(live_personas)
    page = new_page()
    log_in(page, "town_clerk")
    page.goto(f"/cases/{case.code}/")
    page.get_by_test_id("triage-link").click()
    expect(page).to_have_url(re.compile(rf"/triage/{case.code}/$"))
    expect(page.get_by_test_id("case-title")).to_be_visible()


def test_the_handler_sees_the_reply_check_while_typing(new_page, live_personas):
    handler = user_create(
        username="town_handler", password=PASSWORD, full_name="街道办经办人", validate=False
    )
    membership_grant(user=handler, role=Role.HANDLER, unit=live_personas.units["town_gov"])
    case = assigned_to_town(live_personas)
    case_sign(case=case, actor=handler, version=case.version)

    page = new_page(phone=True)
    log_in(page, "town_handler")
    page.goto(f"/cases/{case.code}/")
    # The town clerk's triage link is not the handler's business.
    expect(page.get_by_test_id("triage-link")).to_have_count(0)
    page.get_by_role("button", name="答复").click()
    page.locator("#reply-reply").fill("已收悉。")
    check = page.get_by_test_id("reply-check-box")
    expect(check).to_contain_text("答复过于简短")
    page.locator("#reply-reply").fill(
        "您反映的湖滨路北段路灯不亮问题，经街道城建办现场核查属实，已安排路灯维修公司于9月20日"
        "前更换三盏损坏灯具，由城建办负责人跟踪落实，感谢您的监督。"
    )
    expect(check).to_contain_text("答复检查通过")
