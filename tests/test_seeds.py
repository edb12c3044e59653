"""The seeds' worked examples, reproduced under the seeds' own assumptions.

Independent source: the seed documents in shared/seeds/ (their arithmetic,
quoted per test), and for their mistakes, the corrected arithmetic written out
here by hand.
"""

from __future__ import annotations

import pytest

from capplan.pipeline import compile_files

from conftest import ROOT, plan

SEEDS = ROOT / "specs" / "seeds"
GB, GiB = 1e9, 2**30


@pytest.fixture(scope="module")
def pipeline13b():
    comp = compile_files([str(SEEDS / "002-13b-megatron-pipeline.plan")])
    assert not comp.diagnostics.has_errors
    return comp


def state(rank: dict) -> float:
    m = rank["memory"]
    return m["weights"] + m["gradients"] + m["master_weights"] + m["optimizer_states"]


def test_13b_times_18_is_234_gb(pipeline13b):
    # seed 002: "13B x 18 = 234GB"
    [rank] = plan(pipeline13b, "seed_one_card")["ranks"]
    assert state(rank) == pytest.approx(234 * GB)
    assert plan(pipeline13b, "seed_one_card")["fits"] is False


def test_activations_40_shl_is_34_gb(pipeline13b):
    # seed 002: "40 x 4096 x 5120 x 40 = 34GB" (exactly 33.55e9 B; the seed rounds up)
    [rank] = plan(pipeline13b, "seed_one_card")["ranks"]
    assert rank["memory"]["activations"] == 40 * 4096 * 5120 * 40
    assert round(rank["memory"]["activations"] / GB) == 34


def test_pipeline_4_one_microbatch_is_67_gb_per_card(pipeline13b):
    # seed 002: "58.5 + 8.5 = 67GB per card"
    ranks = plan(pipeline13b, "seed_pp4_one_microbatch")["ranks"]
    for r in ranks:
        assert state(r) == pytest.approx(58.5 * GB)
        assert r["peak_bytes"] / GB == pytest.approx(67, abs=0.15)  # 66.89: the seed rounds 8.39 to 8.5


def test_pipeline_4_with_1f1b_overflows_the_first_cards(pipeline13b):
    # seed 002: card 1 holds 4 micro-batches: 58.5 + 4 x 8.5 = 92.5 GB > 80 GB.
    # The seed goes on "cards 2 and 3 explode too, only card 4 does not": by its own numbers
    # card 3 needs 58.5 + 2 x 8.5 = 75.5 GB, which fits in 80 GB. Cards 1 and 2 do not fit.
    p = plan(pipeline13b, "seed_pp4_1f1b")
    inflight = [r["inflight_microbatches"] for r in p["ranks"]]
    assert inflight == [4, 3, 2, 1]
    assert p["ranks"][0]["peak_bytes"] / GB == pytest.approx(92.5, abs=0.5)
    assert p["ranks"][2]["peak_bytes"] / GB == pytest.approx(75.5, abs=0.5)
    assert [r["fits"] for r in p["ranks"]] == [False, False, True, True]


def test_two_pipelines_of_four_with_zero1(pipeline13b):
    # seed 002: 13 x (6/4 + 12/8) + 34 = 73 GB; then 64.5, 56, 47.5 GB
    p = plan(pipeline13b, "seed_pp4_dp2_zero1")
    assert state(p["ranks"][0]) == pytest.approx(13 * (6 / 4 + 12 / 8) * GB)
    peaks = [r["peak_bytes"] / GB for r in p["ranks"]]
    assert peaks == pytest.approx([73, 64.5, 56, 47.5], abs=0.5)
    assert p["fits"]


def test_all_eight_in_one_pipeline(pipeline13b):
    # seed 002: 13 x 18/8 + 34 = 63.25 GB on card 1
    p = plan(pipeline13b, "seed_pp8")
    assert p["ranks"][0]["peak_bytes"] / GB == pytest.approx(63.25, abs=0.5)


def test_zero1_data_parallel_alone_has_no_solution(pipeline13b):
    # seed 002: 13 x (6 + 12/n) < 46 has no solution
    assert plan(pipeline13b, "seed_dp8_zero1")["fits"] is False


def test_detailed_estimate_of_the_same_layout_fits_on_a100(pipeline13b):
    p = plan(pipeline13b, "llama2_13b_pp4_dp2_zero1")
    assert p["fits"] and p["ranks"][0]["peak_bytes"] > p["ranks"][-1]["peak_bytes"]


@pytest.mark.parametrize("name,gib", [("seed_7b_fp32", 26.08), ("seed_7b_fp16", 13.04),
                                      ("seed_7b_int8", 6.52), ("seed_7b_int4", 3.26)])
def test_llama2_7b_weights_by_format(name, gib):
    # seed 003: 7e9 params x bytes / 2^30: 26.075 / 13.04 / 6.52 / 3.26 GB(iB)
    comp = compile_files([str(SEEDS / "003-llama2-7b-weights.plan")])
    assert plan(comp, name)["memory"]["weights"] / GiB == pytest.approx(gib, abs=0.005)


def test_kv_cache_is_1_gib_not_16_mb():
    # seed 004: "2 x 2048 x 32 x 128 x 2B = 16MB". That product is 32 MiB, and it is one layer:
    # Llama-2-7B has 32 layers, so 2 x 32 layers x 32 heads x 128 x 2048 tokens x 2 B = 1 GiB.
    one_layer = 2 * 2048 * 32 * 128 * 2
    assert one_layer == 32 * 2**20
    comp = compile_files([str(SEEDS / "004-llama2-7b-kv-cache.plan")])
    p = plan(comp, "seed_7b_kv_2048")
    assert p["memory"]["kv_cache"] == 32 * one_layer == GiB


def test_gpt2_small_example_is_123_million_not_12_billion():
    comp = compile_files([str(SEEDS / "001-gpt2-small-params.plan")])
    [model] = comp.models
    # the seed's own sum: 12 x 7,081,984 + 38,400,000
    seed_sum = 12 * 7_081_984 + 38_400_000
    assert seed_sum == 123_383_808 and seed_sum < 1.3e8  # 123 million, not "123 亿" (12.3 billion)
    # its FFN line mis-adds: 2*768*3072 + 768 + 3072 = 4,722,432 (not 4,719,616)
    per_layer = 4 * 768**2 + (2 * 768 * 3072 + 768 + 3072) + 2 * (2 * 768)
    assert model["params"]["total"] == 12 * per_layer + 50_000 * 768 == 123_417_600
