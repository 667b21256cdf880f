"""The sizes of the demo city, and the plain records a plan is made of.

Records name each other by code (a unit's region, a station's parent), never by object, so a
plan is plain data that compares equal for equal seeds and needs no database.
"""

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SizeSpec:
    county_kinds: tuple[str, ...]
    towns_per_county: tuple[int, int]
    villages_per_town: tuple[int, int]
    city_departments: int
    county_departments: int
    city_committees: int
    point_share: float
    grids_per_town: tuple[int, int]
    city_seats: int
    county_seats_per_county: int
    town_seats_per_township: tuple[int, int]
    # Shares of city and town seats held by persons who are also county deputies.
    city_also_county: float
    town_also_county: float
    # Opinion cases over the past year (`renda.demo.cases_seed`), about.
    cases: int = 0
    # Deputies' suggestions over the past year (`renda.demo.suggestions_seed`).
    suggestions: int = 0


SIZES: dict[str, SizeSpec] = {
    "small": SizeSpec(
        county_kinds=("district", "county"),
        towns_per_county=(2, 2),
        villages_per_town=(5, 5),
        city_departments=6,
        county_departments=3,
        city_committees=3,
        point_share=0.2,
        grids_per_town=(2, 3),
        city_seats=14,
        county_seats_per_county=14,
        town_seats_per_township=(12, 14),
        city_also_county=0.25,
        town_also_county=0.25,
        cases=200,
        suggestions=20,
    ),
    "city": SizeSpec(
        county_kinds=("district", "district", "county", "city"),
        towns_per_county=(7, 8),
        villages_per_town=(8, 12),
        city_departments=30,
        county_departments=19,
        city_committees=8,
        point_share=0.3,
        grids_per_town=(3, 5),
        city_seats=400,
        county_seats_per_county=200,
        town_seats_per_township=(65, 80),
        city_also_county=0.25,
        town_also_county=0.2,
        cases=700,
        suggestions=120,
    ),
    "province": SizeSpec(
        county_kinds=("district",) * 3 + ("county",) * 3 + ("city",) * 2,
        towns_per_county=(12, 13),
        villages_per_town=(9, 11),
        city_departments=36,
        county_departments=20,
        city_committees=9,
        point_share=0.3,
        grids_per_town=(3, 5),
        city_seats=650,
        county_seats_per_county=300,
        town_seats_per_township=(90, 105),
        city_also_county=0.25,
        town_also_county=0.2,
        cases=1500,
        suggestions=200,
    ),
}


@dataclass(frozen=True)
class RegionPlan:
    code: str
    name: str
    level: str
    parent: str | None
    # 区/县/市, 街道/镇/乡 or 社区/村: decides the congress body and the village's kind.
    suffix: str = ""


@dataclass(frozen=True)
class UnitPlan:
    code: str
    name: str
    kind: str
    region: str
    parent: str | None
    handling_kind: str = ""


@dataclass(frozen=True)
class StationPlan:
    code: str
    name: str
    kind: str
    region: str
    congress: str
    parent: str | None
    specialty: str = "regional"
    sector: str = ""
    serves_region: str | None = None
    address: str = ""
    opening_hours: str = ""


@dataclass(frozen=True)
class GridPlan:
    code: str
    name: str
    region: str
    town: str


@dataclass(frozen=True)
class TermPlan:
    congress: str
    number: int
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class SeatPlan:
    congress: str
    constituency: str


@dataclass
class PersonPlan:
    name: str
    gender: str
    phone: str
    sector: str
    work_unit: str
    post: str
    town: str
    village: str
    seats: list[SeatPlan] = field(default_factory=list)
    stations: list[tuple[str, dt.date]] = field(default_factory=list)
    grids: list[str] = field(default_factory=list)
    username: str = ""


@dataclass(frozen=True)
class AccountPlan:
    username: str
    full_name: str
    phone: str
    role: str
    unit: str | None = None
    station: str | None = None
    superuser: bool = False


@dataclass
class CityPlan:
    size: str
    seed: int
    regions: list[RegionPlan]
    units: list[UnitPlan]
    stations: list[StationPlan]
    grids: list[GridPlan]
    terms: list[TermPlan]
    persons: list[PersonPlan]
    accounts: list[AccountPlan]
    sectors: list[str]
