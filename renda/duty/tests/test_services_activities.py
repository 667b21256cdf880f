"""Points from activities: attendance by kind and status, duty days on the rota, and changes
to the activity that supersede or withdraw entries."""

import datetime as dt

from renda.activities.models import Activity, ActivityKind, DutyDay, DutyDayDeputy
from renda.duty.models import PointEntry
from renda.duty.tests.conftest import activity, attend


def active_reasons():
    return sorted(PointEntry.objects.filter(status="active").values_list("reason", flat=True))


def test_attending_a_reception_day_earns_its_rule(personas, on_commit):
    a = on_commit(activity, personas)
    on_commit(attend, a, personas.deputies["deputy"])
    entry = PointEntry.objects.get()
    assert entry.reason == "+2 分 参加接待日 2026-09-10"
    assert entry.record.activity == a
    assert entry.record_label == "湖滨社区接待日"


def test_a_kind_without_its_own_rule_uses_the_general_one(personas, on_commit):
    a = on_commit(activity, personas, kind="visit_voters", title="走访选民")
    on_commit(attend, a, personas.deputies["deputy"])
    assert active_reasons() == ["+1 分 参加履职活动 2026-09-10"]


def test_absence_is_deducted_and_leave_is_not(personas, on_commit):
    a = on_commit(activity, personas)
    on_commit(attend, a, personas.deputies["deputy"], "absent")
    on_commit(attend, a, personas.deputies["city"], "leave")
    assert active_reasons() == ["-2 分 无故缺席 2026-09-10"]


def test_correcting_attendance_supersedes_the_entry(personas, on_commit):
    a = on_commit(activity, personas)
    on_commit(attend, a, personas.deputies["deputy"], "attended")
    on_commit(attend, a, personas.deputies["deputy"], "absent")
    old = PointEntry.objects.get(status="superseded")
    assert old.reason == "+2 分 参加接待日 2026-09-10"
    assert old.replaced_by.reason == "-2 分 无故缺席 2026-09-10"


def test_changing_the_kind_or_cancelling_moves_the_entries(personas, on_commit):
    a = on_commit(activity, personas)
    on_commit(attend, a, personas.deputies["deputy"])
    a.kind = ActivityKind.objects.get(code="study")
    on_commit(a.save)
    assert active_reasons() == ["+1 分 参加履职活动 2026-09-10"]
    a.status = Activity.Status.CANCELLED
    on_commit(a.save)
    assert active_reasons() == []
    assert PointEntry.objects.filter(status="withdrawn").count() == 1


def test_a_planned_activity_earns_nothing_yet(personas, on_commit):
    a = on_commit(activity, personas, date=dt.date(2026, 10, 15), status="planned")
    on_commit(attend, a, personas.deputies["deputy"], "invited")
    assert not PointEntry.objects.exists()


def test_a_duty_day_held_and_attended_earns_duty_points(personas, on_commit):
    deputy = personas.deputies["deputy"]

    def make():
        day = DutyDay.objects.create(
            station=personas.stations["town"], date=dt.date(2026, 9, 10), title="每月接待日"
        )
        DutyDayDeputy.objects.bulk_create([DutyDayDeputy(duty_day=day, deputy=deputy)])
        return day

    day = on_commit(make)
    assert not PointEntry.objects.exists()  # not held yet
    a = on_commit(activity, personas)
    on_commit(attend, a, deputy)

    def hold():
        day.activity = a
        day.save(update_fields=["activity"])

    on_commit(hold)
    assert active_reasons() == ["+1 分 联络站值班 2026-09-10", "+2 分 参加接待日 2026-09-10"]
