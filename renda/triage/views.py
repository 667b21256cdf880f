"""The triage page (/triage/<code>/, 智能分办) and its one-click actions, and the reply check.

Thin views: the scoped getter, the case app's own forms for the action's input, one service
call of renda.cases (which checks the transition table and the version again), then a
redirect. A conflict (someone acted first) re-renders the page with a Chinese message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from renda.cases import services
from renda.cases.forms import AcceptForm, AssignForm, MergeForm
from renda.cases.models import Case, UrgencyTier
from renda.cases.selectors import get_case_for_user
from renda.cases.workflow import Action, CaseConflict
from renda.triage import selectors
from renda.triage.replycheck import reply_check

DEFAULT_URGENCY = "一般"


def _render(
    request: HttpRequest,
    case: Case,
    allowed: list[str],
    *,
    error: str = "",
    conflict: str = "",
    status: int = 200,
) -> HttpResponse:
    can_assign = Action.ASSIGN in allowed or Action.ACCEPT in allowed
    units = selectors.assignable_units(case) if can_assign else []
    urgencies = list(UrgencyTier.objects.all())
    default_urgency = next((u for u in urgencies if u.name == DEFAULT_URGENCY), None)
    context = {
        "case": case,
        "allowed": allowed,
        "can_accept": Action.ACCEPT in allowed,
        "can_assign": can_assign,
        "assignable_units": units,
        "categories": selectors.category_suggestions(case),
        "units": selectors.unit_suggestions(case, units) if can_assign else None,
        "duplicates": selectors.duplicate_rows(request.user, case, allowed),
        "urgencies": urgencies,
        "default_urgency": default_urgency,
        "error": error,
        "conflict": conflict,
    }
    return render(request, "triage/page.html", context, status=status)


@login_required
def triage_page(request: HttpRequest, code: str) -> HttpResponse:
    case, allowed = selectors.get_case_for_triage(request.user, code)
    return _render(request, case, allowed)


def _refresh(request: HttpRequest, code: str, message: str, status: int) -> HttpResponse:
    try:
        case, allowed = selectors.get_case_for_triage(request.user, code)
    except PermissionDenied:
        # Someone else finished the triage meanwhile (merged or assigned it): say so on the
        # case page rather than refusing.
        messages.warning(request, message)
        return redirect("cases:detail", code=code)
    if status == 409:
        return _render(request, case, allowed, conflict=message, status=status)
    return _render(request, case, allowed, error=message, status=status)


def _stale(request: HttpRequest, code: str) -> HttpResponse | None:
    """The conflict answer when the page posted an older version than the case has now
    (someone else acted first), before asking whether the case can still be triaged."""
    case = get_case_for_user(request.user, code)
    posted = request.POST.get("version", "")
    if posted.isdigit() and int(posted) != case.version:
        return _refresh(request, code, CaseConflict.message, 409)
    return None


def _errors(form) -> str:
    return "；".join(m for errors in form.errors.values() for m in errors)


@login_required
@require_POST
def triage_accept(request: HttpRequest, code: str) -> HttpResponse:
    """采用 a suggested category: accept the case with that category."""
    if conflict := _stale(request, code):
        return conflict
    case, _ = selectors.get_case_for_triage(request.user, code)
    form = AcceptForm(request.POST, case=case, user=request.user)
    if not form.is_valid():
        return _refresh(request, code, _errors(form), 400)
    try:
        services.case_accept(
            case=case,
            actor=request.user,
            version=form.cleaned_data["version"],
            category=form.cleaned_data["category"],
            note="采用智能分办建议" if form.cleaned_data["category"] else "",
        )
    except CaseConflict as e:
        return _refresh(request, code, str(e), 409)
    except ValidationError as e:
        return _refresh(request, code, "；".join(e.messages), 400)
    messages.success(request, f"已受理，分类：{case.category.name}。")
    return redirect("triage:page", code=case.code)


@login_required
@require_POST
def triage_assign(request: HttpRequest, code: str) -> HttpResponse:
    """采用 a suggested unit: assign the case to it (accepting it first if it waits for that)."""
    if conflict := _stale(request, code):
        return conflict
    case, _ = selectors.get_case_for_triage(request.user, code)
    form = AssignForm(request.POST, case=case, user=request.user)
    if not form.is_valid():
        return _refresh(request, code, _errors(form), 400)
    data = form.cleaned_data
    version = data["version"]
    try:
        if case.state == Case.State.SUBMITTED:
            # One click for 受理 + 交办: two services, each checking its own transition.
            case = services.case_accept(case=case, actor=request.user, version=version)
            version = case.version
        services.case_assign(
            case=case,
            actor=request.user,
            version=version,
            lead_unit=data["lead_unit"],
            urgency=data["urgency"],
            co_units=data["co_units"],
            note=data["note"],
        )
    except CaseConflict as e:
        return _refresh(request, code, str(e), 409)
    except ValidationError as e:
        return _refresh(request, code, "；".join(e.messages), 400)
    messages.success(request, f"已交办，主办单位：{data['lead_unit'].name}。")
    return redirect("cases:detail", code=case.code)


@login_required
@require_POST
def triage_merge(request: HttpRequest, code: str) -> HttpResponse:
    """合并 this case into a near-duplicate, in one click."""
    if conflict := _stale(request, code):
        return conflict
    case, _ = selectors.get_case_for_triage(request.user, code)
    form = MergeForm(request.POST, case=case, user=request.user)
    if not form.is_valid():
        return _refresh(request, code, _errors(form), 400)
    target = form.cleaned_data["merged_into"]
    try:
        services.case_merge(
            case=case,
            actor=request.user,
            version=form.cleaned_data["version"],
            into=target,
            note=form.cleaned_data["note"] or "智能分办：疑似重复，一键合并",
        )
    except CaseConflict as e:
        return _refresh(request, code, str(e), 409)
    except ValidationError as e:
        return _refresh(request, code, "；".join(e.messages), 400)
    messages.success(request, f"已将 {case.code} 合并至 {target.code}。")
    return redirect("cases:detail", code=target.code)


@login_required
@require_POST
def reply_check_view(request: HttpRequest) -> HttpResponse:
    """htmx: the reply form posts the case code and the draft reply; a fragment lists what
    the draft lacks. Any case the user can see; 404 otherwise."""
    code = (request.POST.get("code") or "").strip().upper()
    case = get_case_for_user(request.user, code)
    result = reply_check(case, request.POST.get("reply") or "")
    return render(request, "triage/reply_check.html", {"result": result})
