"""nomination_propose ranks a congress's deputies from the ledger; nomination_decide records
who confirmed and when; re-proposing withdraws, never deletes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from renda.cases.models import Case
from renda.deputies.models import Deputy
from renda.duty.models import Nomination
from renda.duty.services import nomination_decide, nomination_propose
from renda.duty.tests.conftest import activity, attend, collected


def town_deputies(personas):
    return Deputy.objects.filter(seats__term__congress=personas.units["town"])


def test_it_proposes_the_top_deputies_and_a_clerk_confirms(personas, on_commit):
    on_commit(attend, on_commit(activity, personas), personas.deputies["deputy"])
    made = nomination_propose(
        actor=personas.town_clerk,
        honour=Nomination.Honour.ACTIVIST,
        congress=personas.units["town"],
        year=2026,
        top=5,
        deputies=town_deputies(personas),
    )
    assert [(n.deputy.name, n.rank, n.points) for n in made] == [("张代表", 1, 2)]
    assert made[0].basis == "按年度履职积分总分，2026 年共 +2 分，第 1 名"
    decided = nomination_decide(
        actor=personas.town_clerk, nomination=made[0], confirm=True, note="经主席团研究"
    )
    assert decided.status == Nomination.Status.CONFIRMED
    assert decided.decided_by == personas.town_clerk and decided.decided_at is not None
    with pytest.raises(ValidationError, match="不能重复处理"):
        nomination_decide(actor=personas.town_clerk, nomination=made[0], confirm=False)


def test_suggestion_honour_counts_only_suggestion_points(personas, on_commit):
    on_commit(attend, on_commit(activity, personas), personas.deputies["deputy"])
    with pytest.raises(ValidationError, match="没有可据以推荐的积分记录"):
        nomination_propose(
            actor=personas.town_clerk,
            honour=Nomination.Honour.SUGGESTION_LEAD,
            congress=personas.units["town"],
            year=2026,
            top=3,
            deputies=town_deputies(personas),
        )
    on_commit(collected, personas, kind=Case.Kind.SUGGESTION)
    made = nomination_propose(
        actor=personas.town_clerk,
        honour=Nomination.Honour.SUGGESTION_LEAD,
        congress=personas.units["town"],
        year=2026,
        top=3,
        deputies=town_deputies(personas),
    )
    assert made[0].points == 3


def test_reproposing_withdraws_those_who_fell_out(personas, on_commit):
    from renda.deputies.models import Seat, Term

    a = on_commit(activity, personas)
    on_commit(attend, a, personas.deputies["deputy"])
    args = {
        "actor": personas.town_clerk,
        "honour": Nomination.Honour.ACTIVIST,
        "congress": personas.units["town"],
        "year": 2026,
        "top": 1,
    }
    first = nomination_propose(deputies=town_deputies(personas), **args)
    newcomer = Deputy.objects.create(name="李新", gender="female")
    Seat.objects.create(deputy=newcomer, term=Term.objects.get(congress=personas.units["town"]))
    on_commit(attend, a, newcomer)
    on_commit(attend, on_commit(activity, personas, kind="study"), newcomer)
    second = nomination_propose(deputies=town_deputies(personas), **args)
    assert [n.deputy for n in second] == [newcomer]
    first[0].refresh_from_db()
    assert first[0].status == Nomination.Status.WITHDRAWN
    assert first[0].note == "重新推荐后未进入名单"
    assert Nomination.objects.count() == 2


def test_bad_input_and_roles(personas):
    base = {
        "honour": Nomination.Honour.ACTIVIST,
        "congress": personas.units["town"],
        "year": 2026,
        "deputies": town_deputies(personas),
    }
    with pytest.raises(ValidationError, match="1 到 200"):
        nomination_propose(actor=personas.town_clerk, top=0, **base)
    with pytest.raises(PermissionDenied):
        nomination_propose(actor=personas.station_clerk, top=3, **base)
    with pytest.raises(ValidationError, match="不是人大机关"):
        nomination_propose(
            actor=personas.admin, top=3, **{**base, "congress": personas.units["town_gov"]}
        )
