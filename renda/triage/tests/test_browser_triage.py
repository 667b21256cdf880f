"""Triage in a real Chromium: a town clerk opens the triage page of a new case, sees the
suggested category and units and a near-duplicate, and merges it in one click; on a desktop
and on a phone.

The history, the models and the cases are made through the services (the duplicate index
fills itself when each submission commits); every step after that is a click. Skipped when
RENDA_SKIP_BROWSER=1 or /usr/bin/chromium is missing. Screenshots land in /tmp/h3shots/
(override with RENDA_TRIAGE_SHOTS_DIR).
"""

import os
import re
from pathlib import Path

import pytest

from renda.cases.models import Case
from renda.cases.tests.helpers import accepted, submit
from renda.triage.models import CaseSignature
from renda.triage.tests.helpers import history, town_units
from renda.triage.tests.test_duplicates import COPY, ORIGINAL
from renda.triage.training import classifier_train, unit_model_train
from renda.workbench.tests.conftest import BROWSER_SKIP_REASON, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(bool(BROWSER_SKIP_REASON), reason=BROWSER_SKIP_REASON or "-"),
]

if not BROWSER_SKIP_REASON:
    from playwright.sync_api import expect

SHOTS = Path(os.environ.get("RENDA_TRIAGE_SHOTS_DIR", "/tmp/h3shots"))


@pytest.fixture
def triage_city(live_personas):
    units = town_units(live_personas)
    history(live_personas, units, per_category=10)
    classifier_train(min_per_category=10)
    unit_model_train(min_assignments=20)
    original = accepted(live_personas, **ORIGINAL)
    copy = submit(live_personas, **COPY)
    # Indexed by the app's own listener when each submission committed.
    assert CaseSignature.objects.filter(case__in=[original, copy]).count() == 2
    return original, copy, units


def _check_page(page, original, units) -> None:
    expect(page.get_by_test_id("case-title")).to_contain_text("湖滨路北段的路灯不亮了")
    categories = page.get_by_test_id("category-suggestions")
    expect(categories.locator("li")).to_have_count(3)
    expect(categories.locator("li").first).to_contain_text("城乡建设")
    expect(categories.get_by_test_id("category-score").first).to_have_text(re.compile(r"\d+%"))
    unit_box = page.get_by_test_id("unit-suggestions")
    expect(unit_box.locator("li").first).to_contain_text(units["town_gov"].name)
    expect(unit_box.get_by_test_id("adopt-unit").first).to_have_text("受理并交办")
    duplicate = page.get_by_test_id("duplicate")
    expect(duplicate).to_have_count(1)
    expect(duplicate).to_contain_text(original.code)
    expect(duplicate.get_by_test_id("similarity")).to_have_text(re.compile(r"相似度 \d+%"))


def test_a_town_clerk_sees_suggestions_and_merges_a_duplicate(new_page, triage_city):
    original, copy, units = triage_city
    SHOTS.mkdir(parents=True, exist_ok=True)

    phone = new_page(phone=True)
    log_in(phone, "town_clerk")
    phone.goto(f"/triage/{copy.code}/")
    _check_page(phone, original, units)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
    phone.screenshot(path=str(SHOTS / "triage-phone.png"), full_page=True)

    page = new_page()
    log_in(page, "town_clerk")
    page.goto(f"/triage/{copy.code}/")
    _check_page(page, original, units)
    page.screenshot(path=str(SHOTS / "triage-desktop.png"), full_page=True)

    with page.expect_navigation():
        page.get_by_test_id("merge").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        f"已将 {copy.code} 合并至 {original.code}"
    )
    expect(page.get_by_test_id("case-code")).to_have_text(original.code)
    page.screenshot(path=str(SHOTS / "triage-merged-desktop.png"), full_page=True)
    copy.refresh_from_db()
    assert copy.state == Case.State.MERGED and copy.merged_into_id == original.pk
