"""The whole opinion loop (民情闭环) through the pages people use, in a real Chromium.

A citizen submits from a 375×812 phone on the portal and gets a tracking code; the street
committee's clerk accepts it and escalates it (上报) to the district; the district clerk
assigns it to a district department with a deadline tier; the department's handler signs for
it and replies; the citizen, with only the code and the phone's last four digits, rates it
不满意; the department replies again (重办) and the citizen rates 满意: the case is closed.
Only the personas and the district department are set up through services; every step of
the case is a click on a page (the message box leads staff to it), and every page's visible
state is checked, down to the district's rates and the public answers page at the end.

Skipped when RENDA_SKIP_BROWSER=1 or /usr/bin/chromium is missing. Screenshots land in
/tmp/shots/ (override with RENDA_SHOTS_DIR).
"""

import re
import struct
import zlib

import pytest
import time_machine
from django.utils import timezone

from renda.accounts.services import user_create
from renda.cases.models import Assignment, Case
from renda.cases.tests.helpers import at
from renda.org.models import OrgUnit
from renda.org.roles import Role
from renda.org.services import membership_grant, unit_create
from renda.testing import PASSWORD
from renda.workbench.tests.conftest import (  # noqa: F401 - the browser fixtures
    BROWSER_SKIP_REASON,
    SHOTS_DIR,
    _async_unsafe_allowed,
    browser,
    live_personas,
    log_in,
    new_page,
)
from renda.workcal.calendar import add_working_days

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(bool(BROWSER_SKIP_REASON), reason=BROWSER_SKIP_REASON or "-"),
]

if not BROWSER_SKIP_REASON:
    from playwright.sync_api import expect

PHONE = {"width": 375, "height": 812}
CITIZEN_PHONE = "13812345678"
START = at(2026, 9, 15, 9)  # a Tuesday: the deadlines below are counted from it


@pytest.fixture(autouse=True)
def clock():
    """A fixed working day that moves on in real time: the live server's thread needs a clock
    that ticks, the deadlines a known date."""
    with time_machine.travel(START, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def county_handler(live_personas):  # noqa: F811 - the imported fixture
    """东湖区住房和城乡建设局, a district department, and its handler: the personas have
    handling units at the city and the street only."""
    unit = unit_create(
        code="D1-ZJJ",
        name="东湖区住房和城乡建设局",
        kind=OrgUnit.Kind.HANDLING_UNIT,
        handling_kind=OrgUnit.HandlingKind.DEPARTMENT,
        region=live_personas.regions["county"],
        parent=live_personas.units["city_gov"],
    )
    user = user_create(
        username="county_handler", password=PASSWORD, full_name="区住建局经办人", validate=False
    )
    membership_grant(user=user, role=Role.HANDLER, unit=unit)
    return user


@pytest.fixture
def open_page(new_page):  # noqa: F811 - the imported fixture
    """`open_page(phone=…)`: a page in a fresh context (a person's own browser) on a 375 px
    phone or a desktop; server errors, missing static files and script errors fail the test at
    teardown. The loop's steps wait up to 15 s."""
    return lambda *, phone: new_page(phone=phone, viewport=PHONE, timeout_ms=15_000)


def _shot(page, name: str) -> None:
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS_DIR / f"loop-{name}.png"), full_page=True)


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{page.url} is {width}px wide on a {viewport}px screen"


def _settle(page) -> None:
    """Wait until htmx has swapped and settled the response it received."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def _png() -> bytes:
    """A 4×3 PNG: a photo as far as the content check is concerned."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 4, 3, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\xb3\x20\x2a" * 4 for _ in range(3)))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _act(page, action: str, fill=None) -> None:
    """Open an action's panel on the case page, fill it, submit and wait for the page."""
    form = _open_panel(page, action)
    if fill is not None:
        fill(form)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def _open_panel(page, action: str):
    """Unfold an action's panel on the case page: its form."""
    toggle = page.locator(f"button[aria-controls=act-{action}]")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    # Wait for the unfolding to end: a field focused while the panel still slides open
    # scrolls the clipped panel and the screenshot shows it cut.
    expect(page.locator(f"#act-{action}")).to_have_class(re.compile(r"\bcollapse show\b"))
    form = page.get_by_test_id(f"form-{action}")
    expect(form).to_be_visible()
    return form


