"""Writes to the work calendar: seeding from maintained packages and admins' edits."""

import datetime as dt
from importlib.metadata import version

from django.db import transaction

from renda.workcal.models import CalendarDay

SEED_YEARS = range(2024, 2028)


def _chinese_calendar_days(year: int) -> dict[dt.date, tuple[str, str, str]] | None:
    """Holidays and make-up working days as the State Council announced them, when the
    chinese-calendar package knows the year; None when it does not."""
    from chinese_calendar.constants import holidays, workdays

    if not any(day.year == year for day in holidays):
        return None
    source = f"chinese-calendar {version('chinese-calendar')}"
    days: dict[dt.date, tuple[str, str, str]] = {}
    for day, holiday in holidays.items():
        if day.year == year and day.weekday() < 5:
            days[day] = (CalendarDay.Kind.HOLIDAY, _holiday_name(holiday), source)
    for day, holiday in workdays.items():
        if day.year == year and day.weekday() >= 5:
            days[day] = (CalendarDay.Kind.WORKDAY, f"{_holiday_name(holiday)}调休上班", source)
    return days


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _holiday_name(holiday) -> str:
    english = getattr(holiday, "value", str(holiday)).split(",")[0]
    return _HOLIDAY_NAMES.get(english, english)


def _statutory_days(year: int) -> dict[dt.date, tuple[str, str, str]]:
    """Statutory holidays computed by python-holidays (lunar dates included) for a year whose
    arrangement is not yet published; make-up working days must then be added by an admin."""
    import holidays

    source = f"holidays {version('holidays')}（未含调休上班日）"
    china = holidays.country_holidays("CN", years=year, language="zh_CN")
    return {
        day: (CalendarDay.Kind.HOLIDAY, name.split(";")[0].strip(), source)
        for day, name in china.items()
        if day.weekday() < 5
    }


def days_of_year(year: int) -> dict[dt.date, tuple[str, str, str]]:
    """The exceptions to Monday–Friday of `year` as (kind, name, source), from the best
    package that knows the year."""
    days = _chinese_calendar_days(year)
    return days if days is not None else _statutory_days(year)


@transaction.atomic
def calendar_seed(
    *, years=SEED_YEARS, overwrite: bool = False, model=CalendarDay
) -> dict[int, str]:
    """Store the holidays and make-up days of `years`. Days an admin already edited are kept
    unless `overwrite` is set. Returns the source used for each year. `model` lets the data
    migration pass its historical model."""
    used: dict[int, str] = {}
    for year in years:
        existing = set(model.objects.filter(date__year=year).values_list("date", flat=True))
        for day, (kind, name, source) in sorted(days_of_year(year).items()):
            used[year] = source
            if day in existing and not overwrite:
                continue
            model.objects.update_or_create(
                date=day, defaults={"kind": kind, "name": name, "source": source}
            )
    return used


@transaction.atomic
def calendar_day_set(*, day: dt.date, kind: str, name: str, actor) -> CalendarDay:
    """An admin marks a day as holiday or make-up working day (announced each year)."""
    obj, _ = CalendarDay.objects.update_or_create(
        date=day,
        defaults={"kind": kind, "name": name, "source": f"手工维护：{actor}"},
    )
    obj.full_clean()
    return obj
