"""Serving as a simulation of continuous batching, iteration by iteration.

The scheduler follows vLLM's V1 scheduler (vllm-project/vllm@00024d314514900f361ad072af6931e403b7f589,
vllm/v1/core/sched/scheduler.py, `Scheduler.schedule`): there is no prefill or decode phase, each
iteration has a token budget (`max_num_batched_tokens`, here the plan's `prefill_chunk`);
the RUNNING requests are served first, in admission order, each taking min(tokens it still needs,
budget) (one for a decoding request, a chunk of its prompt for a prefilling one); a request whose new
tokens need a KV block when none is free preempts the most recently admitted running request
(`self.running.pop()`; preemption by recompute: its blocks are freed and it goes back to the head of
the waiting queue with nothing computed, `_preempt_request`); WAITING requests are admitted, first
come first served, only when nothing was preempted, while the budget lasts and fewer than
`max_num_seqs` run, each taking a prompt chunk of min(prompt, budget) tokens if its blocks fit
(else admission stops). A request's prefill ends in the iteration that computes its last prompt
token, which also samples its first output token; each later iteration samples one more.
Sarathi-Serve (arXiv:2403.02310) describes this chunked-prefill batching; Vidur (arXiv:2405.05465)
simulates vLLM's scheduler the same way. The KV cache is paged in blocks of `block_size` tokens
(Kwon et al. 2023) and holds as many blocks as the memory model leaves room for
(capplan.engine.inference.kv_capacity). The `no_evict` policy admits as TensorRT-LLM's default
capacity scheduler (GUARANTEED_NO_EVICT) does instead: a request starts only when the blocks of its
whole prompt and output fit beside those reserved by the running requests, so none is ever preempted.
A request reaches the scheduler `request_overhead` after its client sends it (the API server's receipt
and tokenisation); its time to first token and end-to-end latency count from the sending.

Each iteration costs O(1) work beyond the requests it admits, finishes or preempts: decoding requests
are kept as aggregates (count, summed context, a heap of finishing iterations, and the number whose
next token opens a new block, by iteration modulo the block size), so a 10-minute trace of tens of
thousands of iterations simulates in a fraction of a second. Iteration times: capplan.engine.serving_cost.
"""

from __future__ import annotations

import dataclasses
import functools
import heapq
import math
import random
from collections import deque
from dataclasses import dataclass

from capplan.core import constants as K
from capplan.engine.figure import figure_json
from capplan.engine.serving_cost import IterationCost, iteration_cost
from capplan.ir.plan import Inference

SCHEDULER_SOURCE = ("vLLM V1 scheduler, vllm-project/vllm@00024d314514900f361ad072af6931e403b7f589 "
                    "vllm/v1/core/sched/scheduler.py (Scheduler.schedule); Sarathi-Serve arXiv:2403.02310; "
                    "Vidur arXiv:2405.05465")


@dataclass(frozen=True)
class Workload:
    """The requests a replica serves: fixed lengths (`input`, `output`) or a list of (input, output)
    pairs used in turn; arriving as a Poisson process at `rate` requests/s (seeded), all at once
    (`rate` = inf and no concurrency), or from `concurrency` clients that each send the next request
    when the last one finishes, the clients starting `stagger` seconds apart (0: all at once)."""

    input: int = 0
    output: int = 0
    requests: int = 1000
    rate: float = math.inf
    concurrency: int | None = None
    seed: int = 0
    lengths: tuple[tuple[int, int], ...] = ()
    duration: float | None = None  # with a finite rate: requests = rate x duration
    stagger: float = 0.0           # a closed loop's clients start this many seconds apart


@dataclass(frozen=True)
class Limits:
    blocks: int              # KV blocks of the replica
    block: int              # tokens per block
    budget: int             # tokens per iteration (max_num_batched_tokens)
    max_seqs: int           # running sequences at most (max_num_seqs)
    policy: str = "vllm"    # "vllm": admit on the first chunk's blocks, preempt when full;
    #                         "no_evict": admit only if prompt + output fit beside the running requests'
    #                         own prompt + output (TensorRT-LLM's default GUARANTEED_NO_EVICT)
    front_end: float = 0.0  # s from a client's sending a request to its reaching the scheduler (request_overhead)


POLICIES = ("vllm", "no_evict")
NO_EVICT_SOURCE = ("TensorRT-LLM docs, performance tuning guide, 'Useful Runtime Options': capacity scheduler "
                   "policy GUARANTEED_NO_EVICT (the default) guarantees a started request is never paused")


