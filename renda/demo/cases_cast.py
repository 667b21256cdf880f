"""Who acts in the demo city's cases, and where a case of each kind goes.

The workflow checks every actor (`renda.cases.workflow`): a case is accepted by a clerk of its
congress, signed and answered by a handler of its lead unit. The ten demo accounts cover one
town, so the seed gives every other congress body a clerk, every town station a clerk and
every handling unit a handler ("accounts of record"): real users with memberships, whose names
appear on the timelines and who receive the notifications, but with unusable passwords — the
person trying the demo signs in with the ten printed accounts only.

The routing table is what a triage model can learn: each (category, town) has one usual
handling unit (a town government, or a county or city department found by name), and a case
follows it most of the time.
"""

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from renda.accounts.models import User
from renda.demo.case_texts import Locale
from renda.demo.names import DEMO_PHONE_BLOCK, DEMO_PHONE_PREFIX, person_name
from renda.deputies.models import Deputy, StationMembership
from renda.org.models import Grid, Membership, OrgUnit, Region, Station
from renda.org.roles import Role

# Category → department names to look for at a level, the usual one first; the others are
# where a case of the category sometimes goes instead (the noise a triage model must live
# with). Names are matched as substrings of the unit name: the county's "公安分局" and the
# city's "公安局" both match "公安".
CATEGORY_UNITS: dict[str, tuple[str, ...]] = {
    "城乡建设": ("住房和城乡建设局", "综合行政执法局", "自然资源和规划", "城市管理局"),
    "环境保护": ("生态环境", "综合行政执法局", "水利局"),
    "交通运输": ("交通运输局", "公安"),
    "教育文体": ("教育局", "文化"),
    "劳动和社会保障": ("人力资源和社会保障局", "民政局", "医疗保障局"),
    "商贸旅游": ("商务局", "文化", "市场监督管理局"),
    "卫生计生": ("卫生健康", "医疗保障局"),
    "农业农村": ("农业农村局", "水利局", "自然资源和规划"),
    "营商环境": ("市场监督管理局", "发展和改革", "经济和信息化局", "行政审批"),
    "社会治理": ("公安", "综合行政执法局", "司法局", "应急管理局"),
    "其他": ("民政局", "司法局"),
}
# How often a category's usual route is handled in the town, by the county, by the city.
LEVEL_WEIGHTS: dict[str, tuple[int, int, int]] = {
    "城乡建设": (35, 50, 15),
    "环境保护": (30, 60, 10),
    "交通运输": (20, 60, 20),
    "教育文体": (15, 75, 10),
    "劳动和社会保障": (30, 60, 10),
    "商贸旅游": (35, 55, 10),
    "卫生计生": (35, 55, 10),
    "农业农村": (60, 35, 5),
    "营商环境": (20, 60, 20),
    "社会治理": (50, 45, 5),
    "其他": (80, 20, 0),
}
# How many cases of each category come in, per hundred.
CATEGORY_WEIGHTS: dict[str, int] = {
    "城乡建设": 20,
    "环境保护": 10,
    "交通运输": 12,
    "教育文体": 8,
    "劳动和社会保障": 9,
    "商贸旅游": 5,
    "卫生计生": 6,
    "农业农村": 12,
    "营商环境": 5,
    "社会治理": 9,
    "其他": 4,
}
LEVELS = ("town", "county", "city")


@dataclass(frozen=True)
class Route:
    """Where a case is handled: the level whose congress assigns it, and the lead unit."""

    level: str
    unit: OrgUnit


@dataclass
class Town:
    region: Region
    county: Region
    congress: OrgUnit
    government: OrgUnit
    villages: list[Region]
    station_clerk: User
    deputies: list[Deputy] = field(default_factory=list)

    def locale(self, village: Region) -> Locale:
        return Locale(
            self.county.name, self.region.name, village.name, village.name.endswith("社区")
        )


