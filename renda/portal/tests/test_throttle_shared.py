"""The per-address limit counted in a cache that every server process shares (CACHE_URL)."""

import socket
import time
import uuid

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from renda.portal import throttle
from renda.settings.base import cache_config

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def test_cache_url_picks_the_backend():
    assert cache_config("")["BACKEND"].endswith("LocMemCache")
    assert cache_config(" redis://cache:6379/1 ") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache:6379/1",
    }
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_config("memcached://cache:11211")


def _process_cache(prefix: str) -> RedisCache:
    """What one server process builds from CACHE_URL: a client of its own."""
    config = cache_config(REDIS_URL)
    return RedisCache(config["LOCATION"], {"KEY_PREFIX": prefix})


@pytest.mark.skipif(not _redis_up(), reason="no Redis at 127.0.0.1:6379")
def test_with_redis_two_processes_count_one_limit(monkeypatch):
    prefix = f"renda-test-{uuid.uuid4().hex}"
    first, second = _process_cache(prefix), _process_cache(prefix)
    request = RequestFactory().get("/p/track/", REMOTE_ADDR="10.9.8.7")
    now = time.time()
    try:
        monkeypatch.setattr(throttle, "cache", first)
        for _ in range(throttle.MAX_FAILURES_PER_ADDRESS - 1):
            throttle.address_failed(request, now)
        monkeypatch.setattr(throttle, "cache", second)
        assert not throttle.address_blocked(request, now)
        throttle.address_failed(request, now)  # the last failure, in the other process
        monkeypatch.setattr(throttle, "cache", first)
        assert throttle.address_blocked(request, now)
    finally:
        first.delete(throttle._key("10.9.8.7", now))


def test_with_the_default_cache_each_process_counts_alone(monkeypatch):
    first, second = LocMemCache("first", {}), LocMemCache("second", {})
    request = RequestFactory().get("/p/track/", REMOTE_ADDR="10.9.8.6")
    monkeypatch.setattr(throttle, "cache", first)
    for _ in range(throttle.MAX_FAILURES_PER_ADDRESS):
        throttle.address_failed(request)
    assert throttle.address_blocked(request)
    monkeypatch.setattr(throttle, "cache", second)
    assert not throttle.address_blocked(request)