def limits_of(w: Inference, mem: dict, policy: str = "vllm") -> Limits:
    cap = mem["kv_capacity"]
    budget = int(w.prefill_chunk or K.PREFILL_CHUNK_TOKENS.value)
    seqs = int(w.framework.constant(K.MAX_NUM_SEQS))
    # vLLM's SchedulerConfig rejects max_num_batched_tokens < max_num_seqs: every running
    # sequence can always take its decode token, which the aggregates below rely on
    return Limits(blocks=int(cap["blocks"]), block=int(cap["block_tokens"]), budget=max(budget, seqs),
                  max_seqs=seqs, policy=policy, front_end=w.framework.constant(K.REQUEST_OVERHEAD))


def _requests(wl: Workload) -> tuple[list[int], list[int], list[float]]:
    n = wl.requests
    if wl.duration is not None and math.isfinite(wl.rate) and wl.concurrency is None:
        n = max(1, int(round(wl.rate * wl.duration)))
    pairs = wl.lengths or ((wl.input, wl.output),)
    inp = [max(1, int(pairs[i % len(pairs)][0])) for i in range(n)]
    out = [max(1, int(pairs[i % len(pairs)][1])) for i in range(n)]
    if wl.concurrency is not None:
        arrival = [i * wl.stagger for i in range(min(n, wl.concurrency))]  # the rest as earlier ones finish
    elif math.isfinite(wl.rate) and wl.rate > 0:
        rng, t, arrival = random.Random(wl.seed), 0.0, []
        for _ in range(n):
            arrival.append(t)
            t += rng.expovariate(wl.rate)
    else:
        arrival = [0.0] * n
    return inp, out, arrival


