"""Reads of the organisation, always through the reader's data scope."""

from collections import Counter

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
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


def unit_children_for_user(user, unit: OrgUnit | None) -> list[OrgUnit]:
    """The visible units one level below `unit` (or the tops of the user's part of the tree),
    each with `visible_children`: how many of its children the user may open."""
    return _tree_level(units_for_user(user), unit)


def unit_ancestors_for_user(user, unit: OrgUnit) -> QuerySet[OrgUnit]:
    """The visible units above `unit`, top first: the breadcrumbs of a unit page."""
    step = OrgUnit.steplen
    paths = [unit.path[:end] for end in range(step, len(unit.path), step)]
    return units_for_user(user).filter(path__in=paths).order_by("path")


def station_children_for_user(user, station: Station | None) -> list[Station]:
    return _tree_level(stations_for_user(user), station)


def _tree_level(visible: QuerySet, parent) -> list:
    """One level of a scoped tree. Without a parent, the visible nodes whose parent is not
    visible: the roots of the user's part of the tree. Child counts come from the same set of
    visible paths, so a node never offers to open children the user cannot see."""
    step = visible.model.steplen
    paths = set(visible.values_list("path", flat=True))
    if parent is None:
        level = {p for p in paths if p[:-step] not in paths}
    else:
        depth_len = len(parent.path) + step
        level = {p for p in paths if len(p) == depth_len and p.startswith(parent.path)}
    counts = Counter(p[:-step] for p in paths if p[:-step] in level)
    nodes = list(visible.filter(path__in=level).order_by("path"))
    for node in nodes:
        node.visible_children = counts[node.path]
    return nodes
