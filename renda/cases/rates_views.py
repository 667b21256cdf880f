"""办理统计 pages: the rates table (/cases/rates/), its Excel export and the list behind each
figure (/cases/rates/cases/?metric=…&part=…&unit=…&from=…&to=…).

Open to every role with Perm.ORG_VIEW (clerks, station clerks, handlers, leaders); citizens
and deputies get 403, as the navigation offers it only to those roles. What anyone sees is
limited by their data scope inside `renda.cases.rates`.
"""

import datetime as dt
import io
import re
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from openpyxl import load_workbook

from renda.cases import rates
from renda.cases.models import Assignment, Case, CaseEvent
from renda.lib.excel import write_sheet, xlsx_response
from renda.org.models import OrgUnit, Region
from renda.org.roles import Perm
from renda.org.scope import require

PAGE_SIZE = 50
_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
_DATE_ERRORS = {"invalid": "请输入有效的日期，如 2026-09-15。"}


def _date_field(label: str, *, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={**_DATE_ERRORS, "required": f"请填写{label}。"},
    )


class _RangeMixin:
    """`from` and `to` are Python keywords: the fields are added by name."""

    def _add_range_fields(self, *, required: bool) -> None:
        self.fields["from"] = _date_field("开始日期", required=required)
        self.fields["to"] = _date_field("结束日期", required=required)

    def _check_range(self, data: dict) -> rates.Period | None:
        start, end = data.get("from"), data.get("to")
        if not start or not end:
            for name in ("from", "to"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, "请填写开始日期和结束日期。")
            return None
        if start > end:
            self.add_error("to", "结束日期不能早于开始日期。")
            return None
        if (end - start).days + 1 > rates.MAX_PERIOD_DAYS:
            self.add_error("to", "统计区间不能超过3年，请缩短区间。")
            return None
        return rates.range_period(start, end)


