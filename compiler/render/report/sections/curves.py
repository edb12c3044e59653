"""Memory curves: a plan's peak memory per GPU at other sequence lengths and batch sizes
(capplan.analyses.sweep re-evaluates the plan's declaration), as charts with their tables."""

from __future__ import annotations

from capplan.analyses.sweep import Curve, inference_curves, training_curves
from capplan.render.report.context import Context
from capplan.render.report.i18n import N_
from capplan.render.report.view import Chart, Table

AXES = {
    "seq_len": N_("sequence length (tokens)"),
    "micro_batch": N_("micro-batch size (sequences)"),
    "context": N_("context (tokens per sequence)"),
    "batch": N_("batch (concurrent sequences)"),
}
CURVE_TITLES = {
    "seq_len": N_("Memory per GPU vs sequence length"),
    "micro_batch": N_("Memory per GPU vs micro-batch size"),
    "context": N_("Memory per GPU vs context length"),
    "batch": N_("Memory per GPU vs batch size"),
}


def curves(ctx: Context, plan: dict, w, pid: str) -> tuple[list[Chart], str | None]:
    """The plan's curves from its declaration `w`, and a note on the curves left out (or why there are none)."""
    _ = ctx._
    if w is None:
        return [], _("Curves are not available: the plan's declaration could not be re-evaluated.")
    if plan["kind"] == "training":
        found = training_curves(w, plan["hardware"]["usable_bytes"])
    else:
        if not plan["model"]["params"]["exact"]:
            return [], _("Curves are not available: the model is given by its parameter count alone, "
                         "so the engine models no KV cache or activations that grow with context or batch.")
        found = inference_curves(w, plan)
    charts = [curve_chart(ctx, plan, c, pid) for c in found if not c.flat]
    note = None
    if any(c.flat for c in found):
        note = _("Memory does not depend on {axes} in this plan (the model has no architecture to scale "
                 "activations with), so those curves are left out.").format(
            axes=ctx.nf.list([_(AXES[c.axis]) for c in found if c.flat]))
    return charts, note


def curve_chart(ctx: Context, plan: dict, c: Curve, pid: str) -> Chart:
    """One curve: the peak per GPU at each value of its axis against the capacity, the plan's value marked."""
    _ = ctx._
    nf = ctx.nf
    unit = plan["hardware"]["memory_unit"]
    training = plan["kind"] == "training"
    tokens_axis = c.axis in ("seq_len", "context")
    fmt_x = nf.int
    cap_label = _("usable GPU memory") if training else _("budget")
    rows, classes = [], []
    for i, x in enumerate(c.xs):
        row = [fmt_x(x), ctx.mem(c.peaks[i], unit)]
        if training:
            row.append(str(c.stages[i]))
        row.append(nf.pct(1 - c.peaks[i] / c.capacity))
        row.append(ctx.yes(c.fits(i)))
        rows.append(row)
        classes.append("current" if x == c.current else ("" if c.fits(i) else "bad"))
    headers = [_(AXES[c.axis]), _("peak per GPU")] + ([_("peak stage")] if training else []) + \
              [_("headroom"), _("fits")]
    align = ["r", "r"] + (["r"] if training else []) + ["r", "l"]
    if c.boundary is None:
        boundary = _("Even the smallest value does not fit.")
    elif c.beyond:
        boundary = _("Fits up to at least {x} (the search limit).").format(x=fmt_x(c.boundary))
    else:
        boundary = _("The largest value that fits: {x}.").format(x=fmt_x(c.boundary))
    if c.engine_boundary is not None:
        boundary += " " + _("(The engine's own longest context, {x}, holds the prefill activations at the "
                            "plan's context.)").format(x=fmt_x(c.engine_boundary))
    if c.position_limit is not None:
        boundary += " " + _("(The model's max_seq, {x} tokens, caps the longest context the plan reports.)").format(
            x=fmt_x(c.position_limit))
    held = nf.list([_held(ctx, k, v) for k, v in c.fixed.items()])
    caption = _("The chart's data; held fixed: {held}. {boundary} The plan's own value is marked.").format(
        held=held, boundary=boundary)
    spec = {"xs": c.xs, "ys": [nf.mem_value(p, unit) for p in c.peaks], "capacity": nf.mem_value(c.capacity, unit),
            "capacity_label": cap_label, "current": c.current,
            "boundary": c.boundary if (c.boundary is not None and not c.beyond) else None,
            "boundary_label": _("largest that fits: {x}").format(x=fmt_x(c.boundary)) if c.boundary else "",
            "current_label": _("this plan"),
            "series_label": _("peak per GPU"), "unit": unit,
            "xlabel": _(AXES[c.axis]), "ylabel": _("memory per GPU ({unit})").format(unit=unit),
            "log2": True, "tokens": tokens_axis, "over_label": _("does not fit"),
            "cut_label": _("above the chart's top, cut off (the table has the value)")}
    desc = _("A line of the peak memory per GPU at each {axis}, against the {capacity} line. {boundary}").format(
        axis=_(AXES[c.axis]), capacity=cap_label, boundary=boundary)
    return Chart(f"{pid}-{c.axis.replace('_', '-')}", "curve", _(CURVE_TITLES[c.axis]), desc, spec,
                 Table(headers, rows, align, classes, caption=caption))


def _held(ctx: Context, key: str, value) -> str:
    """What a curve holds fixed, in words."""
    _ = ctx._
    if key == "micro_batch":
        return _("micro-batch {n}").format(n=ctx.nf.int(value))
    if key == "seq_len":
        return _("sequence length {n}").format(n=ctx.nf.tokens(value))
    if key == "microbatches":
        return _("{n} micro-batches per step").format(n=ctx.nf.int(value))
    if key == "batch":
        return _("batch {n}").format(n=ctx.nf.int(value))
    return _("context {n}").format(n=ctx.nf.tokens(value))
