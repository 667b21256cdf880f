"""领导驾驶舱 pages: the dashboard (/dashboard/) and the cases behind each figure
(/dashboard/cases/?measure=…&month=…&category=…&area=…).

Open to leaders, congress clerks and administrators (`selectors.can_view`); anyone else gets
the 403 page with a clear message. The figures are cached per data scope for a minute
(`CACHE_SECONDS`); the page says when they were computed, and `?refresh=1` recomputes them.
"""

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from renda.cases.models import Category
from renda.dashboard import selectors as sel
from renda.org.scope import scope_for

CACHE_SECONDS = 60
PAGE_SIZE = 50
DENIED = "领导驾驶舱仅向人大领导、人大工作人员和系统管理员开放。"


def _require(request: HttpRequest) -> None:
    if not sel.can_view(request.user):
        raise PermissionDenied(DENIED)


def _cache_key(user, today: dt.date) -> str:
    """One entry per data scope (the same seats see the same figures) and day."""
    parts = []
    for grant in scope_for(user).grants:
        place = grant.station or grant.unit
        parts.append(f"{grant.spec.role}:{grant.spec.scope}:{place.pk if place else '-'}")
    return f"dashboard:{today.isoformat()}:{'|'.join(sorted(parts))}"


def _list_url(base: str, **params) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{base}?{urlencode(query)}"


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    _require(request)
    today = timezone.localdate()
    key = _cache_key(request.user, today)
    data = None if request.GET.get("refresh") else cache.get(key)
    if data is None:
        data = sel.dashboard_for(request.user)
        cache.set(key, data, CACHE_SECONDS)
    months = data.months
    window = {"from": months[0].first.isoformat(), "to": data.today.isoformat()}
    rates_period = data.rates["period"]

    # Reversed once: a city's page links some 800 figures to their cases.
    list_base = reverse("dashboard:cases")

    def link(measure: str, **extra) -> str:
        return _list_url(list_base, measure=measure, **extra)

    totals = [
        {
            "key": m,
            "label": label,
            "value": data.totals[m],
            "note": sel.MEASURE_NOTES[m],
            "url": link(m),
        }
        for m, label in sel.MEASURES.items()
    ]
    for row in data.categories:
        row["urls"] = {m: link(m, category=row["pk"]) for m in sel.MEASURES}
    for row in data.areas:
        own = "1" if row["own_level"] else None
        row["urls"] = {m: link(m, area=row["pk"], own=own) for m in sel.MEASURES}
    rate_base = reverse("cases:rates_cases")
    for row in data.rates["units"]:
        for f in row["figures"]:
            f["url"] = f"{rate_base}?" + urlencode(
                {"metric": f["key"], "part": "denominator", "unit": row["unit"], **rates_period}
            )
    for f in data.rates["total"]:
        f["url"] = f"{rate_base}?" + urlencode(
            {"metric": f["key"], "part": "denominator", **rates_period}
        )
    chart = {
        "months": [m.label for m in months],
        "trend": [
            {
                "key": m,
                "name": sel.MEASURES[m],
                "data": data.trend[m],
                "urls": [link(m, month=mo.key) for mo in months],
            }
            for m in sel.MONTHLY
        ],
        "categories": [
            {"name": r["name"], "value": r[sel.RECEIVED], "url": r["urls"][sel.RECEIVED]}
            for r in data.categories
            if r[sel.RECEIVED]
        ],
        "areas": [
            {
                "name": r["name"],
                "received": r[sel.RECEIVED],
                "closed": r[sel.CLOSED],
                "late": r[sel.LATE],
                "urls": [r["urls"][sel.RECEIVED], r["urls"][sel.CLOSED], r["urls"][sel.LATE]],
            }
            for r in data.areas
        ],
        "rates": [
            {"name": r["name"], "value": f["value"], "percent": f["percent"], "url": f["url"]}
            for r in data.rates["units"]
            for f in r["figures"]
            if f["key"] == "on_time"
        ],
        "words": [
            {
                "name": term,
                "value": n,
                "url": f"{reverse('cases:inbox')}?"
                + urlencode({"q": term, **_inbox_window(window)}),
            }
            for term, n in data.words
        ],
    }
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "data": data,
            "totals": totals,
            "months": months,
            "trend_rows": [
                {
                    "label": mo.label,
                    "cells": [(data.trend[m][i], link(m, month=mo.key)) for m in sel.MONTHLY],
                }
                for i, mo in enumerate(months)
            ],
            "monthly": [sel.MEASURES[m] for m in sel.MONTHLY],
            "measures": sel.MEASURES,
            "chart": chart,
            "computed_at": timezone.localtime(data.computed_at),
            "scope": scope_for(request.user),
            "window": window,
            "rates_url": f"{reverse('cases:rates')}?"
            + urlencode({"period": "range", **rates_period}),
            "rates_height": 100 + 30 * len(data.rates["units"]),
            "hot_url": f"{reverse('hotwords:dashboard')}",
            "overdue_url": link(sel.OVERDUE),
            "key_url": link(sel.KEY),
        },
    )


