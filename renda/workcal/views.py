import calendar

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from renda.workcal.models import CalendarDay

WEEKDAYS = ["一", "二", "三", "四", "五", "六", "日"]


@login_required
def year(request):
    """The year's working days at a glance; admins edit the days in the admin site."""
    today = timezone.localdate()
    try:
        shown = int(request.GET.get("year", today.year))
    except ValueError:
        shown = today.year
    shown = min(max(shown, 2000), 2100)
    stored = {d.date: d for d in CalendarDay.objects.filter(date__year=shown)}
    months = []
    for month in range(1, 13):
        weeks = []
        for week in calendar.Calendar().monthdatescalendar(shown, month):
            cells = []
            for day in week:
                entry = stored.get(day)
                working = entry.kind == CalendarDay.Kind.WORKDAY if entry else day.weekday() < 5
                cells.append(
                    {"day": day, "in_month": day.month == month, "working": working, "entry": entry}
                )
            weeks.append(cells)
        months.append({"month": month, "weeks": weeks})
    return render(
        request,
        "workcal/year.html",
        {
            "year": shown,
            "months": months,
            "weekdays": WEEKDAYS,
            "today": today,
            "has_data": bool(stored),
        },
    )
