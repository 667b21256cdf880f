"""Reads of suggestions and motions, always through the reader's data scope.

A suggestion reaches the scope as its case does: a clerk or leader through the case's region
and congress, a handler through the units assigned to it (lead or co), a deputy as its lead
deputy or one of its co-signers.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from renda.cases.models import Assignment, Case, Category
from renda.cases.workflow import (
    SUGGESTION_TRANSITIONS,
    TRANSITIONS,
    Action,
    SuggestionAction,
    lead_assignment,
    reaches_congress,
    refusal,
)
from renda.deputies.models import Deputy, Term
from renda.org.models import OrgUnit
from renda.org.roles import Perm
from renda.org.scope import scope_for
from renda.suggestions.models import CongressSession, CoSigner, Promise, Suggestion
from renda.suggestions.services import complex_limit, serving_seats

SUGGESTION_LOOKUPS = {
    "region": "case__region",
    "unit": "case__congress",
    "assigned_unit": "case__assignments__unit",
    "owner": ("lead_deputy__user", "cosigners__deputy__user"),
}


def can_review(user) -> bool:
    return user.is_authenticated and scope_for(user).can(Perm.SUGGESTIONS_REVIEW)


def suggestions_for_user(user) -> QuerySet[Suggestion]:
    if not user.is_authenticated:
        return Suggestion.objects.none()
    return scope_for(user).filter(
        Suggestion.objects.select_related(
            "case", "case__category", "congress", "session", "lead_deputy"
        ),
        **SUGGESTION_LOOKUPS,
    )


def get_suggestion_for_user(user, code: str) -> Suggestion:
    """The suggestion of the case with this code; 404 outside the user's scope."""
    return get_object_or_404(suggestions_for_user(user), case__code=code)


def suggestion_list(user, *, state: str = "", q: str = "") -> QuerySet[Suggestion]:
    qs = suggestions_for_user(user).order_by("-case__created_at", "-pk")
    if state in Case.State.values:
        qs = qs.filter(case__state=state)
    if q:
        qs = qs.filter(case__title__icontains=q)
    return qs


def review_queue(user) -> QuerySet[Suggestion]:
    """What waits for the committee: filed, not yet reviewed (立案 or not)."""
    if not can_review(user):
        return Suggestion.objects.none()
    return suggestion_list(user).filter(
        review=Suggestion.Review.PENDING, case__state=Case.State.SUBMITTED
    )


def promises_for_user(user, *, open_only: bool = False) -> QuerySet[Promise]:
    """B-class promises of the suggestions in scope, the earliest due first."""
    suggestions = suggestions_for_user(user).values("pk")
    qs = Promise.objects.filter(suggestion__in=suggestions).select_related(
        "suggestion__case", "unit"
    )
    if open_only:
        qs = qs.filter(kept_at__isnull=True)
    return qs.order_by("kept_at", "due_on", "pk")


def get_promise_for_user(user, pk: int) -> Promise:
    return get_object_or_404(promises_for_user(user), pk=pk)


# --- filing ---------------------------------------------------------------------------------


def deputy_of(user) -> Deputy | None:
    if not user.is_authenticated:
        return None
    return Deputy.objects.filter(user_id=user.pk).first()


def filing_congresses(user) -> QuerySet[OrgUnit]:
    """The congresses the user sits in now as a deputy."""
    deputy = deputy_of(user)
    if deputy is None:
        return OrgUnit.objects.none()
    today = timezone.localdate()
    ids = [
        c.pk
        for c in OrgUnit.objects.filter(terms__seats__deputy=deputy).distinct()
        if serving_seats(c, today).filter(deputy=deputy).exists()
    ]
    return OrgUnit.objects.filter(pk__in=ids).select_related("region").order_by("path")


def open_sessions(congresses: QuerySet[OrgUnit]) -> QuerySet[CongressSession]:
    today = timezone.localdate()
    return (
        CongressSession.objects.filter(
            term__congress__in=congresses,
            status=CongressSession.Status.OPEN,
            opens_on__lte=today,
            closes_on__gte=today,
        )
        .select_related("term__congress")
        .order_by("-opens_on")
    )


