"""Reads of the organisation, always through the reader's data scope."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from renda.org.models import Grid, OrgUnit, Region, Station
from renda.org.roles import Perm
from renda.org.scope import require, scope_for

# How each organisation model reaches the scope: its own tree, and the region it sits on.
UNIT_LOOKUPS = {"unit": "", "region": "region"}
STATION_LOOKUPS = {"station": "", "region": ("region", "serves_region"), "unit": "congress"}
GRID_LOOKUPS = {"region": "region"}
REGION_LOOKUPS = {"region": ""}


def regions_for_user(user) -> QuerySet[Region]:
    require(user, Perm.ORG_VIEW)
    return scope_for(user).filter(Region.objects.all(), **REGION_LOOKUPS)


def units_for_user(user) -> QuerySet[OrgUnit]:
    require(user, Perm.ORG_VIEW)
    return scope_for(user).filter(OrgUnit.objects.select_related("region"), **UNIT_LOOKUPS)


def stations_for_user(user) -> QuerySet[Station]:
    require(user, Perm.ORG_VIEW)
    return scope_for(user).filter(
        Station.objects.select_related("region", "serves_region", "congress"), **STATION_LOOKUPS
    )


def grids_for_user(user) -> QuerySet[Grid]:
    require(user, Perm.ORG_VIEW)
    return scope_for(user).filter(Grid.objects.select_related("region"), **GRID_LOOKUPS)


def _get(qs, user, *, write: bool, **lookup):
    obj = get_object_or_404(qs, **lookup)
    if write:
        require(user, Perm.ORG_MANAGE)
        if scope_for(user).read_only:
            raise PermissionDenied("只读角色不能修改数据。")
    return obj


def get_unit_for_user(user, pk: int, *, write: bool = False) -> OrgUnit:
    return _get(units_for_user(user), user, write=write, pk=pk)


def get_station_for_user(user, pk: int, *, write: bool = False) -> Station:
    return _get(stations_for_user(user), user, write=write, pk=pk)


def get_grid_for_user(user, pk: int, *, write: bool = False) -> Grid:
    return _get(grids_for_user(user), user, write=write, pk=pk)


def get_region_for_user(user, pk: int) -> Region:
    return _get(regions_for_user(user), user, write=False, pk=pk)


def org_counts_for_user(user) -> dict[str, int]:
    """The workbench's counts of what the user can see."""
    return {
        "units": units_for_user(user).filter(is_active=True).count(),
        "stations": stations_for_user(user).filter(is_active=True).count(),
        "grids": grids_for_user(user).filter(is_active=True).count(),
    }


def unit_children_for_user(user, unit: OrgUnit | None) -> QuerySet[OrgUnit]:
    """The units one level below `unit` (or the top visible ones), with child counts."""
    visible = units_for_user(user)
    if unit is None:
        qs = _tops(visible)
    else:
        qs = visible.filter(path__startswith=unit.path, depth=unit.depth + 1)
    return qs.annotate(member_count=Count("memberships", distinct=True)).order_by("path")


def unit_ancestors_for_user(user, unit: OrgUnit) -> QuerySet[OrgUnit]:
    """The visible units above `unit`, top first: the breadcrumbs of a unit page."""
    step = OrgUnit.steplen
    paths = [unit.path[:end] for end in range(step, len(unit.path), step)]
    return units_for_user(user).filter(path__in=paths).order_by("path")


def station_children_for_user(user, station: Station | None) -> QuerySet[Station]:
    visible = stations_for_user(user)
    if station is None:
        return _tops(visible).order_by("path")
    return visible.filter(path__startswith=station.path, depth=station.depth + 1).order_by("path")


def _tops(visible: QuerySet):
    """Visible nodes whose parent is not visible: the roots of the user's part of a tree."""
    paths = list(visible.values_list("path", flat=True))
    steplen = visible.model.steplen
    path_set = set(paths)
    tops = [p for p in paths if p[:-steplen] not in path_set]
    return visible.filter(path__in=tops)
