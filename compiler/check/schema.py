"""What each kind of declaration may contain: fields, types, dimensions, defaults.

The grammar only knows `KIND NAME { name = value ... }`; this table gives the
words meaning. Adding a field is one line here (plus its use in the engine).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from capplan.check.units import Dims, dims_of
from capplan.core.constants import overridable

# Field types
QUANTITY = "quantity"   # a number with a unit of one of `dims`
COUNT = "count"         # a positive whole number, no unit
NUMBER = "number"       # a plain number, no unit
FRACTION = "fraction"   # a ratio in [0, 1]; `5 %` or `0.05`
BOOL = "bool"
ENUM = "enum"           # one of `choices`, written as a bare word
REF = "ref"             # the name of a declaration of kind `ref_kind`
STRING = "string"
BLOCK = "block"         # a sub-block with its own schema
FORMAT = "format"       # a numeric format: `bf16` or `int4 { group = 128 }`
COUNTS = "counts"       # a list of whole numbers


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    doc: str
    dims: tuple[Dims, ...] = ()
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()
    ref_kind: str | None = None
    block: "BlockSchema | None" = None
    example: str = ""
    allow_zero: bool = False
    many: bool = False      # ENUM only: a list of choices is accepted too (`targets = [q, v]`)


@dataclass(frozen=True)
class BlockSchema:
    name: str
    doc: str
    fields: dict[str, Field] = field(default_factory=dict)


def _schema(name: str, doc: str, *fields: Field) -> BlockSchema:
    return BlockSchema(name, doc, {f.name: f for f in fields})


def q(name, dims, doc, example, **kw) -> Field:
    dims_tuple = tuple(dims_of(d) for d in (dims if isinstance(dims, tuple) else (dims,)))
    return Field(name, QUANTITY, doc, dims=dims_tuple, example=example, **kw)


INFORMATION = "information"
RATE = "information/time"

FORMATS = ("fp64", "fp32", "tf32", "bf16", "fp16", "fp8", "fp8_e4m3", "fp8_e5m2", "int8",
           "int4", "nf4", "fp4", "none")
FORMAT_OPTIONS = _schema(
    "format", "Options of a quantized format, e.g. `int4 { group = 128 }`.",
    Field("group", COUNT, "elements sharing one scale (and zero point)"),
    Field("scale", ENUM, "format of each group's scale (default fp16; fp32 for nf4 as in bitsandbytes)",
          choices=("fp32", "bf16", "fp16", "fp8", "int8")),
    Field("zero_point", BOOL, "whether each group also stores a zero point (asymmetric quantization)", default=False),
    Field("double_quant", BOOL, "QLoRA double quantization: the scales themselves quantized to 8 bits "
          "in blocks of 256", default=False),
)

ARCHITECTURES, PRECISIONS, LOSS_KERNELS = (("ampere", "ada", "hopper", "blackwell", "cdna3"), ("fp64", "fp32", "tf32",
                                           "bf16", "fp16", "fp8", "int8", "fp4"), ("torch", "fused", "fused_inplace"))

GPU = _schema(
    "gpu", "A GPU model, from its vendor's data sheet.",
    Field("name", STRING, "the product name"),
    Field("vendor", STRING, "the vendor"),
    Field("architecture", ENUM, "chip generation (FlashAttention-2 runs below Hopper's peak)", choices=ARCHITECTURES),
    q("memory", INFORMATION, "device memory as the data sheet states it", "80 GiB", required=True),
    q("memory_usable", INFORMATION, "memory the driver lets programs allocate (nvidia-smi's total)",
      "81559 MiB"),
    q("memory_bandwidth", RATE, "device memory bandwidth", "3.35 TB/s", required=True),
    Field("peak", BLOCK, "dense peak throughput per precision (no sparsity)", block=_schema(
        "peak", "Dense peak FLOP/s per numeric precision.",
        *(q(p, "compute/time", f"dense {p} peak", "989 TFLOP/s") for p in PRECISIONS))),
    Field("matmul_achievable", FRACTION, "share of the dense peak the fastest matmul reaches on this GPU (measured: "
          "MAMF / peak); matmul efficiencies are shares of this rate (unset: the default)", example="80.3 %"),
    q("link", RATE, "intra-node GPU-to-GPU bandwidth per GPU, both directions summed (NVLink, xGMI)", "900 GB/s"),
    q("pcie", RATE, "host link bandwidth per direction", "64 GB/s"),
    Field("nvlink_domain", COUNT, "GPUs on one NVLink fabric in the GPU's usual system (an HGX/DGX baseboard: 8; "
          "GB200 NVL72: 72): a plan that names `gpu` and `gpus` without a cluster is taken as servers of this "
          "many", default=8),
    q("power", "energy/time", "board power (TDP/TBP)", "700 W"),
    q("price", ("currency/time", "currency/gpu/time"), "price per GPU-hour (an assumption: cite it)", "2.49 USD/h"),
    q("purchase_price", ("currency", "currency/gpu"), "purchase price per GPU, its share of the server (CPUs, "
      "NICs, switches) included, for the owned cost (an assumption: cite it)", "33750 USD"),
)

CLUSTER = _schema(
    "cluster", "A set of identical nodes.",
    Field("name", STRING, "a display name"),
    Field("gpu", REF, "the GPU in every node", ref_kind="gpu", required=True),
    Field("gpus_per_node", COUNT, "GPUs in one node", default=8),
    Field("nodes", COUNT, "number of nodes", default=1),
    q("intra_node", RATE, "GPU-to-GPU bandwidth inside a node (defaults to the GPU's link)", "900 GB/s"),
    q("inter_node", RATE, "network bandwidth per GPU between nodes, per direction", "400 Gbit/s"),
    q("price", ("currency/time", "currency/gpu/time"), "price per GPU-hour, overriding the GPU's",
      "2.49 USD/h"),
)

MOE = _schema(
    "moe", "Mixture of experts in the MLP.",
    Field("experts", COUNT, "routed experts per MoE layer", required=True),
    Field("experts_per_token", COUNT, "routed experts each token uses (top-k)", required=True),
    Field("expert_ffn", COUNT, "intermediate size of one expert", required=True),
    Field("shared_experts", COUNT, "experts every token uses", default=0, allow_zero=True),
    Field("shared_ffn", COUNT, "intermediate size of the shared experts together "
          "(defaults to shared_experts * expert_ffn)"),
    Field("shared_gate", BOOL, "a sigmoid gate (hidden -> 1) on the shared experts (Qwen2-MoE)", default=False),
    Field("dense_layers", COUNT, "leading layers with a dense MLP of size `ffn` instead of experts",
          default=0, allow_zero=True),
    Field("router_bias", BOOL, "a per-expert router score bias (DeepSeek-V3 e_score_correction_bias)", default=False),
    Field("groups", COUNT, "expert groups of group-limited routing (DeepSeek's n_group; Megatron-Core's "
          "--moe-router-num-groups): each token's experts come from `groups_per_token` of them"),
    Field("groups_per_token", COUNT, "groups each token's experts are chosen from (DeepSeek's topk_group; "
          "Megatron-Core's --moe-router-group-topk)"),
)

MLA = _schema(
    "mla", "Multi-head latent attention (DeepSeek-V2/V3).",
    Field("q_lora_rank", COUNT, "rank of the query compression (absent: queries not compressed)"),
    Field("kv_lora_rank", COUNT, "rank of the joint key/value compression", required=True),
    Field("qk_nope_head_dim", COUNT, "per-head query/key size without rotary", required=True),
    Field("qk_rope_head_dim", COUNT, "per-head query/key size with rotary", required=True),
    Field("v_head_dim", COUNT, "per-head value size", required=True),
)

MAMBA = _schema(
    "mamba", "Mamba-2 mixer sizes (Dao & Gu 2024) for the `M` layers of a hybrid `pattern`.",
    Field("heads", COUNT, "SSM heads (config.json mamba_num_heads)", required=True),
    Field("head_dim", COUNT, "size of one SSM head (mamba_head_dim)", required=True),
    Field("state", COUNT, "state size per group (ssm_state_size)", required=True),
    Field("groups", COUNT, "groups sharing B and C (n_groups)", default=1),
    Field("conv_kernel", COUNT, "depthwise convolution width (conv_kernel)", default=4),
    Field("chunk", COUNT, "SSD chunk length (chunk_size)", default=256),
    Field("bias", BOOL, "biases on in_proj and out_proj (use_bias)", default=False),
    Field("conv_bias", BOOL, "a bias on the convolution (use_conv_bias)", default=True),
)

LAYER_KINDS = {"T": "attention + MLP (a transformer layer)", "M": "Mamba-2 mixer", "*": "attention only",
               "-": "MLP only"}

MODEL = _schema(
    "model", "A transformer language model, by architecture or by bare parameter count.",
    Field("name", STRING, "the published name, e.g. the Hugging Face id"),
    Field("source", STRING, "where the numbers come from (config.json URL, paper)"),
    q("params", "parameter", "total parameters, for a rule-of-thumb model without architecture",
      "13 Gparam"),
    Field("layers", COUNT, "transformer layers (decoder blocks)"),
    Field("hidden", COUNT, "hidden size (d_model)"),
    Field("heads", COUNT, "attention (query) heads"),
    Field("kv_heads", COUNT, "key/value heads (GQA; 1 = MQA; defaults to heads)"),
    Field("head_dim", COUNT, "size of one head (defaults to hidden / heads)"),
    Field("ffn", COUNT, "MLP intermediate size (of the dense layers)"),
    Field("mlp", ENUM, "gated (SwiGLU/GeGLU: 3 matrices) or plain (2 matrices)",
          choices=("gated", "plain"), default="gated"),
    Field("activation", ENUM, "MLP activation (gelu_new: transformers' composed tanh GELU of GPT-2)",
          choices=("silu", "gelu", "gelu_tanh", "gelu_new", "relu", "relu2"), default="silu"),
    Field("vocab", COUNT, "vocabulary size (rows of the embedding)"),
    Field("tied_embeddings", BOOL, "output head shares the input embedding", default=False),
    Field("norm", ENUM, "normalisation (low_precision_layernorm: llm-foundry's LPLayerNorm, run in the autocast "
          "dtype)", choices=("rmsnorm", "layernorm", "low_precision_layernorm"), default="rmsnorm"),
    Field("norms_per_layer", COUNT, "norms per layer (2 pre-norm; 4 Gemma-2's pre+post; 1 parallel)", default=2),
    Field("final_norm", BOOL, "a norm after the last layer", default=True),
    Field("norm_bias", BOOL, "norms have a bias (LayerNorm usually does; defaults by `norm`)"),
    Field("qk_norm", BOOL, "per-head RMSNorm on queries and keys (Qwen3, OLMo-2)", default=False),
    Field("qkv_bias", BOOL, "bias on the query/key/value projections", default=False),
    Field("out_bias", BOOL, "bias on the attention output projection", default=False),
    Field("mlp_bias", BOOL, "biases in the MLP", default=False),
    Field("position", ENUM, "position encoding", choices=("rope", "learned", "alibi", "none"), default="rope"),
    q("max_seq", "token", "longest sequence (learned positions: rows of the position table)",
      "4096 tokens"),
    Field("position_offset", COUNT, "extra rows in a learned position table (OPT: 2)", default=0,
          allow_zero=True),
    Field("parallel_block", BOOL, "attention and MLP side by side on one norm (GPT-J, Falcon)", default=False),
    Field("rope_base", NUMBER, "RoPE base frequency θ (config.json `rope_theta`; frameworks default to 10000)"),
    Field("rope_scaling", ENUM, "RoPE frequency scaling for long context (config.json `rope_scaling`)",
          choices=("none", "llama3", "linear", "dynamic", "yarn", "longrope"), default="none"),
    Field("rope_scaling_factor", NUMBER, "the factor of `rope_scaling` (Llama-3.1: 8)"),
    Field("norm_eps", NUMBER, "epsilon of every norm (config.json `rms_norm_eps` or `layer_norm_eps`)"),
    Field("attention", ENUM, "attention kind", choices=("mha", "mla"), default="mha"),
    Field("code_path", ENUM, "which transformers modeling code its activations follow: llama "
          "(modeling_llama and its copies) or gpt2 (fused c_attn, softmax in the input dtype)",
          choices=("llama", "gpt2"), default="llama"),
    Field("mla", BLOCK, "multi-head latent attention sizes", block=MLA),
    Field("moe", BLOCK, "mixture-of-experts MLP", block=MOE),
    Field("dropout", FRACTION, "dropout probability on the residual branches during training "
          "(GPT-3: 0.1; most recent models: 0)", default=0.0),
    Field("attention_dropout", FRACTION, "dropout probability on the attention probabilities (default: `dropout`)"),
    q("sliding_window", "token", "sliding attention window", "4096 tokens"),
    Field("sliding_window_layers", COUNT, "how many layers use the window (defaults to all)"),
    Field("pattern", STRING, "hybrid stacks: one letter per layer, T attention + MLP, M Mamba-2, * attention "
          "only, - MLP only (Nemotron-H's hybrid_override_pattern); absent: every layer T", example='"M-M-M*-"'),
    Field("mamba", BLOCK, "Mamba-2 mixer sizes for `M` layers", block=MAMBA),
    Field("bidirectional", BOOL, "attention sees the whole sequence (encoders: BERT, RoBERTa)", default=False),
    Field("post_norm", BOOL, "a norm after each residual add instead of before each block (BERT)", default=False),
    Field("token_types", COUNT, "rows of a token-type (segment) embedding (BERT: 2, RoBERTa: 1)"),
    Field("embedding_norm", BOOL, "a norm on the sum of the embeddings (BERT, RoBERTa)", default=False),
    Field("pooler", BOOL, "a pooler (dense hidden -> hidden, tanh) on the first token (BERT)", default=False),
    Field("classes", COUNT, "a classification head with this many outputs instead of a language-model head"),
)

PRECISION = _schema(
    "precision", "Numeric formats per tensor class: a mixed-precision recipe.",
    Field("weights", FORMAT, "the weights the forward pass reads", required=True),
    Field("gradients", FORMAT, "gradients as accumulated (Megatron main_grad: fp32)"),
    Field("master_weights", FORMAT, "the optimizer's copy of the weights (none: updates the weights)",
          default="none"),
    Field("optimizer_states", FORMAT, "each optimizer state (Adam's m and v)"),
    Field("activations", FORMAT, "activations saved for backward"),
    Field("kv_cache", FORMAT, "the inference KV cache"),
    Field("compute", ENUM, "the precision the matrix units run at", choices=PRECISIONS),
)

# Megatron-Core's --recompute-modules (megatron/core/transformer/transformer_config.py, recompute_modules)
RECOMPUTE_MODULES = ("core_attn", "mlp", "moe", "moe_act", "shared_experts", "layernorm", "mla_up_proj")

PARALLEL = _schema(
    "parallel", "How the work is split across GPUs.",
    Field("tensor", COUNT, "tensor-parallel ranks (Megatron column/row split)", default=1),
    Field("pipeline", COUNT, "pipeline stages", default=1),
    Field("data", COUNT, "data-parallel replicas (defaults to what the GPUs leave)"),
    Field("context", COUNT, "context-parallel ranks (sequence split across GPUs)", default=1),
    Field("expert", COUNT, "expert-parallel ranks (taken out of data parallelism)", default=1),
    Field("expert_tensor", COUNT, "tensor-parallel ranks of each expert (Megatron-Core's "
          "--expert-tensor-parallel-size; defaults to `tensor`; 1: whole experts, no TP collectives around them)"),
    Field("sequence_parallel", BOOL, "Megatron sequence parallelism with tensor parallelism", default=False),
    Field("zero", COUNT, "ZeRO stage 0-3 over the data-parallel group", default=0, allow_zero=True),
    Field("fsdp", BOOL, "PyTorch FSDP full sharding (same memory as ZeRO-3)", default=False),
    Field("distributed_optimizer", BOOL, "Megatron's distributed optimizer (ZeRO-1 for the fp32 "
          "master weights and optimizer states)", default=False),
    Field("schedule", ENUM, "pipeline schedule (zb1p, zbh2: zero bubble, Qi et al. 2024; dualpipe(v): DeepSeek's)",
          choices=("1f1b", "interleaved", "gpipe", "zb1p", "zbh2", "dualpipe", "dualpipev"), default="1f1b"),
    Field("virtual_stages", COUNT, "model chunks per pipeline rank (interleaved schedule)", default=1),
    Field("layers_per_stage", COUNTS, "uneven split: layers on each pipeline stage"),
    Field("recompute", ENUM, "activation recomputation (selective_op: torchtitan's per-op policy)",
          choices=("none", "selective", "full", "selective_op"), default="none"),
    Field("recompute_modules", ENUM, "what selective recomputation recomputes, as Megatron-Core's "
          "--recompute-modules: core_attn (the default), mlp, moe, moe_act, shared_experts, layernorm, "
          "mla_up_proj", choices=RECOMPUTE_MODULES, many=True, example="[mla_up_proj, mlp, moe]"),
    Field("recompute_layers", COUNT, "with full: recompute only each stage chunk's first N layers (Megatron's block)"),
    Field("offload", ENUM, "CPU offload (ZeRO-Offload / ZeRO-Infinity)",
          choices=("none", "optimizer", "optimizer_and_params"), default="none"),
)

def assumption_fields(workload: str) -> list[Field]:
    """A `framework` field for every constant of capplan.core.constants this workload may override:
    the schema is generated from the registry, so every assumption is overridable in a spec."""
    out = []
    for c in overridable(workload):
        doc = f"{c.doc} (default {c.example}: {c.source})"
        if c.dims == "fraction":
            out.append(Field(c.name, FRACTION, doc, example=c.example))
        elif c.dims == "number":
            out.append(Field(c.name, NUMBER, doc, example=c.example))
        else:
            out.append(q(c.name, c.dims, doc, c.example, allow_zero=True))
    return out


FRAMEWORK = _schema(
    "framework", "Framework behaviour that moves the peak; PyTorch's by default.",
    Field("implementation", ENUM, "whose kernels run the layers: transformers (PyTorch ops, as "
          "measured in validation/) or megatron (fused kernels, Korthikanti et al. 2022)",
          choices=("transformers", "megatron"), default="transformers"),
    Field("attention", ENUM, "attention kernel: flash (the GPU's native: FA-3/cuDNN on Hopper), flash2 (FA-2's) and "
          "sdpa keep no s*s scores, eager does", choices=("flash", "flash2", "sdpa", "eager"), default="flash"),
    Field("loss_upcast", BOOL, "the loss casts logits to fp32 (transformers' ForCausalLMLoss does)", default=True),
    Field("loss_kernel", ENUM, "cross entropy: torch (log-softmax + nll), or flash-attn's fused kernel over the 16-bit "
          "logits (fused; fused_inplace writes their gradient in place)", choices=LOSS_KERNELS, default="torch"),
    Field("checkpoint_early_stop", BOOL, "full recomputation stops once the backward's tensors are rebuilt (PyTorch's "
          "non-reentrant checkpoint; default: FSDP plans of PyTorch ops)"),
    Field("norm_kernel", ENUM, "RMSNorm: torch (PyTorch ops, an fp32 input copy kept) or fused (one kernel keeping "
          "its input and the fp32 1/rms: torchtitan's fused_rmsnorm)", choices=("torch", "fused"), default="torch"),
    Field("optimizer_impl", ENUM, "optimizer implementation: foreach (multi-tensor) holds a temporary the size of "
          "all parameters during the step, for_loop (single-tensor, foreach=False) two to three times the largest "
          "parameter tensor, fused none; auto: the runtime's own (Megatron and DeepSpeed build a FusedAdam, "
          "PyTorch's AdamW defaults to foreach)", choices=("auto", "foreach", "fused", "for_loop"), default="auto"),
    Field("grads_freed", BOOL, "zero_grad(set_to_none=True): gradients do not survive between steps "
          "(runtimes that keep persistent gradient buffers, Megatron's main_grad and DDP's bucket views, "
          "keep them whatever this says)", default=True),
    Field("runtime", ENUM, "the training runtime, whose buffer lifetimes the memory follows: pytorch "
          "(DDP, as transformers' Trainer runs data parallelism), megatron (Megatron-LM/Megatron-Core), "
          "deepspeed (ZeRO 1-3, offload), fsdp (PyTorch FSDP); auto infers it from implementation, "
          "distributed_optimizer, fsdp, zero and offload", choices=("auto", "pytorch", "megatron", "deepspeed", "fsdp"),
          default="auto"),
    Field("gradient_as_bucket_view", BOOL, "PyTorch DDP's gradient_as_bucket_view: gradients are views "
          "into DDP's flat buckets (kept between steps) instead of a second, gradient-sized copy",
          default=False),
    Field("overlap_grad_reduce", BOOL, "the data-parallel gradient reduction runs bucket by bucket during the "
          "last micro-batch's backward pass, so only what that pass cannot hide (at least one bucket) adds to the "
          "step (Megatron-Core's --overlap-grad-reduce, on in NeMo's and Megatron Bridge's recipes; PyTorch DDP "
          "always overlaps); false: the whole reduction follows the backward pass", default=True),
    Field("overlap_param_gather", BOOL, "the parameter all-gather of a sharded optimizer (distributed optimizer, "
          "ZeRO) runs behind forward compute (Megatron-Core's --overlap-param-gather; ZeRO-3's prefetch); "
          "false: it follows the optimizer step (ZeRO-3: before each layer's use)", default=True),
    Field("tp_comm_overlap", BOOL, "tensor-parallel all-gathers and reduce-scatters split into chunks that run "
          "under the GEMMs they feed or follow, forward and backward (Megatron's --tp-comm-overlap, Transformer "
          "Engine userbuffers; needs sequence parallelism, otherwise ignored); false: only the backward "
          "collectives hide, behind the weight-gradient GEMMs", default=False),
    Field("ep_comm_overlap", BOOL, "expert-parallel all-to-alls (token dispatch and combine) of one micro-batch "
          "run under the forward or backward compute of an adjacent one (Megatron-Core's "
          "--overlap-moe-expert-parallel-comm, combined 1F1B); the warm-up and cool-down micro-batches pair with "
          "none; not with full recomputation, which that schedule does not run with; false: every all-to-all is on "
          "the critical path, as in Megatron-Core's default", default=False),
    Field("moe_dispatcher", ENUM, "how MoE tokens reach their experts across nodes: alltoall (Megatron-Core's "
          "all-to-all: a copy per routed expert) or deepep (DeepEP via the flex dispatcher: a copy per destination "
          "node, forwarded over NVLink)", choices=("alltoall", "deepep"), default="alltoall"),
    Field("pipeline_scatter_gather", BOOL, "without sequence parallelism each tensor-parallel rank sends 1/TP of a "
          "stage's activations, all-gathered over TP on arrival (Megatron-LM's --scatter-gather-tensors-in-pipeline, "
          "default from 2021-02 to 2023-03; Narayanan et al. 2021 sec. 4.1); false: whole tensors, as Megatron-Core",
          default=False),
    Field("first_step", BOOL, "size the first optimizer step, where the states are created lazily: no "
          "optimizer states during its forward and backward passes, allocated inside the step", default=False),
    Field("calibration", REF, "constants fitted to your own measurements (`capplan calibrate` writes the "
          "block); a constant written in this framework block wins over the calibration's", ref_kind="calibration"),
    Field("activation_rule", NUMBER, "rule of thumb instead of the derivation: activation bytes per "
          "layer = activation_rule * seq * micro_batch * hidden (seed 000/002 use 40)"),
    *assumption_fields("training"),
)

LORA_GROUPS = {"all": ("q", "k", "v", "o", "gate", "up", "down"), "attention": ("q", "k", "v", "o"),
               "mlp": ("gate", "up", "down"), "qv": ("q", "v")}
LORA_TARGETS = tuple(LORA_GROUPS) + ("q", "k", "v", "o", "gate", "up", "down")

LORA = _schema(
    "lora", "Low-rank adapters (LoRA; QLoRA with a quantized `weights` format): the base is frozen.",
    Field("rank", COUNT, "adapter rank r: each target matrix (in x out) gains r * (in + out) parameters",
          required=True),
    Field("targets", ENUM, "which linear layers get adapters: a group (all, attention = q k v o, mlp = gate up "
          "down, qv: the query and value projections as in the LoRA paper) or a list of projections, e.g. "
          "`[q, v]`", choices=LORA_TARGETS, default="all", many=True, example="[q, k, v, o]"),
    Field("alpha", NUMBER, "scaling numerator: the adapter's output is scaled by alpha / rank (peft lora_alpha, "
          "default 8); changes no memory", default=8),
    Field("dropout", FRACTION, "dropout on the adapter's input during training (peft lora_dropout, default 0); "
          "its mask and input copy per adapted matrix are not in the memory estimate yet", default=0.0),
)

OPTIMIZERS = ("adamw", "adam", "adamw_8bit", "sgd", "sgd_momentum", "adafactor", "lion")

TRAINING = _schema(
    "training", "A training job: model, hardware, precision, batch and layout.",
    Field("model", REF, "the model", ref_kind="model", required=True),
    Field("cluster", REF, "the cluster (or give `gpu` and `gpus`)", ref_kind="cluster"),
    Field("gpu", REF, "the GPU, with `gpus`", ref_kind="gpu"),
    Field("gpus", COUNT, "number of GPUs, with `gpu`: servers of 8 on the default network when more than 8 "
          "(name a cluster to say otherwise)"),
    Field("precision", REF, "the mixed-precision recipe", ref_kind="precision", required=True),
    Field("optimizer", ENUM, "the optimizer", choices=OPTIMIZERS, default="adamw"),
    q("seq_len", "token", "sequence length", "4096 tokens", required=True),
    Field("micro_batch", COUNT, "sequences per micro-batch per data-parallel rank", default=1),
    Field("global_batch", COUNT, "sequences per optimizer step, all replicas"),
    q("tokens", "token", "tokens to train on", "2 Ttoken"),
    Field("parallel", BLOCK, "the parallel layout", block=PARALLEL),
    Field("framework", BLOCK, "framework behaviour", block=FRAMEWORK),
    Field("lora", BLOCK, "train low-rank adapters on a frozen base", block=LORA),
)

INFERENCE = _schema(
    "inference", "A serving deployment: model, hardware, formats, batch and context.",
    Field("model", REF, "the model", ref_kind="model", required=True),
    Field("cluster", REF, "the cluster (or give `gpu` and `gpus`)", ref_kind="cluster"),
    Field("gpu", REF, "the GPU, with `gpus`", ref_kind="gpu"),
    Field("gpus", COUNT, "number of GPUs, with `gpu`: servers of 8 on the default network when more than 8 "
          "(name a cluster to say otherwise)"),
    Field("precision", REF, "a recipe giving weights/kv_cache/activations formats", ref_kind="precision"),
    Field("weights", FORMAT, "weight format (overrides the recipe's)"),
    Field("kv_cache", FORMAT, "KV-cache format (overrides the recipe's)"),
    q("context", "token", "tokens per sequence the cache must hold (prompt + output)", "8192 tokens"),
    q("prompt", "token", "prompt length", "2048 tokens"),
    q("output", "token", "generated tokens (0: prefill only, no decode)", "512 tokens", allow_zero=True),
    Field("batch", COUNT, "concurrent sequences", default=1),
    Field("mode", ENUM, "generate: prefill then decode, sampling from the last position's logits; forward: one "
          "pass over `prompt` tokens keeping every position's logits in the model's format (scoring, evaluation, "
          "perplexity), no decode and no fp32 sampling copy", choices=("generate", "forward"), default="generate"),
    Field("cache", ENUM, "the KV cache of generation: paged (vLLM: blocks of `block_size` tokens, preallocated "
          "from the memory budget), dynamic (transformers DynamicCache: grows by torch.cat every step; the peak is "
          "the larger of the prefill with the prompt's cache and the last decode step with the whole cache) or "
          "static (transformers StaticCache: `context` tokens allocated at the first step)",
          choices=("paged", "dynamic", "static"), default="paged"),
    Field("loss", BOOL, "mode = forward: the pass also computes the loss against the input "
          "(transformers' ForCausalLMLoss upcasts every position's logits to fp32)", default=False),
    Field("use_cache", BOOL, "mode = forward: the pass also builds a KV cache of the prompt (transformers' default "
          "for a plain forward: config.use_cache is true, so LlamaModel.forward builds a DynamicCache)",
          default=True),
    Field("memory_utilization", FRACTION, "share of GPU memory the server may use "
          "(vLLM's gpu_memory_utilization)", default=0.9),
    q("block_size", "token", "paged KV-cache block size", "16 tokens"),
    q("prefill_chunk", "token", "tokens prefilled in one forward pass (vLLM max_num_batched_tokens)",
      "8192 tokens"),
    Field("parallel", BLOCK, "the parallel layout", block=_schema(
        "parallel", "Serving layout.",
        Field("tensor", COUNT, "tensor-parallel ranks", default=1),
        Field("pipeline", COUNT, "pipeline stages", default=1))),
    Field("targets", BLOCK, "latency targets", block=_schema(
        "targets", "Service-level targets the batch must meet.",
        q("ttft", "time", "time to first token", "2 s"),
        q("tpot", "time", "time per output token", "50 ms"))),
    q("requests", "request/time", "request rate to serve (sizes the number of replicas)", "20 req/s"),
    Field("framework", BLOCK, "framework behaviour", block=_schema(
        "framework", "Serving runtime behaviour.",
        Field("attention", ENUM, "attention kernel", choices=("flash", "sdpa", "eager"), default="flash"),
        Field("last_logits_only", BOOL, "generation keeps only the last position's logits",
              default=True),
        Field("scheduler", ENUM, "the server's batch scheduler: vllm (V1: prompt chunks beside the decodes), sglang "
              "(prefill first, the decodes wait), tensorrt_llm (in-flight batching, GUARANTEED_NO_EVICT admission)",
              choices=("vllm", "sglang", "tensorrt_llm"), default="vllm"),
        Field("calibration", REF, "constants fitted to your own measurements (`capplan calibrate` writes the "
              "block); a constant written in this framework block wins over the calibration's",
              ref_kind="calibration"),
        *assumption_fields("inference"))),
)

SEARCH = _schema("search", "A search over parallel layouts for a training workload (`for NAME`).")
GOAL = _schema("goal", "A procurement question about a plan (`for NAME`): how many GPUs of which type.")

def _calibration_fields() -> list[Field]:
    seen = {f.name: f for workload in ("inference", "training") for f in assumption_fields(workload)}
    return [seen[k] for k in sorted(seen)]


CALIBRATION = _schema(
    "calibration", "Constants fitted to your own measurements, as `capplan calibrate` writes them; a plan "
    "uses them with `framework { calibration = NAME }`.",
    Field("fitted_from", STRING, "what was measured: the log's kind, file and digest, the plan it was fitted "
          "for, and how many samples", required=True),
    Field("fit_error", FRACTION, "median |measured - fitted| / measured over the samples"),
    Field("samples", COUNT, "measurements the fit used"),
    Field("configuration", STRING, "the digest of the training plan the measurements were taken on "
          "(`capplan calibrate` writes it): a plan with the same configuration gets the measured spread as its "
          "time band, every other plan the published runs' band"),
    Field("step_spread_below", FRACTION, "the measured iterations' 10th percentile below their median, a share"),
    Field("step_spread_above", FRACTION, "the measured iterations' 90th percentile above their median, a share"),
    *_calibration_fields(),
)

KINDS: dict[str, BlockSchema] = {
    "gpu": GPU, "cluster": CLUSTER, "model": MODEL, "precision": PRECISION,
    "training": TRAINING, "inference": INFERENCE, "search": SEARCH, "goal": GOAL, "calibration": CALIBRATION,
}

# Names a `require` line may use, per workload kind, with their dimensions.
RESULTS: dict[str, dict[str, tuple[str, str]]] = {
    "training": {
        "fits": ("bool", "every rank's peak fits in its GPU's memory"),
        "peak_memory": ("information", "the largest peak over all ranks"),
        "headroom": ("", "smallest free share of GPU memory over all ranks"),
        "params": ("parameter", "total parameters"),
        "active_params": ("parameter", "parameters used per token (MoE)"),
        "gpus": ("", "GPUs used"),
        "step_time": ("time", "one optimizer step"),
        "tokens_per_s": ("token/time", "training throughput"),
        "mfu": ("", "model FLOPs utilisation"),
        "train_time": ("time", "time to train `tokens`"),
        "cost": ("currency", "cost of training `tokens`"),
        "energy": ("energy", "GPU energy to train `tokens`"),
    },
    "inference": {
        "fits": ("bool", "weights, KV cache and activations fit in the memory budget"),
        "peak_memory": ("information", "peak memory per GPU"),
        "headroom": ("", "free share of GPU memory"),
        "params": ("parameter", "total parameters"),
        "kv_cache": ("information", "KV-cache memory per GPU"),
        "max_batch": ("", "largest batch that fits at this context"),
        "max_context": ("token", "longest context that fits at this batch (at most the model's max_seq)"),
        "kv_tokens": ("token", "tokens of KV cache that fit in the budget at this batch (paged blocks x block)"),
        "kv_blocks": ("", "paged KV-cache blocks that fit in the budget at this batch"),
        "gpus": ("", "GPUs used"),
        "ttft": ("time", "time to first token"),
        "tpot": ("time", "time per output token at this batch"),
        "tokens_per_s": ("token/time", "output tokens per second per replica at this batch"),
        "cost_per_mtok": ("currency", "cost per million output tokens"),
        "replicas": ("", "replicas needed for `requests` (from the simulated rate one replica serves within the "
                         "targets, when the plan gives `prompt` and `output`)"),
        "ttft_p50": ("time", "median time to first token under the plan's load (simulated)"),
        "ttft_p99": ("time", "99th-percentile time to first token under the plan's load (simulated)"),
        "tpot_p50": ("time", "median time per output token under the plan's load (simulated)"),
        "tpot_p99": ("time", "99th-percentile time per output token under the plan's load (simulated)"),
        "load_tokens_per_s": ("token/time", "output tokens per second per replica under the plan's load (simulated)"),
        "max_request_rate": ("request/time", "requests per second one replica serves with `slo_attainment` of them "
                             "within the targets (simulated; `requests` plans)"),
    },
}
