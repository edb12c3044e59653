"""Strategy search: every valid parallel layout of a training plan, evaluated at once.

The reference engine (training.py, timing.py) evaluates one layout in about
half a millisecond. A search evaluates tens of thousands, so this module
computes the same memory and time formulas on numpy arrays, one element per
candidate, from per-layer quantities computed once per distinct (tensor,
micro-batch, recompute, context, sequence-parallel) combination. The best
layouts and the Pareto front are then evaluated again with the reference
engine, so every number reported is the reference engine's;
tests/test_search.py checks that both agree on every candidate of a sample.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from capplan.check.values import Obj
from capplan.engine import activations as act
from capplan.engine import constants as K
from capplan.engine.formats import nbytes
from capplan.engine.params import count
from capplan.engine.timing import compute_precision, flops_per_token
from capplan.engine.training import OPTIMIZER_STATES, _layer_param_share, layer_split, optimizer_state_bytes

VARIABLES = ("tensor", "pipeline", "context", "expert", "zero", "recompute", "micro_batch", "virtual_stages",
             "sequence_parallel", "distributed_optimizer", "gpus")
OBJECTIVES = {"step_time": 1, "cost": 1, "gpus": 1, "peak_memory": 1, "tokens_per_s": -1, "mfu": -1}


@dataclass
class Candidates:
    """A structure of arrays: one entry per candidate layout."""

    cols: dict = field(default_factory=dict)

    def __getitem__(self, key):
        return self.cols[key]

    def __len__(self):
        return len(next(iter(self.cols.values()))) if self.cols else 0

    def take(self, mask) -> "Candidates":
        return Candidates({k: v[mask] for k, v in self.cols.items()})


def _divisors(n: int) -> list[int]:
    return [d for d in range(1, n + 1) if n % d == 0]


def default_space(w: Obj, per_node: int, nodes: int) -> dict:
    """What to vary when the search block does not say."""
    m = w.model
    gpus = per_node * nodes
    space = {
        "tensor": [t for t in (1, 2, 4, 8, 16) if t <= gpus and m.heads % t == 0],
        "pipeline": [p for p in (1, 2, 4, 8, 16, 32, 64) if p <= m.layers and p <= gpus],
        "zero": [0, 1, 2, 3],
        "recompute": ["none", "selective", "full"],
        "micro_batch": [1, 2, 4, 8],
        "virtual_stages": [1, 2],
        "context": [1],
        "expert": [1] + ([e for e in (2, 4, 8) if m.moe.experts and m.moe.experts % e == 0] if m.moe.experts else []),
        "sequence_parallel": [False, True],
        "distributed_optimizer": [False],
        "gpus": [gpus],
    }
    return space


def enumerate_layouts(w: Obj, space: dict, per_node: int, cross_node_tensor: bool) -> tuple[Candidates, dict]:
    """Every combination of the space (as arrays), split into valid candidates and rejection reasons."""
    m = w.model
    recompute_codes = [("none", "selective", "full").index(r) for r in space["recompute"]]
    axes = [np.array(space[n] if n != "recompute" else recompute_codes, dtype=np.int64) for n in VARIABLES]
    grid = np.meshgrid(*axes, indexing="ij")
    c = {n: g.reshape(-1) for n, g in zip(VARIABLES, grid)}
    tp, pp, cp, ep = c["tensor"], c["pipeline"], c["context"], c["expert"]
    v, mb, gpus = c["virtual_stages"], c["micro_batch"], c["gpus"]
    # combinations that are the same layout as another one, or meaningless: dropped silently
    keep = ~((c["sequence_parallel"] == 1) & (tp == 1))
    keep &= ~((c["distributed_optimizer"] == 1) & (c["zero"] > 0))
    keep &= ~((v > 1) & (pp == 1))
    keep &= ~((ep > 1) & (m.moe.experts is None))
    c = {k: a[keep] for k, a in c.items()}
    tp, pp, cp, ep = c["tensor"], c["pipeline"], c["context"], c["expert"]
    v, mb, gpus = c["virtual_stages"], c["micro_batch"], c["gpus"]
    rejected: dict[str, list] = {}
    valid = np.ones(len(tp), dtype=bool)
    dp = np.where(gpus % np.maximum(tp * pp * cp, 1) == 0, gpus // np.maximum(tp * pp * cp, 1), 0)
    gb, seq = w.global_batch, int(w.seq_len)
    checks = [
        ((m.heads % tp != 0) | ((m.kv_heads % tp != 0) & (tp % m.kv_heads != 0)),
         lambda i: f"tensor {tp[i]} does not divide the {m.heads} heads / {m.kv_heads} KV heads"),
        ((tp > per_node) & (not cross_node_tensor),
         lambda i: f"tensor {tp[i]} crosses the node boundary ({per_node} GPUs per node)"),
        # uneven splits are allowed (the extra layers go to the last stages, as Megatron's
        # --decoder-last-pipeline-num-layers can express); interleaving needs equal model chunks
        (pp > m.layers, lambda i: f"pipeline {pp[i]} has more stages than the {m.layers} layers"),
        ((v > 1) & (m.layers % (pp * v) != 0),
         lambda i: f"pipeline {pp[i]} x {v[i]} virtual stages does not split {m.layers} layers into equal chunks"),
        (tp * pp * cp > gpus, lambda i: f"tensor {tp[i]} x pipeline {pp[i]} x context {cp[i]} needs more than "
                                        f"{gpus[i]} GPUs"),
        (gpus % (tp * pp * cp) != 0, lambda i: f"tensor {tp[i]} x pipeline {pp[i]} x context {cp[i]} does not "
                                               f"divide {gpus[i]} GPUs"),
        ((ep > 1) & (((m.moe.experts or 1) % ep != 0) | ((dp * cp) % ep != 0)),
         lambda i: f"expert {ep[i]} does not divide the experts or the data-parallel ranks"),
        ((dp == 0) | (gb % np.maximum(mb * dp, 1) != 0),
         lambda i: f"global batch {gb} does not split into micro-batch {mb[i]} x data {dp[i]}"),
        ((cp > 1) & (seq % (2 * cp) != 0), lambda i: f"sequence {seq} does not split over context {cp[i]}"),
    ]
    for failed, message in checks:
        hit = valid & failed
        if hit.any():
            idx = np.flatnonzero(hit)
            # one reason per distinct message, counted
            messages = {}
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
    out["recompute"] = ("none", "selective", "full")[out["recompute"]]
    out["sequence_parallel"] = bool(out["sequence_parallel"])
    out["distributed_optimizer"] = bool(out["distributed_optimizer"])
    return out


class Evaluator:
    """Memory per rank and step time for arrays of candidates (the reference engine's formulas)."""

    def __init__(self, w: Obj, per_node: int):
        self.w, self.m, self.per_node = w, w.model, per_node
        self.pc = count(w.model)
        prec, fw = w.precision, w.framework
        self.bw, self.bg = nbytes(prec.weights), nbytes(prec.gradients or prec.weights)
        self.bm = nbytes(prec.master_weights)
        self.beta = nbytes(prec.activations or "bf16")
        self.residual = nbytes(prec.weights) if prec.weights.name in ("fp32", "bf16", "fp16", "tf32") else self.beta
        self.states_per_param = optimizer_state_bytes(w, 1.0, self.pc)[0]
        self.state_fmt = nbytes(prec.optimizer_states)
        self.foreach = (fw.optimizer_impl == "foreach" and OPTIMIZER_STATES[w.optimizer][0] > 0
                        and w.optimizer != "adamw_8bit")
        self.cuda_context = fw.cuda_context if fw.cuda_context is not None else K.CUDA_CONTEXT
        self.overhead = fw.allocator_overhead if fw.allocator_overhead is not None else K.ALLOCATOR_OVERHEAD
        self._act: dict = {}
        self._split: dict = {}

    def _layer_terms(self, tp, sp, mb, rc, cp):
        key = (tp, sp, mb, rc, cp)
        if key not in self._act:
            m, fw, w = self.m, self.w.framework, self.w
            mode = ("none", "selective", "full")[rc]
            ctx = act.Context(w.seq_len / cp, mb, tp, bool(sp), self.beta, fw.attention, mode, fw.implementation,
                              self.residual)
            full = act.Context(w.seq_len / cp, mb, tp, bool(sp), self.beta, fw.attention, "none",
                               fw.implementation, self.residual)
            kinds = [False] + ([True] if m.moe.experts is not None else [])
            per = {k: act.layer_bytes(m, ctx, k)[0] for k in kinds}
            work = max(2 * act.largest_saved(m, full, k) + (act.layer_bytes(m, full, k)[0] if mode == "full" else 0)
                       for k in kinds)
            held, transient, bwd, _ = act.head_bytes(m, ctx, fw.loss_upcast)
            self._act[key] = (per[False], per.get(True, per[False]), work, held, transient, bwd, ctx.autocast)
        return self._act[key]

    def _ranks(self, pp, v):
        key = (pp, v)
        if key not in self._split:
            m = self.m
            split = layer_split(m.layers, pp, v, None)
            dense_first = m.moe.dense_layers if m.moe.experts is not None else m.layers
            self._split[key] = [(len(s), sum(1 for i in s if i < dense_first), s[0] < dense_first if s else True)
                                for s in split]
        return self._split[key]

    def evaluate(self, c: Candidates) -> dict:
        n = len(c)
        m, pc, w, fw = self.m, self.pc, self.w, self.w.framework
        tp, pp, dp, cp, ep = (c[k].astype(float) for k in ("tensor", "pipeline", "data", "context", "expert"))
        zero, rc, mb, v = c["zero"], c["recompute"], c["micro_batch"], c["virtual_stages"]
        sp, do = c["sequence_parallel"], c["distributed_optimizer"]
        M = w.global_batch / (c["micro_batch"] * c["data"])
        shard, eshard = dp * cp, np.maximum(1.0, dp * cp / ep)
        peak = np.zeros(n)
        worst_stage = np.zeros(n, dtype=np.int64)
        max_params = np.zeros(n)
        persist_at_max = np.zeros(n)
        # per-candidate scalars from tables computed once per distinct key
        terms = _gather(np.stack([c["tensor"], sp, mb, rc, c["context"]], axis=1),
                        lambda k: self._layer_terms(*(int(x) for x in k)))
        act_d, act_m, work, held, transient, bwd, autocast = (terms[:, i] for i in range(7))
        autocast = autocast.astype(bool)
        base = _gather(np.stack([c["tensor"], sp, mb, np.zeros_like(rc), c["context"]], axis=1),
                       lambda k: self._layer_terms(*(int(x) for x in k)))
        self._act_none = np.maximum(base[:, 0], base[:, 1])  # per layer without recompute, for timing

        def share(k):
            t, e = int(k[0]), int(k[1])
            d0 = _layer_param_share(pc, 0, t, e)
            d1 = _layer_param_share(pc, m.moe.dense_layers, t, e) if m.moe.experts is not None else d0
            return d0 + d1

        sh = _gather(np.stack([c["tensor"], c["expert"]], axis=1), share)
        dense_d, exp_d, dense_m, exp_m = sh[:, 0], sh[:, 1], sh[:, 2], sh[:, 3]
        emb = pc.embedding.sharded / tp + pc.embedding.replicated
        head = pc.head.sharded / tp + pc.head.replicated + pc.final_norm.replicated
        tied_copy = np.where(pp > 1, pc.embedding.sharded / tp, 0.0) if m.tied_embeddings else 0.0
        opt_sharded = (zero >= 1) | (do == 1)
        max_pp = int(c["pipeline"].max()) if n else 0
        keys = np.stack([c["pipeline"], v], axis=1)
        uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
        table = np.zeros((len(uniq), max_pp, 3))
        for i, (p_, v_) in enumerate(uniq.tolist()):
            for r, row in enumerate(self._ranks(p_, v_)):
                table[i, r] = row
        inverse = inverse.reshape(-1)
        schedule = w.parallel.schedule
        for rank in range(max_pp):
            present = c["pipeline"] > rank
            rows = table[inverse, rank]
            n_layers, n_dense, first_dense = rows[:, 0], rows[:, 1], rows[:, 2].astype(bool)
            n_moe = n_layers - n_dense
            is_first, is_last = rank == 0, (c["pipeline"] - 1) == rank
            experts = n_moe * exp_m + n_dense * exp_d
            params = n_dense * dense_d + n_moe * dense_m + experts
            params = params + (emb if is_first else 0.0) + np.where(is_last, head + tied_copy, 0.0)
            dense = params - experts

            def sharded(bytes_per, on):
                return np.where(on, dense * bytes_per / shard + experts * bytes_per / eshard, params * bytes_per)

            weights = sharded(self.bw, zero >= 3)
            grads = sharded(self.bg, zero >= 2)
            master = sharded(self.bm, opt_sharded)
            states = sharded(self.states_per_param, opt_sharded)
            if self.bm > self.bg and w.precision.master_weights.name != "none":
                states = states + np.where(do == 1, sharded(self.bm, np.ones(n, bool)), 0.0)
            inflight = _inflight(schedule, pp, rank, M, v.astype(float))
            activ = inflight * (n_dense * act_d + n_moe * act_m)
            casts = np.where(autocast & (rc != 2) & (fw.implementation == "transformers"),
                             (params - (emb if is_first else 0.0)) * self.beta, 0.0)
            h_held = np.where(is_last, held, 0.0)
            layer_share = np.where(first_dense, dense_d + exp_d, dense_m + exp_m)
            largest_layer = np.maximum(np.where(n_dense > 0, dense_d + exp_d, 0), np.where(n_moe > 0, dense_m + exp_m, 0))
            temp_fb = np.where(zero >= 3, 2 * largest_layer * self.bw, 0.0)
            opt_temp = sharded(self.state_fmt, opt_sharded) if self.foreach else np.zeros(n)
            first = layer_share + (emb if is_first else 0.0)
            with np.errstate(divide="ignore", invalid="ignore"):
                pending = np.where(fw.grads_freed & (params > 0), np.maximum(0.0, 1 - first / params), 1.0)
            g_peak = np.where((not fw.grads_freed) | (M > inflight), grads, 0.0)
            persistent = weights + master + states
            phases = np.stack([
                persistent + g_peak + activ + casts + h_held + np.where(is_last, transient, 0.0) + temp_fb,
                persistent + g_peak + activ + casts + h_held + np.where(is_last, bwd, 0.0) + temp_fb,
                persistent + grads * pending + temp_fb + work,
                persistent + grads + opt_temp,
            ])
            device = phases.max(axis=0) * (1 + self.overhead) + self.cuda_context
            device = np.where(present, device, 0.0)
            worst_stage = np.where(device > peak, rank, worst_stage)
            peak = np.maximum(peak, device)
            bigger = present & (params > max_params)
            persist_at_max = np.where(bigger, persistent + grads, persist_at_max)
            max_params = np.maximum(max_params, np.where(present, params, 0.0))
        gpu = w._gpu
        usable = gpu.memory_usable or gpu.memory
        out = {"peak": peak, "headroom": 1 - peak / usable, "stage": worst_stage}
        out.update(self._time(c, M, max_params, persist_at_max))
        return out

    def _time(self, c: Candidates, M, params_rank, persistent) -> dict:
        w, m, pc = self.w, self.m, self.pc
        gpu = w._gpu
        peak = gpu.peak.get(compute_precision(w.precision))
        n = len(c)
        if not peak:
            return {"step": np.full(n, np.nan)}
        tp, pp, dp, cp, ep = (c[k].astype(float) for k in ("tensor", "pipeline", "data", "context", "expert"))
        v, mb, rc = c["virtual_stages"].astype(float), c["micro_batch"].astype(float), c["recompute"]
        gpus = c["gpus"].astype(float)
        seq = w.seq_len
        f = flops_per_token(m, pc, seq)
        tokens = w.global_batch * seq
        model_flops = 3 * f.forward_per_token * tokens
        hw = model_flops + np.where(rc == 2, f.forward_per_token, np.where(rc == 1, f.attention_per_token, 0.0)) * tokens
        bandwidth = gpu.memory_bandwidth * K.BANDWIDTH_EFFICIENCY
        replays = np.where(rc == 2, 2.0, 1.0)
        t_elementwise = K.ELEMENTWISE_TRAFFIC * self._act_none * (m.layers / pp) * M * replays / bandwidth
        t_compute = hw / (gpus * peak * K.MATMUL_EFFICIENCY) + t_elementwise + 2 * persistent / bandwidth
        bubble = np.where(pp > 1, t_compute * (pp - 1) / (M * v), 0.0)
        cluster, per_node = w.cluster, self.per_node
        intra = (cluster.intra_node if cluster is not None and cluster.intra_node else gpu.link) or 0.0
        intra_dir = intra / 2 if intra else 0.0
        inter = (cluster.inter_node if cluster is not None else None) or K.INTER_NODE_DEFAULT

        def allreduce(nbytes_, ranks, bandwidth):
            return np.where(ranks > 1, 2 * (ranks - 1) / np.maximum(ranks, 1) * nbytes_ / bandwidth, 0.0)

        beta = self.beta
        act_bytes = mb * (seq / cp) * m.hidden * beta
        collectives = 4 + np.where(rc == 2, 2, 0)
        tp_bw = np.where((tp <= per_node) & (intra_dir > 0), intra_dir or 1.0, inter)
        t_tp = (m.layers / pp) * M * collectives * allreduce(act_bytes, tp, tp_bw)
        dp_bw = np.where(tp * cp * dp > per_node, inter, intra_dir or inter)
        t_dp = allreduce(params_rank * self.bg, dp * cp, dp_bw)
        t_dp = t_dp + np.where(c["zero"] >= 3, allreduce(params_rank * self.bw, dp * cp, dp_bw), 0.0)
        t_dp_exposed = t_dp * (1 - K.DP_OVERLAP)
        pp_bytes = act_bytes / np.where(c["sequence_parallel"] == 1, tp, 1.0)
        pp_bw = np.where(tp * cp * dp * pp > per_node, inter, intra_dir or inter)
        t_pp = np.where(pp > 1, 2 * M * v * pp_bytes / pp_bw, 0.0)
        t_ep = np.zeros(len(c))
        if m.moe.experts:
            moe_layers = (m.layers - m.moe.dense_layers) / pp
            a2a = mb * (seq / cp) * m.moe.experts_per_token * m.hidden * beta * (ep - 1) / ep
            ep_bw = np.where(tp * ep > per_node, inter, intra_dir or inter)
            t_ep = np.where(ep > 1, moe_layers * M * 4 * a2a / ep_bw, 0.0)
        kv = mb * (seq / cp) * 2 * m.kv_heads * m.head_dim * beta / tp
        cp_bw = np.where((tp * cp <= per_node) & (intra_dir > 0), intra_dir or 1.0, inter)
        t_cp = np.where(cp > 1, (m.layers / pp) * M * 3 * (cp - 1) * kv / cp_bw * (1 - K.CP_OVERLAP), 0.0)
        step = t_compute + bubble + t_tp + t_dp_exposed + t_pp + t_ep + t_cp
        price = (cluster.price if cluster is not None and cluster.price else None) or gpu.price
        out = {"step": step, "tokens_per_s": tokens / step, "mfu": model_flops / (step * gpus * peak)}
        out["cost"] = step * gpus * price if price else np.full(n, np.nan)  # per optimizer step
        return out


def _inflight(schedule: str, pp, rank: int, M, v):
    """inflight_microbatches (training.py) on arrays."""
    one_f_one_b = np.minimum(pp - rank, M)
    interleaved = np.minimum((pp - rank - 1) * 2 + (v - 1) * pp + 1, M * v) / v
    out = np.where(v > 1, interleaved, M if schedule == "gpipe" else one_f_one_b)
    return np.where(pp == 1, 1.0, np.where(pp > rank, out, 0.0))


def _gather(keys: np.ndarray, fn) -> np.ndarray:
    """fn evaluated once per distinct row of keys, spread back to every row."""
    uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
    values = np.array([fn(k) for k in uniq], dtype=float)
    return values[inverse.reshape(-1)]


def pareto(points: np.ndarray) -> np.ndarray:
    """Indices of the points no other point beats in every column (all minimised)."""
    order = np.lexsort(points.T[::-1])
    keep = []
    best = None
    for i in order:
        p = points[i]
        if any(np.all(points[j] <= p) and np.any(points[j] < p) for j in keep):
            continue
        keep.append(i)
    del best
    return np.array(sorted(keep), dtype=np.int64)


def nodes_needed(gpus: int, per_node: int) -> int:
    return math.ceil(gpus / per_node)
