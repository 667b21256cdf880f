import pytest

from renda.reports.tests.helpers import build_september


@pytest.fixture
def september(personas):
    """The scripted September 2026 (see helpers)."""
    return build_september(personas)
