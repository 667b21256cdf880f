"""The demo city as plain data: everything `services.demo_city_seed` writes, decided up front.

One `random.Random(seed)` is drawn from in a fixed order, so a size and a seed always give the
same city, down to names and phone numbers. The plan does not touch the database (roles and
levels are their stored string values), so determinism is tested on the plan alone.

The shape follows a real prefecture-level city: a province, the city, districts (区), counties
(县) and county-level cities (市); streets (街道), towns (镇) and townships (乡); communities
(社区) and villages (村), coded the GB/T 2260 / statistical-division way (街道 001–099,
镇 101–199, 乡 201–399; 社区 001–199, 村 201–399).
"""

import datetime as dt
import random

from renda.demo.names import (
    CITY_COMMITTEES,
    CITY_DEPARTMENTS,
    COUNTY_DEPARTMENTS,
    PhoneBook,
    Place,
    PlaceNames,
    person_name,
    work_unit_and_post,
)
from renda.demo.shapes import (
    SIZES,
    AccountPlan,
    CityPlan,
    GridPlan,
    PersonPlan,
    RegionPlan,
    SeatPlan,
    StationPlan,
    TermPlan,
    UnitPlan,
)

CITY_NAME = "清江市"
CITY_CODE = "331000"
PROVINCE_NAME = "示例省"
PROVINCE_CODE = "330000"
PLATFORM_NAME = f"{CITY_NAME}人大履职服务平台"
DEMO_PASSWORD = "renda-demo"
DEFAULT_SEED = 2024
# The demo accounts, in the order `seed_demo` lists them.
DEMO_USERNAMES = [
    "admin",
    "city_clerk",
    "county_clerk",
    "town_clerk",
    "other_town_clerk",
    "station_clerk",
    "unit_handler",
    "deputy",
    "leader",
    "citizen",
]

SECTORS = ["企业", "农业", "教科文卫", "社区", "机关", "其他"]
# Sector stations (行业站) the city congress runs, by sector and station name.
SECTOR_STATIONS = [
    ("企业", f"{CITY_NAME}企业家人大代表联络站"),
    ("农业", f"{CITY_NAME}农业农村人大代表联络站"),
    ("教科文卫", f"{CITY_NAME}教科文卫人大代表联络站"),
]
# Which sectors deputies of each level come from: a town congress is mostly farmers and
# community workers, the city congress has more officials and entrepreneurs.
_SECTOR_WEIGHTS = {
    "city": [25, 10, 20, 10, 25, 10],
    "county": [25, 15, 15, 15, 20, 10],
    "town": [20, 35, 10, 20, 10, 5],
}
_FEMALE_SHARE = 0.3

_OPENING_HOURS = ["工作日 8:30—17:00", "每月15日代表接待日", "每周三下午代表接待"]

# County kind → name suffix and the first county code of that kind (GB/T 2260: districts
# 01–20, counties 21–80, county-level cities 81–99).
_COUNTY_KINDS = {"district": ("区", 2), "county": ("县", 21), "city": ("市", 81)}


# A county constituency (选区) within a town is numbered 第一 to 第六.
_CONSTITUENCY_NUMBERS = "一二三四五六"


