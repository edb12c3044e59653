"""When a parallel layout is valid: each rule written once, on numbers (one plan: capplan.check.
validate reports E0407 with the spec's spans) or numpy arrays (the search: capplan.analyses.search
rejects candidates with a counted reason). Each returns True (or a True element) where the rule
is broken. Only operators both understand are used: %, comparisons, & and | on booleans.
"""

from __future__ import annotations


def degrees_do_not_divide(tp, pp, cp, gpus):
    """tensor x pipeline x context must divide the GPU count (the rest is data parallelism)."""
    return gpus % (tp * pp * cp) != 0


def heads_split_unevenly(tp, heads, kv_heads):
    """Megatron splits query heads over tensor ranks; KV heads are split or replicated evenly."""
    return (heads % tp != 0) | ((kv_heads % tp != 0) & (tp % kv_heads != 0))


def more_stages_than_layers(pp, layers):
    return pp > layers


def uneven_chunks(pp, v, layers):
    """The interleaved schedule needs equal model chunks (Megatron-LM: layers % (p v) == 0)."""
    return (v > 1) & (layers % (pp * v) != 0)


def interleaved_microbatches_do_not_group(pp, v, microbatches):
    """Megatron-Core 0.16.1 runs interleaved micro-batches in groups of microbatch_group_size_per_vp_stage
    (default: the pipeline size p) and refuses a step whose micro-batches are fewer than a group
    (ValueError) or leave a last group smaller than p (RuntimeError): with groups of p, m must be a
    multiple of p (pipeline_parallel/schedules.py, forward_backward_pipelining_with_interleaving)."""
    return (v > 1) & (microbatches % pp != 0)


SPLIT_BACKWARD = ("zb1p", "zbh2", "dualpipe", "dualpipev")
DUAL = ("dualpipe", "dualpipev")   # the DualPipe forms: two stages per rank


def split_backward_cannot_run(schedule: str, pp, v, microbatches):
    """The zero-bubble and DualPipe schedules chunk the model themselves (no virtual stages) and need a pipeline;
    DualPipe needs an even pipeline and micro-batches, and both DualPipe forms at least 2p micro-batches
    (deepseek-ai/DualPipe dualpipe.py: num_ranks % 2 == 0, num_chunks % 2 == 0, num_chunks >= num_ranks * 2;
    dualpipev.py: num_chunks >= num_ranks * 2). Scalars or arrays."""
    if schedule not in SPLIT_BACKWARD:
        return (v > 1) & False       # nothing to refuse, shaped like v (the search folds it into bool arrays in place)
    bad = (v > 1) | (pp < 2)
    if schedule in DUAL:
        bad = bad | (microbatches < 2 * pp)
    if schedule == "dualpipe":
        bad = bad | (pp % 2 != 0) | (microbatches % 2 != 0)
    return bad


def split_backward_problem(schedule: str, pp: int, v: int, microbatches: int, uneven: bool):
    """Why one plan's split-backward schedule cannot run, as (message, field, hint), or None."""
    if schedule not in SPLIT_BACKWARD:
        return None
    if pp < 2:
        return (f"schedule {schedule} needs a pipeline; this plan has pipeline {pp}", "schedule",
                "set pipeline >= 2, or use schedule = 1f1b")
    if v > 1:
        return (f"schedule {schedule} places its own stages: virtual_stages {v} has no meaning with it",
                "virtual_stages", "remove virtual_stages (interleaving is schedule = interleaved)")
    if uneven and schedule in DUAL:
        return (f"layers_per_stage with schedule {schedule} is not supported yet: capplan splits the layers evenly "
                "over its stages", "layers_per_stage", "remove layers_per_stage")
    if schedule == "dualpipe" and pp % 2:
        return (f"schedule dualpipe needs an even pipeline (two model copies fed from both ends); pipeline {pp}",
                "pipeline", "use an even pipeline degree, or schedule = dualpipev")
    if split_backward_cannot_run(schedule, pp, v, microbatches):
        even = "an even number of micro-batches, at least" if schedule == "dualpipe" else "at least"
        return (f"schedule {schedule} needs {even} 2 x pipeline = {2 * pp} micro-batches per step; the global "
                f"batch gives {microbatches}", "global_batch",
                "raise the global batch (deepseek-ai/DualPipe: num_chunks >= num_ranks * 2)")
    return None


