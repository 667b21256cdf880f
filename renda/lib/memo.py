"""A minute's memory, inside the process, for reads of rows that change a few times a year:
an Open311 client by its key, a category by its code, the congress that takes in a region's
cases, the regions an address may name. On the intake path they were four queries out of a
submission's twelve and about 40% of its time (bench/bench_cases.py).

What is remembered is the object itself (no pickling), shared by the process's threads: the
callers only read it. The apps that own the rows forget everything in their process when one
of them is saved or deleted (`forget_all`, connected in their `AppConfig.ready`); another
process may go on using what it read for up to `SECONDS`, which is the price of not asking
the database on every request: a client deactivated or a key rotated in the admin site stops
working everywhere within a minute.
"""

import threading
from collections.abc import Callable
from typing import TypeVar

import cachetools

SECONDS = 60

F = TypeVar("F", bound=Callable)

_caches: list[tuple[cachetools.TTLCache, threading.Lock]] = []


def remembered(*, key: Callable, maxsize: int = 4096, seconds: float = SECONDS) -> Callable[[F], F]:
    """Decorate a read so that its result is kept for `seconds` under `key(*args, **kwargs)`.
    Exceptions are not remembered."""
    cache: cachetools.TTLCache = cachetools.TTLCache(maxsize=maxsize, ttl=seconds)
    lock = threading.Lock()
    _caches.append((cache, lock))
    return cachetools.cached(cache, key=key, lock=lock)


def forget_all(*args, **kwargs) -> None:
    """Forget everything remembered in this process (a signal receiver, hence the arguments)."""
    for cache, lock in _caches:
        with lock:
            cache.clear()
