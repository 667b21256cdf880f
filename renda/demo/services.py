"""Writes the demo city (see `renda.demo.plan`) into an empty database, in one transaction.

Tree nodes (regions, units, stations) and grids go through the org services, so they are
validated exactly like nodes a clerk creates; the two thousand deputies and their seats,
stations and grids are bulk-inserted, since per-row services would cost a minute.
"""

import datetime as dt

from auditlog.context import disable_auditlog
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction

from renda.accounts.models import User
from renda.accounts.services import user_create
from renda.demo.cases_seed import demo_cases_seed
from renda.demo.plan import DEMO_PASSWORD, PLATFORM_NAME, city_plan
from renda.demo.selectors import DemoSummary, demo_summary
from renda.demo.shapes import SIZES, CityPlan
from renda.demo.suggestions_seed import demo_suggestions_seed
from renda.deputies.models import Deputy, GridAssignment, Seat, Sector, StationMembership, Term
from renda.org.models import Grid, OrgUnit, Region, Station
from renda.org.services import (
    grid_create,
    installation_mark_demo,
    membership_grant,
    region_create,
    station_create,
    unit_create,
)


@transaction.atomic
def demo_city_seed(
    *,
    size: str,
    seed: int,
    now: dt.datetime | None = None,
    cases: int | None = None,
    suggestions: int | None = None,
) -> DemoSummary:
    """Build the demo city of `size` from `seed`, with a year of opinion cases up to `now`
    (about `cases` of them, by default the size's number; 0 for none) and of deputies'
    suggestions (`suggestions`, by default the size's number, none in a city without cases),
    and mark the installation as a demo.

    Refuses a database that already has regions: the demo city would mix with real data.
    """
    if Region.objects.exists():
        raise ValidationError("数据库中已有行政区划数据，不能再生成演示城市。")
    plan = city_plan(size=size, seed=seed)
    taken = list(
        User.objects.filter(username__in=[a.username for a in plan.accounts]).values_list(
            "username", flat=True
        )
    )
    if taken:
        raise ValidationError(f"演示账号已存在：{'、'.join(sorted(taken))}。")
    # The operation log records what people did to master data. A generated city is nobody's
    # act, and a thousand "created" rows would bury the first real entries (the bulk-inserted
    # deputies would not be logged anyway), so the seed is not logged.
    with disable_auditlog():
        regions = _regions_write(plan)
        units = _units_write(plan, regions)
        stations = _stations_write(plan, regions, units)
        grids = {
            g.code: grid_create(code=g.code, name=g.name, region=regions[g.region])
            for g in plan.grids
        }
        users = _accounts_write(plan, units, stations)
        _deputies_write(plan, units, stations, grids, users)
        count = SIZES[size].cases if cases is None else cases
        if count:
            demo_cases_seed(seed=seed, count=count, now=now)
        if suggestions is None:
            suggestions = SIZES[size].suggestions if count else 0
        if suggestions:
            demo_suggestions_seed(seed=seed, count=suggestions, now=now)
        installation_mark_demo(name=PLATFORM_NAME, seed=seed, size=size)
    return demo_summary(size=size, seed=seed)


def _regions_write(plan: CityPlan) -> dict[str, Region]:
    regions: dict[str, Region] = {}
    for r in plan.regions:
        regions[r.code] = region_create(
            code=r.code,
            name=r.name,
            level=r.level,
            parent=regions[r.parent] if r.parent else None,
        )
    return regions


def _units_write(plan: CityPlan, regions: dict[str, Region]) -> dict[str, OrgUnit]:
    units: dict[str, OrgUnit] = {}
    for u in plan.units:
        units[u.code] = unit_create(
            code=u.code,
            name=u.name,
            kind=u.kind,
            handling_kind=u.handling_kind,
            region=regions[u.region],
            parent=units[u.parent] if u.parent else None,
        )
    return units


def _stations_write(
    plan: CityPlan, regions: dict[str, Region], units: dict[str, OrgUnit]
) -> dict[str, Station]:
    stations: dict[str, Station] = {}
    for s in plan.stations:
        stations[s.code] = station_create(
            code=s.code,
            name=s.name,
            kind=s.kind,
            region=regions[s.region],
            congress=units[s.congress],
            parent=stations[s.parent] if s.parent else None,
            specialty=s.specialty,
            sector=s.sector,
            serves_region=regions[s.serves_region] if s.serves_region else None,
            address=s.address,
            opening_hours=s.opening_hours,
        )
    return stations


def _accounts_write(
    plan: CityPlan, units: dict[str, OrgUnit], stations: dict[str, Station]
) -> dict[str, User]:
    # One hash for all demo accounts: hashing the same public password ten times would cost
    # seconds of every `make run` and protect nothing.
    hashed = make_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    for a in plan.accounts:
        user = user_create(
            username=a.username,
            password=None,
            full_name=a.full_name,
            phone=a.phone,
            validate=False,
        )
        user.password = hashed
        user.is_staff = user.is_superuser = a.superuser
        user.save(update_fields=["password", "is_staff", "is_superuser"])
        if a.role:
            membership_grant(
                user=user,
                role=a.role,
                unit=units[a.unit] if a.unit else None,
                station=stations[a.station] if a.station else None,
            )
        users[a.username] = user
    return users


def _deputies_write(
    plan: CityPlan,
    units: dict[str, OrgUnit],
    stations: dict[str, Station],
    grids: dict[str, Grid],
    users: dict[str, User],
) -> None:
    # The sector dictionary may already hold entries an administrator made: keep them.
    sectors = {
        name: Sector.objects.get_or_create(name=name, defaults={"sort_order": i})[0]
        for i, name in enumerate(plan.sectors, start=1)
    }
    terms = {
        t.congress: Term(
            congress=units[t.congress], number=t.number, start_date=t.start, end_date=t.end
        )
        for t in plan.terms
    }
    Term.objects.bulk_create(terms.values())
    deputies = Deputy.objects.bulk_create(
        Deputy(
            name=p.name,
            gender=p.gender,
            phone=p.phone,
            work_unit=p.work_unit,
            post=p.post,
            sector=sectors[p.sector],
            user=users[p.username] if p.username else None,
        )
        for p in plan.persons
    )
    pairs = list(zip(plan.persons, deputies, strict=True))
    Seat.objects.bulk_create(
        Seat(deputy=d, term=terms[s.congress], constituency=s.constituency)
        for p, d in pairs
        for s in p.seats
    )
    StationMembership.objects.bulk_create(
        StationMembership(deputy=d, station=stations[code], since=since)
        for p, d in pairs
        for code, since in p.stations
    )
    GridAssignment.objects.bulk_create(
        GridAssignment(deputy=d, grid=grids[code]) for p, d in pairs for code in p.grids
    )
