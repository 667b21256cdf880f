"""The citizen portal (群众门户): submit, track, rate, my opinions, published answers, and a
deputy's collecting on behalf of voters. Phone-first pages without the staff frame.

Who may open a case here: its submitter's account, the collecting deputy's account, or a
browser session that proved the tracking code with the last four digits of the phone.
"""

import time
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renda.cases.attachments import attachment_response, case_attachments, case_submit_with_files
from renda.cases.models import Attachment, Case
from renda.cases.selectors import cases_for_user
from renda.cases.services import CaseActionNotAllowed, CaseConflict, case_rate
from renda.cases.workflow import is_rater
from renda.deputies.models import Deputy
from renda.lib.masking import mask_free_text
from renda.portal import selectors, throttle
from renda.portal.forms import CaseForm, CollectForm, RatingForm, TrackForm

# The codes this browser has proved, with the phone digits that proved them: {code: last4}.
TRACKED = "portal_tracked"
# Times of failed tracking attempts; after too many, tracking is refused for a while.
FAILURES = "portal_track_failures"
MAX_FAILURES = 10
FAILURE_WINDOW = 10 * 60
TRACK_FAILED = "查询码或手机号后四位不正确，请核对后重试。"
TOO_MANY = "查询失败次数过多，请10分钟后再试。"


def _remember(request, case: Case) -> None:
    phone = case.submitter_phone
    if phone:
        tracked = dict(request.session.get(TRACKED, {}))
        tracked[case.code] = phone[-4:]
        request.session[TRACKED] = tracked


def _access(request, code: str) -> tuple[Case, str] | None:
    """The case and the phone digits that opened it ('' for its own account), or None."""
    case = selectors.case_by_code(code)
    if case is None:
        return None
    if request.user.is_authenticated and is_rater(request.user, case):
        return case, ""
    last4 = request.session.get(TRACKED, {}).get(code, "")
    if last4 and is_rater(None, case, phone_last4=last4):
        return case, last4
    return None


def _to_track_form(code: str):
    return redirect(f"{reverse('portal:track')}?{urlencode({'code': code})}")


def _deputy_of(user) -> Deputy:
    deputy = Deputy.objects.filter(user=user).first() if user.is_authenticated else None
    if deputy is None:
        raise PermissionDenied("仅人大代表可以代选民反映意见。")
    return deputy


@require_GET
def home(request):
    deputy = (
        Deputy.objects.filter(user=request.user).exists()
        if request.user.is_authenticated
        else False
    )
    return render(request, "portal/home.html", {"is_deputy": deputy})


def _submit_page(request, *, form_class, channel: str, collected_by: Deputy | None, template):
    user = request.user
    contact_required = not user.is_authenticated
    initial = {}
    if user.is_authenticated and collected_by is None:
        initial = {"submitter_name": user.full_name, "submitter_phone": user.phone}
    kwargs = {} if form_class is CollectForm else {"contact_required": contact_required}
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, initial=initial, **kwargs)
        if form.is_valid():
            try:
                case = case_submit_with_files(
                    files=form.cleaned_data["photos"],
                    actor=user if user.is_authenticated else None,
                    channel=channel,
                    collected_by=collected_by,
                    **form.submit_fields(),
                )
            except CaseActionNotAllowed as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                form.add_service_error(error)
            else:
                _remember(request, case)
                return redirect("portal:submitted", code=case.code)
    else:
        form = form_class(initial=initial, **kwargs)
    return render(request, template, {"form": form})


@require_http_methods(["GET", "POST"])
def submit(request):
    return _submit_page(
        request,
        form_class=CaseForm,
        channel=Case.Channel.PORTAL,
        collected_by=None,
        template="portal/submit.html",
    )


@require_GET
def places(request):
    """htmx: the village and grid selects for the chosen town (and village)."""
    form = CaseForm(
        initial={"town": request.GET.get("town"), "village": request.GET.get("village")}
    )
    return render(request, "portal/_places.html", {"form": form})


@require_GET
def submitted(request, code: str):
    found = _access(request, code)
    if found is None:
        raise Http404
    return render(request, "portal/submitted.html", {"case": found[0]})


