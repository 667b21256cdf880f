"""Reads of 审议意见, through the reader's data scope, and the progress of their problem lists.

A clerk or leader sees the opinions of the congresses in their subtree; a handling unit those
with an item assigned to it. Progress is counted from the items' cases by the database, in one
aggregate query per page, never row by row:

- 已办结 (done): the unit has answered (待评价) or the case is closed;
- 已超期 (overdue): the unit's deadline has passed and it has not answered;
- 办理中 (in hand): every other issued item (waiting to be signed, being handled, returned
  and waiting to be assigned again).
"""

from dataclasses import dataclass
from itertools import groupby

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from renda.cases.inbox import handling_units_for_congress
from renda.cases.models import Assignment, Case
from renda.cases.selectors import cases_for_user
from renda.cases.workflow import CLERKS, acting_congress_path
from renda.org.models import OrgUnit
from renda.org.roles import Perm, Role
from renda.org.scope import scope_for
from renda.reviews.models import ProblemItem, ReviewOpinion

DONE_STATES = (Case.State.REPLIED, Case.State.CLOSED, Case.State.REJECTED, Case.State.MERGED)

OPINION_LOOKUPS = {"unit": "congress", "assigned_unit": "items__case__assignments__unit"}


def can_view(user) -> bool:
    return user.is_authenticated and scope_for(user).can(Perm.ORG_VIEW)


def may_manage(user, congress: OrgUnit) -> bool:
    """Whether a congress clerk (or admin) among the user's seats acts for `congress` or a
    congress above it: they draft and issue its opinions. Leaders read."""
    if user is None or not user.is_authenticated:
        return False
    for grant in scope_for(user).grants:
        if grant.spec.role == Role.SYSTEM_ADMIN:
            return True
        if (
            grant.spec.role in CLERKS
            and grant.unit is not None
            and congress.path.startswith(acting_congress_path(grant.unit))
        ):
            return True
    return False


def clerk_congress(user) -> OrgUnit | None:
    """The congress a clerk drafts opinions for: their unit, or the congress their committee
    belongs to."""
    for grant in scope_for(user).grants:
        if grant.spec.role == Role.CONGRESS_CLERK and grant.unit is not None:
            if grant.unit.is_congress:
                return grant.unit
            return OrgUnit.objects.filter(path=acting_congress_path(grant.unit)).first()
    return None


def opinions_for_user(user) -> QuerySet[ReviewOpinion]:
    if not can_view(user):
        return ReviewOpinion.objects.none()
    return scope_for(user).filter(ReviewOpinion.objects.all(), **OPINION_LOOKUPS)


def get_opinion_for_user(user, pk: int, *, write: bool = False) -> ReviewOpinion:
    """The opinion, 404 outside the user's scope; with `write`, PermissionDenied unless the
    user may manage it."""
    if not can_view(user):
        raise PermissionDenied("您没有查看审议意见的权限。")
    opinion = get_object_or_404(
        opinions_for_user(user).select_related("congress", "category", "issued_by"), pk=pk
    )
    if write and not may_manage(user, opinion.congress):
        raise PermissionDenied("您无权管理该审议意见。")
    return opinion


def _progress(prefix: str = "") -> dict:
    """The counts of `_progress` over an opinion's items: `prefix` is "items__" from the
    opinion, "" from the items themselves."""
    today = timezone.localdate()
    item = f"{prefix}pk" if prefix else "pk"
    state = f"{prefix}case__state"
    # As `renda.cases.selectors.overdue`: a running case's deadline before today.
    overdue = Q(**{f"{prefix}case__running_deadline__lt": today})
    return {
        "n_items": Count(item),
        "n_issued": Count(f"{prefix}case"),
        "n_done": Count(item, filter=Q(**{f"{state}__in": DONE_STATES})),
        "n_overdue": Count(item, filter=overdue),
    }


@dataclass(frozen=True)
class Progress:
    items: int
    issued: int
    done: int
    overdue: int

    @property
    def in_hand(self) -> int:
        return self.issued - self.done - self.overdue

    @property
    def done_rate(self) -> str:
        return f"{self.done * 100 / self.issued:.0f}%" if self.issued else "—"


def opinion_rows(user) -> list[tuple[ReviewOpinion, Progress]]:
    """The list: every opinion in scope with its progress, in one query."""
    opinions = (
        opinions_for_user(user)
        .select_related("congress")
        .annotate(**_progress("items__"))
        .order_by("-meeting_date", "-pk")[:200]
    )
    return [
        (o, Progress(o.n_items, o.n_issued, o.n_done, o.n_overdue))  # type: ignore[attr-defined]
        for o in opinions
    ]