def idle_framework_switches(stated: dict, tp: int, pp: int, ep: int, sp: bool,
                            experts: bool, norm: str = "rmsnorm") -> list[tuple[str, str]]:
    """Framework switches the plan states that its layout or model gives nothing to act on: (field, why), for
    W0202."""
    idle = []
    if stated.get("norm_kernel") == "fused" and (stated.get("implementation") == "megatron" or norm != "rmsnorm"):
        idle.append(("norm_kernel", "norm_kernel = fused replaces PyTorch's RMSNorm ops; " + (
            "implementation = megatron fuses its norms already" if stated.get("implementation") == "megatron"
            else f"the model's norm is {norm}")))
    if stated.get("moe_dispatcher") == "deepep" and (not experts or ep == 1):
        idle.append(("moe_dispatcher", "moe_dispatcher = deepep dispatches tokens to experts on other ranks; "
                     + ("the model has no experts" if not experts else "this plan has expert = 1")))
    if stated.get("ep_comm_overlap") and (not experts or ep == 1):
        idle.append(("ep_comm_overlap", "ep_comm_overlap hides expert-parallel all-to-alls; this plan has none"))
    if stated.get("tp_comm_overlap") and (tp == 1 or not sp):
        idle.append(("tp_comm_overlap", "tp_comm_overlap chunks the tensor-parallel collectives of sequence "
                     "parallelism; " + ("this plan has tensor = 1" if tp == 1 else "sequence_parallel is off")))
    if stated.get("pipeline_scatter_gather") and (pp == 1 or tp == 1 or sp):
        idle.append(("pipeline_scatter_gather", "pipeline_scatter_gather splits the sends between pipeline stages "
                     "over tensor-parallel ranks without sequence parallelism; " + (
                         "this plan has pipeline = 1" if pp == 1 else "this plan has tensor = 1" if tp == 1
                         else "with sequence parallelism each rank sends its share already")))
    return idle


def experts_do_not_divide(ep, experts):
    return experts % ep != 0


def expert_ranks_do_not_divide(ep, dp, cp, tp=1, etp=1):
    """The expert-parallel and expert-tensor-parallel ranks are carved out of the tensor, context and data-parallel
    ranks (Megatron-Core parallel_state: expert_tensor_model_pipeline_parallel groups of ETP x EP x PP; the expert
    data-parallel size is TP x CP x DP / (ETP x EP)). With ETP = TP: EP divides DP x CP."""
    return (tp * dp * cp) % (etp * ep) != 0


def batch_does_not_split(gb, mb, dp):
    """The global batch must be whole micro-batches on every data-parallel rank."""
    return gb % (mb * dp) != 0


def sequence_does_not_split(seq, cp):
    """Context parallelism splits each sequence into 2 x cp chunks (load-balanced causal attention)."""
    return (cp > 1) & (seq % (2 * cp) != 0)


RUNTIME_LIMITS = {  # what each runtime cannot run of a layout's switches
    "pytorch": "PyTorch DDP has no ZeRO stage, FSDP, distributed optimizer or offload",
    "deepspeed": "DeepSpeed shards with ZeRO stages, not with FSDP or Megatron's distributed optimizer",
    "fsdp": "FSDP shards everything (no distributed optimizer) and offloads parameters with the optimizer",
    "megatron": "Megatron shards with its distributed optimizer (or Megatron-FSDP as `zero = 2/3`), not torch FSDP",
}


