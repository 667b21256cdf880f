"""Reads of 满意度测评, through the reader's data scope.

A clerk sees the evaluations of the congress units in their subtree; a rater sees only the
sheets they were asked to fill. Results never name who gave which score.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from renda.accounts.models import User
from renda.deputies.models import Deputy
from renda.deputies.selectors import deputies_for_user
from renda.org.models import Membership, OrgUnit
from renda.org.roles import Perm, Role
from renda.org.scope import require, scope_for
from renda.org.selectors import units_for_user
from renda.oversight.models import Evaluation, EvaluationRater, EvaluationSubject, Score

V = Score.Value


def can_view(user) -> bool:
    return user.is_authenticated and scope_for(user).can(Perm.DEPUTIES_VIEW)


def can_manage(user) -> bool:
    return user.is_authenticated and scope_for(user).can(Perm.DEPUTIES_MANAGE)


def evaluations_for_user(user) -> QuerySet[Evaluation]:
    if not can_view(user):
        return Evaluation.objects.none()
    return scope_for(user).filter(Evaluation.objects.all(), unit="congress")


def get_evaluation_for_user(user, pk: int, *, write: bool = False) -> Evaluation:
    if not can_view(user):
        raise PermissionDenied("您没有查看满意度测评的权限。")
    evaluation = get_object_or_404(evaluations_for_user(user).select_related("congress"), pk=pk)
    if write:
        require(user, Perm.DEPUTIES_MANAGE)
    return evaluation


def clerk_congress(user) -> OrgUnit | None:
    """The congress unit a clerk organises evaluations for: their own unit."""
    for grant in scope_for(user).grants:
        if (
            Perm.DEPUTIES_MANAGE in grant.spec.perms
            and grant.unit is not None
            and grant.unit.kind in OrgUnit.CONGRESS_KINDS
        ):
            return grant.unit
    return None


def subject_units_for_user(user) -> QuerySet[OrgUnit]:
    return units_for_user(user).filter(is_active=True).order_by("path")


def rater_deputies_for_user(user) -> QuerySet[Deputy]:
    return deputies_for_user(user).filter(user__isnull=False).order_by("name")


# The seats of a standing committee's members and its staff who may rate (常委会组成人员
# 及工作人员): the committee's leaders and clerks of the organising congress.
_MEMBER_ROLES = (Role.LEADER, Role.CONGRESS_CLERK)


def rater_members_for_user(user) -> QuerySet[User]:
    """The committee members a clerk may ask to rate: the users holding a leader's or clerk's
    seat in the clerk's own congress (none for anyone who organises no evaluation)."""
    congress = clerk_congress(user)
    if congress is None:
        return User.objects.none()
    seated = Membership.objects.filter(unit=congress, role__in=_MEMBER_ROLES, is_active=True)
    return User.objects.filter(is_active=True, pk__in=seated.values("user_id")).order_by(
        "full_name", "username"
    )


def sheets_for_user(user) -> QuerySet[EvaluationRater]:
    """The evaluations the user is a rater of, open ones first."""
    if not user.is_authenticated:
        return EvaluationRater.objects.none()
    return (
        EvaluationRater.objects.filter(user_id=user.pk)
        .exclude(evaluation__status=Evaluation.Status.DRAFT)
        .select_related("evaluation")
        .order_by("evaluation__status", "-evaluation__opens_on")
    )


def get_sheet_for_user(user, pk: int) -> EvaluationRater:
    """The user's rater row in an evaluation; 404 for anyone who is not a rater of it."""
    return get_object_or_404(sheets_for_user(user), evaluation_id=pk)


@dataclass(frozen=True)
class SubjectResult:
    subject: EvaluationSubject
    satisfied: int
    basic: int
    unsatisfied: int
    comments: list[tuple[str, str]]  # (value label, comment), without the rater's name

    @property
    def rated(self) -> int:
        return self.satisfied + self.basic + self.unsatisfied

    @property
    def rate(self) -> float | None:
        """满意率: (满意 + 基本满意) ÷ rated; None when nobody rated yet."""
        return (self.satisfied + self.basic) / self.rated if self.rated else None

    @property
    def rate_text(self) -> str:
        return "—" if self.rate is None else f"{self.rate * 100:.1f}%"


@dataclass(frozen=True)
class Results:
    subjects: list[SubjectResult]
    raters: int
    submitted: int


def evaluation_results(evaluation: Evaluation) -> Results:
    """Three queries: subjects with counts, comments, rater progress."""
    subjects = evaluation.subjects.annotate(
        n_satisfied=Count("scores", filter=Q(scores__value=V.SATISFIED)),
        n_basic=Count("scores", filter=Q(scores__value=V.BASIC)),
        n_unsatisfied=Count("scores", filter=Q(scores__value=V.UNSATISFIED)),
    ).order_by("position", "pk")
    comments: dict[int, list[tuple[str, str]]] = {}
    # Ordered by subject and value, not by rater or time, so nothing hints at who wrote what.
    for subject_id, value, comment in (
        Score.objects.filter(subject__evaluation=evaluation)
        .exclude(comment="")
        .order_by("subject_id", "value", "comment")
        .values_list("subject_id", "value", "comment")
    ):
        comments.setdefault(subject_id, []).append((V(value).label, comment))
    progress = evaluation.raters.aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(submitted_at__isnull=False))
    )
    return Results(
        subjects=[
            SubjectResult(s, s.n_satisfied, s.n_basic, s.n_unsatisfied, comments.get(s.pk, []))
            for s in subjects
        ],
        raters=progress["total"],
        submitted=progress["done"],
    )
