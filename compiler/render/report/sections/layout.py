"""A plan's hardware, parallel layout and precision, its one-line headline, and (serving) the room
left for the KV cache."""

from __future__ import annotations

from capplan.check.layout_rules import expert_tensor_note, recompute_modules_note

from capplan.render.report.context import Context, clean
from capplan.render.report.view import Table, kv_table

PEAK_FORMATS = ("bf16", "fp16", "fp8", "fp32", "tf32", "int8", "fp4")   # in the order the table lists them


def gpus(ctx: Context, plan: dict) -> str:
    """`8 × NVIDIA H100 SXM5 80GB`."""
    hw = plan["hardware"]
    return ctx._("{n} × {gpu}").format(n=hw["gpus"], gpu=clean(hw["gpu_name"]))


def headline(ctx: Context, plan: dict) -> str:
    """The hardware and the layout in one line."""
    _ = ctx._
    lay = plan["layout"]
    if plan["kind"] == "training":
        parts = [gpus(ctx, plan), _("tensor {t} × pipeline {p} × data {d} × context {c}").format(
            t=lay["tensor"], p=lay["pipeline"], d=lay["data"], c=lay["context"]),
            _("ZeRO {n}").format(n=lay["zero"]), _("sequence length {n}").format(n=ctx.nf.tokens(lay["seq_len"])),
            _("micro-batch {n}").format(n=ctx.nf.int(lay["micro_batch"]))]
    else:
        parts = [gpus(ctx, plan), _("tensor {t} × pipeline {p}").format(t=lay["tensor"], p=lay["pipeline"]),
                 _("batch {n}").format(n=ctx.nf.int(lay["batch"])),
                 _("context {n}").format(n=ctx.nf.tokens(lay["context"]))]
    return " · ".join(parts)


def hardware(ctx: Context, plan: dict, w) -> Table:
    """The GPU and its count; from the declaration `w` (when known), its bandwidth, peaks, link and price."""
    _ = ctx._
    nf = ctx.nf
    hw = plan["hardware"]
    unit = hw["memory_unit"]
    pairs = [(_("GPU"), clean(f"{hw['gpu_name']} ({hw['gpu']})")),
             (_("GPUs"), nf.int(hw["gpus"])),
             (_("GPUs per node"), nf.int(hw["gpus_per_node"])),
             (_("memory per GPU"), ctx.mem(hw["memory_bytes"], unit)),
             (_("usable per GPU"), ctx.mem(hw["usable_bytes"], unit))]
    gpu = w.hardware.gpu if w is not None else None
    if gpu is not None:
        if gpu.bandwidth:
            pairs.append((_("memory bandwidth"), f"{nf.num(gpu.bandwidth / 1e12)} TB/s"))
        for fmt in PEAK_FORMATS:
            value = gpu.peak.get(fmt)
            if value:
                pairs.append((_("peak {fmt} (dense)").format(fmt=fmt), f"{nf.num(value / 1e12)} TFLOP/s"))
        if gpu.link:
            pairs.append((_("GPU link"), f"{nf.num(gpu.link / 1e9)} GB/s"))
        if gpu.price:
            pairs.append((_("price"), _("{value} USD per GPU-hour").format(value=nf.num(gpu.price * 3600))))
    return kv_table(pairs)


def training_layout(ctx: Context, plan: dict) -> tuple[Table, Table]:
    """A training plan's layout and precision."""
    _ = ctx._
    nf = ctx.nf
    ngettext = ctx.t.ngettext
    lay, prec = plan["layout"], plan["precision"]
    pairs = [
        (_("parallelism"), _("tensor {t} × pipeline {p} × data {d} × context {c}").format(
            t=lay["tensor"], p=lay["pipeline"], d=lay["data"], c=lay["context"])),
        (_("expert parallelism"), nf.int(lay["expert"]) + (
            " (" + _("expert tensor {n}").format(n=nf.int(lay["expert_tensor"])) + ")"
            if expert_tensor_note(lay) else "")),
        (_("ZeRO stage"), str(lay["zero"]) + (" (FSDP)" if lay["fsdp"] else "")),
        (_("distributed optimizer"), ctx.yes(lay["distributed_optimizer"])),
        (_("sequence parallelism"), ctx.yes(lay["sequence_parallel"])),
        (_("pipeline schedule"), lay["schedule"] + (f", {_('virtual stages')} {lay['virtual_stages']}"
                                                   if lay["schedule"] == "interleaved" else "")),
        (_("activation recomputation"), ctx.choice("recompute", lay["recompute"]) + recompute_modules_note(lay)),
        (_("offload"), ctx.choice("offload", lay["offload"])),
        (_("sequence length"), nf.tokens(lay["seq_len"])),
        (_("micro-batch"), ngettext("{mb} sequence", "{mb} sequences", lay["micro_batch"]).format(
            mb=nf.int(lay["micro_batch"])) + " × " + ngettext(
            "{m} micro-batch per step", "{m} micro-batches per step", lay["microbatches"]).format(
            m=nf.int(lay["microbatches"]))),
        (_("global batch"), ngettext("{n} sequence", "{n} sequences", lay["global_batch"]).format(
            n=nf.int(lay["global_batch"]))),
    ]
    ppairs = [(_("recipe"), prec["recipe"]),
              (_("weights"), prec["weights"]), (_("gradients"), prec["gradients"]),
              (_("master weights"), prec["master_weights"]),
              (_("optimizer"), _("{opt}, states in {fmt}").format(opt=prec["optimizer"],
                                                                  fmt=prec["optimizer_states"])),
              (_("activations"), prec["activations"] or "bf16"),
              (_("bytes per parameter"), nf.num(prec["bytes_per_param"]))]
    lora = prec.get("lora")
    if lora:
        ppairs.append((_("LoRA adapters"), _("rank {r} on {targets}: {n} trainable parameters").format(
            r=lora["rank"], targets=lora["targets"], n=nf.int(lora["adapter_params"]))))
    return kv_table(pairs), kv_table(ppairs)


