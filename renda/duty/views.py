"""The clerks' pages of duty points (/duty/): rules, a deputy's ledger and evaluation sheet,
rankings with their Excel export, and honour nominations.

Who sees what: every page needs DEPUTIES_VIEW and shows only deputies in the reader's scope
(a station clerk their station's region, a town clerk their town); changing rules and
nominating need DEPUTIES_MANAGE.
"""

from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from renda.deputies.selectors import deputies_for_user, get_deputy_for_user
from renda.duty import selectors, services, sheets
from renda.duty.forms import DecideForm, ProposeForm, RuleForm
from renda.duty.models import Nomination, PointRule, PointRuleChange, format_points
from renda.lib.excel import xlsx_response
from renda.lib.markup import esc
from renda.org.roles import Perm
from renda.org.scope import require, user_can
from renda.org.selectors import get_station_for_user, get_unit_for_user

RANKING_PAGE = 100


def period_from_request(request) -> selectors.Period:
    """The period asked for, or this year with a message when the input is bad."""
    try:
        return selectors.Period.parse(
            year=request.GET.get("year", "").strip(),
            start=request.GET.get("start", "").strip(),
            end=request.GET.get("end", "").strip(),
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0] + " 已改为显示本年度。")
        return selectors.Period.year(timezone.localdate().year)


def recent_years() -> list[int]:
    this = timezone.localdate().year
    return list(range(this, this - 6, -1))


# ---------------------------------------------------------------------------------------------
# Rules


@login_required
def rule_list(request):
    require(request.user, Perm.DEPUTIES_VIEW)
    today = timezone.localdate()
    rules = PointRule.objects.select_related("activity_kind").order_by(
        "source", "-valid_from", "name"
    )
    return render(
        request,
        "duty/rules.html",
        {
            "rules": rules,
            "today": today,
            "can_manage": user_can(request.user, Perm.DEPUTIES_MANAGE),
            "changes": PointRuleChange.objects.select_related("rule", "actor")[:20],
        },
    )