def _inbox_window(window: dict) -> dict:
    return {"date_from": window["from"], "date_to": window["to"]}


class ListForm(forms.Form):
    measure = forms.ChoiceField(
        label="指标",
        choices=list(sel.MEASURES.items()),
        error_messages={"required": "请选择指标。", "invalid_choice": "没有这个指标。"},
    )
    month = forms.CharField(label="月份", required=False, max_length=7)
    category = forms.IntegerField(
        label="分类", required=False, min_value=1, error_messages={"invalid": "分类编号无效。"}
    )
    area = forms.IntegerField(
        label="区域", required=False, min_value=1, error_messages={"invalid": "区划编号无效。"}
    )
    own = forms.BooleanField(label="仅本级", required=False)

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_month(self):
        text = self.cleaned_data.get("month") or ""
        if not text:
            return None
        month = sel.parse_month(text, self.today)
        if month is None:
            raise forms.ValidationError("月份须为近12个月之一，格式如 2026-09。")
        return month

    def clean_category(self):
        pk = self.cleaned_data.get("category")
        if pk is None:
            return None
        category = Category.objects.filter(pk=pk).first()
        if category is None:
            raise forms.ValidationError("没有这个分类。")
        return category


@login_required
@require_GET
def measure_cases(request: HttpRequest) -> HttpResponse:
    _require(request)
    today = timezone.localdate()
    form = ListForm(request.GET, today=today)
    if not form.is_valid():
        return render(request, "dashboard/cases.html", {"form": form}, status=400)
    data = form.cleaned_data
    months = sel.months_until(today)
    month = data.get("month")
    start, end = (month.first, month.last) if month else (months[0].first, today)
    area = None
    if data.get("area"):
        areas, _owner = sel.areas_for(request.user)
        area = next(
            (a for a in areas if a.pk == data["area"] and a.own_level == bool(data["own"])), None
        )
        if area is None:
            form.add_error("area", "该区域不在您的辖区内。")
            return render(request, "dashboard/cases.html", {"form": form}, status=400)
    measure = data["measure"]
    rows = sel.measure_rows(
        request.user,
        measure=measure,
        start=start,
        end=end,
        today=today,
        category=data.get("category"),
        area=area,
    )
    order = ("deadline", "pk") if measure in (sel.OVERDUE, sel.LATE) else ("-created_at", "-pk")
    if measure == sel.CLOSED:
        order = ("-closed_at", "-pk")
    page = Paginator(rows.order_by(*order), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    when = (
        ""
        if measure in (sel.OVERDUE, sel.KEY)
        else (month.label if month else f"近12个月（{start:%Y-%m-%d} 至 {end:%Y-%m-%d}）")
    )
    return render(
        request,
        "dashboard/cases.html",
        {
            "form": form,
            "measure": measure,
            "measure_label": sel.MEASURES[measure],
            "note": sel.MEASURE_NOTES[measure],
            "when": when,
            "category": data.get("category"),
            "area": area,
            "page": page,
            "query": query.urlencode(),
            "today": today,
        },
    )
