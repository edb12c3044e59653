"""The constants registry: every assumption is named, sourced and overridable in a spec."""

from __future__ import annotations

import pytest

from capplan.check.schema import FRAMEWORK, INFERENCE
from capplan.core import constants as K
from conftest import compile_text, plan

PLAN = """
gpu g {{
  architecture = hopper
  memory = 80 GiB
  memory_bandwidth = 3.35 TB/s
  peak {{ bf16 = 989 TFLOP/s; fp8 = 1979 TFLOP/s }}
  link = 900 GB/s
  power = 700 W
  price = 2 USD/h
  purchase_price = 30000 USD
}}
cluster c {{
  gpu = g
  gpus_per_node = 8
  nodes = 2
}}
model m {{
  layers = 4
  hidden = 1024
  heads = 8
  ffn = 4096
  vocab = 32000
}}
precision p {{
  weights = bf16
  master_weights = fp32
  optimizer_states = fp32{compute}
}}
training t {{
  model = m
  cluster = c
  precision = p
  seq_len = 2048 tokens
  micro_batch = 1
  global_batch = 32
  tokens = 1 Gtoken
  parallel {{ context = 2{zero} }}
  {framework}
}}
"""


def test_every_overridable_constant_is_a_framework_field():
    for c in K.overridable("training"):
        assert c.name in FRAMEWORK.fields, c.name
    for c in K.overridable("inference"):
        assert c.name in INFERENCE.fields["framework"].block.fields, c.name
    for c in K.REGISTRY.values():
        assert c.source and c.doc and c.unit is not None


@pytest.mark.parametrize("name", [c.name for c in K.overridable("training")])
def test_an_override_reaches_the_engine(project, name):
    c = K.REGISTRY[name]
    # DeepSpeed's constants apply under ZeRO; its sub-group caps the step only below the partition's size
    zero = "; zero = 3" if name in ("reduce_bucket_size", "sub_group_size") else ""
    # the eager kernels' share applies to a plan that runs eager attention, FlashAttention-2's to flash2 on Hopper
    eager = {"attention_efficiency_eager": "attention = eager; ",
             "attention_efficiency_flash2_hopper": "attention = flash2; "}.get(name, "")
    base_fw = f"framework {{ {eager}}}" if eager else ""
    # the FP8 GEMMs' factor applies to a plan whose matmuls run in FP8
    compute = "\n  compute = fp8" if name == "fp8_gemm_factor" else ""
    base = plan(compile_text(project, PLAN.format(framework=base_fw, zero=zero, compute=compute)), "t")
    value = {"sub_group_size": 1e3}.get(name, c.value * 0.5 if c.value else 1.0)
    written = {"information": f"{value / 2**20:g} MiB", "information/time": f"{value / 1e9:g} GB/s",
               "time": f"{value * 1e6:g} us", "currency/energy": f"{value * 3.6e6:g} USD/kWh",
               "currency/time": f"{value * 3600:g} USD/h"}.get(c.dims, f"{value:g}")
    changed_fw = f"framework {{ {eager}{name} = {written} }}"
    changed = plan(compile_text(project, PLAN.format(framework=changed_fw, zero=zero, compute=compute)), "t")
    assert changed != base, name  # some figure of the plan moves with the constant
