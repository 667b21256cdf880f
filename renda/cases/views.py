"""The staff pages of the case workflow: the inbox (/cases/) with bulk assignment, the case
page (/cases/<code>/) and one endpoint per action (/cases/<code>/act/<action>/).

Views stay thin: the scoped getter, the form, one service call, render or redirect. Which
actions a page offers comes from `allowed_actions`; the services check again when they run.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from renda.cases import forms, inbox, services
from renda.cases.attachments import attachment_response, case_attachments
from renda.cases.models import Case
from renda.cases.selectors import (
    allowed_actions,
    case_assignments,
    case_timeline,
    cases_for_user,
    get_case_for_user,
)
from renda.cases.services.routing import parent_congress
from renda.cases.workflow import (
    TRANSITIONS,
    Action,
    CaseActionNotAllowed,
    CaseConflict,
    lead_assignment,
    refusal,
)
from renda.lib.masking import mask_name
from renda.org.roles import Perm, Role
from renda.org.scope import scope_for

PAGE_SIZE = 50


@dataclass(frozen=True)
class ActionView:
    form: type[forms.ActionForm]
    service: Callable[..., Case]


ACTIONS: dict[str, ActionView] = {
    Action.ACCEPT: ActionView(forms.AcceptForm, services.case_accept),
    Action.REJECT: ActionView(forms.RejectForm, services.case_reject),
    Action.MERGE: ActionView(forms.MergeForm, services.case_merge),
    Action.ASSIGN: ActionView(forms.AssignForm, services.case_assign),
    Action.ESCALATE: ActionView(forms.EscalateForm, services.case_escalate),
    Action.SEND_DOWN: ActionView(forms.SendDownForm, services.case_send_down),
    Action.SIGN: ActionView(forms.SignForm, services.case_sign),
    Action.RETURN: ActionView(forms.ReturnForm, services.case_return),
    Action.EXTEND_REQUEST: ActionView(forms.ExtendRequestForm, services.case_extend_request),
    Action.EXTEND_APPROVE: ActionView(forms.ExtendApproveForm, services.case_extend_approve),
    Action.EXTEND_REFUSE: ActionView(forms.ExtendRefuseForm, services.case_extend_refuse),
    Action.REPLY: ActionView(forms.ReplyForm, services.case_reply),
    # One rating form for both transitions: 不满意 reopens the case (重办).
    Action.RATE: ActionView(forms.RateForm, services.case_rate),
    Action.SUPERVISE: ActionView(forms.SuperviseForm, services.case_supervise),
    Action.REMIND: ActionView(forms.RemindForm, services.case_remind),
    Action.CONVERT_TO_AGENDA: ActionView(
        forms.ConvertToAgendaForm, services.case_convert_to_agenda
    ),
}
# Actions that share another's form: the page offers (and posts to) that one.
FORM_OF = {Action.REOPEN: Action.RATE}


def _action_form(action: str, case: Case, user, data=None) -> forms.ActionForm:
    # Several forms share one page: each gets its own element ids.
    return ACTIONS[action].form(data, case=case, user=user, auto_id=f"{action}-%s")


# Deputies' suggestions and motions are answered and rated on their own page (the suggestions
# app adds the answer class, the B-class promise and the rating of the contact); this page
# keeps their supervision and the rest, and links there.
ANSWERED_ELSEWHERE = {Case.Kind.SUGGESTION, Case.Kind.MOTION}
_ANSWER_FORMS = {Action.REPLY.value, Action.RATE.value}


def _offered(user, case: Case) -> list[str]:
    """The action forms this page offers on the case, in the table's order, once each."""
    offered = [FORM_OF.get(Action(a), Action(a)).value for a in allowed_actions(user, case)]
    if case.kind in ANSWERED_ELSEWHERE:
        offered = [a for a in offered if a not in _ANSWER_FORMS]
    return [a for a in dict.fromkeys(offered) if a in ACTIONS]


# --- the inbox ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_inbox(request: HttpRequest) -> HttpResponse:
    bulk_form = None
    if request.method == "POST":
        if not inbox.is_clerk(request.user):
            raise PermissionDenied("只有人大工作人员可以交办事项。")
        bulk_form = forms.BulkAssignForm(request.POST, user=request.user, auto_id="bulk-%s")
        if bulk_form.is_valid():
            _bulk_assign(request, bulk_form)
            return redirect(request.get_full_path())
    return _render_inbox(request, bulk_form)


