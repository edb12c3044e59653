"""Exact parameter counts, per component and per layer kind.

The counts equal what Hugging Face transformers instantiates for the same
config.json (validated in tests/test_params.py against validation/data/
params.json, measured on the meta device). Each layer's parameters are split
into what tensor parallelism shards (weight matrices, column-parallel biases)
and what every tensor-parallel rank holds whole (norms, routers, row-parallel
biases), as in Megatron-LM's ColumnParallelLinear/RowParallelLinear.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from capplan.check.values import Obj

SOURCE = ("module shapes of transformers' LlamaForCausalLM, MixtralForCausalLM, Qwen2, Gemma2, "
          "GPT2LMHeadModel, OPT, Falcon, Phi3, DeepseekV3 (modeling_*.py)")


@dataclass(frozen=True)
class Part:
    """Parameters of one component: the tensor-parallel-sharded and the replicated share."""

    sharded: int = 0
    replicated: int = 0

    @property
    def total(self) -> int:
        return self.sharded + self.replicated

    def per_rank(self, tp: int) -> float:
        return self.sharded / tp + self.replicated

    def __add__(self, other: "Part") -> "Part":
        return Part(self.sharded + other.sharded, self.replicated + other.replicated)

    def times(self, n: int) -> "Part":
        return Part(self.sharded * n, self.replicated * n)


@dataclass(frozen=True)
class LayerParams:
    attention: Part
    mlp: Part = Part()            # dense MLP
    experts: Part = Part()        # routed experts (sharded by expert parallelism, not TP-replicated)
    shared_experts: Part = Part()
    router: Part = Part()
    norms: Part = Part()

    @property
    def total(self) -> int:
        return sum(p.total for p in (self.attention, self.mlp, self.experts, self.shared_experts,
                                     self.router, self.norms))


@dataclass
class ParamCount:
    embedding: Part
    head: Part
    final_norm: Part
    dense_layer: LayerParams | None
    moe_layer: LayerParams | None
    dense_layers: int
    moe_layers: int
    active_fraction_experts: float = 1.0   # experts_per_token / experts
    formulas: dict[str, str] = field(default_factory=dict)

    def layer(self, index: int) -> LayerParams:
        return self.dense_layer if index < self.dense_layers else self.moe_layer

    def components(self) -> dict[str, int]:
        out = {"embedding": self.embedding.total, "attention": 0, "mlp": 0, "experts": 0,
               "shared_experts": 0, "router": 0, "norms": self.final_norm.total, "head": self.head.total}
        for layer, count in ((self.dense_layer, self.dense_layers), (self.moe_layer, self.moe_layers)):
            if layer is None or count == 0:
                continue
            out["attention"] += layer.attention.total * count
            out["mlp"] += layer.mlp.total * count
            out["experts"] += layer.experts.total * count
            out["shared_experts"] += layer.shared_experts.total * count
            out["router"] += layer.router.total * count
            out["norms"] += layer.norms.total * count
        return out

    @property
    def total(self) -> int:
        return sum(self.components().values())

    @property
    def active(self) -> int:
        """Parameters one token touches: routed experts count experts_per_token / experts."""
        experts = self.components()["experts"]
        return self.total - experts + round(experts * self.active_fraction_experts)


def _linear(n_in: int, n_out: int, bias: bool, column: bool) -> Part:
    """A Linear layer: column-parallel shards its bias, row-parallel keeps it whole."""
    b = n_out if bias else 0
    return Part(n_in * n_out + (b if column else 0), 0 if column else b)


def _norm(m: Obj, width: int) -> int:
    return width * (2 if m.norm_bias else 1)


def attention_params(m: Obj) -> Part:
    h, hd = m.hidden, m.head_dim
    if m.attention == "mla":
        a = m.mla
        qk = a.qk_nope_head_dim + a.qk_rope_head_dim
        if a.q_lora_rank:
            # q_a_proj and q_a_layernorm are replicated in Megatron's MLA; q_b_proj is column-parallel.
            q = Part(0, h * a.q_lora_rank + a.q_lora_rank) + _linear(a.q_lora_rank, m.heads * qk, False, True)
        else:
            q = _linear(h, m.heads * qk, m.qkv_bias, True)
        kv_a = Part(0, h * (a.kv_lora_rank + a.qk_rope_head_dim) + a.kv_lora_rank)  # + kv_a_layernorm
        kv_b = _linear(a.kv_lora_rank, m.heads * (a.qk_nope_head_dim + a.v_head_dim), False, True)
        o = _linear(m.heads * a.v_head_dim, h, m.out_bias, False)
        return q + kv_a + kv_b + o
    q = _linear(h, m.heads * hd, m.qkv_bias, True)
    kv = _linear(h, 2 * m.kv_heads * hd, m.qkv_bias, True)
    o = _linear(m.heads * hd, h, m.out_bias, False)
    qk_norm = Part(0, 2 * hd) if m.qk_norm else Part()
    return q + kv + o + qk_norm


def mlp_params(m: Obj, ffn: int, bias: bool | None = None) -> Part:
    bias = m.mlp_bias if bias is None else bias
    up = _linear(m.hidden, ffn * (2 if m.mlp == "gated" else 1), bias, True)
    down = _linear(ffn, m.hidden, bias, False)
    return up + down


def count(m: Obj) -> ParamCount:
    """Parameters of an architecture model (see validate.is_architecture)."""
    h = m.hidden
    embedding = Part(m.vocab * h, 0)
    if m.position == "learned":
        embedding = embedding + Part(0, (int(m.max_seq) + m.position_offset) * h)
    head = Part(0, 0) if m.tied_embeddings else Part(m.vocab * h, 0)
    final_norm = Part(0, _norm(m, h) if m.final_norm else 0)
    attention = attention_params(m)
    norms = Part(0, m.norms_per_layer * _norm(m, h))
    moe = m.moe
    formulas = {
        "embedding": "vocab * hidden" + (" + (max_seq + position_offset) * hidden"
                                         if m.position == "learned" else ""),
        "attention": ("q: hidden*heads*head_dim, k,v: hidden*kv_heads*head_dim each, "
                      "o: heads*head_dim*hidden (+ biases)" if m.attention == "mha" else
                      "MLA: q_a, q_b, kv_a_with_mqa, kv_b, o projections + their norms"),
        "mlp": f"{'3' if m.mlp == 'gated' else '2'} * hidden * ffn (+ biases)",
        "norms": f"norms_per_layer * hidden{' * 2' if m.norm_bias else ''} per layer + final norm",
        "head": "0 (tied to the embedding)" if m.tied_embeddings else "vocab * hidden",
    }
    if moe.experts is None:
        dense = LayerParams(attention, mlp=mlp_params(m, m.ffn), norms=norms)
        return ParamCount(embedding, head, final_norm, dense, None, m.layers, 0, 1.0, formulas)
    expert = mlp_params(m, moe.expert_ffn)
    shared = mlp_params(m, moe.shared_ffn) if moe.shared_ffn else Part()
    if moe.shared_gate:
        shared = shared + Part(0, h)
    # DeepSeek-V3's e_score_correction_bias is a registered buffer in transformers, not a parameter:
    # it is not counted here (it is experts floats per MoE layer, a few KiB).
    router = Part(0, h * moe.experts)
    moe_layer = LayerParams(attention, experts=expert.times(moe.experts), shared_experts=shared,
                            router=router, norms=norms)
    dense_layer = LayerParams(attention, mlp=mlp_params(m, m.ffn), norms=norms) if moe.dense_layers else None
    formulas["experts"] = (f"experts * {'3' if m.mlp == 'gated' else '2'} * hidden * expert_ffn "
                           "per MoE layer")
    formulas["router"] = "hidden * experts" + (" (the score-correction bias is a buffer)" if moe.router_bias else "")
    return ParamCount(embedding, head, final_norm, dense_layer, moe_layer, moe.dense_layers,
                      m.layers - moe.dense_layers, moe.experts_per_token / moe.experts, formulas)


def lora_modules(targets) -> tuple[str, ...]:
    """The projections a `targets` value adapts: a group name or a list of names and groups."""
    from capplan.check.schema import LORA_GROUPS

    names = (targets,) if isinstance(targets, str) else tuple(targets)
    out: list[str] = []
    for name in names:
        for module in LORA_GROUPS.get(name, (name,)):
            if module not in out:
                out.append(module)
    return tuple(out)


def lora_adapter_params(m: Obj, rank: int, targets) -> int:
    """LoRA parameters of one layer: r * (in + out) per adapted matrix (Hu et al. 2021, sec. 4)."""
    h, d = m.hidden, m.head_dim
    dense_mlp = m.ffn is not None and m.moe.experts is None
    shapes = {"q": (h, m.heads * d), "k": (h, m.kv_heads * d), "v": (h, m.kv_heads * d), "o": (m.heads * d, h)}
    if dense_mlp:
        shapes.update(up=(h, m.ffn), down=(m.ffn, h))
        if m.mlp == "gated":
            shapes["gate"] = (h, m.ffn)
    return sum(rank * sum(shapes[mod]) for mod in lora_modules(targets) if mod in shapes)
