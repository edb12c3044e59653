"""The blocks a model's stack is made of: typed, frozen, hashable.

A model is a sequence of layers; each layer is one block value. Layers that are equal are the
same kind (the engine evaluates each distinct block once), so "dense layers then MoE layers",
"every other layer local", "Mamba-2 with an attention layer every few" are all just sequences.
What each block costs (parameters, saved activations, FLOPs, KV or state cache) is written once
per block type in capplan.engine.blocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Norm:
    kind: str = "rmsnorm"       # rmsnorm | layernorm
    bias: bool = False
    # normalises in the autocast dtype (llm-foundry's LPLayerNorm); out of the repr, which calibration digests
    # hash (ir.fingerprint adds it)
    low_precision: bool = field(default=False, repr=False)

    @property
    def width_factor(self) -> int:
        """Parameters per element of the normalised vector: a scale, and a bias if any."""
        return 2 if self.bias else 1


@dataclass(frozen=True)
class Mla:
    """Multi-head latent attention sizes (DeepSeek-V2, arXiv:2405.04434, sec. 2.1)."""

    q_lora_rank: int | None
    kv_lora_rank: int
    qk_nope_head_dim: int
    qk_rope_head_dim: int
    v_head_dim: int


@dataclass(frozen=True)
class Attention:
    """Self-attention: MHA, GQA (kv_heads < heads), MQA (kv_heads = 1) or MLA; causal or not."""

    heads: int
    kv_heads: int
    head_dim: int
    kind: str = "mha"                 # mha | mla
    mla: Mla | None = None
    qkv_bias: bool = False
    out_bias: bool = False
    qk_norm: bool = False
    window: float | None = None       # sliding (local) window in tokens; None: global
    causal: bool = True               # False: bidirectional (encoders)
    dropout: float = 0.0              # dropout on the attention probabilities
    rope: bool = True                 # rotary embeddings applied inside the block


@dataclass(frozen=True)
class Mlp:
    """A dense feed-forward block: gated (3 matrices) or plain (2)."""

    ffn: int
    gated: bool = True
    bias: bool = False
    activation: str = "silu"


@dataclass(frozen=True)
class Moe:
    """A mixture-of-experts feed-forward block, with optional always-on shared experts."""

    experts: int
    top_k: int
    expert_ffn: int
    shared_ffn: int = 0
    shared_gate: bool = False
    router_bias: bool = False
    gated: bool = True
    bias: bool = False
    activation: str = "silu"
    # group-limited routing (n_group, topk_group); 1, 1: none. Out of repr: plans without it keep their
    # configuration digest (ir.fingerprint adds it)
    groups: int = field(default=1, repr=False)
    groups_per_token: int = field(default=1, repr=False)


@dataclass(frozen=True)
class Mamba2:
    """A Mamba-2 mixer (Dao & Gu 2024, arXiv:2405.21060): SSD state-space layer.

    in_proj maps hidden to [z, x, B, C, dt] = 2*inner + 2*groups*state + heads; a causal
    depthwise conv of `conv_kernel` runs over x, B, C; a gated RMSNorm over inner; out_proj back.
    """

    heads: int
    head_dim: int
    state: int
    groups: int = 1
    conv_kernel: int = 4
    chunk: int = 256
    bias: bool = False          # biases on in_proj / out_proj
    conv_bias: bool = True

    @property
    def inner(self) -> int:
        return self.heads * self.head_dim

    @property
    def conv_channels(self) -> int:
        return self.inner + 2 * self.groups * self.state


@dataclass(frozen=True)
class TransformerLayer:
    """A residual layer of attention and/or a feed-forward block (either may be absent).

    Pre-norm decoders (Llama, Mixtral, DeepSeek) and post-norm encoders (BERT: a LayerNorm
    after each residual add) have the same parameters; `post_norm` says which.
    Hybrid stacks use attention-only and MLP-only layers (Nemotron-H's `*` and `-`).
    """

    attention: Attention | None
    ffn: Mlp | Moe | None
    norm: Norm = Norm()
    norms: int = 2                    # norm modules in the layer (Gemma-2: 4; parallel blocks: 1)
    parallel: bool = False            # attention and MLP side by side on one norm (GPT-J, Falcon)
    dropout: float = 0.0              # residual-branch dropout
    post_norm: bool = False           # BERT-style: norm after the residual add
    code_path: str = "llama"          # whose transformers modeling code the activations follow

    @property
    def moe(self) -> Moe | None:
        return self.ffn if isinstance(self.ffn, Moe) else None

    @property
    def mlp(self) -> Mlp | None:
        return self.ffn if isinstance(self.ffn, Mlp) else None


@dataclass(frozen=True)
class Mamba2Layer:
    """A residual layer around a Mamba-2 mixer, with one pre-norm (Nemotron-H `M`, Mamba2 blocks)."""

    mixer: Mamba2
    norm: Norm = Norm()


Layer = TransformerLayer | Mamba2Layer
