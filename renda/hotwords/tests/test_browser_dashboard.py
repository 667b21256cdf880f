"""The 民意热点 dashboard in Chromium, on a phone and on a desktop: the charts draw on their
canvases and the hot words are listed, for cases made through the intake service.

Skipped when RENDA_SKIP_BROWSER=1 or /usr/bin/chromium is missing. Screenshots land in
/tmp/h4shots/ (override with RENDA_HOT_SHOTS_DIR).
"""

import os
import re
from pathlib import Path

import pytest

from renda.cases.models import Case, Category
from renda.cases.services import case_submit
from renda.workbench.tests.conftest import BROWSER_SKIP_REASON, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(bool(BROWSER_SKIP_REASON), reason=BROWSER_SKIP_REASON or "-"),
]

if not BROWSER_SKIP_REASON:
    from playwright.sync_api import expect

SHOTS = Path(os.environ.get("RENDA_HOT_SHOTS_DIR", "/tmp/h4shots"))


@pytest.fixture(autouse=True)
def clock():
    """The live server runs on the real clock: no time travel in browser tests."""
    yield None


@pytest.fixture
def cases(live_personas):
    """Opinions from 东湖街道 (the town clerk's) and one from 西山镇 (not theirs), this month."""
    p = live_personas
    city_building = Category.objects.get(name="城乡建设")
    texts = [
        ("湖滨路北段路灯坏了", "湖滨路北段路灯坏了好几盏，夜间漆黑，行人摔倒。"),
        ("湖滨路路灯坏了", "湖滨路北段路灯坏了好几盏，晚上漆黑一片。"),
        ("湖滨社区路灯坏了", "湖滨路北段路灯坏了好几盏，请尽快维修。"),
        ("湖滨社区停车收费太贵", "小区停车收费太贵，没有公示。"),
        ("东湖街道菜市场缺少公平秤", "菜市场没有公平秤，缺斤短两。"),
    ]
    for title, content in texts:
        case_submit(
            actor=p.citizen,
            title=title,
            content=content,
            category=city_building,
            region=p.regions["village"],
            channel=Case.Channel.PORTAL,
        )
    case_submit(
        actor=p.citizen,
        title="西山村道路积水",
        content="下雨后西山村村道积水严重。",
        category=city_building,
        region=p.regions["other_village"],
        channel=Case.Channel.PORTAL,
    )
    return p


def _check(page, *, phone: bool) -> None:
    page.goto("/hot/")
    expect(page.get_by_role("heading", name="民意热点")).to_be_visible()
    expect(page.locator("#hot-bar canvas")).to_have_count(1)
    expect(page.locator("#hot-cloud canvas")).to_have_count(1)
    bar = page.locator("#hot-bar canvas").bounding_box()
    assert bar is not None and bar["width"] > 200 and bar["height"] > 150
    page.get_by_text("热词列表").click()
    words = page.get_by_test_id("hot-word")
    expect(words.first).to_be_visible()
    listed = " ".join(words.all_inner_texts())
    assert "路灯" in listed and "积水" not in listed  # the other town's words stay out
    expect(page.get_by_test_id("hot-issue")).to_have_count(1)
    expect(page.get_by_test_id("issue-case")).to_have_count(3)
    if phone:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width}px wide on a 390px phone"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(600)  # the charts' entry animation
    page.screenshot(path=str(SHOTS / f"hot-{'phone' if phone else 'desktop'}.png"), full_page=True)


def test_a_town_clerk_sees_the_charts_and_the_hot_words(new_page, cases):
    desktop = new_page()
    log_in(desktop, "town_clerk")
    _check(desktop, phone=False)
    desktop.get_by_test_id("issue-case").first.click()
    expect(desktop).to_have_url(re.compile(r"/cases/MQ\d{4}-\d{6}/$"))

    phone = new_page(phone=True)
    log_in(phone, "town_clerk")
    _check(phone, phone=True)
