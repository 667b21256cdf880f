import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

# The browser fixtures of the workbench tests, for test_browser_review.py.
from renda.workbench.tests.conftest import (  # noqa: F401
    _async_unsafe_allowed,
    browser,
    live_personas,
    new_page,
    shot,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def clock():
    """Tuesday 2026-09-15, 10:00 in Shanghai."""
    with time_machine.travel(dt.datetime(2026, 9, 15, 10, tzinfo=SHANGHAI), tick=False) as t:
        yield t
