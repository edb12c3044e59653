"""Resource budgets: the limits every compilation runs under.

Spec files are untrusted (they arrive in pull requests, forks included), so
the language's semantics include hard limits: a spec that exceeds one gets a
coded diagnostic (E05xx for files, E08xx for the rest), never a hang, a
crash or an unbounded allocation. specs/README.md ("Limits") documents each.

The limits belong to whoever runs capplan, not to the specs: they are read
from the environment (`CAPPLAN_LIMIT_<NAME>`, e.g. CAPPLAN_LIMIT_MAX_SPEC_BYTES
=8388608), never from a file a pull request could change. A value that is
not a positive integer is ignored (the default stays).
"""

from __future__ import annotations

import functools
import os
from dataclasses import fields

from capplan.core.records import Record, record


@record
class Limits(Record):
    """The limits, each a positive integer; a field not given keeps its default (a frozen record)."""

    max_spec_bytes: int = 1024 * 1024             # one .plan file (entry or import): ~70x the largest shipped
    max_config_bytes: int = 16 * 1024 * 1024      # one Hugging Face config.json (import-hf)
    max_import_depth: int = 64                    # a chain of imports, entry file included
    max_syntax_depth: int = 100                   # nesting of blocks, lists, brackets and operators
    max_plans_per_file: int = 1000                # training, inference, search and goal declarations
    max_number_digits: int = 40                   # digits of one numeric literal (before the exponent)
    max_magnitude_exponent: int = 100             # |value| < 10^this for every literal and result
    max_unit_factors: int = 8                     # factors of one compound unit (GiB*s/h: 3)
    max_unit_exponent: int = 4                    # the `n` of `unit^n`
    max_layouts: int = 50_000                     # candidate layouts of one `search` (override: `max_layouts`)
    max_layers: int = 100_000                     # layers of one model: the engine walks each one per stage
    max_count: int = 2 ** 40                      # any other count (GPUs, batch, heads...): int64 arithmetic

    def __init__(self, **values: int) -> None:
        unknown = set(values) - set(self.__match_args__)
        if unknown:
            raise TypeError(f"Limits() got unexpected keyword arguments: {', '.join(sorted(unknown))}")
        self.__dict__.update({name: values.get(name, getattr(Limits, name)) for name in self.__match_args__})


def _from_environment() -> Limits:
    values = {}
    for f in fields(Limits):
        raw = os.environ.get(f"CAPPLAN_LIMIT_{f.name.upper()}")
        if raw is not None and raw.strip().isdigit() and int(raw) > 0:
            values[f.name] = int(raw)
    return Limits(**values)


@functools.lru_cache(maxsize=1)
def limits() -> Limits:
    """The limits of this process (environment read once)."""
    return _from_environment()


def reset() -> None:
    """Forget the cached limits (tests change the environment)."""
    limits.cache_clear()
