"""Model cards: a model's parameters by component (with their formulas) and its architecture."""

from __future__ import annotations

from capplan.render.report.context import Context, clean
from capplan.render.report.i18n import N_
from capplan.render.report.view import ModelCard, Table, kv_table

PARAM_COMPONENTS = {
    "embedding": N_("embedding"),
    "attention": N_("attention"),
    "mlp": N_("MLP"),
    "experts": N_("routed experts"),
    "shared_experts": N_("shared experts"),
    "router": N_("router"),
    "norms": N_("norms"),
    "head": N_("output head"),
}


def model_card(ctx: Context, model: dict) -> ModelCard:
    """The card of an evaluated model (`comp.models[i]`, `plan["model"]`)."""
    _ = ctx._
    nf = ctx.nf
    p = model["params"]
    active = None
    if p["active"] != p["total"]:
        active = _("{n} ({share} of the total)").format(n=nf.params(p["active"]),
                                                       share=nf.pct(p["active"] / p["total"]))
    return ModelCard(model["name"], clean(model["display_name"]), nf.params(p["total"]), nf.int(p["total"]),
                     active, p["exact"], _components(ctx, p), _architecture(ctx, model.get("architecture")))


def _components(ctx: Context, p: dict) -> Table | None:
    if not p["components"]:
        return None
    _ = ctx._
    nf = ctx.nf
    formulas = p.get("formulas", {})
    rows, total = [], p["total"] or 1
    for key, label in PARAM_COMPONENTS.items():
        n = p["components"].get(key, 0)
        if n:
            rows.append([_(label), nf.int(n), nf.pct(n / total), formulas.get(key, "")])
    rows.append([_("total"), nf.int(p["total"]), nf.pct(1.0), ""])
    return Table([_("component"), _("parameters"), _("share"), _("formula")], rows,
                 ["l", "r", "r", "l"], [""] * (len(rows) - 1) + ["total"], code_columns=frozenset({3}))


def _architecture(ctx: Context, a: dict | None) -> Table | None:
    if not a:
        return None
    _ = ctx._
    nf = ctx.nf
    pairs = [(_("layers"), nf.int(a["layers"])), (_("hidden size"), nf.int(a["hidden"])),
             (_("attention heads"), nf.int(a["heads"]))]
    if a.get("kv_heads") is not None and a["kv_heads"] != a["heads"]:
        pairs.append((_("key/value heads"), nf.int(a["kv_heads"])))
    if a.get("head_dim"):
        pairs.append((_("head dimension"), nf.int(a["head_dim"])))
    if a.get("ffn"):
        pairs.append((_("MLP width"), nf.int(a["ffn"])))
    pairs.append((_("vocabulary"), nf.int(a["vocab"])))
    pairs.append((_("MLP / norm / positions"), f"{a.get('mlp')} / {a.get('norm')} / {a.get('position')}"))
    if a.get("attention") and a["attention"] != "mha":
        pairs.append((_("attention"), str(a["attention"])))
    moe = a.get("moe")
    if moe:
        pairs.append((_("mixture of experts"), _(
            "{experts} experts, {k} per token, width {ffn}, {shared} shared, {dense} dense layers").format(
            experts=moe["experts"], k=moe["experts_per_token"], ffn=nf.int(moe["expert_ffn"]),
            shared=moe.get("shared_experts") or 0, dense=moe.get("dense_layers") or 0)))
    return kv_table(pairs)
