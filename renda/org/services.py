"""Writes to the organisation. Every function runs in a transaction and validates the row
before saving; the operation log (django-auditlog) records each change."""

from django.core.exceptions import ValidationError
from django.db import transaction

from renda.org.models import LEVEL_DEPTH, Grid, Installation, Membership, OrgUnit, Region, Station

# The level a child region must have, given its parent's.
_CHILD_LEVEL = {
    "province": "city",
    "city": "county",
    "county": "town",
    "town": "village",
}


@transaction.atomic
def region_create(*, code: str, name: str, level: str, parent: Region | None) -> Region:
    if parent is None:
        region = Region(code=code, name=name, level=level)
        region.full_clean(exclude=["path", "depth", "numchild"])
        return Region.objects.add_root(instance=region)
    if _CHILD_LEVEL.get(parent.level) != level:
        raise ValidationError({"level": f"“{parent.name}”的下级区划应为{_level_label(parent)}。"})
    region = Region(code=code, name=name, level=level)
    region.full_clean(exclude=["path", "depth", "numchild"])
    return Region.objects.add_child(parent, instance=region)


def _level_label(parent: Region) -> str:
    from renda.org.models import Level

    return Level(_CHILD_LEVEL[parent.level]).label


@transaction.atomic
def unit_create(
    *,
    code: str,
    name: str,
    kind: str,
    region: Region,
    parent: OrgUnit | None,
    handling_kind: str = "",
    phone: str = "",
) -> OrgUnit:
    unit = OrgUnit(
        code=code, name=name, kind=kind, region=region, handling_kind=handling_kind, phone=phone
    )
    unit.full_clean(exclude=["path", "depth", "numchild"])
    if parent is not None and not region.path.startswith(parent.region.path):
        raise ValidationError({"region": f"单位所在区划必须在上级单位“{parent.name}”的辖区内。"})
    return (
        OrgUnit.objects.add_root(instance=unit)
        if parent is None
        else OrgUnit.objects.add_child(parent, instance=unit)
    )


@transaction.atomic
def station_create(
    *,
    code: str,
    name: str,
    kind: str,
    region: Region,
    congress: OrgUnit,
    parent: Station | None,
    specialty: str = Station.Specialty.REGIONAL,
    sector: str = "",
    serves_region: Region | None = None,
    address: str = "",
    opening_hours: str = "",
    phone: str = "",
) -> Station:
    station = Station(
        code=code,
        name=name,
        kind=kind,
        region=region,
        congress=congress,
        specialty=specialty,
        sector=sector,
        serves_region=serves_region,
        address=address,
        opening_hours=opening_hours,
        phone=phone,
    )
    station.full_clean(exclude=["path", "depth", "numchild"])
    if not congress.is_congress:
        raise ValidationError({"congress": "主管单位必须是人大常委会、主席团或街道人大工委。"})
    _check_station_kind(kind, parent)
    return (
        Station.objects.add_root(instance=station)
        if parent is None
        else Station.objects.add_child(parent, instance=station)
    )


_STATION_PARENT_KIND = {"station": "hub", "point": "station"}


def _check_station_kind(kind: str, parent: Station | None) -> None:
    if parent is None:
        if kind != Station.Kind.HUB:
            raise ValidationError({"kind": "联络站和联络点必须有上级站点。"})
        return
    if _STATION_PARENT_KIND.get(kind) != parent.kind:
        label = Station.Kind(kind).label
        raise ValidationError(
            {"kind": f"“{parent.name}”（{parent.get_kind_display()}）下不能设{label}。"}
        )


@transaction.atomic
def grid_create(*, code: str, name: str, region: Region) -> Grid:
    if LEVEL_DEPTH.get(region.level, 0) < LEVEL_DEPTH["town"]:
        raise ValidationError({"region": "网格只能设在乡镇街道或村社区下。"})
    grid = Grid(code=code, name=name, region=region)
    grid.full_clean()
    grid.save()
    return grid


@transaction.atomic
def membership_grant(
    *, user, role: str, unit: OrgUnit | None = None, station: Station | None = None
) -> Membership:
    membership = Membership(user=user, role=role, unit=unit, station=station)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def installation_mark_demo(*, name: str, seed: int, size: str) -> Installation:
    installation = Installation.objects.order_by("pk").first() or Installation()
    installation.name = name
    installation.is_demo = True
    installation.demo_seed = seed
    installation.demo_size = size
    installation.save()
    return installation
