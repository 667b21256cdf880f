"""rule_save: a change recomputes the entries it affects, keeps the old ones with a pointer to
their successors, refuses invalid periods and overlaps, and says before saving when it would
leave a deputy with a negative total."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from renda.duty.models import PointEntry, PointRule, PointRuleChange
from renda.duty.services import NegativeTotals, rule_save
from renda.duty.tests.conftest import collected


def opinion_rule() -> PointRule:
    return PointRule.objects.get(name="收集民情意见")


def test_a_new_value_supersedes_the_entries_and_keeps_history(personas, on_commit):
    on_commit(collected, personas)
    result = rule_save(actor=personas.city_clerk, rule=opinion_rule(), points=Decimal("1.5"))
    assert (result.sync.created, result.sync.ended) == (1, 1)
    old = PointEntry.objects.get(status="superseded")
    new = PointEntry.objects.get(status="active")
    assert old.replaced_by == new
    assert old.reason == "+1 分 收集民情意见 2026-09-15"
    assert new.reason == "+1.5 分 收集民情意见 2026-09-15"
    change = PointRuleChange.objects.get()
    assert change.actor == personas.city_clerk
    assert change.before["points"] == "1.0" and change.after["points"] == "1.5"
    assert (change.entries_created, change.entries_ended) == (1, 1)


def test_a_repriced_entry_keeps_its_id_and_the_copy_keeps_when_it_was_recorded(
    personas, on_commit, clock
):
    on_commit(collected, personas)
    entry = PointEntry.objects.get()
    clock.shift(dt.timedelta(days=3))
    rule_save(actor=personas.admin, rule=opinion_rule(), points=Decimal(2))
    rule_save(actor=personas.admin, rule=opinion_rule(), points=Decimal(3))
    live = PointEntry.objects.get(status="active")
    assert live.pk == entry.pk and live.points == Decimal(3)
    assert live.created_at > entry.created_at  # recorded again by the last change
    copies = PointEntry.objects.filter(status="superseded").order_by("pk")
    assert [(c.points, c.replaced_by_id) for c in copies] == [
        (Decimal(1), entry.pk),
        (Decimal(2), entry.pk),
    ]
    assert copies[0].created_at == entry.created_at
    assert all(c.ended_note == "积分规则“收集民情意见”修改" for c in copies)


def test_a_rule_ended_before_the_record_withdraws_its_entry(personas, on_commit):
    on_commit(collected, personas)
    rule_save(actor=personas.admin, rule=opinion_rule(), valid_to=dt.date(2026, 6, 30))
    assert PointEntry.objects.get().status == PointEntry.Status.WITHDRAWN


def test_a_successor_rule_takes_over_from_its_start(personas, on_commit):
    on_commit(collected, personas)
    rule_save(actor=personas.admin, rule=opinion_rule(), valid_to=dt.date(2026, 8, 31))
    rule_save(
        actor=personas.admin,
        name="收集民情意见（新办法）",
        source="case_collected",
        case_kind="opinion",
        points=Decimal(2),
        valid_from=dt.date(2026, 9, 1),
    )
    entry = PointEntry.objects.get(status="active")
    assert entry.reason == "+2 分 收集民情意见（新办法） 2026-09-15"


def test_it_refuses_an_end_before_the_start(personas):
    with pytest.raises(ValidationError) as exc:
        rule_save(actor=personas.admin, rule=opinion_rule(), valid_to=dt.date(2019, 1, 1))
    assert "失效日期不能早于生效日期" in str(exc.value)


def test_it_refuses_overlapping_rules_for_the_same_condition(personas):
    with pytest.raises(ValidationError) as exc:
        rule_save(
            actor=personas.admin,
            name="收集民情意见2",
            source="case_collected",
            case_kind="opinion",
            points=Decimal(2),
            valid_from=dt.date(2026, 1, 1),
        )
    assert "有效期重叠" in str(exc.value)


def test_it_refuses_points_out_of_range_and_a_changed_source(personas):
    with pytest.raises(ValidationError, match="-100 到 100"):
        rule_save(actor=personas.admin, rule=opinion_rule(), points=Decimal(500))
    with pytest.raises(ValidationError, match="不能更改积分来源"):
        rule_save(actor=personas.admin, rule=opinion_rule(), source="case_solved")


def test_it_refuses_a_negative_total_unless_confirmed(personas, on_commit):
    on_commit(collected, personas)
    with pytest.raises(NegativeTotals) as exc:
        rule_save(actor=personas.admin, rule=opinion_rule(), points=Decimal(-3))
    assert "张代表 2026 年：+1 → -3 分" in exc.value.messages[0]
    # Nothing was kept: the rule and the ledger are as they were.
    assert opinion_rule().points == Decimal(1)
    assert PointEntry.objects.get().points == Decimal(1)
    assert not PointRuleChange.objects.exists()
    result = rule_save(
        actor=personas.admin, rule=opinion_rule(), points=Decimal(-3), confirm_negative=True
    )
    assert result.change.negative_confirmed
    assert PointEntry.objects.get(status="active").points == Decimal(-3)


def test_a_preview_says_what_would_change_and_keeps_nothing(personas, on_commit):
    on_commit(collected, personas)
    result = rule_save(actor=personas.admin, rule=opinion_rule(), points=Decimal(4), preview=True)
    assert (result.sync.created, result.sync.ended, result.affected_deputies) == (1, 1, 1)
    assert PointEntry.objects.count() == 1
    assert opinion_rule().points == Decimal(1)


@pytest.mark.parametrize("who", ["station_clerk", "leader", "deputy", "citizen"])
def test_only_managers_change_rules(personas, who):
    with pytest.raises(PermissionDenied):
        rule_save(actor=getattr(personas, who), rule=opinion_rule(), points=Decimal(2))
