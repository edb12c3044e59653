"""Framework-specific buffer lifetimes (issue 15, item 1), against the frameworks' own statements.

Independent sources:
- Megatron-Core's docs/source/api-guide/dist_optimizer.md (megatron-core 0.16.1): bytes per parameter
  of model state, "fp16 param, fp16 grads: 20, or 4 + 16/d with the distributed optimizer; bf16 param,
  fp32 grads: 18, or 6 + 12/d; fp32 param, fp32 grads: 16, or 8 + 8/d".
- Megatron-Core's param_and_grad_buffer.py: `main_grad` is a view into a contiguous buffer that is
  zeroed every step and never freed, so every pipeline stage holds the same gradient bytes per
  parameter in every phase.
- PyTorch's DistributedDataParallel documentation of `gradient_as_bucket_view`: "This can reduce peak
  memory usage, where the saved memory size will be equal to the total gradients size."
"""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, compile_text, plan

LLAMA_405B_MEGATRON = """
training big {
  model        = llama3_1_405b
  gpu          = h100_sxm
  gpus         = 896
  precision    = megatron_bf16
  seq_len      = 8192 tokens
  micro_batch  = 1
  global_batch = 112
  parallel { tensor = 8; pipeline = 14; data = 8; schedule = interleaved; virtual_stages = 3;
             distributed_optimizer = true; sequence_parallel = true; recompute = selective }
  framework { implementation = megatron }
  require not fits or fits
}
"""


def memory_of(project, text: str, name: str):
    from capplan.engine.training import training_memory

    comp = compile_text(project, text)
    assert not comp.diagnostics.has_errors, [d.message for d in comp.diagnostics.items]
    return training_memory(comp.workloads[name]), plan(comp, name)


def test_megatron_main_grad_is_held_by_every_stage_in_every_phase(project):
    """A 405B plan like the issue's (TP 8, PP 14 x 3 chunks, 14 micro-batches per replica): the early
    stages' warm-up is capped by the step's micro-batches, and every stage still holds its main_grad."""
    mem, out = memory_of(project, LLAMA_405B_MEGATRON, "big")
    assert out["framework"]["runtime"] == "megatron"
    for st in mem["stages"]:
        for phase, parts in st.phases.items():
            # fp32 main_grad: 4 bytes for every parameter the rank holds, whatever the phase
            assert parts["gradients"] / st.params == pytest.approx(4.0, rel=1e-12), (st.index, phase)
            assert parts["comm_buffers"] == 0.0


MEGATRON_PRECISIONS = {
    # recipe (defined in the spec below, or the catalog's) -> (non-distributed, distributed as (a, b) for a + b/d)
    "doc_fp16": (20, (4, 16)),
    "doc_bf16": (18, (6, 12)),
    "doc_fp32": (16, (8, 8)),
    "megatron_fp16": (20, (4, 16)),     # the catalog's --fp16 recipe: the doc_fp16 row
}
RECIPES = """
precision doc_fp16 { weights = fp16; gradients = fp16; master_weights = fp32; optimizer_states = fp32;
                     activations = fp16; compute = fp16 }
precision doc_bf16 from megatron_bf16 {}
precision doc_fp32 { weights = fp32; gradients = fp32; optimizer_states = fp32; activations = fp32;
                     compute = tf32 }
"""


def _megatron_plan(recipe: str, d: int, distributed: bool) -> str:
    return RECIPES + f"""
training t {{
  model        = llama2_7b
  gpu          = h100_sxm
  gpus         = {d}
  precision    = {recipe}
  seq_len      = 2048 tokens
  global_batch = {d}
  parallel {{ data = {d}; distributed_optimizer = {'true' if distributed else 'false'} }}
  framework {{ implementation = megatron; optimizer_impl = fused }}
  require not fits or fits
}}
"""


@pytest.mark.parametrize("recipe", sorted(MEGATRON_PRECISIONS))
@pytest.mark.parametrize("d", [1, 2, 4, 8])
@pytest.mark.parametrize("distributed", [False, True])
def test_megatron_model_state_bytes_per_parameter_match_its_documentation(project, recipe, d, distributed):
    mem, _ = memory_of(project, _megatron_plan(recipe, d, distributed), "t")
    st = mem["stages"][0]
    step = st.phases["optimizer step"]
    state = (step["weights"] + step["gradients"] + step["master_weights"] + step["optimizer_states"]
             + step["temporary"])  # the fp32 copy of 16-bit grads exists for the step only
    plain, (a, b) = MEGATRON_PRECISIONS[recipe]
    expected = a + b / d if distributed else plain
    # the replicated norms are sharded like everything else by the distributed optimizer: exact
    assert state / st.params == pytest.approx(expected, rel=1e-9)