def cosigner_candidates(user, congresses: QuerySet[OrgUnit]) -> QuerySet[Deputy]:
    """Fellow deputies serving in the user's congresses (names only are shown)."""
    today = timezone.localdate()
    deputy = deputy_of(user)
    ids: set[int] = set()
    for congress in congresses:
        ids |= set(serving_seats(congress, today).values_list("deputy_id", flat=True))
    if deputy is not None:
        ids.discard(deputy.pk)
    return Deputy.objects.filter(pk__in=ids).order_by("name", "pk")


def categories() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True)


def handling_units_for(suggestion: Suggestion) -> QuerySet[OrgUnit]:
    """Units the suggestion's congress may assign to: handling units in its jurisdiction."""
    return OrgUnit.objects.filter(
        kind=OrgUnit.Kind.HANDLING_UNIT,
        is_active=True,
        region__path__startswith=suggestion.congress.region.path,
    ).order_by("path")


# --- the detail page ------------------------------------------------------------------------


def detail(user, suggestion: Suggestion) -> dict:
    """Everything the suggestion's page shows, and what this user may do on it now."""
    case = suggestion.case
    assignments = list(case.assignments.select_related("unit", "co_view").order_by("round", "pk"))
    cosigners = list(suggestion.cosigners.select_related("deputy"))
    lead = lead_assignment(case)
    may = {a.value: refusal(a, user, case, lead=lead) is None for a in SuggestionAction}
    may.update({a.value: refusal(a, user, case, lead=lead) is None for a in _CASE_ACTIONS})
    mine = next(
        (x for x in cosigners if x.deputy.user_id == user.pk and x.state == CoSigner.State.PENDING),
        None,
    )
    return {
        "s": suggestion,
        "case": case,
        "assignments": assignments,
        "co_views": [a.co_view for a in assignments if hasattr(a, "co_view")],
        "cosigners": cosigners,
        "promises": list(suggestion.promises.select_related("unit")),
        "ratings": list(suggestion.ratings.all()),
        "events": [
            (e, ACTION_LABELS.get(e.action, e.action))
            for e in case.events.select_related("actor").order_by("created_at", "pk")
        ],
        "may": may,
        "may_cosign": mine is not None and may[SuggestionAction.COSIGN],
        "complex_limit": complex_limit(suggestion),
        "waiting_co_units": [
            a.unit.name
            for a in assignments
            if a.role == Assignment.Role.CO and a.state in Assignment.ACTIVE_STATES
        ],
    }


ACTION_LABELS = {
    **{a.value: t.label for a, t in TRANSITIONS.items()},
    **{a.value: t.label for a, t in SUGGESTION_TRANSITIONS.items()},
}
_CASE_ACTIONS = (Action.SIGN, Action.REPLY, Action.RATE, Action.SUPERVISE)


def pending_cosign(user) -> QuerySet[Suggestion]:
    """Suggestions this deputy is asked to co-sign and has not answered yet."""
    return suggestions_for_user(user).filter(
        cosigners__deputy__user_id=user.pk,
        cosigners__state=CoSigner.State.PENDING,
        case__state=Case.State.SUBMITTED,
    )


def prefetch_for_list(qs: QuerySet[Suggestion]) -> QuerySet[Suggestion]:
    lead = Assignment.objects.filter(role=Assignment.Role.LEAD).select_related("unit")
    return qs.prefetch_related(Prefetch("case__assignments", queryset=lead, to_attr="leads"))


def sessions_for_user(user) -> QuerySet[CongressSession]:
    """Sessions of the congresses in the clerk's scope, newest first."""
    if not can_review(user):
        return CongressSession.objects.none()
    return (
        scope_for(user)
        .filter(CongressSession.objects.select_related("term__congress"), unit="term__congress")
        .order_by("-opens_on", "-pk")
    )


def terms_for_user(user) -> QuerySet[Term]:
    """Terms a clerk may add sessions to: those of congresses their grants act for."""
    if not can_review(user):
        return Term.objects.none()
    ids = [
        t.pk
        for t in Term.objects.select_related("congress").filter(end_date__isnull=True)
        if reaches_congress(user, t.congress)
    ]
    return Term.objects.filter(pk__in=ids).select_related("congress").order_by("congress__path")


def check_reviewer(user) -> None:
    if not can_review(user):
        raise PermissionDenied("您没有审查代表建议的权限。")