@dataclass
class Cast:
    """Everyone and everything a case needs, loaded once."""

    towns: list[Town]
    city_congress: OrgUnit
    county_congress: dict[int, OrgUnit]  # county region pk → congress
    clerks: dict[int, User]  # congress unit pk → clerk
    handlers: dict[int, User]  # handling unit pk → handler
    departments: dict[int, list[OrgUnit]]  # region pk (county or city) → its departments
    leader: User
    hotline_clerk: User
    citizen: User
    deputy: Deputy
    persona_town: Town
    citizens: list[User]
    grids: dict[int, Grid]  # village region pk → its grid
    routes: dict[tuple[str, int], Route] = field(default_factory=dict)

    def departments_for(self, level: str, town: Town) -> list[OrgUnit]:
        if level == "city":
            return self.departments[self.city_congress.region_id]
        if level == "county":
            return self.departments[town.county.pk]
        return [town.government]

    def unit_for(self, category: str, level: str, town: Town, *, rank: int = 0) -> OrgUnit | None:
        """The department of the `rank`-th name of the category at the level, if it exists."""
        if level == "town":
            return town.government
        names = CATEGORY_UNITS[category]
        if rank >= len(names):
            return None
        units = self.departments_for(level, town)
        return next((u for u in units if names[rank] in u.name), None)

    def route_for(self, category: str, town: Town, *, seed: int) -> Route:
        """The usual route of a category in a town: the same for a seed, whatever the order
        the cases ask in."""
        key = (category, town.region.pk)
        if key not in self.routes:
            rng = random.Random(f"route-{seed}-{category}-{town.region.code}")
            level = rng.choices(LEVELS, weights=LEVEL_WEIGHTS[category])[0]
            unit = self.unit_for(category, level, town)
            # A small city has few departments: what it lacks at a level, the level below does.
            while unit is None:
                level = LEVELS[LEVELS.index(level) - 1]
                unit = self.unit_for(category, level, town)
            self.routes[key] = Route(level, unit)
        return self.routes[key]

    def other_route(self, usual: Route, category: str, town: Town, rng: random.Random) -> Route:
        """Somewhere else the case could plausibly go: another department of the category,
        another level, or the town government."""
        options = [Route("town", town.government)]
        for level in ("county", "city"):
            for rank in range(len(CATEGORY_UNITS[category])):
                unit = self.unit_for(category, level, town, rank=rank)
                if unit is not None:
                    options.append(Route(level, unit))
        options = [r for r in options if r.unit.pk != usual.unit.pk]
        return rng.choice(options) if options else usual

    def clerk_reaching(self, congress: OrgUnit, target: OrgUnit) -> User:
        """The clerk of the lowest congress that is or is above both (merging needs both)."""
        for candidate in (congress, target):
            if target.path.startswith(candidate.path) and congress.path.startswith(candidate.path):
                return self.clerks[candidate.pk]
        county = next(
            (c for c in self.county_congress.values() if congress.path.startswith(c.path)), None
        )
        if county is not None and target.path.startswith(county.path):
            return self.clerks[county.pk]
        return self.clerks[self.city_congress.pk]


class PhonePool:
    """Demo-range phone numbers for people with no account, avoiding the numbers the city
    plan gave to deputies and accounts. When the block runs out, numbers repeat: the same
    person raising another matter."""

    def __init__(self, rng: random.Random, taken: set[str]) -> None:
        numbers = [f"{DEMO_PHONE_PREFIX}{n:04d}" for n in range(DEMO_PHONE_BLOCK)]
        self._free = [n for n in numbers if n not in taken]
        rng.shuffle(self._free)
        self._next = 0
        self._rng = rng

    def take(self) -> str:
        if self._next < len(self._free):
            self._next += 1
            return self._free[self._next - 1]
        return self._rng.choice(self._free)


