"""Writes of monthly reports: compute the draft, submit it, submit a correction.

A submitted report is a frozen copy of the figures at that moment; later changes to cases or
activities never alter it. A correction is a new version of the same unit and month with a
reason; the earlier versions stay.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from renda.accounts.models import User
from renda.org.models import OrgUnit
from renda.reports import figures as F
from renda.reports import selectors
from renda.reports.models import MonthlyReport

MAX_TYPICAL = 10
MAX_TYPICAL_TEXT = 500


def report_draft(*, unit: OrgUnit, month: F.Month) -> dict[str, int]:
    """The live figures of the unit for the month (nothing is written)."""
    return F.figures_for_unit(unit, month)


def _typical(actor: User, unit: OrgUnit, picks: list[dict]) -> list[dict]:
    if len(picks) > MAX_TYPICAL:
        raise ValidationError({"typical_cases": f"典型案例最多选 {MAX_TYPICAL} 件。"})
    codes = [p["code"] for p in picks]
    if len(set(codes)) != len(codes):
        raise ValidationError({"typical_cases": "同一事项不能重复选为典型案例。"})
    found = {c.code: c for c in selectors.cases_for_report(actor, unit).filter(code__in=codes)}
    result = []
    for pick in picks:
        case = found.get(pick["code"])
        if case is None:
            raise ValidationError(
                {"typical_cases": f"事项“{pick['code']}”不在本单位辖区内，不能选为典型案例。"}
            )
        text = (pick.get("text") or "").strip()
        if len(text) > MAX_TYPICAL_TEXT:
            raise ValidationError(
                {"typical_cases": f"典型案例“{case.code}”的说明不能超过 {MAX_TYPICAL_TEXT} 字。"}
            )
        result.append({"code": case.code, "title": case.title, "text": text})
    return result


def _check(actor: User, unit: OrgUnit, month: F.Month, now: dt.datetime) -> None:
    if not selectors.can_submit(actor, unit):
        raise PermissionDenied("只有本单位的人大工作人员可以报送月报。")
    if month.end > now:
        raise ValidationError({"month": f"{month.label}尚未结束，月末之后才能报送该月月报。"})


def _create(
    *,
    unit: OrgUnit,
    month: F.Month,
    actor: User,
    version: int,
    notes: str,
    typical_cases: list[dict],
    correction_reason: str,
    now: dt.datetime,
) -> MonthlyReport:
    notes = (notes or "").strip()
    deadline = selectors.deadline_for(month)
    figures = {**F.figures_for_unit(unit, month), "definitions_version": F.DEFINITIONS_VERSION}
    report = MonthlyReport(
        unit=unit,
        month=month.first_day,
        version=version,
        figures=figures,
        notes=notes,
        typical_cases=_typical(actor, unit, typical_cases),
        correction_reason=correction_reason,
        deadline=deadline,
        is_late=timezone.localdate(now) > deadline,
        submitted_by=actor,
        submitted_at=now,
    )
    report.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Someone else submitted the same version a moment earlier.
        raise ValidationError(
            f"{unit.name}{month.label}的月报刚刚已被他人报送，请刷新页面后查看。"
        ) from None
    return report


@transaction.atomic
def report_submit(
    *,
    unit: OrgUnit,
    month: F.Month,
    actor: User,
    notes: str = "",
    typical_cases: list[dict] | None = None,
    now: dt.datetime | None = None,
) -> MonthlyReport:
    """报送: the first version of the unit's report for the month."""
    now = now or timezone.now()
    _check(actor, unit, month, now)
    existing = (
        MonthlyReport.objects.select_for_update()
        .filter(unit=unit, month=month.first_day)
        .order_by("-version")
        .first()
    )
    if existing is not None:
        raise ValidationError(
            f"{unit.name}{month.label}的月报已于 "
            f"{timezone.localtime(existing.submitted_at):%Y-%m-%d %H:%M} 报送（第 "
            f"{existing.version} 版），不能重复报送；如需修改，请提交更正版本。"
        )
    return _create(
        unit=unit,
        month=month,
        actor=actor,
        version=1,
        notes=notes,
        typical_cases=typical_cases or [],
        correction_reason="",
        now=now,
    )


@transaction.atomic
def report_correct(
    *,
    unit: OrgUnit,
    month: F.Month,
    actor: User,
    reason: str,
    notes: str = "",
    typical_cases: list[dict] | None = None,
    now: dt.datetime | None = None,
) -> MonthlyReport:
    """更正: a new version with today's figures; the earlier versions are kept."""
    now = now or timezone.now()
    _check(actor, unit, month, now)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"correction_reason": "请填写更正说明。"})
    if len(reason) > 500:
        raise ValidationError({"correction_reason": "更正说明不能超过 500 字。"})
    last = (
        MonthlyReport.objects.select_for_update()
        .filter(unit=unit, month=month.first_day)
        .order_by("-version")
        .first()
    )
    if last is None:
        raise ValidationError(f"{unit.name}{month.label}的月报尚未报送，请先报送，无需更正。")
    return _create(
        unit=unit,
        month=month,
        actor=actor,
        version=last.version + 1,
        notes=notes,
        typical_cases=typical_cases or [],
        correction_reason=reason,
        now=now,
    )