@login_required
def rule_edit(request, pk: int | None = None):
    require(request.user, Perm.DEPUTIES_MANAGE)
    rule = get_object_or_404(PointRule, pk=pk) if pk is not None else None
    negatives = None
    preview = None
    if request.method == "POST":
        form = RuleForm(request.POST, rule=rule)
        if form.is_valid():
            wants_preview = "preview" in request.POST
            try:
                result = services.rule_save(
                    actor=request.user,
                    rule=rule,
                    confirm_negative=form.cleaned_data["confirm_negative"],
                    preview=wants_preview,
                    **form.rule_values(),
                )
            except services.NegativeTotals as exc:
                negatives = exc.rows
                form.add_error(None, exc.messages[0])
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                if wants_preview:
                    preview = result
                else:
                    sync = result.sync
                    messages.success(
                        request,
                        f"已保存规则“{result.rule.name}”：新增明细 {sync.created} 条，"
                        f"替代或作废 {sync.ended} 条，涉及 {result.affected_deputies} 名代表。",
                    )
                    return redirect("duty:rules")
    else:
        form = RuleForm(rule=rule)
    return render(
        request,
        "duty/rule_form.html",
        {"form": form, "rule": rule, "negatives": negatives, "preview": preview},
    )


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            field = name if name in form.fields else None
            for message in errors:
                form.add_error(field, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


# ---------------------------------------------------------------------------------------------
# Rankings


def _ranking_request(request):
    """(scope, context) of the ranking the query string asks for: scope holds the period,
    congress, station and `lower` that `selectors.ranking` takes."""
    require(request.user, Perm.DEPUTIES_VIEW)
    period = period_from_request(request)
    congresses = selectors.congresses_for_user(request.user)
    stations = selectors.ranking_stations_for_user(request.user)
    congress = station = None
    by = request.GET.get("by", "congress")
    lower = request.GET.get("lower") == "1"
    pk = request.GET.get("congress" if by == "congress" else "station", "")
    if pk and not pk.isdigit():
        raise Http404("没有找到该范围。")
    if by == "station":
        station = get_station_for_user(request.user, int(pk)) if pk else stations.first()
        title = f"{station.name}进站代表" if station else ""
    else:
        congress = get_unit_for_user(request.user, int(pk)) if pk else congresses.first()
        if congress is not None and not congress.is_congress:
            raise Http404("所选单位不是人大机关。")
        title = f"{congress.name}{'及下级人大' if lower else ''}代表" if congress else ""
    scope = {"period": period, "congress": congress, "station": station, "lower": lower}
    context = {
        "by": "station" if by == "station" else "congress",
        "congresses": congresses,
        "stations": stations,
        "congress": congress,
        "station": station,
        "lower": lower,
        "period": period,
        "years": recent_years(),
        "title": title,
    }
    return scope, context


@login_required
def ranking(request):
    scope, context = _ranking_request(request)
    number = request.GET.get("page")
    context["page"] = (
        selectors.ranking_page(request.user, number=number, per_page=RANKING_PAGE, **scope)
        if (scope["congress"] or scope["station"])
        else Paginator([], RANKING_PAGE).get_page(number)
    )
    context["query"] = request.GET.urlencode()
    context["rows_html"] = _ranking_rows_html(context["page"], context["period"])
    context["congress_options"] = _options(context["congresses"], context["congress"])
    context["station_options"] = _options(context["stations"], context["station"])
    return render(request, "duty/ranking.html", context)


def _options(units, chosen) -> str:
    """<option>s of a select: built in one pass, not a template loop over a hundred units."""
    chosen_pk = chosen.pk if chosen is not None else None
    return mark_safe(
        "".join(
            f'<option value="{pk}"{" selected" if pk == chosen_pk else ""}>{esc(name)}</option>'
            for pk, name in units.values_list("pk", "name")
        )
    )


def _ranking_rows_html(page, period: selectors.Period) -> str:
    """The table rows of a ranking page, every value escaped by `esc`: a hundred rows of six
    cells cost a template more than the ranking itself. Links are built from one reverse()."""
    prefix = esc(reverse("duty:ledger", args=[0])[: -len("0/")])
    year = period.start.year
    rows = []
    for r in page:
        link = f"{prefix}{r.deputy.pk}/"
        rows.append(
            f'<tr><td>{r.rank}</td><td class="text-nowrap"><a href="{link}?year={year}">'
            f"{esc(r.deputy.name)}</a></td><td>{esc(r.deputy.work_unit)} {esc(r.deputy.post)}</td>"
            f'<td class="fw-semibold">{esc(format_points(r.total))}</td><td>{r.entries}</td>'
            f'<td class="text-nowrap"><a href="{link}sheet.xlsx?year={year}">Excel</a> · '
            f'<a href="{link}sheet.docx?year={year}">Word</a></td></tr>'
        )
    return mark_safe("".join(rows))


@login_required
def ranking_export(request):
    scope, context = _ranking_request(request)
    rows = (
        selectors.ranking(request.user, **scope) if (scope["congress"] or scope["station"]) else []
    )
    title, period = context["title"], scope["period"]
    content = sheets.ranking_xlsx(rows, title=title, period=period)
    return xlsx_response(
        content=content,
        filename=f"{title}履职积分排名（{period.label}）.xlsx",
        fallback="ranking.xlsx",
    )


# ---------------------------------------------------------------------------------------------
# A deputy's ledger and evaluation sheet


@login_required
def deputy_ledger(request, pk: int):
    require(request.user, Perm.DEPUTIES_VIEW)
    deputy = get_deputy_for_user(request.user, pk)
    period = period_from_request(request)
    history = request.GET.get("history") == "1"
    entries = selectors.ledger(deputy, period, history=history)
    return render(
        request,
        "duty/ledger.html",
        {
            "deputy": deputy,
            "period": period,
            "years": recent_years(),
            "history": history,
            "page": Paginator(entries, 50).get_page(request.GET.get("page")),
            "total": selectors.total(deputy, period),
        },
    )


def sheet_response(user, deputy, period, fmt: str) -> HttpResponse:
    evaluation = selectors.evaluation(user, deputy, period)
    name = sheets.sheet_title(evaluation)
    if fmt == "docx":
        response = HttpResponse(
            sheets.evaluation_docx(evaluation), content_type=sheets.DOCX_CONTENT_TYPE
        )
        response["Content-Disposition"] = (
            f"attachment; filename=\"evaluation.docx\"; filename*=UTF-8''{quote(name)}.docx"
        )
        response["Cache-Control"] = "no-store"
        return response
    if fmt == "xlsx":
        return xlsx_response(
            content=sheets.evaluation_xlsx(evaluation),
            filename=f"{name}.xlsx",
            fallback="evaluation.xlsx",
        )
    raise Http404("不支持的格式。")


@login_required
def deputy_sheet(request, pk: int, fmt: str):
    require(request.user, Perm.DEPUTIES_VIEW)
    deputy = get_deputy_for_user(request.user, pk)
    return sheet_response(request.user, deputy, period_from_request(request), fmt)


# ---------------------------------------------------------------------------------------------
# Nominations


@login_required
def nomination_list(request):
    require(request.user, Perm.DEPUTIES_VIEW)
    congresses = selectors.congresses_for_user(request.user)
    can_manage = user_can(request.user, Perm.DEPUTIES_MANAGE)
    form = ProposeForm(request.POST or None, congresses=congresses)
    if request.method == "POST":
        require(request.user, Perm.DEPUTIES_MANAGE)
        if form.is_valid():
            data = form.cleaned_data
            congress = data["congress"]
            deputies = deputies_for_user(request.user).filter(
                seats__term__congress=congress, seats__status="serving"
            )
            try:
                made = services.nomination_propose(
                    actor=request.user,
                    honour=data["honour"],
                    congress=congress,
                    year=data["year"],
                    top=data["top"],
                    deputies=deputies,
                    rules=list(data["rules"]),
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages[0])
            else:
                messages.success(request, f"已根据积分推荐 {len(made)} 名代表，请逐一确认。")
                query = urlencode({"year": data["year"], "congress": congress.pk})
                return redirect(f"{request.path}?{query}")
    year = request.GET.get("year", "")
    nominations = Nomination.objects.filter(congress__in=congresses).select_related(
        "deputy", "congress", "decided_by", "proposed_by"
    )
    if year.isdigit():
        nominations = nominations.filter(year=int(year))
    congress_pk = request.GET.get("congress", "")
    if congress_pk.isdigit():
        nominations = nominations.filter(congress_id=int(congress_pk))
    return render(
        request,
        "duty/nominations.html",
        {
            "form": form,
            "can_manage": can_manage,
            "page": Paginator(
                nominations.order_by("-year", "honour", "congress__path", "status", "rank", "pk"),
                50,
            ).get_page(request.GET.get("page")),
            "year": year,
            "years": recent_years(),
            "congresses": congresses,
            "congress_pk": congress_pk,
        },
    )


@login_required
@require_POST
def nomination_decide(request, pk: int):
    require(request.user, Perm.DEPUTIES_MANAGE)
    nomination = get_object_or_404(
        Nomination.objects.filter(congress__in=selectors.congresses_for_user(request.user)),
        pk=pk,
    )
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择确认或不予采纳。")
    else:
        try:
            services.nomination_decide(
                actor=request.user,
                nomination=nomination,
                confirm=form.cleaned_data["decision"] == "confirm",
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            verb = "确认" if form.cleaned_data["decision"] == "confirm" else "不予采纳"
            messages.success(
                request,
                f"已{verb}：{nomination.deputy.name}（{nomination.get_honour_display()}）。",
            )
    query = urlencode({"year": nomination.year, "congress": nomination.congress_id})
    return redirect(f"{reverse('duty:nominations')}?{query}")