def cast_load(*, rng: random.Random, citizens: int, phones: PhonePool) -> Cast:
    """Load the seeded city and create its accounts of record and citizen accounts."""
    unusable = make_password(None)
    users = {u.username: u for u in User.objects.all()}
    # The demo accounts already sit in some units and one station: they act there.
    memberships = list(Membership.objects.filter(is_active=True).select_related("user"))
    existing = {
        m.unit_id: m.user
        for m in memberships
        if m.role in (Role.CONGRESS_CLERK, Role.HANDLER) and m.unit_id
    }
    existing_station = {
        m.station_id: m.user for m in memberships if m.role == Role.STATION_CLERK and m.station_id
    }
    staff: list[tuple[User, str, OrgUnit | None, Station | None]] = []

    def account(username: str, role: str, *, unit=None, station=None) -> User:
        user = User(
            username=username,
            full_name=person_name(rng, female=rng.random() < 0.5),
            password=unusable,
        )
        staff.append((user, role, unit, station))
        return user

    units = list(OrgUnit.objects.select_related("region").order_by("path"))
    regions = {r.pk: r for r in Region.objects.all()}
    clerks: dict[int, User] = {}
    handlers: dict[int, User] = {}
    for unit in units:
        if unit.kind in OrgUnit.CONGRESS_KINDS:
            clerks[unit.pk] = existing.get(unit.pk) or account(
                f"clerk-{unit.code.lower()}", Role.CONGRESS_CLERK, unit=unit
            )
        elif unit.kind == OrgUnit.Kind.HANDLING_UNIT:
            handlers[unit.pk] = existing.get(unit.pk) or account(
                f"handler-{unit.code.lower()}", Role.HANDLER, unit=unit
            )
    stations = {
        s.region_id: s
        for s in Station.objects.filter(
            kind=Station.Kind.STATION, specialty=Station.Specialty.REGIONAL
        )
    }
    station_clerks = {
        region_id: existing_station.get(station.pk)
        or account(f"station-{station.code.lower()}", Role.STATION_CLERK, station=station)
        for region_id, station in stations.items()
    }
    citizen_users = [
        User(
            username=f"resident{n:03d}",
            full_name=person_name(rng, female=rng.random() < 0.5),
            phone=phones.take(),
            password=unusable,
        )
        for n in range(1, citizens + 1)
    ]
    # Bulk: a few hundred accounts through user_create would cost seconds and validate
    # nothing more than the generated usernames, which are unique by construction.
    User.objects.bulk_create([u for u, *_ in staff] + citizen_users)
    Membership.objects.bulk_create(
        Membership(user=user, role=role, unit=unit, station=station)
        for user, role, unit, station in staff
    )

    by_kind: dict[int, list[OrgUnit]] = {}
    government: dict[int, OrgUnit] = {}
    town_congress: dict[int, OrgUnit] = {}
    county_congress: dict[int, OrgUnit] = {}
    city_congress = None
    for unit in units:
        level = unit.region.level
        if unit.kind == OrgUnit.Kind.HANDLING_UNIT:
            if unit.handling_kind == OrgUnit.HandlingKind.TOWN_GOVERNMENT:
                government[unit.region_id] = unit
            elif unit.handling_kind == OrgUnit.HandlingKind.DEPARTMENT:
                by_kind.setdefault(unit.region_id, []).append(unit)
        elif unit.kind in (OrgUnit.Kind.PRESIDIUM, OrgUnit.Kind.STREET_COMMITTEE):
            town_congress[unit.region_id] = unit
        elif unit.kind == OrgUnit.Kind.CONGRESS and level == "county":
            county_congress[unit.region_id] = unit
        elif unit.kind == OrgUnit.Kind.CONGRESS and level == "city":
            city_congress = unit
    assert city_congress is not None

    deputies = {d.pk: d for d in Deputy.objects.all()}
    at_station: dict[int, list[Deputy]] = {}
    for region_id, deputy_id in StationMembership.objects.filter(
        station__in=stations.values()
    ).values_list("station__region_id", "deputy_id"):
        at_station.setdefault(region_id, []).append(deputies[deputy_id])

    villages: dict[int, list[Region]] = {}
    towns_by_path = {}
    for region in sorted(regions.values(), key=lambda r: r.path):
        if region.level == "town":
            towns_by_path[region.path] = region
        elif region.level == "village":
            town = towns_by_path[region.path[: -Region.steplen]]
            villages.setdefault(town.pk, []).append(region)
    towns = []
    for region in towns_by_path.values():
        county = next(
            r for r in regions.values() if r.level == "county" and region.path.startswith(r.path)
        )
        towns.append(
            Town(
                region=region,
                county=county,
                congress=town_congress[region.pk],
                government=government[region.pk],
                villages=villages.get(region.pk, []),
                station_clerk=station_clerks[region.pk],
                deputies=sorted(at_station.get(region.pk, []), key=lambda d: d.pk),
            )
        )
    persona_unit = Membership.objects.get(user=users["town_clerk"]).unit
    return Cast(
        towns=towns,
        city_congress=city_congress,
        county_congress=county_congress,
        clerks=clerks,
        handlers=handlers,
        departments=by_kind,
        leader=users["leader"],
        hotline_clerk=users["city_clerk"],
        citizen=users["citizen"],
        deputy=Deputy.objects.get(user=users["deputy"]),
        persona_town=next(t for t in towns if t.region.pk == persona_unit.region_id),
        citizens=citizen_users,
        grids={g.region_id: g for g in Grid.objects.exclude(region__level="town")},
    )
