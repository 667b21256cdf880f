"""月报 pages: the overview of a month (who submitted, who is late, the roll-up), a unit's
report (live figures until submitted; annotate, pick typical cases, submit or correct), the
history of versions, the rows behind each figure, and the Excel and Word files.

Who: congress clerks and leaders see the reporting units under their unit; only a clerk of the
unit itself submits. Other roles get 403; a unit outside the scope is 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from renda.activities.models import Activity
from renda.activities.selectors import ACTIVITY_LOOKUPS
from renda.lib.excel import xlsx_response
from renda.org.scope import scope_for
from renda.reports import exports, selectors, services
from renda.reports import figures as F
from renda.reports.forms import ReportForm

PAGE_SIZE = 50


def _month_from_query(request: HttpRequest) -> tuple[F.Month, str]:
    text = request.GET.get("month", "")
    if not text:
        return F.Month.previous(), ""
    try:
        return F.Month.parse(text), ""
    except ValidationError as exc:
        return F.Month.previous(), exc.messages[0]


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    month, error = _month_from_query(request)
    settings = selectors.report_settings()
    data = selectors.overview_for_user(request.user, month, settings=settings)
    return render(
        request,
        "reports/overview.html",
        {
            "month": month,
            "month_error": error,
            "overview": data,
            "figures": F.FIGURES,
            "settings": settings,
        },
    )


def _display_figures(figures: dict, live: dict | None) -> list[dict]:
    return [
        {"figure": f, "value": int(figures.get(f.key, 0)), "live": (live or {}).get(f.key)}
        for f in F.FIGURES
    ]


def _unit_context(request, unit, month, form=None) -> dict:
    history = selectors.report_history(unit, month)
    report = history[0] if history else None
    live = services.report_draft(unit=unit, month=month)
    can_submit = selectors.can_submit(request.user, unit)
    candidates = selectors.typical_candidates(request.user, unit, month) if can_submit else []
    if form is None and can_submit:
        initial = {}
        if report:
            initial = {
                "notes": report.notes,
                "typical": [c["code"] for c in report.typical_cases],
                **{f"text_{c['code']}": c["text"] for c in report.typical_cases},
            }
        form = ReportForm(initial=initial, candidates=candidates, is_correction=bool(report))
    deadline = selectors.deadline_for(month)
    shown = report.figures if report else live
    return {
        "unit": unit,
        "month": month,
        "report": report,
        "history": history,
        "rows": _display_figures(shown, live if report else None),
        "types": [
            {"key": key, "label": label, "value": int(shown.get(key, 0))}
            for key, (label, _) in F.ACTIVITY_TYPES.items()
        ],
        "can_submit": can_submit,
        "month_ended": month.end <= timezone.now(),
        "form": form,
        "deadline": deadline,
        "overdue": not report and timezone.localdate() > deadline,
    }


@login_required
@require_GET
def unit_report(request: HttpRequest, code: str, month: F.Month) -> HttpResponse:
    unit = selectors.get_unit_for_user(request.user, code)
    return render(request, "reports/unit.html", _unit_context(request, unit, month))


@login_required
@require_POST
def submit(request: HttpRequest, code: str, month: F.Month) -> HttpResponse:
    unit = selectors.get_unit_for_user(request.user, code)
    if not selectors.can_submit(request.user, unit):
        messages.error(request, "只有本单位的人大工作人员可以报送月报。")
        return redirect("reports:unit", code=unit.code, month=month)
    wants_correction = request.POST.get("correction") == "1"
    candidates = selectors.typical_candidates(request.user, unit, month)
    form = ReportForm(request.POST, candidates=candidates, is_correction=wants_correction)
    if form.is_valid():
        try:
            if wants_correction:
                report = services.report_correct(
                    unit=unit,
                    month=month,
                    actor=request.user,
                    reason=form.cleaned_data["correction_reason"],
                    notes=form.cleaned_data["notes"],
                    typical_cases=form.picks(),
                )
            else:
                report = services.report_submit(
                    unit=unit,
                    month=month,
                    actor=request.user,
                    notes=form.cleaned_data["notes"],
                    typical_cases=form.picks(),
                )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            label = "更正版本" if report.version > 1 else "月报"
            messages.success(
                request, f"已报送{unit.name}{month.label}{label}（第 {report.version} 版）。"
            )
            return redirect("reports:unit", code=unit.code, month=month)
    context = _unit_context(request, unit, month, form=form)
    return render(request, "reports/unit.html", context, status=400)


@login_required
@require_GET
def history(request: HttpRequest, code: str, month: F.Month) -> HttpResponse:
    unit = selectors.get_unit_for_user(request.user, code)
    versions = selectors.report_history(unit, month)
    return render(
        request,
        "reports/history.html",
        {
            "unit": unit,
            "month": month,
            "versions": [
                {"report": r, "rows": _display_figures(r.figures, None)} for r in versions
            ],
            "figures": F.FIGURES,
        },
    )


METRICS = {
    **{f.key: f.short for f in F.FIGURES},
    **{key: f"{label}活动" for key, (label, _) in F.ACTIVITY_TYPES.items()},
}


def _metric_rows(user, unit, month: F.Month, metric: str):
    path = unit.region.path
    scope = scope_for(user)
    if metric == "activities" or metric in F.ACTIVITY_TYPES:
        qs = F.in_region(F.activity_rows(month), "region", path)
        if metric in F.ACTIVITY_TYPES:
            qs = qs.filter(kind__code__in=F.ACTIVITY_TYPES[metric][1])
        qs = scope.filter(qs.select_related("kind", "region"), **ACTIVITY_LOOKUPS)
        return "activities", qs.order_by("-date", "-pk")
    if metric == "attendances":
        qs = F.in_region(F.attendance_rows(month), "activity__region", path)
        activities = scope.filter(Activity.objects.all(), **ACTIVITY_LOOKUPS)
        qs = qs.filter(activity__in=activities.values("pk"))
        return "attendances", qs.select_related("activity__kind", "deputy").order_by(
            "-activity__date", "-pk"
        )
    source = {
        "collected": lambda: F.collected_rows(month),
        "solved": lambda: F.solved_rows(month),
        "escalated": lambda: F.escalated_cases(month, F.city_congress_ids()),
    }[metric]()
    qs = selectors.cases_for_report(user, unit).filter(pk__in=source.values("pk"))
    return "cases", qs.select_related("category").order_by("-created_at", "-pk")


@login_required
@require_GET
def rows(request: HttpRequest, code: str, month: F.Month, metric: str) -> HttpResponse:
    if metric not in METRICS:
        raise Http404("没有这项指标。")
    unit = selectors.get_unit_for_user(request.user, code)
    kind, qs = _metric_rows(request.user, unit, month, metric)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    definition = next((f.definition for f in F.FIGURES if f.key == metric), None)
    if definition is None:
        definition = next(f.definition for f in F.FIGURES if f.key == "activities")
    return render(
        request,
        "reports/rows.html",
        {
            "unit": unit,
            "month": month,
            "metric": metric,
            "label": METRICS[metric],
            "definition": definition,
            "kind": kind,
            "page": page,
            "items": page.object_list,
        },
    )


def _version(request, unit, month):
    versions = selectors.report_history(unit, month)
    wanted = request.GET.get("version")
    if not wanted:
        return versions[0] if versions else None
    for report in versions:
        if str(report.version) == wanted:
            return report
    raise Http404("没有这个版本。")


def _unit_sheet(request, code, month):
    unit = selectors.get_unit_for_user(request.user, code)
    report = _version(request, unit, month)
    live = None if report else services.report_draft(unit=unit, month=month)
    settings = selectors.report_settings()
    sheet = exports.unit_sheet(unit, month, report, live, deadline_day=settings.deadline_day)
    return unit, sheet


@login_required
@require_GET
def unit_xlsx(request: HttpRequest, code: str, month: F.Month) -> HttpResponse:
    unit, sheet = _unit_sheet(request, code, month)
    return xlsx_response(
        content=exports.build_xlsx(sheet),
        filename=f"{unit.name}{month.label}月报.xlsx",
        fallback=f"report-{unit.code}-{month}.xlsx",
    )


def _docx_response(content: bytes, filename: str, fallback: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(content, content_type=exports.DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def unit_docx(request: HttpRequest, code: str, month: F.Month) -> HttpResponse:
    unit, sheet = _unit_sheet(request, code, month)
    return _docx_response(
        exports.build_docx(sheet),
        f"{unit.name}{month.label}月报.docx",
        f"report-{unit.code}-{month}.docx",
    )


def _overview_sheet(request, month):
    data = selectors.overview_for_user(request.user, month)
    top = [row.unit for row in data.rows if row.is_top]
    scope = scope_for(request.user)
    own = next((g.unit for g in scope.grants if g.unit is not None), None)
    name = own.name if own is not None else "、".join(u.name for u in top)
    settings = selectors.report_settings()
    return exports.overview_sheet(
        data,
        unit_name=f"{name}（汇总）",
        reporter=request.user.display_name,
        date=timezone.localdate(),
        deadline_day=settings.deadline_day,
    )


@login_required
@require_GET
def overview_xlsx(request: HttpRequest, month: F.Month) -> HttpResponse:
    sheet = _overview_sheet(request, month)
    return xlsx_response(
        content=exports.build_xlsx(sheet),
        filename=f"{month.label}月报汇总.xlsx",
        fallback=f"reports-{month}.xlsx",
    )


@login_required
@require_GET
def overview_docx(request: HttpRequest, month: F.Month) -> HttpResponse:
    sheet = _overview_sheet(request, month)
    return _docx_response(
        exports.build_docx(sheet), f"{month.label}月报汇总.docx", f"reports-{month}.docx"
    )
