"""The case's figures copied onto its suggestion for the rates (renda.suggestions.copies)
follow every step: the suggestion services write them in their own transaction, and a step
taken through the cases app (a unit's return) reaches them on `case_changed` once it commits.
"""

import datetime as dt

from renda.cases.models import Assignment, Case
from renda.cases.services import case_return, case_sign
from renda.suggestions import copies, services
from renda.suggestions.models import Suggestion
from renda.suggestions.tests.helpers import accepted, assigned


def _copy(s: Suggestion) -> dict:
    s.refresh_from_db()
    return {
        "lead_unit": s.lead_unit_id,
        "deadline": s.deadline,
        "answered_at": s.answered_at,
        "result_class": s.result_class,
        "rating": s.rating,
        "region": s.region_id,
    }


def _from_the_case(s: Suggestion) -> dict:
    """The same values read through the case and its counted lead assignment."""
    case = Case.objects.get(pk=s.case_id)
    lead = (
        case.assignments.filter(role=Assignment.Role.LEAD, round=1)
        .exclude(state=Assignment.State.RETURNED)
        .order_by("-pk")
        .first()
    )
    counted = lead is not None and case.kind == Case.Kind.SUGGESTION
    return {
        "lead_unit": lead.unit_id if counted else None,
        "deadline": lead.deadline if counted else None,
        "answered_at": lead.replied_at if counted else None,
        "result_class": case.result_class,
        "rating": case.rating,
        "region": case.region_id,
    }


def _fresh(s: Suggestion) -> Suggestion:
    s.refresh_from_db()
    s.case.refresh_from_db()
    return s


def test_a_filed_suggestion_is_not_counted_until_assigned(personas, c, clock):
    s = accepted(personas, c)
    assert _copy(s) == _from_the_case(s)
    assert _copy(s)["lead_unit"] is None and _copy(s)["region"] == c.congress.region_id


def test_the_copy_follows_an_extension(personas, c, clock):
    s = _fresh(assigned(personas, c))
    assert _copy(s)["lead_unit"] == c.lead_unit.pk
    assert _copy(s)["deadline"] == dt.date(2026, 12, 15)
    services.suggestion_extend(
        actor=personas.county_clerk,
        suggestion=s,
        version=s.case.version,
        until=dt.date(2027, 3, 15),
        reason="涉及多个部门，情况复杂。",
    )
    assert _copy(s)["deadline"] == dt.date(2027, 3, 15)
    assert _copy(s) == _from_the_case(s)


def test_the_copy_follows_a_return_and_a_reassignment(
    personas, c, clock, django_capture_on_commit_callbacks
):
    s = _fresh(assigned(personas, c))
    case_sign(case=s.case, actor=c.lead_handler, version=s.case.version)
    s = _fresh(s)
    # Returned through the cases app: the copy follows once the step has committed.
    with django_capture_on_commit_callbacks(execute=True):
        case_return(
            case=s.case, actor=c.lead_handler, version=s.case.version, reason="非本单位职责"
        )
    assert _copy(s)["lead_unit"] is None
    assert _copy(s) == _from_the_case(s)
    clock.shift(dt.timedelta(days=7))
    s = _fresh(s)
    services.suggestion_assign(
        actor=personas.county_clerk, suggestion=s, version=s.case.version, lead_unit=c.co_unit
    )
    # The new lead unit, on the first assignment's clock.
    assert _copy(s)["lead_unit"] == c.co_unit.pk
    assert _copy(s)["deadline"] == dt.date(2026, 12, 15)
    assert _copy(s) == _from_the_case(s)


def test_the_copy_follows_the_answer_and_the_ratings(personas, c, clock):
    s = _fresh(assigned(personas, c))
    services.suggestion_co_view(actor=c.co_handler, suggestion=s, content="街道配合做好居民协调。")
    s = _fresh(s)
    case_sign(case=s.case, actor=c.lead_handler, version=s.case.version)
    s = _fresh(s)
    services.suggestion_answer(
        actor=c.lead_handler,
        suggestion=s,
        version=s.case.version,
        answer_class="C",
        reply="受条件限制，留作参考。",
    )
    first = _copy(s)
    assert first["answered_at"] is not None and first["result_class"] == "explained"
    assert first == _from_the_case(s)
    clock.shift(dt.timedelta(days=2))
    s = _fresh(s)
    services.suggestion_rate(
        actor=personas.deputy,
        suggestion=s,
        version=s.case.version,
        answer="unsatisfied",
        contact="satisfied",
    )
    # 重办: rated 不满意; the first answer's time stays (it decides 按时).
    assert _copy(s)["rating"] == "unsatisfied"
    assert _copy(s)["answered_at"] == first["answered_at"]
    assert _copy(s) == _from_the_case(s)


def test_a_suggestion_not_accepted_is_not_counted(personas, c, clock):
    from renda.suggestions.tests.helpers import file

    s = _fresh(file(personas, c, cosigners=[]))
    services.suggestion_review(
        actor=personas.county_clerk,
        suggestion=s,
        version=s.case.version,
        accept=False,
        reason="属于一般性意见，转为民情意见办理。",
    )
    assert _copy(s)["lead_unit"] is None


def test_refresh_writes_the_same_values_again(personas, c, clock):
    s = _fresh(assigned(personas, c))
    before = _copy(s)
    Suggestion.objects.filter(pk=s.pk).update(lead_unit=None, deadline=None, region=None)
    assert copies.refresh(Suggestion.objects.filter(pk=s.pk)) == 1
    assert _copy(s) == before
