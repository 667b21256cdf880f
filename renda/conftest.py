import pytest

from renda.testing import Personas, build_personas, restore_migration_data


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
