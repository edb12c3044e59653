"""Consistency checks that need several fields at once, and derived defaults.

Runs on each lowered declaration: models (E0406) and workload layouts
(E0407). Fills in derived fields (kv_heads, head_dim, norm_bias, the data-
parallel degree, GPU counts) so the engine reads complete objects.
"""

from __future__ import annotations

from capplan.core import constants as K

from capplan.check import layout_rules as R
from capplan.core.diagnostics import Diagnostics
from capplan.check.values import Obj
from capplan.check.values import Format
from capplan.check.recompute_checks import recompute_layers_ok, recompute_modules_ok, selective_op_ok
from capplan.check.spans import is_architecture, span_of as _span


def _broken(obj) -> bool:
    """An object, or one it refers to, had a field rejected (reported already)."""
    if not isinstance(obj, Obj):
        return False
    if obj.fields.get("_invalid"):
        return True
    return any(isinstance(v, Obj) and v.kind in ("gpu", "cluster", "model", "precision") and _broken(v)
               for v in obj.fields.values())


def validate_declaration(obj: Obj, d: Diagnostics) -> None:
    if _broken(obj):
        obj.fields["_valid"] = False  # a field was rejected already; checking more would cascade
        return
    if obj.kind == "model":
        _model(obj, d)
    elif obj.kind == "training":
        _training(obj, d)
    elif obj.kind == "inference":
        _inference(obj, d)
    elif obj.kind == "precision":
        _precision(obj)
    elif obj.kind == "cluster":
        if obj.intra_node is None and obj.gpu is not None:
            obj.fields["intra_node"] = obj.gpu.link


def _precision(p: Obj) -> None:
    """PyTorch's defaults: gradients and optimizer states take the dtype of what they update."""

    f = p.fields
    weights = f["weights"]
    master = f["master_weights"]
    if isinstance(master, str):
        master = f["master_weights"] = Format(master)
    if f["gradients"] is None:
        f["gradients"] = weights
    if f["optimizer_states"] is None:
        f["optimizer_states"] = master if master.name != "none" else weights
    if f["activations"] is None:
        f["activations"] = weights if weights.name in ("fp32", "bf16", "fp16") else Format("bf16")
    if f["kv_cache"] is None:
        f["kv_cache"] = f["activations"]


def architecture_missing(model: Obj) -> list[str]:
    """The architecture fields a bare-parameter-count model leaves out, in the schema's order."""
    f = model.fields
    missing = [n for n in ("layers", "hidden", "heads", "vocab") if f.get(n) is None]
    moe = f.get("moe")
    if f.get("ffn") is None and (moe is None or moe.experts is None or moe.dense_layers):
        missing.append("ffn")
    return missing


def architecture_words(model: Obj) -> str:
    """`model `x` gives only `params`: it has no `layers`, `hidden`, ...` for a diagnostic."""
    return (f"model `{model.name}` is a bare parameter count: it has no "
            + ", ".join(f"`{n}`" for n in architecture_missing(model)))


