"""Strategy search: every valid parallel layout of a training plan, evaluated at once.

The search evaluates tens of thousands of layouts with the engine's own formulas
(capplan.engine.training.rank_phases and capplan.engine.timing.step_seconds), which are written
once and evaluated here on numpy arrays, one element per candidate. Quantities that depend on a
few layout variables only (per-layer activations, parameter shares, the pipeline split) are
computed once per distinct combination and gathered. The best layouts and the Pareto front are
then evaluated again as single plans, so every reported number is the single-plan result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from capplan.check import layout_rules as R
from capplan.check.search_spec import default_space as _default_space
from capplan.engine import schedules
from capplan.engine.blocks.transformer import op_selective_supported
from capplan.engine.timing import compute_precision, step_seconds
from capplan.engine.training import RankInput, Static, comm_groups, head_terms, rank_phases
from capplan.ir.blocks import TransformerLayer
from capplan.ir.plan import Training

VARIABLES = ("tensor", "pipeline", "context", "expert", "zero", "recompute", "micro_batch", "virtual_stages",
             "sequence_parallel", "distributed_optimizer", "gpus")
RECOMPUTE = ("none", "selective", "full", "selective_op")


@dataclass
class Candidates:
    """A structure of arrays: one entry per candidate layout."""

    cols: dict = field(default_factory=dict)

    def __getitem__(self, key):
        return self.cols[key]

    def __len__(self):
        return len(next(iter(self.cols.values()))) if self.cols else 0


def default_space(w: Training, per_node: int, nodes: int) -> dict:
    m = w.model
    moe = m.moe
    space = _default_space(m.attention.heads, m.depth, moe.experts if moe else None, per_node, nodes)
    space["recompute"] = recompute_choices(w)
    return space


def recompute_choices(w: Training) -> list[str]:
    """The recomputations a search or a goal tries by default: none, selective and full, but for PyTorch ops with
    a fused attention kernel torchtitan's per-op policy in place of Megatron's selective recomputation (core
    attention), which drops nothing there."""
    return ["none", "selective_op", "full"] if op_selective_plan(w) else ["none", "selective", "full"]


def op_selective_plan(w: Training) -> bool:
    """Whether torchtitan's per-op selective checkpointing is modelled for the plan's model, kernels and adapters
    (the rule of check/recompute_checks.py, tensor parallelism aside, which the search varies)."""
    fw = w.framework
    return (fw.implementation == "transformers" and fw.attention != "eager" and w.lora is None
            and all(isinstance(layer, TransformerLayer) and op_selective_supported(layer) for layer in w.model.blocks))


def enumerate_layouts(w: Training, space: dict, per_node: int, cross_node_tensor: bool) -> tuple[Candidates, dict]:
    """Every combination of the space (as arrays), split into valid candidates and rejection reasons."""
    m = w.model
    heads, kv_heads, layers = m.attention.heads, m.attention.kv_heads, m.depth
    experts = m.moe.experts if m.moe else None
    etp = w.layout.expert_tensor      # stated by the plan: held fixed while the tensor degree varies
    recompute_codes = [RECOMPUTE.index(r) for r in space["recompute"]]
    axes = [np.array(space[n] if n != "recompute" else recompute_codes, dtype=np.int64) for n in VARIABLES]
    grid = np.meshgrid(*axes, indexing="ij")
    c = {n: g.reshape(-1) for n, g in zip(VARIABLES, grid)}
    tp, pp, ep, v = c["tensor"], c["pipeline"], c["expert"], c["virtual_stages"]
    # combinations that are the same layout as another one, or meaningless: dropped silently
    keep = ~((c["sequence_parallel"] == 1) & (tp == 1))
    keep &= ~((c["distributed_optimizer"] == 1) & (c["zero"] > 0))
    keep &= ~((v > 1) & (pp == 1))
    keep &= ~((ep > 1) & (experts is None))
    c = {k: a[keep] for k, a in c.items()}
    tp, pp, cp, ep = c["tensor"], c["pipeline"], c["context"], c["expert"]
    v, mb, gpus = c["virtual_stages"], c["micro_batch"], c["gpus"]
    rejected: dict[str, list] = {}
    valid = np.ones(len(tp), dtype=bool)
    dp = np.where(gpus % np.maximum(tp * pp * cp, 1) == 0, gpus // np.maximum(tp * pp * cp, 1), 0)
    gb, seq = w.global_batch, int(w.seq_len)
    # the layout rules of capplan.check.layout_rules (E0407 for one plan), on arrays
    checks = [
        (R.heads_split_unevenly(tp, heads, kv_heads),
         lambda i: f"tensor {tp[i]} does not divide the {heads} heads / {kv_heads} KV heads"),
        ((tp > per_node) & (not cross_node_tensor),
         lambda i: f"tensor {tp[i]} crosses the node boundary ({per_node} GPUs per node)"),
        # uneven splits are allowed (the extra layers go to the last stages, as Megatron's
        # --decoder-last-pipeline-num-layers can express); interleaving needs equal model chunks
        (R.more_stages_than_layers(pp, layers), lambda i: f"pipeline {pp[i]} has more stages than the {layers} layers"),
        (R.uneven_chunks(pp, v, layers),
         lambda i: f"pipeline {pp[i]} x {v[i]} virtual stages does not split {layers} layers into equal chunks"),
        (tp * pp * cp > gpus, lambda i: f"tensor {tp[i]} x pipeline {pp[i]} x context {cp[i]} needs more than "
                                        f"{gpus[i]} GPUs"),
        (R.degrees_do_not_divide(tp, pp, cp, gpus), lambda i: f"tensor {tp[i]} x pipeline {pp[i]} x context {cp[i]} does not "
                                               f"divide {gpus[i]} GPUs"),
        ((ep > 1) & (R.experts_do_not_divide(ep, experts or 1)
                     | R.expert_ranks_do_not_divide(ep, dp, cp, tp, tp if etp is None else etp)),
         lambda i: f"expert {ep[i]} does not divide the experts or the data-parallel ranks"
                   + (f" (expert tensor {etp})" if etp is not None else "")),
        ((dp == 0) | R.batch_does_not_split(gb, mb, np.maximum(dp, 1)),
         lambda i: f"global batch {gb} does not split into micro-batch {mb[i]} x data {dp[i]}"),
        (R.interleaved_microbatches_do_not_group(pp, v, gb // np.maximum(mb * dp, 1)),
         lambda i: f"{gb // (mb[i] * dp[i])} micro-batches per step is not a multiple of pipeline {pp[i]} "
                   f"(interleaved)"),
        (R.split_backward_cannot_run(w.layout.schedule, pp, v, gb // np.maximum(mb * dp, 1)),
         lambda i: f"schedule {w.layout.schedule} cannot run pipeline {pp[i]} x {v[i]} virtual stages with "
                   f"{gb // max(int(mb[i] * dp[i]), 1)} micro-batches per step"),
        (R.sequence_does_not_split(seq, cp), lambda i: f"sequence {seq} does not split over context {cp[i]}"),
        ((c["recompute"] == RECOMPUTE.index("selective_op")) & ((tp > 1) | (not op_selective_plan(w))),
         lambda i: "recompute selective_op " + (f"with tensor {tp[i]} is not supported yet" if tp[i] > 1 else
                                                "is modelled for Llama-style layers and PyTorch's ops only")),
        (R.runtime_cannot_run(w.framework.runtime, c["zero"], w.layout.fsdp, c["distributed_optimizer"],
                              w.layout.offload),
         lambda i: f"runtime {w.framework.runtime} cannot run ZeRO {c['zero'][i]} / distributed optimizer "
                   f"{bool(c['distributed_optimizer'][i])}: {R.RUNTIME_LIMITS.get(w.framework.runtime, '')}"),
    ]
    for failed, message in checks:
        hit = valid & failed
        if hit.any():
            idx = np.flatnonzero(hit)
            messages = {}  # one reason per distinct message, counted
            for i in idx[:2000]:
                messages.setdefault(message(i), [0, int(i)])
            if len(idx) > 2000:
                messages[message(idx[0])][0] += len(idx) - 2000
            for i in idx[:2000]:
                messages[message(i)][0] += 1
            for text, (count_, i) in messages.items():
                rejected[text] = [count_, _combo(c, i)]
        valid &= ~failed
    c["data"] = dp
    c["nodes"] = -(-gpus // per_node)
    cols = ("tensor", "pipeline", "data", "context", "expert", "zero", "recompute", "micro_batch",
            "virtual_stages", "sequence_parallel", "distributed_optimizer", "nodes", "gpus")
    return Candidates({k: c[k][valid] for k in cols}), rejected


def _combo(c: dict, i: int) -> dict:
    out = {k: int(c[k][i]) for k in VARIABLES}
    out["recompute"] = RECOMPUTE[out["recompute"]]
    out["sequence_parallel"] = bool(out["sequence_parallel"])
    out["distributed_optimizer"] = bool(out["distributed_optimizer"])
    return out


def _distinct(columns: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of small non-negative integer columns, and each row's index among them.

    Rows are packed into one int64 key (mixed radix), so np.unique works on a flat array (fast).
    """
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for col in columns:
        key = key * (int(col.max()) + 1) + col
    uniq, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    rows = np.stack([col[first] for col in columns], axis=1)
    return rows, inverse.reshape(-1)


