"""The memory curves' fit boundary (analyses/sweep.py `_largest`): the largest multiple of the step whose peak
stays under the capacity, as an exhaustive scan finds it, for rising peaks of any shape -- linear, convex,
with jumps and kinks -- whatever the start, step and limit; and fewer evaluations than a bisection where the
peak is near linear, as memory is in the sequence length and the batch."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from capplan.analyses.sweep import _largest


def scan(peak, capacity, limit, step):
    """Every multiple of the step up to the limit, one by one."""
    best = None
    for x in range(step, limit + 1, step):
        if peak(x) > capacity:
            break
        best = x
    return best


@settings(max_examples=400, deadline=None)
@given(base=st.floats(0, 100), slope=st.floats(1e-3, 5), curve=st.floats(0, 1e-2), jump_at=st.integers(1, 3000),
       jump=st.floats(0, 50), capacity=st.floats(0, 4000), start=st.integers(1, 5000), step=st.sampled_from([1, 2, 4, 8]),
       limit=st.sampled_from([64, 512, 4096]))
def test_the_boundary_is_what_a_scan_finds(base, slope, curve, jump_at, jump, capacity, start, step, limit):
    def peak(x):
        return base + slope * x + curve * x * x + (jump if x > jump_at else 0.0)

    found, beyond = _largest(peak, capacity, start, limit, step)
    expected = scan(peak, capacity, limit, step)
    last = limit // step * step
    if beyond:
        assert expected == last and found == limit
    else:
        assert found == expected


def test_a_near_linear_peak_takes_few_evaluations():
    calls = []

    def peak(x):
        calls.append(x)
        return 1e9 + 3.1e5 * x + 0.7 * x * x      # bytes: weights + activations, a little attention

    found, beyond = _largest(peak, 80e9, 8192, 1 << 24, 1)
    evaluated = len(set(calls))
    assert not beyond and found == scan(peak, 80e9, 200_000, 1)
    # 7 to bracket the boundary in [131072, 262144] by doubling from 8192, then a few: a bisection takes 17
    assert evaluated <= 7 + 6