def _bulk_assign(request: HttpRequest, form: forms.BulkAssignForm) -> None:
    """Each ticked case goes through `case_assign` with the version its row showed; one
    case's failure is reported and the others go on."""
    data = form.cleaned_data
    done, failed = 0, []
    for code, version in form.versions().items():
        try:
            if version is None:
                raise CaseConflict("页面信息不完整，请刷新后重试。")
            case = get_case_for_user(request.user, code)
            services.case_assign(
                case=case,
                actor=request.user,
                version=version,
                lead_unit=data["lead_unit"],
                urgency=data["urgency"],
                note=data["note"],
            )
            done += 1
        except Http404:
            failed.append(f"{code}：未找到该事项")
        except (CaseConflict, PermissionDenied) as e:
            failed.append(f"{code}：{e}")
        except ValidationError as e:
            failed.append(f"{code}：{'；'.join(e.messages)}")
    if failed:
        messages.warning(
            request, f"已交办 {done} 件，{len(failed)} 件未能交办：{'；'.join(failed)}"
        )
    else:
        messages.success(request, f"已交办 {done} 件，承办单位：{data['lead_unit'].name}。")


def _render_inbox(request: HttpRequest, bulk_form: forms.BulkAssignForm | None) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    tabs = inbox.inbox_tabs(today)
    tab = next((t for t in tabs if t.key == request.GET.get("tab")), tabs[0])
    filters = forms.InboxFilterForm(request.GET or None, user=user)
    if filters.is_bound:
        filters.is_valid()
    cases = filters.apply(inbox.inbox_cases(user))
    counts = inbox.tab_counts(user, tabs, cases, filters.apply, filters.key())
    rows = inbox.listed(cases.filter(tab.q)).order_by(*tab.order_by)
    if tab.counted:
        paginator = Paginator(rows, PAGE_SIZE)
        # Counted with the tabs (and capped there): a list past the cap shows its newest
        # rows and asks for filters, rather than counting a city's history for page numbers.
        paginator.count = counts[tab.key]
        page = paginator.get_page(request.GET.get("page"))
        page.object_list = list(page.object_list) if counts[tab.key] else []
        capped = counts[tab.key] >= inbox.COUNT_CAP
    else:
        page = inbox.uncounted_page(rows, request.GET.get("page"), PAGE_SIZE)
        capped = page.capped
    clerk = inbox.is_clerk(user)
    # A case's page is "<code>/" under the list (cases/urls.py): one reverse, not two a row.
    list_url = reverse("cases:inbox")
    for case in page.object_list:
        case.detail_url = f"{list_url}{case.code}/"
        case.is_overdue = case.overdue_on(today)
        # No query: the ASSIGN check needs only the case's congress and the cached scope.
        case.can_bulk_assign = (
            clerk
            and case.state == Case.State.ACCEPTED
            and refusal(Action.ASSIGN, user, case) is None
        )
    if bulk_form is None and any(c.can_bulk_assign for c in page.object_list):
        bulk_form = forms.BulkAssignForm(user=user, auto_id="bulk-%s")
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("tab", None)
    return render(
        request,
        "cases/inbox.html",
        {
            "tabs": [(t, inbox.count_label(counts.get(t.key)), counts.get(t.key)) for t in tabs],
            "count_label": inbox.count_label(counts.get(tab.key)),
            "capped": capped,
            "cap": inbox.COUNT_CAP,
            "tab": tab,
            "filters": filters,
            "show_region": inbox.reaches_regions(user),
            "filter_query": query.urlencode(),
            "page": page,
            "bulk_form": bulk_form,
            "today": today,
        },
        status=400 if bulk_form is not None and bulk_form.is_bound else 200,
    )


# --- the case page --------------------------------------------------------------------------


def _can_see_personal(user, case: Case) -> bool:
    return case.submitter_id == user.pk or scope_for(user).can(Perm.PERSONAL_DATA)