def run(cost: IterationCost, lim: Limits, wl: Workload, give_up: tuple[float, float, float] | None = None) -> dict:
    """Simulate the workload: per-request arrival, first-token and finish times, and the makespan.

    give_up = (TTFT target, TPOT target, attainment): stop, with `stalled` set, as soon as so many
    requests have missed a target (as `figures` judges them) that the share meeting both can no
    longer reach `attainment` (the max-rate search asks only that; rates past capacity are the
    slowest to simulate and are decided early)."""
    inp, out, arrival = _requests(wl)
    n, B = len(inp), lim.block
    d = lim.front_end  # a request reaches the scheduler d after its client sent it (its arrival)
    pending = [(a + d, i) for i, a in enumerate(arrival)]  # a heap by time at the scheduler (sorted: already one)
    issued = len(pending)
    arrival += [math.nan] * (n - issued)
    first, finish = [math.nan] * n, [math.nan] * n
    gen = [0] * n            # output tokens sampled so far
    target = [0] * n         # tokens the current prefill computes (the prompt; prompt + output on resume)
    done = [0] * n           # tokens of the current prefill computed
    held = [0] * n           # blocks held by a prefilling request
    c0 = [0] * n             # a decoding request: its cached tokens when it started decoding, at iteration k0
    k0 = [0] * n
    epoch = [0] * n          # invalidates the finishing-heap entries of preempted requests
    waiting: deque[int] = deque()
    running: dict[int, bool] = {}   # admission order; True once decoding
    prefilling: list[int] = []
    phase = [0] * B          # decoders whose next token opens a new block, by iteration mod B
    ends: list[tuple[int, int, int]] = []   # (iteration of its last token, request, epoch)
    st = {"n_dec": 0, "ctx": 0, "free": lim.blocks, "preemptions": 0, "reserved": 0}
    no_evict = lim.policy == "no_evict"
    mf, af, fr, wb, kb, br = (cost.matmul_flops, cost.attention_flops, cost.flop_rate, cost.weight_bytes,
                              cost.kv_token_bytes, cost.byte_rate)
    cf, cpt, oh, xb, xm = cost.comm_fixed, cost.comm_per_token, cost.overhead, cost.expert_bytes, cost.expert_miss
    ps = cost.per_sequence

    def whole(r: int) -> int:  # blocks of a request's prompt and every output token
        return -(-(inp[r] + out[r]) // B)

    k, t, finished, stalled = 0, 0.0, 0, False
    missed, ttft_slo, tpot_slo, attainment = 0, *(give_up or (math.inf, math.inf, 0.0))

    def drop(r: int, after: int) -> None:
        """Free a running request's blocks and take it out of the aggregates; `after` = 1 once this
        iteration's token is in its cache (a finish), 0 before it (a preemption)."""
        del running[r]
        if r in prefilling:
            prefilling.remove(r)
            st["free"] += held[r]
        else:
            ctx = c0[r] + k + after - k0[r]
            st["n_dec"] -= 1
            st["ctx"] -= ctx
            phase[(k0[r] - c0[r]) % B] -= 1
            st["free"] += -(-ctx // B)
            epoch[r] += 1
        held[r] = 0

    def preempt_last() -> int:
        r = next(reversed(running))
        if running[r]:
            gen[r] += k - k0[r]  # tokens sampled since it started decoding
        drop(r, 0)
        if no_evict:  # (not reached: reservations keep the cache from filling; kept consistent anyway)
            st["reserved"] -= whole(r)
        target[r], done[r] = inp[r] + gen[r], 0
        waiting.appendleft(r)
        st["preemptions"] += 1
        return r

    def finished_at(r: int) -> None:
        nonlocal finished, issued, missed
        if no_evict:
            st["reserved"] -= whole(r)
        finish[r] = t
        finished += 1
        if first[r] - arrival[r] <= ttft_slo and (finish[r] - first[r]) / max(1, out[r] - 1) > tpot_slo:
            missed += 1  # (a request that missed its first-token target is counted once, then)
        if wl.concurrency is not None and issued < n:  # its client sends the next request
            arrival[issued] = t
            heapq.heappush(pending, (t + d, issued))
            issued += 1

    while finished < n and lim.blocks > 0:
        while pending and pending[0][0] <= t:
            r = heapq.heappop(pending)[1]
            target[r] = inp[r]
            waiting.append(r)
        if not running and not waiting:
            if not pending:
                break
            t = pending[0][0]
            continue
        budget, preempted = lim.budget, False
        # running decoders first: one token each, and a block for those whose last block is full
        while running and phase[k % B] > st["free"]:
            preempt_last()
            preempted = True
        n_dec = st["n_dec"]
        st["free"] -= phase[k % B]
        budget -= n_dec
        tokens, pairs, kv_read = n_dec, st["ctx"] + n_dec, st["ctx"] + n_dec
        chunks: list[tuple[int, int]] = []
        i = 0
        while i < len(prefilling) and budget > 0:  # then running prefills, in admission order
            r = prefilling[i]
            c = min(target[r] - done[r], budget)
            more = -(-(done[r] + c) // B) - held[r]
            # no room: preempt from the tail (later prefills, not yet scheduled in this iteration),
            # down to this request itself, as vLLM's running loop does
            while more > st["free"] and not running[next(reversed(running))]:
                preempted = True
                if preempt_last() == r:
                    break
            if r not in running or more > st["free"]:
                break
            st["free"] -= more
            held[r] += more
            chunks.append((r, c))
            budget -= c
            i += 1
        while not preempted and waiting and budget > 0 and len(running) < lim.max_seqs:
            r = waiting[0]
            c = min(target[r], budget)
            more = -(-c // B)
            if more > st["free"] or (no_evict and st["reserved"] + whole(r) > lim.blocks):
                break
            if no_evict:
                st["reserved"] += whole(r)
            waiting.popleft()
            st["free"] -= more
            held[r] = more
            running[r] = False
            prefilling.append(r)
            chunks.append((r, c))
            budget -= c
        for r, c in chunks:
            p = done[r]
            tokens += c
            pairs += c * p + c * (c + 1) / 2
            kv_read += p + c
        if tokens == 0:  # prefills that cannot get blocks and nothing else runs
            if len(running) > 1:
                preempt_last()
                continue
            stalled = True  # one prompt larger than the whole cache: it can never run
            break
        # cost.seconds(tokens, pairs, kv_read, n_dec + len(chunks)) with inference.streamed, inlined (the
        # simulation's hot line; same operations, same order)
        t += (max(mf * tokens / fr, (wb - xb * xm ** max(tokens, 1.0) if xb else wb) / br)
              + max(af * pairs / fr, kb * kv_read / br)
              + cf + cpt * tokens + oh + ps * (n_dec + len(chunks)))
        st["ctx"] += n_dec  # every decoder's context grew by one token
        while ends and ends[0][0] <= k:
            _, r, e = heapq.heappop(ends)
            if e == epoch[r] and r in running:
                drop(r, 1)
                gen[r] = out[r]
                finished_at(r)
        for r, c in chunks:
            done[r] += c
            if done[r] < target[r]:
                continue
            prefilling.remove(r)
            gen[r] += 1
            if first[r] != first[r]:
                first[r] = t
                if t - arrival[r] > ttft_slo:
                    missed += 1
            if gen[r] >= out[r]:
                del running[r]
                st["free"] += held[r]
                held[r] = 0
                finished_at(r)
                continue
            # decodes from the next iteration on; its blocks now count in the decoder aggregate
            running[r] = True
            c0[r], k0[r], held[r] = target[r], k + 1, 0
            phase[(k0[r] - c0[r]) % B] += 1
            st["n_dec"] += 1
            st["ctx"] += c0[r]
            heapq.heappush(ends, (k + out[r] - gen[r], r, epoch[r]))
        k += 1
        if n - missed < attainment * n:
            stalled = True  # given up: the attainment can no longer be met
            break
    return {"n": n, "arrival": arrival, "first": first, "finish": finish, "input": inp, "output": out,
            "makespan": t, "iterations": k, "preemptions": st["preemptions"],
            "stalled": stalled or (finished < n)}


# The same simulation is asked for more than once in one process: a goal's candidate that is the plan
# itself, `check` after `eval` in one editor session, the bisection's repeated rates. `run` is a pure
# function of frozen inputs and its traces are only read, so they are kept (bounded); bench/ clears it.
traced = functools.lru_cache(maxsize=256)(run)


def quantile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default `linear` method)."""
    xs = sorted(values)
    if not xs:
        return math.nan
    pos = q * (len(xs) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def figures(trace: dict, slo: dict | None = None, clients: int | None = None) -> dict:
    """Latency percentiles, throughput and goodput of a simulated trace.

    TTFT: first token - arrival. TPOT: per request, (finish - first token) / (output - 1), as
    genai-perf's and MLPerf's per-request inter-token latency; `itl_mean_s` is the token-weighted
    mean gap (vLLM benchmark_serving's mean ITL). Goodput: requests/s that meet every SLO target
    (DistServe, Zhong et al. 2024, arXiv:2401.09670, sec. 2).

    clients: a closed loop of that many clients, measured in its steady state as GenAI-Perf measures
    concurrency runs (in windows once the load is stable): its first `clients` requests (issued before
    any queue formed) and its last (issued while the loop drains) are not measured, and the rates follow
    from Little's law (`clients` requests are always in the system: clients / mean(finish - arrival)
    requests/s)."""
    n, span = trace["n"], trace["makespan"]
    steady = clients is not None and n > 2 * clients
    measured = range(clients, n - clients) if steady else range(n)
    ok = [i for i in measured if trace["finish"][i] == trace["finish"][i]]
    ttft = [trace["first"][i] - trace["arrival"][i] for i in ok]
    e2e = [trace["finish"][i] - trace["arrival"][i] for i in ok]
    multi = [i for i in ok if trace["output"][i] > 1]
    tpot = [(trace["finish"][i] - trace["first"][i]) / (trace["output"][i] - 1) for i in multi]
    gaps = sum(trace["output"][i] - 1 for i in multi)
    out_tokens = sum(trace["output"][i] for i in ok)
    in_tokens = sum(trace["input"][i] for i in ok)
    done = len(ok) if not steady else sum(1 for f in trace["finish"] if f == f)
    res = {"requests": n, "completed": done, "duration_s": span, "iterations": trace["iterations"],
           "preemptions": trace["preemptions"], "stalled": trace["stalled"],
           "output_tokens_per_s": out_tokens / span if span else 0.0,
           "total_tokens_per_s": (out_tokens + in_tokens) / span if span else 0.0,
           "requests_per_s": len(ok) / span if span else 0.0,
           "ttft_mean_s": sum(ttft) / len(ttft) if ttft else math.nan,
           "tpot_mean_s": sum(tpot) / len(tpot) if tpot else math.nan,
           "itl_mean_s": sum(trace["finish"][i] - trace["first"][i] for i in multi) / gaps if gaps else math.nan,
           "e2e_mean_s": sum(e2e) / len(e2e) if e2e else math.nan}
    if steady and e2e:
        span = len(ok) * res["e2e_mean_s"] / clients   # the time in which the loop completes them
        res.update({"output_tokens_per_s": out_tokens / span, "total_tokens_per_s": (out_tokens + in_tokens) / span,
                    "requests_per_s": len(ok) / span, "measured_requests": len(ok)})
    for name, xs in (("ttft", ttft), ("tpot", tpot), ("e2e", e2e)):
        for q in (50, 90, 99):
            res[f"{name}_p{q}_s"] = quantile(xs, q / 100)
    if slo:
        good = sum(1 for j, i in enumerate(ok) if _meets(slo, ttft[j], (trace["finish"][i] - trace["first"][i])
                                                         / max(1, trace["output"][i] - 1)))
        res["goodput_requests_per_s"] = good / span if span else 0.0
        res["slo_attainment"] = good / len(measured) if n else 0.0
    return res


def _meets(slo: dict, ttft: float, tpot: float) -> bool:
    return ttft <= slo.get("ttft", math.inf) and tpot <= slo.get("tpot", math.inf)


def simulate(w: Inference, mem: dict, workload: Workload, slo: dict | None = None, policy: str = "vllm") -> dict:
    """Figures of the plan's replica serving `workload` (see `figures`), or {"unavailable": why}.
    slo: {"ttft": s, "tpot": s} targets for goodput."""
    cost = iteration_cost(w, mem)
    if isinstance(cost, str):
        return {"unavailable": cost}
    lim = limits_of(w, mem, policy)
    if lim.blocks < 1:
        return {"unavailable": "no KV-cache block fits next to the weights"}
    c = workload.concurrency
    if c and not workload.stagger and not workload.lengths:
        # identical requests from clients started together run in lockstep cohorts, each cohort's prompts
        # prefilled in one go, for ever; a real loop's jitter (frontend, network, the iteration a request lands
        # in) spreads the clients' phases: start them one request's time in the system apart, evenly
        probe = dataclasses.replace(workload, requests=min(workload.requests, 3 * c))   # one steady lap
        cycle = figures(traced(cost, lim, probe), clients=c)["e2e_mean_s"]
        workload = dataclasses.replace(workload, stagger=cycle / c if cycle == cycle else 0.0)
    out = figures(traced(cost, lim, workload), slo, clients=c)
    out.update({"kv_blocks": lim.blocks, "block_tokens": lim.block, "max_num_batched_tokens": lim.budget,
                "max_num_seqs": lim.max_seqs, "compute_precision": cost.precision, "source": SCHEDULER_SOURCE})
    return out


def saturated_rate(w: Inference, mem: dict, workload: Workload, policy: str = "vllm") -> float:
    """The rate one replica completes requests at when all of `workload.requests` come at once: past
    it the queue only grows, so no rate above it is served (0.0 where the plan cannot be simulated)."""
    cost = iteration_cost(w, mem)
    if isinstance(cost, str):
        return 0.0
    return figures(traced(cost, limits_of(w, mem, policy), Workload(workload.input, workload.output, workload.requests,
                                                                 lengths=workload.lengths)))["requests_per_s"]


def _serves(cost: IterationCost, lim: Limits, workload: Workload, duration: float, slo: dict, attainment: float,
            rate: float) -> bool:
    wl = Workload(workload.input, workload.output, rate=rate, seed=workload.seed, lengths=workload.lengths,
                  duration=duration)
    give_up = (slo.get("ttft", math.inf), slo.get("tpot", math.inf), attainment) if slo else None
    f = figures(traced(cost, lim, wl, give_up), slo)
    return not f["stalled"] and f.get("slo_attainment", 1.0) >= attainment  # no targets: any rate served


def serves(w: Inference, mem: dict, workload: Workload, slo: dict, attainment: float, rate: float,
           policy: str = "vllm") -> bool:
    """Whether one replica serves Poisson arrivals at `rate` (for the workload's `duration`, default
    600 s) with at least `attainment` of the requests meeting every SLO target (the test `max_rate`
    bisects on)."""
    cost = iteration_cost(w, mem)
    if isinstance(cost, str):
        return False
    return _serves(cost, limits_of(w, mem, policy), workload, workload.duration or 600.0, slo, attainment, rate)


def max_rate(w: Inference, mem: dict, workload: Workload, slo: dict, attainment: float = 0.9,
             steps: int = 12, policy: str = "vllm", saturated: float | None = None) -> dict:
    """The highest Poisson request rate one replica serves with at least `attainment` of its requests
    meeting every SLO target: bisection between 0 and the rate it completes when all requests come at
    once (past which the queue only grows; `saturated_rate`, computed here unless given). The
    workload's `duration` (default 600 s) sets the trace."""
    cost = iteration_cost(w, mem)
    if isinstance(cost, str):
        return {"unavailable": cost}
    lim = limits_of(w, mem, policy)
    duration = workload.duration or 600.0
    if saturated is None:
        saturated = saturated_rate(w, mem, workload, policy)

    def ok(rate: float) -> bool:
        return _serves(cost, lim, workload, duration, slo, attainment, rate)

    lo, hi = 0.0, saturated
    if hi <= 0 or not ok(hi / 2 ** steps):
        return {"max_requests_per_s": 0.0, "saturated_requests_per_s": saturated, "slo": slo,
                "attainment": attainment}
    if ok(hi):
        lo = hi
    for _ in range(steps if lo < hi else 0):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if ok(mid) else (lo, mid)
    return {"max_requests_per_s": lo, "saturated_requests_per_s": saturated, "slo": slo,
            "attainment": attainment}


def plan_workload(w: Inference, requests: int = 2000) -> Workload:
    """The load a plan states: its prompt (else its context) and output lengths (else one token);
    Poisson arrivals at its `requests` rate (seed 0) when it gives one, else `batch` clients each
    sending the next request when the last one finishes (measured in the loop's steady state: `figures`).
    A closed loop of identical requests repeats itself once its first round is through, so it runs 20
    rounds (at least 100 requests) rather than `requests`: one client's 2,000 requests were 2,000
    sequential lives, half a second of simulation for the same figures."""
    prompt = int(w.prompt or w.context)
    output = int(w.output or 1)
    if w.requests:
        return Workload(prompt, output, requests=requests, rate=float(w.requests))
    clients = max(1, int(w.batch))
    return Workload(prompt, output, requests=min(requests, max(100, 20 * clients)), concurrency=clients)


FIGURES = {  # figure name -> (result key, unit, formula)
    "ttft_p50": ("ttft_p50_s", "s", "median over requests of (first token - arrival)"),
    "ttft_p90": ("ttft_p90_s", "s", "90th percentile over requests of (first token - arrival)"),
    "ttft_p99": ("ttft_p99_s", "s", "99th percentile over requests of (first token - arrival)"),
    "tpot_p50": ("tpot_p50_s", "s", "median over requests of (finish - first token) / (output - 1)"),
    "tpot_p90": ("tpot_p90_s", "s", "90th percentile over requests of (finish - first token) / (output - 1)"),
    "tpot_p99": ("tpot_p99_s", "s", "99th percentile over requests of (finish - first token) / (output - 1)"),
    "e2e_p50": ("e2e_p50_s", "s", "median over requests of (finish - arrival)"),
    "e2e_p99": ("e2e_p99_s", "s", "99th percentile over requests of (finish - arrival)"),
    "output_tokens_per_s": ("output_tokens_per_s", "token/s", "output tokens of all requests / simulated time"),
    "total_tokens_per_s": ("total_tokens_per_s", "token/s",
                           "(prompt + output tokens of all requests) / simulated time"),
    "requests_per_s": ("requests_per_s", "request/s", "completed requests / simulated time"),
    "goodput": ("goodput_requests_per_s", "request/s",
                "requests meeting every SLO target / simulated time (DistServe, arXiv:2401.09670)"),
}


def figures_json(res: dict) -> dict:
    """A simulation's figures (`simulate`'s result) as the result JSON carries figures, each with its
    formula and source, keyed `serving.sim.<name>`."""
    src = f"{res['source']}; iteration times: capplan.engine.serving_cost"
    steady = (f" (a closed loop's steady state: the middle {res['measured_requests']} measured, rates by Little's "
              "law)") if "measured_requests" in res else ""
    how = (f"{res['requests']} requests{steady}, {res['iterations']} iterations, {res['preemptions']} preemptions, "
           f"{res['kv_blocks']} KV blocks of {res['block_tokens']} tokens, max_num_seqs {res['max_num_seqs']}, "
           f"max_num_batched_tokens {res['max_num_batched_tokens']}")
    return {f"serving.sim.{name}": figure_json(res[key], unit, formula, src, derivation=how)
            for name, (key, unit, formula) in FIGURES.items() if key in res}
