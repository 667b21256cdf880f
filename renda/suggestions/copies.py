"""The case's figures copied onto its `Suggestion` for the rates (`renda.suggestions.rates`).

The rates count one row per suggestion: its first-round lead assignment (主办, `round` 1) that
the unit did not return, with that assignment's unit, deadline and first answer, and the
case's latest answer class, latest rating and region. Read through the case and the
assignment, that is two single-row joins for each of a city's 20,000 suggestions on every
page; copied here, the table is one scan of the suggestions (bench/bench_suggestion_rates.py).

`refresh` recomputes every copied column from those rows, so it is idempotent and may be
called as often as wanted: the suggestion services call it in their transaction, after the
step that changed the case; `on_case_changed` calls it once any other step of the case has
committed (a unit's return, a sign, a reply or a rating through the case pages), from the
cases app's worker task.
"""

from django.db.models import Max, OuterRef, QuerySet, Subquery

from renda.cases.models import Assignment, Case
from renda.suggestions.models import Suggestion


def counted_lead() -> QuerySet[Assignment]:
    """The assignment a suggestion's row is counted from (`OuterRef("case_id")`): the
    first-round lead assignment not returned (there is one at most: a unit returns the
    suggestion before it is assigned again), while the case is still a suggestion (one that
    the committee did not accept goes on as an opinion and is not counted)."""
    return (
        Assignment.objects.filter(
            case_id=OuterRef("case_id"),
            role=Assignment.Role.LEAD,
            round=1,
            case__kind=Case.Kind.SUGGESTION,
        )
        .exclude(state=Assignment.State.RETURNED)
        .order_by()
    )


def _of_lead(column: str) -> Subquery:
    """One column of `counted_lead`, as an aggregate over its rows (one at most). Not
    `ORDER BY id DESC LIMIT 1`: for that, PostgreSQL walks the assignments' primary key
    backwards for every suggestion (the 20,000 of the bench did not finish in 15 minutes)
    instead of looking its few rows up through the `case_id` index."""
    rows = counted_lead().values("case_id").annotate(value=Max(column))
    return Subquery(rows.values("value")[:1])


def refresh(suggestions: QuerySet[Suggestion]) -> int:
    """Rewrite the copied columns of `suggestions` from their case and lead assignment in one
    UPDATE; returns the number of suggestions written."""
    case = Case.objects.filter(pk=OuterRef("case_id"))
    copied = {
        "result_class": Subquery(case.values("result_class")[:1]),
        "rating": Subquery(case.values("rating")[:1]),
        "region": Subquery(case.values("region_id")[:1]),
    }
    written = suggestions.filter(kind=Case.Kind.SUGGESTION).update(
        lead_unit=_of_lead("unit_id"),
        deadline=_of_lead("deadline"),
        answered_at=_of_lead("replied_at"),
        **copied,
    )
    # A motion is not counted (a converted one is numbered a suggestion and counted from then).
    written += suggestions.exclude(kind=Case.Kind.SUGGESTION).update(
        lead_unit=None, deadline=None, answered_at=None, **copied
    )
    return written


def refresh_case(case_id: int) -> None:
    refresh(Suggestion.objects.filter(case_id=case_id))


def on_case_changed(sender, *, case_id: int, **kwargs) -> None:
    """`case_changed`: after any committed step of a case, its suggestion's copy (none when
    the case is not a suggestion: the UPDATE finds no row)."""
    refresh_case(case_id)
