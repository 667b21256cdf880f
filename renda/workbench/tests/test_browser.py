"""The platform in a real browser: login, each role's workbench, the htmx unit tree, the
phone menu and logout — Playwright driving Debian's Chromium against the live server.

Skipped when RENDA_SKIP_BROWSER=1 or /usr/bin/chromium is missing. Screenshots land in
/tmp/shots/ (override with RENDA_SHOTS_DIR).
"""

import re

import pytest

from renda.org.roles import Role
from renda.workbench.tests.conftest import BROWSER_SKIP_REASON, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(bool(BROWSER_SKIP_REASON), reason=BROWSER_SKIP_REASON or "-"),
]

if not BROWSER_SKIP_REASON:
    from playwright.sync_api import expect

RENDA_RED = "rgb(179, 32, 42)"

PERSONA_ROLES = {
    "admin": Role.SYSTEM_ADMIN,
    "city_clerk": Role.CONGRESS_CLERK,
    "county_clerk": Role.CONGRESS_CLERK,
    "town_clerk": Role.CONGRESS_CLERK,
    "other_town_clerk": Role.CONGRESS_CLERK,
    "station_clerk": Role.STATION_CLERK,
    "unit_handler": Role.HANDLER,
    "leader": Role.LEADER,
    "deputy": Role.DEPUTY,
    "citizen": Role.CITIZEN,
}


def assert_styled(page) -> None:
    """Bootstrap, Renda's CSS and htmx were served and applied."""
    assert page.evaluate("typeof window.htmx") == "object", "htmx did not load"
    assert page.evaluate("typeof window.bootstrap") == "object", "Bootstrap JS did not load"
    topbar = page.locator("nav.renda-topbar")
    expect(topbar).to_have_css("background-color", RENDA_RED)


def test_login_page_is_chinese_and_rejects_a_wrong_password(page, live_personas):
    page.goto("/accounts/login/")
    expect(page).to_have_title(re.compile("登录"))
    expect(page.locator("body")).to_contain_text("用户名")
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    assert page.evaluate("typeof window.htmx") == "object"
    expect(page.locator(".login-page")).to_have_css("display", "flex")

    log_in(page, "town_clerk", "wrong-password")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确")

    log_in(page, "town_clerk")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("您好，东湖街道工委干部")
    assert_styled(page)


def test_every_persona_lands_on_their_workbench(new_page, live_personas):
    # One database for all ten personas (building it is the slow part); a fresh browser
    # context each, so that no session leaks from one persona to the next.
    failures = []
    for username, role in PERSONA_ROLES.items():
        user = live_personas.users[username]
        page = new_page()
        try:
            log_in(page, username)
            expect(page).to_have_url(re.compile(r"/$"))
            expect(page.get_by_role("heading", level=1)).to_have_text(f"您好，{user.full_name}")
            expect(page.locator("main .badge", has_text=role.label)).to_be_visible()
            expect(page.get_by_test_id("user-scope")).to_contain_text(user.full_name)
            assert "Server Error" not in page.content()
        except AssertionError as exc:
            failures.append(f"{username}: {exc}")
        finally:
            page.context.close()
    assert not failures, "\n\n".join(failures)


def test_unit_tree_expands_in_place_with_htmx(page, live_personas):
    # town_clerk's units (东湖街道人大工委, 东湖街道办事处) have no children in the personas
    # city, so the expand test uses county_clerk, whose 东湖区人大常委会 has 东湖街道人大工委.
    log_in(page, "county_clerk")
    page.goto("/org/")
    tree = page.get_by_test_id("unit-tree")
    expect(tree).to_contain_text("东湖区人大常委会")
    expect(tree.get_by_role("link", name="东湖街道人大工委")).to_have_count(0)

    page.evaluate("window.__notReloaded = true")
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    button = page.get_by_role("button", name="展开东湖区人大常委会的下级单位")
    with page.expect_response(re.compile(r"/org/units/\d+/children/$")) as response:
        button.click()
    assert response.value.request.headers.get("hx-request") == "true"
    child = tree.get_by_role("link", name="东湖街道人大工委")
    expect(child).to_be_visible()
    expect(button.locator("i")).to_have_class(re.compile("bi-dash-square"))
    assert page.evaluate("window.__notReloaded") is True
    assert navigations == []


def test_town_clerk_sees_only_their_units(page, live_personas):
    log_in(page, "town_clerk")
    page.goto("/org/")
    tree = page.get_by_test_id("unit-tree")
    expect(tree).to_contain_text("东湖街道人大工委")
    expect(tree).not_to_contain_text("西山")


def test_other_town_clerk_does_not_see_donghu(page, live_personas):
    log_in(page, "other_town_clerk")
    page.goto("/org/")
    expect(page.get_by_test_id("unit-tree")).to_contain_text("西山镇人大主席团")
    assert "东湖街道" not in page.content()


def test_phone_navbar_collapses_and_opens_on_tap(phone_page, live_personas):
    page = phone_page
    log_in(page, "town_clerk")
    toggler = page.locator(".navbar-toggler")
    menu = page.locator("#mainnav")
    expect(toggler).to_be_visible()
    expect(menu).to_be_hidden()
    expect(menu.get_by_role("link", name="组织机构")).to_be_hidden()
    toggler.tap()
    expect(menu).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="组织机构")).to_be_visible()
    expect(menu.get_by_role("button", name="退出")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px wide)"


def test_logout_from_the_top_bar(page, live_personas):
    log_in(page, "town_clerk")
    page.get_by_test_id("user-menu").click()
    with page.expect_navigation():
        page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_desktop_menu_opens_a_section_and_fits_the_width(page, live_personas):
    log_in(page, "admin")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_test_id("nav-desktop").get_by_role("button", name="组织").click()
    page.get_by_test_id("nav-desktop").get_by_role("link", name="联络站").click()
    expect(page).to_have_url(re.compile(r"/org/stations/$"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, f"the top bar pushes the page sideways ({width}px wide)"


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_screenshots(new_page, live_personas, shot, phone):
    size = "phone" if phone else "desktop"
    page = new_page(phone=phone)
    page.goto("/accounts/login/")
    shot(page, f"login-{size}")

    log_in(page, "town_clerk")
    assert_styled(page)
    shot(page, f"workbench-town_clerk-{size}")
    page.goto("/calendar/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("工作日历")
    shot(page, f"calendar-town_clerk-{size}")

    page = new_page(phone=phone)
    log_in(page, "county_clerk")
    page.goto("/org/")
    page.get_by_role("button", name="展开东湖区人大常委会的下级单位").click()
    expect(page.get_by_role("link", name="东湖街道人大工委")).to_be_visible()
    shot(page, f"org-expanded-county_clerk-{size}")

    if phone:
        page.locator(".navbar-toggler").tap()
        expect(page.locator("#mainnav")).to_be_visible()
        page.wait_for_timeout(400)  # let the collapse animation finish
        shot(page, f"menu-open-county_clerk-{size}")

    page = new_page(phone=phone)
    log_in(page, "city_clerk")
    page.goto("/deputies/")
    expect(page.get_by_test_id("deputy-table")).to_contain_text("张代表")
    shot(page, f"deputies-city_clerk-{size}")
