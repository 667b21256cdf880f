# The browser fixtures of the workbench tests, for test_browser_sheet.py.
from renda.workbench.tests.conftest import (  # noqa: F401
    _async_unsafe_allowed,
    browser,
    live_personas,
    new_page,
    phone_page,
    shot,
)
