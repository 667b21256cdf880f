"""SMS behind one small interface. No SMS provider is reachable from here, so the default
sender writes each message to the `renda.sms` logger; a deployment names its own sender in
the setting RENDA_SMS_BACKEND (a dotted path to a class with `send(phone, text)`)."""

import logging
from typing import Protocol

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

from renda.lib.masking import mask_phone

DEFAULT_SMS_BACKEND = "renda.notifications.sms.LogSmsSender"

logger = logging.getLogger("renda.sms")


class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> None:
        """Send `text` to one mainland mobile number; raise on failure."""


class LogSmsSender:
    """Writes the message to the log instead of sending it. The number is masked: logs are
    read by operators who have no business with citizens' numbers."""

    def send(self, phone: str, text: str) -> None:
        logger.info("短信 → %s：%s", mask_phone(phone), text)


def backend_path() -> str:
    return getattr(settings, "RENDA_SMS_BACKEND", "") or DEFAULT_SMS_BACKEND


def get_sms_sender() -> SmsSender:
    return import_string(backend_path())()


def check_sms_backend(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A misspelt RENDA_SMS_BACKEND is a configuration mistake, caught at start-up."""
    path = backend_path()
    try:
        sender_class = import_string(path)
    except ImportError as exc:
        return [
            checks.Error(
                f"RENDA_SMS_BACKEND “{path}” 无法导入：{exc}",
                hint="填写短信发送类的完整路径，或删除该设置以使用日志发送。",
                id="renda.notifications.E001",
            )
        ]
    if not callable(getattr(sender_class, "send", None)):
        return [
            checks.Error(
                f"RENDA_SMS_BACKEND “{path}” 没有 send(phone, text) 方法。",
                id="renda.notifications.E002",
            )
        ]
    return []
