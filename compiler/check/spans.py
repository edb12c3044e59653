"""Small helpers the declaration checks share: where a field was written, whether a model has layers."""

from __future__ import annotations

from capplan.check.values import Obj


def span_of(obj: Obj, *names: str):
    """The span of the first of `names` the object states, else the object's own."""
    for name in names:
        if name in obj.spans:
            return obj.spans[name]
    return obj.span


def is_architecture(model: Obj) -> bool:
    return model.layers is not None and model.hidden is not None and model.heads is not None