@require_http_methods(["GET", "POST"])
def track(request):
    now = time.time()
    failures = [t for t in request.session.get(FAILURES, []) if now - t < FAILURE_WINDOW]
    if request.method == "POST":
        form = TrackForm(request.POST)
        # Per session, and per address for a script that drops its cookie (see throttle).
        if len(failures) >= MAX_FAILURES or throttle.address_blocked(request, now):
            form.is_valid()
            form.add_error(None, TOO_MANY)
        elif form.is_valid():
            code, last4 = form.cleaned_data["code"], form.cleaned_data["phone_last4"]
            case = selectors.case_by_code(code)
            if case is not None and is_rater(None, case, phone_last4=last4):
                _remember(request, case)
                return redirect("portal:case", code=case.code)
            request.session[FAILURES] = [*failures, now]
            throttle.address_failed(request, now)
            form.add_error(None, TRACK_FAILED)
    else:
        form = TrackForm(initial={"code": request.GET.get("code", "")})
    return render(request, "portal/track.html", {"form": form})


@require_GET
def case_status(request, code: str):
    found = _access(request, code)
    if found is None:
        return _to_track_form(code)
    case = found[0]
    return render(
        request,
        "portal/case.html",
        {
            "case": case,
            "state_label": selectors.PUBLIC_STATE[case.state],
            "milestones": selectors.public_milestones(case),
            "attachments": case_attachments(case),
            "rating_form": RatingForm(initial={"version": case.version})
            if case.state == Case.State.REPLIED
            else None,
        },
    )


@require_POST
def rate(request, code: str):
    found = _access(request, code)
    if found is None:
        return _to_track_form(code)
    case, last4 = found
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            case = case_rate(
                case=case,
                actor=request.user if not last4 else None,
                version=form.cleaned_data["version"],
                rating=form.cleaned_data["rating"],
                note=form.cleaned_data["note"],
                phone_last4=last4,
            )
        except (CaseConflict, CaseActionNotAllowed) as error:
            messages.error(request, str(error))
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            if case.state == Case.State.CLOSED:
                messages.success(request, "感谢您的评价，该事项已办结。")
            else:
                messages.success(request, "已收到您的评价，事项已转承办单位重新办理。")
        return redirect("portal:case", code=case.code)
    return render(
        request,
        "portal/case.html",
        {
            "case": case,
            "state_label": selectors.PUBLIC_STATE[case.state],
            "milestones": selectors.public_milestones(case),
            "attachments": case_attachments(case),
            "rating_form": form,
        },
    )


@require_GET
def attachment(request, code: str, pk: int):
    """An attachment, for staff whose scope holds the case and for whoever may open the case
    in the portal; 404 for everyone else, whether or not it exists."""
    if _access(request, code) is None:
        if not request.user.is_authenticated:
            raise Http404
        if not cases_for_user(request.user).filter(code=code).exists():
            raise Http404
    file = get_object_or_404(Attachment.objects.select_related("case"), pk=pk, case__code=code)
    return attachment_response(file)


def _with_state(page) -> list[tuple[Case, str]]:
    return [(case, selectors.PUBLIC_STATE[case.state]) for case in page]


@login_required
@require_GET
def mine(request):
    page = Paginator(selectors.own_cases(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "portal/mine.html", {"page": page, "items": _with_state(page)})


# The public list counts no further than this: past it, "共 1000 条" is as useful as the exact
# number, and counting every published answer of a city on each visit is not.
PUBLIC_COUNT_CAP = 1000


@require_GET
def public(request):
    published = selectors.published_cases()
    paginator = Paginator(published, 20)
    # COUNT(*) over at most the cap's rows, read from the index case_published_replied.
    paginator.count = published.order_by().values("pk")[:PUBLIC_COUNT_CAP].count()
    page = paginator.get_page(request.GET.get("page"))
    items = [
        {
            "case": case,
            "title": mask_free_text(case.title),
            "content": mask_free_text(case.content),
            "reply": mask_free_text(case.reply),
        }
        for case in page
    ]
    return render(request, "portal/public.html", {"page": page, "items": items})


@login_required
@require_http_methods(["GET", "POST"])
def collect(request):
    return _submit_page(
        request,
        form_class=CollectForm,
        channel=Case.Channel.DEPUTY,
        collected_by=_deputy_of(request.user),
        template="portal/collect.html",
    )


@login_required
@require_GET
def collected(request):
    deputy = _deputy_of(request.user)
    page = Paginator(selectors.collected_cases(deputy), 20).get_page(request.GET.get("page"))
    return render(request, "portal/collected.html", {"page": page, "items": _with_state(page)})
