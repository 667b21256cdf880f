"""建议办理统计 pages: the rates table (/suggestions/rates/), the annual handling table as Excel
(/suggestions/rates/export/) and the suggestions behind each figure
(/suggestions/rates/list/?measure=…&unit=…&session=…&year=…).

Open to every role with Perm.ORG_VIEW (clerks, station clerks, handlers, leaders), as the
opinion loop's rates are; deputies and citizens get 403. What anyone sees is limited by their
data scope inside `renda.suggestions.rates`.
"""

from html import escape
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from renda.lib.excel import add_sheet, write_sheet, xlsx_response
from renda.org.models import OrgUnit
from renda.org.roles import Perm
from renda.org.scope import require
from renda.suggestions import rates

PAGE_SIZE = 50


class FilterForm(forms.Form):
    """A session (or 闭会期间) and a year; both optional. The choices are the sessions and
    years of the reader's suggestions, so an id outside their scope is refused like a wrong
    one."""

    session = forms.ChoiceField(
        label="会议",
        required=False,
        error_messages={"invalid_choice": "没有这个会议，或您无权查看它的建议。"},
    )
    year = forms.TypedChoiceField(
        label="年度",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "没有这个年度的建议，请从列表中选择年度。"},
    )

    def __init__(self, *args, sessions: list, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "全部年度"), *[(y, f"{y}年") for y in years]]
        self.sessions = {str(s.pk): s for s in sessions}
        self.fields["session"].choices = [
            ("", "全部会议"),
            (rates.BETWEEN_SESSIONS, "闭会期间"),
            *[(pk, f"{s.term.congress.name}{s}") for pk, s in self.sessions.items()],
        ]

    def resolved(self) -> rates.Filter | None:
        if not self.is_valid():
            return None
        session = self.cleaned_data.get("session") or ""
        return rates.Filter(
            session=self.sessions.get(session),
            between_sessions=session == rates.BETWEEN_SESSIONS,
            year=self.cleaned_data.get("year"),
        )


class ListForm(FilterForm):
    measure = forms.ChoiceField(
        label="指标",
        choices=[(m.key, m.label) for m in rates.MEASURES],
        error_messages={"required": "请选择要查看的数字。", "invalid_choice": "没有这个指标。"},
    )
    unit = forms.IntegerField(
        label="主办单位", required=False, min_value=1, error_messages={"invalid": "单位编号无效。"}
    )


def _forms_context(request: HttpRequest, form_class):
    """The form over the choices of the user's suggestions (two queries)."""
    require(request.user, Perm.ORG_VIEW)
    user = request.user
    form = form_class(
        request.GET, sessions=rates.session_choices(user), years=rates.year_choices(user)
    )
    return form, form.resolved()


def _table(request: HttpRequest) -> tuple[FilterForm, rates.RatesTable | None]:
    """The filter form and the table: one query counts everything, which also gives the
    form its choices (and the sessions' names one more)."""
    require(request.user, Perm.ORG_VIEW)
    counted = rates.counted_for_user(request.user)
    sessions = rates.sessions_by_ids(counted.session_ids)
    form = FilterForm(request.GET, sessions=sessions, years=counted.years)
    flt = form.resolved()
    return form, counted.table(flt) if flt is not None else None


# The table's columns after the unit's name: one count, several counts side by side, or a rate.
COLUMNS: list[tuple[str, tuple[str, ...] | rates.Rate]] = [
    ("交办件数", ("assigned",)),
    ("已答复", ("answered",)),
    ("按时办结率", rates.RATES_BY_KEY["on_time"]),
    ("A / B / C 类", ("class_a", "class_b", "class_c")),
    ("解决率", rates.RATES_BY_KEY["solved"]),
    ("满意率", rates.RATES_BY_KEY["satisfied"]),
    ("未答复 / 超期", ("unanswered", "overdue")),
]


