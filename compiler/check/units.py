"""The one unit registry: Pint, built from capplan's own definitions file.

Pint parses and checks every unit written in a spec; the compiler then works
on plain floats in canonical units (byte, second, FLOP, token, parameter,
GPU, request, USD, joule) with a dimension signature beside each value.

Start-up matters (`capplan check` should feel instant), and importing Pint
costs ~0.2 s. So each unit string's resolution (canonical factor and
dimensions) is memoised in a small JSON cache in the user's cache directory,
keyed by the hash of units.txt and Pint's version; Pint is imported only on
a cache miss. The cache is an optimisation only: deleting it changes nothing
but speed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import re
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from capplan.core.limits import limits
from capplan.core.diagnostics import did_you_mean

Dims = tuple[tuple[str, int], ...]  # sorted (dimension, exponent), e.g. (("information", 1), ("time", -1))
DIMENSIONLESS: Dims = ()

_DEFINITIONS = resources.files("capplan.check").joinpath("units.txt")


@dataclass(frozen=True, slots=True)
class UnitInfo:
    factor: float  # multiply a number in this unit by factor to get canonical units
    dims: Dims


class UnitError(Exception):
    """A unit string the registry does not accept (message, hint, diagnostic code)."""

    def __init__(self, message: str, hint: str | None = None, code: str = "E0302"):
        super().__init__(message)
        self.hint = hint
        self.code = code


def _check_complexity(unit: str) -> None:
    """E0802 before Pint sees the unit: Pint computes `GiB^99999999999` exactly, as a huge integer."""

    cap = limits()
    factors = re.split(r"[/*]", unit)
    if len(factors) > cap.max_unit_factors:
        raise UnitError(f"unit `{unit[:40]}{'...' if len(unit) > 40 else ''}` has {len(factors)} factors, "
                        f"over the limit of {cap.max_unit_factors}", "write a shorter unit", "E0802")
    for factor in factors:
        _, _, power = factor.partition("^")
        if power and (not power.isdigit() or len(power) > 3 or int(power) > cap.max_unit_exponent):
            raise UnitError(f"unit exponent `^{power[:12]}` is over the limit of {cap.max_unit_exponent}",
                            "units take small powers (`m^2`); write large amounts as numbers", "E0802")


# Traps that Pint's default registry falls into, each with its fix.
_TRAPS = {
    "b": "`b` is not a unit here (Pint's default reads it as barn): write `bit`, or `B` for byte",
    "Gb": "`Gb` is ambiguous (Pint's default reads it as gilbert): write `Gbit` (gigabit) or `GB` (gigabyte)",
    "GiBps": "write the rate as `GiB/s`",
    "GBps": "write the rate as `GB/s`",
    "Gbps": "write the rate as `Gbit/s`",
}
_FLOPS = re.compile(r"^(?P<prefix>[kMGTPE]?)FLOP[sS]$")
_BITS = re.compile(r"^(?P<prefix>[kMGTPE]i?)b$")


def _trap_hint(unit: str) -> str | None:
    for part in re.split(r"[/*]", unit):
        part = part.split("^")[0]
        if part in _TRAPS:
            return _TRAPS[part]
        m = _FLOPS.match(part)
        if m:
            p = m["prefix"]
            return (f"`{part}` is ambiguous (an amount or a rate?): write `{p}FLOP/s` for a "
                    f"rate or `{p}FLOP` for an amount")
        m = _BITS.match(part)
        if m:
            p = m["prefix"]
            return (f"`{part}` is ambiguous (Pint's default reads `b` as barn): write "
                    f"`{p}bit` for bits or `{p}B` for bytes")
    return None


def _definitions_key() -> str:
    text = _DEFINITIONS.read_bytes()
    return hashlib.sha256(text).hexdigest()[:16]


def cache_dir() -> Path:
    """capplan's cache directory: $CAPPLAN_CACHE_DIR, else $XDG_CACHE_HOME/capplan, else ~/.cache/capplan."""
    base = os.environ.get("CAPPLAN_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "capplan")
    return Path(base)


def _cache_path(key: str) -> Path:
    return cache_dir() / f"units-{key}.json"


class UnitTable:
    """Resolves unit strings; Pint behind a memo and an on-disk cache."""

    def __init__(self) -> None:
        self._key = _definitions_key()
        self._path = _cache_path(self._key)
        self._memo: dict[str, list] = {}
        self._dirty = False
        self._registry = None
        try:
            self._memo = json.loads(self._path.read_text())
        except (OSError, ValueError):
            self._memo = {}

    # -- Pint, only on a miss ------------------------------------------------
    def registry(self):
        if self._registry is None:
            import pint  # deferred: see module docstring

            with resources.as_file(_DEFINITIONS) as path:
                self._registry = pint.UnitRegistry(str(path), autoconvert_offset_to_baseunit=False)
        return self._registry

    def _resolve_with_pint(self, unit: str) -> list:
        ureg = self.registry()
        try:
            q = ureg.Quantity(1.0, unit).to_base_units()
        except Exception as exc:  # noqa: BLE001  any text Pint cannot read is an unknown unit (it raises
            return ["error", str(exc)]  # UndefinedUnitError, but also AssertionError, TokenError...)
        dims = sorted((k.strip("[]"), int(v)) for k, v in q.dimensionality.items())
        try:
            factor = float(q.magnitude)
        except OverflowError:
            factor = math.inf
        if not math.isfinite(factor) or factor == 0:
            return ["error", f"unit `{unit}` is out of range"]
        return [factor, dims]

    def lookup(self, unit: str) -> UnitInfo:
        _check_complexity(unit)
        hint = _trap_hint(unit)
        if hint:
            raise UnitError(f"unknown unit `{unit}`", hint)
        entry = self._memo.get(unit)
        if entry is None:
            entry = self._resolve_with_pint(unit)
            self._memo[unit] = entry
            self._dirty = True
        if entry[0] == "error":
            close = self.suggest(unit)
            raise UnitError(f"unknown unit `{unit}`",
                            f"did you mean `{close}`?" if close else
                            "capplan's units are listed in capplan/check/units.txt")
        return UnitInfo(entry[0], tuple((d, e) for d, e in entry[1]))

    def suggest(self, unit: str) -> str | None:

        return did_you_mean(unit, _COMMON_UNITS, cutoff=0.5)

    def save(self) -> None:
        """Write the memo back, atomically, if it grew. Failures are harmless."""
        if not self._dirty:
            return
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self._path.parent, suffix=".tmp")
            with os.fdopen(fd, "w") as fh:
                json.dump(self._memo, fh, sort_keys=True)
            os.replace(tmp, self._path)
            self._dirty = False
        except OSError:
            pass