def _open_from_inbox(page, tab: str, code: str) -> None:
    """The inbox tab lists the case; its code opens the case page."""
    page.goto(f"/cases/?tab={tab}")
    row = page.get_by_test_id("case-row").filter(has_text=code)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=code).click()
    expect(page.get_by_test_id("case-code")).to_have_text(code)


def _open_from_messages(page, title: str, code: str) -> None:
    """The message box tells of the case; opening the message opens the case page."""
    page.goto("/messages/")
    message = page.get_by_test_id("message").filter(has_text=title).filter(has_text=code)
    expect(message).to_have_count(1)
    expect(message).to_have_attribute("data-unread", "1")
    with page.expect_navigation():
        message.click()
    expect(page.get_by_test_id("case-code")).to_have_text(code)


def _track(page, code: str, last4: str) -> None:
    page.goto("/p/track/")
    page.get_by_label("查询码").fill(code)
    page.get_by_label("手机号后四位").fill(last4)
    with page.expect_navigation():
        page.get_by_role("button", name="查询").click()


def _rate(page, rating: str, note: str = "") -> None:
    form = page.get_by_test_id("rating-form")
    form.get_by_text(rating, exact=True).click()
    if note:
        form.get_by_label("评价意见").fill(note)
    with page.expect_navigation():
        form.get_by_role("button", name="提交评价").click()


