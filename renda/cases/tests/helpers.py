"""Cases made with the real services (Zulip's way), so every one has the events a real one
would have. Dates are in Shanghai time."""

import datetime as dt
from zoneinfo import ZoneInfo

from renda.cases.models import Case, Category, UrgencyTier
from renda.cases.services import case_accept, case_assign, case_escalate, case_sign, case_submit

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=SHANGHAI)


def tier(name: str) -> UrgencyTier:
    return UrgencyTier.objects.get(name=name)


def category(name: str = "城乡建设") -> Category:
    return Category.objects.get(name=name)


def submit(personas, *, actor="citizen", **overrides) -> Case:
    """A citizen's opinion from 湖滨社区 (东湖街道), through the intake service; `actor=None`
    is an anonymous citizen."""
    fields = {
        "actor": personas.citizen if actor == "citizen" else actor,
        "title": "湖滨路路灯不亮",
        "content": "湖滨路北段三盏路灯已坏一周，夜间行人不便。",
        "category": category(),
        "region": personas.regions["village"],
        "grid": personas.grids["town"],
        "channel": Case.Channel.PORTAL,
    }
    fields.update(overrides)
    return case_submit(**fields)


def accepted(personas, **overrides) -> Case:
    case = submit(personas, **overrides)
    return case_accept(case=case, actor=personas.town_clerk, version=case.version)


def assigned_to_town(personas, *, urgency: str = "一般", **overrides) -> Case:
    """Accepted by the street committee and assigned to 东湖街道办事处 (lead)."""
    case = accepted(personas, **overrides)
    return case_assign(
        case=case,
        actor=personas.town_clerk,
        version=case.version,
        lead_unit=personas.units["town_gov"],
        urgency=tier(urgency),
    )


def handling_by_town(personas, town_handler, **kwargs) -> Case:
    case = assigned_to_town(personas, **kwargs)
    return case_sign(case=case, actor=town_handler, version=case.version)


def escalated(personas) -> Case:
    case = accepted(personas)
    return case_escalate(case=case, actor=personas.town_clerk, version=case.version)
