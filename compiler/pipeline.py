"""The phases, end to end: load -> parse -> check -> evaluate -> requirements.

Each phase is a module with a pure entry point; this one strings them
together for the CLI and for tests. Nothing here prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from capplan.check.checker import Checked, Checker, check
from capplan.check.search_spec import lower_goal, lower_search
from capplan.engine.evaluate import evaluate_model, evaluate_workload
from capplan.ir.lower import lower_gpu, lower_model, lower_workload
from capplan.core.diagnostics import Diagnostics, Label
from capplan.check.loader import Program, Reader, _read_file, load
from capplan.check.validate import architecture_words, is_architecture
from capplan.check.values import Bool, Num, Obj, fmt_quantity

RESULT_SCHEMA = "capplan/result/v1"
VERDICT_CODES = {"E0601", "E0603", "E0701"}  # the plan was evaluated; its result is what failed
# Serving figures that need the model's architecture (layers, KV heads, head size): a bare parameter
# count has none, so a `require` on them cannot be evaluated (E0604), rather than compared with 0.
ARCHITECTURE_RESULTS = ("kv_cache", "max_batch", "max_context")


@dataclass
class Compilation:
    program: Program
    diagnostics: Diagnostics
    checked: Checked | None = None
    checker: Checker | None = None
    plans: list[dict] = field(default_factory=list)
    models: list[dict] = field(default_factory=list)
    searches: list[dict] = field(default_factory=list)
    goals: list[dict] = field(default_factory=list)
    workloads: dict = field(default_factory=dict)   # plan name -> its typed IR (capplan.ir.plan)

    def lowered(self, name: str):
        """Plan `name`'s typed IR (capplan.ir.plan) from the checked declarations, not evaluated: what a caller of
        `compile_files(..., evaluate=False)` runs its own engine on. KeyError when no plan has that name."""
        return lower_workload({d.name: d for d in self.checked.workloads}[name])

    @property
    def failed(self) -> bool:
        return self.diagnostics.has_errors

    @property
    def broken(self) -> bool:
        """Errors in the specs themselves, as opposed to plans that evaluate but fail a requirement."""
        return any(d.code not in VERDICT_CODES for d in self.diagnostics.errors)


def compile_files(paths: list[str], read: Reader = _read_file, evaluate: bool = True) -> Compilation:
    """Compile each entry file as its own unit (with its imports and the catalog), then merge.

    Two specs named on one command line never see each other's declarations: a file's
    results depend only on that file and what it imports.
    """
    if len(paths) <= 1:
        return _compile_unit(paths, read, evaluate)
    units = [_compile_unit([p], read, evaluate) for p in paths]
    merged = Compilation(Program(), Diagnostics())
    for unit in units:
        merged.program.entries += unit.program.entries
        merged.program.files += [f for f in unit.program.files if f not in merged.program.files]
        for path in [f.path for f in unit.program.files] + [f.path for f in unit.program.catalog]:
            source = unit.program.sources.get(path)
            if source is not None:
                merged.program.sources.add(source)
        merged.diagnostics.extend(unit.diagnostics.items)
        merged.plans += unit.plans
        merged.models += [m for m in unit.models if m not in merged.models]
        merged.searches += unit.searches
        merged.goals += unit.goals
        merged.workloads.update(unit.workloads)
    merged.checked, merged.checker = units[-1].checked, units[-1].checker
    return merged


def _compile_unit(paths: list[str], read: Reader, evaluate: bool) -> Compilation:
    diagnostics = Diagnostics()
    program = load(paths, diagnostics, read)
    comp = Compilation(program, diagnostics)
    if not program.files and not program.catalog:
        return comp
    comp.checked, comp.checker = check(program, diagnostics)
    if evaluate:
        run_engine(comp)
    return comp


def run_engine(comp: Compilation) -> None:
    checked = comp.checked
    user_files = {f.path for f in comp.program.files}
    for name in sorted(checked.objects):
        obj = checked.objects[name]
        if obj.kind == "model" and obj.get("_valid") and obj.span is not None and obj.span.path in user_files:
            comp.models.append(evaluate_model(lower_model(obj)))
    for decl in checked.searches:  # `search` and `goal` declarations
        if comp.checker.search_target(decl):
            (_goal if decl.kind == "goal" else _search)(comp, decl)
    for workload in checked.workloads:
        if not workload.get("_valid"):
            continue
        plan = lower_workload(workload)
        comp.workloads[workload.name] = plan
        result = evaluate_workload(plan)
        result["requirements"] = _requirements(comp, workload, result)
        comp.plans.append(result)


def _search(comp: Compilation, decl) -> None:
    from capplan.analyses.planner import run_search  # numpy and the search load only for specs that search

    spec = lower_search(comp.checker, decl)
    if spec is None:
        return
    result = run_search(lower_workload(spec.target), spec.space, spec.objective, spec.constraints, spec.cross_node_tensor,
                        spec.top)
    result.update({"name": spec.name, "target": spec.target.name, "file": decl.span.path, "line": decl.span.line})
    result.pop("seconds", None)  # timings vary between runs: kept out of the deterministic output
    result.pop("candidates_per_s", None)
    comp.searches.append(result)


def _goal(comp: Compilation, decl) -> None:
    from capplan.analyses.procurement import serving_goal, training_goal  # as for searches

    spec = lower_goal(comp.checker, decl)
    if spec is None:
        return
    target, gpus = lower_workload(spec.target), [lower_gpu(g) for g in spec.gpus]
    if spec.target.kind == "training":
        rows = training_goal(target, gpus, spec.within, spec.max_nodes, spec.gpus_per_node, spec.objective,
                             spec.min_global_batch, spec.max_global_batch)
    else:
        rows = serving_goal(target, gpus, spec.requests, spec.gpus_per_node, spec.objective)
    comp.goals.append({"name": spec.name, "target": spec.target.name, "kind": spec.target.kind,
                       "file": decl.span.path, "line": decl.span.line, "objective": spec.objective,
                       "within_s": spec.within, "requests_per_s": spec.requests, "options": rows})


def _requirements(comp: Compilation, workload: Obj, result: dict) -> list[dict]:
    env = result.pop("_env")
    reqs = comp.checked.requirements.get(workload.name, [])
    bare = workload.kind == "inference" and not is_architecture(workload.model)
    if bare:
        for name in ARCHITECTURE_RESULTS:
            if isinstance(env.get(name), Num):
                env[name] = Num(None, env[name].dims)
    out = []
    explicit_fit = False
    for req in reqs:
        value = comp.checker.check_requirement(req, env)
        text = _source_text(comp, req.span)
        explicit_fit |= "fits" in text.split()
        out.append({"text": text, "line": req.span.line, "ok": bool(value.value)})
        if value.value is None:
            missing = sorted(n for n, v in env.items() if getattr(v, "value", 0) is None and n in text)
            reason = result.get("time", result.get("serving", {})).get("unavailable", "")
            hint = "give the missing figures (e.g. the GPU's `peak`, `price`, or the plan's `tokens`)"
            if bare and set(missing) & set(ARCHITECTURE_RESULTS):
                reason = (architecture_words(workload.model) + ": the KV cache, and the batch and context "
                          "that fit beside it, need them")
                hint = (f"give model `{workload.model.name}` its architecture, or use a catalog model "
                        "(`capplan catalog --kind model`)")
            span, secondary, notes = _where(workload, req)
            comp.diagnostics.error("E0604", f"requirement cannot be evaluated: `{text}`", span,
                                   label="no value for " + ", ".join(f"`{n}`" for n in missing),
                                   secondary=secondary, notes=notes + ((reason,) if reason else ()),
                                   hint=hint)
        if value.value is False:
            shown = ", ".join(f"{n} = {_show(env[n])}" for n in sorted(env) if n in text.split()
                              or any(n in tok for tok in text.replace("(", " ").split()))
            span, secondary, notes = _where(workload, req)
            comp.diagnostics.error("E0601", f"requirement failed: `{text}`", span,
                                   label="does not hold", secondary=secondary,
                                   notes=notes + ((f"values: {shown}",) if shown else ()),
                                   hint=f"see `capplan eval` for the breakdown; or write `drop require {text}` "
                                        f"in `{workload.name}`" if req.inherited_from else
                                        "see `capplan eval` for the breakdown")
    result["ok"] = all(r["ok"] for r in out) and (explicit_fit or result["fits"])
    if not explicit_fit and not result["fits"]:
        comp.diagnostics.error("E0603", f"{workload.kind} `{workload.name}` "
                               f"{result['verdict']}", workload.span, label="needs more memory than the GPU has",
                               hint="add `require not fits` if this is expected, or change the layout")
    return out


def _where(workload: Obj, req) -> tuple:
    """Where a requirement's failure is reported: at its line, or, inherited through `from`, at the
    derived plan (whose result failed it) with the base's line beside it."""
    if not req.inherited_from:
        return req.span, (), ()
    return (workload.span, (Label(req.span, f"required here, in `{req.inherited_from}`"),),
            (f"`{workload.name}` inherits this requirement from `{req.inherited_from}` (`from`)",))


def _show(value) -> str:
    if isinstance(value, Bool):
        return str(value.value).lower()
    if isinstance(value, Num):
        return fmt_quantity(value.value, value.dims)
    return str(value)


def _source_text(comp: Compilation, span) -> str:
    source = comp.program.sources.get(span.path)
    if source is None:
        return ""
    line = source.line_text(span.line)
    end = span.end_column - 1 if span.end_line == span.line else len(line)
    text = line[span.column - 1:end]
    return text[len("require"):].strip() if text.startswith("require") else text.strip()


def result_document(comp: Compilation) -> dict:
    """The evaluated plans as the versioned JSON document (schema/result.schema.json)."""
    return {
        "schema": RESULT_SCHEMA,
        "files": sorted(comp.program.entries),
        "models": sorted(comp.models, key=lambda m: m["name"]),
        "plans": sorted(comp.plans, key=lambda p: p["name"]),
        "searches": sorted(comp.searches, key=lambda s: s["name"]),
        "goals": sorted(comp.goals, key=lambda g: g["name"]),
        "diagnostics": [d.to_json() for d in comp.diagnostics.sorted()],
    }
