"""Which buffers a training runtime keeps, and in which phase of the step.

The same model states (weights, gradients, master weights, optimizer states) live differently
under each framework: PyTorch DDP frees `param.grad` between steps but keeps flat gradient buckets
of its own; Megatron-Core keeps one contiguous `main_grad` buffer for the whole partition and only
zeroes it; DeepSpeed and FSDP shard and free them on their own schedules. The runtime a plan runs
under (stated in the spec, else inferred from its switches) is named by capplan.check.layout_rules
(runtime_of, family_of), which validation uses too; `gradient_lifetime` gives the lifetimes the memory engine (capplan.engine.training.rank_phases)
applies to every stage alike, each with the framework file it comes from.

Values may be numpy arrays (one element per candidate layout of a search): the data-parallel degree
and the ZeRO stage vary per candidate, the runtime does not.
"""

from __future__ import annotations

from dataclasses import dataclass

from capplan.engine.vector import logical_and, logical_or, where

SOURCES = {
    "pytorch": (
        "PyTorch 2.13 DistributedDataParallel (torch/nn/parallel/distributed.py, `gradient_as_bucket_view`: "
        "\"gradients will be views pointing to different offsets of allreduce communication buckets. This can "
        "reduce peak memory usage, where the saved memory size will be equal to the total gradients size\"; "
        "torch/csrc/distributed/c10d/reducer.cpp allocates one flat buffer per bucket at construction); "
        "torch.optim.Optimizer.zero_grad(set_to_none=True) frees param.grad"),
    "megatron": (
        "Megatron-Core 0.16.1 megatron/core/distributed/param_and_grad_buffer.py (_ParamAndGradBuffer: one "
        "contiguous grad buffer per dtype, params' `main_grad` are views into it, fp32 when "
        "accumulate_allreduce_grads_in_fp32, which Megatron-LM sets for bf16) and distributed_data_parallel.py "
        "(zero_grad_buffer zeroes it each step, never frees it); docs/source/api-guide/dist_optimizer.md "
        "(18 B/param, or 6 + 12/d with the distributed optimizer, for bf16 params and fp32 grads)"),
    "deepspeed": (
        "DeepSpeed 0.19.8 deepspeed/runtime/zero/stage_1_and_2.py (DeepSpeedZeroOptimizer) and stage3.py "
        "(DeepSpeedZeroOptimizer_Stage3); Rajbhandari et al. 2020 (ZeRO, arXiv:1910.02054) sec. 5"),
    "fsdp": (
        "PyTorch 2.13 FSDP (torch/distributed/fsdp: sharded parameters and gradients, unsharded one unit at "
        "a time, gradients reduce-scattered and freed); Zhao et al. 2023 (PyTorch FSDP, arXiv:2304.11277)"),
}


@dataclass
class GradientLifetime:
    """How a runtime holds gradients on one rank (each field a number, a bool or an array)."""

    persistent: object        # gradients exist in every phase (never freed between steps)
    bucket_copy: object       # a second, gradient-sized buffer persists beside them (DDP's flat buckets)
    formula: str
    source: str


