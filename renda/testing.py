"""A small city for tests, with one persona per role (healthchecks' alice/bob/charlie).

东湖区 (county) holds 东湖街道 (town_clerk's) and 南湖镇; 西山县 holds 西山镇
(other_town_clerk's). Tests ask for `personas` and get users and places by name.
"""

import datetime as dt
import importlib
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType

from renda.accounts.models import User
from renda.accounts.services import user_create
from renda.deputies.models import Deputy, GridAssignment, Seat, Sector, StationMembership, Term
from renda.org.models import Grid, Level, OrgUnit, Region, Station
from renda.org.roles import Role
from renda.org.services import (
    grid_create,
    membership_grant,
    region_create,
    station_create,
    unit_create,
)

PASSWORD = "renda-demo"


def restore_migration_data() -> None:
    """Put back what migrations wrote, for a transactional test.

    Such a test runs on a database that the previous transactional test flushed: the rows that
    data migrations seeded (calendar, case dictionaries) are gone, and the content types were
    recreated under new ids that Django's cache does not know yet.
    """
    from renda.workcal.services import calendar_seed

    ContentType.objects.clear_cache()
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
    importlib.import_module("renda.cases.migrations.0002_seed_dictionaries").seed(apps, None)
    importlib.import_module("renda.activities.migrations.0002_seed_kinds").seed(apps, None)
    importlib.import_module("renda.duty.migrations.0002_default_rules").seed(apps, None)
    importlib.import_module("renda.duty.migrations.0004_default_activity_rules").seed(apps, None)
    calendar_seed()


@dataclass
class Personas:
    regions: dict[str, Region]
    units: dict[str, OrgUnit]
    stations: dict[str, Station]
    grids: dict[str, Grid]
    deputies: dict[str, Deputy]
    users: dict[str, User]

    def __getattr__(self, name: str) -> User:
        try:
            return self.users[name]
        except KeyError:
            raise AttributeError(name) from None


