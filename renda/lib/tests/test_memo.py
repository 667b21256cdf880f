"""A minute's memory for rarely changed rows (renda.lib.memo)."""

import contextlib
import time

from renda.lib.memo import forget_all, remembered


def test_it_remembers_a_result_until_forgotten_or_expired():
    calls = []

    @remembered(key=lambda n: n, seconds=0.2)
    def double(n):
        calls.append(n)
        return 2 * n

    assert (double(2), double(2), double(3)) == (4, 4, 6)
    assert calls == [2, 3]
    forget_all()
    double(2)
    assert calls == [2, 3, 2]
    time.sleep(0.3)  # the memory's clock is monotonic: time_machine does not move it
    double(2)
    assert calls == [2, 3, 2, 2]


def test_it_does_not_remember_an_exception():
    calls = []

    @remembered(key=lambda n: n)
    def fails(n):
        calls.append(n)
        raise ValueError(n)

    for _ in range(2):
        with contextlib.suppress(ValueError):
            fails(1)
    assert calls == [1, 1]
