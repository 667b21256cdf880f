"""Fixtures for notifications: the cases' fixed clock, a town handler, and a way to run the
after-commit hooks of the case services the way a real request would."""

import pytest
import time_machine

from renda.accounts.services import user_create
from renda.cases.tests.helpers import at
from renda.org.roles import Role
from renda.org.services import membership_grant
from renda.testing import PASSWORD


@pytest.fixture(autouse=True)
def clock():
    """Tuesday 2026-09-15, 10:00 in Shanghai, unless a test travels elsewhere."""
    with time_machine.travel(at(2026, 9, 15), tick=False) as traveller:
        yield traveller


@pytest.fixture
def town_handler(personas):
    user = user_create(
        username="town_handler", password=PASSWORD, full_name="街道办经办人", validate=False
    )
    user.email = "handler@example.cn"
    user.phone = "13700001111"
    user.save(update_fields=["email", "phone"])
    membership_grant(user=user, role=Role.HANDLER, unit=personas.units["town_gov"])
    return user


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs the on-commit hooks of what the block did, as a commit would."""

    def _committed():
        return django_capture_on_commit_callbacks(execute=True)

    return _committed
