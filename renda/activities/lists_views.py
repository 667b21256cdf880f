"""四张清单: the work list (activities), the problem and suggestion lists (cases raised), and
the results list (cases solved, with their result) — for any campaign, station, region and
period in the reader's scope, as a page and as one Excel workbook with four sheets."""

import io
import unicodedata

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from renda.activities import forms, selectors
from renda.activities.models import ActivityCase
from renda.cases.models import Case
from renda.lib.excel import xlsx_response
from renda.lib.markup import esc
from renda.org.models import Level, Region
from renda.org.roles import Perm
from renda.org.scope import scope_for

# The page shows the newest rows of each list; the export has them all.
PAGE_ROWS = 50
EXPORT_ROWS = 20000
ACTIVITY_HEADERS = [
    *("日期", "活动名称", "类型", "主题活动", "联络站"),
    *("区划", "状态", "出席代表数", "活动纪要", "链接"),
]


def _require_reader(user) -> None:
    scope = scope_for(user)
    if not (scope.can(Perm.ACTIVITIES_MANAGE) or scope.can(Perm.DEPUTIES_VIEW)):
        raise PermissionDenied("您没有查看四张清单的权限。")


def _lists(request: HttpRequest):
    _require_reader(request.user)
    form = forms.FourListsForm(request.GET or None, user=request.user)
    filters = form.filters()
    lists = selectors.four_lists(request.user, **filters)
    return form, lists, filters


def _shown_regions(form, chosen: Region | None) -> None:
    """The region choices the page lists once the query is validated: cities, counties and
    towns, and only the villages of the chosen town (or of the chosen village's town), not
    the hundreds of villages of a whole city. Any village in scope is still accepted."""
    field = form.fields["region"]
    shown = ~Q(level=Level.VILLAGE)
    if chosen is not None and chosen.level in (Level.TOWN, Level.VILLAGE):
        town = chosen.path if chosen.level == Level.TOWN else chosen.path[: -Region.steplen]
        shown |= Q(level=Level.VILLAGE, path__startswith=town)
    field.queryset = field.queryset.filter(shown)


@login_required
def four_lists(request: HttpRequest) -> HttpResponse:
    form, lists, filters = _lists(request)
    _shown_regions(form, filters.get("region"))
    counts = {"activities": lists.activities.count(), **lists.case_counts()}
    for name in SELECTS:
        form[name].select_html = _select_html(form[name])
    # Row links are built from these prefixes: one reverse() per page, not per row.
    activity_prefix = reverse("activities:list")
    case_prefix = reverse("cases:inbox")
    problems, suggestions, results = _case_tables(lists, case_prefix, activity_prefix)
    return render(
        request,
        "activities/four_lists.html",
        {
            "form": form,
            "counts": counts,
            "activities_html": _activity_rows(_newest(lists.activities), activity_prefix),
            "problems_html": problems,
            "suggestions_html": suggestions,
            "results_html": results,
            "page_rows": PAGE_ROWS,
            "query": request.GET.urlencode(),
        },
    )


# The page is four tables of up to fifty rows and three selects of a hundred options or more:
# a template costs several times the queries behind them, so rows and options are built in
# one pass of f-strings, every database value escaped by `esc`.
SELECTS = ("campaign", "station", "region")
PLANNED = mark_safe(' <span class="badge text-bg-primary">计划中</span>')


def _newest(activities) -> list[tuple]:
    """The first PAGE_ROWS activities of the work list, as the tuples `_activity_rows` shows:
    their ids first (the sort reads only the index), then those rows with their joins and
    attended counts — SQLite would otherwise count the attendance of every activity of a
    campaign before sorting and cutting. Tuples, not model objects: building fifty
    activities with their kind, station, region and campaign costs more than the query."""
    ids = list(activities.values_list("pk", flat=True)[:PAGE_ROWS])
    if not ids:
        return []
    return list(
        activities.filter(pk__in=ids).values_list(
            "date",
            "pk",
            "title",
            "status",
            "kind__name",
            "station__name",
            "region__name",
            "campaign__name",
            "attended",
        )
    )


