"""Writes of 审议意见: create a draft with its problem list, and issue it (交办).

Issuing turns every item into a case of kind `supervision_item` through the case services
(submit, accept, assign with the item's working days), all in one transaction: either every
item is assigned to its unit or nothing is written.
"""

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from renda.accounts.models import User
from renda.cases.inbox import handling_units_for_congress
from renda.cases.models import Case, Category
from renda.cases.services import case_accept, case_assign, case_submit
from renda.cases.services._core import clean_text
from renda.org.models import OrgUnit
from renda.reviews.models import ProblemItem, ReviewOpinion
from renda.reviews.selectors import may_manage

MAX_ITEMS = 200
MAX_WORKING_DAYS = 250
# A line of the problem list: 类别 | 问题及整改要求 | 责任单位 [| 整改时限（工作日）]. A tab (a row
# copied from a Word or Excel table) or a full-width bar separates the columns as well.
_SEPARATOR = re.compile(r"\s*[|｜\t]\s*")


@dataclass(frozen=True)
class ItemInput:
    category: str
    text: str
    unit: OrgUnit
    working_days: int


def parse_items(lines: str, *, congress: OrgUnit, default_days: int | None) -> list[ItemInput]:
    """The problem list typed or pasted one item a line; every bad line is named at once."""
    units = {u.name: u for u in handling_units_for_congress(congress)}
    items: list[ItemInput] = []
    errors: list[str] = []
    for number, line in enumerate((lines or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = _SEPARATOR.split(line.strip())
        if len(parts) not in (3, 4):
            errors.append(
                f"第{number}行：应为“类别｜问题及整改要求｜责任单位｜整改时限（工作日）”，"
                f"现有{len(parts)}栏。"
            )
            continue
        category, text, unit_name = parts[0], parts[1], parts[2]
        days_text = parts[3] if len(parts) == 4 else ""
        unit = units.get(unit_name)
        if not category or not text:
            errors.append(f"第{number}行：请填写问题类别和问题内容。")
        elif unit is None:
            errors.append(
                f"第{number}行：“{unit_name}”不是{congress.name}可以交办的承办单位，"
                "请填写单位全称。"
            )
        elif days_text and not days_text.isdigit():
            errors.append(f"第{number}行：整改时限应为工作日数（整数），现为“{days_text}”。")
        else:
            days = int(days_text) if days_text else default_days
            if days is None:
                errors.append(f"第{number}行：请填写整改时限（工作日），或填写默认整改时限。")
            elif not 1 <= days <= MAX_WORKING_DAYS:
                errors.append(f"第{number}行：整改时限应在1至{MAX_WORKING_DAYS}个工作日之间。")
            else:
                items.append(ItemInput(category, text, unit, days))
    if errors:
        raise ValidationError(errors)
    if not items:
        raise ValidationError("请填写问题清单，至少一项。")
    if len(items) > MAX_ITEMS:
        raise ValidationError(f"问题清单最多{MAX_ITEMS}项（现有{len(items)}项）。")
    return items


@transaction.atomic
def opinion_create(
    *,
    actor: User,
    congress: OrgUnit,
    title: str,
    subject: str,
    meeting: str = "",
    meeting_date: dt.date,
    text: str = "",
    category: Category,
    items: Sequence[ItemInput],
) -> ReviewOpinion:
    """A draft opinion with its problem list, numbered in the order given."""
    if not may_manage(actor, congress):
        raise ValidationError(f"您无权为“{congress.name}”起草审议意见。")
    if not items:
        raise ValidationError("请填写问题清单，至少一项。")
    if not category.is_active:
        raise ValidationError({"category": f"领域“{category.name}”已停用。"})
    opinion = ReviewOpinion(
        congress=congress,
        title=clean_text(title, label="审议意见标题", max_length=200),
        subject=clean_text(subject, label="审议的报告", max_length=200),
        meeting=clean_text(meeting, label="会议名称", max_length=100, required=False),
        meeting_date=meeting_date,
        text=clean_text(text, label="审议意见", max_length=20000, required=False),
        category=category,
        created_by=actor,
    )
    opinion.full_clean(exclude=["congress", "category", "created_by"])
    opinion.save()
    rows = []
    for number, item in enumerate(items, start=1):
        row = ProblemItem(
            opinion=opinion,
            number=number,
            category=clean_text(item.category, label="问题类别", max_length=50),
            text=clean_text(item.text, label=f"第{number}项问题", max_length=2000),
            unit=item.unit,
            working_days=item.working_days,
        )
        row.full_clean(exclude=["opinion", "unit", "case"], validate_unique=False)
        rows.append(row)
    ProblemItem.objects.bulk_create(rows)
    return opinion


def _case_title(opinion: ReviewOpinion, item: ProblemItem) -> str:
    head = f"【审议意见问题清单第{item.number}项】"
    return (head + item.text)[:100]


@transaction.atomic
def opinion_issue(*, actor: User, opinion: ReviewOpinion) -> ReviewOpinion:
    """交办: each item becomes a supervision case, accepted and assigned to its unit with its
    working days, through the case services (each writes its own events)."""
    opinion = (
        ReviewOpinion.objects.select_for_update(of=("self",))
        .select_related("congress__region", "category")
        .get(pk=opinion.pk)
    )
    congress = opinion.congress
    if not may_manage(actor, congress):
        raise ValidationError(f"您无权交办“{congress.name}”的审议意见。")
    if opinion.status != ReviewOpinion.Status.DRAFT:
        raise ValidationError("该审议意见已交办，不能重复交办。")
    items = list(opinion.items.select_related("unit__region").order_by("number"))
    if not items:
        raise ValidationError("问题清单为空，不能交办。")
    for item in items:
        case = case_submit(
            actor=actor,
            kind=Case.Kind.SUPERVISION_ITEM,
            title=_case_title(opinion, item),
            content=(
                f"{opinion.title}\n审议的报告：{opinion.subject}\n"
                f"问题类别：{item.category}\n\n{item.text}"
            )[:5000],
            category=opinion.category,
            region=congress.region,
            channel=Case.Channel.REVIEW,
        )
        if case.congress_id != congress.pk:
            raise ValidationError(f"“{congress.name}”不是其辖区的受理人大，请联系管理员。")
        case = case_accept(case=case, actor=actor, version=case.version)
        case = case_assign(
            case=case,
            actor=actor,
            version=case.version,
            lead_unit=item.unit,
            working_days=item.working_days,
            note=f"审议意见问题清单第{item.number}项",
        )
        item.case = case
    ProblemItem.objects.bulk_update(items, ["case"])
    opinion.status = ReviewOpinion.Status.ISSUED
    opinion.issued_by = actor
    opinion.issued_at = timezone.now()
    opinion.save(update_fields=["status", "issued_by", "issued_at", "updated_at"])
    return opinion
