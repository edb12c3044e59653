"""Measure the bytes saved for backward by small real transformers models (real CPU tensors).

For every run of the grid (architecture x dtype recipe x attention implementation x gradient
checkpointing x sequence length) one forward pass with labels (loss included) is executed under
``torch.autograd.graph.saved_tensors_hooks``.  Every tensor the autograd engine saves is recorded
together with

* the part of the model being executed when it was saved (embedding, layers.N, final_norm, lm_head,
  loss, other) and the innermost module path,
* the autograd node that saved it and the attribute name (found by walking the autograd graph
  after the forward and unpacking each ``_saved_*`` attribute),
* its shape, dtype and storage; storages are de-duplicated by ``untyped_storage().data_ptr()``.

Saved tensors that are parameters (weights saved for the weight-gradient matmul), bf16 copies of
parameters made by autocast, and the integer model inputs are classified separately from
activations.  Additionally ``MemTracker`` (real tensors) reports the live activation bytes right
after the forward, which includes tensors kept alive by non-reentrant checkpointing.

Run from the repository root:

    /work/.venv-val/bin/python validation/measure_activations.py

Writes validation/data/activations.json (sorted keys, indent 1).
"""

from __future__ import annotations

import contextlib
import itertools
import sys
import time
from typing import Any

import torch
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_flatten

import _provenance

SCRIPT = "validation/measure_activations.py"
BATCH = 2
SEQS = {"llama": [128, 256], "mixtral": [128], "qwen2": [128], "gpt2": [128]}
RECIPES = ["bf16_weights", "fp32_weights_autocast_bf16", "fp32"]
ATTN = ["eager", "sdpa"]
CKPT = [False, True]

ARCH_CONFIGS: dict[str, tuple[str, dict[str, Any]]] = {
    # Llama: GQA 8 query heads / 2 kv heads, head_dim 32, gated SiLU MLP with ffn 640 (distinct from 4h)
    "llama": ("LlamaForCausalLM", dict(
        model_type="llama", vocab_size=1000, hidden_size=256, intermediate_size=640, num_hidden_layers=2,
        num_attention_heads=8, num_key_value_heads=2, max_position_embeddings=1024, attention_dropout=0.0,
        attention_bias=False, mlp_bias=False, rms_norm_eps=1e-5, tie_word_embeddings=False, hidden_act="silu",
        rope_theta=10000.0, pad_token_id=None, bos_token_id=1, eos_token_id=2)),
    # Mixtral: 4 experts top-2, expert ffn 512
    "mixtral": ("MixtralForCausalLM", dict(
        model_type="mixtral", vocab_size=1000, hidden_size=256, intermediate_size=512, num_hidden_layers=2,
        num_attention_heads=8, num_key_value_heads=2, max_position_embeddings=1024, attention_dropout=0.0,
        num_local_experts=4, num_experts_per_tok=2, router_jitter_noise=0.0, sliding_window=None,
        output_router_logits=False, rms_norm_eps=1e-5, tie_word_embeddings=False, rope_theta=1e6,
        pad_token_id=None, bos_token_id=1, eos_token_id=2)),
    # Qwen2: qkv bias
    "qwen2": ("Qwen2ForCausalLM", dict(
        model_type="qwen2", vocab_size=1000, hidden_size=256, intermediate_size=640, num_hidden_layers=2,
        num_attention_heads=8, num_key_value_heads=2, max_position_embeddings=1024, attention_dropout=0.0,
        rms_norm_eps=1e-6, tie_word_embeddings=False, use_sliding_window=False, sliding_window=None,
        rope_theta=1e6, pad_token_id=None, bos_token_id=1, eos_token_id=2)),
    # GPT-2: LayerNorm, plain GELU (gelu_new) MLP 4h, learned positions, biases, tied head
    "gpt2": ("GPT2LMHeadModel", dict(
        model_type="gpt2", vocab_size=1000, n_embd=256, n_layer=2, n_head=8, n_positions=1024, n_inner=None,
        activation_function="gelu_new", resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0,
        summary_first_dropout=0.0, layer_norm_epsilon=1e-5, bos_token_id=1, eos_token_id=2)),
}


