"""One plan's section: its verdict, model, hardware, layout, memory chart and curves, serving
capacity, requirements, notes, time and cost, and its figures with their provenance."""

from __future__ import annotations

from capplan.render.report.context import Context, clean
from capplan.render.report.sections import curves, figures, layout, memory, notes, summary, time_cost
from capplan.render.report.sections.model import model_card
from capplan.render.report.view import PlanView, Table


def plan_view(ctx: Context, plan: dict, w, pid: str, source_anchor: str | None,
              with_curves: bool = True) -> PlanView:
    """The section of evaluated plan `plan`; `w` is its declaration (None when it could not be found),
    `pid` its anchor, `source_anchor` its source file's; `with_curves=False`: no memory curves (not shown)."""
    _ = ctx._
    unit = plan["hardware"]["memory_unit"]
    training = plan["kind"] == "training"
    layout_table, precision = layout.training_layout(ctx, plan) if training else layout.serving_layout(ctx, plan)
    plan_curves, curves_note = curves.curves(ctx, plan, w, pid) if with_curves else ([], None)
    gpus = layout.gpus(ctx, plan)
    return PlanView(
        id=pid, name=plan["name"], kind=plan["kind"], kind_label=_(summary.KINDS[plan["kind"]]),
        file=clean(plan["file"]), line=plan["line"], fits=plan["fits"], ok=plan["ok"],
        verdict=memory.verdict(ctx, plan), peak=ctx.mem(plan["peak_bytes"], unit),
        capacity=ctx.mem(memory.capacity(plan), unit), model=model_card(ctx, plan["model"]),
        hardware=layout.hardware(ctx, plan, w), layout=layout_table, precision=precision,
        memory_chart=memory.memory_chart(ctx, plan, pid), curves=plan_curves, curves_note=curves_note,
        serving=None if training else layout.serving_capacity(ctx, plan), requirements=requirements(ctx, plan),
        notes=notes.plan_notes(ctx, plan, w), figures=figures.figures(ctx, plan),
        summary_row=summary.summary_row(ctx, plan, gpus), source_anchor=source_anchor,
        training_tokens=training_tokens(ctx, w), headline=layout.headline(ctx, plan),
        figure_values=figures.figure_values(ctx, plan), time=time_cost.plan_time(ctx, plan, w, pid))


def requirements(ctx: Context, plan: dict) -> Table | None:
    """The plan's `require` lines and whether each holds."""
    reqs = plan["requirements"]
    if not reqs:
        return None
    _ = ctx._
    return Table([_("requirement"), _("line"), _("holds")],
                 [[f"require {r['text']}", str(r["line"]), _("yes") if r["ok"] else _("FAILED")] for r in reqs],
                 ["l", "r", "l"], ["" if r["ok"] else "bad" for r in reqs], code_columns=frozenset({0}))


def training_tokens(ctx: Context, w) -> str | None:
    """The tokens a training plan's declaration asks to train on."""
    tokens = w.tokens if w is not None and w.kind == "training" else None
    return ctx.nf.params(tokens) if tokens else None
