"""Fixtures for the case workflow: a fixed clock, handling units and their handlers."""

import pytest
import time_machine

from renda.accounts.services import user_create
from renda.cases.tests.helpers import at
from renda.org.models import OrgUnit
from renda.org.roles import Role
from renda.org.services import membership_grant, unit_create
from renda.testing import PASSWORD


@pytest.fixture(autouse=True)
def clock():
    """Tuesday 2026-09-15, 10:00 in Shanghai, unless a test travels elsewhere."""
    with time_machine.travel(at(2026, 9, 15), tick=False) as traveller:
        yield traveller


@pytest.fixture
def county_unit(personas) -> OrgUnit:
    """东湖区住房和城乡建设局: a handling unit at the county's own level."""
    return unit_create(
        code="D1-ZJJ",
        name="东湖区住房和城乡建设局",
        kind=OrgUnit.Kind.HANDLING_UNIT,
        handling_kind=OrgUnit.HandlingKind.DEPARTMENT,
        region=personas.regions["county"],
        parent=personas.units["city_gov"],
    )


def _handler(username: str, full_name: str, unit: OrgUnit):
    user = user_create(username=username, password=PASSWORD, full_name=full_name, validate=False)
    membership_grant(user=user, role=Role.HANDLER, unit=unit)
    return user


@pytest.fixture
def county_handler(county_unit):
    return _handler("county_handler", "区住建局经办人", county_unit)


@pytest.fixture
def town_handler(personas):
    return _handler("town_handler", "街道办经办人", personas.units["town_gov"])
