"""Supervision: 督办 / 重点督办 with 领办, 催办, and 转为工作议题."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from renda.accounts.models import User
from renda.cases.models import Case
from renda.cases.services._core import begin, clean_text, move
from renda.cases.workflow import Action, CaseActionNotAllowed
from renda.org.models import Membership
from renda.org.roles import Perm, Role
from renda.org.scope import scope_for
from renda.workcal.calendar import working_days_between


@transaction.atomic
def case_supervise(
    *,
    case: Case,
    actor: User,
    version: int,
    level: str,
    lead_leader: User | None = None,
    note: str = "",
) -> Case:
    """Mark a case 督办 or 重点督办 (or lift the mark with `none`), and name the leader who
    leads it (领办). 重点督办 and 领办 are a leader's decision: setting, changing or lifting
    them needs Perm.KEY_SUPERVISION; a clerk may mark and lift plain 督办."""
    fresh, _ = begin(Action.SUPERVISE, case=case, actor=actor, version=version)
    if level not in Case.Supervision.values:
        raise ValidationError({"supervision": "请选择督办方式。"})
    key = Case.Supervision.KEY
    touches_key = key in (level, fresh.supervision) and level != fresh.supervision
    touches_leader = (lead_leader.pk if lead_leader else None) != fresh.lead_leader_id
    if (touches_key or touches_leader) and not scope_for(actor).can(Perm.KEY_SUPERVISION):
        raise CaseActionNotAllowed("重点督办和领办须由具有重点督办权限的领导决定。")
    if (
        lead_leader is not None
        and not Membership.objects.filter(
            user=lead_leader, role=Role.LEADER, is_active=True
        ).exists()
    ):
        raise ValidationError({"lead_leader": f"“{lead_leader}”不是领导，不能领办。"})
    if level == fresh.supervision and not touches_leader:
        raise ValidationError("督办设置没有变化。")
    return move(
        Action.SUPERVISE,
        case=case,
        fresh=fresh,
        actor=actor,
        version=version,
        changes={"supervision": level, "lead_leader": lead_leader},
        note=clean_text(note, label="督办意见", max_length=500, required=False),
        data={
            "from": fresh.supervision,
            "to": level,
            "lead_leader": lead_leader.pk if lead_leader else None,
        },
    )


@transaction.atomic
def case_remind(*, case: Case, actor: User | None, version: int, note: str = "") -> Case:
    """催办 a case whose deadline has passed; the system does it (actor None) on the working
    day after a missed deadline, and a clerk or leader may do it by hand."""
    fresh, _ = begin(Action.REMIND, case=case, actor=actor, version=version)
    assert fresh.deadline is not None
    today = timezone.localdate()
    return move(
        Action.REMIND,
        case=case,
        fresh=fresh,
        actor=actor,
        version=version,
        changes={"last_reminded_at": timezone.now()},
        note=clean_text(note, label="催办意见", max_length=500, required=False),
        data={
            "deadline": fresh.deadline.isoformat(),
            "overdue_working_days": working_days_between(fresh.deadline, today),
        },
    )


@transaction.atomic
def case_convert_to_agenda(*, case: Case, actor: User, version: int, title: str) -> Case:
    """转为工作议题: a hot problem becomes a committee work item; for now its title is the link
    (the work-item model comes with the committee agenda feature)."""
    fresh, _ = begin(Action.CONVERT_TO_AGENDA, case=case, actor=actor, version=version)
    title = clean_text(title, label="议题名称", max_length=200)
    return move(
        Action.CONVERT_TO_AGENDA,
        case=case,
        fresh=fresh,
        actor=actor,
        version=version,
        changes={"agenda_item": title},
        note=title,
    )
