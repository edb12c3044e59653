"""A serving plan loaded by clients takes its band from the published figures loaded the same way.

Independent source: NVIDIA NIM 1.8.0's published tables (validation/published/corpus/serving.json, closed loops of
1 to 250 clients), whose TTFT grows with the clients far faster than the simulation's (57% optimistic at the
median, validation/published/serving_vs_published.md). The 10th and 90th percentiles of the validation half's
signed errors over those records (score_serving.py `band.closed_loop`) are the registry's
serving_band_closed_loop_* constants; a plan loaded at a request rate keeps the request-rate records' band.
"""

from __future__ import annotations

import json
import sys

import pytest

from capplan.core import constants as K
from capplan.pipeline import compile_files
from conftest import ROOT, report_markdown

sys.path.insert(0, str(ROOT / "validation"))
import score_serving as ss  # noqa: E402

BAND = json.loads(ss.OUT_JSON.read_text())["band"]


def _spec(load: str, name: str = "chat") -> str:
    return f"""
inference {name} {{
  model = llama3_1_8b_instruct
  gpu = h100_sxm
  gpus = 1
  weights = fp8_e4m3
  kv_cache = fp8_e4m3
  context = 2000 tokens
  prompt = 1000 tokens
  output = 1000 tokens
  {load}
}}
"""


def _load(load: str) -> dict:
    text = _spec(load)
    comp = compile_files(["chat.plan"], read=lambda path: text)
    assert not comp.diagnostics.errors, [d.message for d in comp.diagnostics.errors]
    return comp.plans[0]["serving"]["load"]


@pytest.mark.parametrize("kind", ["throughput", "ttft", "itl"])
def test_the_registry_holds_the_committed_closed_loop_percentiles(kind):
    low, high = K.SERVING_BAND_CLOSED_LOOP[kind]
    assert (low.value, high.value) == (BAND["closed_loop"][kind]["low"], BAND["closed_loop"][kind]["high"])
    assert not low.overridable and "band.closed_loop" in low.source


def test_a_plan_loaded_by_clients_takes_the_closed_loop_band():
    load = _load("batch = 100")
    band = load["band"]
    assert band["basis"] == "closed loop"
    low, high = K.SERVING_BAND_CLOSED_LOOP["ttft"]
    assert band["errors"]["ttft"] == {"low": low.value, "high": high.value}
    assert band["ttft_mean_s"]["high"] == pytest.approx(load["ttft_mean_s"] / (1 + low.value))
    # NIM's TTFT under load runs up to ten times the simulation's: the band's high end says so
    assert band["ttft_mean_s"]["high"] > 8 * load["ttft_mean_s"]


def test_a_plan_loaded_at_a_rate_keeps_the_request_rate_band():
    band = _load("requests = 5 req/s")["band"]
    assert band["basis"] == "request rate"
    assert band["errors"]["ttft"] == {"low": K.SERVING_BAND_TTFT_LOW.value, "high": K.SERVING_BAND_TTFT_HIGH.value}


def test_the_report_warns_of_the_closed_loop_ttft(project):
    md = report_markdown(project, _spec("batch = 100"))
    assert "chat: under a closed loop of clients the published TTFT ran up to 12.7 times capplan's" in md


def test_a_single_client_gets_the_band_but_no_warning(project):
    md = report_markdown(project, _spec("batch = 1", name="one"))
    assert "closed loop of clients" not in md   # NIM's single-client TTFT is within 21%
