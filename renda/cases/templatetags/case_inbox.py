"""`{% inbox_rows page bulk_form %}`: the inbox's table rows, built in one pass.

The same markup as a `{% for %}` over the page with ten cells a row, at a fraction of the cost:
the template engine resolved some thirty variables a row, which on a page of fifty rows was
a third of the list's server time (bench/bench_cases.py). The rows are f-strings over escaped
values (`esc`): `format_html` wraps every value in Django's lazy escaping, a few thousand
calls a page."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from renda.lib.markup import esc

register = template.Library()

_EMPTY = '<tr><td colspan="10" class="text-secondary">没有符合条件的事项</td></tr>'
_SUPERVISION_BADGE = {"key": "text-bg-danger", "supervised": "text-bg-warning"}


def _select_cell(case) -> str:
    if not case.can_bulk_assign:
        return "<td></td>"
    code = esc(case.code)
    return (
        f'<td><input class="form-check-input" type="checkbox" name="cases" value="{code}" '
        f'aria-label="选择 {code}"><input type="hidden" name="version_{code}" '
        f'value="{esc(case.version)}"></td>'
    )


def _deadline_cell(case) -> str:
    deadline = case.deadline.strftime("%Y-%m-%d") if case.deadline else "—"
    if case.is_overdue:
        return (
            f'<td class="text-nowrap text-danger fw-bold" data-testid="overdue">{deadline} '
            '<i class="bi bi-exclamation-triangle" title="已超期"></i></td>'
        )
    return f'<td class="text-nowrap">{deadline}</td>'


def _supervision(case) -> str:
    badge = _SUPERVISION_BADGE.get(case.supervision)
    if badge is None:
        return ""
    return f'<span class="badge {badge}">{esc(case.get_supervision_display())}</span>'


def _row(case, with_select) -> str:
    url = esc(case.detail_url)
    return (
        f'<tr data-testid="case-row">{_select_cell(case) if with_select else ""}'
        f'<td class="text-nowrap"><a href="{url}">{esc(case.code)}</a></td>'
        f'<td><a class="link-dark" href="{url}">{esc(case.title)}</a></td>'
        f'<td class="text-nowrap">{esc(case.category.name)}</td>'
        f'<td class="text-nowrap">{esc(case.region.name)}</td>'
        '<td class="text-nowrap"><span class="badge text-bg-secondary">'
        f"{esc(case.get_state_display())}</span></td>"
        f'<td class="text-nowrap d-none d-md-table-cell">{esc(case.congress.name)}</td>'
        f"<td>{esc(case.lead_unit_name or '—')}</td>"
        f"{_deadline_cell(case)}"
        f'<td class="text-nowrap">{_supervision(case)}</td>'
        "</tr>"
    )


@register.simple_tag
def inbox_rows(cases, with_select) -> SafeString:
    """The rows of `cases` (prepared by the inbox view: detail_url, is_overdue,
    can_bulk_assign, lead_unit_name), with the selection column when `with_select`."""
    rows = [_row(case, with_select) for case in cases]
    return mark_safe("\n".join(rows) if rows else _EMPTY)
