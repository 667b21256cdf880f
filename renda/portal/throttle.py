"""A limit on failed tracking attempts per network address, beside the per-session one in
`views.track`: a script that drops its cookie after each guess starts a new session each
time, but not from a new address.

Counted in Django's cache, in fixed windows of FAILURE_WINDOW seconds. The limit is higher
than the session's: many phones can share one address (a company's or a carrier's NAT). With
the default per-process cache each server process counts on its own; a shared Redis cache
(CACHE_URL, see settings.base.cache_config) makes it one count for the site.
"""

import time

from django.core.cache import cache

MAX_FAILURES_PER_ADDRESS = 30
FAILURE_WINDOW = 10 * 60


def client_address(request) -> str:
    # REMOTE_ADDR: behind a reverse proxy, the proxy must set it to the caller's address
    # (a forwarded header is the caller's to write, so it is not read here).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(address: str, now: float) -> str:
    return f"portal:track-failures:{address}:{int(now // FAILURE_WINDOW)}"


def address_blocked(request, now: float | None = None) -> bool:
    now = time.time() if now is None else now
    return (cache.get(_key(client_address(request), now)) or 0) >= MAX_FAILURES_PER_ADDRESS


def address_failed(request, now: float | None = None) -> None:
    now = time.time() if now is None else now
    key = _key(client_address(request), now)
    cache.add(key, 0, timeout=FAILURE_WINDOW * 2)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=FAILURE_WINDOW * 2)
