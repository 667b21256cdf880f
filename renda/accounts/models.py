from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person who signs in: staff (with memberships), a deputy, or a citizen."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


# The security logs (等保 2.0 安全审计) under Chinese names: proxies over the tables that
# django-axes (logins, failures, lockouts) and django-auditlog (operations) keep.


class LoginLog(AccessLog):
    class Meta:
        proxy = True
        verbose_name = "登录日志"
        verbose_name_plural = "登录日志"


class LoginFailure(AccessFailureLog):
    class Meta:
        proxy = True
        verbose_name = "登录失败记录"
        verbose_name_plural = "登录失败记录"


class Lockout(AccessAttempt):
    class Meta:
        proxy = True
        verbose_name = "登录锁定"
        verbose_name_plural = "登录锁定"


class OperationLog(LogEntry):
    class Meta:
        proxy = True
        verbose_name = "操作日志"
        verbose_name_plural = "操作日志"