def _model(m: Obj, d: Diagnostics) -> None:
    f = m.fields
    f["_valid"] = False
    if f["params"] is not None and f["heads"] is None:
        f["_valid"] = True  # a rule-of-thumb model: a bare parameter count (layers, hidden optional)
        return
    missing = [n for n in ("layers", "hidden", "heads", "vocab") if f[n] is None]
    if f["ffn"] is None and (f["moe"].experts is None or f["moe"].dense_layers):
        missing.append("ffn")
    if missing:
        d.error("E0402", f"model `{m.name}` is missing {', '.join(f'`{x}`' for x in missing)}", m.span,
                label="incomplete architecture",
                notes=("a model is described either by `params` alone (a rule of thumb) or by "
                       "layers, hidden, heads, vocab and ffn",),
                hint="add the fields, or derive the model from a catalog entry with `from`")
        return
    if f["kv_heads"] is None:
        f["kv_heads"] = f["heads"]
    if f["heads"] % f["kv_heads"]:
        d.error("E0406", f"{f['heads']} attention heads cannot be shared by {f['kv_heads']} key/value "
                "heads", _span(m, "kv_heads"), label="heads must be a multiple of kv_heads",
                hint="grouped-query attention needs heads divisible by kv_heads")
        return
    if f["head_dim"] is None:
        if f["hidden"] % f["heads"]:
            d.error("E0406", f"hidden size {f['hidden']} is not divisible by {f['heads']} heads",
                    _span(m, "heads"), label="head size would not be whole",
                    hint="give `head_dim` explicitly if the model's heads are not hidden / heads")
            return
        f["head_dim"] = f["hidden"] // f["heads"]
    if f["attention_dropout"] is None:
        f["attention_dropout"] = f["dropout"]
    if f["norm_bias"] is None:
        f["norm_bias"] = f["norm"] in ("layernorm", "low_precision_layernorm")
    if f["max_seq"] is None and f["position"] == "learned":
        d.error("E0402", f"model `{m.name}` has learned positions but no `max_seq`", m.span,
                label="the position table needs a size", hint="add `max_seq = 2048 tokens`")
        return
    if f["attention"] == "mla" and f["mla"].kv_lora_rank is None:
        d.error("E0402", f"model `{m.name}` uses MLA but has no `mla {{ ... }}` block", _span(m, "attention"),
                label="attention = mla", hint="add `mla { kv_lora_rank = 512 ... }`")
        return
    moe = f["moe"]
    if moe.experts is not None:
        if moe.experts_per_token > moe.experts:
            d.error("E0406", f"{moe.experts_per_token} experts per token but only {moe.experts} experts",
                    _span(moe, "experts_per_token"), label="top-k exceeds the expert count")
            return
        if moe.dense_layers > f["layers"]:
            d.error("E0406", "more dense layers than layers", _span(moe, "dense_layers"),
                    label=f"the model has {f['layers']} layers")
            return
        if moe.shared_ffn is None:
            moe.fields["shared_ffn"] = moe.shared_experts * moe.expert_ffn
        if not _routing_groups(moe, d):
            return
    pattern = f.get("pattern")
    if pattern is not None:
        bad = sorted(set(pattern) - set("TM*-"))
        if bad or len(pattern) != f["layers"]:
            d.error("E0406", f"pattern has {len(pattern)} letters for {f['layers']} layers"
                    + (f" and unknown letters {', '.join(repr(b) for b in bad)}" if bad else ""),
                    _span(m, "pattern"), label="one letter per layer: T, M, * or -",
                    hint="T attention + MLP, M Mamba-2, * attention only, - MLP only")
            return
        if "M" in pattern and f["mamba"].heads is None:
            d.error("E0402", f"model `{m.name}` has Mamba-2 layers but no `mamba {{ ... }}` block",
                    _span(m, "pattern"), label="`M` layers", hint="add `mamba { heads = 128  head_dim = 64  state = 128 }`")
            return
    if f["sliding_window"] is not None:
        if f["sliding_window_layers"] is None:
            f["sliding_window_layers"] = f["layers"]
        elif f["sliding_window_layers"] > f["layers"]:
            d.error("E0406", "more sliding-window layers than layers", _span(m, "sliding_window_layers"),
                    label=f"the model has {f['layers']} layers")
            return
    f["_valid"] = True


def _routing_groups(moe: Obj, d: Diagnostics) -> bool:
    """E0406: group-limited routing that cannot be (DeepSeek-V3: 256 experts in 8 groups, 4 groups per token)."""
    groups, per_token = moe.groups, moe.groups_per_token
    if groups is None and per_token is None:
        return True
    if groups is None:
        d.error("E0406", "groups_per_token without groups", _span(moe, "groups_per_token"),
                label="groups of what?", hint="add `groups = 8`: how many groups the experts form")
        return False
    if moe.experts % groups:
        d.error("E0406", f"{moe.experts} experts do not form {groups} equal groups", _span(moe, "groups"),
                label="groups must divide the experts", hint="choose a group count that divides the experts")
        return False
    if per_token is not None and per_token > groups:
        d.error("E0406", f"{per_token} groups per token but only {groups} groups",
                _span(moe, "groups_per_token"), label="more than there are", hint=f"use at most {groups}")
        return False
    return True


