"""Every write to activities, campaigns, schedules and visits: one service per action.

Each takes keyword arguments with the acting user, runs in one transaction, checks the actor's
scope (a clerk records only for deputies and stations in scope; a deputy only for themselves)
and raises ValidationError with a Chinese message for bad input. Nothing is deleted.
"""

from renda.activities.services.activities import (
    activity_cancel,
    activity_create,
    activity_link_case,
    activity_raise_case,
    activity_update,
    attendance_add,
    attendance_record,
    attendance_take,
)
from renda.activities.services.stations import (
    campaign_create,
    duty_day_hold,
    schedule_create,
    schedule_generate,
    visit_record,
)

__all__ = [
    "activity_cancel",
    "activity_create",
    "activity_link_case",
    "activity_raise_case",
    "activity_update",
    "attendance_add",
    "attendance_record",
    "attendance_take",
    "campaign_create",
    "duty_day_hold",
    "schedule_create",
    "schedule_generate",
    "visit_record",
]