def _select_html(bound) -> str:
    field = bound.field
    chosen = str(bound.value() or "")
    css = "form-select is-invalid" if bound.errors else "form-select"
    options = "".join(
        f'<option value="{pk}"{" selected" if str(pk) == chosen else ""}>{esc(name)}</option>'
        for pk, name in field.queryset.values_list("pk", "name")
    )
    return mark_safe(
        f'<select name="{esc(bound.html_name)}" class="{css}" id="{esc(bound.id_for_label)}">'
        f'<option value="">{esc(field.empty_label)}</option>{options}</select>'
    )


def _activity_rows(activities: list[tuple], activity_prefix: str) -> str:
    prefix = esc(activity_prefix)
    return mark_safe(
        "".join(
            f'<tr><td class="text-nowrap">{day:%Y-%m-%d}</td><td><a href="{prefix}{pk}/">'
            f"{esc(title)}</a>{PLANNED if status == 'planned' else ''}</td>"
            f'<td class="text-nowrap">{esc(kind)}</td><td>{esc(station or region)}</td>'
            f'<td>{esc(campaign or "")}</td><td class="text-end">{attended}</td></tr>'
            for day, pk, title, status, kind, station, region, campaign, attended in activities
        )
    )


# What a row of the problem, suggestion and results lists shows: read as tuples, without a
# model object for the link, its case, category, deputy and activity (six per row).
CASE_ROW_FIELDS = (
    "case__code",
    "case__title",
    "case__category__name",
    "raised_by__name",
    "activity_id",
    "activity__title",
    "activity_date",
    "case__state",
)
RESULT_ROW_FIELDS = (*CASE_ROW_FIELDS, "case__result_class", "case__reply")
CASE_STATES = dict(Case.State.choices)
RESULT_CLASSES = dict(Case.ResultClass.choices)


def _shortened(text: str, limit: int = 80) -> str:
    """Truncator(text).chars(limit), without building a Truncator for the replies (most of
    them) that are short enough already: for those it returns the text in NFC."""
    text = unicodedata.normalize("NFC", text)
    return text if len(text) <= limit else Truncator(text).chars(limit)


def _pages_of_ids(querysets) -> list[list[int]]:
    """Each case list's first PAGE_ROWS link ids, in one query: the pages' queries joined by
    UNION ALL, each keeping its own ORDER BY and LIMIT. UNION ALL promises no order, so each
    page is put back in the lists' order, (-activity_date, -pk), from the rows' own values."""
    parts, params = [], []
    for i, links in enumerate(querysets):
        sql, more = links.values_list("pk", "activity_date")[:PAGE_ROWS].query.sql_with_params()
        parts.append(f"SELECT {i}, x.* FROM ({sql}) x")
        params.extend(more)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        found = cursor.fetchall()
    pages: list[list[int]] = [[] for _ in querysets]
    for which, pk, _day in sorted(found, key=lambda row: (row[2], row[1]), reverse=True):
        pages[which].append(pk)
    return pages


def _case_tables(lists, case_prefix: str, activity_prefix: str) -> list[str]:
    """The rows of the problem, suggestion and results lists: the three pages of link ids in
    one query (`_pages_of_ids`), then their rows in one query by id. PostgreSQL plans the
    seven tables of the scope check and the row's joins in one query in 10-15 ms (measured on
    the bench's campaign, executed in about 1 ms); these plan in about 1 ms each."""
    pages = _pages_of_ids([lists.problems, lists.suggestions, lists.results])
    wanted = {pk for page in pages for pk in page}
    rows = (
        {
            row[0]: row[1:]
            for row in ActivityCase.objects.filter(pk__in=wanted)
            .order_by()
            .values_list("pk", *RESULT_ROW_FIELDS)
        }
        if wanted
        else {}
    )
    cases, activities = esc(case_prefix), esc(activity_prefix)
    return [
        _case_table_rows([rows[pk] for pk in page], cases, activities, with_result=i == 2)
        for i, page in enumerate(pages)
    ]