def hardware_of(w: Obj) -> tuple[Obj | None, int | None, int]:
    """A workload's GPU, GPU count and GPUs per node: its cluster's, or `gpu` x `gpus`; without
    `gpus`, the layout's product (training: tensor x pipeline x context x data; inference: tensor x
    pipeline). Computed here, never stored in the declaration."""
    f = w.fields
    c = f.get("cluster")
    if c is not None:
        return c.gpu, c.gpus_per_node * c.nodes, c.gpus_per_node
    gpus = f.get("gpus")
    p = f.get("parallel")
    if gpus is None and p is not None:
        if w.kind == "training" and p.data is not None:
            gpus = p.tensor * p.pipeline * p.context * p.data
        elif w.kind == "inference":
            gpus = p.tensor * p.pipeline
    # without a cluster, servers of the GPU's NVLink domain (an HGX/DGX baseboard: 8) on the default network
    # (W0201)
    return f.get("gpu"), gpus, min(gpus, server_gpus(f.get("gpu"))) if gpus else 1


def _gpus(w: Obj, d: Diagnostics) -> bool:
    """The hardware is named: a cluster, or a gpu with a count (not both)."""
    f = w.fields
    if f["cluster"] is not None and (f["gpu"] is not None or f["gpus"] is not None):
        d.error("E0403", f"{w.kind} `{w.name}` gives both a cluster and gpu/gpus", _span(w, "gpu", "gpus"),
                label="give one or the other", hint="the cluster already says which GPUs and how many")
        return False
    if f["cluster"] is not None:
        return f["cluster"].gpu is not None
    if f["gpu"] is None:
        d.error("E0402", f"{w.kind} `{w.name}` names no hardware", w.span,
                label="needs `cluster`, or `gpu` and `gpus`", hint="add `cluster = my_cluster`")
        return False
    gpus, per_server = f["gpus"], server_gpus(f["gpu"])
    if isinstance(gpus, int) and gpus > per_server:
        servers = -(-gpus // per_server)
        d.error("W0201", f"{w.kind} `{w.name}` has {gpus} GPUs and no cluster: taken as {servers} servers of "
                f"{per_server}", _span(w, "gpus"), label="no cluster: servers and network assumed",
                notes=(f"without a cluster, `gpu` x `gpus` is servers of {per_server} GPUs (the GPU's "
                       f"`nvlink_domain`) on the default network, {K.INTER_NODE_DEFAULT.example} per GPU "
                       "(`inter_node_default`): communication between them crosses that network",),
                hint=f"name a cluster with your servers and network: `cluster c {{ gpu = ...; gpus_per_node = "
                     f"{per_server}; nodes = {servers}; inter_node = 400 Gbit/s }}`")
    return True


def server_gpus(gpu: Obj | None) -> int:
    """GPUs per server for a plan without a cluster: the GPU's NVLink domain (HGX/DGX: 8; GB200 NVL72: 72)."""
    domain = gpu.fields.get("nvlink_domain") if gpu is not None else None
    return domain or 8


def _training(w: Obj, d: Diagnostics) -> None:
    f = w.fields
    f["_valid"] = False
    if not _gpus(w, d) or f["model"] is None or not f["model"].get("_valid") or f["precision"] is None:
        return
    m, p = f["model"], f["parallel"]
    tp, pp, cp, ep = p.tensor, p.pipeline, p.context, p.expert
    gpus = f["gpus"] if f["cluster"] is None else hardware_of(w)[1]
    if p.data is None and gpus is None:
        d.error("E0402", f"training `{w.name}` gives neither `gpus` nor `parallel.data`", w.span,
                label="how many GPUs?", hint="add `gpus = 8`")
        return
    if gpus is None:
        gpus = tp * pp * cp * p.data
    model_parallel = tp * pp * cp
    if R.degrees_do_not_divide(tp, pp, cp, gpus):
        d.error("E0407", f"{gpus} GPUs cannot be split into tensor {tp} x pipeline {pp} x context {cp}",
                _span(p, "tensor", "pipeline", "context"), label=f"{model_parallel} does not divide {gpus}",
                hint="choose degrees whose product divides the GPU count")
        return
    dp = p.data if p.data is not None else gpus // model_parallel
    if tp * pp * cp * dp != gpus:
        d.error("E0407", f"the layout uses {tp * pp * cp * dp} GPUs but the plan has {gpus}",
                _span(p, "data"), label=f"tensor {tp} x pipeline {pp} x context {cp} x data {dp}",
                hint="the product of the parallel degrees must equal the GPU count")
        return
    p.fields["data"] = dp
    if is_architecture(m):
        if R.heads_split_unevenly(tp, m.heads, m.kv_heads):
            d.error("E0407", f"tensor parallelism {tp} does not divide the model's {m.heads} heads / "
                    f"{m.kv_heads} key/value heads", _span(p, "tensor"), label="heads split unevenly",
                    hint="choose a tensor degree that divides the attention heads")
            return
        stages = p.layers_per_stage
        if R.more_stages_than_layers(pp, m.layers):
            d.error("E0407", f"{pp} pipeline stages for {m.layers} layers", _span(p, "pipeline"),
                    label="more stages than layers", hint="use at most one stage per layer")
            return
        if stages is not None:
            if len(stages) != pp or sum(stages) != m.layers:
                d.error("E0407", f"layers_per_stage has {len(stages)} stages summing to {sum(stages)} "
                        f"layers; the plan has {pp} stages and the model {m.layers} layers",
                        _span(p, "layers_per_stage"), label="does not match",
                        hint="one entry per pipeline stage, adding up to the layer count")
                return
        elif R.uneven_chunks(pp, p.virtual_stages, m.layers):
            d.error("E0407", f"{m.layers} layers do not split into {pp} stages x {p.virtual_stages} "
                    "virtual stages", _span(p, "virtual_stages"), label="uneven model chunks")
            return
        if m.moe.experts is not None and R.experts_do_not_divide(ep, m.moe.experts):
            d.error("E0407", f"{m.moe.experts} experts cannot be split over {ep} expert-parallel ranks",
                    _span(p, "expert"), label="experts must divide evenly")
            return
    no_experts = m.moe.experts is None if is_architecture(m) else True
    for name, what, stated in (("expert", "expert parallelism", ep > 1),
                               ("expert_tensor", "expert_tensor", p.expert_tensor is not None)):
        if stated and no_experts:
            d.error("E0407", f"{what} on a model without experts", _span(p, name),
                    label=f"{name} = {p.fields[name]}", hint=f"remove `{name}`, or use an MoE model")
            return
    etp = p.expert_tensor or tp
    if (ep > 1 or etp != tp) and R.expert_ranks_do_not_divide(ep, dp, cp, tp, etp):
        if etp == tp:
            d.error("E0407", f"expert parallelism {ep} does not divide the data-parallel ranks ({dp})",
                    _span(p, "expert"), label="experts are spread over data-parallel ranks")
        else:
            d.error("E0407", f"expert tensor {etp} x expert {ep} does not divide tensor {tp} x context {cp} x "
                    f"data {dp}", _span(p, "expert_tensor", "expert"), label="expert ranks are carved out of these",
                    hint="Megatron-Core needs tensor x context x data to be a multiple of expert_tensor x expert")
        return
    if p.zero > 3:
        d.error("E0404", f"ZeRO stage {p.zero} does not exist", _span(p, "zero"), label="stages are 0-3")
        return
    fw = f["framework"]
    stated = fw.fields.get("runtime") if fw is not None else None
    clash = R.runtime_conflict(stated, p.zero, p.fsdp, p.distributed_optimizer, p.offload) if stated else None
    if clash:
        d.error("E0407", f"runtime {stated} cannot run this layout: {clash}", _span(fw, "runtime"),
                label=f"runtime = {stated}", hint="remove `runtime` to infer it from the layout, or change the layout")
        return
    if not _runtime_fields(fw, stated, p, d):
        return
    if p.schedule == "interleaved" and p.virtual_stages < 2:
        d.error("E0407", "the interleaved schedule needs virtual_stages >= 2", _span(p, "schedule"),
                label="interleaved", hint="add `virtual_stages = 2`")
        return
    if p.recompute_modules is not None and not recompute_modules_ok(p, fw, m, d):
        return
    if p.recompute_layers is not None and not recompute_layers_ok(p, m, d):
        return
    if p.recompute == "selective_op" and not selective_op_ok(p, fw, m, d, lora=bool(w.lora is not None and w.lora.rank)):
        return
    mb = f["micro_batch"]
    gb = f["global_batch"] if f["global_batch"] is not None else mb * dp
    if R.batch_does_not_split(gb, mb, dp):
        d.error("E0407", f"global batch {gb} does not divide into micro-batches of {mb} on {dp} "
                "data-parallel ranks", _span(w, "global_batch"), label=f"{gb} is not a multiple of {mb * dp}",
                hint=f"use a global batch that is a multiple of {mb * dp}")
        return
    f["global_batch"] = gb
    chunks = p.virtual_stages if p.schedule == "interleaved" else 1
    m_ = gb // (mb * dp)
    if R.interleaved_microbatches_do_not_group(pp, chunks, m_):
        d.error("E0407", f"the interleaved schedule needs the micro-batches per step to be a multiple of the "
                f"pipeline size {pp}; global batch {gb} gives {m_}", _span(w, "global_batch"),
                label=f"{gb} / (micro-batch {mb} x data {dp}) = {m_} micro-batches",
                hint=f"use a global batch that is a multiple of {mb * dp * pp} (Megatron-Core runs "
                     f"interleaved micro-batches in groups of the pipeline size)")
        return
    problem = R.split_backward_problem(p.schedule, pp, p.virtual_stages, m_, p.layers_per_stage is not None)
    if problem:
        message, field, hint = problem
        d.error("E0407", message, _span(w, field) if field == "global_batch" else _span(p, field, "schedule"),
                label=f"schedule = {p.schedule}", hint=hint)
        return
    if f["seq_len"] is not None and R.sequence_does_not_split(int(f["seq_len"]), cp):
        d.error("E0407", f"sequence length {int(f['seq_len'])} does not split into 2 x {cp} chunks",
                _span(w, "seq_len"), label="context parallelism splits the sequence in 2*cp chunks")
        return
    missing = [n for n in ("layers", "hidden") if getattr(m, n) is None]
    if fw is not None and fw.activation_rule is not None and missing:  # a bare parameter count lacks them
        fields = " and ".join(f"`{n}`" for n in missing)
        d.error("E0402", f"the activation rule of thumb needs the model's {fields}", _span(fw, "activation_rule"),
                label="activation_rule * seq * micro_batch * hidden, per layer",
                hint=f"add {fields} to model `{m.name}`")
        return
    stated = {k: fw.fields.get(k) for k in fw.spans} if fw is not None else {}
    norm = (m.fields.get("norm") or "rmsnorm") if is_architecture(m) else "rmsnorm"
    for field, why in R.idle_framework_switches(stated, tp, pp, ep, p.sequence_parallel, not no_experts, norm):
        d.error("W0202", f"{why}: the setting has no effect", _span(fw, field), label="no effect here",
                hint=f"remove `{field}`, or change the layout or model it needs")
    f["_valid"] = True


def _inference(w: Obj, d: Diagnostics) -> None:
    f = w.fields
    f["_valid"] = False
    if not _gpus(w, d) or f["model"] is None or not f["model"].get("_valid"):
        return
    m, p = f["model"], f["parallel"]
    ranks = p.tensor * p.pipeline
    gpus = hardware_of(w)[1]
    if gpus != ranks:
        d.error("E0407", f"tensor {p.tensor} x pipeline {p.pipeline} uses {ranks} GPUs but the plan has "
                f"{gpus}", _span(p, "tensor", "pipeline"), label="layout and GPU count disagree",
                hint="serving replicas are separate plans; make tensor x pipeline equal the GPU count")
        return
    if is_architecture(m):
        if m.heads % p.tensor:
            d.error("E0407", f"tensor parallelism {p.tensor} does not divide {m.heads} heads",
                    _span(p, "tensor"), label="heads split unevenly")
            return
        if p.pipeline > m.layers:
            d.error("E0407", f"{p.pipeline} pipeline stages for {m.layers} layers", _span(p, "pipeline"),
                    label="more stages than layers")
            return
    if not _inference_recipe(w, d):
        return
    if f["mode"] == "forward" and f["context"] is None and f["prompt"] is None:
        d.error("E0402", f"inference `{w.name}` in mode = forward gives no `prompt`", w.span,
                label="how many tokens does the pass read?", hint="add `prompt = 2048 tokens`")
        return
    if f["mode"] == "forward":
        f["prompt"] = f["prompt"] or f["context"]
        f["context"] = f["prompt"]
    if f["context"] is None:
        if f["prompt"] is not None or f["output"] is not None:
            f["context"] = (f["prompt"] or 0.0) + (f["output"] or 0.0)
        else:
            d.error("E0402", f"inference `{w.name}` gives no `context` (or `prompt` and `output`)", w.span,
                    label="how many tokens per sequence?", hint="add `context = 8192 tokens`")
            return
    f["_valid"] = True


# fields that only mean something in one recipe: (field, recipe test, what the field needs)
_RECIPE_FIELDS = (
    ("output", lambda f: f["mode"] == "forward" and f["output"], "mode = generate (a forward pass generates no "
     "token)"),
    ("block_size", lambda f: f["mode"] == "forward" or f["cache"] != "paged", "cache = paged"),
    ("prefill_chunk", lambda f: f["mode"] == "forward" or f["cache"] != "paged", "cache = paged (transformers "
     "prefills the whole prompt in one pass)"),
    ("cache", lambda f: f["mode"] == "forward", "mode = generate (a forward pass builds a DynamicCache when "
     "`use_cache` is true)"),
    ("loss", lambda f: f["mode"] == "generate", "mode = forward"),
    ("use_cache", lambda f: f["mode"] == "generate", "mode = forward (generation always keeps a KV cache)"),
    ("requests", lambda f: f["mode"] == "forward", "mode = generate"),
)


_RUNTIME_FIELDS = (  # framework fields that one training runtime reads
    ("gradient_as_bucket_view", "pytorch", "PyTorch DDP (no ZeRO, FSDP or Megatron switch)"),
    ("reduce_bucket_size", "deepspeed", "DeepSpeed ZeRO (`zero` >= 1)"),
    ("sub_group_size", "deepspeed", "DeepSpeed ZeRO-3"),
)


def _runtime_fields(fw: Obj | None, stated: str | None, p, d: Diagnostics) -> bool:
    """E0408: a framework field for a runtime the plan does not run under. False when any was found."""
    if fw is None:
        return True
    runtime, basis = R.runtime_of(stated or "auto", fw.fields.get("implementation") or "transformers", p.zero,
                                  p.fsdp, p.distributed_optimizer, p.offload)
    ok = True
    for name, needs, what in _RUNTIME_FIELDS:
        if name in fw.spans and runtime != needs:
            d.error("E0408", f"`{name}` has no meaning here: it needs the {needs} runtime, {what}",
                    _span(fw, name), label=f"runtime {runtime} ({basis})",
                    hint=f"remove `{name}`, or state `runtime = {needs}` with a layout it can run")
            ok = False
    return ok


def _inference_recipe(w: Obj, d: Diagnostics) -> bool:
    """E0408: a field written for a recipe the plan does not run (block_size with a transformers cache, a
    time-per-output-token target for a forward pass, ...). Reports every one; False when any was found."""
    f = w.fields
    ok = True
    for name, misplaced, needs in _RECIPE_FIELDS:
        if name in w.spans and misplaced(f):
            d.error("E0408", f"`{name}` has no meaning here: it needs {needs}", _span(w, name),
                    label=f"mode = {f['mode']}" + (f", cache = {f['cache']}" if f["mode"] == "generate" else ""),
                    hint=f"remove `{name}`, or change the recipe")
            ok = False
    t = f.get("targets")
    if f["mode"] == "forward" and t is not None and t.get("tpot") is not None:
        d.error("E0408", "a `tpot` target has no meaning here: mode = forward generates no token", _span(t, "tpot"),
                label="no time per output token", hint="remove the target, or use mode = generate")
        ok = False
    return ok