class _Builder:
    def __init__(self, *, size: str, seed: int) -> None:
        self.size = size
        self.seed = seed
        self.spec = SIZES[size]
        self.rng = random.Random(seed)
        self.phones = PhoneBook(self.rng)
        self.places = PlaceNames(self.rng, taken=[CITY_NAME[:2]])
        self.regions: list[RegionPlan] = []
        self.region_by_code: dict[str, RegionPlan] = {}
        self.counties: list[RegionPlan] = []
        self.towns_of: dict[str, list[RegionPlan]] = {}
        self.villages_of: dict[str, list[RegionPlan]] = {}
        self.units: list[UnitPlan] = []
        self.stations: list[StationPlan] = []
        self.points: dict[str, str] = {}  # village code → point station code
        self.cross_region: list[StationPlan] = []
        self.grids_of: dict[str, list[GridPlan]] = {}
        self.terms: list[TermPlan] = []
        self.persons: list[PersonPlan] = []
        self.accounts: list[AccountPlan] = []

    # --- places -------------------------------------------------------------------------

    def _region(self, plan: RegionPlan) -> RegionPlan:
        self.regions.append(plan)
        self.region_by_code[plan.code] = plan
        return plan

    def build_regions(self) -> None:
        province = self._region(RegionPlan(PROVINCE_CODE, PROVINCE_NAME, "province", None))
        self._region(RegionPlan(CITY_CODE, CITY_NAME, "city", province.code))
        next_code = {kind: first for kind, (_, first) in _COUNTY_KINDS.items()}
        # Regions are created in code order (the tree keeps siblings sorted by code), so the
        # counties are planned first and sorted.
        counties = []
        for kind in self.spec.county_kinds:
            suffix = _COUNTY_KINDS[kind][0]
            code = f"{CITY_CODE[:4]}{next_code[kind]:02d}"
            next_code[kind] += 1
            counties.append((code, kind, self.places.take() + suffix, suffix))
        for code, kind, name, suffix in sorted(counties):
            county = self._region(RegionPlan(code, name, "county", CITY_CODE, suffix))
            self.counties.append(county)
            self._build_towns(county, kind)

    def _build_towns(self, county: RegionPlan, kind: str) -> None:
        n = self.rng.randint(*self.spec.towns_per_county)
        # Urban districts are mostly streets; counties have one street (the county seat) and
        # a township or two in the hills; county-level cities have two streets.
        streets = {"district": max(1, n - 2), "county": 1, "city": min(2, n - 1)}[kind]
        townships = 1 if kind == "county" and n >= 5 else 0
        towns = []
        for i in range(n):
            if i < streets:
                code, suffix = f"{county.code}{i + 1:03d}", "街道"
            elif i < n - townships:
                code, suffix = f"{county.code}{100 + i - streets + 1:03d}", "镇"
            else:
                code, suffix = f"{county.code}{200 + i - (n - townships) + 1:03d}", "乡"
            town = self._region(
                RegionPlan(code, self.places.take() + suffix, "town", county.code, suffix)
            )
            towns.append(town)
            self._build_villages(town)
        self.towns_of[county.code] = towns

    def _build_villages(self, town: RegionPlan) -> None:
        m = self.rng.randint(*self.spec.villages_per_town)
        if town.suffix == "街道":
            communities = m
        elif town.suffix == "镇":
            communities = self.rng.randint(1, 2)
        else:
            communities = 0
        villages = []
        for i in range(m):
            if i < communities:
                code, suffix = f"{town.code}{i + 1:03d}", "社区"
            else:
                code, suffix = f"{town.code}{200 + i - communities + 1:03d}", "村"
            villages.append(
                self._region(
                    RegionPlan(code, self.places.take() + suffix, "village", town.code, suffix)
                )
            )
        self.villages_of[town.code] = villages

    @property
    def all_towns(self) -> list[RegionPlan]:
        return [t for c in self.counties for t in self.towns_of[c.code]]

    # --- organisation -------------------------------------------------------------------
    #
    # Unit codes are the region code plus letters (RD 人大, ZF 政府, FY 法院, JCY 检察院).
    # Siblings are kept sorted by code and created in that order, and the letters are
    # chosen so that byte order and PostgreSQL's locale order (which skips the dash) agree:
    # a town's "331002001ZF" sorts before its county's "331002ZF-B01" in both.

    @staticmethod
    def congress_code(region_code: str) -> str:
        return f"{region_code}RD"

    @staticmethod
    def is_township(town: RegionPlan) -> bool:
        return town.suffix in ("镇", "乡")

    def _unit(self, code: str, name: str, region: str, parent: str | None, kind: str) -> None:
        """Plan a unit; `kind` is a congress kind or, for a handling unit, its handling kind."""
        if kind in ("congress", "committee", "presidium", "street_committee"):
            self.units.append(UnitPlan(code, name, kind, region, parent))
        else:
            self.units.append(UnitPlan(code, name, "handling_unit", region, parent, kind))

    def build_units(self) -> None:
        city, unit = CITY_CODE, self._unit
        # The four roots first, in code order: court, procuratorate, congress, government.
        unit(f"{city}FY", f"{CITY_NAME}中级人民法院", city, None, "court")
        unit(f"{city}JCY", f"{CITY_NAME}人民检察院", city, None, "procuratorate")
        unit(f"{city}RD", f"{CITY_NAME}人大常委会", city, None, "congress")
        unit(f"{city}ZF", f"{CITY_NAME}人民政府", city, None, "other")
        for c in self.counties:
            unit(f"{c.code}FY", f"{c.name}人民法院", c.code, f"{city}FY", "court")
        for c in self.counties:
            unit(f"{c.code}JCY", f"{c.name}人民检察院", c.code, f"{city}JCY", "procuratorate")
        self._build_congresses()
        for i, dept in enumerate(CITY_DEPARTMENTS[: self.spec.city_departments], start=1):
            unit(f"{city}ZF-B{i:02d}", f"{CITY_NAME}{dept}", city, f"{city}ZF", "department")
        for c in self.counties:
            unit(f"{c.code}ZF", f"{c.name}人民政府", c.code, f"{city}ZF", "other")
            for town in self.towns_of[c.code]:
                name = f"{town.name}办事处" if town.suffix == "街道" else f"{town.name}人民政府"
                unit(f"{town.code}ZF", name, town.code, f"{c.code}ZF", "town_government")
            for i, dept in enumerate(COUNTY_DEPARTMENTS[: self.spec.county_departments], 1):
                unit(f"{c.code}ZF-B{i:02d}", f"{c.name}{dept}", c.code, f"{c.code}ZF", "department")

    def _build_congresses(self) -> None:
        city_rd, unit = self.congress_code(CITY_CODE), self._unit
        for i, name in enumerate(CITY_COMMITTEES[: self.spec.city_committees], start=1):
            unit(
                f"{city_rd}-W{i:02d}",
                f"{CITY_NAME}人大常委会{name}",
                CITY_CODE,
                city_rd,
                "committee",
            )
        for c in self.counties:
            county_rd = self.congress_code(c.code)
            unit(county_rd, f"{c.name}人大常委会", c.code, city_rd, "congress")
            for town in self.towns_of[c.code]:
                # A street has no people's congress of its own: its 人大工委 is a working body
                # of the county congress. Towns and townships elect a presidium (主席团).
                if self.is_township(town):
                    kind, name = "presidium", f"{town.name}人大主席团"
                else:
                    kind, name = "street_committee", f"{town.name}人大工委"
                unit(self.congress_code(town.code), name, town.code, county_rd, kind)
            unit(
                f"{county_rd}-W01",
                f"{c.name}人大常委会代表工作委员会",
                c.code,
                county_rd,
                "committee",
            )

    def build_stations(self) -> None:
        rng, add = self.rng, self.stations.append
        hub = f"S-{CITY_CODE}"
        city_rd = self.congress_code(CITY_CODE)
        add(
            StationPlan(
                hub,
                f"{CITY_NAME}人大代表联络总站",
                "hub",
                CITY_CODE,
                city_rd,
                None,
                address=f"{CITY_NAME}人大常委会机关一楼",
                opening_hours=_OPENING_HOURS[0],
            )
        )
        for i, town in enumerate(self.all_towns):
            congress = self.congress_code(town.code)
            station = f"S-{town.code}"
            add(
                StationPlan(
                    station,
                    f"{town.name}人大代表联络站",
                    "station",
                    town.code,
                    congress,
                    hub,
                    address=f"{town.name}便民服务中心{rng.randint(1, 3)}楼",
                    opening_hours=rng.choice(_OPENING_HOURS),
                )
            )
            for j, village in enumerate(self.villages_of[town.code]):
                # The first town's first village always has a point, so even the smallest
                # city shows all three levels of the station tree.
                if (i == 0 and j == 0) or rng.random() < self.spec.point_share:
                    code = f"S-{village.code}"
                    self.points[village.code] = code
                    add(
                        StationPlan(
                            code,
                            f"{village.name}人大代表联络点",
                            "point",
                            village.code,
                            congress,
                            station,
                            address=f"{village.name}党群服务中心",
                            opening_hours=rng.choice(_OPENING_HOURS),
                        )
                    )
        for i, (sector, name) in enumerate(SECTOR_STATIONS, start=1):
            add(
                StationPlan(
                    f"S-HY-{i:02d}",
                    name,
                    "station",
                    CITY_CODE,
                    city_rd,
                    hub,
                    specialty="sector",
                    sector=sector,
                    opening_hours=_OPENING_HOURS[2],
                )
            )
        # One cross-region station per county, shared by its first two towns (an industrial
        # park or a market that straddles the boundary); the county congress runs it.
        for i, county in enumerate(self.counties, start=1):
            host, served = self.towns_of[county.code][:2]
            station = StationPlan(
                f"S-KQ-{i:02d}",
                f"{host.name[:2]}{served.name[:2]}跨区域人大代表联络站",
                "station",
                host.code,
                self.congress_code(county.code),
                hub,
                specialty="cross_region",
                serves_region=served.code,
                opening_hours=_OPENING_HOURS[0],
            )
            add(station)
            self.cross_region.append(station)

    def build_grids(self, *, town_with_gaps: str) -> None:
        rng = self.rng
        for town in self.all_towns:
            k = rng.randint(*self.spec.grids_per_town)
            if town.code == town_with_gaps:
                k = max(k, 4)
            villages = self.villages_of[town.code]
            chosen = sorted(rng.sample(villages, min(k - 1, len(villages))), key=lambda v: v.code)
            # Every town has one grid for its offices and enterprises (机关企事业单位网格).
            grids = [
                GridPlan(
                    f"G-{town.code}-01", f"{town.name}机关企事业单位网格", town.code, town.code
                )
            ]
            for n, village in enumerate(chosen, start=2):
                grids.append(
                    GridPlan(
                        f"G-{town.code}-{n:02d}", f"{village.name}网格", village.code, town.code
                    )
                )
            self.grids_of[town.code] = grids

    def build_terms(self) -> None:
        rng = self.rng

        def term(congress: str, number: int, start: dt.date) -> None:
            end = start.replace(year=start.year + 5) - dt.timedelta(days=1)
            self.terms.append(TermPlan(congress, number, start, end))

        term(self.congress_code(CITY_CODE), 17, dt.date(2022, 2, 16))
        for county in self.counties:
            term(self.congress_code(county.code), rng.choice([17, 18, 19]), dt.date(2021, 12, 28))
        for town in self.all_towns:
            if self.is_township(town):
                term(self.congress_code(town.code), rng.choice([18, 19, 20]), dt.date(2021, 12, 15))

    # --- deputies -----------------------------------------------------------------------

    def _person(
        self, *, level: str, town: RegionPlan, village: RegionPlan | None = None
    ) -> PersonPlan:
        rng = self.rng
        village = village or rng.choice(self.villages_of[town.code])
        county = self.region_by_code[town.parent or ""]
        female = rng.random() < _FEMALE_SHARE
        sector = rng.choices(SECTORS, weights=_SECTOR_WEIGHTS[level])[0]
        place = Place(CITY_NAME, county.name, town.name, village.name, village.suffix == "社区")
        work_unit, post = work_unit_and_post(rng, sector=sector, place=place)
        person = PersonPlan(
            name=person_name(rng, female=female),
            gender="female" if female else "male",
            phone=self.phones.take(),
            sector=sector,
            work_unit=work_unit,
            post=post,
            town=town.code,
            village=village.code,
        )
        self.persons.append(person)
        return person

    def build_deputies(self, *, persona_town: RegionPlan) -> None:
        rng, spec = self.rng, self.spec
        county_deputies: dict[str, list[PersonPlan]] = {}
        for county in self.counties:
            towns = self.towns_of[county.code]
            congress = self.congress_code(county.code)
            people = []
            for i in range(spec.county_seats_per_county):
                # Round-robin over the towns, so every town (and every grid) has deputies.
                town = towns[i % len(towns)]
                person = self._person(level="county", town=town)
                constituency = f"{town.name}第{rng.choice(_CONSTITUENCY_NUMBERS)}选区"
                person.seats.append(SeatPlan(congress, constituency))
                people.append(person)
            county_deputies[county.code] = people

        # City deputies are elected by the county congresses, so a share of them are county
        # deputies already; the constituency is the county's delegation.
        city_rd = self.congress_code(CITY_CODE)
        per_county, extra = divmod(spec.city_seats, len(self.counties))
        for n, county in enumerate(self.counties):
            seats = per_county + (1 if n < extra else 0)
            reused = rng.sample(county_deputies[county.code], round(seats * spec.city_also_county))
            fresh = [
                self._person(level="city", town=rng.choice(self.towns_of[county.code]))
                for _ in range(seats - len(reused))
            ]
            for person in reused + fresh:
                person.seats.append(SeatPlan(city_rd, county.name))

        for town in self.all_towns:
            if not self.is_township(town):
                continue
            seats = rng.randint(*spec.town_seats_per_township)
            candidates = [
                p
                for p in county_deputies[town.parent or ""]
                if p.town == town.code and len(p.seats) == 1
            ]
            reused = rng.sample(
                candidates, min(len(candidates), round(seats * spec.town_also_county))
            )
            fresh = [self._person(level="town", town=town) for _ in range(seats - len(reused))]
            congress = self.congress_code(town.code)
            for person in reused + fresh:
                village = self.region_by_code[person.village]
                person.seats.append(SeatPlan(congress, f"{village.name}选区"))

        self._build_persona(persona_town)

    def _build_persona(self, town: RegionPlan) -> None:
        """The `deputy` account's person: a county and town deputy in town_clerk's town, with
        a station and the town's second grid (its first village grid)."""
        grid = self.grids_of[town.code][1]
        village = self.region_by_code[grid.region]
        person = PersonPlan(
            name="周明远",
            gender="male",
            phone=self.phones.take(),
            sector="农业",
            work_unit=f"{village.name}股份经济合作社",
            post="党支部书记",
            town=town.code,
            village=village.code,
            username="deputy",
        )
        person.seats.append(SeatPlan(self.congress_code(town.parent or ""), f"{town.name}第一选区"))
        person.seats.append(SeatPlan(self.congress_code(town.code), f"{village.name}选区"))
        self.persons.append(person)

    def build_memberships(self, *, town_with_gaps: str) -> None:
        """进站 and 进网格. Every deputy takes duty at the station of their home town; some also
        at their village's point, their sector's station or a cross-region station."""
        rng = self.rng
        sector_station = {
            sector: f"S-HY-{i:02d}" for i, (sector, _) in enumerate(SECTOR_STATIONS, 1)
        }
        cross_by_town: dict[str, list[str]] = {}
        for station in self.cross_region:
            for town in (station.region, station.serves_region or ""):
                cross_by_town.setdefault(town, []).append(station.code)
        first_day = dt.date(2022, 3, 1)
        for person in self.persons:
            since = first_day + dt.timedelta(days=rng.randint(0, 600))
            person.stations.append((f"S-{person.town}", since))
            if person.username:
                continue
            if person.village in self.points and rng.random() < 0.5:
                person.stations.append((self.points[person.village], since))
            if person.sector in sector_station and rng.random() < 0.25:
                person.stations.append((sector_station[person.sector], since))
            for code in cross_by_town.get(person.town, []):
                if rng.random() < 0.3:
                    person.stations.append((code, since))

        residents: dict[str, list[PersonPlan]] = {}
        for person in self.persons:
            if not person.username:
                residents.setdefault(person.town, []).append(person)
        for town in self.all_towns:
            grids = self.grids_of[town.code]
            if town.code == town_with_gaps:
                # The persona holds the second grid; the last two stay without a deputy, so
                # the town shows what "a grid nobody looks after" looks like.
                persona = next(p for p in self.persons if p.username == "deputy")
                persona.grids.append(grids[1].code)
                grids = grids[:-2]
            people = residents.get(town.code, [])
            for grid in grids:
                here = [p for p in people if p.village == grid.region]
                others = [p for p in people if p.village != grid.region]
                wanted = rng.randint(1, 3)
                picked = here[:wanted] + rng.sample(
                    others, max(0, min(len(others), wanted - len(here)))
                )
                for person in picked:
                    person.grids.append(grid.code)

    # --- accounts -----------------------------------------------------------------------

    def build_accounts(
        self, *, county: RegionPlan, town: RegionPlan, other_town: RegionPlan
    ) -> None:
        city_rd = self.congress_code(CITY_CODE)
        persona = next(p for p in self.persons if p.username == "deputy")
        rows = [
            ("admin", "林志强", "system_admin", None, None),
            ("city_clerk", "陈晓燕", "congress_clerk", city_rd, None),
            ("county_clerk", "王建华", "congress_clerk", self.congress_code(county.code), None),
            ("town_clerk", "李红梅", "congress_clerk", self.congress_code(town.code), None),
            (
                "other_town_clerk",
                "赵国庆",
                "congress_clerk",
                self.congress_code(other_town.code),
                None,
            ),
            ("station_clerk", "刘春燕", "station_clerk", None, f"S-{town.code}"),
            ("unit_handler", "吴海涛", "handler", f"{CITY_CODE}ZF-B01", None),
            ("deputy", persona.name, "deputy", self.congress_code(county.code), None),
            ("leader", "郑德明", "leader", city_rd, None),
            ("citizen", "黄小芳", "", None, None),
        ]
        assert [row[0] for row in rows] == DEMO_USERNAMES
        for username, full_name, role, unit, station in rows:
            phone = persona.phone if username == "deputy" else self.phones.take()
            self.accounts.append(
                AccountPlan(
                    username,
                    full_name,
                    phone,
                    role,
                    unit=unit,
                    station=station,
                    superuser=username == "admin",
                )
            )


