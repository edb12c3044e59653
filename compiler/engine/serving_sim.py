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
`framework.scheduler = sglang` schedules as SGLang does instead (`PREFILL_FIRST_SOURCE`): an iteration that
can admit a waiting request, or has a chunked prompt to continue, prefills only and the running decodes
wait; a request is admitted while its prompt and output fit beside the prefilling requests' and the running
requests' remaining outputs x `new_token_ratio` (the registry's), and a decode that finds the cache full
preempts (SGLang retracts) as vLLM does. The decoders' bookkeeping counts decode iterations (`kd`), which
prefill-only iterations do not advance.
A request reaches the scheduler `request_overhead` after its client sends it (the API server's receipt
and tokenisation); its time to first token and end-to-end latency count from the sending.

Each iteration costs O(1) work beyond the requests it admits, finishes or preempts: decoding requests
are kept as aggregates (count, summed context, a heap of finishing iterations, and the number whose
next token opens a new block, by decode iteration modulo the block size), so a 10-minute trace of tens of
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
from capplan.engine.serving_figures import figures
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
    prefill_first: bool = False  # SGLang: an iteration that can prefill does only that; the decodes wait
    new_token_ratio: float = 0.7  # SGLang's admission: the reserved share of the running requests' outputs


NO_EVICT_SOURCE = ("TensorRT-LLM docs, performance tuning guide, 'Useful Runtime Options': capacity scheduler "
                   "policy GUARANTEED_NO_EVICT (the default) guarantees a started request is never paused")
PREFILL_FIRST_SOURCE = ("SGLang scheduler, sgl-project/sglang@d51c1c21d1ac07cd5d1de9ead6c99087d8428e79 "
                        "python/sglang/srt/managers/scheduler.py: the event loop runs get_new_batch_prefill's batch "
                        "when it admits a request, else the running batch's decode; mixed chunks only with "
                        "--enable-mixed-chunk (is_mixed_chunk, off by default); admission: "
                        "sgl-project/sglang@ad0119fdde519598c25f5c48b95dacaa2b85d607 python/sglang/srt/managers/"
                        "schedule_policy.py PrefillAdder (rem_total_tokens, CLIP_MAX_NEW_TOKENS)")
SCHEDULERS = {  # framework.scheduler -> (admission policy, prefill first, source)
    "vllm": ("vllm", False, SCHEDULER_SOURCE),
    "sglang": ("vllm", True, PREFILL_FIRST_SOURCE),
    "tensorrt_llm": ("no_evict", False, "TensorRT-LLM in-flight batching; " + NO_EVICT_SOURCE),
}


