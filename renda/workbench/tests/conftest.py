"""Browser fixtures: Playwright's sync API driving Debian's Chromium against `live_server`.

Only tests that ask for these fixtures are touched: the browser is launched once per module,
each test gets a fresh context (cookies, viewport), and personas live in a transactional
database so that the live server's thread sees them.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from renda.testing import PASSWORD, Personas, build_personas

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SHOTS_DIR = Path(os.environ.get("RENDA_SHOTS_DIR", "/tmp/shots"))

BROWSER_SKIP_REASON = (
    "browser tests disabled (RENDA_SKIP_BROWSER=1)"
    if os.environ.get("RENDA_SKIP_BROWSER") == "1"
    else f"{CHROMIUM} not found"
    if not CHROMIUM.exists()
    else ""
)


@pytest.fixture(scope="module")
def _async_unsafe_allowed() -> Iterator[None]:
    # Playwright's sync API keeps an asyncio loop running in the test thread, so Django would
    # refuse ORM calls made there (fixtures, the flush after each test).
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def browser(_async_unsafe_allowed):
    if BROWSER_SKIP_REASON:
        pytest.skip(BROWSER_SKIP_REASON)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def live_personas(committed_db, _async_unsafe_allowed) -> Personas:
    return build_personas()


@dataclass
class PageProblems:
    """What went wrong while a page was open: server errors, missing files, script errors."""

    responses: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)

    def watch(self, page) -> None:
        page.on("response", self._on_response)
        page.on("pageerror", lambda exc: self.script_errors.append(str(exc)))

    def _on_response(self, response) -> None:
        url = response.url
        if url.endswith("/favicon.ico"):
            return
        if response.status >= 500 or (response.status >= 400 and "/static/" in url):
            self.responses.append(f"{response.status} {url}")

    def assert_none(self) -> None:
        assert not self.responses, f"bad responses: {self.responses}"
        assert not self.script_errors, f"script errors: {self.script_errors}"


@pytest.fixture
def new_page(browser, live_server):
    """`new_page(phone=False)`: a page in a fresh context; problems are checked at teardown.
    A test may ask for another phone size (`viewport=`) or a longer wait (`timeout_ms=`)."""
    contexts = []
    problems = PageProblems()

    def _new_page(*, phone: bool = False, viewport: dict | None = None, timeout_ms: int = 10_000):
        if phone:
            context = browser.new_context(
                base_url=live_server.url,
                viewport=viewport or PHONE,
                device_scale_factor=2,
                is_mobile=True,
                has_touch=True,
                locale="zh-CN",
            )
        else:
            context = browser.new_context(
                base_url=live_server.url, viewport=DESKTOP, locale="zh-CN"
            )
        context.set_default_timeout(timeout_ms)
        contexts.append(context)
        page = context.new_page()
        problems.watch(page)
        return page

    yield _new_page
    for context in contexts:
        context.close()
    problems.assert_none()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def phone_page(new_page):
    return new_page(phone=True)


def log_in(page, username: str, password: str = PASSWORD) -> None:
    """Log in through the form, as a person would."""
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()


@pytest.fixture
def shot():
    """`shot(page, name)`: a full-page screenshot under /tmp/shots/ (or $RENDA_SHOTS_DIR)."""
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)

    def _shot(page, name: str) -> Path:
        path = SHOTS_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot
