import pytest

from renda.reports.tests.helpers import build_september


@pytest.fixture
def september(personas):
    """The scripted September 2026 (see helpers)."""
    return build_september(personas)


# The browser fixtures of the workbench tests, for test_browser_reports.py.
from renda.workbench.tests.conftest import (  # noqa: E402, F401
    _async_unsafe_allowed,
    browser,
    live_personas,
    new_page,
    shot,
)
