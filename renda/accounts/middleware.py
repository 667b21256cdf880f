"""Keeping a signed-in session alive while it is used."""

import time

from django.http import HttpRequest, HttpResponse

# A session in use is written back at most this often. Its idle limit (SESSION_COOKIE_AGE,
# eight hours) therefore counts from the last write, at most this many seconds early.
REFRESH_SECONDS = 5 * 60
STAMP = "_renda_refreshed"


def stamp_on_login(sender, request, user, **kwargs) -> None:
    """A login writes the session anyway: stamp it then, so the pages that follow count
    their five minutes from the login."""
    if request is not None and hasattr(request, "session"):
        request.session[STAMP] = int(time.time())


def session_refresh(get_response):
    """Push a signed-in session's expiry forward every few minutes of use, instead of writing
    the session on every request (SESSION_SAVE_EVERY_REQUEST made each page view a write
    transaction, which on SQLite queues every reader behind the writers)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        session = request.session
        # "_auth_user_id" is Django's key for the signed-in user: anonymous visitors get no
        # session row from here, and a logout's flushed session is left alone.
        if "_auth_user_id" in session:
            now = int(time.time())
            if now - session.get(STAMP, 0) >= REFRESH_SECONDS:
                session[STAMP] = now  # modified: SessionMiddleware saves it, expiry renewed
        return response

    return middleware
