"""The typed plan (capplan.ir.plan) of every evaluated plan, keyed by (file, name).

The report reads a plan's inputs here (to re-evaluate it in capplan.analyses.sweep, or for the
fields its notes mention: framework settings, tokens, targets, requests); the pipeline keeps
each plan's IR (Compilation.workloads), so nothing is recompiled.
"""

from __future__ import annotations


def workloads(comp) -> dict[tuple[str, str], object]:
    return {(w.span.path, w.name): w for w in comp.workloads.values() if w.span is not None}
