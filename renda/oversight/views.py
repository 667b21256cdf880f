"""满意度测评 pages: the clerk's list, create, results and export; the rater's sheet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from renda.lib.excel import write_sheet, xlsx_response
from renda.oversight import forms, selectors, services
from renda.oversight.models import Evaluation, Score


def _error_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


@login_required
def evaluation_list(request: HttpRequest) -> HttpResponse:
    if not selectors.can_view(request.user):
        raise PermissionDenied("您没有查看满意度测评的权限。")
    evaluations = selectors.evaluations_for_user(request.user).select_related("congress")
    return render(
        request,
        "oversight/list.html",
        {
            "evaluations": evaluations[:200],
            "can_create": selectors.can_manage(request.user)
            and selectors.clerk_congress(request.user) is not None,
        },
    )


@login_required
def evaluation_create(request: HttpRequest) -> HttpResponse:
    manager = selectors.can_manage(request.user)
    congress = selectors.clerk_congress(request.user) if manager else None
    if congress is None:
        raise PermissionDenied("只有人大工作人员可以发起满意度测评。")
    form = forms.EvaluationForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                evaluation = services.evaluation_create(
                    actor=request.user,
                    congress=congress,
                    title=d["title"],
                    opens_on=d["opens_on"],
                    closes_on=d["closes_on"],
                    subject_units=list(d["subject_units"]),
                    subject_items=d["subject_items"].splitlines(),
                    rater_deputies=list(d["raters"]),
                    rater_users=list(d["members"]),
                )
            except ValidationError as exc:
                form.add_error(None, _error_text(exc))
            else:
                messages.success(request, "测评已创建（草稿），确认后请点击“开始测评”。")
                return redirect("oversight:evaluation_detail", evaluation.pk)
        status = 400
    return render(
        request, "oversight/form.html", {"form": form, "congress": congress}, status=status
    )


@login_required
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.get_evaluation_for_user(request.user, pk)
    results = selectors.evaluation_results(evaluation)
    return render(
        request,
        "oversight/detail.html",
        {
            "evaluation": evaluation,
            "results": results,
            "can_manage": selectors.can_manage(request.user),
        },
    )


def _transition(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    evaluation = selectors.get_evaluation_for_user(request.user, pk, write=True)
    try:
        service(actor=request.user, evaluation=evaluation)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, done)
    return redirect("oversight:evaluation_detail", pk)


@login_required
@require_POST
def evaluation_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, services.evaluation_open, "测评已开始，测评人可以提交。")


@login_required
@require_POST
def evaluation_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, services.evaluation_close, "测评已结束。")


@login_required
def evaluation_export(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.get_evaluation_for_user(request.user, pk)
    results = selectors.evaluation_results(evaluation)
    rows = [
        [
            i,
            r.subject.name,
            r.satisfied,
            r.basic,
            r.unsatisfied,
            r.rated,
            r.rate_text,
            "\n".join(f"[{label}] {text}" for label, text in r.comments),
        ]
        for i, r in enumerate(results.subjects, start=1)
    ]
    content = write_sheet(
        title="测评结果",
        headers=["序号", "测评对象", "满意", "基本满意", "不满意", "有效票", "满意率", "意见建议"],
        rows=rows,
    )
    return xlsx_response(
        content=content,
        filename=f"{evaluation.title}-测评结果.xlsx",
        fallback=f"evaluation-{evaluation.pk}.xlsx",
    )


@login_required
def my_sheets(request: HttpRequest) -> HttpResponse:
    return render(
        request, "oversight/mine.html", {"sheets": selectors.sheets_for_user(request.user)}
    )


@login_required
def sheet(request: HttpRequest, pk: int) -> HttpResponse:
    rater = selectors.get_sheet_for_user(request.user, pk)
    evaluation = rater.evaluation
    subjects = list(evaluation.subjects.all())
    errors: list[str] = []
    posted: dict[int, tuple[str, str]] = {}
    status = 200
    if request.method == "POST":
        for s in subjects:
            value = request.POST.get(f"value-{s.pk}", "")
            comment = request.POST.get(f"comment-{s.pk}", "")[:500]
            if value in Score.Value.values:
                posted[s.pk] = (value, comment)
        try:
            services.score_cast(actor=request.user, evaluation=evaluation, scores=posted)
        except ValidationError as exc:
            errors = exc.messages
            status = 400
        else:
            messages.success(request, "测评已提交，感谢您的参与。")
            return redirect("oversight:sheet", pk)
    mine = {s.subject_id: s for s in rater.scores.all()}
    rows = [
        {
            "subject": s,
            "value": mine[s.pk].value if s.pk in mine else posted.get(s.pk, ("", ""))[0],
            "comment": mine[s.pk].comment if s.pk in mine else posted.get(s.pk, ("", ""))[1],
        }
        for s in subjects
    ]
    return render(
        request,
        "oversight/sheet.html",
        {
            "evaluation": evaluation,
            "rater": rater,
            "rows": rows,
            "values": Score.Value.choices,
            "errors": errors,
            "can_submit": evaluation.status == Evaluation.Status.OPEN
            and rater.submitted_at is None,
        },
        status=status,
    )
