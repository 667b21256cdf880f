"""report_submit / report_correct: freezing, versions, refusals."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from renda.reports import services
from renda.reports.models import MonthlyReport, ReportSettings
from renda.reports.tests.helpers import EXPECTED, SEPTEMBER, at, opinion

pytestmark = pytest.mark.django_db


def _submit(personas, unit="town", actor="town_clerk", when=(2026, 10, 12), **kwargs):
    with time_machine.travel(at(*when), tick=False):
        return services.report_submit(
            unit=personas.units[unit], month=SEPTEMBER, actor=personas.users[actor], **kwargs
        )


def test_a_submitted_report_freezes_the_figures(personas, september):
    report = _submit(
        personas,
        notes="街道本月重点走访企业。",
        typical_cases=[{"code": september["solved"].code, "text": "三天内疏通。"}],
    )
    assert report.version == 1 and not report.is_late
    assert {k: report.figures[k] for k in EXPECTED["T1-GW"]} == EXPECTED["T1-GW"]
    assert report.typical_cases == [
        {"code": september["solved"].code, "title": "小区门口积水", "text": "三天内疏通。"}
    ]
    # A case filed later in September changes the live figures, not the report.
    with time_machine.travel(at(2026, 9, 28), tick=False):
        opinion(personas, "village", "补录的九月事项")
    assert services.report_draft(unit=personas.units["town"], month=SEPTEMBER)["collected"] == 4
    report.refresh_from_db()
    assert report.figures["collected"] == 3


def test_submitting_twice_without_a_correction_is_refused(personas, september):
    _submit(personas)
    with pytest.raises(ValidationError, match="不能重复报送；如需修改，请提交更正版本"):
        _submit(personas)
    assert MonthlyReport.objects.count() == 1


def test_a_correction_is_a_new_version_and_keeps_the_history(personas, september):
    first = _submit(personas)
    with time_machine.travel(at(2026, 9, 28), tick=False):
        opinion(personas, "village", "补录的九月事项")
    with time_machine.travel(at(2026, 10, 15), tick=False):
        second = services.report_correct(
            unit=personas.units["town"],
            month=SEPTEMBER,
            actor=personas.town_clerk,
            reason="补录一件九月事项。",
        )
    assert second.version == 2 and second.figures["collected"] == 4
    first.refresh_from_db()
    assert first.figures["collected"] == 3
    assert list(MonthlyReport.objects.order_by("version").values_list("version", flat=True)) == [
        1,
        2,
    ]


def test_a_correction_needs_a_reason_and_a_first_version(personas, september):
    with time_machine.travel(at(2026, 10, 12), tick=False):
        with pytest.raises(ValidationError, match="尚未报送"):
            services.report_correct(
                unit=personas.units["town"], month=SEPTEMBER, actor=personas.town_clerk, reason="x"
            )
        with pytest.raises(ValidationError, match="请填写更正说明"):
            services.report_correct(
                unit=personas.units["town"], month=SEPTEMBER, actor=personas.town_clerk, reason=" "
            )


@pytest.mark.parametrize("actor", ["other_town_clerk", "county_clerk", "leader", "station_clerk"])
def test_only_the_units_own_clerk_submits(personas, september, actor):
    with pytest.raises(PermissionDenied):
        _submit(personas, actor=actor)
    assert not MonthlyReport.objects.exists()


def test_a_month_not_yet_over_is_refused(personas, september):
    with pytest.raises(ValidationError, match="尚未结束"):
        _submit(personas, when=(2026, 9, 30, 23))


def test_a_case_outside_the_unit_cannot_be_typical(personas, september):
    with pytest.raises(ValidationError, match="不在本单位辖区内"):
        _submit(personas, typical_cases=[{"code": september["other"].code, "text": ""}])
    assert not MonthlyReport.objects.exists()


def test_late_after_the_configurable_deadline(personas, september):
    late = _submit(personas, unit="other_town", actor="other_town_clerk", when=(2026, 10, 21))
    assert late.is_late and str(late.deadline) == "2026-10-20"
    ReportSettings.objects.create(pk=1, deadline_day=25)
    on_time = _submit(personas, when=(2026, 10, 24))
    assert not on_time.is_late and str(on_time.deadline) == "2026-10-25"