# ---------------------------------------------------------------------------------------------
class OpRecorder(TorchDispatchMode):
    """Records (a) storages of autocast/dtype copies of parameters, (b) attention kernel op names."""

    def __init__(self, param_ptrs: set[int]):
        super().__init__()
        self.param_ptrs = param_ptrs
        self.param_cast_ptrs: set[int] = set()
        self.attention_ops: dict[str, int] = {}
        self.op_counts: dict[str, int] = {}

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        name = str(func.overloadpacket.__name__) if hasattr(func, "overloadpacket") else str(func)
        self.op_counts[name] = self.op_counts.get(name, 0) + 1
        if "scaled_dot_product" in name or "flash_attention" in name or "efficient_attention" in name:
            self.attention_ops[str(func)] = self.attention_ops.get(str(func), 0) + 1
        if name in ("_to_copy", "to", "_autocast_to_reduced_precision", "clone") and args:
            src = args[0]
            if isinstance(src, torch.Tensor) and src.untyped_storage().data_ptr() in self.param_ptrs:
                for t in tree_flatten(out)[0]:
                    if isinstance(t, torch.Tensor):
                        self.param_cast_ptrs.add(t.untyped_storage().data_ptr())
        return out


class PartTracker:
    """Forward pre/post hooks on every module; tells which model part / module is executing."""

    def __init__(self, model: torch.nn.Module, arch: str):
        self.stack: list[str] = []
        self.lm_head_done = False
        self.handles = []
        self.layer_inputs: dict[str, int] = {}
        self.part_roots = {}
        for name, mod in model.named_modules():
            if name == "":
                continue
            segs = name.split(".")
            part = None
            if segs[-1] in ("embed_tokens", "wte", "wpe"):
                part = "embedding"
            elif len(segs) >= 2 and segs[-2] in ("layers", "h") and segs[-1].isdigit():
                part = f"layer.{segs[-1]}"
            elif name in ("model.norm", "transformer.ln_f"):
                part = "final_norm"
            elif name == "lm_head":
                part = "lm_head"
            if part is not None:
                self.part_roots[name] = part
            self.handles.append(mod.register_forward_pre_hook(self._pre(name), with_kwargs=True))
            self.handles.append(mod.register_forward_hook(self._post(name), with_kwargs=True))

    def _pre(self, name):
        def hook(mod, args, kwargs):
            self.stack.append(name)
            part = self.part_roots.get(name)
            if part is not None and part.startswith("layer."):
                hs = args[0] if args else kwargs.get("hidden_states")
                if isinstance(hs, torch.Tensor):
                    self.layer_inputs[part] = hs.untyped_storage().nbytes()
        return hook

    def _post(self, name):
        def hook(mod, args, kwargs, out):
            if self.stack and self.stack[-1] == name:
                self.stack.pop()
            if name == "lm_head":
                self.lm_head_done = True
        return hook

    def current(self) -> tuple[str, str]:
        for name in reversed(self.stack):
            if name in self.part_roots:
                return self.part_roots[name], (self.stack[-1] if self.stack else "")
        if self.lm_head_done:
            return "loss", ""
        return "other", (self.stack[-1] if self.stack else "")

    def remove(self):
        for h in self.handles:
            h.remove()


def build_model(arch: str, attn: str, recipe: str):
    import transformers

    cls_name, cfg_kwargs = ARCH_CONFIGS[arch]
    kwargs = dict(cfg_kwargs)
    model_type = kwargs.pop("model_type")
    cfg = transformers.AutoConfig.for_model(model_type, **kwargs)
    cls = getattr(transformers, cls_name)
    torch.manual_seed(0)
    model = cls._from_config(cfg, attn_implementation=attn)
    if recipe == "bf16_weights":
        model.to(torch.bfloat16)
    return model, cfg


def walk_graph(root, unpack_log: list[int]) -> dict[int, list[tuple[str, str]]]:
    """Map saved-tensor index -> [(autograd node name, attribute)] by unpacking every _saved_* attribute.

    Pass 1 unpacks custom autograd.Function nodes (``saved_tensors``), e.g. checkpoint's _NoopSaveInputs;
    pass 2 unpacks the ``_saved_*`` attributes of built-in nodes.  With non-reentrant checkpointing, unpacking
    a node inside a checkpointed region triggers recomputation, which in turn unpacks indices that are already
    mapped in pass 1 -- such already-mapped indices are ignored, so every index keeps the node that saved it.
    """
    nodes = []
    seen = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        nodes.append(node)
        for nxt, _ in getattr(node, "next_functions", ()):
            if nxt is not None:
                stack.append(nxt)
    mapping: dict[int, list[tuple[str, str]]] = {}

    def access(node, attr):
        unpack_log.clear()
        try:
            getattr(node, attr)
        except Exception:  # noqa: BLE001 - e.g. freed buffers; nothing to map
            pass
        for idx in unpack_log:
            if idx not in mapping or mapping[idx][0][1] == attr and mapping[idx][0][0] == type(node).__name__:
                mapping.setdefault(idx, [])
                if (type(node).__name__, attr) not in mapping[idx]:
                    mapping[idx].append((type(node).__name__, attr))
        unpack_log.clear()

    for node in nodes:  # pass 1: custom Function nodes
        if not any(a.startswith("_saved_") for a in dir(node)) and hasattr(node, "saved_tensors"):
            access(node, "saved_tensors")
    for node in nodes:  # pass 2: built-in nodes
        for a in dir(node):
            if a.startswith("_saved_"):
                access(node, a)
    return mapping


