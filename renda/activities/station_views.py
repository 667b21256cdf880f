"""Campaigns, station calendars (schedules and duty days) and officials' visits."""

import calendar
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from renda.activities import forms, selectors, services
from renda.activities.models import Activity, ActivityCase
from renda.org.roles import Perm
from renda.org.scope import scope_for

PAGE_SIZE = 50


def _require_manage(user) -> None:
    if not selectors.can_manage(user):
        raise PermissionDenied("您没有管理履职活动的权限。")


def _can_read_lists(user) -> bool:
    scope = scope_for(user)
    return scope.can(Perm.ACTIVITIES_MANAGE) or scope.can(Perm.DEPUTIES_VIEW)


# --- campaigns ------------------------------------------------------------------------------


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = (
        selectors.campaigns_for_user(request.user)
        .annotate(directions_count=Count("directions", distinct=True))
        .order_by("-start_date", "-pk")
    )
    page = Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/campaign_list.html",
        {"page": page, "can_manage": selectors.can_manage(request.user)},
    )


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.get_campaign_for_user(request.user, pk)
    activities = selectors.activities_for_user(request.user).filter(campaign=campaign)
    by_direction = (
        activities.exclude(status=Activity.Status.CANCELLED)
        .values("direction__name")
        .annotate(n=Count("pk"))
        .order_by("direction__name")
    )
    links = ActivityCase.objects.filter(activity__in=activities.values("pk"))
    return render(
        request,
        "activities/campaign_detail.html",
        {
            "campaign": campaign,
            "directions": campaign.directions.all(),
            "by_direction": by_direction,
            "recent": activities.order_by("-date", "-pk")[:20],
            "totals": {
                "activities": activities.exclude(status=Activity.Status.CANCELLED).count(),
                "problems": links.filter(nature=ActivityCase.Nature.PROBLEM).count(),
                "suggestions": links.filter(nature=ActivityCase.Nature.SUGGESTION).count(),
            },
            # The four lists are for clerks and leaders; a deputy would only meet a 403.
            "can_read_lists": _can_read_lists(request.user),
        },
    )


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    _require_manage(request.user)
    form = forms.CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(
                actor=request.user,
                name=data["name"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                description=data.get("description") or "",
                directions=form.direction_list(),
                organiser=data.get("organiser"),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"已创建主题活动“{campaign.name}”。")
            return redirect("activities:campaign_detail", pk=campaign.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "activities/campaign_form.html", {"form": form}, status=status)


# --- station calendar -----------------------------------------------------------------------


@login_required
def calendar_home(request: HttpRequest) -> HttpResponse:
    """The stations whose calendars the user can open; a station clerk goes straight to theirs."""
    stations = list(selectors.stations_for_activities(request.user).order_by("path")[:200])
    if len(stations) == 1:
        return redirect("activities:calendar", pk=stations[0].pk)
    return render(request, "activities/calendar_home.html", {"stations": stations})


def _month_grid(month: dt.date, days) -> list[list[dict]]:
    by_date: dict[dt.date, list] = {}
    for day in days:
        by_date.setdefault(day.date, []).append(day)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
        weeks.append(
            [
                {"date": d, "in_month": d.month == month.month, "entries": by_date.get(d, [])}
                for d in week
            ]
        )
    return weeks


@login_required
def station_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    station = selectors.get_station_for_activities(request.user, pk)
    month = forms.month_of(request.GET.get("month"))
    days = list(selectors.duty_days_of_month(request.user, station, month))
    prev_month = (month - dt.timedelta(days=1)).replace(day=1)
    next_month = (month + dt.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "activities/calendar.html",
        {
            "station": station,
            "month": month,
            "prev_month": prev_month,
            "next_month": next_month,
            "weeks": _month_grid(month, days),
            "days": days,
            "today": timezone.localdate(),
            "schedules": selectors.schedules_for_user(request.user).filter(station=station),
            "can_manage": selectors.can_manage(request.user),
        },
    )


@login_required
def schedule_create(request: HttpRequest) -> HttpResponse:
    _require_manage(request.user)
    initial = {}
    station_pk = request.GET.get("station", "")
    if station_pk.isdigit():
        initial["station"] = int(station_pk)
    form = forms.ScheduleForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["title"] = data.get("title") or ""
        try:
            schedule = services.schedule_create(actor=request.user, **data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                f"已设置“{schedule.title}”，生成 {schedule.duty_days.count()} 个值班日。",
            )
            return redirect("activities:calendar", pk=schedule.station_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "activities/schedule_form.html", {"form": form}, status=status)


@login_required
@require_POST
def schedule_generate(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request.user)
    schedule = get_object_or_404(selectors.schedules_for_user(request.user), pk=pk)
    until = timezone.localdate() + dt.timedelta(days=services.stations.GENERATE_DAYS * 2)
    try:
        created = services.schedule_generate(actor=request.user, schedule=schedule, until=until)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已生成 {len(created)} 个值班日。")
    return redirect("activities:calendar", pk=schedule.station_id)


@login_required
@require_POST
def duty_day_hold(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request.user)
    duty_day = get_object_or_404(selectors.duty_days_for_user(request.user), pk=pk)
    try:
        activity = services.duty_day_hold(actor=request.user, duty_day=duty_day)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("activities:calendar", pk=duty_day.station_id)
    return redirect("activities:detail", pk=activity.pk)


# --- officials' visits ----------------------------------------------------------------------


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    if not (selectors.can_manage(request.user) or scope_for(request.user).can(Perm.DEPUTIES_VIEW)):
        raise PermissionDenied("您没有查看工作人员进站记录的权限。")
    visits = selectors.visits_for_user(request.user).order_by("-date", "-pk")
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/visit_list.html",
        {"page": page, "can_manage": selectors.can_manage(request.user)},
    )


@login_required
def visit_create(request: HttpRequest) -> HttpResponse:
    _require_manage(request.user)
    form = forms.VisitForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        for name in ("official_post", "unit_name", "questions"):
            data[name] = data.get(name) or ""
        data["answered_count"] = data.get("answered_count") or 0
        data["deputies"] = list(data.get("deputies") or [])
        try:
            visit = services.visit_record(actor=request.user, **data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"已登记{visit.official_name}进站。")
            return redirect("activities:detail", pk=visit.activity_id)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "activities/visit_form.html",
        {"form": form, "checks": forms.shortlist(form["deputies"])},
        status=status,
    )
