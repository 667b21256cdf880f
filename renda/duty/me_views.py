"""A deputy's own pages (/me/): my points with the reason of each entry, my activities, my
cases and my coming duty days — phone first. A user who is not a deputy is told so."""

from functools import wraps

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from renda.duty import selectors
from renda.duty.views import period_from_request, recent_years, sheet_response


def deputy_required(view):
    """The view gets the signed-in user's deputy record; others get a page saying why not."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        deputy = selectors.deputy_of(request.user)
        if deputy is None:
            return render(request, "duty/me/not_deputy.html", status=403)
        return view(request, deputy, *args, **kwargs)

    return wrapper


def _url(name: str, *args) -> str:
    """A link to a page of another app, or nothing while that page does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _coming_duty_days(deputy, limit: int | None = 5):
    DutyDay = apps.get_model("activities", "DutyDay")
    qs = (
        DutyDay.objects.filter(
            rota__deputy=deputy, date__gte=timezone.localdate(), is_cancelled=False
        )
        .select_related("station")
        .order_by("date", "start_time", "pk")
    )
    return list(qs[:limit]) if limit else list(qs)


def _attendances(deputy):
    Attendance = apps.get_model("activities", "Attendance")
    return (
        Attendance.objects.filter(deputy=deputy)
        .exclude(activity__status="cancelled")
        .select_related("activity__kind", "activity__station")
        .order_by("-activity__date", "-pk")
    )


def _attended_count(deputy, period: selectors.Period) -> int:
    """The activities the deputy attended in the period, counted on the attendance rows' own
    copy of the date (attendance_deputy_date). No check of each activity's status: an
    activity someone attended cannot be cancelled, nor a cancelled one attended
    (`activity_cancel` and the attendance services lock the activity's row before reading
    its status and attendances, so the two cannot pass at the same moment)."""
    Attendance = apps.get_model("activities", "Attendance")
    return Attendance.objects.filter(
        deputy=deputy,
        status=Attendance.Status.ATTENDED,
        activity_date__range=(period.start, period.end),
    ).count()


@deputy_required
def home(request, deputy):
    period = selectors.Period.year(timezone.localdate().year)
    evaluation = selectors.evaluation(request.user, deputy, period, lines=False)
    recent = list(selectors.ledger(deputy, period)[:5])
    return render(
        request,
        "duty/me/home.html",
        {
            "deputy": deputy,
            "period": period,
            "evaluation": evaluation,
            "recent": recent,
            "duty_days": _coming_duty_days(deputy),
            "activity_count": _attended_count(deputy, period),
            "case_count": selectors.my_cases(deputy)
            .filter(created_at__year=period.start.year)
            .count(),
            "record_url": _url("activities:create"),
        },
    )


@deputy_required
def points(request, deputy):
    period = period_from_request(request)
    history = request.GET.get("history") == "1"
    return render(
        request,
        "duty/me/points.html",
        {
            "deputy": deputy,
            "period": period,
            "years": recent_years(),
            "history": history,
            "total": selectors.total(deputy, period),
            "page": Paginator(selectors.ledger(deputy, period, history=history), 30).get_page(
                request.GET.get("page")
            ),
        },
    )


@deputy_required
def activities(request, deputy):
    page = Paginator(_attendances(deputy), 30).get_page(request.GET.get("page"))
    for row in page:
        row.url = _url("activities:detail", row.activity_id)
    return render(
        request,
        "duty/me/activities.html",
        {"deputy": deputy, "page": page, "record_url": _url("activities:create")},
    )


@deputy_required
def cases(request, deputy):
    page = Paginator(selectors.my_cases(deputy), 30).get_page(request.GET.get("page"))
    return render(request, "duty/me/cases.html", {"deputy": deputy, "page": page})


@deputy_required
def duty_days(request, deputy):
    days = _coming_duty_days(deputy, limit=None)
    for day in days:
        day.url = _url("activities:calendar", day.station_id)
    return render(request, "duty/me/duty_days.html", {"deputy": deputy, "days": days})


@deputy_required
def sheet(request, deputy, fmt: str):
    return sheet_response(request.user, deputy, period_from_request(request), fmt)