class RatesForm(_RangeMixin, forms.Form):
    """The period of the rates page: a month, a quarter, a year or a date range."""

    PERIODS = [("month", "按月"), ("quarter", "按季度"), ("year", "按年"), ("range", "自定义区间")]

    period = forms.ChoiceField(
        label="统计周期",
        choices=PERIODS,
        required=False,
        error_messages={"invalid_choice": "请选择按月、按季度、按年或自定义区间。"},
    )
    month = forms.CharField(
        label="月份",
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-09"}),
        error_messages={"max_length": "请输入有效的月份，如 2026-09。"},
    )
    year = forms.IntegerField(
        label="年份",
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": "请输入有效的年份，如 2026。",
            "min_value": "年份应在 2000 到 2100 之间。",
            "max_value": "年份应在 2000 到 2100 之间。",
        },
    )
    quarter = forms.TypedChoiceField(
        label="季度",
        required=False,
        coerce=int,
        choices=[("", "—"), (1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")],
        error_messages={"invalid_choice": "请选择第一至第四季度。"},
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self._add_range_fields(required=False)
        for f in self.fields.values():
            f.widget.attrs.setdefault("aria-label", f.label)
        self.fields["year"].widget.attrs["placeholder"] = str(today.year)

    def clean(self):
        data = super().clean()
        kind = data.get("period") or "month"
        year = data.get("year") or self.today.year
        period = None
        if kind == "month":
            period = self._month(data.get("month", ""))
        elif kind == "quarter":
            if "quarter" in self.errors or "year" in self.errors:
                return data
            quarter = data.get("quarter") or (self.today.month - 1) // 3 + 1
            period = rates.quarter_period(year, quarter)
        elif kind == "year":
            if "year" not in self.errors:
                period = rates.year_period(year)
        elif kind == "range":
            period = self._check_range(data)
        data["resolved"] = period
        return data

    def _month(self, text: str) -> rates.Period | None:
        if "month" in self.errors:
            return None
        if not text:
            return rates.month_period(self.today.year, self.today.month)
        match = _MONTH_RE.match(text.strip())
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
            self.add_error("month", "请输入有效的月份，如 2026-09。")
            return None
        return rates.month_period(int(match.group(1)), int(match.group(2)))

    @property
    def resolved(self) -> rates.Period | None:
        return self.cleaned_data.get("resolved") if self.is_valid() else None


class RateListForm(_RangeMixin, forms.Form):
    """Which figure's rows to list: the rate, numerator or denominator, the group, the dates."""

    metric = forms.ChoiceField(
        label="指标",
        choices=[(r.key, r.label) for r in rates.RATES],
        error_messages={"required": "请选择指标。", "invalid_choice": "没有这个指标。"},
    )
    part = forms.ChoiceField(
        label="分子或分母",
        choices=[(rates.NUMERATOR, "分子"), (rates.DENOMINATOR, "分母")],
        error_messages={"required": "请指明分子或分母。", "invalid_choice": "请指明分子或分母。"},
    )
    unit = forms.IntegerField(
        label="承办单位", required=False, min_value=1, error_messages={"invalid": "单位编号无效。"}
    )
    town = forms.IntegerField(
        label="乡镇街道", required=False, min_value=1, error_messages={"invalid": "区划编号无效。"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_range_fields(required=True)

    def clean(self):
        data = super().clean()
        if data.get("unit") and data.get("town"):
            self.add_error("town", "只能按承办单位或按乡镇街道之一查看。")
        if "from" not in self.errors and "to" not in self.errors:
            data["resolved"] = self._check_range(data)
        return data


def _require_view(request: HttpRequest) -> None:
    require(request.user, Perm.ORG_VIEW)


def _link(period: rates.Period, rate: rates.Rate, part: str, group: dict[str, str]) -> str:
    query = {"metric": rate.key, "part": part, **group, **period.query}
    return f"?{urlencode(query)}"


# --- the table ------------------------------------------------------------------------------


@login_required
@require_GET
def rates_page(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    form = RatesForm(request.GET or None, today=timezone.localdate())
    period = form.resolved if form.is_bound else _default_period(form)
    if period is None:
        return render(request, "cases/rates.html", {"form": form, "table": None}, status=400)
    table = rates.rates_for_user(request.user, period)
    sections = [("按承办单位（主办）", table.units), ("按乡镇街道", table.towns)]
    return render(
        request,
        "cases/rates.html",
        {
            "form": form,
            "table": table,
            "sections": [(title, _cells(period, [*rows, table.total])) for title, rows in sections],
            "rates": rates.RATES,
            "export_query": request.GET.urlencode(),
        },
    )


def _default_period(form: RatesForm) -> rates.Period:
    today = form.today
    return rates.month_period(today.year, today.month)


def _cells(period: rates.Period, rows: list[rates.Row]) -> list[dict]:
    out = []
    for row in rows:
        cells = []
        for rate, figure in row.cells():
            cells.append(
                {
                    "rate": rate,
                    "figure": figure,
                    "numerator_url": _link(period, rate, rates.NUMERATOR, row.group_query),
                    "denominator_url": _link(period, rate, rates.DENOMINATOR, row.group_query),
                }
            )
        out.append({"row": row, "cells": cells})
    return out


@login_required
@require_GET
def rates_export(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    form = RatesForm(request.GET or None, today=timezone.localdate())
    period = form.resolved if form.is_bound else _default_period(form)
    if period is None:
        return render(request, "cases/rates.html", {"form": form, "table": None}, status=400)
    table = rates.rates_for_user(request.user, period)
    return xlsx_response(
        content=rates_workbook(table),
        filename=f"办理统计_{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx",
        fallback=f"rates_{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx",
    )


def rates_workbook(table: rates.RatesTable) -> bytes:
    """Sheet 1: the table as on the page (rate, numerator and denominator per rate); sheet 2:
    the definitions."""
    headers = ["分组", "名称"]
    for rate in rates.RATES:
        headers += [rate.label, f"{rate.numerator_label}", f"{rate.denominator_label}"]
    data = []
    for group, rows in (
        ("承办单位", table.units),
        ("乡镇街道", table.towns),
        ("合计", [table.total]),
    ):
        for row in rows:
            line: list[object] = [group, row.name]
            for _, figure in row.cells():
                line += [figure.percent, figure.numerator, figure.denominator]
            data.append(line)
    content = write_sheet(title="办理统计", headers=headers, rows=data)
    workbook = load_workbook(io.BytesIO(content))
    legend = workbook.create_sheet("指标说明")
    period = table.period
    legend.append(["统计期间", period.full_label])
    legend.append(["指标", "分子", "分母", "定义"])
    for rate in rates.RATES:
        legend.append([rate.label, rate.numerator_label, rate.denominator_label, rate.definition])
    for column, width in (("A", 12), ("B", 16), ("C", 16)):
        legend.column_dimensions[column].width = width
    legend.column_dimensions["D"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the list behind a figure ---------------------------------------------------------------


@login_required
@require_GET
def rates_cases(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    form = RateListForm(request.GET)
    period = form.cleaned_data.get("resolved") if form.is_valid() else None
    if period is None:
        return render(request, "cases/rates_cases.html", {"form": form}, status=400)
    data = form.cleaned_data
    rate = rates.RATES_BY_KEY[data["metric"]]
    town = None
    if data.get("town"):
        town = Region.objects.filter(pk=data["town"]).first()
        if town is None:
            form.add_error("town", "没有这个区划。")
            return render(request, "cases/rates_cases.html", {"form": form}, status=400)
    rows = rates.rate_rows(
        request.user,
        rate=rate,
        part=data["part"],
        period=period,
        unit=data.get("unit"),
        town=town,
    )
    rows = rows.order_by("-pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    unit_name = ""
    if data.get("unit"):
        unit_name = OrgUnit.objects.filter(pk=data["unit"]).values_list("name", flat=True).first()
    return render(
        request,
        "cases/rates_cases.html",
        {
            "form": form,
            "rate": rate,
            "part": data["part"],
            "part_label": rate.numerator_label
            if data["part"] == rates.NUMERATOR
            else rate.denominator_label,
            "period": period,
            "group_name": unit_name or (town.name if town else "合计"),
            "page": page,
            "items": _items(rate, list(page.object_list)),
            "back_query": urlencode({"period": "range", **period.query}),
        },
    )


def _when(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _items(rate: rates.Rate, rows: list) -> list[dict]:
    """Each row as code, title, state, unit and the value that counted."""
    if rate.counts_cases:
        units = _lead_unit_names([c.pk for c in rows])
        return [
            _item(c, units.get(c.pk, ""), f"不满意重办 {c.unsatisfied_count} 次", c.counted)
            for c in rows
        ]
    if rate.source == rates.RATINGS:
        names = dict(
            OrgUnit.objects.filter(pk__in={r.reply_unit for r in rows}).values_list("pk", "name")
        )
        return [
            _item(r.case, names.get(r.reply_unit, ""), _rating_value(r), r.counted) for r in rows
        ]
    return [_item(a.case, a.unit.name, _assignment_value(rate, a), a.counted) for a in rows]


def _item(case: Case, unit: str, value: str, counted: bool) -> dict:
    return {"case": case, "unit": unit or "—", "value": value, "counted": counted}


def _lead_unit_names(case_ids: list[int]) -> dict[int, str]:
    rows = (
        Assignment.objects.filter(case_id__in=case_ids, role=Assignment.Role.LEAD)
        .exclude(state=Assignment.State.RETURNED)
        .order_by("case_id", "round", "pk")
        .values_list("case_id", "unit__name")
    )
    return dict(rows)  # the latest round wins


def _rating_value(event: CaseEvent) -> str:
    rating = (event.data or {}).get("rating", "")
    label = Case.Rating(rating).label if rating in Case.Rating.values else "—"
    result = event.reply_result
    result_label = Case.ResultClass(result).label if result in Case.ResultClass.values else "—"
    return f"{_when(event.created_at)} 评价“{label}”；办理结果：{result_label}"


def _assignment_value(rate: rates.Rate, a: Assignment) -> str:
    if rate.key == "response":
        signed = _when(a.signed_at) or ("未签收（已退回）" if a.returned_at else "未签收")
        return f"交办 {_when(a.assigned_at)}；签收 {signed}；时限 {a.sign_limit} 个工作日"
    if rate.key == "returned":
        returned = _when(a.returned_at) or "未退回"
        return f"交办 {_when(a.assigned_at)}；退回 {returned}"
    return f"答复 {_when(a.replied_at)}；办理期限 {a.deadline:%Y-%m-%d}"
