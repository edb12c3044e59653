"""The lowered declaration of every plan, which the curves, notes and time sections read.

The evaluated plans (`comp.plans`) hold figures, not the declaration the memory curves
re-evaluate (capplan.analyses.sweep) or the fields the notes mention (framework, tokens,
serving targets). A Compilation keeps the checker of its last unit only, so the other files'
declarations are recompiled here from the sources already read (no file is read again).
"""

from __future__ import annotations

from pathlib import Path

from capplan.pipeline import compile_files


def workloads(comp) -> dict[tuple[str, str], object]:
    """The lowered declaration of every plan, keyed by (file, name)."""
    found = {}
    if comp.checked is not None:
        for w in comp.checked.workloads:
            if w.span is not None:
                found[(w.span.path, w.name)] = w
    missing = sorted({p["file"] for p in comp.plans if (p["file"], p["name"]) not in found})
    if missing:
        for w in _recompiled(comp, missing):
            if w.span is not None:
                found.setdefault((w.span.path, w.name), w)
    return found


def _recompiled(comp, paths: list[str]) -> list:
    """The declarations of `paths`, compiled again from the sources the compilation already read."""
    # TODO(ir): the plan IR will carry the workload
    texts = {}
    for f in comp.program.files:
        src = comp.program.sources.get(f.path)
        if src is not None:
            texts[str(Path(f.path).resolve())] = src.text

    def read(path: str) -> str:
        if path in texts:
            return texts[path]
        raise FileNotFoundError(path)

    out = []
    for path in paths:
        unit = compile_files([path], read=read)
        if unit.checked is not None:
            out += unit.checked.workloads
    return out
