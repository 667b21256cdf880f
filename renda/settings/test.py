"""Settings for the test suite: the production code paths with a fast hasher."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-" + "x" * 48)
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from renda.settings.base import *  # noqa: F403
from renda.settings.base import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_FAILURE_LIMIT = 5
# Tasks run in the test's own process as soon as the transaction that asked for them commits,
# as they did before there was a queue; test_tasks.py covers the database queue itself.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Static files straight from the app folders, so live-server browser tests get CSS and JS.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