def _render_detail(
    request: HttpRequest,
    case: Case,
    *,
    bound: tuple[str, forms.ActionForm] | None = None,
    conflict: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    offered = _offered(user, case)
    panels = []
    for action in offered:
        if bound is not None and bound[0] == action:
            form = bound[1]
        else:
            form = _action_form(action, case, user)
        panels.append({"action": action, "label": TRANSITIONS[Action(action)].label, "form": form})
    show_personal = _can_see_personal(user, case)
    submitter_name = case.submitter_name or (case.submitter.display_name if case.submitter else "")
    events = list(case_timeline(case))
    for event in events:
        event.label = _event_label(event)
        event.who = _event_actor(event, case, show_personal)
    context = {
        "case": case,
        "panels": panels,
        "open_action": bound[0] if bound else "",
        "conflict": conflict,
        "assignments": case_assignments(case),
        "attachments": case_attachments(case),
        "events": events,
        "merged_cases": cases_for_user(user)
        .filter(merged_into=case)
        .select_related(None)
        .only("code")
        .order_by("code"),
        "show_personal": show_personal,
        # The address may be a citizen's home: handling units need it to act, leaders do not.
        "show_address": show_personal or Role.HANDLER in scope_for(user).roles,
        "submitter_name": submitter_name if show_personal else mask_name(submitter_name),
        "escalate_to": parent_congress(case.congress) if Action.ESCALATE in offered else None,
        # The triage page (renda.triage) helps whoever may accept, merge or assign the case.
        "can_triage": any(a in offered for a in ("accept", "merge", "assign")),
        "answered_elsewhere": case.kind in ANSWERED_ELSEWHERE,
        "is_overdue": case.overdue_on(timezone.localdate()),
    }
    return render(request, "cases/detail.html", context, status=status)


def _event_label(event) -> str:
    try:
        label = TRANSITIONS[Action(event.action)].label
    except ValueError:
        return event.action
    rating = (event.data or {}).get("rating")
    if rating in Case.Rating.values:
        label = f"{label}（{Case.Rating(rating).label}）"
    return label


def _event_actor(event, case: Case, show_personal: bool) -> str:
    """Staff are named; the citizen who raised the case is masked for those who may not see
    personal data; no actor is the system, or an anonymous citizen."""
    if event.actor is None:
        return "系统" if event.action == Action.CLOSE_UNRATED else "群众"
    name = event.actor.display_name
    if event.actor_id == case.submitter_id and not show_personal:
        return mask_name(name)
    return name


@login_required
def case_detail(request: HttpRequest, code: str) -> HttpResponse:
    case = get_case_for_user(request.user, code)
    return _render_detail(request, case)


@login_required
def case_attachment(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A file of a case, for whoever may open the case page; 404 for everyone else."""
    case = get_case_for_user(request.user, code)
    return attachment_response(get_object_or_404(case_attachments(case), pk=pk))


@login_required
@require_POST
def case_act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    view = ACTIONS.get(action)
    if view is None:
        raise Http404("没有这个操作。")
    case = get_case_for_user(request.user, code)
    posted = request.POST.get("version", "")
    if posted.isdigit() and int(posted) != case.version:
        return _render_detail(request, case, conflict=CaseConflict.message, status=409)
    if action not in _offered(request.user, case):
        raise CaseActionNotAllowed(_why_not(request.user, case, Action(action)))
    form = _action_form(action, case, request.user, request.POST)
    if not form.is_valid():
        return _render_detail(request, case, bound=(action, form), status=400)
    try:
        view.service(
            case=case,
            actor=request.user,
            version=form.cleaned_data["version"],
            **form.service_kwargs(),
        )
    except CaseConflict as e:
        fresh = get_case_for_user(request.user, code)
        return _render_detail(request, fresh, conflict=str(e), status=409)
    except ValidationError as e:
        form.add_service_error(e)
        return _render_detail(request, case, bound=(action, form), status=400)
    messages.success(request, f"已{TRANSITIONS[Action(action)].label}。")
    return redirect("cases:detail", code=case.code)


def _why_not(user, case: Case, action: Action) -> str:
    if case.kind in ANSWERED_ELSEWHERE and action.value in _ANSWER_FORMS:
        return f"{case.get_kind_display()}请在{case.get_kind_display()}页面答复和评价。"
    lead = lead_assignment(case)
    reason = refusal(action, user, case, lead=lead)
    guard = TRANSITIONS[action].guard
    if reason is None and guard is not None:
        reason = guard(case, lead)
    return reason or "您当前不能对该事项执行此操作。"
