"""The transfer page (/org/transfer/): Excel export and all-or-nothing import.

Units, stations and grids are handled here; the deputies card posts to renda.deputies, which
reuses `handle_upload` and `render_transfer_page` so both show errors the same way.
"""

from collections.abc import Callable, Sequence

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from renda.lib.excel import ImportResult, SheetError, SheetRow, read_rows, xlsx_response
from renda.org import transfer
from renda.org.roles import Perm
from renda.org.scope import scope_for, user_can

# kind → (title, ASCII file name, exporter, importer, required headers, all headers)
ORG_KINDS = {
    "units": (
        "组织单位",
        "units",
        transfer.units_export,
        transfer.units_import,
        transfer.UNIT_REQUIRED,
        transfer.UNIT_HEADERS,
    ),
    "stations": (
        "联络站",
        "stations",
        transfer.stations_export,
        transfer.stations_import,
        transfer.STATION_REQUIRED,
        transfer.STATION_HEADERS,
    ),
    "grids": (
        "网格",
        "grids",
        transfer.grids_export,
        transfer.grids_import,
        transfer.GRID_REQUIRED,
        transfer.GRID_HEADERS,
    ),
}
# The page lists this many errors; a file that is wrong throughout says how many more.
SHOWN_ERRORS = 200


def render_transfer_page(
    request, *, failed: str = "", errors: Sequence[str] = (), headline: str = ""
):
    """The page with its cards; `failed` names the card whose upload is reported."""
    user = request.user
    can_export, can_import = transfer.can_export_org(user), transfer.can_import_org(user)
    cards = []
    for kind, (title, _, _, _, required, headers) in ORG_KINDS.items():
        cards.append(
            {
                "kind": kind,
                "title": title,
                "required": required,
                "optional": [h for h in headers if h not in required],
                "can_export": can_export,
                "can_import": can_import,
                "errors": list(errors[:SHOWN_ERRORS]) if failed == kind else [],
                "hidden_errors": max(len(errors) - SHOWN_ERRORS, 0) if failed == kind else 0,
            }
        )
    deputies_card = {
        "kind": "deputies",
        "title": "代表",
        "can_export": user_can(user, Perm.DEPUTIES_VIEW),
        "can_import": user_can(user, Perm.DEPUTIES_MANAGE) and not scope_for(user).read_only,
        "errors": list(errors[:SHOWN_ERRORS]) if failed == "deputies" else [],
        "hidden_errors": max(len(errors) - SHOWN_ERRORS, 0) if failed == "deputies" else 0,
    }
    if not (can_export or deputies_card["can_export"]):
        raise PermissionDenied("您没有导入导出数据的权限。")
    return render(
        request,
        "org/transfer.html",
        {
            "cards": cards,
            "deputies_card": deputies_card,
            "failed": failed,
            "headline": headline,
        },
    )


def handle_upload(
    request,
    *,
    kind: str,
    required: Sequence[str],
    importer: Callable[..., ImportResult],
):
    """Read the uploaded sheet, import it, and either redirect with the summary or show the
    page again with every problem."""
    upload = request.FILES.get("file")
    if upload is None:
        return render_transfer_page(request, failed=kind, errors=["请选择要导入的 Excel 文件。"])
    try:
        rows: list[SheetRow] = read_rows(upload, required=required)
    except SheetError as exc:
        return render_transfer_page(request, failed=kind, errors=[exc.message])
    result = importer(actor=request.user, rows=rows)
    if result.errors:
        return render_transfer_page(
            request,
            failed=kind,
            errors=[str(e) for e in result.errors],
            headline=f"共 {len(result.errors)} 处错误，文件中的数据均未导入，请修改后重新上传。",
        )
    messages.success(request, result.summary())
    return redirect("org:transfer")


@login_required
@require_http_methods(["GET", "POST"])
def transfer_page(request):
    if request.method == "GET":
        return render_transfer_page(request)
    transfer.require_org_import(request.user)
    kind = request.POST.get("kind", "")
    if kind not in ORG_KINDS:
        return render_transfer_page(request, failed="units", errors=["请选择要导入的数据类型。"])
    _, _, _, importer, required, _ = ORG_KINDS[kind]
    return handle_upload(request, kind=kind, required=required, importer=importer)


@login_required
@require_GET
def transfer_export(request, kind: str):
    if kind not in ORG_KINDS:
        raise Http404
    title, ascii_name, exporter, *_ = ORG_KINDS[kind]
    content = exporter(actor=request.user)
    day = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(
        content=content, filename=f"{title}_{day}.xlsx", fallback=f"{ascii_name}_{day}.xlsx"
    )