def _cells(table: rates.RatesTable) -> list[tuple[rates.Row, SafeString]]:
    """Each row with its cells, every figure a link to the suggestions behind it.

    Built here, as plain strings, rather than in the template or with `format_html`: a city
    has a hundred and more lead units and seventeen links a row, which either of those renders
    several times slower (bench/bench_suggestion_rates.py). What goes in is safe by
    construction: numbers, percentages, the fixed labels, and URLs whose query `urlencode`
    wrote, escaped once more for the attribute.
    """
    base = reverse("suggestions:rates_list")
    # /suggestions/rates/list/?measure=…&unit=…&session=…&year=…, put together from its
    # parts (urlencode for every one of a few thousand links was a third of the page's time).
    tail = escape("&" + urlencode(table.filter.query)) if table.filter.query else ""

    def link(key: str, group: dict[str, str], text: object, extra: str = "") -> str:
        unit = f"&amp;unit={int(group['unit'])}" if group else ""
        title = rates.MEASURES_BY_KEY[key].label
        return f'<a href="{base}?measure={key}{unit}{tail}" title="{title}"{extra}>{text}</a>'

    out = []
    for row in [*table.units, table.total]:
        group = row.group_query
        cells = []
        for _, column in COLUMNS:
            if isinstance(column, rates.Rate):
                figure = row.figure(column)
                numerator = link(
                    column.numerator, group, figure.numerator, ' data-testid="numerator"'
                )
                denominator = link(
                    column.denominator, group, figure.denominator, ' data-testid="denominator"'
                )
                cells.append(
                    f'<td class="text-center text-nowrap" data-testid="cell-{column.key}">'
                    f'<span class="d-block" data-testid="percent">{figure.percent}</span>'
                    f"<small>{numerator} / {denominator}</small></td>"
                )
            else:
                links = " / ".join(link(key, group, row.counts[key]) for key in column)
                cells.append(
                    f'<td class="text-center text-nowrap" data-testid="count-{column[0]}">'
                    f"{links}</td>"
                )
        out.append((row, mark_safe("".join(cells))))  # safe by construction (docstring)
    return out


@login_required
@require_GET
def rates_page(request: HttpRequest) -> HttpResponse:
    form, table = _table(request)
    context = {
        "form": form,
        "rates": rates.RATES,
        "measures": rates.MEASURES,
    }
    if table is None:
        return render(request, "suggestions/rates.html", context, status=400)
    context.update(
        table=table,
        rows=_cells(table),
        headers=[title for title, _ in COLUMNS],
        export_query=urlencode(table.filter.query),
    )
    return render(request, "suggestions/rates.html", context)


# --- the annual handling table --------------------------------------------------------------

EXPORT_COLUMNS = [
    ("交办件数", "assigned"),
    ("已答复", "answered"),
    ("按时答复", "on_time"),
    ("A类", "class_a"),
    ("B类", "class_b"),
    ("C类", "class_c"),
]


@login_required
@require_GET
def rates_export(request: HttpRequest) -> HttpResponse:
    form, table = _table(request)
    if table is None:
        context = {"form": form, "rates": rates.RATES, "measures": rates.MEASURES}
        return render(request, "suggestions/rates.html", context, status=400)
    flt = table.filter
    stamp = f"{flt.year}年" if flt.year else ""
    return xlsx_response(
        content=handling_workbook(table),
        filename=f"{stamp}建议办理情况表.xlsx",
        fallback="suggestion_handling.xlsx",
    )


def handling_workbook(table: rates.RatesTable) -> bytes:
    """年度建议办理情况表: one row per lead unit and a total row; sheet 2 the definitions."""
    headers = ["序号", "主办单位", *[title for title, _ in EXPORT_COLUMNS]]
    headers += ["按时办结率", "解决率", "满意率", "未答复", "超期未答复"]
    data = []
    for number, row in enumerate([*table.units, table.total], start=1):
        line: list[object] = [number if row.kind == "unit" else "", row.name]
        line += [row.counts[key] for _, key in EXPORT_COLUMNS]
        line += [row.figure(rates.RATES_BY_KEY[k]).percent for k in ("on_time", "solved")]
        line += [row.figure(rates.RATES_BY_KEY["satisfied"]).percent]
        line += [row.counts["unanswered"], row.counts["overdue"]]
        data.append(line)
    content = write_sheet(title="建议办理情况表", headers=headers, rows=data)
    legend = [
        ["统计范围", table.filter.label],
        ["统计日期", table.today.isoformat()],
        ["指标", "分子", "分母", "定义"],
        *[[r.label, r.numerator_label, r.denominator_label, r.definition] for r in rates.RATES],
        *[[m.label, "", "", m.definition] for m in rates.MEASURES],
    ]
    return add_sheet(content, title="指标说明", rows=legend, widths=[14, 14, 14, 100])


# --- the suggestions behind a figure --------------------------------------------------------


@login_required
@require_GET
def rates_list(request: HttpRequest) -> HttpResponse:
    form, flt = _forms_context(request, ListForm)
    if flt is None:
        return render(request, "suggestions/rates_list.html", {"form": form}, status=400)
    data = form.cleaned_data
    measure = rates.MEASURES_BY_KEY[data["measure"]]
    unit = data.get("unit")
    rows = rates.measure_rows(request.user, measure=measure.key, flt=flt, unit=unit)
    page = Paginator(rows.order_by("-year", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    unit_name = "合计"
    if unit is not None:
        unit_name = OrgUnit.objects.filter(pk=unit).values_list("name", flat=True).first() or "—"
    return render(
        request,
        "suggestions/rates_list.html",
        {
            "form": form,
            "measure": measure,
            "filter": flt,
            "group_name": unit_name,
            "page": page,
            "today": timezone.localdate(),
            "back_query": urlencode(flt.query),
        },
    )
