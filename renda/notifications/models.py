"""The in-app message box (站内消息): one row per recipient per case change.

Messages are written only by `renda.notifications.services` after a case change commits;
the recipient reads them at /messages/ and marks them read. Nothing else changes a message.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Message(models.Model):
    class Kind(models.TextChoices):
        TODO = "todo", "待办"
        PROGRESS = "progress", "进展"
        RATE = "rate", "请评价"
        REMIND = "remind", "催办"
        SUPERVISE = "supervise", "督办"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="messages",
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", max_length=2000, blank=True)
    # A path inside Renda (/cases/MQ2026-000123/); the inbox redirects there once read.
    link = models.CharField("链接", max_length=200, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name="事项",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
    )
    # The case change the message tells of: who did what, when, traceable on the timeline.
    event = models.ForeignKey(
        "cases.CaseEvent",
        verbose_name="办理记录",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-pk"]
        constraints = [
            # The inbox redirects to the link: only a local path, never another site.
            models.CheckConstraint(
                condition=Q(link="") | (Q(link__startswith="/") & ~Q(link__startswith="//")),
                name="message_link_local_path",
            ),
        ]
        indexes = [
            # The inbox: messages.filter(recipient=...).order_by("-created_at", "-pk").
            models.Index(fields=["recipient", "-created_at"], name="message_recipient_created"),
            # The unread badge and "mark all read": filter(recipient=..., read_at__isnull=True).
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="message_unread_recipient",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
