"""Shared set-up for the activity tests: dates around today and one activity per call."""

import datetime as dt

from django.utils import timezone

from renda.activities.models import ActivityKind, Attendance
from renda.activities.services import activity_create, campaign_create


def today() -> dt.date:
    return timezone.localdate()


def days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


def kind(code: str = "visit_voters") -> ActivityKind:
    return ActivityKind.objects.get(code=code)


def station_activity(personas, *, when: int = -1, attended=("deputy",), **fields):
    """An activity at 东湖街道代表联络站, recorded by its station clerk."""
    fields.setdefault("kind", kind())
    return activity_create(
        actor=personas.station_clerk,
        date=days(when),
        station=personas.stations["town"],
        attendance=[(personas.deputies[d], Attendance.Status.ATTENDED) for d in attended],
        **fields,
    )


def campaign(personas, *, actor=None, **fields):
    fields.setdefault("name", "六访六促")
    fields.setdefault("start_date", days(-30))
    fields.setdefault("end_date", days(60))
    fields.setdefault(
        "directions", ["访企业生产运行，促经济高质量发展", "访生态环境治理，促生态富民惠民"]
    )
    return campaign_create(actor=actor or personas.county_clerk, **fields)
