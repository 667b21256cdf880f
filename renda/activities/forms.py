"""The activity pages' forms. Forms only parse and offer the choices in the user's scope; the
services check again and decide."""

import datetime as dt

from django import forms
from django.utils import timezone

from renda.activities import selectors
from renda.activities.models import (
    ActivityCase,
    ActivityKind,
    Attendance,
    Campaign,
    CampaignDirection,
    OfficialVisit,
    StationSchedule,
)
from renda.cases.models import Category
from renda.deputies.models import Deputy
from renda.lib.forms import choice_field, text_field
from renda.org.models import Level, OrgUnit, Region, Station
from renda.org.scope import scope_for

DATE_ERRORS = {"invalid": "请输入有效的日期，如 2026-09-15。"}
TIME_ERRORS = {"invalid": "请输入有效的时间，如 09:30。"}


def _date(label: str, *, required: bool = True, **kw):
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={**DATE_ERRORS, "required": f"请填写{label}。"},
        **kw,
    )


def _time(label: str):
    return forms.TimeField(
        label=label,
        required=False,
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
        error_messages=TIME_ERRORS,
    )


def _count(label: str):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=100000,
        initial=0,
        error_messages={
            "invalid": f"{label}须为整数。",
            "min_value": f"{label}不能为负数。",
            "max_value": f"{label}过大。",
        },
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ServiceErrorsMixin:
    def add_service_error(self, error) -> None:
        """Put a service's ValidationError next to the field it names."""
        if hasattr(error, "error_dict"):
            for key, errors in error.error_dict.items():
                for e in errors:
                    self.add_error(key if key in self.fields else None, e.messages)
        else:
            self.add_error(None, error.messages)


def _directions_for(user):
    return CampaignDirection.objects.filter(
        campaign__in=selectors.campaigns_for_user(user).filter(is_active=True).values("pk")
    ).select_related("campaign")


class DirectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.campaign.name} · {obj.name}"


class DeputyChoiceField(forms.ModelMultipleChoiceField):
    """Deputies to tick. A clerk of a county may reach two thousand: the page offers a
    shortlist (a station's members first, or those matching a name) while any deputy in scope
    is accepted."""

    SHORTLIST = 60

    def label_from_instance(self, obj):
        return obj.name


def shortlist(bound_field, *, query: str = "") -> dict:
    """What `_checks.html` renders for a DeputyChoiceField: the shortlist, what is ticked, and
    how many more there are."""
    qs = bound_field.field.queryset
    if query:
        qs = qs.filter(name__contains=query)
    rows = list(qs[: DeputyChoiceField.SHORTLIST + 1])
    value = bound_field.value() or []
    ticked = {str(v) for v in (value if isinstance(value, list | tuple) else [value])}
    chosen = rows[: DeputyChoiceField.SHORTLIST]
    # Keep what was ticked on the page even when it falls outside the shortlist.
    missing = ticked - {str(d.pk) for d in chosen}
    if missing:
        extra = bound_field.field.queryset.filter(pk__in=[m for m in missing if m.isdigit()])
        chosen += list(extra)
    return {
        "field": bound_field,
        "deputies": chosen,
        "ticked": ticked,
        "more": len(rows) > DeputyChoiceField.SHORTLIST,
        "query": query,
    }