DDP = """
training t {{
  model        = llama2_7b
  gpu          = h100_sxm
  gpus         = {d}
  precision    = torch_amp_bf16
  seq_len      = 2048 tokens
  global_batch = {d}
  parallel {{ data = {d} }}
  framework {{ gradient_as_bucket_view = {view}; optimizer_impl = fused }}
  require not fits or fits
}}
"""


def test_ddp_buckets_cost_the_gradients_size_unless_grads_are_bucket_views(project):
    copy, out = memory_of(project, DDP.format(d=8, view="false"), "t")
    views, _ = memory_of(project, DDP.format(d=8, view="true"), "t")
    assert out["framework"]["runtime"] == "pytorch"
    a, b = copy["stages"][0], views["stages"][0]
    grads = a.phases["optimizer step"]["gradients"]
    saved = sum(a.phases["optimizer step"].values()) - sum(b.phases["optimizer step"].values())
    # PyTorch: "the saved memory size will be equal to the total gradients size"
    assert saved == pytest.approx(grads, rel=1e-12)
    # with bucket views the gradients persist: present at the forward's end of the first micro-batch
    assert b.phases["forward end"]["gradients"] == grads
    assert a.phases["forward end"]["gradients"] == 0.0 and a.phases["forward end"]["comm_buffers"] == grads


def test_one_process_has_no_ddp_buckets(project):
    mem, _ = memory_of(project, DDP.format(d=1, view="false"), "t")
    assert all(p["comm_buffers"] == 0.0 for p in mem["stages"][0].phases.values())


def test_runtime_is_stated_or_inferred_and_reported(project):
    _, out = memory_of(project, DDP.format(d=8, view="false").replace(
        "parallel { data = 8 }", "parallel { data = 8; zero = 2 }").replace("gradient_as_bucket_view = false; ", ""),
        "t")
    assert out["framework"]["runtime"] == "deepspeed"
    assert "inferred" in out["framework"]["runtime_basis"]


def test_a_stated_runtime_that_cannot_run_the_layout_is_an_error(project):
    text = DDP.format(d=8, view="false").replace("parallel { data = 8 }", "parallel { data = 8; zero = 3 }")
    text = text.replace("framework {", "framework { runtime = pytorch;")
    comp = compile_text(project, text)
    [err] = [x for x in comp.diagnostics.items if x.severity == "error"]
    assert err.code == "E0407" and "PyTorch DDP has no ZeRO stage" in err.message
    assert "runtime = pytorch" in err.label


ZERO = """
training t {{
  model        = llama2_7b
  gpu          = h100_sxm
  gpus         = 8
  precision    = {recipe}
  seq_len      = 2048 tokens
  global_batch = 8
  parallel {{ data = 8; {switch} }}
  {framework}
  require not fits or fits
}}
"""
# validation/framework_lifetimes.md sec. 5, bytes per parameter with N = 8, read from DeepSpeed 0.19.8's and
# PyTorch 2.13's code: (weights, gradients at the step, master, states, step temporaries, gradients at the
# forward's end of the first micro-batch)
N = 8
RUNTIME_TABLE = {  # case -> (layout switch, recipe, bytes per parameter)
    "zero = 1": ("zero = 1", "deepspeed_bf16", (2, 2, 4 / N, 8 / N, 4 / N, 0)),
    "zero = 2": ("zero = 2", "deepspeed_bf16", (2, 2 / N, 4 / N, 8 / N, 4 / N, 0)),
    "zero = 3": ("zero = 3", "deepspeed_bf16", (2 / N, 2 / N, 4 / N, 8 / N, 4 / N, 2 / N)),
    "fsdp, fp32 params": ("fsdp = true", "torch_amp_bf16", (4 / N, 4 / N, 0, 8 / N, 4 / N, 0)),
    # MixedPrecision(param_dtype = bf16): the fp32 shard (4/N) is the parameter and the optimizer's, held here
    # as the master; no 16-bit copy outside a gathered unit; the sharded gradient is upcast to fp32 whatever
    # the reduce dtype (keep_low_precision_grads = False); section 4's table
    "fsdp, bf16 param_dtype": ("fsdp = true", "fsdp_bf16", (0, 4 / N, 4 / N, 8 / N, 4 / N, 0)),
    "fsdp, bf16 param and reduce dtype": ("fsdp = true", "fsdp_pure_bf16", (0, 4 / N, 4 / N, 8 / N, 4 / N, 0)),
}


