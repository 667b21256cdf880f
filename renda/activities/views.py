"""The activity pages: the list, one activity, the quick record form (a phone first), the
attendance sheet, raising a case, and the photos.

Views stay thin: the scoped getter, the form, one service call, render or redirect. Bad input
comes back as the form with Chinese messages (status 400), never a 500.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from renda.activities import forms, selectors, services
from renda.activities.models import Activity, ActivityKind, Attendance
from renda.cases.selectors import get_case_for_user
from renda.lib.masking import mask_name
from renda.org.roles import Perm
from renda.org.scope import scope_for

PAGE_SIZE = 50


def _require_recorder(user) -> None:
    if not (selectors.can_manage(user) or selectors.own_deputy(user) is not None):
        raise PermissionDenied("您没有登记履职活动的权限。")


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.activities_for_user(request.user)
    kind = request.GET.get("kind", "")
    if kind.isdigit():
        qs = qs.filter(kind_id=int(kind))
    status = request.GET.get("status", "")
    if status in Activity.Status.values:
        qs = qs.filter(status=status)
    campaign = request.GET.get("campaign", "")
    if campaign.isdigit():
        qs = qs.filter(campaign_id=int(campaign))
    query = request.GET.get("q", "").strip()[:50]
    if query:
        qs = qs.filter(title__icontains=query)
    page = Paginator(qs.order_by("-date", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/list.html",
        {
            "page": page,
            "kinds": ActivityKind.objects.filter(is_active=True),
            "statuses": Activity.Status.choices,
            "kind": kind,
            "status": status,
            "q": query,
            "can_record": selectors.can_manage(request.user)
            or selectors.own_deputy(request.user) is not None,
        },
    )


def _citizens(activity: Activity, show: bool) -> str:
    if show or not activity.citizens_names:
        return activity.citizens_names
    parts = activity.citizens_names.replace("，", "、").replace(",", "、").split("、")
    return "、".join(mask_name(p.strip()) for p in parts if p.strip())


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.get_activity_for_user(request.user, pk)
    show_personal = scope_for(request.user).can(Perm.PERSONAL_DATA)
    return render(
        request,
        "activities/detail.html",
        {
            "activity": activity,
            "attendances": selectors.attendances_of(activity),
            "links": selectors.case_links_of(activity),
            "photos": activity.photos.all(),
            "citizens": _citizens(activity, show_personal),
            "can_write": selectors.can_write_activity(request.user, activity),
            "can_manage": selectors.can_manage(request.user),
        },
    )


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    _require_recorder(request.user)
    form = forms.ActivityForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"已登记活动“{activity.title}”。")
            return redirect("activities:detail", pk=activity.pk)
    status = 400 if request.method == "POST" else 200
    checks = forms.shortlist(form["deputies"]) if "deputies" in form.fields else None
    return render(
        request, "activities/create.html", {"form": form, "checks": checks}, status=status
    )


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.get_activity_for_user(request.user, pk, write=True)
    initial = {
        name: getattr(activity, name)
        for name in (
            "summary",
            "place",
            "officials_count",
            "officials_names",
            "citizens_count",
            "citizens_names",
        )
    }
    form = forms.ActivityUpdateForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["photos"] = data.get("photos") or []
        for name in ("officials_count", "citizens_count"):
            data[name] = data.get(name) or 0
        try:
            services.activity_update(actor=request.user, activity=activity, **data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "已保存。")
            return redirect("activities:detail", pk=activity.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "activities/edit.html", {"form": form, "activity": activity}, status=status
    )


@login_required
@require_POST
def activity_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.get_activity_for_user(request.user, pk, write=True)
    try:
        services.activity_cancel(actor=request.user, activity=activity)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "活动已取消。")
    return redirect("activities:detail", pk=activity.pk)


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendance sheet: one row per deputy on the list, and deputies to add."""
    activity = selectors.get_activity_for_user(request.user, pk, write=True)
    rows = list(selectors.attendances_of(activity))
    query = request.GET.get("q", "").strip()[:20]
    add_form = forms.AttendanceAddForm(request.POST or None, user=request.user, activity=activity)
    errors: list[str] = []
    if request.method == "POST" and add_form.is_valid():
        statuses, notes = {}, {}
        for row in rows:
            value = request.POST.get(f"status-{row.deputy_id}", row.status)
            statuses[row.deputy_id] = value
            notes[row.deputy_id] = request.POST.get(f"note-{row.deputy_id}", row.note)[:200]
        try:
            changed = services.attendance_take(
                actor=request.user,
                activity=activity,
                statuses=statuses,
                notes=notes,
                add=add_form.cleaned_data.get("deputies") or [],
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, f"已保存出席情况（{changed} 处变更）。")
            return redirect("activities:detail", pk=activity.pk)
    elif request.method == "POST":
        errors = [e for field in add_form.errors.values() for e in field]
    return render(
        request,
        "activities/attendance.html",
        {
            "activity": activity,
            "rows": rows,
            "add_form": add_form,
            "checks": forms.shortlist(add_form["deputies"], query=query),
            "query": query,
            "errors": errors,
            "statuses": Attendance.Status.choices,
            # A deputy keeps the sheet of their own record: there is nobody else to add.
            "can_add": selectors.can_manage(request.user),
        },
        status=400 if errors else 200,
    )


@login_required
def raise_case(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.get_activity_for_user(request.user, pk, write=True)
    form = forms.RaiseCaseForm(
        request.POST or None,
        user=request.user,
        activity=activity,
        initial={"idempotency_key": uuid.uuid4().hex},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        for name in ("submitter_name", "submitter_phone", "idempotency_key"):
            data[name] = data.get(name) or ""
        try:
            link = services.activity_raise_case(actor=request.user, activity=activity, **data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request, f"已登记{link.get_nature_display()}，事项编号 {link.case.code}。"
            )
            return redirect("activities:detail", pk=activity.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "activities/raise.html", {"form": form, "activity": activity}, status=status
    )


@login_required
def photo(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    activity = selectors.get_activity_for_user(request.user, pk)
    item = get_object_or_404(activity.photos.all(), pk=photo_pk)
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def for_case(request: HttpRequest, code: str) -> HttpResponse:
    """From a case to the activity it was raised in (the case page links here)."""
    case = get_case_for_user(request.user, code)
    link = getattr(case, "activity_link", None)
    if link is None:
        messages.info(request, "该事项不是在履职活动中收集的。")
        return redirect("cases:detail", code=case.code)
    activity = selectors.get_activity_for_user(request.user, link.activity_id)
    return redirect("activities:detail", pk=activity.pk)
