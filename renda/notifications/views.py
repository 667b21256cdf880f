from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from renda.notifications import selectors, services


@login_required
@require_GET
def inbox(request):
    page = Paginator(selectors.messages_for_user(request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
@require_POST
def mark_read(request, pk: int):
    """Opening a message marks it read (POST: a GET, e.g. a link preview, changes nothing)
    and goes on to what it is about."""
    message = selectors.get_message_for_user(request.user, pk)
    services.message_mark_read(message=message, actor=request.user)
    if message.link and url_has_allowed_host_and_scheme(
        message.link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(message.link)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = services.message_mark_all_read(actor=request.user)
    flash.success(request, f"已将{count}条消息标为已读。" if count else "没有未读消息。")
    return redirect("notifications:inbox")


@require_GET
def unread_badge(request):
    """htmx: the unread count as a small badge for the top bar; nothing when signed out
    or when everything has been read."""
    if not request.user.is_authenticated:
        return HttpResponse("")
    # Rendered without the request: the frame's context processors are not needed here, and
    # this is polled by every open page.
    return HttpResponse(
        render_to_string(
            "notifications/_badge.html", {"count": selectors.unread_count(request.user)}
        )
    )