def limits_of(w: Inference, mem: dict) -> Limits:
    """The replica's scheduler limits: the plan's KV blocks, token budget, sequence cap and scheduler."""
    admission, prefill_first, _ = SCHEDULERS[w.framework.scheduler]
    cap = mem["kv_capacity"]
    budget = int(w.prefill_chunk or K.PREFILL_CHUNK_TOKENS.value)
    seqs = int(w.framework.constant(K.MAX_NUM_SEQS))
    # vLLM's SchedulerConfig rejects max_num_batched_tokens < max_num_seqs: every running
    # sequence can always take its decode token, which the aggregates below rely on
    return Limits(blocks=int(cap["blocks"]), block=int(cap["block_tokens"]), budget=max(budget, seqs),
                  max_seqs=seqs, policy=admission, front_end=w.framework.constant(K.REQUEST_OVERHEAD),
                  prefill_first=prefill_first, new_token_ratio=w.framework.constant(K.NEW_TOKEN_RATIO))


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
    c0 = [0] * n             # a decoding request: its cached tokens when it started decoding, at decode iteration k0
    k0 = [0] * n
    epoch = [0] * n          # invalidates the finishing-heap entries of preempted requests
    last = [0] * n           # a decoding request: the decode iteration of its last token
    waiting: deque[int] = deque()
    running: dict[int, bool] = {}   # admission order; True once decoding
    prefilling: list[int] = []
    phase = [0] * B          # decoders whose next token opens a new block, by decode iteration mod B
    ends: list[tuple[int, int, int]] = []   # (decode iteration of its last token, request, epoch)
    # decoders' summed last iterations and outputs: SGLang's admission reserves their remaining tokens
    st = {"n_dec": 0, "ctx": 0, "free": lim.blocks, "preemptions": 0, "reserved": 0, "last": 0, "out": 0}
    sg, ratio = lim.prefill_first, lim.new_token_ratio
    # SGLang's ratio falls from its first value to a floor over so many decode steps (registry: K.NEW_TOKEN_RATIO...)
    floor = lim.new_token_ratio * K.NEW_TOKEN_RATIO_FLOOR.value
    decay = (lim.new_token_ratio - floor) / K.NEW_TOKEN_RATIO_DECAY_STEPS.value
    clip = int(K.CLIP_MAX_NEW_TOKENS.value)
    no_evict = lim.policy == "no_evict"
    mf, af, fr, wb, kb, br = (cost.matmul_flops, cost.attention_flops, cost.flop_rate, cost.weight_bytes,
                              cost.kv_token_bytes, cost.byte_rate)
    cf, cpt, oh, xb, xm = cost.comm_fixed, cost.comm_per_token, cost.overhead, cost.expert_bytes, cost.expert_miss
    ps = cost.per_sequence

    def whole(r: int) -> int:  # blocks of a request's prompt and every output token
        return -(-(inp[r] + out[r]) // B)

    # k counts iterations, kd those that advance the decoders: all of them, except a prefill-first scheduler's
    # prefill-only iterations, in which the running decodes wait
    k, kd, t, finished, stalled = 0, 0, 0.0, 0, False
    missed, ttft_slo, tpot_slo, attainment = 0, *(give_up or (math.inf, math.inf, 0.0))

    def drop(r: int, after: int) -> None:
        """Free a running request's blocks and take it out of the aggregates; `after` = 1 once this
        iteration's token is in its cache (a finish), 0 before it (a preemption)."""
        del running[r]
        if r in prefilling:
            prefilling.remove(r)
            st["free"] += held[r]
        else:
            ctx = c0[r] + kd + after - k0[r]
            st["n_dec"] -= 1
            st["ctx"] -= ctx
            phase[(k0[r] - c0[r]) % B] -= 1
            st["free"] += -(-ctx // B)
            st["last"] -= last[r]
            st["out"] -= out[r]
            epoch[r] += 1
        held[r] = 0

    def remaining() -> int:  # output tokens the decoders have still to sample (each at most `clip` counted)
        return min(st["last"] + st["n_dec"] * (1 - kd), clip * st["n_dec"])

    def sg_admits(r: int) -> bool:
        """SGLang's PrefillAdder: a request is admitted while its prompt and output fit in the cache beside the
        running decodes' remaining outputs x new_token_ratio and the prefilling requests' prompts and outputs."""
        booked = sum(target[q] + min(out[q] - gen[q], clip) - held[q] * B for q in prefilling)
        return target[r] + min(out[r] - gen[r], clip) < st["free"] * B - booked - ratio * remaining()

    def preempt_last() -> int:
        r = next(reversed(running))
        if running[r]:
            gen[r] += kd - k0[r]  # tokens sampled since it started decoding
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
            ratio = lim.new_token_ratio  # an idle scheduler starts over from the initial ratio
            if not pending:
                break
            t = pending[0][0]
            continue
        budget, preempted = lim.budget, False
        # SGLang runs a prefill batch whenever it can admit a request or continue a chunked one; the decodes wait
        prefill_only = sg and bool(prefilling or (
            waiting and len(running) < lim.max_seqs and -(-min(target[waiting[0]], budget) // B) <= st["free"]
            and sg_admits(waiting[0])))
        # running decoders first: one token each, and a block for those whose last block is full
        while not prefill_only and running and phase[kd % B] > st["free"]:
            preempt_last()
            preempted = True
        n_dec = 0 if prefill_only else st["n_dec"]
        if not prefill_only:
            st["free"] -= phase[kd % B]
        budget -= n_dec
        ctx = st["ctx"] if n_dec else 0
        tokens, pairs, kv_read = n_dec, ctx + n_dec, ctx + n_dec
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
        while not preempted and waiting and budget > 0 and len(running) < lim.max_seqs and (prefill_only or not sg):
            r = waiting[0]
            c = min(target[r], budget)
            more = -(-c // B)
            if more > st["free"] or (no_evict and st["reserved"] + whole(r) > lim.blocks) or (sg and not sg_admits(r)):
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
        while not prefill_only and ends and ends[0][0] <= kd:
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
            c0[r], k0[r], held[r] = target[r], kd + (not prefill_only), 0
            last[r] = k0[r] - 1 + out[r] - gen[r]
            phase[(k0[r] - c0[r]) % B] += 1
            st["n_dec"] += 1
            st["ctx"] += c0[r]
            st["last"] += last[r]
            st["out"] += out[r]
            heapq.heappush(ends, (last[r], r, epoch[r]))
        k += 1
        kd += not prefill_only
        if sg and preempted and st["out"]:
            # a retraction: the ratio becomes (sampled + 20 steps per running request) / their outputs
            ratio = min(1.0, (st["out"] - remaining() + K.RETRACT_DECODE_STEPS.value * st["n_dec"]) / st["out"])
        elif sg and not prefill_only:
            ratio = max(floor, ratio - decay)
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


def _prepared(w: Inference, mem: dict, workload: Workload) -> tuple[IterationCost, Limits, Workload] | str:
    """The iteration cost, the limits and the workload as simulated, or why the plan cannot be."""
    cost = iteration_cost(w, mem)
    if isinstance(cost, str):
        return cost
    lim = limits_of(w, mem)
    if lim.blocks < 1:
        return "no KV-cache block fits next to the weights"
    c = workload.concurrency
    if c and not workload.stagger and not workload.lengths:
        # identical requests from clients started together run in lockstep cohorts, each cohort's prompts
        # prefilled in one go, for ever; a real loop's jitter (frontend, network, the iteration a request lands
        # in) spreads the clients' phases: start them one request's time in the system apart, evenly
        probe = dataclasses.replace(workload, requests=min(workload.requests, 3 * c))   # one steady lap
        cycle = figures(traced(cost, lim, probe), clients=c)["e2e_mean_s"]
        workload = dataclasses.replace(workload, stagger=cycle / c if cycle == cycle else 0.0)
    return cost, lim, workload


def request_ttfts(w: Inference, mem: dict, workload: Workload) -> list[tuple[int, float]] | str:
    """Each completed request's (prompt tokens, TTFT) as `simulate` runs `workload`, in request order; or why
    the plan cannot be simulated."""
    prepared = _prepared(w, mem, workload)
    if isinstance(prepared, str):
        return prepared
    trace = traced(*prepared)
    return [(trace["input"][i], trace["first"][i] - trace["arrival"][i]) for i in range(trace["n"])
            if trace["finish"][i] == trace["finish"][i]]


def simulate(w: Inference, mem: dict, workload: Workload, slo: dict | None = None) -> dict:
    """Figures of the plan's replica serving `workload` (see `figures`), or {"unavailable": why}.
    slo: {"ttft": s, "tpot": s} targets for goodput."""
    prepared = _prepared(w, mem, workload)
    if isinstance(prepared, str):
        return {"unavailable": prepared}
    cost, lim, workload = prepared
    out = figures(traced(cost, lim, workload), slo, clients=workload.concurrency)
    out.update({"kv_blocks": lim.blocks, "block_tokens": lim.block, "max_num_batched_tokens": lim.budget,
                "max_num_seqs": lim.max_seqs, "compute_precision": cost.precision,
                "source": SCHEDULERS[w.framework.scheduler][2]})
    return out


def saturated_rate(w: Inference, mem: dict, workload: Workload) -> float:
    """The rate one replica completes requests at when all of `workload.requests` come at once: past
    it the queue only grows, so no rate above it is served (0.0 where the plan cannot be simulated)."""
    cost = iteration_cost(w, mem)
    if isinstance(cost, str):
        return 0.0
    return figures(traced(cost, limits_of(w, mem), Workload(workload.input, workload.output, workload.requests,
                                                         lengths=workload.lengths)))["requests_per_s"]


def _serves(cost: IterationCost, lim: Limits, workload: Workload, duration: float, slo: dict, attainment: float,
            rate: float) -> bool:
    wl = Workload(workload.input, workload.output, rate=rate, seed=workload.seed, lengths=workload.lengths,
                  duration=duration)
    give_up = (slo.get("ttft", math.inf), slo.get("tpot", math.inf), attainment) if slo else None
    f = figures(traced(cost, lim, wl, give_up), slo)
    return not f["stalled"] and f.get("slo_attainment", 1.0) >= attainment  # no targets: any rate served


def serves(w: Inference, mem: dict, workload: Workload, slo: dict, attainment: float, rate: float) -> bool:
    """Whether one replica serves Poisson arrivals at `rate` (for the workload's `duration`, default
    600 s) with at least `attainment` of the requests meeting every SLO target (the test `max_rate`
    bisects on)."""
    cost = iteration_cost(w, mem)
    if isinstance(cost, str):
        return False
    return _serves(cost, limits_of(w, mem), workload, workload.duration or 600.0, slo, attainment, rate)


def max_rate(w: Inference, mem: dict, workload: Workload, slo: dict, attainment: float = 0.9,
             steps: int = 12, saturated: float | None = None) -> dict:
    """The highest Poisson request rate one replica serves with at least `attainment` of its requests
    meeting every SLO target: bisection between 0 and the rate it completes when all requests come at
    once (past which the queue only grows; `saturated_rate`, computed here unless given). The
    workload's `duration` (default 600 s) sets the trace."""
    cost = iteration_cost(w, mem)
    if isinstance(cost, str):
        return {"unavailable": cost}
    lim = limits_of(w, mem)
    duration = workload.duration or 600.0
    if saturated is None:
        saturated = saturated_rate(w, mem, workload)

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
