"""Lowering `search NAME for PLAN { ... }` declarations to the planner's inputs.

    search layouts for pretrain {
      vary tensor    in [1, 2, 4, 8]
      vary recompute in [none, selective, full]
      vary gpus      in [8, 16, 32]
      minimize step_time                  # or cost, gpus, peak_memory; maximize mfu, tokens_per_s
      require headroom >= 5 %             # comparisons of a metric with a constant, joined by `and`
      cross_node_tensor = false
      top = 5
      max_layouts = 200000                # this search's own cap on the layouts enumerated
    }
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from capplan.lang import ast
from capplan.core.diagnostics import did_you_mean
from capplan.check.checker import report_set_twice
from capplan.check.expressions import Unresolved
from capplan.core.limits import limits
from capplan.check.units import dims_of
from capplan.check.validate import architecture_missing, architecture_words, hardware_of
from capplan.check.values import Bool, ListVal, Num, Obj, Word, fmt_number

INTEGER_VARIABLES = ("tensor", "pipeline", "context", "expert", "zero", "micro_batch", "virtual_stages", "gpus")
WORD_VARIABLES = {"recompute": ("none", "selective", "full", "selective_op")}
BOOL_VARIABLES = ("sequence_parallel", "distributed_optimizer")
METRICS = {"headroom": "", "peak_memory": "information", "step_time": "time", "mfu": "", "gpus": "",
           "tokens_per_s": "token/time", "cost": "currency"}
OBJECTIVES = ("step_time", "cost", "gpus", "peak_memory", "mfu", "tokens_per_s")
OPTIONS = {"cross_node_tensor": "bool", "top": "count", "max_layouts": "count"}
MAX_VARY_VALUE = 1 << 20  # a degree, batch or GPU count of a search; far above any real cluster


@dataclass
class SearchSpec:
    name: str
    target: Obj
    space: dict = field(default_factory=dict)
    objective: tuple = ("minimize", "step_time")
    constraints: list = field(default_factory=list)
    cross_node_tensor: bool = False
    top: int = 5
    max_layouts: int | None = None   # the search's own override of limits().max_layouts


def _evaluate(checker, expr):
    """The value of an expression, or None when the checker has reported why it has none."""
    try:
        return checker.evaluate(expr)
    except Unresolved:
        return None


def _add_fields(model: Obj) -> str:
    fields = ", ".join(f"`{n}`" for n in architecture_missing(model))
    return f"add {fields} to model `{model.name}` (or use a catalog model: `capplan catalog --kind model`)"


def _no_drop(d, kind: str, entry: ast.DropRequire) -> None:
    d.error("E0605", f"`drop require` in a {kind}", entry.span, label="there is no inherited requirement to drop",
            hint=f"a {kind} inherits nothing: delete this line")


def lower_search(checker, decl: ast.Declaration) -> SearchSpec | None:
    d = checker.d
    target = checker.lower(decl.target.parts[0])
    if target is None or not target.get("_valid"):
        return None
    if target.model.layers is None or target.model.heads is None:
        d.error("E0701", f"search `{decl.name}` explores a plan whose model is a bare parameter count",
                decl.name_span, label="layouts need an architecture", notes=(architecture_words(target.model),),
                hint=_add_fields(target.model))
        return None
    spec = SearchSpec(decl.name, target)
    repeated = _repeated(d, decl.body.entries)
    ok = not repeated
    for entry in decl.body.entries:
        if id(entry) in repeated:
            continue
        if isinstance(entry, ast.Vary):
            ok &= _vary(checker, entry, spec)
        elif isinstance(entry, ast.Objective):
            if entry.name not in OBJECTIVES:
                close = did_you_mean(entry.name, OBJECTIVES)
                d.error("E0602", f"`{entry.name}` is not something a search can optimise", entry.name_span,
                        label="unknown objective", notes=("objectives: " + ", ".join(OBJECTIVES),),
                        hint=f"did you mean `{close}`?" if close else None)
                ok = False
            else:
                spec.objective = (entry.direction, entry.name)
        elif isinstance(entry, ast.Require):
            ok &= _constraint(checker, entry.condition, spec)
        elif isinstance(entry, ast.DropRequire):
            _no_drop(d, "search", entry)
            ok = False
        elif isinstance(entry, ast.Assignment):
            ok &= _option(checker, entry, spec)
        else:
            d.error("E0401", f"a search has no block `{entry.name}`", entry.name_span, label="not expected here")
            ok = False
    return spec if ok and _space_within_budget(checker, decl, spec) else None


def _repeated(d, entries) -> set[int]:
    """The entries that set again what an earlier one in the same block set (a field, a `vary`, the
    objective), each reported as E0207 with both places; the first one stands."""
    first: dict[str, object] = {}
    out: set[int] = set()
    for entry in entries:
        if isinstance(entry, ast.Assignment):
            key, what = f"set:{entry.name}", f"`{entry.name}` is set"
        elif isinstance(entry, ast.Vary):
            key, what = f"vary:{entry.name}", f"`{entry.name}` is varied"
        elif isinstance(entry, ast.Objective):
            key, what = "objective", "the objective is set"
        else:
            continue
        if key in first:
            report_set_twice(d, what, entry.name_span, first[key].name_span)
            out.add(id(entry))
        else:
            first[key] = entry
    return out


def default_space(heads: int, layers: int, experts: int | None, per_node: int, nodes: int) -> dict:
    """What a search varies when its block does not say."""
    gpus = per_node * nodes
    return {
        "tensor": [t for t in (1, 2, 4, 8, 16) if t <= gpus and heads % t == 0],
        "pipeline": [p for p in (1, 2, 4, 8, 16, 32, 64) if p <= layers and p <= gpus],
        "zero": [0, 1, 2, 3],
        "recompute": ["none", "selective", "full"],
        "micro_batch": [1, 2, 4, 8],
        "virtual_stages": [1, 2],
        "context": [1],
        "expert": [1] + ([e for e in (2, 4, 8) if experts % e == 0] if experts else []),
        "sequence_parallel": [False, True],
        "distributed_optimizer": [False],
        "gpus": [gpus],
    }


def _space_within_budget(checker, decl: ast.Declaration, spec: SearchSpec) -> bool:
    """E0805 when the layouts to enumerate (every combination of the space) exceed the search's limit."""
    target = spec.target
    _gpu, gpus, per_node = hardware_of(target)
    m = target.model
    space = default_space(m.heads, m.layers, m.moe.experts, per_node, max(1, -(-gpus // per_node)))
    space.update(spec.space)
    sizes = {name: len(values) for name, values in space.items()}
    total = math.prod(sizes.values())
    cap = spec.max_layouts or limits().max_layouts
    if total <= cap:
        return True
    largest = sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    checker.d.error("E0805", f"search `{decl.name}` would enumerate {total:,} layouts, over its limit of {cap:,}",
                    decl.name_span, label="too many combinations",
                    notes=("largest dimensions: " + ", ".join(f"{n} ({k} values)" for n, k in largest),),
                    hint="narrow them with `vary NAME in [...]`, or raise this search's limit with "
                         "`max_layouts = N`")
    return False


def _vary(checker, entry: ast.Vary, spec: SearchSpec) -> bool:
    d = checker.d
    name = entry.name
    known = INTEGER_VARIABLES + tuple(WORD_VARIABLES) + BOOL_VARIABLES
    if name not in known:
        close = did_you_mean(name, known)
        d.error("E0401", f"a search cannot vary `{name}`", entry.name_span, label="unknown variable",
                notes=("variables: " + ", ".join(known),), hint=f"did you mean `{close}`?" if close else None)
        return False
    if not isinstance(entry.values, ast.ListExpr) or not entry.values.items:
        d.error("E0403", f"`vary {name}` takes a list of values", entry.values.span, label="not a list",
                hint=f"write `vary {name} in [1, 2, 4]`")
        return False
    values = []
    for item in entry.values.items:
        if name in WORD_VARIABLES:
            word = item.parts[0] if isinstance(item, ast.Ref) and len(item.parts) == 1 else None
            if word not in WORD_VARIABLES[name]:
                d.error("E0403", f"`{name}` takes one of {', '.join(WORD_VARIABLES[name])}", item.span,
                        label="not a valid choice")
                return False
            values.append(word)
            continue
        value = _evaluate(checker, item)
        if value is None:
            return False
        if name in BOOL_VARIABLES:
            if not isinstance(value, Bool):
                d.error("E0403", f"`{name}` takes true or false", item.span, label="not a boolean")
                return False
            values.append(value.value)
            continue
        if not isinstance(value, Num) or value.dims or value.value != int(value.value) or value.value < 0 or \
                (value.value == 0 and name != "zero"):
            d.error("E0405", f"`{name}` takes whole numbers", item.span, label="not a valid count")
            return False
        if value.value > MAX_VARY_VALUE:
            d.error("E0404", f"`{name}` {fmt_number(value.value)} is out of range", item.span,
                    label=f"at most {MAX_VARY_VALUE:,}")
            return False
        if name == "zero" and value.value > 3:
            d.error("E0404", f"ZeRO stage {int(value.value)} does not exist", item.span, label="stages are 0-3")
            return False
        values.append(int(value.value))
    spec.space[name] = sorted(set(values), key=values.index)
    return True


def _constraint(checker, cond, spec: SearchSpec) -> bool:
    d = checker.d
    if isinstance(cond, ast.Conjunction):
        return _constraint(checker, cond.left, spec) & _constraint(checker, cond.right, spec)
    if not (isinstance(cond, ast.Compare) and isinstance(cond.left, ast.Ref) and len(cond.left.parts) == 1):
        d.error("E0701", "this form of search requirement is not supported yet", cond.span,
                label="write `METRIC <op> value`", notes=("metrics: " + ", ".join(METRICS),),
                hint="e.g. `require headroom >= 5 %` or `require step_time <= 10 s`")
        return False
    metric = cond.left.parts[0]
    if metric not in METRICS:
        close = did_you_mean(metric, METRICS)
        d.error("E0602", f"`{metric}` is not a search metric", cond.left.span, label="unknown metric",
                notes=("metrics: " + ", ".join(METRICS),), hint=f"did you mean `{close}`?" if close else None)
        return False
    try:
        value = checker.evaluate(cond.right)
    except Exception:  # noqa: BLE001 - the checker reported the problem already
        return False
    if isinstance(value, Word) or not isinstance(value, Num) or value.dims != dims_of(METRICS[metric]):
        d.error("E0301", f"`{metric}` is compared with a value of another dimension", cond.right.span,
                label="dimension differs", notes=(f"{metric} is {METRICS[metric] or 'a plain number'}",))
        return False
    spec.constraints.append((metric, cond.op, value.value))
    return True


def _option(checker, entry: ast.Assignment, spec: SearchSpec) -> bool:
    d = checker.d
    if entry.name not in OPTIONS:
        close = did_you_mean(entry.name, OPTIONS)
        d.error("E0401", f"a search has no option `{entry.name}`", entry.name_span, label="unknown option",
                notes=("options: " + ", ".join(OPTIONS),), hint=f"did you mean `{close}`?" if close else None)
        return False
    value = _evaluate(checker, entry.value)
    if value is None:
        return False
    if entry.name == "cross_node_tensor":
        if not isinstance(value, Bool):
            d.error("E0403", "`cross_node_tensor` is true or false", entry.value.span, label="not a boolean")
            return False
        spec.cross_node_tensor = value.value
    else:
        if not isinstance(value, Num) or value.dims or value.value < 1 or value.value != int(value.value):
            d.error("E0405", f"`{entry.name}` is a positive whole number", entry.value.span, label="not a count")
            return False
        if entry.name == "top":
            spec.top = int(min(value.value, MAX_VARY_VALUE))
        else:
            spec.max_layouts = int(min(value.value, 2 ** 62))
    return True


__all__ = ["SearchSpec", "lower_search", "ListVal"]


@dataclass
class GoalSpec:
    name: str
    target: Obj
    gpus: list = field(default_factory=list)
    within: float | None = None
    max_nodes: int = 1024
    gpus_per_node: int = 8
    requests: float | None = None
    objective: str = "cost"
    min_global_batch: int | None = None   # the global batches a training goal may use (default: the plan's +-25%)
    max_global_batch: int | None = None


GOAL_FIELDS = {"gpus": "gpu list", "within": "time", "max_nodes": "count", "gpus_per_node": "count",
               "requests": "request/time", "min_global_batch": "count", "max_global_batch": "count"}
TRAINING_ONLY = ("min_global_batch", "max_global_batch")


def lower_goal(checker, decl: ast.Declaration) -> GoalSpec | None:
    d = checker.d
    target = checker.lower(decl.target.parts[0])
    if target is None or not target.get("_valid"):
        return None
    if target.model.layers is None or target.model.heads is None:
        d.error("E0701", f"goal `{decl.name}` sizes a plan whose model is a bare parameter count", decl.name_span,
                label="GPU counts need an architecture", notes=(architecture_words(target.model),),
                hint=_add_fields(target.model))
        return None
    spec = GoalSpec(decl.name, target, gpus_per_node=hardware_of(target)[2] if target.kind == "training" else 8)
    if target.kind == "inference":
        spec.requests = target.requests
    repeated = _repeated(d, decl.body.entries)
    ok = not repeated
    spans: dict = {}
    for entry in decl.body.entries:
        if id(entry) in repeated:
            continue
        if isinstance(entry, ast.Objective):
            if entry.name not in ("cost", "gpus", "time"):
                d.error("E0602", f"a goal cannot {entry.direction} `{entry.name}`", entry.name_span,
                        label="unknown objective", notes=("objectives: cost, gpus, time",))
                ok = False
            spec.objective = entry.name
            continue
        if isinstance(entry, ast.DropRequire):
            _no_drop(d, "goal", entry)
            ok = False
            continue
        if not isinstance(entry, ast.Assignment) or entry.name not in GOAL_FIELDS:
            name = getattr(entry, "name", "require")
            close = did_you_mean(name, GOAL_FIELDS)
            d.error("E0401", f"a goal has no field `{name}`", getattr(entry, "name_span", entry.span),
                    label="unknown field", notes=("fields: " + ", ".join(GOAL_FIELDS),),
                    hint=f"did you mean `{close}`?" if close else None)
            ok = False
            continue
        kind = GOAL_FIELDS[entry.name]
        if entry.name in TRAINING_ONLY and target.kind != "training":
            d.error("E0401", f"`{entry.name}` applies to goals for training plans", entry.name_span,
                    label="not for a serving goal", hint="a serving goal sizes replicas at the plan's batch")
            ok = False
            continue
        spans[entry.name] = entry.value.span
        if kind == "gpu list":
            if not isinstance(entry.value, ast.ListExpr):
                d.error("E0403", "`gpus` is a list of GPU names", entry.value.span, label="not a list",
                        hint="write `gpus = [a100_80gb, h100_sxm]`")
                ok = False
                continue
            for item in entry.value.items:
                value = _evaluate(checker, item)
                if value is None:
                    ok = False
                    continue
                if not isinstance(value, Obj) or value.kind != "gpu":
                    pool = [n for n, x in checker.decls.items() if x.kind == "gpu"]
                    shown = item.parts[0] if isinstance(item, ast.Ref) else "this"
                    close = did_you_mean(shown, pool)
                    d.error("E0201", f"`{shown}` is not a gpu", item.span, label="not a GPU",
                            hint=f"did you mean `{close}`?" if close else "`capplan catalog --kind gpu` lists them")
                    ok = False
                else:
                    spec.gpus.append(value)
            continue
        value = _evaluate(checker, entry.value)
        if value is None:
            ok = False
            continue
        if kind == "count":
            if not isinstance(value, Num) or value.dims or value.value < 1 or value.value != int(value.value):
                d.error("E0405", f"`{entry.name}` is a positive whole number", entry.value.span, label="not a count")
                ok = False
                continue
            setattr(spec, entry.name, int(value.value))
        else:
            if not isinstance(value, Num) or value.dims != dims_of(kind):
                d.error("E0301", f"unit mismatch for `{entry.name}`", entry.value.span, label="wrong dimension",
                        notes=(f"expected: {kind}",))
                ok = False
                continue
            setattr(spec, entry.name, value.value)
    lo, hi = spec.min_global_batch, spec.max_global_batch
    if lo is not None and hi is not None and lo > hi:
        d.error("E0404", f"`max_global_batch` ({hi}) is below `min_global_batch` ({lo})", spans["max_global_batch"],
                label="an empty range", hint=f"write `max_global_batch = {lo}` or more")
        ok = False
    if not spec.gpus:
        d.error("E0402", f"goal `{decl.name}` lists no `gpus` to compare", decl.name_span, label="needs `gpus`",
                hint="add `gpus = [a100_80gb, h100_sxm]`")
        ok = False
    if target.kind == "inference" and not spec.requests:
        d.error("E0402", f"goal `{decl.name}` needs a request rate", decl.name_span, label="needs `requests`",
                hint="add `requests = 20 req/s` to the goal or the plan")
        ok = False
    return spec if ok else None
