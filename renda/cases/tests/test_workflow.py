"""The transition table itself: complete, consistent, and backed by one service per action."""

from renda.cases import services
from renda.cases.models import Case
from renda.cases.workflow import TRANSITIONS, Action, Relation
from renda.org.roles import Role


def test_it_has_one_transition_per_action():
    assert set(TRANSITIONS) == set(Action)


def test_it_has_a_service_for_every_action():
    # 重办 (reopen) is the unsatisfied branch of case_rate: one rating form, two transitions.
    for action in Action:
        if action == Action.REOPEN:
            continue
        assert callable(getattr(services, f"case_{action.value}")), action


def test_it_names_only_real_states_and_roles():
    for t in TRANSITIONS.values():
        assert set(t.from_states) <= set(Case.State.values), t.action
        assert t.to_state is None or t.to_state in Case.State.values, t.action
        assert set(t.roles) <= set(Role.values), t.action
        assert t.label


def test_it_leaves_no_way_out_of_the_final_states():
    finals = {Case.State.CLOSED, Case.State.REJECTED, Case.State.MERGED}
    for t in TRANSITIONS.values():
        if t.action == Action.CONVERT_TO_AGENDA:
            continue  # records a link, the state stays closed
        assert not finals & set(t.from_states), t.action


def test_it_reaches_every_state_from_submission():
    reached = {Case.State.SUBMITTED}
    changed = True
    while changed:
        changed = False
        for t in TRANSITIONS.values():
            if t.to_state and reached & set(t.from_states) and t.to_state not in reached:
                reached.add(t.to_state)
                changed = True
    assert reached == set(Case.State.values)


def test_it_lets_only_the_scheduler_close_unrated():
    t = TRANSITIONS[Action.CLOSE_UNRATED]
    assert t.relation == Relation.SYSTEM and not t.roles
