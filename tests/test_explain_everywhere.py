"""`capplan explain` on failing plans, for serving, capacity and time parts, and `explain KIND` from the schema;
`lora` with alpha, dropout and `targets` as a list."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, run_cli

CHAT = ROOT / "specs" / "examples" / "chat-serving.plan"
PRETRAIN = ROOT / "specs" / "examples" / "llama3-70b-pretrain.plan"


def plan_json(path, name):
    code, out, _ = run_cli("eval", "--format", "json", str(path))
    [plan] = [p for p in json.loads(out)["plans"] if p["name"] == name]
    return plan


def test_explain_runs_on_a_file_whose_requirement_fails(project):
    text = CHAT.read_text().replace("require max_batch >= 64", "require max_batch >= 100000")
    project("chat.plan", text)
    assert run_cli("check", "chat.plan", cwd=project.root)[0] == 1
    code, out, err = run_cli("explain", "chat.plan", "chat_70b_int4", "kv_cache", cwd=project.root)
    assert code == 0 and out.startswith("kv_cache of inference chat_70b_int4 = ")


@pytest.mark.parametrize("figure,path", [("serving.ttft", ("serving", "ttft_s")),
                                         ("serving.tpot", ("serving", "tpot_s")),
                                         ("serving.best_batch", ("serving", "best_batch")),
                                         ("serving.replicas", ("serving", "replicas")),
                                         ("max_batch", ("max_batch",)), ("max_context", ("max_context",)),
                                         ("budget", ("budget_bytes",))])
def test_serving_and_capacity_figures_are_explained_with_the_results_value(figure, path):
    plan = plan_json(CHAT, "chat_traffic")
    value = plan
    for key in path:
        value = value[key]
    code, out, err = run_cli("explain", str(CHAT), "chat_traffic", figure)
    assert code == 0, err
    assert "formula:" in out and "source:" in out
    # the same number by its JSON path
    code2, out2, _ = run_cli("explain", str(CHAT), "chat_traffic", ".".join(path))
    assert code2 == 0 and out2.split("\n", 1)[1] == out.split("\n", 1)[1]
    if figure in ("max_batch", "serving.best_batch"):
        assert out.startswith(f"{figure} of inference chat_traffic = {value:,}")


@pytest.mark.parametrize("figure,part", [("time.tensor", "tensor"), ("time.data", "data"),
                                         ("time.expert", "expert"), ("time.pipeline", "pipeline")])
def test_time_parts_are_explained(figure, part):
    plan = plan_json(PRETRAIN, "llama70b_pretrain")
    code, out, err = run_cli("explain", str(PRETRAIN), "llama70b_pretrain", figure)
    assert code == 0, err
    assert f"(result: time.communication_s.{part})" in out
    from capplan.check.values import fmt_quantity
    from capplan.check.units import dims_of

    assert fmt_quantity(plan["time"]["communication_s"][part], dims_of("time")) in out.splitlines()[0]


def test_every_number_of_a_plans_json_is_explainable():
    from capplan.tools.explain.derived import numeric_paths

    for path, name in ((CHAT, "chat_traffic"), (PRETRAIN, "llama70b_pretrain")):
        for key in numeric_paths(plan_json(path, name)):
            code, out, err = run_cli("explain", str(path), name, key)
            assert code == 0 and "formula:" in out and "source:" in out, (key, err)
            # inputs say they are inputs; every computed figure has its own formula
            assert ("an input" in out) == key.startswith(("hardware.", "layout.")), (key, out)


def test_unknown_figure_suggests_and_lists_the_derived_names():
    code, _, err = run_cli("explain", str(CHAT), "chat_traffic", "serving.ttf")
    assert code == 1 and "did you mean `serving.ttft`" in err.lower() and "serving.tpot" in err


def test_explain_kind_documents_every_block_sub_block_and_field_from_the_schema():
    from capplan.check.schema import BLOCK, KINDS

    def walk(schema):
        for name, f in schema.fields.items():
            yield name, f
            if f.type == BLOCK and f.block is not None:
                yield from walk(f.block)

    for kind, schema in KINDS.items():
        code, out, _ = run_cli("explain", kind)
        assert code == 0
        for name, f in walk(schema):
            assert f"{name} " in out and f.doc in out, (kind, name)
    code, out, _ = run_cli("explain", "training")
    assert "`lora { ... }`" in out and "alpha" in out and "dropout" in out and "[q, k, v, o]" in out
    assert "`parallel { ... }`" in out and "`framework { ... }`" in out
    code, out, _ = run_cli("explain", "inference")
    assert "`targets { ... }`" in out and "ttft" in out
    code, out, _ = run_cli("explain", "model")
    assert "`moe { ... }`" in out and "rope_base" in out
    code, out, _ = run_cli("explain", "search")
    assert "vary NAME in [...]" in out and "tensor" in out and "cross_node_tensor" in out
    code, out, _ = run_cli("explain", "goal")
    assert "within" in out and "max_nodes" in out and "default 1024" in out


LORA_PLAN = """training t {{
  model        = llama2_7b
  gpu          = a100_80gb
  gpus         = 1
  precision    = megatron_bf16
  seq_len      = 2048 tokens
  global_batch = 8
  lora {{ rank = 16; targets = {targets}; alpha = 32; dropout = 0.05 }}
  require not fits or fits
}}
"""


def test_lora_targets_as_a_list_counts_exactly_those_projections(project):
    # Llama-2-7B: hidden 4096, 32 heads of 128, MHA; LoRA adds r x (in + out) per matrix (Hu et al. 2021)
    per_layer_qv = 16 * (4096 + 4096) * 2
    for targets, expected in (("[q, v]", per_layer_qv), ("qv", per_layer_qv), ("[q]", per_layer_qv // 2),
                              ("[attention, gate]", 16 * (4096 + 4096) * 4 + 16 * (4096 + 11008))):
        project("l.plan", LORA_PLAN.format(targets=targets))
        code, out, err = run_cli("eval", "--format", "json", "l.plan", cwd=project.root)
        assert code == 0, err
        [plan] = json.loads(out)["plans"]
        assert plan["precision"]["lora"]["adapter_params"] == expected * 32, targets


def test_lora_targets_reject_unknown_projections(project):
    project("l.plan", LORA_PLAN.format(targets="[q, vv]"))
    code, _, err = run_cli("check", "l.plan", cwd=project.root)
    assert code == 1 and "E0403" in err and "`vv` is not a valid `targets`" in err and "did you mean `v`" in err


def test_lora_alpha_dropout_and_modules_reach_the_export(project):
    project("l.plan", LORA_PLAN.format(targets="[q, v]").replace("require not fits or fits", "require fits"))
    code, out, err = run_cli("export", "l.plan", "t", "--to", "torchrun", cwd=project.root)
    assert code == 0, err
    assert "lora_alpha=32, lora_dropout=0.05, target_modules=['q_proj', 'v_proj']" in out


def test_derived_figures_show_their_values_and_they_add_up():
    plan = plan_json(CHAT, "chat_traffic")
    # vLLM's --gpu-memory-utilization: the share of the GPU's memory the engine may use
    assert plan["budget_bytes"] == pytest.approx(plan["layout"]["memory_utilization"] * plan["hardware"]["usable_bytes"])
    code, out, _ = run_cli("explain", str(CHAT), "chat_traffic", "budget")
    assert "values:     0.9 x 79.65 GiB = 71.68 GiB" in out
    train = plan_json(PRETRAIN, "llama70b_pretrain")
    assert train["time"]["gpu_hours"] == pytest.approx(train["hardware"]["gpus"] * train["time"]["train_s"] / 3600)
    code, out, _ = run_cli("explain", str(PRETRAIN), "llama70b_pretrain", "time.gpu_hours")
    assert "values:     128 x " in out and out.count("GPU-h") == 2
