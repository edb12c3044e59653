"""In-flight micro-batches per pipeline rank against Megatron-Core's own schedules.

Two independent sources, neither of them capplan's formula:

1. `_megatron_order`, below: the order of forward and backward steps one rank runs, written from
   megatron-core 0.16.1, megatron/core/pipeline_parallel/schedules.py (line numbers of that file):
   * 1F1B, `forward_backward_pipelining_without_interleaving`: warm-up
     `min(p - rank - 1, m)` forwards (2093-2097), then `m - warmup` steady-state steps of one
     forward followed by one backward (2191-2265), then `warmup` cool-down backwards (2267-2292);
   * interleaved, `forward_backward_pipelining_with_interleaving`: `get_pp_rank_microbatches`
     (758-788) gives `total = m v` and warm-up `(p - rank - 1) * 2 + (v - 1) * g`, set to `total`
     (all in warm-up) when not smaller; `g = microbatch_group_size_per_vp_stage` defaults to p
     (model_parallel_config.py, `__post_init__`). Warm-up forwards (1410), then steady-state steps
     whose forward runs before the backward (`forward_backward_helper_wrapper`, 1356-1376), then
     the cool-down backwards (1798). Megatron refuses `g > m` or `g < p` (ValueError, 995-1004) and
     a last group `0 < m % g < p` (RuntimeError, 1006-1015).
   The largest count of forwards not yet matched by their backward is what the rank holds.

2. validation/data/megatron_schedule.json: the same grid run through Megatron-Core 0.16.1's real
   schedule functions (validation/megatron_schedule.py: each rank's schedule executed on CPU with
   the point-to-point calls stubbed and forward_step/backward_step recorded). Importing
   megatron.core needs torch, which the test environment does not have, so the run happens in
   the validation environment and its output is recorded with provenance; this test reads it.

Grid: pipeline 2..16, model chunks 1..4, micro-batches 1..64 (m < p, m == p, m not a multiple of p).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from capplan.check import layout_rules as R
from capplan.engine import schedules

from conftest import ROOT, compile_text, plan, run_cli

DATA = ROOT / "validation" / "data" / "megatron_schedule.json"
GRID = [(p, v, m) for p in range(2, 17) for v in range(1, 5) for m in range(1, 65)]


def _megatron_refuses(p: int, v: int, m: int) -> bool:
    """forward_backward_pipelining_with_interleaving's checks on m, with the default group g = p."""
    if v == 1:
        return False
    g = p
    return g > m or g < p or 0 < m % g < p


def _megatron_order(p: int, rank: int, v: int, m: int) -> tuple[list[str], bool]:
    """One rank's sequence of 'F' (a model-chunk forward) and 'B' (its backward), and whether
    every forward runs in the warm-up."""
    total = m * v
    if v == 1:
        warmup = min(p - rank - 1, m)
    else:
        warmup = (p - rank - 1) * 2 + (v - 1) * p
        warmup = min(warmup, total)
    remaining = total - warmup
    order = ["F"] * warmup + ["F", "B"] * remaining + ["B"] * warmup
    return order, warmup == total


def _peak(order: list[str]) -> int:
    held = peak = 0
    for step in order:
        held += 1 if step == "F" else -1
        peak = max(peak, held)
    assert held == 0
    return peak


@pytest.fixture(scope="module")
def recorded() -> dict:
    data = json.loads(DATA.read_text())
    assert data["megatron_core"]["version"] == "0.16.1"
    return {(r["pipeline"], r["chunks"], r["microbatches"]): r for r in data["runs"]}


def test_recorded_grid_covers_the_cases(recorded):
    assert sorted(recorded) == sorted(GRID)
    accepted = [k for k, r in recorded.items() if "error" not in r]
    assert any(m < p for p, v, m in accepted)                          # 1F1B with fewer micro-batches
    assert any(m == p and v > 1 for p, v, m in accepted)               # interleaved, all in warm-up
    assert any(m % p and v == 1 for p, v, m in accepted)
    assert any(any(r["all_warmup"]) for k, r in recorded.items() if "error" not in r and k[1] > 1)


@pytest.mark.parametrize("p", range(2, 17))
def test_inflight_equals_megatron_order_of_operations(p):
    for v in range(1, 5):
        schedule = "interleaved" if v > 1 else "1f1b"
        for m in range(1, 65):
            if _megatron_refuses(p, v, m):
                continue
            for rank in range(p):
                order, all_warmup = _megatron_order(p, rank, v, m)
                held = schedules.inflight(schedule, p, rank, m, v)
                assert held * v == _peak(order), (p, rank, v, m)
                assert schedules.capped_by_microbatches(schedule, p, rank, m, v) == all_warmup, (p, rank, v, m)


