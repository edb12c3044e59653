"""The executive summary: the report's title, its verdict, the table of plans and the key figures
(the time and cost ones come from capplan.render.report.sections.time_summary)."""

from __future__ import annotations

from pathlib import Path

from capplan.render.report.context import Context, clean
from capplan.render.report.i18n import N_
from capplan.render.report.sections.memory import capacity
from capplan.render.report.view import Table

NOT_FATAL = {"E0601", "E0603", "E0701"}    # requirement failures and unsupported search: still reported
KINDS = {"training": N_("training"), "inference": N_("inference")}


def files(comp) -> list[str]:
    """The entry files, as the command line gave them."""
    return [clean(f) for f in comp.program.entries]


def title(ctx: Context, comp) -> str:
    return ctx._("Capacity plan: {files}").format(files=ctx.nf.list([Path(f).name for f in files(comp)]))


def all_ok(comp, plans: list[dict]) -> bool:
    """Every plan's requirements hold and no requirement failed to evaluate."""
    return all(p["ok"] for p in plans) and not any(d.code in NOT_FATAL - {"E0701"} for d in comp.diagnostics.items)


def verdict(ctx: Context, plans: list[dict], ok: bool, deadline_missed: bool = False) -> str:
    """How many plans fit, and whether every requirement holds (and no goal's deadline is missed)."""
    _ = ctx._
    if not plans:
        return _("The specs declare no training or inference plan.")
    n_fit = sum(1 for p in plans if p["fits"])
    fit = ctx.t.ngettext("{fit} of {n} plan fits in GPU memory",
                         "{fit} of {n} plans fit in GPU memory", len(plans)).format(fit=n_fit, n=len(plans))
    return _("{fit}; {requirements}").format(
        fit=fit, requirements=(_("the declared requirements hold") if deadline_missed else _("every requirement holds"))
        if ok else _("some requirements fail"))


def summary_row(ctx: Context, plan: dict, gpus: str) -> list[str]:
    """A plan's row of the summary table; `gpus` is its hardware in words."""
    _ = ctx._
    unit = plan["hardware"]["memory_unit"]
    reqs = plan["requirements"]
    reqs_text = (_("all hold") if all(r["ok"] for r in reqs) else _("FAILED")) if reqs else _("none")
    return [plan["name"], _(KINDS[plan["kind"]]), clean(plan["model"]["display_name"]), gpus,
            ctx.mem(plan["peak_bytes"], unit), ctx.mem(capacity(plan), unit), ctx.nf.pct(plan["headroom"]),
            ctx.yes(plan["fits"]), reqs_text]


def summary_table(ctx: Context, rows: list[list[str]], ok: list[bool]) -> Table | None:
    """The plans' summary rows (`summary_row`) as a table, the plans whose requirements fail marked."""
    if not rows:
        return None
    _ = ctx._
    return Table([_("plan"), _("kind"), _("model"), _("GPUs"), _("peak per GPU"), _("capacity"),
                  _("headroom"), _("fits"), _("requirements")],
                 rows, ["l", "l", "l", "l", "r", "r", "r", "l", "l"], ["" if k else "bad" for k in ok],
                 code_columns=frozenset({0}), drop_order=(1, 5, 2, 3, 6))   # narrow terminals keep peak and fits


def key_figures(ctx: Context, plans: list[dict], headline: list[dict] | None = None) -> list[tuple[str, str, str]]:
    """The plans, how many fit, and of the `headline` plans (default: all; the report leaves out plans
    expected to fail) the largest plan's GPUs and the highest peak memory per GPU."""
    if not plans:
        return []
    _ = ctx._
    headline = plans if headline is None else headline
    out = [(_("plans"), ctx.nf.int(len(plans)), ""),
           (_("plans that fit"), ctx.nf.int(sum(1 for p in plans if p["fits"])), "")]
    if headline:
        worst = max(headline, key=lambda p: p["peak_bytes"])
        biggest = max(headline, key=lambda p: (p["hardware"]["gpus"], p["name"]))
        out += [(_("GPUs, largest plan"), ctx.nf.int(biggest["hardware"]["gpus"]), biggest["name"]),
                (_("highest peak memory per GPU"), ctx.mem(worst["peak_bytes"], worst["hardware"]["memory_unit"]),
                 worst["name"])]
    return out