@pytest.mark.parametrize("case", sorted(RUNTIME_TABLE))
def test_zero_and_fsdp_model_states_phase_by_phase_follow_the_frameworks_code(project, case):
    """Each runtime's model states, per parameter, in the forward of the first micro-batch and at the
    optimizer step. DeepSpeed's default optimizer is its FusedAdam (no temporaries of its own): the step's
    4/N is the fp32 gradient partition. FSDP runs torch's AdamW, foreach by default, over the fp32 shards:
    one shard-sized fp32 temporary (section 1). ZeRO-3 keeps its 16-bit gradient partition from init on,
    so it is there in the first forward; ZeRO-1/2 and FSDP free theirs between steps."""
    switch, recipe, (w, g, master, states, temp, g_fwd) = RUNTIME_TABLE[case]
    framework = "framework { reduce_bucket_size = 0 }" if switch.startswith("zero") else ""
    mem, out = memory_of(project, ZERO.format(recipe=recipe, switch=switch, framework=framework), "t")
    (st,) = mem["stages"]
    step, fwd = st.phases["optimizer step"], st.phases["forward end"]
    per = {k: v / st.params for k, v in step.items()}
    assert per["weights"] == pytest.approx(w, rel=1e-9)
    assert per["gradients"] == pytest.approx(g, rel=1e-9)
    assert per["master_weights"] == pytest.approx(master, rel=1e-9)
    assert per["optimizer_states"] == pytest.approx(states, rel=1e-9)
    assert per["temporary"] == pytest.approx(temp, rel=1e-9)
    assert fwd["gradients"] / st.params == pytest.approx(g_fwd, rel=1e-9)
    assert all(p["comm_buffers"] == 0.0 for p in st.phases.values())


FSDP_MEASURED = json.loads((ROOT / "validation" / "data" / "fsdp_mixed_precision.json").read_text())


@pytest.mark.parametrize("run", FSDP_MEASURED["runs"], ids=lambda r: r["case"])
def test_fsdp_mixed_precision_holds_what_pytorch_holds(project, run):
    """validation/measure_fsdp_mixed_precision.py (FSDP2 on two gloo ranks, torch 2.13): with param_dtype bf16,
    whatever the reduce dtype, a rank keeps its fp32 parameter shard and an fp32 gradient shard, and no bf16
    storage outlives the backward. The engine's per-parameter bytes at the optimizer step, at the same data
    parallelism, for the recipe with that reduce dtype."""
    recipe = {"torch.float32": "fsdp_bf16", "torch.bfloat16": "fsdp_pure_bf16"}[run["reduce_dtype"]]
    assert run["shard_dtypes"] == run["grad_dtypes"] == ["torch.float32"]
    assert run["forward_weight_dtypes"] == ["torch.bfloat16"]
    text = ZERO.format(recipe=recipe, switch="fsdp = true", framework="").replace("gpus         = 8",
                                                                              f"gpus         = {run['world']}")
    text = text.replace("data = 8", f"data = {run['world']}")
    mem, _ = memory_of(project, text, "t")
    (st,) = mem["stages"]
    per = {k: v / st.params for k, v in st.phases["optimizer step"].items()}
    assert per["weights"] == run["bf16_bytes_alive_after_backward"] == 0
    assert per["master_weights"] == pytest.approx(run["shard_bytes_per_param"], rel=1e-9)
    assert per["gradients"] == pytest.approx(run["grad_shard_bytes_per_param"], rel=1e-9)


def test_fsdp_gathers_units_in_the_param_dtype(project):
    """FSDP all-gathers each unit in `param_dtype` (FSDP1 `_full_param_padded`, _flat_param.py 1286, allocated
    in the low-precision dtype under MixedPrecision): the two gathered units of the forward weigh half as much
    with `fsdp_bf16` as with fp32 parameters (torch_amp_bf16), and FSDP's traffic halves with them."""
    gathered, gather_s = {}, {}
    for recipe in ("torch_amp_bf16", "fsdp_bf16"):
        mem, out = memory_of(project, ZERO.format(recipe=recipe, switch="fsdp = true", framework=""), "t")
        (st,) = mem["stages"]
        gathered[recipe] = st.phases["forward end"]["temporary"]
        gather_s[recipe] = out["time"]["communication_s"]["data_total"]
    assert gathered["torch_amp_bf16"] > 0
    assert gathered["fsdp_bf16"] == pytest.approx(gathered["torch_amp_bf16"] / 2, rel=1e-9)
    assert gather_s["fsdp_bf16"] < gather_s["torch_amp_bf16"]


@pytest.mark.parametrize("field, layout", [("gradient_as_bucket_view = true", "zero = 2"),
                                           ("reduce_bucket_size = 1e8", "fsdp = true"),
                                           ("sub_group_size = 1e8", "distributed_optimizer = true")])
def test_a_field_for_another_runtime_is_inapplicable(project, field, layout):
    text = f"""training t {{
  model = llama2_7b
  gpu = h100_sxm
  gpus = 8
  precision = deepspeed_bf16
  seq_len = 1024 tokens
  global_batch = 8
  parallel {{ data = 8; {layout} }}
  framework {{ {field} }}
}}
"""
    comp = compile_text(project, text)
    (diag,) = [x for x in comp.diagnostics.items if x.code == "E0408"]
    assert field.split()[0] in diag.message
