"""What the portal reads. A citizen sees only the cases they can prove are theirs (account,
collecting deputy, or tracking code with the phone's last four digits) and the published
ones; the public never sees a name, a phone, an address, a staff member or an internal note.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from renda.cases.models import Case, CaseEvent
from renda.cases.workflow import TRANSITIONS, Action
from renda.org.models import Grid, Level, OrgUnit, Region

S = Case.State

# --- places ---------------------------------------------------------------------------------


def town_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Towns grouped under their county (区县), for a select with optgroups: one query."""
    groups: list[tuple[str, list[tuple[int, str]]]] = []
    names: dict[str, str] = {}
    rows = Region.objects.filter(level__in=[Level.COUNTY, Level.TOWN]).order_by("path")
    for region in rows.only("pk", "name", "level", "path"):
        if region.level == Level.COUNTY:
            names[region.path] = region.name
            groups.append((region.name, []))
            continue
        parent = names.get(region.path[: -Region.steplen], "")
        if not groups or groups[-1][0] != parent:
            groups.append((parent, []))
        groups[-1][1].append((region.pk, region.name))
    return [(label, towns) for label, towns in groups if towns]


def region_of_level(value, level: str) -> Region | None:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return Region.objects.filter(pk=pk, level=level).first()


def villages_of(town: Region) -> QuerySet[Region]:
    return Region.objects.filter(
        path__startswith=town.path, depth=town.depth + 1, level=Level.VILLAGE
    ).order_by("code")


def grids_for_place(region: Region) -> QuerySet[Grid]:
    """The grids a case from `region` may name: those inside it, and those of the town it lies
    in (a grid may be drawn over a whole town)."""
    ancestors = [
        region.path[:end] for end in range(Region.steplen, len(region.path), Region.steplen)
    ]
    return (
        Grid.objects.filter(is_active=True)
        .filter(Q(region__path__startswith=region.path) | Q(region__path__in=ancestors))
        .select_related("region")
        .order_by("code")
    )


# --- a case as its submitter sees it ---------------------------------------------------------

# What a submitter reads as the state of their case.
PUBLIC_STATE = {
    S.SUBMITTED: "已提交，等待受理",
    S.ACCEPTED: "已受理，正在分派",
    S.ASSIGNED: "已交办承办单位",
    S.HANDLING: "承办单位办理中",
    S.REPLIED: "已答复，请您评价",
    S.CLOSED: "已办结",
    S.REJECTED: "不予受理",
    S.MERGED: "已与相同事项合并办理",
}

# The steps a submitter sees: routing and answers, with the units that took them. Returns,
# extensions, supervision and every note stay inside.
_PUBLIC_ACTIONS = (
    Action.SUBMIT,
    Action.ACCEPT,
    Action.REJECT,
    Action.MERGE,
    Action.ASSIGN,
    Action.ESCALATE,
    Action.SEND_DOWN,
    Action.SIGN,
    Action.REPLY,
    Action.RATE,
    Action.REOPEN,
    Action.CLOSE_UNRATED,
)


@dataclass(frozen=True)
class Milestone:
    at: datetime
    label: str
    detail: str


def case_by_code(code: str) -> Case | None:
    return (
        Case.objects.select_related("category", "region", "collected_by", "merged_into")
        .filter(code=code)
        .first()
    )


def _unit_ids(event: CaseEvent) -> list[int]:
    data = event.data or {}
    ids = [data.get(key) for key in ("congress", "to_congress", "lead_unit", "unit")]
    ids += data.get("co_units") or []
    return [i for i in ids if isinstance(i, int)]


def public_milestones(case: Case) -> list[Milestone]:
    """The case's public timeline: two queries (events, unit names), no staff names, no notes.
    The congress that owns the case is followed through intake, escalation and sending down."""
    events = list(
        case.events.filter(action__in=[a.value for a in _PUBLIC_ACTIONS])
        .only("action", "data", "created_at")
        .order_by("created_at", "pk")
    )
    ids = {i for event in events for i in _unit_ids(event)}
    names = dict(OrgUnit.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    congress = ""
    steps: list[Milestone] = []
    for event in events:
        data = event.data or {}
        action = Action(event.action)
        label = TRANSITIONS[action].label
        detail = ""
        if action == Action.SUBMIT:
            congress = names.get(data.get("congress"), "")
            label, detail = "提交", f"转{congress}受理" if congress else ""
        elif action in (Action.ESCALATE, Action.SEND_DOWN):
            congress = names.get(data.get("to_congress"), "")
            detail = f"转{congress}办理" if congress else ""
        elif action in (Action.ACCEPT, Action.REJECT, Action.MERGE):
            detail = congress
        elif action == Action.ASSIGN:
            lead = names.get(data.get("lead_unit"), "")
            co = "、".join(names[i] for i in data.get("co_units") or [] if i in names)
            detail = f"{congress}交办：主办 {lead}" + (f"；协办 {co}" if co else "")
        elif action in (Action.SIGN, Action.REPLY):
            detail = names.get(data.get("unit"), "")
        elif action == Action.RATE:
            detail = Case.Rating(data["rating"]).label if data.get("rating") else ""
        elif action == Action.REOPEN:
            label, detail = "评价", "不满意，重新办理"
        elif action == Action.CLOSE_UNRATED:
            label, detail = "办结", "答复后逾期未评价，自动办结"
        steps.append(Milestone(at=event.created_at, label=label, detail=detail))
    return steps


# --- lists ----------------------------------------------------------------------------------

_PUBLIC_FIELDS = (
    "code",
    "title",
    "content",
    "state",
    "result_class",
    "reply",
    "created_at",
    "replied_at",
    "category__name",
    "region__name",
)


def published_cases() -> QuerySet[Case]:
    """Cases their submitters agreed to publish, once answered: newest answer first. Only
    the fields a public page shows are loaded — never a name, phone or address."""
    return (
        Case.objects.filter(is_public=True, state__in=[S.REPLIED, S.CLOSED])
        .select_related("category", "region")
        .only(*_PUBLIC_FIELDS)
        .order_by("-replied_at", "-pk")
    )


def own_cases(user) -> QuerySet[Case]:
    """我的反映: the cases the user submitted from their own account."""
    return (
        Case.objects.filter(submitter=user)
        .select_related("category", "region")
        .order_by("-created_at", "-pk")
    )


def collected_cases(deputy) -> QuerySet[Case]:
    """The cases a deputy recorded for voters (代表收集)."""
    return (
        Case.objects.filter(collected_by=deputy)
        .select_related("category", "region")
        .order_by("-created_at", "-pk")
    )
