import pytest

from renda.testing import Personas, build_personas


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
