"""Excel export and import of deputies; the page and its error display live in renda.org."""

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from renda.deputies import transfer
from renda.lib.excel import xlsx_response
from renda.org.transfer_views import handle_upload


@login_required
@require_GET
def transfer_export(request):
    content = transfer.deputies_export(actor=request.user)
    day = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(
        content=content, filename=f"代表名册_{day}.xlsx", fallback=f"deputies_{day}.xlsx"
    )


@login_required
@require_POST
def transfer_import(request):
    transfer.require_deputies_import(request.user)
    return handle_upload(
        request,
        kind="deputies",
        required=transfer.DEPUTY_REQUIRED,
        importer=transfer.deputies_import,
    )
