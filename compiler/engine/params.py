"""Exact parameter counts, per component and per layer kind.

The counts equal what Hugging Face transformers instantiates for the same
config.json (validated in tests/test_params.py against validation/data/
params.json and tests/test_families.py against validation/data/families.json,
measured on the meta device). Each layer's parameters are split into what
tensor parallelism shards (weight matrices, column-parallel biases) and what
every tensor-parallel rank holds whole (norms, routers, row-parallel biases),
as in Megatron-LM's ColumnParallelLinear/RowParallelLinear. Each block type's
count is in capplan.engine.blocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from capplan.engine.blocks.base import Part, linear
from capplan.engine.layers import LayerParams, layer_params
from capplan.ir.blocks import Mamba2Layer, TransformerLayer
from capplan.ir.model import Model

SOURCE = ("module shapes of transformers' LlamaForCausalLM, MixtralForCausalLM, Qwen2, Gemma2, "
          "GPT2LMHeadModel, OPT, Falcon, Phi3, DeepseekV3 (modeling_*.py)")
COMPONENTS = ("embedding", "attention", "mlp", "experts", "shared_experts", "router", "mixer", "norms", "head")


@dataclass
class ParamCount:
    embedding: Part
    head: Part
    final_norm: Part
    kinds: tuple                         # LayerParams of each distinct layer kind (Model.blocks)
    model: Model
    formulas: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        m = self.model
        self._counts = [(m.blocks[k], self.kinds[k], m.count_of(k)) for k in range(len(m.blocks))]
        out = {k: 0 for k in COMPONENTS}
        out["embedding"], out["head"], out["norms"] = self.embedding.total, self.head.total, self.final_norm.total
        experts, fraction = 0, 1.0
        for layer, lp, n in self._counts:
            for name in ("attention", "mlp", "experts", "shared_experts", "router", "mixer", "norms"):
                out[name] += getattr(lp, name).total * n
            moe = layer.moe if isinstance(layer, TransformerLayer) else None
            if moe is not None:
                experts += lp.experts.total * n
                fraction = moe.top_k / moe.experts
        if not out["mixer"]:
            del out["mixer"]
        self._components = out
        self._total = sum(out.values())
        # parameters one token touches: routed experts count top_k / experts
        self._active = self._total - experts + round(experts * fraction)

    def layer(self, index: int) -> LayerParams:
        return self.kinds[self.model.stack[index]]

    def counts(self) -> list[tuple[object, LayerParams, int]]:
        """(layer kind, its parameters, how many layers of that kind)."""
        return self._counts

    def components(self) -> dict[str, int]:
        return dict(self._components)

    @property
    def total(self) -> int:
        return self._total

    @property
    def active(self) -> int:
        return self._active


def count(m: Model) -> ParamCount:
    """Parameters of a model given by architecture (m.is_architecture), computed once per model."""
    cached = m.__dict__.get("_param_count")  # a memo beside the frozen fields (equality ignores it)
    if cached is None:
        cached = m.__dict__["_param_count"] = _count(m)
    return cached


def _count(m: Model) -> ParamCount:
    h, e = m.hidden, m.embeddings
    embedding = Part(e.vocab * h, 0)
    if e.positions:
        embedding = embedding + Part(0, e.positions * h)
    if e.token_types:
        embedding = embedding + Part(0, e.token_types * h)
    if e.norm is not None:
        embedding = embedding + Part(0, h * e.norm.width_factor)
    head_spec = m.head
    if head_spec.kind == "classifier":
        head = Part(0, 0)
        if head_spec.pooler:
            head = head + linear(h, h, True, False)
        head = head + Part(0, h * head_spec.classes + head_spec.classes)
    else:
        head = Part(0, 0) if head_spec.tied else Part(e.vocab * h, 0)
    final_norm = Part(0, h * head_spec.final_norm.width_factor if head_spec.final_norm else 0)
    kinds = tuple(layer_params(layer, h) for layer in m.blocks)
    return ParamCount(embedding, head, final_norm, kinds, m, _formulas(m))


def _formulas(m: Model) -> dict[str, str]:
    attention = m.attention
    first = next((x for x in m.blocks if isinstance(x, TransformerLayer) and x.ffn is not None), None)
    norm = m.blocks[0].norm
    e = m.embeddings
    embedding = "vocab * hidden" + (" + (max_seq + position_offset) * hidden" if e.position == "learned" else "")
    if e.token_types:
        embedding += " + token_types * hidden"
    if e.norm is not None:
        embedding += " + embedding norm"
    out = {"embedding": embedding}
    if attention is not None:
        out["attention"] = ("q: hidden*heads*head_dim, k,v: hidden*kv_heads*head_dim each, "
                            "o: heads*head_dim*hidden (+ biases)" if attention.kind == "mha" else
                            "MLA: q_a, q_b, kv_a_with_mqa, kv_b, o projections + their norms")
    if first is not None:
        out["mlp"] = f"{'3' if first.ffn.gated else '2'} * hidden * ffn (+ biases)"
    if any(isinstance(x, Mamba2Layer) for x in m.blocks):
        out["mixer"] = ("Mamba-2: in_proj hidden*(2*inner + 2*groups*state + heads), conv1d over "
                        "inner + 2*groups*state channels, dt_bias, A_log, D per head, gated norm, out_proj inner*hidden")
    out["norms"] = f"norms_per_layer * hidden{' * 2' if norm.bias else ''} per layer + final norm"
    if m.head.kind == "classifier":
        out["head"] = ("pooler hidden*hidden + hidden, " if m.head.pooler else "") + "classifier hidden*classes + classes"
    else:
        out["head"] = "0 (tied to the embedding)" if m.head.tied else "vocab * hidden"
    moe = m.moe
    if moe is not None:
        out["experts"] = f"experts * {'3' if moe.gated else '2'} * hidden * expert_ffn per MoE layer"
        out["router"] = "hidden * experts" + (" (the score-correction bias is a buffer)" if moe.router_bias else "")
    return out
