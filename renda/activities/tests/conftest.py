import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Photos go to a temporary folder, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# The browser fixtures of the workbench tests, for test_browser_activity.py.
from renda.workbench.tests.conftest import (  # noqa: E402, F401
    _async_unsafe_allowed,
    browser,
    live_personas,
    new_page,
    phone_page,
    shot,
)
