"""Reads behind the triage page: who may triage a case, and the suggestions for it.

Every read starts from the reader's scope: the case through `get_case_for_user`, duplicate
candidates through `cases_for_user`. A model that is missing or corrupt gives an empty
suggestion with the reason, never an error.
"""

import logging
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied

from renda.cases.inbox import handling_units_for_congress
from renda.cases.models import Case, Category
from renda.cases.selectors import allowed_actions, cases_for_user, get_case_for_user
from renda.cases.workflow import Action, reaches_congress
from renda.org.models import OrgUnit
from renda.triage.duplicates import Candidate, find_duplicates
from renda.triage.models import TrainedModel
from renda.triage.training import ModelUnavailable, load_current

logger = logging.getLogger("renda.triage")

# The actions triage is for: a case the user may take none of these on has nothing to triage.
TRIAGE_ACTIONS = (Action.ACCEPT, Action.MERGE, Action.ASSIGN)


def get_case_for_triage(user, code: str) -> tuple[Case, list[str]]:
    """The case (404 outside the user's scope) and the actions the user may take on it now;
    PermissionDenied unless one of them is accepting, merging or assigning."""
    case = get_case_for_user(user, code)
    allowed = allowed_actions(user, case)
    if not any(a in allowed for a in TRIAGE_ACTIONS):
        raise PermissionDenied("该事项当前不在分办环节，或您无权分办该事项。")
    return case, allowed


@dataclass
class Suggestion:
    label: str
    score: float
    target: Any = None  # the Category or OrgUnit to adopt; None when no longer available


@dataclass
class Suggestions:
    items: list[Suggestion] = field(default_factory=list)
    unsure: bool = False
    unavailable: str = ""  # why there are none (no model, a corrupt file …)
    model: TrainedModel | None = None


def category_suggestions(case: Case) -> Suggestions:
    """The classifier's top 3 categories with calibrated scores; `unsure` below the model's
    threshold."""
    try:
        row, model = load_current(TrainedModel.Kind.CATEGORY)
        prediction = model.predict(case.title, case.content, top=3)
    except ModelUnavailable as e:
        return Suggestions(unavailable=str(e))
    except Exception:
        logger.exception("category suggestion failed for %s", case.code)
        return Suggestions(unavailable="分类模型运行出错，暂不提供建议。")
    if not prediction.top:
        return Suggestions(unsure=True, unavailable="内容过少，无法给出分类建议。", model=row)
    names = [label for label, _ in prediction.top]
    categories = {c.name: c for c in Category.objects.filter(name__in=names, is_active=True)}
    items = [Suggestion(label, score, categories.get(label)) for label, score in prediction.top]
    return Suggestions(items=items, unsure=prediction.unsure, model=row)


def unit_suggestions(case: Case, units: list[OrgUnit]) -> Suggestions:
    """The top 3 of `units` (those the case's congress may assign to) by the unit model."""
    try:
        row, model = load_current(TrainedModel.Kind.UNIT)
        by_pk = {u.pk: u for u in units}
        top = model.top(
            3,
            category=case.category.name,
            region_path=case.region.path,
            title=case.title,
            content=case.content,
            # Loaded with the assignable units: no query.
            congress_path=case.congress.region.path,
            allowed=by_pk,
        )
    except ModelUnavailable as e:
        return Suggestions(unavailable=str(e))
    except Exception:
        logger.exception("unit suggestion failed for %s", case.code)
        return Suggestions(unavailable="承办单位模型运行出错，暂不提供建议。")
    if not top:
        return Suggestions(unavailable="暂无可参考的交办记录。", model=row)
    items = [Suggestion(by_pk[pk].name, score, by_pk[pk]) for pk, score in top]
    return Suggestions(items=items, model=row)


@dataclass
class DuplicateRow:
    case: Case
    similarity: float
    can_merge: bool


def duplicate_rows(user, case: Case, allowed: list[str]) -> list[DuplicateRow]:
    """Near-duplicates the user can see, and whether this case can be merged into each now
    (the services check again when it happens)."""
    found: list[Candidate] = find_duplicates(cases_for_user(user), case)
    may_merge = Action.MERGE in allowed
    return [
        DuplicateRow(
            c.case,
            c.similarity,
            may_merge
            and c.case.state in Case.OPEN_STATES
            # No query: the congress came with the case and the scope is cached.
            and reaches_congress(user, c.case.congress),
        )
        for c in found
    ]


def assignable_units(case: Case) -> list[OrgUnit]:
    return list(handling_units_for_congress(case.congress))