def run_one(arch: str, recipe: str, attn: str, ckpt: bool, seq: int) -> dict[str, Any]:
    from torch.distributed._tools.mem_tracker import MemTracker

    model, cfg = build_model(arch, attn, recipe)
    model.train()
    if ckpt:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    gen = torch.Generator().manual_seed(1234)
    ids = torch.randint(0, cfg.vocab_size, (BATCH, seq), generator=gen)
    labels = ids.clone()
    param_ptrs = {p.untyped_storage().data_ptr() for p in model.parameters()}
    input_ptrs = {ids.untyped_storage().data_ptr(), labels.untyped_storage().data_ptr()}

    saved: list[torch.Tensor] = []
    meta: list[dict[str, Any]] = []
    unpack_log: list[int] = []
    tracker = PartTracker(model, arch)
    recorder = OpRecorder(param_ptrs)

    def pack(t: torch.Tensor):
        part, mod = tracker.current()
        meta.append({"part": part, "module": mod})
        saved.append(t)
        return len(saved) - 1

    ckpt_unpacked: set[int] = set()

    def unpack(i: int):
        # An unpack issued from inside torch.utils.checkpoint is the recomputation of a checkpointed layer
        # reading the inputs that checkpoint saved (via _NoopSaveInputs) -- not a direct unpack by the node
        # whose attribute the graph walk is reading.
        f = sys._getframe(1)
        depth = 0
        while f is not None and depth < 60:
            if f.f_code.co_filename.replace("\\", "/").endswith("torch/utils/checkpoint.py"):
                ckpt_unpacked.add(i)
                return saved[i]
            f = f.f_back
            depth += 1
        unpack_log.append(i)
        return saved[i]

    autocast = (torch.autocast("cpu", dtype=torch.bfloat16) if recipe == "fp32_weights_autocast_bf16"
                else contextlib.nullcontext())
    mt = MemTracker()
    mt.track_external(model)
    t0 = time.time()
    with mt:
        with recorder:
            with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
                with autocast:
                    loss = model(input_ids=ids, labels=labels).loss
        snap = mt.get_tracker_snapshot("current")
        peak = mt.get_tracker_snapshot("peak")
    fwd_s = time.time() - t0
    tracker.remove()

    mapping = walk_graph(loss.grad_fn, unpack_log)
    for i in ckpt_unpacked:
        mapping.setdefault(i, []).append(("_NoopSaveInputsBackward[torch.utils.checkpoint]", "saved_tensors"))

    # ---- classify and de-duplicate -------------------------------------------------------------
    storage_ids: dict[int, int] = {}
    first_part: dict[int, str] = {}
    rows = []
    for i, (t, m) in enumerate(zip(saved, meta)):
        st = t.untyped_storage()
        ptr, snb = st.data_ptr(), st.nbytes()
        if ptr in param_ptrs:
            kind = "parameter"
        elif ptr in recorder.param_cast_ptrs:
            kind = "parameter_cast"
        elif ptr in input_ptrs:
            kind = "input"
        else:
            kind = "activation"
        key = ptr if snb > 0 else -(i + 1)
        sid = storage_ids.setdefault(key, len(storage_ids))
        first = sid not in first_part
        if first:
            first_part[sid] = m["part"]
        rows.append({
            "index": i, "part": m["part"], "module": m["module"], "kind": kind,
            "saved_by": [f"{n}.{a}" for n, a in mapping.get(i, [])],
            "shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""),
            "tensor_nbytes": t.numel() * t.element_size(), "storage_nbytes": snb,
            "storage_id": sid, "first_save_of_storage": first,
        })

    def agg(filter_fn) -> dict[str, Any]:
        dedup = {}
        raw_storage = 0
        raw_tensor = 0
        for r in rows:
            if not filter_fn(r):
                continue
            raw_storage += r["storage_nbytes"]
            raw_tensor += r["tensor_nbytes"]
            dedup[r["storage_id"]] = r["storage_nbytes"]
        return {"dedup_bytes": sum(dedup.values()), "raw_sum_storage_nbytes": raw_storage,
                "raw_sum_tensor_nbytes": raw_tensor, "num_tensors": sum(1 for r in rows if filter_fn(r)),
                "num_storages": len(dedup)}

    parts = sorted({r["part"] for r in rows}, key=lambda p: (p != "embedding", not p.startswith("layer"), p))
    by_part = {}
    for p in parts:
        # de-duplicated bytes attributed to the part where the storage was FIRST saved
        first_attr = {}
        for r in rows:
            if first_part[r["storage_id"]] == p:
                first_attr.setdefault(r["kind"], {})[r["storage_id"]] = r["storage_nbytes"]
        by_part[p] = {
            "all_kinds": agg(lambda r, p=p: r["part"] == p),
            "activation_only": agg(lambda r, p=p: r["part"] == p and r["kind"] == "activation"),
            "first_save_attributed_dedup_bytes_by_kind": {k: sum(v.values()) for k, v in first_attr.items()},
        }
    totals = {
        "all_saved": agg(lambda r: True),
        "activation": agg(lambda r: r["kind"] == "activation"),
        "parameter": agg(lambda r: r["kind"] == "parameter"),
        "parameter_cast": agg(lambda r: r["kind"] == "parameter_cast"),
        "input": agg(lambda r: r["kind"] == "input"),
    }
    layer_rows = [r for r in rows if r["part"] == "layer.0"]
    per_layer = {p: {"activation_first_save_dedup_bytes":
                     by_part[p]["first_save_attributed_dedup_bytes_by_kind"].get("activation", 0),
                     "activation_dedup_bytes_saved_in_part": by_part[p]["activation_only"]["dedup_bytes"],
                     "all_kinds_dedup_bytes_saved_in_part": by_part[p]["all_kinds"]["dedup_bytes"],
                     "parameter_cast_dedup_bytes_saved_in_part": agg(
                         lambda r, p=p: r["part"] == p and r["kind"] == "parameter_cast")["dedup_bytes"],
                     "layer_input_hidden_states_storage_bytes": tracker.layer_inputs.get(p)}
                 for p in parts if p.startswith("layer.")}

    # backward once to make sure the graph is valid (not measured).  Skipped with checkpointing: the graph
    # walk above has already unpacked (and so consumed) the recomputed tensors of the checkpointed layers.
    loss_value = float(loss.detach().float())
    backward_ok = None
    if not ckpt:
        loss.backward()
        backward_ok = all(p.grad is not None for p in model.parameters() if p.requires_grad)

    cpu = torch.device("cpu")
    mt_cur = {getattr(k, "value", str(k)): v for k, v in snap.get(cpu, {}).items()}
    mt_peak = {getattr(k, "value", str(k)): v for k, v in peak.get(cpu, {}).items()}
    return {
        "arch": arch,
        "hf_class": type(model).__name__,
        "config": _cfg_dict(cfg),
        "attn_implementation": model.config._attn_implementation,
        "experts_implementation": getattr(model.config, "_experts_implementation", None),
        "batch": BATCH,
        "seq": seq,
        "recipe": recipe,
        "param_dtype": str(next(model.parameters()).dtype).replace("torch.", ""),
        "autocast": recipe == "fp32_weights_autocast_bf16",
        "gradient_checkpointing": ckpt,
        "loss": loss_value,
        "backward_sanity_check_all_params_have_grad": backward_ok,
        "forward_seconds": round(fwd_s, 3),
        "totals": totals,
        "by_part": by_part,
        "per_layer": per_layer,
        "layer0_saved_tensors": layer_rows,
        "non_layer_saved_tensors": [r for r in rows if not r["part"].startswith("layer.")],
        "unmapped_saved_tensor_indices": [r["index"] for r in rows if not r["saved_by"]],
        "attention_kernel_ops": recorder.attention_ops,
        "memtracker_after_forward": mt_cur,
        "memtracker_peak_during_forward": mt_peak,
        "notes": _notes(ckpt, recipe),
    }