_COMMON_UNITS = [
    "B", "kB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "TiB", "bit", "Gbit", "Mbit",
    "GB/s", "TB/s", "GiB/s", "Gbit/s", "s", "ms", "min", "h", "d", "week", "year",
    "FLOP", "TFLOP", "PFLOP", "TFLOP/s", "PFLOP/s", "GFLOP/s", "token", "tokens", "Mtoken",
    "Gtoken", "Ttoken", "tokens/s", "param", "Mparam", "Gparam", "GPU", "USD", "USD/h",
    "USD/GPU/h", "W", "kW", "kWh", "MWh", "J", "%", "request", "requests/s",
]


@functools.lru_cache(maxsize=1)
def table() -> UnitTable:
    return UnitTable()


# ---------------------------------------------------------------- dimensions

def multiply(a: Dims, b: Dims, sign: int = 1) -> Dims:
    out: dict[str, int] = dict(a)
    for d, e in b:
        out[d] = out.get(d, 0) + sign * e
    return tuple(sorted((d, e) for d, e in out.items() if e != 0))


def divide(a: Dims, b: Dims) -> Dims:
    return multiply(a, b, -1)


def dims_of(expr: str) -> Dims:
    """Dimensions written compactly: 'information/time', 'currency/time/gpu', ''."""
    if not expr:
        return DIMENSIONLESS
    out: Dims = DIMENSIONLESS
    sign = 1
    for token in re.split(r"([/*])", expr):
        if token == "/":
            sign = -1
        elif token == "*":
            sign = 1
        elif token:
            out = multiply(out, ((token, 1),), sign)
    return out


_NAMES = {
    (): "a plain number",
    (("information", 1),): "an amount of information",
    (("information", 1), ("time", -1)): "a data rate",
    (("compute", 1),): "an amount of compute",
    (("compute", 1), ("time", -1)): "a compute rate",
    (("time", 1),): "a duration",
    (("token", 1),): "a number of tokens",
    (("time", -1), ("token", 1)): "a token rate",
    (("parameter", 1),): "a parameter count",
    (("gpu", 1),): "a number of GPUs",
    (("currency", 1),): "an amount of money",
    (("currency", 1), ("time", -1)): "a price per hour",
    (("currency", 1), ("gpu", -1), ("time", -1)): "a price per GPU-hour",
    (("energy", 1),): "an energy",
    (("energy", 1), ("time", -1)): "a power",
    (("request", 1), ("time", -1)): "a request rate",
    (("time", -1),): "a frequency",
}


def dims_text(dims: Dims) -> str:
    """`[information] / [time]`"""
    if not dims:
        return "dimensionless"
    num = " * ".join(f"[{d}]" + (f"^{e}" if e != 1 else "") for d, e in dims if e > 0)
    den = " / ".join(f"[{d}]" + (f"^{-e}" if e != -1 else "") for d, e in dims if e < 0)
    if not num:
        num = "1"
    return f"{num} / {den}" if den else num


def describe(dims: Dims) -> str:
    """'a data rate ([information] / [time])'"""
    name = _NAMES.get(dims)
    return f"{name} ({dims_text(dims)})" if name and dims else (name or dims_text(dims))
