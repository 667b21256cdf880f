"""Fixtures for the hot-words tests: a fixed clock and cases made through the intake service."""

import pytest
import time_machine

from renda.cases.models import Case
from renda.cases.tests.helpers import at, category, submit

# The browser fixtures of the workbench tests, for test_browser_dashboard.py.
from renda.workbench.tests.conftest import (  # noqa: F401
    _async_unsafe_allowed,
    browser,
    live_personas,
    new_page,
)


@pytest.fixture(autouse=True)
def clock():
    """Tuesday 2026-09-15, 10:00 in Shanghai, unless a test travels elsewhere."""
    with time_machine.travel(at(2026, 9, 15), tick=False) as traveller:
        yield traveller


@pytest.fixture
def file_case(personas, clock, django_capture_on_commit_callbacks):
    """`file_case(title, content, place="village", when=(2026, 9, 14), cat="城乡建设")`: a
    citizen's case submitted through `case_submit` at that day (10:00 Shanghai), with its
    follow-up (the hot-words indexing among it) run as the commit would run it."""

    def _file(
        title: str,
        content: str = "",
        *,
        place: str = "village",
        when: tuple[int, int, int] = (2026, 9, 14),
        cat: str = "城乡建设",
    ) -> Case:
        clock.move_to(at(*when))
        try:
            with django_capture_on_commit_callbacks(execute=True):
                return submit(
                    personas,
                    title=title,
                    content=content or title,
                    region=personas.regions[place],
                    grid=None,
                    category=category(cat),
                )
        finally:
            clock.move_to(at(2026, 9, 15))

    return _file
