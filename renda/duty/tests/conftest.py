"""Duty fixtures: a fixed clock, and cases a deputy collected, made with the real services."""

import pytest
import time_machine

from renda.cases.models import Case
from renda.cases.services import case_reject, case_reply
from renda.cases.tests.conftest import town_handler  # noqa: F401
from renda.cases.tests.helpers import at, handling_by_town, submit

# The browser fixtures of the workbench tests, for test_browser_me.py.
from renda.workbench.tests.conftest import (  # noqa: F401
    _async_unsafe_allowed,
    browser,
    shot,
)


@pytest.fixture(autouse=True)
def clock():
    """Tuesday 2026-09-15, 10:00 in Shanghai, unless a test travels elsewhere."""
    with time_machine.travel(at(2026, 9, 15), tick=False) as traveller:
        yield traveller


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what the signal handlers schedule after commit, as it would run in production."""

    def _run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return _run


def collected(personas, *, deputy: str = "deputy", kind: str = Case.Kind.OPINION, **fields):
    """A voter's opinion that a deputy recorded from their phone (collected_by)."""
    d = personas.deputies[deputy]
    region = personas.regions["village" if deputy == "deputy" else "other_village"]
    grid = personas.grids["town" if deputy == "deputy" else "other_town"]
    defaults = {
        "actor": d.user or personas.town_clerk,
        "collected_by": d,
        "channel": Case.Channel.DEPUTY,
        "submitter_name": "王五",
        "kind": kind,
        "region": region,
        "grid": grid,
    }
    defaults.update(fields)
    return submit(personas, **defaults)


def solved(personas, handler, **fields) -> Case:
    case = handling_by_town(
        personas,
        handler,
        actor=personas.deputy,
        collected_by=personas.deputies["deputy"],
        channel=Case.Channel.DEPUTY,
        submitter_name="王五",
        **fields,
    )
    return case_reply(
        case=case, actor=handler, version=case.version, result_class="solved", reply="已修复。"
    )


def rejected(personas, case: Case) -> Case:
    return case_reject(
        case=case, actor=personas.town_clerk, version=case.version, reason="重复反映。"
    )


def activity(personas, *, kind: str = "reception_day", date=None, **fields):
    """A held activity at 东湖街道代表联络站 (made with the ORM: its saves send the same
    signals the activities services' saves do)."""
    import datetime as dt

    from renda.activities.models import Activity, ActivityKind

    values = {
        "kind": ActivityKind.objects.get(code=kind),
        "title": "湖滨社区接待日",
        "date": date or dt.date(2026, 9, 10),
        "station": personas.stations["town"],
        "region": personas.regions["town"],
        "organiser": personas.units["town"],
        "status": Activity.Status.HELD,
    }
    values.update(fields)
    return Activity.objects.create(**values)


def attend(activity, deputy, status: str = "attended"):
    from renda.activities.models import Attendance

    row, _ = Attendance.objects.update_or_create(
        activity=activity,
        deputy=deputy,
        defaults={"status": status, "activity_date": activity.date},
    )
    return row
