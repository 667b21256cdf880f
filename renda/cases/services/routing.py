"""Routing by jurisdiction level: assign (交办), escalate (上报), send down (下转)."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from renda.accounts.models import User
from renda.cases.models import Assignment, Case, UrgencyTier
from renda.cases.services._core import begin, clean_text, move
from renda.cases.workflow import Action
from renda.org.models import OrgUnit
from renda.workcal.calendar import add_working_days


def _check_handling_unit(unit: OrgUnit, congress: OrgUnit) -> None:
    if unit.kind != OrgUnit.Kind.HANDLING_UNIT or not unit.is_active:
        raise ValidationError({"unit": f"“{unit.name}”不是在用的承办单位，不能交办。"})
    # "At the congress's own level" is read as within its jurisdiction: a district congress
    # assigns to district departments and to its street offices, which are the district
    # government's own agencies (派出机关); a city department is the city congress's to assign.
    if not unit.region.path.startswith(congress.region.path):
        raise ValidationError({"unit": f"“{unit.name}”不在“{congress.name}”的辖区内，不能交办。"})


@transaction.atomic
def case_assign(
    *,
    case: Case,
    actor: User,
    version: int,
    lead_unit: OrgUnit,
    urgency: UrgencyTier | None = None,
    working_days: int | None = None,
    co_units: Sequence[OrgUnit] = (),
    note: str = "",
) -> Case:
    """交办 to one lead unit (主办) and optional co-units (协办), each with the deadline of the
    urgency tier counted in working days from today; or, without a tier, of `working_days`
    (a supervision item's own 整改时限)."""
    fresh, _ = begin(Action.ASSIGN, case=case, actor=actor, version=version)
    days = urgency.working_days if urgency is not None else working_days
    if days is None or days < 1:
        raise ValidationError({"urgency": "请选择办理时限。"})
    congress = OrgUnit.objects.select_related("region").get(pk=fresh.congress_id)
    _check_handling_unit(lead_unit, congress)
    co_ids: set[int] = set()
    for unit in co_units:
        _check_handling_unit(unit, congress)
        if unit.pk == lead_unit.pk:
            raise ValidationError({"co_units": "协办单位不能与主办单位相同。"})
        if unit.pk in co_ids:
            raise ValidationError({"co_units": f"协办单位“{unit.name}”重复。"})
        co_ids.add(unit.pk)
    now = timezone.now()
    deadline = add_working_days(timezone.localdate(), days)
    round_ = fresh.unsatisfied_count + 1
    for unit, role in [(lead_unit, Assignment.Role.LEAD)] + [
        (unit, Assignment.Role.CO) for unit in co_units
    ]:
        assignment = Assignment(
            case=fresh,
            unit=unit,
            role=role,
            deadline=deadline,
            assigned_by=actor,
            assigned_at=now,
            round=round_,
        )
        assignment.full_clean()
        assignment.save()
    return move(
        Action.ASSIGN,
        case=case,
        fresh=fresh,
        actor=actor,
        version=version,
        changes={"urgency": urgency, "deadline": deadline},
        note=clean_text(note, label="交办意见", max_length=500, required=False),
        data={
            "lead_unit": lead_unit.pk,
            "co_units": [u.pk for u in co_units],
            "urgency": urgency.name if urgency is not None else f"{days}个工作日",
            "deadline": deadline.isoformat(),
        },
    )


def parent_congress(congress: OrgUnit) -> OrgUnit | None:
    """The nearest congress body above `congress` in the unit tree."""
    step = OrgUnit.steplen
    paths = [congress.path[:end] for end in range(step, len(congress.path), step)]
    return (
        OrgUnit.objects.filter(path__in=paths, kind__in=OrgUnit.CONGRESS_KINDS, is_active=True)
        .order_by("-depth")
        .first()
    )


@transaction.atomic
def case_escalate(*, case: Case, actor: User, version: int, note: str = "") -> Case:
    """上报: the matter is above this level; the parent congress takes over the routing."""
    fresh, _ = begin(Action.ESCALATE, case=case, actor=actor, version=version)
    parent = parent_congress(fresh.congress)
    if parent is None:
        raise ValidationError(f"“{fresh.congress.name}”已是最高一级人大，不能上报。")
    return move(
        Action.ESCALATE,
        case=case,
        fresh=fresh,
        actor=actor,
        version=version,
        changes={"congress": parent},
        note=clean_text(note, label="上报理由", max_length=500, required=False),
        data={"from_congress": fresh.congress_id, "to_congress": parent.pk},
    )


@transaction.atomic
def case_send_down(
    *, case: Case, actor: User, version: int, to_congress: OrgUnit, note: str = ""
) -> Case:
    """下转 to a congress below whose jurisdiction holds the case (usually a town's).

    Any congress below may receive it, not only the next level: a city congress may hand a
    street's matter straight to that street's committee.
    """
    fresh, _ = begin(Action.SEND_DOWN, case=case, actor=actor, version=version)
    current = fresh.congress
    if not to_congress.is_congress or not to_congress.is_active:
        raise ValidationError({"congress": f"“{to_congress.name}”不是人大机构，不能下转。"})
    if to_congress.pk == current.pk or not to_congress.path.startswith(current.path):
        raise ValidationError({"congress": f"只能下转给“{current.name}”的下级人大。"})
    if not fresh.region.path.startswith(to_congress.region.path):
        raise ValidationError({"congress": f"该事项不在“{to_congress.name}”的辖区内，不能下转。"})
    return move(
        Action.SEND_DOWN,
        case=case,
        fresh=fresh,
        actor=actor,
        version=version,
        changes={"congress": to_congress},
        note=clean_text(note, label="下转说明", max_length=500, required=False),
        data={"from_congress": current.pk, "to_congress": to_congress.pk},
    )