def _case_table_rows(rows: list[tuple], cases: str, activities: str, *, with_result=False) -> str:
    """The table rows of one list, in the order of `rows` (RESULT_ROW_FIELDS each); `cases`
    and `activities` are the escaped link prefixes."""
    shown = []
    for row in rows:
        code, title, category, raised_by, activity_id, activity, day, state = row[:8]
        result = (
            '<td><span class="badge text-bg-success">'
            f"{esc(RESULT_CLASSES.get(row[8], row[8]))}</span> "
            f'<span class="text-break">{esc(_shortened(row[9]))}</span></td>'
            if with_result
            else ""
        )
        code = esc(code)
        shown.append(
            f'<tr><td class="text-nowrap"><a href="{cases}{code}/">{code}</a></td>'
            f'<td>{esc(title)}</td><td class="text-nowrap">{esc(category)}</td>'
            f'<td class="text-nowrap">{esc(raised_by or "—")}</td>'
            f'<td><a href="{activities}{activity_id}/">{esc(activity)}</a> '
            f'<span class="text-secondary text-nowrap">{day:%Y-%m-%d}</span></td>'
            f'<td class="text-nowrap">{esc(CASE_STATES.get(state, state))}</td>{result}</tr>'
        )
    return mark_safe("".join(shown))  # every value escaped by esc


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _workbook(sheets: list[tuple[str, list[str], list[list]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    fill = PatternFill("solid", fgColor="F2DCDB")
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(headers)
        widths = [_width(h) for h in headers]
        for row in rows:
            values = ["" if v is None else v for v in row]
            sheet.append(values)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
            for i, value in enumerate(values):
                widths[i] = max(widths[i], _width(str(value)))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = fill
            cell.alignment = Alignment(vertical="center")
        sheet.freeze_panes = "A2"
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _case_rows(request, links, *, with_result: bool) -> list[list]:
    rows = []
    for link in links[:EXPORT_ROWS]:
        case = link.case
        row = [
            case.code,
            case.title,
            case.category.name,
            case.region.name,
            link.raised_by.name if link.raised_by else "",
            f"{link.activity.date:%Y-%m-%d}",
            link.activity.title,
            case.get_state_display(),
        ]
        if with_result:
            row += [case.get_result_class_display(), case.reply]
        row.append(request.build_absolute_uri(reverse("cases:detail", args=[case.code])))
        rows.append(row)
    return rows


@login_required
def four_lists_export(request: HttpRequest) -> HttpResponse:
    _form, lists, _filters = _lists(request)
    activity_rows = [
        [
            f"{a.date:%Y-%m-%d}",
            a.title,
            a.kind.name,
            a.campaign.name if a.campaign else "",
            a.station.name if a.station else "",
            a.region.name,
            a.get_status_display(),
            a.attended,
            a.summary,
            request.build_absolute_uri(reverse("activities:detail", args=[a.pk])),
        ]
        for a in lists.activities[:EXPORT_ROWS]
    ]
    case_headers = ["编号", "标题", "分类", "区划", "提出代表", "活动日期", "活动", "状态"]
    content = _workbook(
        [
            (
                "工作清单",
                [
                    "日期",
                    "活动名称",
                    "类型",
                    "主题活动",
                    "联络站",
                    "区划",
                    "状态",
                    "出席代表数",
                    "活动纪要",
                    "链接",
                ],
                activity_rows,
            ),
            (
                "问题清单",
                [*case_headers, "链接"],
                _case_rows(request, lists.problems, with_result=False),
            ),
            (
                "建议清单",
                [*case_headers, "链接"],
                _case_rows(request, lists.suggestions, with_result=False),
            ),
            (
                "成果清单",
                [*case_headers, "办理结果", "答复内容", "链接"],
                _case_rows(request, lists.results, with_result=True),
            ),
        ]
    )
    day = timezone.localdate()
    return xlsx_response(
        content=content, filename=f"四张清单-{day:%Y%m%d}.xlsx", fallback="four-lists.xlsx"
    )
