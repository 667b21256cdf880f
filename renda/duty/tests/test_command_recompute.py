"""recompute_points: rebuilds what the signals missed (records written without a commit hook,
a bulk import), changes nothing the second time, and refuses a bad year."""

import pytest
from django.core.management import CommandError, call_command

from renda.duty.models import PointEntry
from renda.duty.tests.conftest import activity, attend, collected


def test_it_fills_in_the_ledger_and_is_idempotent(personas, capsys):
    # No on_commit: the signal handlers' work never runs, as after a bulk import.
    collected(personas)
    attend(activity(personas), personas.deputies["deputy"])
    assert not PointEntry.objects.exists()
    call_command("recompute_points", "--year", "2026")
    assert "新增明细 2 条" in capsys.readouterr().out
    assert sorted(PointEntry.objects.values_list("reason", flat=True)) == [
        "+1 分 收集民情意见 2026-09-15",
        "+2 分 参加接待日 2026-09-10",
    ]
    call_command("recompute_points")
    assert "新增明细 0 条，作废或替代 0 条" in capsys.readouterr().out


def test_another_year_leaves_this_one_alone(personas, capsys):
    collected(personas)
    call_command("recompute_points", "--year", "2025")
    assert not PointEntry.objects.exists()


def test_it_refuses_a_bad_year(personas):
    with pytest.raises(CommandError, match="年度 1999 无效"):
        call_command("recompute_points", "--year", "1999")
