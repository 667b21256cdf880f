"""A scripted September 2026 for the report tests, made with the real services.

东湖街道 (town, street committee T1-GW, under 东湖区 D1-RD): 3 counted activities (2 走访选民,
1 调研) with the deputy present, 1 学习培训 (not counted); 3 cases, one answered 已解决, one
escalated street → county → city. 东湖区 itself: 1 视察 and 1 case in 南湖镇 (no congress of
its own). 西山镇 (T3-ZXT, under 西山县 D2-RD): 1 座谈 and 1 case. August has one case of
东湖街道 that September must not count.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from renda.accounts.services import user_create
from renda.activities.models import ActivityKind, Attendance
from renda.activities.services import activity_create
from renda.cases.models import Case, Category, UrgencyTier
from renda.cases.services import (
    case_accept,
    case_assign,
    case_escalate,
    case_reply,
    case_sign,
    case_submit,
)
from renda.org.roles import Role
from renda.org.services import membership_grant
from renda.reports.figures import Month

SHANGHAI = ZoneInfo("Asia/Shanghai")
SEPTEMBER = Month(2026, 9)
# What September holds, per unit code (see the module docstring).
EXPECTED = {
    "T1-GW": {"activities": 3, "attendances": 3, "collected": 3, "solved": 1, "escalated": 1},
    "D1-RD": {"activities": 4, "attendances": 4, "collected": 4, "solved": 1, "escalated": 1},
    "T3-ZXT": {"activities": 1, "attendances": 1, "collected": 1, "solved": 0, "escalated": 0},
    "D2-RD": {"activities": 1, "attendances": 1, "collected": 1, "solved": 0, "escalated": 0},
}


def at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=SHANGHAI)


def kind(code: str) -> ActivityKind:
    return ActivityKind.objects.get(code=code)


def opinion(personas, region_key: str, title: str = "湖滨路路灯不亮") -> Case:
    return case_submit(
        actor=personas.citizen,
        title=title,
        content=f"{title}，请尽快处理。",
        category=Category.objects.get(name="城乡建设"),
        region=personas.regions[region_key],
        channel=Case.Channel.PORTAL,
    )


def town_handler(personas):
    user = user_create(
        username="town_handler", password="renda-demo", full_name="街道经办人", validate=False
    )
    membership_grant(user=user, role=Role.HANDLER, unit=personas.units["town_gov"])
    return user


def build_september(personas) -> dict[str, Case]:
    cases: dict[str, Case] = {}
    with time_machine.travel(at(2026, 8, 20), tick=False):
        cases["august"] = opinion(personas, "village", "八月的旧事项")
    with time_machine.travel(at(2026, 9, 25), tick=False):
        deputy = personas.deputies["deputy"]
        attended = [(deputy, Attendance.Status.ATTENDED)]
        for code, day in [("visit_voters", 3), ("visit_voters", 10), ("research", 12)]:
            activity_create(
                actor=personas.station_clerk,
                kind=kind(code),
                title=f"{kind(code).name}（9月{day}日）",
                date=dt.date(2026, 9, day),
                station=personas.stations["town"],
                attendance=attended,
            )
        activity_create(
            actor=personas.station_clerk,
            kind=kind("study"),
            title="代表学习",
            date=dt.date(2026, 9, 15),
            station=personas.stations["town"],
            attendance=attended,
        )
        activity_create(
            actor=personas.county_clerk,
            kind=kind("inspection"),
            title="区人大视察老旧小区改造",
            date=dt.date(2026, 9, 18),
            region=personas.regions["county"],
            organiser=personas.units["county"],
            attendance=attended,
        )
        activity_create(
            actor=personas.other_town_clerk,
            kind=kind("forum"),
            title="西山镇企业座谈",
            date=dt.date(2026, 9, 20),
            region=personas.regions["other_town"],
            organiser=personas.units["other_town"],
            attendance=[(personas.deputies["other"], Attendance.Status.ATTENDED)],
        )
    with time_machine.travel(at(2026, 9, 5), tick=False):
        cases["solved"] = opinion(personas, "village", "小区门口积水")
        cases["escalated"] = opinion(personas, "village", "跨区公交线路调整")
        cases["plain"] = opinion(personas, "town", "菜场噪音")
        cases["town2"] = opinion(personas, "town2", "南湖镇桥梁破损")
        cases["other"] = opinion(personas, "other_village", "西山村道路坑洼")
    handler = town_handler(personas)
    with time_machine.travel(at(2026, 9, 8), tick=False):
        case = cases["solved"]
        case = case_accept(case=case, actor=personas.town_clerk, version=case.version)
        case = case_assign(
            case=case,
            actor=personas.town_clerk,
            version=case.version,
            lead_unit=personas.units["town_gov"],
            urgency=UrgencyTier.objects.get(name="一般"),
        )
        case = case_sign(case=case, actor=handler, version=case.version)
        cases["solved"] = case_reply(
            case=case,
            actor=handler,
            version=case.version,
            result_class=Case.ResultClass.SOLVED,
            reply="已疏通排水管道。",
        )
        case = cases["escalated"]
        case = case_accept(case=case, actor=personas.town_clerk, version=case.version)
        case = case_escalate(case=case, actor=personas.town_clerk, version=case.version)
        cases["escalated"] = case_escalate(
            case=case, actor=personas.county_clerk, version=case.version
        )
    return cases