class ActivityForm(ServiceErrorsMixin, forms.Form):
    """Record an activity: the few fields a phone needs first, the rest folded away."""

    kind = forms.ModelChoiceField(
        label="活动类型",
        queryset=ActivityKind.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": "请选择活动类型。",
            "invalid_choice": "所选活动类型不在可选范围内，请重新选择。",
        },
    )
    date = _date("活动日期")
    station = choice_field("联络站", Station.objects.none(), required=False, empty="不在联络站")
    deputies = DeputyChoiceField(
        label="出席代表",
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "所选代表不在可选范围内，请重新选择。"},
    )
    title = text_field("活动名称", 100, required=False, help_text="不填时按“类型（日期）”命名")
    summary = text_field("活动纪要", 5000, required=False, rows=3)
    region = choice_field("所在区划", Region.objects.none(), required=False, empty="按联络站确定")
    campaign = choice_field(
        "主题活动", Campaign.objects.none(), required=False, empty="不属于主题活动"
    )
    direction = DirectionChoiceField(
        label="活动方向",
        queryset=CampaignDirection.objects.none(),
        required=False,
        empty_label="不选",
        error_messages={"invalid_choice": "所选活动方向不在可选范围内，请重新选择。"},
    )
    start_time = _time("开始时间")
    end_time = _time("结束时间")
    place = text_field("活动地点", 200, required=False)
    officials_count = _count("出席领导/工作人员人数")
    officials_names = text_field("出席领导/工作人员", 500, required=False)
    citizens_count = _count("参加群众人数")
    citizens_names = text_field("参加群众", 500, required=False)
    photos = MultipleFileField(label="现场照片", required=False)

    QUICK = ("kind", "date", "station", "deputies", "title", "summary")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.manager = selectors.can_manage(user)
        self.fields["kind"].queryset = ActivityKind.objects.filter(is_active=True)
        self.fields["date"].initial = timezone.localdate()
        stations = selectors.stations_for_activities(user)
        self.fields["station"].queryset = stations
        self.fields["campaign"].queryset = selectors.campaigns_for_user(user).filter(is_active=True)
        self.fields["direction"].queryset = _directions_for(user)
        if self.manager:
            self.fields["deputies"].queryset = selectors.deputies_for_attendance(user)
            self.fields["region"].queryset = (
                scope_for(user)
                .filter(Region.objects.all(), region="")
                .filter(level__in=[Level.TOWN, Level.VILLAGE, Level.COUNTY])
                .order_by("path")
            )
            own_station = next(
                (g.station for g in scope_for(user).grants if g.station is not None), None
            )
            if own_station is not None:
                self.fields["station"].initial = own_station.pk
                self.fields["deputies"].queryset = selectors.deputies_for_attendance(
                    user, own_station
                )
        else:
            # A deputy records their own activity: they are the one present.
            del self.fields["deputies"]
            del self.fields["region"]
            del self.fields["officials_count"]
            del self.fields["officials_names"]

    def quick_fields(self):
        return [self[name] for name in self.QUICK if name in self.fields]

    def more_fields(self):
        return [self[name] for name in self.fields if name not in self.QUICK]

    def attendance(self) -> list[tuple[Deputy, str]]:
        day = self.cleaned_data["date"]
        status = (
            Attendance.Status.ATTENDED if day <= timezone.localdate() else Attendance.Status.INVITED
        )
        return [(d, status) for d in self.cleaned_data.get("deputies") or []]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {
            name: data.get(name)
            for name in (
                "kind",
                "date",
                "station",
                "region",
                "campaign",
                "direction",
                "start_time",
                "end_time",
            )
            if name in self.fields
        }
        for name in ("title", "summary", "place", "officials_names", "citizens_names"):
            if name in self.fields:
                kwargs[name] = data.get(name) or ""
        for name in ("officials_count", "citizens_count"):
            if name in self.fields:
                kwargs[name] = data.get(name) or 0
        kwargs["photos"] = data.get("photos") or []
        if self.manager:
            kwargs["attendance"] = self.attendance()
        return kwargs


class ActivityUpdateForm(ServiceErrorsMixin, forms.Form):
    summary = text_field("活动纪要", 5000, required=False, rows=5)
    place = text_field("活动地点", 200, required=False)
    officials_count = _count("出席领导/工作人员人数")
    officials_names = text_field("出席领导/工作人员", 500, required=False)
    citizens_count = _count("参加群众人数")
    citizens_names = text_field("参加群众", 500, required=False)
    photos = MultipleFileField(label="补充照片", required=False)


