"""代表建议 pages: the deputy's filing form, the list and its Excel export, the committee's
review queue, the suggestion's page with one endpoint per step, and the promise tracking list.

Views stay thin: the scoped getter, a form, one service call, redirect. The page offers only
what `selectors.detail` says the user may do now; the services check again.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from renda.cases.models import Case
from renda.cases.services import case_sign
from renda.cases.workflow import CaseConflict
from renda.lib.excel import write_sheet, xlsx_response
from renda.org.roles import Perm
from renda.org.scope import user_can
from renda.suggestions import forms, selectors, services
from renda.suggestions.models import Suggestion

LIST_LIMIT = 200
EXPORT_LIMIT = 5000


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def _form_errors(form) -> str:
    return "；".join(str(e) for errors in form.errors.values() for e in errors)


# --- lists ----------------------------------------------------------------------------------


@login_required
def suggestion_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    q = request.GET.get("q", "").strip()[:50]
    rows = selectors.prefetch_for_list(selectors.suggestion_list(request.user, state=state, q=q))
    return render(
        request,
        "suggestions/list.html",
        {
            "rows": rows[:LIST_LIMIT],
            "state": state,
            "q": q,
            "states": Case.State.choices,
            "can_file": selectors.filing_congresses(request.user).exists(),
            "can_review": selectors.can_review(request.user),
            "can_see_rates": user_can(request.user, Perm.ORG_VIEW),
            "to_cosign": selectors.pending_cosign(request.user)[:20],
        },
    )


@login_required
def suggestion_export(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    q = request.GET.get("q", "").strip()[:50]
    rows = selectors.prefetch_for_list(selectors.suggestion_list(request.user, state=state, q=q))
    data = []
    for s in rows[:EXPORT_LIMIT]:
        case = s.case
        leads = [a.unit.name for a in case.leads]
        data.append(
            [
                case.code,
                s.label,
                case.title,
                s.lead_deputy.name,
                case.category.name,
                s.get_review_display(),
                leads[-1] if leads else "",
                case.get_state_display(),
                case.deadline.isoformat() if case.deadline else "",
                s.answer_class,
                case.get_rating_display() if case.rating else "",
                case.get_supervision_display(),
            ]
        )
    content = write_sheet(
        title="代表建议",
        headers=[
            "编号",
            "建议号",
            "标题",
            "领衔代表",
            "类别",
            "审查",
            "主办单位",
            "状态",
            "办理期限",
            "答复类别",
            "代表评价",
            "督办",
        ],
        rows=data,
    )
    return xlsx_response(content=content, filename="代表建议.xlsx", fallback="suggestions.xlsx")


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    selectors.check_reviewer(request.user)
    rows = selectors.review_queue(request.user).prefetch_related("cosigners__deputy")
    return render(request, "suggestions/review.html", {"rows": rows[:LIST_LIMIT]})


@login_required
def promise_list(request: HttpRequest) -> HttpResponse:
    open_only = request.GET.get("all") != "1"
    promises = selectors.promises_for_user(request.user, open_only=open_only)
    return render(
        request,
        "suggestions/promises.html",
        {
            "promises": promises[:LIST_LIMIT],
            "open_only": open_only,
            "can_keep": selectors.can_review(request.user),
            "today": services.timezone.localdate(),
        },
    )


@login_required
@require_POST
def promise_keep(request: HttpRequest, pk: int) -> HttpResponse:
    promise = selectors.get_promise_for_user(request.user, pk)
    form = forms.KeepForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        services.promise_keep(actor=request.user, promise=promise, note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "您无权执行该操作。")
    else:
        messages.success(request, "已记录承诺兑现。")
    return redirect("suggestions:promises")


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    """人民代表大会会议: clerks open a session (suggestions filed in it are numbered in it)
    and close it (later ones are filed between sessions)."""
    selectors.check_reviewer(request.user)
    form = forms.SessionForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.session_create(actor=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _errors(exc) if isinstance(exc, ValidationError) else str(exc))
            else:
                messages.success(request, "会议已添加。")
                return redirect("suggestions:sessions")
        status = 400
    sessions = selectors.sessions_for_user(request.user)[:LIST_LIMIT]
    return render(
        request, "suggestions/sessions.html", {"form": form, "sessions": sessions}, status=status
    )


@login_required
@require_POST
def session_close(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.check_reviewer(request.user)
    session = get_object_or_404(selectors.sessions_for_user(request.user), pk=pk)
    try:
        services.session_close(actor=request.user, session=session)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{session}已闭会。")
    return redirect("suggestions:sessions")


# --- filing ---------------------------------------------------------------------------------


@login_required
def suggestion_file(request: HttpRequest) -> HttpResponse:
    if not selectors.filing_congresses(request.user).exists():
        raise PermissionDenied("只有在任人大代表可以提出代表建议。")
    form = forms.FileForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                s = services.suggestion_file(
                    actor=request.user,
                    congress=d["congress"],
                    session=d["session"],
                    title=d["title"],
                    content=d["content"],
                    category=d["category"],
                    cosigners=list(d["cosigners"]),
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _errors(exc) if isinstance(exc, ValidationError) else str(exc))
            else:
                messages.success(request, f"建议已提交（{s.label}），请等待联名代表确认。")
                return redirect("suggestions:detail", s.case.code)
        status = 400
    return render(request, "suggestions/file.html", {"form": form}, status=status)


# --- the suggestion's page ------------------------------------------------------------------


@login_required
def suggestion_detail(request: HttpRequest, code: str) -> HttpResponse:
    s = selectors.get_suggestion_for_user(request.user, code)
    context = selectors.detail(request.user, s)
    may = context["may"]
    if may.get("suggestion_assign"):
        context["assign_form"] = forms.AssignForm(suggestion=s, auto_id="assign-%s")
    context.update(
        review_form=forms.ReviewForm(auto_id="review-%s"),
        extend_form=forms.ExtendForm(auto_id="extend-%s"),
        co_view_form=forms.CoViewForm(auto_id="coview-%s"),
        answer_form=forms.AnswerForm(auto_id="answer-%s"),
        rate_form=forms.RateForm(auto_id="rate-%s"),
        convert_form=forms.ReasonForm(auto_id="convert-%s"),
    )
    return render(request, "suggestions/detail.html", context)


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        raise ValidationError("页面信息不完整，请刷新后重试。") from None


@dataclass(frozen=True)
class Step:
    """One step's endpoint: its form, the service call (request, suggestion, cleaned data),
    and what the user is told when it is done."""

    form: type[forms.StyledForm]
    run: Callable[[HttpRequest, Suggestion, dict], object]
    done: str


STEPS: dict[str, Step] = {
    "cosign": Step(
        forms.CosignForm,
        lambda r, s, d: services.suggestion_cosign(
            actor=r.user, suggestion=s, agree=d["agree"] == "1"
        ),
        "联名确认已保存。",
    ),
    "review": Step(
        forms.ReviewForm,
        lambda r, s, d: services.suggestion_review(
            actor=r.user,
            suggestion=s,
            version=_version(r),
            accept=d["decision"] == "accept",
            reason=d["reason"],
        ),
        "审查结论已保存。",
    ),
    "assign": Step(
        forms.AssignForm,
        lambda r, s, d: services.suggestion_assign(
            actor=r.user,
            suggestion=s,
            version=_version(r),
            lead_unit=d["lead_unit"],
            co_units=list(d["co_units"]),
            note=d["note"],
        ),
        "已交办。",
    ),
    "extend": Step(
        forms.ExtendForm,
        lambda r, s, d: services.suggestion_extend(
            actor=r.user, suggestion=s, version=_version(r), until=d["until"], reason=d["reason"]
        ),
        "已延期。",
    ),
    "co-view": Step(
        forms.CoViewForm,
        lambda r, s, d: services.suggestion_co_view(
            actor=r.user, suggestion=s, content=d["content"]
        ),
        "协办意见已送主办单位。",
    ),
    "sign": Step(
        forms.StyledForm,
        lambda r, s, d: case_sign(case=s.case, actor=r.user, version=_version(r)),
        "已签收。",
    ),
    "answer": Step(
        forms.AnswerForm,
        lambda r, s, d: services.suggestion_answer(
            actor=r.user, suggestion=s, version=_version(r), **d
        ),
        "已答复代表。",
    ),
    "rate": Step(
        forms.RateForm,
        lambda r, s, d: services.suggestion_rate(
            actor=r.user, suggestion=s, version=_version(r), **d
        ),
        "评价已提交，感谢您的反馈。",
    ),
    "convert": Step(
        forms.ReasonForm,
        lambda r, s, d: services.motion_convert(
            actor=r.user, suggestion=s, version=_version(r), reason=d["reason"]
        ),
        "议案已转为建议。",
    ),
}


@login_required
@require_POST
def suggestion_act(request: HttpRequest, code: str, step: str) -> HttpResponse:
    """One step on the suggestion: its form, its service, a message, back to the page."""
    if step not in STEPS:
        raise Http404("没有该操作。")
    s = selectors.get_suggestion_for_user(request.user, code)
    spec = STEPS[step]
    extra = {"suggestion": s} if spec.form is forms.AssignForm else {}
    form = spec.form(request.POST, **extra)
    try:
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        spec.run(request, s, form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    except (CaseConflict, PermissionDenied) as exc:
        messages.error(request, str(exc) or "您无权执行该操作。")
    else:
        messages.success(request, spec.done)
    return redirect("suggestions:detail", code)
