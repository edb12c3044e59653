"""What every block kind reports: parameter parts, saved tensors, the activation context."""

from __future__ import annotations

from dataclasses import dataclass


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
    attention: Part = Part()
    mlp: Part = Part()            # dense MLP
    experts: Part = Part()        # routed experts (sharded by expert parallelism, not TP-replicated)
    shared_experts: Part = Part()
    router: Part = Part()
    norms: Part = Part()
    mixer: Part = Part()          # a state-space mixer (Mamba-2)

    @property
    def total(self) -> int:
        return sum(p.total for p in (self.attention, self.mlp, self.experts, self.shared_experts,
                                     self.router, self.norms, self.mixer))

    def dense_per_rank(self, tp: int) -> float:
        """What one tensor-parallel rank holds of everything but the routed experts."""
        return (self.attention.per_rank(tp) + self.mlp.per_rank(tp) + self.norms.replicated
                + self.router.replicated + self.shared_experts.per_rank(tp) + self.mixer.per_rank(tp))

    def experts_per_rank(self, tp: int, ep: int) -> float:
        return self.experts.sharded / (tp * ep) + self.experts.replicated / ep


def linear(n_in: int, n_out: int, bias: bool, column: bool) -> Part:
    """A Linear layer: column-parallel shards its bias, row-parallel keeps it whole."""
    b = n_out if bias else 0
    return Part(n_in * n_out + (b if column else 0), 0 if column else b)


@dataclass(frozen=True)
class Saved:
    name: str
    bytes: float
    formula: str
    # Megatron-Core recompute modules (--recompute-modules) any one of which drops the tensor: it is then
    # recomputed in backward instead of kept (capplan.engine.layers.layer_bytes)
    dropped_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Context:
    """How a layer runs: tokens per rank, micro-batch, parallelism, dtypes, kernels, recompute."""

    seq: float          # tokens per sequence on this rank
    batch: int          # micro-batch size
    tp: int
    sp: bool            # sequence parallelism: non-tensor-parallel regions split by t too
    beta: float         # bytes per activation element (the matmul dtype)
    kernel: str         # flash | sdpa | eager
    recompute: str      # none | selective | full
    impl: str = "megatron"        # megatron (fused kernels) | transformers (PyTorch ops)
    residual: float = 0.0         # bytes of the residual stream (the weights' dtype); 0: beta
    modules: tuple[str, ...] = ("core_attn",)   # what selective recomputation recomputes (Megatron-Core's)
    fp8: bool = False             # Transformer Engine FP8 recipe: linear layers keep their inputs quantized
    norm_kernel: str = "torch"    # RMSNorm as PyTorch ops (transformers) or one fused kernel

    @property
    def recomputed(self) -> tuple[str, ...]:
        """The modules recomputed in backward: selective recomputation's; none otherwise."""
        return self.modules if self.recompute == "selective" else ()

    def __post_init__(self):
        if not self.residual:
            object.__setattr__(self, "residual", self.beta)

    @property
    def autocast(self) -> bool:
        return self.residual != self.beta

    def without_recompute(self) -> "Context":
        return Context(self.seq, self.batch, self.tp, self.sp, self.beta, self.kernel, "none", self.impl,
                       self.residual, self.modules, self.fp8, self.norm_kernel)


@dataclass(frozen=True)
class LayerFlops:
    """Forward FLOPs of one layer per token: matmuls with weights, and the sequence-dependent part."""

    matmul_params: float          # parameters a token multiplies with (MoE: the active experts)
    mixing: float                 # FLOPs per token that grow with the sequence (attention scores), per token of context
    fixed: float = 0.0            # other FLOPs per token (a state-space scan)