def serving_layout(ctx: Context, plan: dict) -> tuple[Table, Table]:
    """An inference plan's layout and precision."""
    _ = ctx._
    nf = ctx.nf
    lay, prec = plan["layout"], plan["precision"]
    pairs = [(_("parallelism"), _("tensor {t} × pipeline {p}").format(t=lay["tensor"], p=lay["pipeline"])),
             (_("batch"), ctx.t.ngettext("{n} concurrent sequence", "{n} concurrent sequences",
                                         lay["batch"]).format(n=nf.int(lay["batch"]))),
             (_("context"), nf.tokens(lay["context"])),
             (_("memory utilization"), nf.pct(lay["memory_utilization"], 0))]
    ppairs = [(_("weights"), _("{fmt} ({bits} bits per weight)").format(
                  fmt=prec["weights"], bits=nf.num(prec["weight_bits"]))),
              (_("KV cache"), prec["kv_cache"]), (_("activations"), prec["activations"])]
    return kv_table(pairs), kv_table(ppairs)


def _cap(ctx: Context, plan: dict, key: str) -> str:
    """The bound a capacity figure stopped at, when it stopped there rather than at the budget."""
    _ = ctx._
    cap = plan["caps"][key]
    if not cap["reached"]:
        return ""
    limit = ctx.nf.int(cap["limit"])
    if cap["by"] == "max_seq":
        return " " + _("(capped at the model's max_seq, {n} tokens; memory would allow more)").format(n=limit)
    return " " + _("(capped at the search bound {n}; memory would allow more)").format(n=limit)


def serving_capacity(ctx: Context, plan: dict) -> Table:
    """An inference plan's largest batch and longest context, and the KV cache's share of the budget."""
    _ = ctx._
    nf = ctx.nf
    unit = plan["hardware"]["memory_unit"]
    lay = plan["layout"]
    per_seq = plan["memory"]["kv_cache"] / lay["batch"] if lay["batch"] else 0.0
    none = _("none fits")
    left = plan["budget_bytes"] - plan["peak_bytes"]
    kv = plan["kv_capacity"]
    pairs = [(_("largest batch at this context"), (nf.int(plan["max_batch"]) if plan["max_batch"] else none)
              + " " + _("(plan: {n})").format(n=nf.int(lay["batch"])) + _cap(ctx, plan, "max_batch")),
             (_("longest context at this batch"), (nf.tokens(plan["max_context"]) if plan["max_context"] else none)
              + " " + _("(plan: {n})").format(n=nf.int(lay["context"])) + _cap(ctx, plan, "max_context")),
             (_("KV cache capacity at this batch"), _("{tokens} in {blocks} blocks of {size} tokens").format(
                 tokens=nf.tokens(kv["tokens"]), blocks=nf.int(kv["blocks"]), size=nf.int(kv["block_tokens"]))),
             (_("KV cache per sequence"), ctx.mem(per_seq, unit)),
             (_("KV cache, whole batch"), ctx.mem(plan["memory"]["kv_cache"], unit)),
             (_("budget per GPU"), ctx.mem(plan["budget_bytes"], unit)),
             (_("left for more KV cache"), ctx.mem(left, unit) if left >= 0 else
              _("none: {over} over the budget").format(over=ctx.mem(-left, unit)))]
    return kv_table(pairs)
