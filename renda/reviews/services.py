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


@dataclass(frozen=True)
class OpinionInput:
    """What the clerk writes on the form: the opinion and its problem list."""

    title: str
    subject: str
    meeting_date: dt.date
    category: Category
    items: Sequence[ItemInput]
    meeting: str = ""
    text: str = ""


def _write(opinion: ReviewOpinion, data: OpinionInput) -> None:
    """Check and write the opinion's fields and its items, numbered in the order given: the
    draft's items are rewritten in place, those beyond the new list removed (a draft's items
    have no case yet: nothing was issued from them)."""
    if not data.items:
        raise ValidationError("请填写问题清单，至少一项。")
    if len(data.items) > MAX_ITEMS:
        raise ValidationError(f"问题清单最多{MAX_ITEMS}项（现有{len(data.items)}项）。")
    if not data.category.is_active:
        raise ValidationError({"category": f"领域“{data.category.name}”已停用。"})
    opinion.title = clean_text(data.title, label="审议意见标题", max_length=200)
    opinion.subject = clean_text(data.subject, label="审议的报告", max_length=200)
    opinion.meeting = clean_text(data.meeting, label="会议名称", max_length=100, required=False)
    opinion.meeting_date = data.meeting_date
    opinion.text = clean_text(data.text, label="审议意见", max_length=20000, required=False)
    opinion.category = data.category
    opinion.full_clean(exclude=["congress", "category", "created_by", "issued_by"])
    opinion.save()
    old = {i.number: i for i in opinion.items.all()}
    rows = []
    for number, item in enumerate(data.items, start=1):
        row = old.pop(number, None) or ProblemItem(opinion=opinion, number=number)
        row.category = clean_text(item.category, label="问题类别", max_length=50)
        row.text = clean_text(item.text, label=f"第{number}项问题", max_length=2000)
        row.unit = item.unit
        row.working_days = item.working_days
        row.full_clean(exclude=["opinion", "unit", "case"], validate_unique=False)
        rows.append(row)
    opinion.items.filter(pk__in=[i.pk for i in old.values()], case__isnull=True).delete()
    ProblemItem.objects.bulk_create([r for r in rows if r.pk is None])
    ProblemItem.objects.bulk_update(
        [r for r in rows if r.pk is not None], ["category", "text", "unit", "working_days"]
    )


@transaction.atomic
def opinion_create(*, actor: User, congress: OrgUnit, data: OpinionInput) -> ReviewOpinion:
    """A draft opinion with its problem list."""
    if not may_manage(actor, congress):
        raise ValidationError(f"您无权为“{congress.name}”起草审议意见。")
    opinion = ReviewOpinion(congress=congress, created_by=actor)
    _write(opinion, data)
    return opinion


@transaction.atomic
def opinion_update(*, actor: User, opinion: ReviewOpinion, data: OpinionInput) -> ReviewOpinion:
    """Correct a draft before it is issued; an issued opinion's items are cases by then."""
    opinion = (
        ReviewOpinion.objects.select_for_update(of=("self",))
        .select_related("congress")
        .get(pk=opinion.pk)
    )
    if not may_manage(actor, opinion.congress):
        raise ValidationError(f"您无权修改“{opinion.congress.name}”的审议意见。")
    if opinion.status != ReviewOpinion.Status.DRAFT:
        raise ValidationError("该审议意见已交办，不能再修改；各项的办理请在其事项页面进行。")
    _write(opinion, data)
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
