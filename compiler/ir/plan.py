"""The typed plan: hardware, precision, layout, framework and workload, resolved once.

Lowering (capplan.ir.lower) builds these from checked declarations; the engine, the search,
reports and tools read only these. Every derived figure that used to be recomputed in several
places (usable memory, the data-parallel degree, micro-batches per step, the effective ZeRO
stage, link bandwidths, the price) is a field here, computed once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from capplan.check.values import Format
from capplan.core.source import Span
from capplan.ir.model import Model


@dataclass(frozen=True)
class Gpu:
    name: str
    display_name: str
    memory: float                      # bytes, as the data sheet states it
    usable: float                      # bytes programs may allocate (memory_usable, else memory)
    memory_unit: str                   # GB or GiB: how the data sheet counts, for messages
    bandwidth: float                   # bytes/s
    peak: dict = field(default_factory=dict, compare=False)   # precision -> dense FLOP/s
    link: float | None = None          # intra-node bytes/s, both directions summed
    power: float | None = None         # W
    price: float | None = None         # USD per GPU-second
    purchase_price: float | None = None   # USD per GPU, its server share included
    nvlink_domain: int = 8             # GPUs on one NVLink fabric in its usual system (HGX: 8, GB200 NVL72: 72)
    matmul_achievable: float | None = None   # share of the dense peak the fastest matmul reaches (measured)
    architecture: str | None = None    # chip generation (ampere, ada, hopper, blackwell, cdna3)


@dataclass(frozen=True)
class Hardware:
    """The GPUs a workload runs on: a cluster's, or `gpu` x `gpus`."""

    gpu: Gpu
    gpus: int
    per_node: int
    cluster: str | None = None
    intra_node: float | None = None    # bytes/s both directions summed (the cluster's, else the GPU's link)
    inter_node: float | None = None    # bytes/s per GPU per direction, if the cluster says
    price: float | None = None         # USD per GPU-second (the cluster's, else the GPU's)

    @property
    def nodes(self) -> int:
        return -(-self.gpus // self.per_node)


@dataclass(frozen=True)
class Precision:
    name: str
    weights: Format
    gradients: Format
    master_weights: Format
    optimizer_states: Format
    activations: Format
    kv_cache: Format
    compute: str | None = None


@dataclass(frozen=True)
class Layout:
    """Every parallel degree and memory-saving switch of a training plan."""

    tensor: int = 1
    pipeline: int = 1
    data: int = 1
    context: int = 1
    expert: int = 1
    zero: int = 0                      # effective stage: FSDP full sharding counts as 3
    fsdp: bool = False
    distributed_optimizer: bool = False
    sequence_parallel: bool = False
    schedule: str = "1f1b"
    virtual_stages: int = 1            # as written
    layers_per_stage: tuple[int, ...] | None = None
    recompute: str = "none"
    offload: str = "none"
    # what selective recomputation recomputes (Megatron-Core's --recompute-modules; default core_attn);
    # out of repr so that plans without it keep their configuration digest (ir.fingerprint adds it)
    recompute_modules: tuple[str, ...] = field(default=("core_attn",), repr=False)
    expert_tensor: int | None = field(default=None, repr=False)    # None: the tensor degree (Megatron's default)
    # under full recomputation, the layers of each model chunk recomputed (Megatron's block method); None: all
    recompute_layers: int | None = field(default=None, repr=False)

    @property
    def etp(self) -> int:
        """Tensor-parallel ranks of each routed expert: `expert_tensor`, or the tensor degree."""
        return self.expert_tensor or self.tensor

    @property
    def recomputed(self) -> tuple[str, ...]:
        """The modules recomputed in backward under selective recomputation; none otherwise."""
        return self.recompute_modules if self.recompute == "selective" else ()

    @property
    def chunks(self) -> int:
        """Model chunks per pipeline rank: virtual stages under the interleaved schedule, else 1."""
        return self.virtual_stages if self.schedule == "interleaved" else 1


@dataclass(frozen=True)
class Calibration:
    """A `calibration` block a plan's framework names: constants fitted to measurements."""

    name: str
    fitted_from: str
    fit_error: float | None
    samples: int | None
    constants: tuple[tuple[str, float], ...]
    configuration: str | None = None        # the digest of the plan measured (ir.fingerprint)
    spread: tuple[float, float] | None = None   # measured step time: p10 below, p90 above the median (shares)


@dataclass(frozen=True)
class Framework:
    implementation: str = "transformers"
    attention: str = "flash"
    loss_upcast: bool = True
    loss_kernel: str = "torch"         # torch (log-softmax + nll), fused or fused_inplace (flash-attn's kernel)
    optimizer_impl: str = "auto"           # foreach, fused, for_loop; auto: the runtime's (engine.lifetimes)
    grads_freed: bool = True
    runtime: str = "auto"              # pytorch, megatron, deepspeed, fsdp; auto: inferred (engine.lifetimes)
    bucket_view: bool = False          # DDP gradient_as_bucket_view
    first_step: bool = False           # size the first step: optimizer states created inside it
    overlap_grad_reduce: bool = True   # gradient reduction behind the last micro-batch's backward
    overlap_param_gather: bool = True  # a sharded optimizer's parameter all-gather behind forward
    tp_comm_overlap: bool = False      # TP all-gathers / reduce-scatters chunked under their GEMMs (TE)
    ep_comm_overlap: bool = False      # EP all-to-alls under an adjacent micro-batch's compute (combined 1F1B)
    moe_dispatcher: str = field(default="alltoall", repr=False)   # alltoall | deepep (ir.fingerprint adds it)
    # Megatron-LM 2021-23 --scatter-gather-tensors-in-pipeline (ir.fingerprint adds it)
    pipeline_scatter_gather: bool = field(default=False, repr=False)
    activation_rule: float | None = None
    last_logits_only: bool = True
    scheduler: str = field(default="vllm", repr=False)   # serving: vllm | sglang | tensorrt_llm (engine.serving_sim)
    norm_kernel: str = field(default="torch", repr=False)   # RMSNorm: torch ops | fused (ir.fingerprint adds it)
    # full recomputation's checkpoint stops early (PyTorch non-reentrant); None: by runtime (ir.fingerprint adds it)
    checkpoint_early_stop: bool | None = field(default=None, repr=False)
    # assumed constants the spec overrides (capplan.core.constants names -> value)
    overrides: tuple[tuple[str, float], ...] = ()
    calibration: Calibration | None = None   # where calibrated overrides come from



    def constant(self, const) -> float:
        """The value of a capplan.core.constants.Constant for this plan: the spec's, else the default."""
        for key, value in self.overrides:
            if key == const.name:
                return value
        return const.value


@dataclass(frozen=True)
class Lora:
    rank: int
    targets: object                    # a group name, or a tuple of projection names
    alpha: float = 8
    dropout: float = 0.0


@dataclass(frozen=True)
class Training:
    name: str
    span: Span
    model: Model
    hardware: Hardware
    precision: Precision
    layout: Layout
    framework: Framework
    optimizer: str
    seq_len: float
    micro_batch: int
    global_batch: int
    microbatches: int                  # micro-batches per step on each data-parallel rank
    tokens: float | None = None
    lora: Lora | None = None
    kind: str = "training"

    def with_layout(self, layout: Layout, micro_batch: int | None = None, seq_len: float | None = None,
                    hardware: Hardware | None = None) -> "Training":
        """The same plan with another layout (and micro-batch, sequence or hardware)."""
        mb = self.micro_batch if micro_batch is None else micro_batch
        hw = self.hardware if hardware is None else hardware
        return replace(self, layout=layout, micro_batch=mb, hardware=hw,
                       seq_len=self.seq_len if seq_len is None else seq_len,
                       microbatches=self.global_batch // (mb * layout.data))


@dataclass(frozen=True)
class Inference:
    name: str
    span: Span
    model: Model
    hardware: Hardware
    precision: Precision | None
    weights: Format                    # resolved: the plan's, else the recipe's, else bf16
    kv_cache: Format
    dense: str                         # the format of activations and unquantized tensors
    framework: Framework
    tensor: int
    pipeline: int
    context: float
    prompt: float | None
    output: float | None
    batch: int
    memory_utilization: float
    block_size: float | None
    prefill_chunk: float | None
    requests: float | None = None
    target_ttft: float | None = None
    target_tpot: float | None = None
    mode: str = "generate"             # generate | forward (one pass, every position's logits)
    cache: str = "paged"               # paged (vLLM) | dynamic | static (transformers' caches)
    loss: bool = False                 # forward: the loss upcasts the logits to fp32
    use_cache: bool = True             # forward: the pass builds a KV cache of the prompt
    kind: str = "inference"


Workload = Training | Inference