def build_personas() -> Personas:
    r: dict[str, Region] = {}
    r["province"] = region_create(code="330000", name="示例省", level=Level.PROVINCE, parent=None)
    r["city"] = region_create(code="331000", name="示例市", level=Level.CITY, parent=r["province"])
    r["county"] = region_create(code="331002", name="东湖区", level=Level.COUNTY, parent=r["city"])
    r["other_county"] = region_create(
        code="331003", name="西山县", level=Level.COUNTY, parent=r["city"]
    )
    r["town"] = region_create(
        code="331002001", name="东湖街道", level=Level.TOWN, parent=r["county"]
    )
    r["town2"] = region_create(
        code="331002002", name="南湖镇", level=Level.TOWN, parent=r["county"]
    )
    r["other_town"] = region_create(
        code="331003001", name="西山镇", level=Level.TOWN, parent=r["other_county"]
    )
    r["village"] = region_create(
        code="331002001001", name="湖滨社区", level=Level.VILLAGE, parent=r["town"]
    )
    r["other_village"] = region_create(
        code="331003001001", name="西山村", level=Level.VILLAGE, parent=r["other_town"]
    )

    K = OrgUnit.Kind
    u: dict[str, OrgUnit] = {}
    u["city"] = unit_create(
        code="C-RD", name="示例市人大常委会", kind=K.CONGRESS, region=r["city"], parent=None
    )
    u["city_committee"] = unit_create(
        code="C-RD-DBGW",
        name="代表工作委员会",
        kind=K.COMMITTEE,
        region=r["city"],
        parent=u["city"],
    )
    u["county"] = unit_create(
        code="D1-RD", name="东湖区人大常委会", kind=K.CONGRESS, region=r["county"], parent=u["city"]
    )
    u["other_county"] = unit_create(
        code="D2-RD",
        name="西山县人大常委会",
        kind=K.CONGRESS,
        region=r["other_county"],
        parent=u["city"],
    )
    u["town"] = unit_create(
        code="T1-GW",
        name="东湖街道人大工委",
        kind=K.STREET_COMMITTEE,
        region=r["town"],
        parent=u["county"],
    )
    u["other_town"] = unit_create(
        code="T3-ZXT",
        name="西山镇人大主席团",
        kind=K.PRESIDIUM,
        region=r["other_town"],
        parent=u["other_county"],
    )
    u["city_gov"] = unit_create(
        code="C-ZF",
        name="示例市人民政府",
        kind=K.HANDLING_UNIT,
        handling_kind="other",
        region=r["city"],
        parent=None,
    )
    u["city_dept"] = unit_create(
        code="C-ZJJ",
        name="示例市住房和城乡建设局",
        kind=K.HANDLING_UNIT,
        handling_kind="department",
        region=r["city"],
        parent=u["city_gov"],
    )
    u["town_gov"] = unit_create(
        code="T1-BSC",
        name="东湖街道办事处",
        kind=K.HANDLING_UNIT,
        handling_kind="town_government",
        region=r["town"],
        parent=u["city_gov"],
    )
    u["other_town_gov"] = unit_create(
        code="T3-ZF",
        name="西山镇人民政府",
        kind=K.HANDLING_UNIT,
        handling_kind="town_government",
        region=r["other_town"],
        parent=u["city_gov"],
    )

    s: dict[str, Station] = {}
    s["hub"] = station_create(
        code="S",
        name="示例市代表联络总站",
        kind="hub",
        region=r["city"],
        congress=u["city"],
        parent=None,
    )
    s["town"] = station_create(
        code="S-T1",
        name="东湖街道代表联络站",
        kind="station",
        region=r["town"],
        congress=u["town"],
        parent=s["hub"],
    )
    s["point"] = station_create(
        code="S-T1-1",
        name="湖滨社区代表联络点",
        kind="point",
        region=r["village"],
        congress=u["town"],
        parent=s["town"],
    )
    s["other_town"] = station_create(
        code="S-T3",
        name="西山镇代表联络站",
        kind="station",
        region=r["other_town"],
        congress=u["other_town"],
        parent=s["hub"],
    )

    g = {
        "town": grid_create(code="G-T1-01", name="湖滨第一网格", region=r["village"]),
        "other_town": grid_create(code="G-T3-01", name="西山第一网格", region=r["other_village"]),
    }

    sector = Sector.objects.create(name="社区")
    start = dt.date(2022, 1, 1)
    terms = {
        key: Term.objects.create(congress=u[key], number=n, start_date=start)
        for key, n in [
            ("city", 17),
            ("county", 8),
            ("other_county", 18),
            ("town", 1),
            ("other_town", 19),
        ]
    }

    users: dict[str, User] = {}

    def person(username: str, full_name: str, role: str | None = None, **place) -> User:
        user = user_create(
            username=username, password=PASSWORD, full_name=full_name, validate=False
        )
        if role is not None:
            membership_grant(user=user, role=role, **place)
        users[username] = user
        return user

    admin = person("admin", "系统管理员", Role.SYSTEM_ADMIN)
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    person("city_clerk", "市人大代表工委干部", Role.CONGRESS_CLERK, unit=u["city"])
    person("county_clerk", "东湖区人大干部", Role.CONGRESS_CLERK, unit=u["county"])
    person("town_clerk", "东湖街道工委干部", Role.CONGRESS_CLERK, unit=u["town"])
    person("other_town_clerk", "西山镇主席团干部", Role.CONGRESS_CLERK, unit=u["other_town"])
    person("other_county_clerk", "西山县人大干部", Role.CONGRESS_CLERK, unit=u["other_county"])
    person("station_clerk", "东湖街道联络站管理员", Role.STATION_CLERK, station=s["town"])
    person("unit_handler", "市住建局经办人", Role.HANDLER, unit=u["city_dept"])
    person("leader", "市人大常委会领导", Role.LEADER, unit=u["city"])
    deputy_user = person("deputy", "张代表", Role.DEPUTY, unit=u["county"])
    person("citizen", "李群众")

    d: dict[str, Deputy] = {}
    d["deputy"] = Deputy.objects.create(
        name="张代表",
        gender="male",
        phone="13900001001",
        work_unit="湖滨社区",
        post="书记",
        sector=sector,
        user=deputy_user,
    )
    Seat.objects.create(deputy=d["deputy"], term=terms["county"], constituency="东湖街道第一选区")
    Seat.objects.create(deputy=d["deputy"], term=terms["town"], constituency="湖滨选区")
    StationMembership.objects.create(deputy=d["deputy"], station=s["town"])
    GridAssignment.objects.create(deputy=d["deputy"], grid=g["town"])
    d["other"] = Deputy.objects.create(
        name="王西山",
        gender="female",
        phone="13900002002",
        work_unit="西山村",
        post="主任",
        sector=sector,
    )
    Seat.objects.create(deputy=d["other"], term=terms["other_town"], constituency="西山选区")
    StationMembership.objects.create(deputy=d["other"], station=s["other_town"])
    GridAssignment.objects.create(deputy=d["other"], grid=g["other_town"])
    d["city"] = Deputy.objects.create(
        name="赵市代", gender="male", phone="13900003003", work_unit="示例市第一医院", post="院长"
    )
    Seat.objects.create(deputy=d["city"], term=terms["city"], constituency="东湖区")

    return Personas(regions=r, units=u, stations=s, grids=g, deputies=d, users=users)