def test_inflight_equals_megatron_core_run(recorded):
    """Megatron-Core 0.16.1's real schedule functions: the peak, and 'all micro-batches in the
    warm-up' (get_pp_rank_microbatches) exactly where capplan says the micro-batches cap it."""
    for (p, v, m), run in recorded.items():
        if "error" in run:
            continue
        schedule = "interleaved" if v > 1 else "1f1b"
        for rank in range(p):
            assert schedules.inflight(schedule, p, rank, m, v) * v == run["peak_chunks"][rank], (p, rank, v, m)
            assert schedules.capped_by_microbatches(schedule, p, rank, m, v) == run["all_warmup"][rank]
            assert _peak(_megatron_order(p, rank, v, m)[0]) == run["peak_chunks"][rank]  # source 1 agrees


def test_interleaved_microbatch_rule_equals_megatron_refusals(recorded):
    for (p, v, m), run in recorded.items():
        refused = "error" in run
        assert refused == _megatron_refuses(p, v, m), (p, v, m, run.get("error"))
        assert bool(R.interleaved_microbatches_do_not_group(p, v, m)) == refused, (p, v, m)
    p, v, m = (np.array(x) for x in zip(*GRID))
    expected = np.array(["error" in recorded[k] for k in GRID])
    assert (R.interleaved_microbatches_do_not_group(p, v, m) == expected).all()


def test_arrays_equal_scalars():
    p, v, m = (np.array(x) for x in zip(*GRID))
    for rank in (0, 1, 5, 15):
        held = schedules.inflight("1f1b", p, rank, m.astype(float), v)
        capped = schedules.capped_by_microbatches("1f1b", p, rank, m.astype(float), v)
        for i in range(0, len(GRID), 37):
            one = schedules.inflight("1f1b", int(p[i]), rank, int(m[i]), int(v[i]))
            assert held[i] == one and capped[i] == schedules.capped_by_microbatches(
                "1f1b", int(p[i]), rank, int(m[i]), int(v[i]))
    assert (held[p <= 15] == 0).all()  # rank 15 exists only with 16 stages


def test_gpipe_holds_every_microbatch_and_is_never_flagged():
    for p, m in ((2, 1), (4, 3), (8, 64)):
        assert [schedules.inflight("gpipe", p, r, m, 1) for r in range(p)] == [m] * p
        assert not any(schedules.capped_by_microbatches("gpipe", p, r, m, 1) for r in range(p))
    assert schedules.inflight("1f1b", 1, 0, 8, 1) == 1.0  # no pipeline: forward, then backward


PLAN = """training t {{
  model        = llama2_7b
  gpu          = a100_80gb
  gpus         = 16
  precision    = megatron_bf16
  seq_len      = 4096 tokens
  global_batch = {gb}
  parallel {{ pipeline = 4{extra} }}
}}
"""


def test_interleaved_plan_with_ungrouped_microbatches_is_an_error(project):
    # 24 / (1 x 4 data ranks) = 6 micro-batches: Megatron-Core raises RuntimeError (6 % 4 = 2 < 4)
    comp = compile_text(project, PLAN.format(gb=24, extra="; schedule = interleaved; virtual_stages = 2"))
    errors = [d for d in comp.diagnostics.items if d.code == "E0407"]
    assert len(errors) == 1 and "multiple of the pipeline size 4" in errors[0].message, errors
    # the same micro-batches under 1F1B are fine; so is a multiple of 4 under interleaving
    for extra, gb in (("", 24), ("; schedule = interleaved; virtual_stages = 2", 32)):
        comp = compile_text(project, PLAN.format(gb=gb, extra=extra))
        assert not [d for d in comp.diagnostics.items if d.code == "E0407"]
        plan(comp, "t")


def test_stages_capped_by_microbatches_say_so_in_json_and_text(project):
    # 8 / 4 data ranks = 2 micro-batches on 4 stages: 1F1B would hold 4, 3, 2, 1 (Megatron: p - i)
    comp = compile_text(project, PLAN.format(gb=8, extra=""))
    ranks = plan(comp, "t")["ranks"]
    assert [r["inflight_microbatches"] for r in ranks] == [2, 2, 2, 1]
    assert [r["inflight_capped_by_microbatches"] for r in ranks] == [True, True, False, False]
    assert ranks[0]["inflight_note"] == ("stage 0 holds 2 micro-batches: only 2 per step, fewer than the 4 "
                                         "the 1F1B warm-up would hold")
    assert "inflight_note" not in ranks[2]
    code, out, err = run_cli("eval", "--color", "never", "main.plan", cwd=project.root)
    assert code == 0, err
    assert "note: stage 1 holds 2 micro-batches: only 2 per step, fewer than the 3 the 1F1B warm-up" in out
    # interleaved, m == p: every forward is in the warm-up on stages 0 and 1 (11 and 9 > 8 chunk forwards)
    comp = compile_text(project, PLAN.format(gb=16, extra="; schedule = interleaved; virtual_stages = 2"))
    ranks = plan(comp, "t")["ranks"]
    assert [r["inflight_microbatches"] for r in ranks] == [4, 4, 3.5, 2.5]
    assert [r["inflight_capped_by_microbatches"] for r in ranks] == [True, True, False, False]
    assert "(8 model-chunk forwards)" in ranks[0]["inflight_note"] and "the 11 chunk forwards" in ranks[0]["inflight_note"]
