"""Notes: what a reader should know about a plan (it does not fit, a requirement fails, little
headroom, a setting other than the default), and the compiler's diagnostics."""

from __future__ import annotations

from capplan.render.report.context import Context, clean
from capplan.render.report.sections.assumptions import default
from capplan.render.report.view import Note


def plan_notes(ctx: Context, plan: dict, w) -> list[Note]:
    """The notes of a plan; `w`, its declaration when known, gives the framework's settings."""
    _ = ctx._
    notes = []
    mentions_fits = any("fits" in r["text"].split() for r in plan["requirements"])
    if not plan["fits"]:
        if plan["ok"] and mentions_fits:
            notes.append(Note("info", _("The plan does not fit, as its requirements expect.")))
        else:
            notes.append(Note("error", _("The plan does not fit in GPU memory.")))
    for r in plan["requirements"]:
        if not r["ok"]:
            notes.append(Note("error", _("Requirement `{text}` (line {line}) does not hold.").format(
                text=r["text"], line=r["line"])))
    if plan["fits"] and plan["headroom"] < 0.10:
        notes.append(Note("warning", _("Less than 10% of GPU memory is left free ({share}): fragmentation "
                                       "or a longer batch may not fit.").format(share=ctx.nf.pct(plan["headroom"]))))
    rule = w is not None and w.framework.activation_rule is not None
    if not plan["model"]["params"]["exact"] and not rule:
        notes.append(Note("warning", _("Model `{name}` is given by its parameter count alone: the estimate "
                                       "has no architecture-derived activations or KV cache.").format(
            name=plan["model"]["name"])))
    if plan["kind"] == "inference":
        notes += _capacity_notes(ctx, plan)
    fw = w.framework if w is not None else None
    if fw is not None:
        notes += _framework_notes(ctx, fw)
    if plan.get("calibration"):
        notes.append(_calibration_note(ctx, plan))
    return notes


def _calibration_note(ctx: Context, plan: dict) -> Note:
    """Which constants are fitted to the user's measurements, to what, and which band the time carries."""
    _ = ctx._
    c = plan["calibration"]
    fitted = ", ".join(f"{k} = {ctx.nf.num(v)}" for k, v in sorted(c["constants"].items())) or _("none in use")
    text = _("Calibrated ({name}): {constants}, fitted to {source}.").format(
        name=c["name"], constants=fitted, source=c["fitted_from"])
    band = (plan.get("time") or {}).get("band") or {}
    if band.get("basis") == "measured":
        text += " " + _("The measurements were taken on this very configuration: the time band is their spread.")
    elif band:
        text += " " + _("They were taken on another configuration, which carries its own error here: the time "
                        "band stays the published runs'.")
    return Note("info", text)


def _capacity_notes(ctx: Context, plan: dict) -> list[Note]:
    """The bound a capacity figure stopped at (the model's max_seq, a search bound), and a context
    longer than the model's positions: no cap goes unstated."""
    _ = ctx._
    notes = []
    cap = plan["caps"]["max_context"]
    if cap["by"] == "max_seq" and plan["layout"]["context"] > cap["limit"]:
        notes.append(Note("warning", _("The plan's context ({n} tokens) exceeds the model's max_seq ({m} tokens): "
                                       "positions past it are untrained.").format(
            n=ctx.nf.int(plan["layout"]["context"]), m=ctx.nf.int(cap["limit"]))))
    if cap["reached"]:
        if cap["by"] == "max_seq":
            notes.append(Note("info", _("The longest context is capped at the model's max_seq ({n} tokens); "
                                        "the memory budget would hold more.").format(n=ctx.nf.int(cap["limit"]))))
        else:
            notes.append(Note("info", _("The longest context reached the search bound ({n} tokens, "
                                        "max_context_factor x 2^20) for a model without max_seq.").format(
                n=ctx.nf.int(cap["limit"]))))
    if plan["caps"]["max_batch"]["reached"]:
        notes.append(Note("info", _("The largest batch reached the search bound ({n}).").format(
            n=ctx.nf.int(plan["caps"]["max_batch"]["limit"]))))
    return notes


def _framework_notes(ctx: Context, fw) -> list[Note]:
    """The framework settings that differ from the engine's defaults."""
    _ = ctx._
    nf = ctx.nf
    notes = []
    cuda_context, allocator_overhead = default("CUDA_CONTEXT"), default("ALLOCATOR_OVERHEAD")
    overrides = dict(fw.overrides)
    cuda, reserve = overrides.get("cuda_context"), overrides.get("allocator_overhead")
    if cuda is not None and cuda != cuda_context:
        notes.append(Note("info", _("The CUDA context is set to {value} instead of the default {default}.").format(
            value=nf.mem(cuda, "GiB"), default=nf.mem(cuda_context, "GiB"))))
    if reserve is not None and reserve != allocator_overhead:
        notes.append(Note("info", _("The allocator reserve is set to {value} instead of the default "
                                    "{default}.").format(value=nf.pct(reserve),
                                                         default=nf.pct(allocator_overhead))))
    if fw.activation_rule is not None:
        notes.append(Note("info", _("Activations follow the rule of thumb {rule} × s × b × h bytes per "
                                    "layer instead of the per-tensor derivation.").format(
            rule=nf.num(fw.activation_rule))))
    return notes


def diagnostics(comp) -> list[Note]:
    """Every diagnostic of the compilation, in order; an unsupported search (E0701) is information."""
    out = []
    for d in comp.diagnostics.sorted():
        where = f"{d.span.path}:{d.span.line}: " if d.span else ""
        level = "warning" if d.severity == "warning" else "error"
        if d.code == "E0701":
            level = "info"
        out.append(Note(level, clean(f"{where}{d.code} {d.message}" + (f" ({d.hint})" if d.hint else ""))))
    return out