def city_plan(*, size: str, seed: int) -> CityPlan:
    """The whole demo city for a size and a seed; the same arguments give an equal plan."""
    if size not in SIZES:
        raise ValueError(f"未知的演示规模“{size}”，可选：{'、'.join(SIZES)}。")
    b = _Builder(size=size, seed=seed)
    b.build_regions()
    b.build_units()
    b.build_stations()
    # town_clerk's town is the first town (镇) of the first county; other_town_clerk's is a
    # town of the second county, so the two clerks' scopes cannot overlap.
    county, other_county = b.counties[0], b.counties[1]
    town = next(t for t in b.towns_of[county.code] if b.is_township(t))
    other_towns = b.towns_of[other_county.code]
    other_town = next((t for t in other_towns if b.is_township(t)), other_towns[0])
    b.build_grids(town_with_gaps=town.code)
    b.build_terms()
    b.build_deputies(persona_town=town)
    b.build_memberships(town_with_gaps=town.code)
    b.build_accounts(county=county, town=town, other_town=other_town)
    return CityPlan(
        size=size,
        seed=seed,
        regions=b.regions,
        units=b.units,
        stations=b.stations,
        grids=[g for t in b.all_towns for g in b.grids_of[t.code]],
        terms=b.terms,
        persons=b.persons,
        accounts=b.accounts,
        sectors=list(SECTORS),
    )
