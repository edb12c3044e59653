"""Formulas written once, evaluated on scalars (one plan) or numpy arrays (a search).

The engine's formulas use +, -, *, / (which both understand) and these three helpers for
choices and extremes: on Python numbers they are plain conditionals (fast for one plan), on
arrays numpy's elementwise forms. numpy scalars count as arrays (0-d), which is correct, only slower.
"""

from __future__ import annotations

_SCALARS = (bool, int, float)


def _np():
    import numpy  # only a search (arrays) needs numpy: a single plan never imports it

    return numpy


def where(cond, a, b):
    if isinstance(cond, _SCALARS):
        return a if cond else b
    return _np().where(cond, a, b)


def maximum(a, b):
    if isinstance(a, _SCALARS) and isinstance(b, _SCALARS):
        return a if a >= b else b
    return _np().maximum(a, b)


def minimum(a, b):
    if isinstance(a, _SCALARS) and isinstance(b, _SCALARS):
        return a if a <= b else b
    return _np().minimum(a, b)


def logical_and(a, b):
    if isinstance(a, _SCALARS) and isinstance(b, _SCALARS):
        return bool(a) and bool(b)
    return _np().logical_and(a, b)


def logical_or(a, b):
    if isinstance(a, _SCALARS) and isinstance(b, _SCALARS):
        return bool(a) or bool(b)
    return _np().logical_or(a, b)


def logical_not(a):
    if isinstance(a, _SCALARS):
        return not a
    return _np().logical_not(a)


def log2(a):
    if isinstance(a, _SCALARS):
        import math

        return math.log2(a)
    return _np().log2(a)
