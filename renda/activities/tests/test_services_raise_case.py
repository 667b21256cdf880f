"""activity_raise_case: a problem or suggestion heard in an activity becomes a case, linked
both ways and carrying the campaign."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from renda.activities.models import Activity, ActivityCase
from renda.activities.services import (
    activity_cancel,
    activity_create,
    activity_link_case,
    activity_raise_case,
)
from renda.activities.tests.helpers import campaign, days, kind, station_activity
from renda.cases.models import Case, Category


def _raise(personas, activity, *, actor=None, **fields):
    fields.setdefault("nature", ActivityCase.Nature.PROBLEM)
    fields.setdefault("title", "湖滨路路灯不亮")
    fields.setdefault("content", "湖滨路东段路灯已坏两周，夜间出行不便。")
    fields.setdefault("category", Category.objects.get(name="城乡建设"))
    return activity_raise_case(actor=actor or personas.station_clerk, activity=activity, **fields)


def test_a_deputy_present_raises_a_problem_that_becomes_a_case(personas):
    six = campaign(personas)
    activity = station_activity(personas, campaign=six)
    link = _raise(personas, activity, raised_by=personas.deputies["deputy"])
    case = link.case
    assert case.channel == Case.Channel.ACTIVITY
    assert case.kind == Case.Kind.OPINION
    assert case.collected_by == personas.deputies["deputy"]
    assert case.region == activity.region
    assert link.campaign == six
    # Both ways: the activity lists the case, the case knows its activity.
    assert list(activity.case_links.all()) == [link]
    assert Case.objects.get(pk=case.pk).activity_link.activity == activity


def test_a_reception_day_case_comes_through_the_reception_channel(personas):
    activity = station_activity(personas, kind=kind("reception_day"))
    link = _raise(personas, activity, submitter_name="李群众", submitter_phone="13800001111")
    assert link.case.channel == Case.Channel.RECEPTION_DAY
    assert link.raised_by is None


def test_a_deputy_raises_in_their_own_record(personas):
    activity = activity_create(actor=personas.deputy, kind=kind(), date=days(0))
    link = _raise(personas, activity, actor=personas.deputy, nature=ActivityCase.Nature.SUGGESTION)
    assert link.raised_by == personas.deputies["deputy"]
    assert link.case.collected_by == personas.deputies["deputy"]


def test_the_same_submission_twice_links_once(personas):
    activity = station_activity(personas)
    first = _raise(personas, activity, raised_by=personas.deputies["deputy"], idempotency_key="k1")
    again = _raise(personas, activity, raised_by=personas.deputies["deputy"], idempotency_key="k1")
    assert first.pk == again.pk
    assert ActivityCase.objects.count() == 1


def test_a_deputy_who_was_not_present_cannot_be_the_one_who_raised_it(personas):
    activity = station_activity(personas, attended=())
    with pytest.raises(ValidationError, match="未登记出席"):
        _raise(personas, activity, raised_by=personas.deputies["deputy"])


def test_a_planned_activity_raises_nothing(personas):
    activity = station_activity(personas, when=4, attended=())
    with pytest.raises(ValidationError, match="尚未开展"):
        _raise(personas, activity, submitter_name="李群众", submitter_phone="13800001111")
    assert not Case.objects.exists()


def test_staff_without_a_deputy_need_the_voters_phone(personas):
    activity = station_activity(personas)
    with pytest.raises(ValidationError):
        _raise(personas, activity)
    assert not Case.objects.exists()


@pytest.mark.parametrize("name", ["other_town_clerk", "deputy", "leader"])
def test_others_cannot_raise_in_a_clerks_activity(personas, name):
    activity = station_activity(personas)
    with pytest.raises(PermissionDenied):
        _raise(personas, activity, actor=getattr(personas, name))


def test_the_link_keeps_the_activitys_date(personas):
    """The four lists sort and filter links by their own copy of the activity's date."""
    six = campaign(personas)
    activity = station_activity(personas, campaign=six, when=-20)
    raised = _raise(personas, activity, raised_by=personas.deputies["deputy"])
    assert raised.activity_date == activity.date
    other = station_activity(personas, campaign=six, when=-3)
    case = _raise(personas, activity, title="另一件事", raised_by=personas.deputies["deputy"]).case
    ActivityCase.objects.filter(case=case).delete()  # a case taken in without its activity
    linked = activity_link_case(
        actor=personas.station_clerk,
        activity=other,
        case=case,
        nature=ActivityCase.Nature.PROBLEM,
    )
    assert linked.activity_date == other.date


def _copies_match(link: ActivityCase) -> None:
    """The link's copies equal its activity's fields, read back from the database."""
    link = ActivityCase.objects.select_related("activity").get(pk=link.pk)
    activity = link.activity
    assert (
        link.campaign_id,
        link.activity_date,
        link.region_id,
        link.organiser_id,
        link.station_id,
        link.activity_created_by_id,
        link.activity_cancelled,
    ) == (
        activity.campaign_id,
        activity.date,
        activity.region_id,
        activity.organiser_id,
        activity.station_id,
        activity.created_by_id,
        activity.status == Activity.Status.CANCELLED,
    )


def test_every_link_copies_its_activitys_scope(personas):
    """The four lists read the activity's region, organiser, station, recorder and status on
    the link: both ways of making a link copy them, and a cancellation reaches its links."""
    six = campaign(personas)
    held = station_activity(personas, campaign=six, when=-5)
    raised = _raise(personas, held, raised_by=personas.deputies["deputy"])
    assert raised.station_id == personas.stations["town"].pk
    _copies_match(raised)
    # A deputy's own record, with no station: the region of their seat.
    own = activity_create(actor=personas.deputy, kind=kind(), date=days(-2), title="走访企业")
    by_deputy = _raise(personas, own, actor=personas.deputy, title="企业用工难")
    assert by_deputy.station_id is None and by_deputy.activity_created_by_id == personas.deputy.pk
    _copies_match(by_deputy)
    planned = station_activity(personas, when=7, attended=())
    case = _raise(personas, held, title="另一件事", raised_by=personas.deputies["deputy"]).case
    ActivityCase.objects.filter(case=case).delete()  # a case taken in without its activity
    linked = activity_link_case(
        actor=personas.station_clerk,
        activity=planned,
        case=case,
        nature=ActivityCase.Nature.SUGGESTION,
    )
    _copies_match(linked)
    assert not linked.activity_cancelled
    activity_cancel(actor=personas.station_clerk, activity=planned)
    _copies_match(linked)
    assert ActivityCase.objects.get(pk=linked.pk).activity_cancelled
    _copies_match(raised)  # another activity's links untouched
