import pytest

from renda.triage.training import forget_loaded
from renda.workbench.tests.conftest import (  # noqa: F401 - the browser fixtures
    _async_unsafe_allowed,
    browser,
    live_personas,
    new_page,
)


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    """Models go to a temporary VAR_DIR; none stays loaded from another test."""
    settings.VAR_DIR = tmp_path
    forget_loaded()
    yield tmp_path
    forget_loaded()
