import pytest

from renda.lib.memo import forget_all
from renda.testing import Personas, build_personas, restore_migration_data


@pytest.fixture(autouse=True)
def _fresh_memory():
    """Every test starts with nothing remembered by renda.lib.memo: the rows it would hand
    out belong to another test's (rolled back) database."""
    forget_all()
    yield
    forget_all()


@pytest.fixture
def personas(db) -> Personas:
    return build_personas()


@pytest.fixture
def login(client):
    """Log a persona in: `login(personas.town_clerk)` returns the client."""

    def _login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture
def committed_db(transactional_db) -> None:
    """A database whose writes really commit (live server, threads, on_commit), with what the
    migrations seeded put back."""
    restore_migration_data()
