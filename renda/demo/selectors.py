"""Reads for the `seed_demo` command: what the demo city holds, and its demo accounts.

These serve the person starting the server, not a signed-in user, so they take no scope.
"""

from dataclasses import dataclass, fields

from django.db.models import Count, Prefetch

from renda.accounts.models import User
from renda.cases.models import Case, CaseEvent
from renda.cases.selectors import overdue
from renda.demo.plan import CITY_NAME, DEMO_PASSWORD, DEMO_USERNAMES
from renda.deputies.models import Deputy, GridAssignment, Seat, StationMembership, Term
from renda.org.models import Grid, Installation, Membership, OrgUnit, Region, Station


@dataclass(frozen=True)
class DemoSummary:
    size: str
    seed: int
    counties: int
    towns: int
    villages: int
    units: int
    congress_units: int
    handling_units: int
    terms: int
    stations: int
    points: int
    sector_stations: int
    cross_region_stations: int
    grids: int
    grids_without_deputy: int
    deputies: int
    deputies_with_two_seats: int
    city_seats: int
    county_seats: int
    town_seats: int
    station_memberships: int
    grid_assignments: int
    accounts: int
    cases: int = 0
    cases_waiting: int = 0
    cases_handling: int = 0
    cases_overdue: int = 0
    cases_replied: int = 0
    cases_closed: int = 0
    cases_rejected_or_merged: int = 0
    case_events: int = 0
    suggestions: int = 0
    accounts_of_record: int = 0

    LABELS = {
        "counties": "县（市、区）",
        "towns": "乡镇街道",
        "villages": "村社区",
        "units": "组织单位",
        "congress_units": "其中人大机构",
        "handling_units": "其中承办单位",
        "terms": "届次",
        "stations": "联络站点（总站/站/点）",
        "points": "其中联络点",
        "sector_stations": "其中行业站",
        "cross_region_stations": "其中跨区域站",
        "grids": "网格",
        "grids_without_deputy": "其中无代表网格",
        "deputies": "代表（人）",
        "deputies_with_two_seats": "其中兼任两级代表",
        "city_seats": "市级代表资格",
        "county_seats": "县级代表资格",
        "town_seats": "乡镇级代表资格",
        "station_memberships": "进站代表（人次）",
        "grid_assignments": "代表进网格（人次）",
        "accounts": "演示账号",
        "accounts_of_record": "其他工作人员与群众账号（不可登录）",
        "cases": "民情事项",
        "cases_waiting": "其中待受理、待交办",
        "cases_handling": "其中待签收、办理中",
        "cases_overdue": "其中已超期",
        "cases_replied": "其中待评价",
        "cases_closed": "其中已办结",
        "cases_rejected_or_merged": "其中不予受理、已合并",
        "case_events": "办理记录（条）",
        "suggestions": "代表建议",
    }

    def rows(self) -> list[tuple[str, int]]:
        return [
            (self.LABELS[f.name], getattr(self, f.name))
            for f in fields(self)
            if f.name in self.LABELS
        ]


def demo_summary(*, size: str, seed: int) -> DemoSummary:
    """Counts of what the database holds, by the shape of the demo city."""
    regions = dict(Region.objects.order_by().values_list("level").annotate(n=Count("pk")))
    seats = dict(
        Seat.objects.order_by().values_list("term__congress__region__level").annotate(n=Count("pk"))
    )
    stations = Station.objects.all()
    return DemoSummary(
        size=size,
        seed=seed,
        counties=regions.get("county", 0),
        towns=regions.get("town", 0),
        villages=regions.get("village", 0),
        units=OrgUnit.objects.count(),
        congress_units=OrgUnit.objects.exclude(kind=OrgUnit.Kind.HANDLING_UNIT).count(),
        handling_units=OrgUnit.objects.filter(kind=OrgUnit.Kind.HANDLING_UNIT).count(),
        terms=Term.objects.count(),
        stations=stations.count(),
        points=stations.filter(kind=Station.Kind.POINT).count(),
        sector_stations=stations.filter(specialty=Station.Specialty.SECTOR).count(),
        cross_region_stations=stations.filter(specialty=Station.Specialty.CROSS_REGION).count(),
        grids=Grid.objects.count(),
        grids_without_deputy=Grid.objects.filter(deputy_assignments__isnull=True).count(),
        deputies=Deputy.objects.count(),
        deputies_with_two_seats=Deputy.objects.annotate(n=Count("seats")).filter(n__gte=2).count(),
        city_seats=seats.get("city", 0),
        county_seats=seats.get("county", 0),
        town_seats=seats.get("town", 0),
        station_memberships=StationMembership.objects.count(),
        grid_assignments=GridAssignment.objects.count(),
        accounts=User.objects.filter(username__in=DEMO_USERNAMES).count(),
        accounts_of_record=User.objects.exclude(username__in=DEMO_USERNAMES).count(),
        **_case_counts(),
    )


def _case_counts() -> dict[str, int]:
    # Deputies' suggestions and motions are counted apart (one not accepted is an opinion).
    opinions = Case.objects.exclude(kind__in=[Case.Kind.SUGGESTION, Case.Kind.MOTION])
    states = dict(opinions.order_by().values_list("state").annotate(n=Count("pk")))
    S = Case.State
    return {
        "cases": sum(states.values()),
        "cases_waiting": states.get(S.SUBMITTED, 0) + states.get(S.ACCEPTED, 0),
        "cases_handling": states.get(S.ASSIGNED, 0) + states.get(S.HANDLING, 0),
        "cases_overdue": overdue(opinions).count(),
        "cases_replied": states.get(S.REPLIED, 0),
        "cases_closed": states.get(S.CLOSED, 0),
        "cases_rejected_or_merged": states.get(S.REJECTED, 0) + states.get(S.MERGED, 0),
        "case_events": CaseEvent.objects.count(),
        "suggestions": Case.objects.filter(kind=Case.Kind.SUGGESTION).count(),
    }


def org_has_regions() -> bool:
    return Region.objects.exists()


def demo_installation() -> Installation | None:
    """The installation row when it is a demo, else None."""
    return Installation.objects.filter(is_demo=True).order_by("pk").first()


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    full_name: str
    role: str
    place: str


def demo_accounts() -> list[DemoAccount]:
    """The demo accounts that exist, each with its role and where it sits, in Chinese."""
    users = {
        u.username: u
        for u in User.objects.filter(username__in=DEMO_USERNAMES).prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(is_active=True)
                .select_related("unit", "station")
                .order_by("pk"),
            )
        )
    }
    rows = []
    for username in DEMO_USERNAMES:
        user = users.get(username)
        if user is None:
            continue
        memberships = list(user.memberships.all())
        if memberships:
            role = "、".join(m.get_role_display() for m in memberships)
            place = "、".join(
                str(m.station or m.unit or f"全系统（{CITY_NAME}）") for m in memberships
            )
        else:
            role, place = "群众", "无岗位"
        if user.is_superuser:
            role += "（超级用户）"
        rows.append(DemoAccount(username, DEMO_PASSWORD, user.full_name, role, place))
    return rows