def test_a_phone_opinion_goes_up_to_the_district_and_closes_after_rehandling(
    open_page,
    live_personas,  # noqa: F811 - the imported fixture
    county_handler,
    tmp_path,
):
    p = live_personas

    # --- 1. The citizen, on a phone, without an account ---------------------------------
    phone = open_page(phone=True)
    phone.goto("/p/")
    _fits(phone)
    _shot(phone, "01-portal-home-phone")
    phone.get_by_role("link", name=re.compile("我要反映")).click()
    phone.get_by_label("标题").fill("东湖大道与湖滨路口信号灯损坏")
    phone.get_by_label("具体内容").fill(
        "东湖大道与湖滨路交叉口的信号灯损坏三天，早晚高峰车辆拥堵，行人过街危险。"
        "路口属区管道路，请有关部门尽快修复。"
    )
    phone.get_by_label("分类").select_option(label="交通运输")
    with phone.expect_response(lambda r: "/p/places/" in r.url):
        phone.get_by_label("所在镇（街道）").select_option(label="东湖街道")
    _settle(phone)
    village = phone.get_by_label("所在村（社区）")
    expect(village.locator("option", has_text="湖滨社区")).to_have_count(1)
    with phone.expect_response(lambda r: "/p/places/" in r.url):
        village.select_option(label="湖滨社区")
    _settle(phone)
    grid = phone.get_by_label("网格（可选）")
    expect(grid.locator("option", has_text="湖滨第一网格")).to_have_count(1)
    grid.select_option(label="湖滨第一网格")
    phone.get_by_label("详细地址").fill("东湖大道88号东侧")
    photo = tmp_path / "信号灯.png"
    photo.write_bytes(_png())
    phone.get_by_label("照片或 PDF").set_input_files(str(photo))
    phone.get_by_label("您的姓名").fill("王五")
    phone.get_by_label("手机号码").fill(CITIZEN_PHONE)
    phone.get_by_label("同意公开（个人信息将隐去）").check()
    _fits(phone)
    _shot(phone, "02-portal-submit-phone")
    with phone.expect_navigation():
        phone.get_by_role("button", name="提交").click()

    code_el = phone.get_by_test_id("tracking-code")
    expect(code_el).to_have_text(re.compile(r"^MQ\d{4}-\d{6}$"))
    code = code_el.inner_text()
    _fits(phone)
    _shot(phone, "03-portal-submitted-phone")
    phone.get_by_role("link", name="查看办理进度").click()
    expect(phone.get_by_test_id("state")).to_have_text("已提交，等待受理")
    expect(phone.get_by_test_id("timeline")).to_contain_text("转东湖街道人大工委受理")
    expect(phone.locator(".portal-thumbs img")).to_have_count(1)

    # --- 2. The street committee's clerk accepts it and escalates it ----------------------
    town = open_page(phone=False)
    log_in(town, "town_clerk")
    _open_from_inbox(town, "submitted", code)
    expect(town.get_by_test_id("case-state")).to_have_text("待受理")
    # The clerk who must call the citizen back sees who they are.
    expect(town.get_by_test_id("submitter-name")).to_have_text("王五")
    expect(town.get_by_test_id("submitter-phone")).to_have_text(CITIZEN_PHONE)
    expect(town.get_by_test_id("attachments")).to_contain_text("信号灯.png")
    _shot(town, "04-town-clerk-submitted-desktop")
    _act(town, "accept", lambda f: f.get_by_label("说明").fill("属实，予以受理。"))
    expect(town.get_by_role("alert").filter(has_text="已受理")).to_be_visible()
    expect(town.get_by_test_id("case-state")).to_have_text("待交办")
    form = _open_panel(town, "escalate")
    expect(form).to_contain_text("将上报至：东湖区人大常委会")
    form.get_by_label("上报理由").fill("路口信号灯由区交通部门管理，超出街道职权。")
    with town.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(town.get_by_role("alert").filter(has_text="已上报")).to_be_visible()
    expect(town.get_by_test_id("case-state")).to_have_text("待交办")
    expect(town.get_by_text("东湖区人大常委会", exact=True)).to_be_visible()  # 受理人大
    # The street may still read it, but it is the district's to route now.
    expect(town.get_by_test_id("no-actions")).to_be_visible()
    timeline = town.get_by_test_id("timeline")
    expect(timeline).to_contain_text("受理")
    expect(timeline).to_contain_text("上报")
    expect(timeline).to_contain_text("超出街道职权")
    _shot(town, "05-town-clerk-escalated-desktop")

    # The citizen sees where it went.
    phone.reload()
    expect(phone.get_by_test_id("state")).to_have_text("已受理，正在分派")
    expect(phone.get_by_test_id("timeline")).to_contain_text("转东湖区人大常委会办理")

    # --- 3. The district clerk assigns it to a district department ------------------------
    county = open_page(phone=False)
    log_in(county, "county_clerk")
    _open_from_messages(county, "上报事项待交办", code)
    expect(county.get_by_test_id("case-state")).to_have_text("待交办")
    form = _open_panel(county, "assign")
    lead = form.get_by_label("主办单位")
    # The district's own department and its street office; no city department, no other
    # district's unit.
    expect(lead.locator("option", has_text="东湖区住房和城乡建设局")).to_have_count(1)
    expect(lead.locator("option", has_text="示例市住房和城乡建设局")).to_have_count(0)
    expect(lead.locator("option", has_text="西山镇人民政府")).to_have_count(0)
    lead.select_option(label="东湖区住房和城乡建设局")
    form.get_by_label("办理时限").select_option(label="一般（15个工作日）")
    form.get_by_label("交办意见").fill("请尽快修复信号灯并答复群众。")
    _shot(county, "06-county-clerk-assign-desktop")
    with county.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(county.get_by_role("alert").filter(has_text="已交办")).to_be_visible()
    expect(county.get_by_test_id("case-state")).to_have_text("待签收")
    deadline = add_working_days(timezone.localdate(), 15)
    assignments = county.get_by_test_id("assignments")
    expect(assignments).to_contain_text("东湖区住房和城乡建设局")
    expect(assignments).to_contain_text(deadline.isoformat())
    expect(assignments).to_contain_text("待签收")
    # Routed: what is left to the district is supervision.
    expect(county.locator("button[aria-controls=act-assign]")).to_have_count(0)
    expect(county.locator("button[aria-controls=act-supervise]")).to_be_visible()

    # --- 4. The department's handler signs and replies -------------------------------------
    unit = open_page(phone=False)
    log_in(unit, "county_handler")
    _open_from_messages(unit, "新交办事项待签收", code)
    expect(unit.get_by_test_id("case-state")).to_have_text("待签收")
    # Handlers need the address to act; the citizen's name and phone stay masked.
    expect(unit.get_by_test_id("case-address")).to_have_text("东湖大道88号东侧")
    expect(unit.get_by_test_id("submitter-name")).to_have_text("王*")
    expect(unit.get_by_test_id("submitter-phone")).to_have_text("138****5678")
    _act(unit, "sign")
    expect(unit.get_by_role("alert").filter(has_text="已签收")).to_be_visible()
    expect(unit.get_by_test_id("case-state")).to_have_text("办理中")
    expect(unit.get_by_test_id("assignments")).to_contain_text("已签收")

    def first_reply(f):
        f.get_by_label("办理结果").select_option(label="列入计划")
        f.get_by_label("答复内容").fill("已报修，信号灯配件需采购，预计两周内修复。")

    _act(unit, "reply", first_reply)
    expect(unit.get_by_role("alert").filter(has_text="已答复")).to_be_visible()
    expect(unit.get_by_test_id("case-state")).to_have_text("待评价")
    expect(unit.get_by_test_id("no-actions")).to_be_visible()
    _shot(unit, "07-handler-replied-desktop")

    # --- 5. The citizen, on a fresh phone with only the code, rates 不满意 ------------------
    phone2 = open_page(phone=True)
    _track(phone2, code, "0000")
    expect(phone2.get_by_role("alert")).to_contain_text("查询码或手机号后四位不正确")
    _fits(phone2)
    _shot(phone2, "08a-portal-track-refused-phone")
    _track(phone2, code, CITIZEN_PHONE[-4:])
    expect(phone2.get_by_test_id("state")).to_have_text("已答复，请您评价")
    reply = phone2.get_by_test_id("reply")
    expect(reply).to_contain_text("列入计划")
    expect(reply).to_contain_text("预计两周内修复")
    expect(phone2.get_by_test_id("timeline")).to_contain_text("东湖区住房和城乡建设局")
    _fits(phone2)
    _shot(phone2, "08-portal-replied-phone")
    _rate(phone2, "不满意", "路口每天都堵，两周太久。")
    expect(phone2.get_by_role("alert")).to_contain_text("事项已转承办单位重新办理")
    expect(phone2.get_by_test_id("state")).to_have_text("承办单位办理中")
    expect(phone2.get_by_test_id("rating-form")).to_have_count(0)
    expect(phone2.get_by_test_id("timeline")).to_contain_text("不满意，重新办理")
    _fits(phone2)
    _shot(phone2, "09-portal-reopened-phone")

    # --- 6. 重办: the department answers again, this time from a phone --------------------
    unit_phone = open_page(phone=True)
    log_in(unit_phone, "county_handler")
    _open_from_messages(unit_phone, "评价不满意，请重新办理", code)
    _open_from_inbox(unit_phone, "handling", code)  # …and the inbox's 办理中 tab has it
    expect(unit_phone.get_by_test_id("case-state")).to_have_text("办理中")
    expect(unit_phone.get_by_text("不满意次数")).to_be_visible()
    rounds = unit_phone.get_by_test_id("assignments").locator("tbody tr")
    expect(rounds).to_have_count(2)
    expect(rounds.nth(1)).to_contain_text("已签收")  # the second round needs no signing
    expect(unit_phone.get_by_test_id("timeline")).to_contain_text("两周太久")
    expect(unit_phone.locator("button[aria-controls=act-sign]")).to_have_count(0)
    # On a phone the actions come before the case's long history.
    actions = unit_phone.get_by_test_id("actions").bounding_box()
    history = unit_phone.get_by_test_id("timeline").bounding_box()
    assert actions["y"] < history["y"]
    _fits(unit_phone)

    def second_reply(f):
        f.get_by_label("办理结果").select_option(label="已解决")
        f.get_by_label("答复内容").fill("已调用应急配件，信号灯于今日修复，恢复正常运行。")
        _shot(unit_phone, "09b-handler-rehandling-phone")

    _act(unit_phone, "reply", second_reply)
    expect(unit_phone.get_by_test_id("case-state")).to_have_text("待评价")

    # --- 7. The citizen rates 满意: the loop is closed --------------------------------------
    phone2.reload()
    expect(phone2.get_by_test_id("state")).to_have_text("已答复，请您评价")
    expect(phone2.get_by_test_id("reply")).to_contain_text("已解决")
    expect(phone2.get_by_test_id("reply")).to_contain_text("信号灯于今日修复")
    _rate(phone2, "满意")
    expect(phone2.get_by_role("alert")).to_contain_text("该事项已办结")
    expect(phone2.get_by_test_id("state")).to_have_text("已办结")
    expect(phone2.get_by_test_id("reply")).to_contain_text("评价：满意")
    expect(phone2.get_by_test_id("rating-form")).to_have_count(0)
    steps = phone2.get_by_test_id("timeline").locator("li")
    expect(steps).to_have_count(9)  # 提交 受理 上报 交办 签收 答复 评价 答复 评价
    _fits(phone2)
    _shot(phone2, "10-portal-closed-phone")

    # Published with its last answer, without the citizen's name, phone or address.
    phone2.goto("/p/public/")
    published = phone2.get_by_test_id("public-case")
    expect(published).to_have_count(1)
    expect(published).to_contain_text("东湖大道与湖滨路口信号灯损坏")
    expect(published).to_contain_text("信号灯于今日修复")
    expect(published).to_contain_text("已解决")
    for personal in ("王五", CITIZEN_PHONE, "138****5678", "88号"):
        expect(published).not_to_contain_text(personal)
    _fits(phone2)
    _shot(phone2, "10b-portal-public-phone")

    # --- 8. Staff see the closed case with its whole history --------------------------------
    county.goto(f"/cases/{code}/")
    expect(county.get_by_test_id("case-state")).to_have_text("已办结")
    # A closed case may still become a work item, nothing else.
    expect(county.get_by_test_id("actions").locator("button[aria-controls]")).to_have_count(1)
    expect(county.locator("button[aria-controls=act-convert_to_agenda]")).to_be_visible()
    timeline = county.get_by_test_id("timeline")
    for label in ("提交", "受理", "上报", "交办", "签收", "答复", "重办（不满意）", "评价（满意）"):
        expect(timeline).to_contain_text(label)
    _shot(county, "11-county-clerk-closed-desktop")
    county.goto("/cases/?tab=done")
    expect(county.get_by_test_id("case-row").filter(has_text=code)).to_have_count(1)

    # The district's rates count the loop: signed in time, both replies on time, one of
    # two ratings 已解决 and satisfied, re-handled once, never returned.
    county.goto("/cases/rates/?period=month&month=2026-09")
    unit_id = OrgUnit.objects.get(code="D1-ZJJ").pk
    row = county.get_by_test_id(f"rates-row-unit-{unit_id}").first
    for rate, figure in {
        "response": "100.0% 1 / 1",
        "on_time": "100.0% 2 / 2",
        "solved": "50.0% 1 / 2",
        "satisfied": "50.0% 1 / 2",
        "reopened": "100.0% 1 / 1",
        "returned": "0.0% 0 / 1",
    }.items():
        cell = row.get_by_test_id(f"cell-{rate}")
        expect(cell).to_have_text(figure)
    _shot(county, "11b-county-clerk-rates-desktop")

    # The handler's phone shows the closed case, and it fits.
    unit_phone.goto(f"/cases/{code}/")
    expect(unit_phone.get_by_test_id("case-state")).to_have_text("已办结")
    expect(unit_phone.get_by_test_id("no-actions")).to_be_visible()
    _fits(unit_phone)
    _shot(unit_phone, "12-handler-closed-phone")

    case = Case.objects.get(code=code)
    assert (case.state, case.rating, case.unsatisfied_count) == ("closed", "satisfied", 1)
    assert case.congress == p.units["county"]
    assert case.channel == Case.Channel.PORTAL
    leads = case.assignments.filter(role=Assignment.Role.LEAD).order_by("round")
    assert [(a.unit.name, a.round, a.state) for a in leads] == [
        ("东湖区住房和城乡建设局", 1, "replied"),
        ("东湖区住房和城乡建设局", 2, "replied"),
    ]
    assert list(case.events.order_by("created_at", "pk").values_list("action", flat=True)) == [
        "submit",
        "accept",
        "escalate",
        "assign",
        "sign",
        "reply",
        "reopen",
        "reply",
        "rate",
    ]