def _cfg_dict(cfg) -> dict[str, Any]:
    d = cfg.to_diff_dict() if hasattr(cfg, "to_diff_dict") else cfg.to_dict()
    d = {k: v for k, v in d.items() if not k.startswith("_")}
    out = cfg.to_dict()
    keep = {k: out[k] for k in sorted(out) if not k.startswith("_") and isinstance(out[k], (int, float, str, bool, type(None), list, dict))}
    keep["_diff_from_class_defaults"] = sorted(d)
    return keep


def _notes(ckpt: bool, recipe: str) -> list[str]:
    n = []
    if ckpt:
        n.append("gradient checkpointing (non-reentrant): tensors saved inside checkpointed decoder layers go to "
                 "torch.utils.checkpoint's own saved_tensors_hooks and are NOT seen by the outer hook; the layer "
                 "inputs retained for recomputation are saved by checkpoint's _NoopSaveInputs (seen by the outer hook, part layer.N); cos/sin position embeddings passed as kwargs are kept alive by the checkpoint closure and are "
                 "included in memtracker_after_forward")
    if recipe == "fp32_weights_autocast_bf16":
        n.append("parameter_cast = bf16 copies of fp32 weights created by autocast and saved for backward")
    return n


def main() -> None:
    import transformers

    only = sys.argv[1:]  # optional filter: arch names
    torch.set_num_threads(max(1, torch.get_num_threads()))
    runs = []
    failures = []
    for arch in ARCH_CONFIGS:
        if only and arch not in only:
            continue
        for seq, recipe, attn, ckpt in itertools.product(SEQS[arch], RECIPES, ATTN, CKPT):
            tag = f"{arch} seq={seq} {recipe} {attn} ckpt={ckpt}"
            try:
                r = run_one(arch, recipe, attn, ckpt, seq)
                r["run_id"] = tag
                runs.append(r)
                pl = r["per_layer"].get("layer.0", {})
                print(f"{tag:60s} act_dedup={r['totals']['activation']['dedup_bytes']:>10d} "
                      f"layer0={pl.get('activation_first_save_dedup_bytes')} "
                      f"mt_act={r['memtracker_after_forward'].get('Activation')} "
                      f"{r['forward_seconds']}s", flush=True)
            except Exception as exc:  # noqa: BLE001
                failures.append({"run_id": tag, "error": f"{type(exc).__name__}: {exc}"})
                print(f"{tag}: FAILED {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)

    payload = {
        "provenance": _provenance.provenance(SCRIPT),
        "method": {
            "measurement": "one forward pass with labels (loss included) of a freshly initialised model in train() "
            "mode, under torch.autograd.graph.saved_tensors_hooks; pack records every tensor the autograd engine "
            "saves; storages de-duplicated by untyped_storage().data_ptr(), each storage's nbytes counted once "
            "(dedup_bytes); raw sums count every saved tensor (storage nbytes, and numel*element_size)",
            "kinds": {
                "activation": "everything not below",
                "parameter": "storage is an nn.Parameter (e.g. weight saved by mm/addmm/linear backward)",
                "parameter_cast": "storage was produced by a dtype copy (_to_copy) of a parameter, i.e. autocast's "
                "bf16 weight copy",
                "input": "input_ids / labels",
            },
            "parts": "the part is decided by forward pre/post hooks on embed_tokens/wte/wpe ('embedding'), each "
            "decoder layer ('layer.N'), the final norm ('final_norm') and lm_head; tensors saved after lm_head "
            "returned belong to 'loss'; anything else (rotary tables, mask, position-embedding add of GPT-2) is "
            "'other'. module = innermost module executing at the time",
            "first_save_attribution": "a storage saved in several parts (e.g. a layer output saved again by the "
            "next layer's norm) is attributed to the part that saved it first",
            "saved_by": "autograd node class and attribute found by walking loss.grad_fn's graph and unpacking every "
            "_saved_* attribute (the unpack hook logs which packed index it returns)",
            "memtracker_after_forward": "torch.distributed._tools.mem_tracker.MemTracker run on the same (real) "
            "forward: live bytes per category right after the forward (Activation = everything allocated during "
            "the forward that is still alive: saved tensors, autocast weight copies, checkpoint-retained inputs, "
            "the loss)",
            "dropout": "all dropout probabilities are 0 in the configs",
            "batch": BATCH,
            "seqs": SEQS,
        },
        "runs": runs,
        "failures": failures,
        "transformers_version": transformers.__version__,
    }
    out = _provenance.data_path("activations.json") if not only else "/tmp/activations.partial.json"
    _provenance.write_json(out, payload)
    print("wrote", out)


if __name__ == "__main__":
    torch.manual_seed(0)
    main()
