"""The serving scorer's rule for records whose stated lengths cannot be every request's own
(validation/score_serving.py `drain_excess`, `variable_lengths`).

A run of N requests arriving as a Poisson process at rate q, with fixed lengths, ends about (N - 1) / q after its
first arrival plus one request's time; a published completed rate that needs a far longer end (the last
completion many seconds after the last arrival, with no queue to explain it) means some requests generated far
more than the stated output. The arithmetic below is done by hand from the records' own printed figures.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "validation"))
import score_serving as S  # noqa: E402


def record(rate: float, completed: str, ttft_ms: float, itl_ms: float, output: int = 214, n: int = 500,
           rid: str = "r", inputs: int = 202) -> dict:
    return {"id": rid, "family": "f", "model": {"catalog": "m"}, "hardware": {"catalog_gpu": "g"},
            "settings": {"request_rate": rate, "num_requests": n, "input_tokens": inputs, "output_tokens": output,
                         "tensor": 1},
            "measured": [{"quantity": "requests_per_s", "value": float(completed), "printed": completed,
                          "unit": "requests/s"},
                         {"quantity": "mean_ttft", "value": ttft_ms, "printed": f"{ttft_ms:g}", "unit": "ms"},
                         {"quantity": "mean_itl", "value": itl_ms, "printed": f"{itl_ms:g}", "unit": "ms"}]}


def test_the_drain_bound_by_hand():
    # TensorRT-LLM 0.14's Llama 3.1 8B on an H100 at 32 requests/s, 202 / 214 tokens: 500 requests completed at
    # 23/s (printed to the unit: at most 23.5/s), mean TTFT 27 ms, mean ITL 11 ms
    d = S.drain_excess(record(32.0, "23", 27.0, 11.0))
    assert d["drain_s"] == pytest.approx(500 / 23.5 - 499 / 32)            # 5.683 s after the last arrival
    assert d["longest_s"] == pytest.approx(2 * 0.027 + 213 * 0.011)         # 2.397 s for one request
    assert d["z"] == pytest.approx((5.683 - 2.397) / (math.sqrt(499) / 32), abs=0.01)   # 4.7 deviations


def test_a_run_of_fixed_lengths_is_not_flagged():
    # 467 / 256 tokens at 16 requests/s: 15/s completed, TTFT 30 ms, ITL 11 ms (the same page): the end fits
    d = S.drain_excess(record(16.0, "15", 30.0, 11.0, output=256, inputs=467))
    assert d["z"] < 0
    assert S.variable_lengths([record(16.0, "15", 30.0, 11.0, output=256, inputs=467)]) == {}


def test_one_record_rules_out_its_whole_shape():
    slow = record(32.0, "23", 27.0, 11.0, rid="qps32")
    light = record(2.0, "2", 19.0, 7.0, rid="qps2")          # consistent on its own
    reasons = S.variable_lengths([light, slow])
    assert list(reasons) == [S._shape(light)]
    ruling, why = reasons[S._shape(light)]
    assert ruling == "qps32" and "at 32 requests/s, 500 requests completed at 23/s" in why


def test_records_without_the_figures_are_not_judged():
    r = record(32.0, "23", 27.0, 11.0)
    r["settings"]["request_rate"] = "infinite"
    assert S.drain_excess(r) is None
    r = record(32.0, "23", 27.0, 11.0)
    r["settings"]["num_requests"] = None
    assert S.drain_excess(r) is None


def test_in_the_corpus_it_flags_exactly_the_202_214_sweeps():
    records = json.loads(S.CORPUS.read_text())["records"]
    flagged = S.variable_lengths(records)
    assert sorted((shape[1], shape[2], shape[4], shape[5]) for shape in flagged) == [
        ("llama3_1_70b", "h100_sxm", 202, 214), ("llama3_1_70b", "h200", 202, 214),
        ("llama3_1_8b", "h100_sxm", 202, 214), ("llama3_1_8b", "h200", 202, 214)]
    # and every other record it can judge sits well inside the bound
    others = [S.drain_excess(r) for r in records if S._shape(r) not in flagged]
    assert max(d["z"] for d in others if d) < 1.0