def runtime_cannot_run(runtime: str, zero, fsdp, distributed_optimizer, offload: str):
    """A stated runtime that cannot run the layout's switches (zero and distributed_optimizer may be
    arrays: a search's candidates)."""
    if runtime == "pytorch":
        return (zero > 0) | (distributed_optimizer == 1) | bool(fsdp) | (offload != "none")
    if runtime == "deepspeed":
        return (distributed_optimizer == 1) | bool(fsdp)
    if runtime == "fsdp":
        return (distributed_optimizer == 1) | (offload == "optimizer")
    if runtime == "megatron":
        return bool(fsdp) | (zero < 0)
    return zero < 0  # auto: anything goes


def runtime_conflict(runtime: str, zero: int, fsdp: bool, distributed_optimizer: bool, offload: str) -> str | None:
    """What a stated runtime cannot run of the layout's switches, or None (one plan only)."""
    if runtime_cannot_run(runtime, zero, fsdp, distributed_optimizer, offload):
        return RUNTIME_LIMITS[runtime]
    return None


def megatron_fsdp(runtime: str | None, zero: int) -> bool:
    """Whether a layout's ZeRO stage runs as Megatron-FSDP: stages 2 and 3 under Megatron-Core, whose
    `--use-megatron-fsdp` shards gradients (2) or parameters too (3); stage 1 is its distributed optimizer."""
    return runtime == "megatron" and zero >= 2


def runtime_of(stated: str, implementation: str, zero: int, fsdp: bool, distributed_optimizer: bool,
               offload: str) -> tuple[str, str]:
    """The runtime a plan runs under, and why: as stated, else inferred from the plan's switches."""
    family, basis = _family(stated, implementation, distributed_optimizer, fsdp)
    if family != "auto":
        return family, basis
    if zero >= 1 or offload != "none":
        return "deepspeed", "inferred: a ZeRO stage or offload is set, as DeepSpeed runs them"
    return "pytorch", "inferred: no ZeRO, FSDP or Megatron switch; PyTorch DDP, as transformers' Trainer runs it"


def family_of(stated: str, implementation: str, distributed_optimizer: bool, fsdp: bool) -> str:
    """The runtime as far as it does not depend on the ZeRO stage, which a search varies: `auto`
    for a plan whose runtime follows its ZeRO stage (PyTorch DDP at stage 0, DeepSpeed above)."""
    return _family(stated, implementation, distributed_optimizer, fsdp)[0]


def _family(stated: str, implementation: str, distributed_optimizer: bool, fsdp: bool) -> tuple[str, str]:
    if stated != "auto":
        return stated, "stated in framework.runtime"
    if implementation == "megatron":
        return "megatron", "inferred: framework.implementation = megatron"
    if distributed_optimizer:
        return "megatron", "inferred: parallel.distributed_optimizer = true"
    if fsdp:
        return "fsdp", "inferred: parallel.fsdp = true"
    return "auto", ""


def expert_tensor_note(lay: dict) -> str:
    """`, expert tensor 1`: the experts' own tensor degree where it is not the tensor degree; '' otherwise."""
    etp = lay.get("expert_tensor")
    return f", expert tensor {etp}" if etp is not None and etp != lay["tensor"] else ""


def recompute_modules_note(lay: dict) -> str:
    """` (mla_up_proj, mlp)`: the modules selective recomputation recomputes, where not Megatron-Core's default
    (core attention alone), in Megatron-Core's names as the spec writes them; ` (the first 4 layers ...)`: the
    layers full recomputation replays, where not all; '' otherwise."""
    modules = lay.get("recompute_modules") or []
    if lay["recompute"] == "full" and lay.get("recompute_layers") is not None:
        return f" (the first {lay['recompute_layers']} layers of each stage's chunk)"
    return f" ({', '.join(modules)})" if lay["recompute"] == "selective" and modules != ["core_attn"] else ""
