"""Reads of activities, campaigns, duty days and visits, always through the reader's scope.

A station clerk sees what happens at their station (and the points under it); a congress clerk
or leader what happens in the regions under their unit or what their congress organised; a
deputy the activities they were invited to or recorded themselves.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from renda.activities.models import (
    Activity,
    ActivityCase,
    Attendance,
    Campaign,
    DutyDay,
    DutyDayDeputy,
    OfficialVisit,
    StationSchedule,
)
from renda.cases.models import Case
from renda.deputies.models import Deputy
from renda.deputies.selectors import deputies_for_user
from renda.org.models import Region, Station
from renda.org.roles import Perm
from renda.org.scope import Scope, scope_for

ACTIVITY_LOOKUPS = {"region": "region", "unit": "organiser", "station": "station"}
# A station clerk's grant reaches the station's whole region; activities narrow it to the
# station and the points under it.
ACTIVITY_STATION_LOOKUPS = {"station": "station"}
# A case link carries copies of its activity's region, organiser and station (ActivityCase).
LINK_LOOKUPS = {"region": "region", "unit": "organiser", "station": "station"}
LINK_STATION_LOOKUPS = {"station": "station"}
VISIT_LOOKUPS = {"region": "station__region", "station": "station", "unit": "station__congress"}
VISIT_STATION_LOOKUPS = {"station": "station"}
DUTY_LOOKUPS = {"region": "station__region", "station": "station", "unit": "station__congress"}


def _scoped_q(scope: Scope, lookups: dict, station_lookups: dict, *, model=None) -> Q:
    """The scope's filter, with a station-anchored grant reaching only its station subtree.
    With the model, relation hops are semi-joins (see `renda.org.scope`); without, joins."""
    combined: Q | None = None
    for grant in scope.grants:
        one = Scope(user_id=scope.user_id, grants=(grant,))
        q = one.q(model=model, **(station_lookups if grant.station is not None else lookups))
        if not q:
            return Q()
        combined = q if combined is None else combined | q
    return combined if combined is not None else Q(pk__in=[])


def can_manage(user) -> bool:
    scope = scope_for(user)
    return user.is_authenticated and scope.can(Perm.ACTIVITIES_MANAGE) and not scope.read_only


def _can_read_all_in_scope(user) -> bool:
    scope = scope_for(user)
    return scope.can(Perm.ACTIVITIES_MANAGE) or scope.can(Perm.DEPUTIES_VIEW)


def own_deputy(user) -> Deputy | None:
    if not user.is_authenticated:
        return None
    return Deputy.objects.filter(user_id=user.pk).first()


def activities_for_user(user) -> QuerySet[Activity]:
    qs = Activity.objects.select_related("kind", "station", "region", "organiser", "campaign")
    if not user.is_authenticated:
        return qs.none()
    if _can_read_all_in_scope(user):
        q = _scoped_q(scope_for(user), ACTIVITY_LOOKUPS, ACTIVITY_STATION_LOOKUPS, model=Activity)
        if not q:
            return qs
        # A deputy who is also staff still sees their own records.
        return qs.filter(q | Q(created_by_id=user.pk))
    own = Attendance.objects.filter(deputy__user_id=user.pk).values("activity_id")
    return qs.filter(Q(created_by_id=user.pk) | Q(pk__in=own))


def get_activity_for_user(user, pk: int, *, write: bool = False) -> Activity:
    """The activity, 404 outside the user's scope. With `write`, a clerk who manages
    activities, or the deputy who recorded it."""
    activity = get_object_or_404(activities_for_user(user), pk=pk)
    if write and not can_write_activity(user, activity):
        raise PermissionDenied("您不能修改这条活动记录。")
    return activity


def can_write_activity(user, activity: Activity) -> bool:
    """A clerk who manages activities and reaches this one, or the deputy who recorded it."""
    if can_manage(user) and activities_for_user(user).filter(pk=activity.pk).exists():
        return True
    return activity.created_by_id == user.pk and own_deputy(user) is not None


def attendances_of(activity: Activity) -> QuerySet[Attendance]:
    return activity.attendances.select_related("deputy").order_by("deputy__name", "pk")


def case_links_of(activity: Activity) -> QuerySet[ActivityCase]:
    return activity.case_links.select_related("case", "raised_by").order_by("pk")


def _grant_region_paths(scope: Scope) -> list[str]:
    paths = []
    for grant in scope.grants:
        region = grant.region
        if region is not None:
            paths.append(region.path)
    return paths


def _ancestor_paths(paths: list[str]) -> set[str]:
    step = Region.steplen
    return {path[:end] for path in paths for end in range(step, len(path) + 1, step)}


def campaigns_for_user(user) -> QuerySet[Campaign]:
    """Campaigns organised within the user's scope, and those of the regions above it that the
    user takes part in (a city's 六访六促 reaches every town clerk and station under it)."""
    qs = Campaign.objects.select_related("organiser", "region")
    if not user.is_authenticated:
        return qs.none()
    scope = scope_for(user)
    if scope.is_everything:
        return qs
    paths = _grant_region_paths(scope)
    deputy = own_deputy(user)
    if deputy is not None:
        paths += list(
            deputy.seats.filter(status="serving").values_list(
                "term__congress__region__path", flat=True
            )
        )
    q = Q(region__path__in=_ancestor_paths(paths))
    if _can_read_all_in_scope(user):
        q |= scope.q(region="region", unit="organiser")
    return qs.filter(q)


def get_campaign_for_user(user, pk: int, *, write: bool = False) -> Campaign:
    campaign = get_object_or_404(campaigns_for_user(user), pk=pk)
    if write and not can_manage(user):
        raise PermissionDenied("您不能修改主题活动。")
    return campaign


def stations_for_activities(user) -> QuerySet[Station]:
    """The stations a user may record an activity at: a clerk's stations in scope, a deputy's
    own stations."""
    qs = Station.objects.filter(is_active=True).select_related("region", "congress")
    if not user.is_authenticated:
        return qs.none()
    if _can_read_all_in_scope(user):
        scope = scope_for(user)
        q = _scoped_q(
            scope,
            {"station": "", "region": "region", "unit": "congress"},
            {"station": ""},
        )
        return qs.filter(q) if q else qs
    return qs.filter(deputy_memberships__deputy__user_id=user.pk)


def deputies_for_attendance(user, station: Station | None = None) -> QuerySet[Deputy]:
    """Whom a user may record attendance for; a station's members first."""
    if can_manage(user):
        qs = deputies_for_user(user)
    else:
        qs = (
            Deputy.objects.filter(user_id=user.pk)
            if user.is_authenticated
            else Deputy.objects.none()
        )
    qs = Deputy.objects.filter(pk__in=qs.values("pk"))
    if station is not None:
        member = Q(station_memberships__station=station)
        qs = qs.annotate(is_member=Count("station_memberships", filter=member)).order_by(
            "-is_member", "name", "pk"
        )
    else:
        qs = qs.order_by("name", "pk")
    return qs


def schedules_for_user(user) -> QuerySet[StationSchedule]:
    qs = StationSchedule.objects.select_related("station", "activity_kind")
    return qs.filter(station__in=stations_for_activities(user).values("pk"))


def get_station_for_activities(user, pk: int) -> Station:
    return get_object_or_404(stations_for_activities(user), pk=pk)


def duty_days_for_user(user) -> QuerySet[DutyDay]:
    qs = DutyDay.objects.select_related("station", "schedule", "activity").prefetch_related(
        Prefetch("rota", queryset=DutyDayDeputy.objects.select_related("deputy").order_by("pk"))
    )
    if not user.is_authenticated:
        return qs.none()
    if _can_read_all_in_scope(user):
        q = _scoped_q(scope_for(user), DUTY_LOOKUPS, {"station": "station"})
        return qs.filter(q) if q else qs
    return qs.filter(rota__deputy__user_id=user.pk)


def duty_days_of_month(user, station: Station, month: dt.date) -> QuerySet[DutyDay]:
    first = month.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return duty_days_for_user(user).filter(station=station, date__range=(first, last))


def visits_for_user(user) -> QuerySet[OfficialVisit]:
    qs = OfficialVisit.objects.select_related("station", "unit")
    if not user.is_authenticated or not _can_read_all_in_scope(user):
        return qs.none()
    q = _scoped_q(scope_for(user), VISIT_LOOKUPS, VISIT_STATION_LOOKUPS)
    return qs.filter(q) if q else qs


def get_visit_for_user(user, pk: int) -> OfficialVisit:
    return get_object_or_404(visits_for_user(user), pk=pk)


@dataclass
class FourLists:
    """四张清单: what was done, the problems and suggestions raised, and what got solved."""

    activities: QuerySet[Activity]
    problems: QuerySet[ActivityCase]
    suggestions: QuerySet[ActivityCase]
    results: QuerySet[ActivityCase]
    # The links the three case lists are drawn from, each list a condition in CASE_LISTS.
    links: QuerySet[ActivityCase]

    def case_counts(self) -> dict[str, int]:
        """The rows of the problem, suggestion and results lists, in one query."""
        return self.links.order_by().aggregate(
            **{name: Count("pk", filter=q) for name, q in CASE_LISTS.items()}
        )


SOLVED_STATES = (Case.State.REPLIED, Case.State.CLOSED)
CASE_LISTS = {
    "problems": Q(nature=ActivityCase.Nature.PROBLEM),
    "suggestions": Q(nature=ActivityCase.Nature.SUGGESTION),
    "results": Q(case__state__in=SOLVED_STATES, case__result_class=Case.ResultClass.SOLVED),
}


def four_lists(
    user,
    *,
    campaign: Campaign | None = None,
    station: Station | None = None,
    region: Region | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> FourLists:
    def narrowed(qs, prefix: str, date: str = "date"):
        q = ~Q(**{f"{prefix}status": Activity.Status.CANCELLED})
        if station is not None:
            q &= Q(**{f"{prefix}station__path__startswith": station.path})
        if region is not None:
            q &= Q(**{f"{prefix}region__path__startswith": region.path})
        if start is not None:
            q &= Q(**{f"{date}__gte": start})
        if end is not None:
            q &= Q(**{f"{date}__lte": end})
        return qs.filter(q)

    activities = narrowed(activities_for_user(user), "")
    links = ActivityCase.objects.select_related(
        "activity", "case__category", "case__region", "raised_by"
    ).order_by("-activity_date", "-pk")
    if campaign is not None:
        activities = activities.filter(campaign=campaign)
        # The link carries its campaign: a campaign's lists start from its few links.
        links = links.filter(campaign=campaign)
    if _can_read_all_in_scope(user):
        # The same tests as the activities', on the link's own copies of its activity's
        # region, organiser, station, recorder, status and date: a campaign's links are
        # filtered as they are read, none joined to its activity (PostgreSQL merge-joined a
        # campaign's 2,000 links with the activities' primary key, 20,000 rows read).
        q = _scoped_q(scope_for(user), LINK_LOOKUPS, LINK_STATION_LOOKUPS, model=ActivityCase)
        if q:
            links = links.filter(q | Q(activity_created_by_id=user.pk))
        q = Q(activity_cancelled=False)
        if station is not None:
            q &= Q(station__in=Station.objects.filter(path__startswith=station.path).values("pk"))
        if region is not None:
            q &= Q(region__in=Region.objects.filter(path__startswith=region.path).values("pk"))
        if start is not None:
            q &= Q(activity_date__gte=start)
        if end is not None:
            q &= Q(activity_date__lte=end)
        links = links.filter(q)
    else:
        links = links.filter(activity__in=activities.values("pk"))
    # The attended count is a correlated subquery: it runs for the rows shown (after LIMIT),
    # not for every activity of the campaign as a GROUP BY would.
    attended = (
        Attendance.objects.filter(activity=OuterRef("pk"), status=Attendance.Status.ATTENDED)
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return FourLists(
        activities=activities.annotate(attended=Coalesce(Subquery(attended), Value(0))).order_by(
            "-date", "-pk"
        ),
        problems=links.filter(CASE_LISTS["problems"]),
        suggestions=links.filter(CASE_LISTS["suggestions"]),
        results=links.filter(CASE_LISTS["results"]),
        links=links,
    )