class Evaluator:
    """Memory per rank and step time for arrays of candidates, with the single-plan formulas."""

    def __init__(self, w: Training, per_node: int):
        self.w, self.per_node = w, per_node
        self.S = Static.of(w)

    def _layout(self, c: Candidates) -> dict:
        w, S = self.w, self.S
        tp, sp, mb, rc, cp = c["tensor"], c["sequence_parallel"], c["micro_batch"], c["recompute"], c["context"]
        x = {"tensor": tp.astype(float), "pipeline": c["pipeline"], "data": c["data"].astype(float),
             "context": cp.astype(float), "expert": c["expert"].astype(float), "zero": c["zero"],
             "distributed_optimizer": c["distributed_optimizer"] == 1,
             "recompute": np.array(RECOMPUTE)[rc], "chunks": c["virtual_stages"],
             "microbatches": w.global_batch / (mb * c["data"]), "micro_batch": mb.astype(float),
             "gpus": c["gpus"].astype(float), "sequence_parallel": sp == 1}
        rows, inverse = _distinct([tp, sp, mb, rc, cp])
        kinds = len(S.kinds)
        table = np.zeros((len(rows), 3 * kinds + 3))
        for i, (t, s, b, r, p) in enumerate(rows.tolist()):
            terms = S.layer_terms(t, bool(s), b, RECOMPUTE[r], p)
            head = head_terms(S, S.context(t, bool(s), b, RECOMPUTE[r], p))
            table[i] = terms["saved"] + terms["streamed"] + terms["work"] + list(head)
        per = table[inverse]
        x["terms"] = {"saved": [per[:, k] for k in range(kinds)],
                      "streamed": [per[:, kinds + k] for k in range(kinds)],
                      "work": [per[:, 2 * kinds + k] for k in range(kinds)]}
        x["head"] = (per[:, 3 * kinds], per[:, 3 * kinds + 1], per[:, 3 * kinds + 2])
        etp = tp if w.layout.expert_tensor is None else np.full_like(tp, w.layout.expert_tensor)
        x["expert_tensor"] = etp.astype(float)
        rows, inverse = _distinct([tp, c["expert"], etp])
        shares = np.array([[v for pair in S.shares(t, e, et) for v in pair] for t, e, et in rows.tolist()])[inverse]
        x["share"] = [(shares[:, 2 * k], shares[:, 2 * k + 1]) for k in range(kinds)]
        return x

    def evaluate(self, c: Candidates) -> dict:
        n = len(c)
        w, S = self.w, self.S
        m = w.model
        x = self._layout(c)
        rows, inverse = _distinct([c["pipeline"], c["virtual_stages"]])
        max_pp = int(c["pipeline"].max()) if n else 0
        kinds = len(S.kinds)
        # per (pipeline, chunks) and rank: layers of each kind, and the kind of the rank's first layer
        split = np.zeros((len(rows), max_pp, kinds + 1))
        for i, (p_, v_) in enumerate(rows.tolist()):
            for r, layers in enumerate(schedules.layer_split(m.depth, p_, v_, None, w.layout.schedule)):
                for j in layers:
                    split[i, r, m.stack[j]] += 1
                split[i, r, kinds] = m.stack[layers[0]] if layers else 0
        # every (candidate, rank) pair at once: candidate i appears pipeline_i times, with its ranks
        pp = c["pipeline"]
        owner = np.repeat(np.arange(n), pp)
        starts = np.concatenate(([0], np.cumsum(pp)[:-1])) if n else np.zeros(0, dtype=np.int64)
        rank = np.arange(len(owner)) - np.repeat(starts, pp)
        cols = split[inverse[owner], rank]
        first, last = schedules.edges(w.layout.schedule, pp[owner], rank)
        r = RankInput([cols[:, k] for k in range(kinds)], cols[:, :kinds].sum(axis=1),
                      cols[:, kinds].astype(np.int64), first, last)
        xr = _expand(x, owner)
        out = rank_phases(S, xr, r, rank)
        phases = out["phases"]
        size = len(owner)
        allocated = np.max([np.broadcast_to(sum(ph.values()), size) for ph in phases.values()], axis=0)
        device = allocated * (1 + S.overhead) + S.cuda_context + S.nccl * comm_groups(xr)
        peak = np.maximum.reduceat(device, starts) if n else np.zeros(0)
        # the stage that peaks: the first rank reaching the peak (as a rank-by-rank scan finds it)
        worst_stage = np.minimum.reduceat(np.where(device == peak[owner], rank, np.iinfo(np.int64).max), starts) \
            if n else np.zeros(0, dtype=np.int64)
        params = np.broadcast_to(out["params"], size)
        max_params = np.maximum.reduceat(params, starts) if n else np.zeros(0)
        step_phase = phases["optimizer step"]
        persistent = np.broadcast_to(step_phase["weights"] + step_phase["gradients"] + step_phase["master_weights"]
                                     + step_phase["optimizer_states"], size)
        first_max = np.minimum.reduceat(np.where(params == max_params[owner], np.arange(size), size), starts) \
            if n else np.zeros(0, dtype=np.int64)
        persist_at_max = persistent[first_max] if n else np.zeros(0)
        usable = w.hardware.gpu.usable
        result = {"peak": peak, "headroom": 1 - peak / usable, "stage": worst_stage}
        if not w.hardware.gpu.peak.get(compute_precision(w.precision)):
            result["step"] = np.full(n, np.nan)
            return result
        act_none = x["terms"]["streamed"][0]
        for other in x["terms"]["streamed"][1:]:
            act_none = np.maximum(act_none, other)
        t = step_seconds(w, S.pc, x, max_params, persist_at_max, act_none)
        step, gpus = t["step"], x["gpus"]
        result.update({"step": step, "tokens_per_s": t["tokens_step"] / step,
                       "mfu": t["model_flops"] / (step * gpus * t["peak"])})
        price = w.hardware.price
        result["cost"] = step * gpus * price if price else np.full(n, np.nan)  # per optimizer step
        return result


def _expand(x, owner: np.ndarray):
    """The layout values `x` (arrays per candidate, nested in lists, tuples and dicts) per (candidate, rank)."""
    if isinstance(x, dict):
        return {k: _expand(v, owner) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x)(_expand(v, owner) for v in x)
    if isinstance(x, np.ndarray) and x.ndim == 1:
        return x[owner]
    return x


def pareto(points: np.ndarray) -> np.ndarray:
    """Indices of the points no other point beats in every column (all minimised).

    Sorted by the columns, a point can only be dominated by one before it, and only by a point
    already on the front; the front is short, so the test runs on plain tuples.
    """
    order = np.lexsort(points.T[::-1])
    rows = points[order].tolist()
    front: list[tuple] = []
    keep = []
    for i, p in zip(order.tolist(), rows):
        if any(all(a <= b for a, b in zip(q, p)) and q != p for q in front):
            continue
        front.append(p)
        keep.append(i)
    return np.array(sorted(keep), dtype=np.int64)
