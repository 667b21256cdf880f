"""Who sees which case, what they may do with it, and the timeline."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from renda.accounts.models import User
from renda.cases.selectors import (
    allowed_actions,
    case_timeline,
    cases_for_user,
    get_case_for_user,
    overdue,
)
from renda.cases.services import case_accept
from renda.cases.tests.helpers import assigned_to_town, at, handling_by_town, submit


def _fresh(user: User) -> User:
    # A new object, so the scope is not cached from an earlier call.
    return User.objects.get(pk=user.pk)


def test_it_hides_a_case_from_an_outsider(personas):
    case = submit(personas)
    with pytest.raises(Http404):
        get_case_for_user(personas.other_town_clerk, case.code)
    assert not cases_for_user(personas.other_town_clerk).exists()
    # and the outsider cannot act on it either
    assert allowed_actions(personas.other_town_clerk, case) == []


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("admin", True),
        ("city_clerk", True),
        ("county_clerk", True),
        ("town_clerk", True),
        ("station_clerk", True),
        ("leader", True),
        ("citizen", True),
        ("other_town_clerk", False),
        ("other_county_clerk", False),
        ("unit_handler", False),
        ("deputy", False),
    ],
)
def test_it_shows_a_case_within_each_scope(personas, persona, sees):
    case = submit(personas)
    visible = cases_for_user(personas.users[persona]).filter(pk=case.pk).exists()
    assert visible is sees


def test_it_shows_a_handler_only_what_their_unit_was_assigned(personas, town_handler):
    assigned = assigned_to_town(personas)
    submit(personas)
    assert list(cases_for_user(town_handler)) == [assigned]
    assert get_case_for_user(town_handler, assigned.code) == assigned


def test_it_shows_a_deputy_the_cases_they_collected(personas):
    collected = submit(
        personas,
        actor=personas.deputy,
        collected_by=personas.deputies["deputy"],
        submitter_name="赵大爷",
    )
    submit(personas)
    assert list(cases_for_user(personas.deputy)) == [collected]


def test_it_shows_an_anonymous_visitor_nothing(personas):
    submit(personas)
    assert not cases_for_user(AnonymousUser()).exists()


def test_it_offers_each_person_only_the_actions_they_may_take_now(personas, town_handler, clock):
    case = submit(personas)
    assert allowed_actions(personas.town_clerk, case) == ["accept", "reject", "merge"]
    assert allowed_actions(personas.citizen, case) == []
    assert allowed_actions(personas.leader, case) == []

    case = handling_by_town(personas, town_handler, urgency="紧急")
    assert allowed_actions(town_handler, case) == ["return", "extend_request", "reply"]
    assert allowed_actions(personas.town_clerk, case) == ["supervise", "convert_to_agenda"]
    assert allowed_actions(personas.unit_handler, case) == []
    clock.move_to(at(2026, 9, 17))
    assert allowed_actions(town_handler, case) == ["return", "reply"]  # too late to extend
    assert allowed_actions(personas.leader, case) == ["supervise", "remind", "convert_to_agenda"]


def test_it_needs_something_to_do_for_a_write(personas):
    case = submit(personas)
    assert get_case_for_user(personas.town_clerk, case.code, write=True) == case
    with pytest.raises(PermissionDenied):
        get_case_for_user(personas.citizen, case.code, write=True)


def test_it_lists_the_timeline_in_order(personas):
    case = submit(personas)
    case_accept(case=case, actor=personas.town_clerk, version=case.version)
    assert [e.action for e in case_timeline(case)] == ["submit", "accept"]


def test_it_lists_overdue_cases(personas, clock):
    late = assigned_to_town(personas, urgency="紧急")
    assigned_to_town(personas)
    clock.move_to(at(2026, 9, 17))
    assert list(overdue(cases_for_user(personas.town_clerk))) == [late]


@pytest.mark.parametrize("count", [2, 6])
def test_it_lists_in_a_fixed_number_of_queries(personas, django_assert_num_queries, count):
    for _ in range(count):
        submit(personas)
    clerk = _fresh(personas.town_clerk)
    # 1: the clerk's memberships (the scope); 2: the cases with category, region, congress.
    with django_assert_num_queries(2):
        rows = [
            (c.code, c.category.name, c.region.name, c.congress.name) for c in cases_for_user(clerk)
        ]
    assert len(rows) == count


def test_it_lists_a_case_once_for_a_unit_assigned_to_it_twice(personas, town_handler):
    """A case returned by a unit and assigned to it again has two assignments of that unit:
    the handler's list reaches it through a semi-join, once, without a DISTINCT."""
    from renda.cases.services import case_assign, case_return
    from renda.cases.tests.helpers import tier

    case = assigned_to_town(personas)
    case = case_return(case=case, actor=town_handler, version=case.version, reason="非本单位职责")
    case_assign(
        case=case,
        actor=personas.town_clerk,
        version=case.version,
        lead_unit=personas.units["town_gov"],
        urgency=tier("一般"),
    )
    assert case.assignments.filter(unit=personas.units["town_gov"]).count() == 2
    listed = cases_for_user(_fresh(town_handler))
    assert [c.code for c in listed] == [case.code]
    assert listed.count() == 1
    sql = str(listed.query).upper()
    assert "DISTINCT" not in sql
    assert "IN (SELECT" in sql
