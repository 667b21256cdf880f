"""审议意见 pages: the list with progress, create (draft with its problem list), the detail
grouped by category, issue (交办) and the Excel export of the list with progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from renda.cases.workflow import CaseConflict
from renda.lib.excel import write_sheet, xlsx_response
from renda.reviews import forms, selectors, services


@login_required
def opinion_list(request: HttpRequest) -> HttpResponse:
    if not selectors.can_view(request.user):
        raise PermissionDenied("您没有查看审议意见的权限。")
    return render(
        request,
        "reviews/list.html",
        {
            "rows": selectors.opinion_rows(request.user),
            "can_create": selectors.clerk_congress(request.user) is not None,
        },
    )


def _form_page(request: HttpRequest, congress, opinion=None) -> HttpResponse:
    """The draft's form, to create (`opinion` None) or to correct it before it is issued."""
    initial = selectors.opinion_initial(opinion) if opinion is not None else None
    form = forms.OpinionForm(request.POST or None, initial=initial, congress=congress)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.opinion_input()
            try:
                if opinion is None:
                    opinion = services.opinion_create(
                        actor=request.user, congress=congress, data=data
                    )
                else:
                    opinion = services.opinion_update(
                        actor=request.user, opinion=opinion, data=data
                    )
            except ValidationError as exc:
                form.add_error(None, "；".join(exc.messages))
            else:
                messages.success(request, "审议意见已保存为草稿，核对问题清单后请点击“交办”。")
                return redirect("reviews:detail", opinion.pk)
        status = 400
    context = {
        "form": form,
        "congress": congress,
        "opinion": opinion,
        "units": selectors.unit_names(congress),
    }
    return render(request, "reviews/form.html", context, status=status)


@login_required
def opinion_create(request: HttpRequest) -> HttpResponse:
    congress = selectors.clerk_congress(request.user)
    if congress is None:
        raise PermissionDenied("只有人大工作人员可以起草审议意见。")
    return _form_page(request, congress)


@login_required
def opinion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = selectors.get_opinion_for_user(request.user, pk, write=True)
    if opinion.status != opinion.Status.DRAFT:
        messages.error(request, "该审议意见已交办，不能再修改；各项的办理请在其事项页面进行。")
        return redirect("reviews:detail", pk)
    return _form_page(request, opinion.congress, opinion)


@login_required
def opinion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = selectors.get_opinion_for_user(request.user, pk)
    total, groups = selectors.opinion_progress(opinion)
    selectors.mark_visible_cases(request.user, [i for g in groups for i in g.items])
    return render(
        request,
        "reviews/detail.html",
        {
            "opinion": opinion,
            "total": total,
            "groups": groups,
            "can_manage": selectors.may_manage(request.user, opinion.congress),
        },
    )


@login_required
@require_POST
def opinion_issue(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = selectors.get_opinion_for_user(request.user, pk, write=True)
    try:
        opinion = services.opinion_issue(actor=request.user, opinion=opinion)
    except (ValidationError, CaseConflict) as exc:
        text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, f"交办失败，未作任何更改：{text}")
    else:
        count = opinion.items.count()
        messages.success(request, f"已交办{count}项问题，各责任单位可在“民情办理”中签收。")
    return redirect("reviews:detail", pk)


@login_required
def opinion_export(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = selectors.get_opinion_for_user(request.user, pk)
    total, groups = selectors.opinion_progress(opinion)
    rows = []
    for group in groups:
        for item in group.items:
            case = item.case
            rows.append(
                [
                    item.number,
                    group.name,
                    item.text,
                    item.unit.name + (f"（{item.unit_note}）" if item.unit_note else ""),
                    item.working_days,
                    case.code if case else "",
                    case.deadline if case and case.deadline else "",
                    case.get_state_display() if case else "未交办",
                    "是" if item.is_overdue else "",
                    case.reply if case else "",
                ]
            )
    rows.append([])
    rows.append(
        [
            "合计",
            f"共{total.items}项",
            f"已办结{total.done}项，办理中{total.in_hand}项，已超期{total.overdue}项",
        ]
    )
    content = write_sheet(
        title="问题清单",
        headers=[
            "序号",
            "问题类别",
            "问题及整改要求",
            "责任单位",
            "整改时限（工作日）",
            "事项编号",
            "办理期限",
            "办理状态",
            "是否超期",
            "整改答复",
        ],
        rows=rows,
    )
    return xlsx_response(
        content=content,
        filename=f"{opinion.title}-问题清单.xlsx",
        fallback=f"review-{opinion.pk}.xlsx",
    )