class AttendanceAddForm(ServiceErrorsMixin, forms.Form):
    deputies = DeputyChoiceField(
        label="添加代表",
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "所选代表不在可选范围内，请重新选择。"},
    )

    def __init__(self, *args, user, activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = selectors.deputies_for_attendance(
            user, activity.station
        ).exclude(attendances__activity=activity)


class RaiseCaseForm(ServiceErrorsMixin, forms.Form):
    nature = forms.ChoiceField(
        label="类别",
        choices=ActivityCase.Nature.choices,
        initial=ActivityCase.Nature.PROBLEM,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择问题或建议。", "invalid_choice": "请选择问题或建议。"},
    )
    title = text_field("标题", 100)
    content = text_field("内容", 5000, rows=4)
    category = choice_field("分类", Category.objects.none())
    raised_by = choice_field(
        "提出代表", Deputy.objects.none(), required=False, empty="（无，群众当面反映）"
    )
    submitter_name = text_field("反映人姓名", 50, required=False)
    submitter_phone = text_field("反映人手机号", 11, required=False, help_text="无代表时必填")
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, user, activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        if selectors.can_manage(user):
            self.fields["raised_by"].queryset = Deputy.objects.filter(
                attendances__activity=activity, attendances__status=Attendance.Status.ATTENDED
            ).order_by("name")
        else:
            del self.fields["raised_by"]
            del self.fields["submitter_name"]
            del self.fields["submitter_phone"]


class CampaignForm(ServiceErrorsMixin, forms.Form):
    name = text_field("主题活动名称", 100)
    start_date = _date("开始日期")
    end_date = _date("结束日期")
    directions = text_field(
        "活动方向",
        2000,
        required=False,
        rows=6,
        help_text="每行一个方向，如“访企业生产运行，促经济高质量发展”",
    )
    description = text_field("简介", 5000, required=False, rows=3)
    organiser = choice_field("主办人大", OrgUnit.objects.none(), required=False, empty="本单位")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = (
            scope_for(user)
            .filter(
                OrgUnit.objects.filter(kind__in=OrgUnit.CONGRESS_KINDS), unit="", region="region"
            )
            .order_by("path")
        )

    def direction_list(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["directions"].splitlines() if line.strip()
        ]


class ScheduleForm(ServiceErrorsMixin, forms.Form):
    station = choice_field("联络站", Station.objects.none())
    kind = forms.ChoiceField(
        label="安排类型",
        choices=StationSchedule.Kind.choices,
        error_messages={"required": "请选择安排类型。", "invalid_choice": "请选择安排类型。"},
    )
    title = text_field("名称", 100, required=False, help_text="不填时使用安排类型的名称")
    day_of_month = forms.IntegerField(
        label="每月几日（每月接待日）",
        required=False,
        min_value=1,
        max_value=28,
        error_messages={
            "invalid": "请填写1至28之间的日期。",
            "min_value": "每月接待日须为每月1日至28日中的一天。",
            "max_value": "每月接待日须为每月1日至28日中的一天。",
        },
    )
    weekday = forms.TypedChoiceField(
        label="每周星期几（每周学习日）",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "不适用"), *StationSchedule.Weekday.choices],
        error_messages={"invalid_choice": "请选择星期几。"},
    )
    month = forms.TypedChoiceField(
        label="活动月（代表活动月）",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "不适用"), *[(m, f"{m}月") for m in range(1, 13)]],
        error_messages={"invalid_choice": "请选择月份。"},
    )
    start_time = _time("开始时间")
    end_time = _time("结束时间")
    deputies_per_day = forms.IntegerField(
        label="每次值班代表人数",
        initial=2,
        min_value=1,
        max_value=20,
        error_messages={
            "required": "请填写每次值班代表人数。",
            "invalid": "请填写1至20之间的人数。",
            "min_value": "每次值班代表人数应在1至20之间。",
            "max_value": "每次值班代表人数应在1至20之间。",
        },
    )
    valid_from = _date("生效日期")
    valid_until = _date("截止日期", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = selectors.stations_for_activities(user)
        self.fields["valid_from"].initial = timezone.localdate()


class VisitForm(ServiceErrorsMixin, forms.Form):
    station = choice_field("联络站", Station.objects.none())
    kind = forms.ChoiceField(
        label="类型",
        choices=OfficialVisit.Kind.choices,
        error_messages={"required": "请选择进站类型。", "invalid_choice": "请选择进站类型。"},
    )
    date = _date("进站日期")
    official_name = text_field("工作人员姓名", 50)
    official_post = text_field("职务", 100, required=False)
    unit = choice_field(
        "所在单位", OrgUnit.objects.none(), required=False, empty="不在列表中（下面填写）"
    )
    unit_name = text_field("单位名称", 100, required=False)
    questions = text_field("收集问题", 5000, required=False, rows=5, help_text="每行一个问题")
    answered_count = _count("现场答复数")
    deputies = DeputyChoiceField(
        label="接待代表",
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "所选代表不在可选范围内，请重新选择。"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        stations = selectors.stations_for_activities(user)
        self.fields["station"].queryset = stations
        self.fields["date"].initial = timezone.localdate()
        self.fields["unit"].queryset = (
            scope_for(user)
            .filter(OrgUnit.objects.filter(is_active=True), unit="", region="region")
            .order_by("path")
        )
        own = next((g.station for g in scope_for(user).grants if g.station is not None), None)
        if own is not None:
            self.fields["station"].initial = own.pk
        self.fields["deputies"].queryset = selectors.deputies_for_attendance(user, own)


class FourListsForm(forms.Form):
    campaign = choice_field(
        "主题活动", Campaign.objects.none(), required=False, empty="全部主题活动"
    )
    station = choice_field("联络站", Station.objects.none(), required=False, empty="全部联络站")
    region = choice_field("区划", Region.objects.none(), required=False, empty="全部区划")
    start = _date("开始日期", required=False)
    end = _date("结束日期", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = selectors.campaigns_for_user(user)
        self.fields["station"].queryset = selectors.stations_for_activities(user)
        self.fields["region"].queryset = (
            scope_for(user)
            .filter(Region.objects.all(), region="")
            .filter(level__in=[Level.CITY, Level.COUNTY, Level.TOWN, Level.VILLAGE])
            .order_by("path")
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "结束日期不能早于开始日期。")
        return data

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


def month_of(value: str | None) -> dt.date:
    """`2026-10` → 2026-10-01; anything else → this month."""
    try:
        year, month = (int(p) for p in (value or "").split("-"))
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        return timezone.localdate().replace(day=1)
