"""Org services validate like a clerk would: wrong levels, places and anchors are refused."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from renda.org.models import Level, Membership, OrgUnit, Station
from renda.org.roles import Role
from renda.org.services import (
    grid_create,
    membership_grant,
    region_create,
    station_create,
    unit_create,
)


def test_it_refuses_a_region_at_the_wrong_level(personas):
    with pytest.raises(ValidationError) as error:
        region_create(
            code="331002003", name="跳级村", level=Level.VILLAGE, parent=personas.regions["county"]
        )
    assert "乡镇街道" in str(error.value)


def test_it_refuses_a_malformed_region_code(personas):
    with pytest.raises(ValidationError):
        region_create(
            code="33100A", name="坏码区", level=Level.COUNTY, parent=personas.regions["city"]
        )


def test_it_keeps_a_unit_inside_its_parents_jurisdiction(personas):
    with pytest.raises(ValidationError) as error:
        unit_create(
            code="X-1",
            name="越界单位",
            kind=OrgUnit.Kind.COMMITTEE,
            region=personas.regions["other_town"],
            parent=personas.units["county"],
        )
    assert "辖区" in str(error.value)
    assert not OrgUnit.objects.filter(code="X-1").exists()


def test_it_requires_a_handling_kind_for_handling_units_only(personas):
    with pytest.raises(ValidationError):
        unit_create(
            code="X-2",
            name="无类型单位",
            kind=OrgUnit.Kind.HANDLING_UNIT,
            region=personas.regions["city"],
            parent=None,
        )
    with pytest.raises(ValidationError):
        unit_create(
            code="X-3",
            name="人大带类型",
            kind=OrgUnit.Kind.CONGRESS,
            handling_kind="court",
            region=personas.regions["city"],
            parent=None,
        )


def test_it_builds_the_station_tree_hub_station_point(personas):
    s = personas.stations
    with pytest.raises(ValidationError) as error:
        station_create(
            code="S-X",
            name="点挂总站",
            kind=Station.Kind.POINT,
            region=personas.regions["town"],
            congress=personas.units["town"],
            parent=s["hub"],
        )
    assert "联络点" in str(error.value)
    with pytest.raises(ValidationError):
        station_create(
            code="S-Y",
            name="无上级站",
            kind=Station.Kind.STATION,
            region=personas.regions["town"],
            congress=personas.units["town"],
            parent=None,
        )


def test_it_needs_a_congress_to_run_a_station(personas):
    with pytest.raises(ValidationError) as error:
        station_create(
            code="S-Z",
            name="政府办站",
            kind=Station.Kind.STATION,
            region=personas.regions["town"],
            congress=personas.units["town_gov"],
            parent=personas.stations["hub"],
        )
    assert "主管单位" in str(error.value)


def test_it_builds_a_cross_region_station_serving_another_town(personas):
    station = station_create(
        code="S-CR",
        name="同源共富联络站",
        kind=Station.Kind.STATION,
        region=personas.regions["town2"],
        congress=personas.units["county"],
        parent=personas.stations["hub"],
        specialty=Station.Specialty.CROSS_REGION,
        serves_region=personas.regions["other_town"],
    )
    assert station.serves_region == personas.regions["other_town"]
    with pytest.raises(ValidationError):
        station_create(
            code="S-CR2",
            name="缺服务区划",
            kind=Station.Kind.STATION,
            region=personas.regions["town2"],
            congress=personas.units["county"],
            parent=personas.stations["hub"],
            specialty=Station.Specialty.CROSS_REGION,
        )


def test_it_puts_grids_under_towns_and_villages_only(personas):
    with pytest.raises(ValidationError):
        grid_create(code="G-X", name="区级网格", region=personas.regions["county"])
    assert grid_create(code="G-Y", name="南湖网格", region=personas.regions["town2"]).pk


def test_it_anchors_memberships_by_role(personas):
    with pytest.raises(ValidationError):
        membership_grant(
            user=personas.citizen, role=Role.STATION_CLERK, unit=personas.units["town"]
        )
    with pytest.raises(ValidationError):
        membership_grant(user=personas.citizen, role=Role.CONGRESS_CLERK)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Membership.objects.create(user=personas.citizen, role=Role.HANDLER)