def gradient_lifetime(family: str, zero, offload: str, grads_freed: bool, bucket_view: bool,
                      replicas) -> GradientLifetime:
    """Gradient lifetimes under runtime `family` (see family_of); `replicas` = data x context ranks
    that reduce gradients; `zero` may be an array (a search).

    - pytorch (DDP): `param.grad` is allocated by the backward and freed by
      zero_grad(set_to_none=True) (framework.grads_freed); once there is more than one replica, DDP's
      reducer holds flat gradient buckets of the gradients' total size for the life of the job. With
      gradient_as_bucket_view the grads are views into those buckets: they persist, with no second copy.
    - megatron: `main_grad` views into a contiguous buffer allocated at construction and zeroed,
      never freed: present in every phase of every stage, whatever `grads_freed` says.
    - deepspeed: ZeRO-3 keeps its gradient partition in every phase (allocated once); ZeRO-1/2 produce
      theirs in the backward and free them after the step, as `grads_freed` states.
    - fsdp: sharded grads from the backward to the step, as `grads_freed` states.
    - auto: pytorch at ZeRO stage 0 without offload, deepspeed otherwise.
    """
    freed = not grads_freed
    if family == "auto" and isinstance(zero, int) and (zero >= 1 or offload != "none"):
        family = "deepspeed"  # one plan: its ZeRO stage is known (a search keeps `auto` and decides per layout)
    if family == "megatron":
        return GradientLifetime(True, False, "contiguous main_grad buffer: every phase, every stage",
                                SOURCES["megatron"])
    if family == "fsdp":
        return GradientLifetime(freed, False, "sharded gradients: from the backward to the step", SOURCES[family])
    # DeepSpeed ZeRO-3 allocates its gradient partition (grad_partitions_flat_buffer) once at init and
    # keeps it; ZeRO-1/2 build theirs in each backward (validation/framework_lifetimes.md sec. 3)
    zero3 = logical_and(zero >= 3, offload == "none")
    if family == "deepspeed":
        return GradientLifetime(logical_or(freed, zero3), False, "gradient partitions: ZeRO-3's kept in every "
                                "phase, ZeRO-1/2's from the backward to the step (ZeRO-2/3 with offload_optimizer: "
                                "none on the GPU, validation/framework_lifetimes.md)", SOURCES[family])
    ddp = logical_and(replicas > 1, offload == "none")
    if family == "auto":
        ddp = logical_and(ddp, zero == 0)
        freed = logical_or(freed, zero3)  # the layouts of a search that run ZeRO-3 under DeepSpeed
    if bucket_view:
        return GradientLifetime(logical_or(ddp, freed), False,
                                "param.grad as views into DDP's flat buckets: every phase", SOURCES["pytorch"])
    return GradientLifetime(freed, ddp, "param.grad (freed by zero_grad(set_to_none=True)) + DDP's flat "
                            "buckets of the same size in every phase (data x context > 1)", SOURCES["pytorch"])


OPTIMIZER_IMPLS = {  # the optimizer implementation each runtime builds when the spec leaves it to the runtime
    "megatron": ("fused", "Megatron-Core 0.16.1 megatron/core/optimizer/__init__.py: Transformer Engine's FusedAdam "
                 "(Apex's if TE is absent; torch AdamW only when neither is installed)"),
    "deepspeed": ("fused", "DeepSpeed 0.19.8 deepspeed/runtime/engine.py get_optimizer_configuration: an "
                  "\"Adam\"/\"AdamW\" config builds DeepSpeed's FusedAdam unless torch_adam is set"),
    "pytorch": ("foreach", "torch 2.13 torch/optim/optimizer.py _default_to_fused_or_foreach: AdamW on CUDA "
                "tensors defaults to foreach"),
}


def optimizer_impl(stated: str, family: str) -> tuple[str, str]:
    """The optimizer implementation (foreach, fused, for_loop) and why: as stated, else the runtime's own.
    `family` is a resolved runtime (fsdp runs torch's optimizers, as pytorch does)."""
    if stated != "auto":
        return stated, "stated in framework.optimizer_impl"
    return OPTIMIZER_IMPLS.get(family, OPTIMIZER_IMPLS["pytorch"])


def zero_optimizer(family: str, zero):
    """Whether DeepSpeed's ZeRO optimizer runs the step (a bool, or an array over a search's layouts):
    runtime deepspeed, or auto with a ZeRO stage (see gradient_lifetime)."""
    if family not in ("deepspeed", "auto"):
        return False
    return zero >= 1


def held(lifetime: GradientLifetime, grads, has_run_backward):
    """Gradient bytes at the activation peak: persistent buffers always, freed ones once this rank has
    run a backward in this step (`has_run_backward`: more micro-batches than are in flight)."""
    return where(lifetime.persistent, grads, where(has_run_backward, grads, 0.0))
