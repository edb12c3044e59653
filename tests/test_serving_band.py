"""Serving uncertainty (issue 11 item 5): each simulated serving figure carries the band the published
serving figures' errors allow, and serving goals size fleets at its pessimistic end.

Independent source: the band is the 10th/90th percentile of the signed errors of the simulation
against the validation half of validation/published/corpus/serving.json (TensorRT-LLM's published
performance tables; the calibration half chose the fitted constants). These tests hold the registry
to that file and the fleet answers to the band's direction.
"""

from __future__ import annotations

import json

import pytest

from capplan.core import constants as K
from conftest import ROOT, compile_text, plan

SCORE = json.loads((ROOT / "validation" / "published" / "serving_vs_published.json").read_text())

SPEC = """
inference chat {
  model = llama3_1_8b
  gpu = h100_sxm
  gpus = 1
  context = 2560 tokens
  prompt = 2048 tokens
  output = 512 tokens
  requests = 30 req/s
  targets { ttft = 2 s; tpot = 60 ms }
}
goal fleet for chat {
  gpus = [h100_sxm]
  minimize cost
}
"""


def test_the_registry_holds_the_validation_half_band():
    band = SCORE["band"]
    pairs = {"throughput": (K.SERVING_BAND_THROUGHPUT_LOW, K.SERVING_BAND_THROUGHPUT_HIGH),
             "ttft": (K.SERVING_BAND_TTFT_LOW, K.SERVING_BAND_TTFT_HIGH),
             "itl": (K.SERVING_BAND_ITL_LOW, K.SERVING_BAND_ITL_HIGH)}
    for kind, (lo, hi) in pairs.items():
        assert (band[kind]["low"], band[kind]["high"]) == (lo.value, hi.value), kind
        assert band[kind]["n"] >= 4
    # the simulation's TTFT runs at or above the published on nine in ten of the validation half's request-rate
    # figures (since stop 35's refit, 5 ms of front end): the band lies at or below the prediction
    assert 0 <= K.SERVING_BAND_TTFT_LOW.value < K.SERVING_BAND_TTFT_HIGH.value


def test_each_simulated_figure_has_its_band(project):
    ld = plan(compile_text(project, SPEC), "chat")["serving"]["load"]
    b = ld["band"]
    for key in ("output_tokens_per_s", "max_requests_per_s", "tpot_p50_s"):   # errors of both signs
        assert b[key]["low"] < ld[key] < b[key]["high"], key
    # ITL: the 10th percentile of the signed error (-15.3%) puts the band's top 18% above the prediction
    # (1 / 0.847), the 90th (+20.9%) its bottom 17% below (1 / 1.209)
    assert b["tpot_p50_s"]["high"] == pytest.approx(ld["tpot_p50_s"] / (1 + K.SERVING_BAND_ITL_LOW.value))
    assert b["tpot_p50_s"]["high"] - ld["tpot_p50_s"] > ld["tpot_p50_s"] - b["tpot_p50_s"]["low"]
    # TTFT: predicted at or above the published, so the published lies at or below the prediction
    assert b["ttft_p50_s"]["low"] < b["ttft_p50_s"]["high"] <= ld["ttft_p50_s"]
    assert b["ttft_p50_s"]["high"] == pytest.approx(ld["ttft_p50_s"] / (1 + K.SERVING_BAND_TTFT_LOW.value))


def test_serving_goals_are_sized_at_the_pessimistic_end(project):
    comp = compile_text(project, SPEC)
    o = comp.goals[0]["options"][0]
    k = o["sized_at"]
    assert k["requests"] == pytest.approx(1 + K.SERVING_BAND_THROUGHPUT_HIGH.value)
    assert k["ttft"] == pytest.approx(1 + K.SERVING_BAND_TTFT_LOW.value)
    # the fleet carries the raised load: each replica was shown to serve its share of it
    assert o["replicas"] * o["requests_per_s_per_replica"] == pytest.approx(30 * k["requests"])
    ld = plan(comp, "chat")["serving"]["load"]
    # a replica's own (central) max rate would have needed fewer replicas than the pessimistic fleet
    assert o["replicas"] >= -(-30 // ld["max_requests_per_s"])
