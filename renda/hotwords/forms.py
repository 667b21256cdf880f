"""The dashboard's filters: region (within the reader's scope), category and period."""

import datetime as dt

from django import forms

from renda.cases.models import Category
from renda.org.models import Region

# A custom period may span at most this many days.
MAX_PERIOD_DAYS = 3 * 366

_DATE_ERRORS = {"invalid": "请输入有效的日期，如 2026-09-15。"}


class DashboardForm(forms.Form):
    PERIODS = [("week", "本周"), ("month", "本月"), ("custom", "自定义")]

    region = forms.TypedChoiceField(
        label="区域",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "请选择您权限范围内的区域。"},
    )
    category = forms.ModelChoiceField(
        label="分类",
        required=False,
        queryset=Category.objects.none(),
        empty_label="全部分类",
        error_messages={"invalid_choice": "没有这个分类。"},
    )
    period = forms.ChoiceField(
        label="时间",
        choices=PERIODS,
        required=False,
        error_messages={"invalid_choice": "请选择本周、本月或自定义。"},
    )

    def __init__(self, *args, regions: list[Region], today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.regions = {r.pk: r for r in regions}
        top = min((r.depth for r in regions), default=0)
        choices = [("", "全部（权限范围内）")] if len(regions) != 1 else []
        choices += [(r.pk, "\u3000" * (r.depth - top) + r.name) for r in regions]
        self.fields["region"].choices = choices
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        for name in ("from", "to"):
            self.fields[name] = forms.DateField(
                label="开始日期" if name == "from" else "结束日期",
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
                error_messages=_DATE_ERRORS,
            )

    def clean(self):
        data = super().clean()
        kind = data.get("period") or "month"
        today = self.today
        if kind == "week":
            start, end = today - dt.timedelta(days=today.weekday()), today
        elif kind == "month":
            start, end = today.replace(day=1), today
        else:
            start, end = data.get("from"), data.get("to")
            if "from" in self.errors or "to" in self.errors:
                return data
            if not start or not end:
                self.add_error("from", "自定义时间请填写开始日期和结束日期。")
                return data
            if start > end:
                self.add_error("to", "结束日期不能早于开始日期。")
                return data
            if (end - start).days + 1 > MAX_PERIOD_DAYS:
                self.add_error("to", "时间跨度不能超过3年，请缩短区间。")
                return data
        data["start"], data["end"] = start, end
        region_id = data.get("region")
        data["region_obj"] = self.regions.get(region_id) if region_id else None
        if data["region_obj"] is None and len(self.regions) == 1:
            data["region_obj"] = next(iter(self.regions.values()))
        return data
