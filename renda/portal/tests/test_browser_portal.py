"""The portal in a phone-sized browser: a citizen submits with a photo, sees the tracking
code, and opens the status page with it.

Skipped when RENDA_SKIP_BROWSER=1 or /usr/bin/chromium is missing. Screenshots land in
/tmp/shots/ (override with RENDA_SHOTS_DIR).
"""

import re
import struct
import zlib

import pytest

from renda.cases.models import Case
from renda.workbench.tests.conftest import BROWSER_SKIP_REASON

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(bool(BROWSER_SKIP_REASON), reason=BROWSER_SKIP_REASON or "-"),
]

if not BROWSER_SKIP_REASON:
    from playwright.sync_api import expect


@pytest.fixture(autouse=True)
def clock():
    """The live server runs on the real clock: no time travel in browser tests."""
    yield None


def _png_1x1() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xb3\x20\x2a")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"


def test_a_citizen_submits_from_a_phone_and_tracks_the_case(
    phone_page, live_personas, shot, tmp_path
):
    page = phone_page
    page.goto("/p/")
    expect(page.get_by_role("link", name=re.compile("我要反映"))).to_be_visible()
    expect(page.locator("nav.renda-topbar")).to_have_count(0)
    _fits(page)
    shot(page, "portal-home-phone")

    page.get_by_role("link", name=re.compile("我要反映")).click()
    page.get_by_label("标题").fill("湖滨路路灯不亮")
    page.get_by_label("具体内容").fill("湖滨路北段三盏路灯已坏一周，夜间行人不便。")
    page.get_by_label("分类").select_option(label="城乡建设")
    # htmx brings the villages of the town, then the grids of the village. Each choice swaps
    # the selects below it: wait for that response before choosing, or a late swap replaces
    # the select and the choice is lost.
    with page.expect_response(lambda r: "/p/places/" in r.url):
        page.get_by_label("所在镇（街道）").select_option(label="东湖街道")
    _settle(page)
    village = page.get_by_label("所在村（社区）")
    expect(village.locator("option", has_text="湖滨社区")).to_have_count(1)
    with page.expect_response(lambda r: "/p/places/" in r.url):
        village.select_option(label="湖滨社区")
    _settle(page)
    grid = page.get_by_label("网格（可选）")
    expect(grid.locator("option", has_text="湖滨第一网格")).to_have_count(1)
    grid.select_option(label="湖滨第一网格")
    expect(grid.locator("option:checked")).to_have_text("湖滨第一网格")
    photo = tmp_path / "路灯.png"
    photo.write_bytes(_png_1x1())
    page.get_by_label("照片或 PDF").set_input_files(str(photo))
    page.get_by_label("您的姓名").fill("王五")
    page.get_by_label("手机号码").fill("13812345678")
    page.get_by_label("同意公开（个人信息将隐去）").check()
    _fits(page)
    shot(page, "portal-submit-phone")
    with page.expect_navigation():
        page.get_by_role("button", name="提交").click()

    code = page.get_by_test_id("tracking-code")
    expect(code).to_have_text(re.compile(r"^MQ\d{4}-\d{6}$"))
    expect(page.get_by_text("请记住您的查询码")).to_be_visible()
    _fits(page)
    shot(page, "portal-submitted-phone")
    case = Case.objects.get()
    assert (case.region.name, case.grid.name, case.attachments.count()) == (
        "湖滨社区",
        "湖滨第一网格",
        1,
    )

    page.get_by_role("link", name="查看办理进度").click()
    expect(page.get_by_test_id("state")).to_have_text("已提交，等待受理")
    expect(page.get_by_test_id("timeline")).to_contain_text("东湖街道人大工委")
    expect(page.locator(".portal-thumbs img")).to_have_count(1)
    page.wait_for_function("document.querySelector('.portal-thumbs img').complete")
    # The photo came back through the checked view, as the image it is.
    assert page.evaluate("document.querySelector('.portal-thumbs img').naturalWidth") == 1
    _fits(page)
    shot(page, "portal-case-phone")

    # A fresh phone with only the code and the phone's last four digits.
    other = page.context.browser.new_context(
        base_url=page.url.split("/p/")[0], viewport={"width": 390, "height": 844}
    )
    fresh = other.new_page()
    fresh.goto("/p/track/")
    fresh.get_by_label("查询码").fill(case.code)
    fresh.get_by_label("手机号后四位").fill("0000")
    fresh.get_by_role("button", name="查询").click()
    expect(fresh.get_by_role("alert")).to_contain_text("查询码或手机号后四位不正确")
    fresh.get_by_label("手机号后四位").fill("5678")
    fresh.get_by_role("button", name="查询").click()
    expect(fresh.get_by_test_id("state")).to_have_text("已提交，等待受理")
    other.close()


def _settle(page) -> None:
    """Wait until htmx has swapped and settled the response it received."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
