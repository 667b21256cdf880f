"""Accept, reject and merge: by the clerk of the owning congress, in the right state."""

import pytest
from django.core.exceptions import ValidationError

from renda.cases.models import Case
from renda.cases.services import (
    CaseActionNotAllowed,
    case_accept,
    case_merge,
    case_reject,
)
from renda.cases.tests.helpers import accepted, category, submit


def test_it_accepts_and_may_correct_the_category(personas):
    case = submit(personas)
    case = case_accept(
        case=case, actor=personas.town_clerk, version=1, category=category("交通运输")
    )
    assert case.state == Case.State.ACCEPTED and case.version == 2
    assert case.category.name == "交通运输"
    event = case.events.last()
    assert (event.action, event.from_state, event.to_state) == ("accept", "submitted", "accepted")
    assert event.actor == personas.town_clerk


def test_it_lets_a_clerk_above_act_for_a_lower_congress(personas):
    case = submit(personas)
    case = case_accept(case=case, actor=personas.county_clerk, version=case.version)
    assert case.state == Case.State.ACCEPTED


def test_it_refuses_a_clerk_outside_the_jurisdiction(personas):
    case = submit(personas)
    with pytest.raises(CaseActionNotAllowed, match="您无权对该事项执行“受理”操作"):
        case_accept(case=case, actor=personas.other_town_clerk, version=case.version)
    case.refresh_from_db()
    assert case.state == Case.State.SUBMITTED and case.events.count() == 1


@pytest.mark.parametrize(
    "persona", ["citizen", "deputy", "unit_handler", "leader", "station_clerk"]
)
def test_it_refuses_roles_that_do_not_triage(personas, persona):
    case = submit(personas)
    with pytest.raises(CaseActionNotAllowed, match="您无权"):
        case_accept(case=case, actor=personas.users[persona], version=case.version)


def test_it_refuses_a_transition_from_the_wrong_state(personas):
    case = accepted(personas)
    with pytest.raises(CaseActionNotAllowed, match="当前状态为“待交办”，不能受理"):
        case_accept(case=case, actor=personas.town_clerk, version=case.version)


def test_it_rejects_with_a_reason_for_the_submitter(personas):
    case = submit(personas)
    with pytest.raises(ValidationError, match="请填写不予受理理由"):
        case_reject(case=case, actor=personas.town_clerk, version=case.version, reason=" ")
    case = case_reject(
        case=case,
        actor=personas.town_clerk,
        version=case.version,
        reason="属于物业合同纠纷，请通过司法途径解决。",
    )
    assert case.state == Case.State.REJECTED
    assert case.reject_reason == "属于物业合同纠纷，请通过司法途径解决。"
    assert case.closed_at is not None
    assert case.events.last().note == case.reject_reason


def test_it_merges_a_duplicate_into_an_open_case(personas):
    original = accepted(personas)
    duplicate = submit(personas, actor=personas.deputy)
    duplicate = case_merge(
        case=duplicate, actor=personas.town_clerk, version=duplicate.version, into=original
    )
    assert duplicate.state == Case.State.MERGED
    assert duplicate.merged_into == original
    assert duplicate.events.last().data == {"merged_into": original.code}


def test_it_refuses_to_merge_into_itself_or_a_finished_case(personas):
    case = submit(personas)
    with pytest.raises(ValidationError, match="不能将事项合并到其自身"):
        case_merge(case=case, actor=personas.town_clerk, version=case.version, into=case)
    rejected = submit(personas)
    case_reject(case=rejected, actor=personas.town_clerk, version=rejected.version, reason="重复")
    with pytest.raises(ValidationError, match="只能合并到未办结的事项"):
        case_merge(case=case, actor=personas.town_clerk, version=case.version, into=rejected)
    case.refresh_from_db()
    assert case.state == Case.State.SUBMITTED and case.version == 1


def test_it_refuses_to_merge_into_a_case_of_another_jurisdiction(personas):
    case = submit(personas)
    elsewhere = submit(personas, region=personas.regions["other_village"], grid=None)
    with pytest.raises(CaseActionNotAllowed, match="无权将事项合并到"):
        case_merge(case=case, actor=personas.town_clerk, version=case.version, into=elsewhere)