_DIGITS = "零一二三四五六七八九"


def chinese_ordinal(n: int) -> str:
    """一, 二 … 十, 十一 … 九十九: how a 问题清单 numbers its categories (一、…)."""
    tens, ones = divmod(n, 10)
    if not 1 <= n <= 99:
        return str(n)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + ("" if ones == 0 else _DIGITS[ones])


@dataclass(frozen=True)
class CategoryGroup:
    position: int
    name: str
    items: list[ProblemItem]
    progress: Progress

    @property
    def ordinal(self) -> str:
        return chinese_ordinal(self.position)


def opinion_items(opinion: ReviewOpinion) -> list[ProblemItem]:
    """The items in list order, each marked `is_overdue` (from its case, already loaded) and
    given `unit_note` (see `_unit_note`). Two queries for all the items."""
    today = timezone.localdate()
    items = list(opinion.items.select_related("unit", "case").order_by("number"))
    leads: dict[int, Assignment] = {}
    for assignment in (
        Assignment.objects.filter(
            case_id__in=[i.case_id for i in items if i.case_id is not None],
            role=Assignment.Role.LEAD,
        )
        .select_related("unit")
        .order_by("case_id", "-pk")
    ):
        leads.setdefault(assignment.case_id, assignment)
    for item in items:
        case = item.case
        item.is_overdue = case is not None and case.overdue_on(today)  # type: ignore[attr-defined]
        item.unit_note = _unit_note(item, leads.get(item.case_id))  # type: ignore[attr-defined]
    return items


def _unit_note(item: ProblemItem, lead: Assignment | None) -> str:
    """What the list says beside an item's unit, the one it was issued to, when its case has
    moved on (`lead`: the case's latest lead assignment): returned (退回) and waiting to be
    assigned again, or assigned again to another unit. Blank when the unit it was issued to
    still has it, or before it is issued."""
    if lead is None:
        return ""
    if lead.state == Assignment.State.RETURNED:
        return "已退回，待重新交办"
    if lead.unit_id != item.unit_id:
        return f"现由{lead.unit.name}办理"
    return ""


def mark_visible_cases(user, items: list[ProblemItem]) -> None:
    """Mark each item `case_visible` when the user may open its case page (a handling unit
    sees only its own items' cases): one query for all the items."""
    ids = [i.case_id for i in items if i.case_id is not None]
    visible = set(cases_for_user(user).filter(pk__in=ids).values_list("pk", flat=True))
    for item in items:
        item.case_visible = item.case_id in visible  # type: ignore[attr-defined]


def opinion_progress(opinion: ReviewOpinion) -> tuple[Progress, list[CategoryGroup]]:
    """The opinion's items grouped by category (in the order categories first appear) with
    the progress of each group and of the whole list: the items, and one aggregate query by
    category."""
    items = opinion_items(opinion)
    counts = {
        row["category"]: Progress(row["n_items"], row["n_issued"], row["n_done"], row["n_overdue"])
        for row in opinion.items.order_by().values("category").annotate(**_progress())
    }
    first: dict[str, int] = {}
    for item in items:
        first.setdefault(item.category, item.number)
    ordered = sorted(items, key=lambda i: (first[i.category], i.number))
    groups = [
        CategoryGroup(position, name, list(rows), counts[name])
        for position, (name, rows) in enumerate(groupby(ordered, key=lambda i: i.category), start=1)
    ]
    total = Progress(
        sum(p.items for p in counts.values()),
        sum(p.issued for p in counts.values()),
        sum(p.done for p in counts.values()),
        sum(p.overdue for p in counts.values()),
    )
    return total, groups


def unit_names(congress: OrgUnit) -> list[str]:
    """The names a clerk may write as 责任单位 (shown under the form)."""
    return list(handling_units_for_congress(congress).values_list("name", flat=True))


def opinion_initial(opinion: ReviewOpinion) -> dict:
    """A draft as its form shows it: the problem list one item a line."""
    lines = [
        f"{i.category}｜{i.text}｜{i.unit.name}｜{i.working_days}"
        for i in opinion.items.select_related("unit").order_by("number")
    ]
    return {
        "title": opinion.title,
        "subject": opinion.subject,
        "meeting": opinion.meeting,
        "meeting_date": opinion.meeting_date,
        "category": opinion.category_id,
        "text": opinion.text,
        "default_days": None,
        "items": "\n".join(lines),
    }
