"""Reads of the message box: a user sees only the messages addressed to them."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from renda.notifications.models import Message


def messages_for_user(user) -> QuerySet[Message]:
    return Message.objects.filter(recipient=user).order_by("-created_at", "-pk")


def get_message_for_user(user, pk: int) -> Message:
    """The user's own message; 404 for anyone else's, so ids reveal nothing."""
    return get_object_or_404(Message, pk=pk, recipient=user)


def unread_count(user) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()
