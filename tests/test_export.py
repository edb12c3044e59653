"""`capplan export`: every shipped plan exported to every framework that fits it and parsed back.

The round trip checks that the GPUs per dimension (tensor, pipeline, data = world / (tensor x
pipeline x context), context, expert) and the batch sizes of the output equal the plan's; that
every Megatron-LM / vLLM / torchrun flag is one verified in the upstream sources
(tests/data/export/*.json, cited in compiler/tools/export/sources.md); that the DeepSpeed config
validates against the JSON Schema of the documented keys; and that errors exit 1 with a
message, never a traceback, and leave no output file.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import jsonschema
import pytest

from capplan.cli import main as capplan_main
from capplan.tools.export.command import (TARGETS, ExportError, declaration_details, export, export_plan,
                                          parse_megatron_args, parse_torchrun, parse_vllm_args)
from capplan.pipeline import compile_files

from conftest import ROOT

DATA = ROOT / "tests" / "data" / "export"
MEGATRON = json.loads((DATA / "megatron_arguments.json").read_text())
VLLM = json.loads((DATA / "vllm_arguments.json").read_text())
TORCHRUN = json.loads((DATA / "torchrun_arguments.json").read_text())
DS_SCHEMA = json.loads((DATA / "deepspeed_config.schema.json").read_text())
SPECS = sorted((ROOT / "specs" / "examples").glob("*.plan")) + sorted((ROOT / "specs" / "seeds").glob("*.plan"))
FLAG = re.compile(r"(?<![\w-])(--[a-z0-9][a-z0-9_-]*)")


def _compiled(spec: Path):
    return compile_files([str(spec)])


def _cases() -> list[tuple[str, str, str]]:
    cases = []
    for spec in SPECS:
        for plan in _compiled(spec).plans:
            for target, kind in TARGETS.items():
                if kind == plan["kind"]:
                    cases.append((str(spec.relative_to(ROOT)), plan["name"], target))
    return cases


CASES = _cases()


def run_export(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    """`capplan export ARGS` in-process: (exit status, stdout, stderr); argparse's usage exits count too."""
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    try:
        os.chdir(cwd or ROOT)
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = capplan_main(["export", *args])
            except SystemExit as exc:  # usage errors and --help: argparse exits
                code = exc.code
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


def _plan(spec: str, name: str) -> dict:
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        return next(p for p in compile_files([spec]).plans if p["name"] == name)
    finally:
        os.chdir(old)


def _warnings(err: str) -> list[str]:
    return [line[len("capplan: warning: "):] for line in err.splitlines() if line.startswith("capplan: warning: ")]


def test_every_kind_of_shipped_plan_is_covered():
    targets = {t for _, _, t in CASES}
    assert targets == set(TARGETS)
    names = {n for _, n, _ in CASES}
    assert {"llama70b_pretrain", "mixtral_sft", "deep13b_sft", "llama70b_qlora", "chat_70b_int4"} <= names


# ---------------------------------------------------------------- round trips

@pytest.mark.parametrize("spec,name,target", CASES, ids=[f"{n}-{t}" for _, n, t in CASES])
def test_export_round_trips(spec, name, target):
    code, out, err = run_export(spec, name, "--to", target)
    assert code == 0, err
    assert "Traceback" not in err and "internal error" not in err
    plan = _plan(spec, name)
    warnings = _warnings(err)
    if target != "deepspeed":  # text outputs carry every warning as a `# capplan:` line
        in_text = [line[len("# capplan: "):] for line in out.splitlines() if line.startswith("# capplan: ")]
        assert in_text == warnings
    {"megatron": _check_megatron, "deepspeed": _check_deepspeed, "torchrun": _check_torchrun,
     "vllm": _check_vllm}[target](plan, out, warnings)
    # deterministic
    assert run_export(spec, name, "--to", target)[1] == out


def _check_megatron(plan: dict, out: str, warnings: list[str]) -> None:
    lay, gpus = plan["layout"], plan["hardware"]["gpus"]
    parsed = parse_megatron_args(out)
    a = parsed["args"]
    assert parsed["world_size"] == gpus
    tp, pp = a["--tensor-model-parallel-size"], a["--pipeline-model-parallel-size"]
    cp, ep = a["--context-parallel-size"], a["--expert-model-parallel-size"]
    assert (tp, pp, cp, ep) == (lay["tensor"], lay["pipeline"], lay["context"], lay["expert"])
    assert gpus % (tp * pp * cp) == 0 and gpus // (tp * pp * cp) == lay["data"]
    assert a["--micro-batch-size"] == lay["micro_batch"]
    assert a["--global-batch-size"] == lay["global_batch"]
    assert a["--global-batch-size"] // (a["--micro-batch-size"] * lay["data"]) == lay["microbatches"]
    assert a["--seq-length"] == lay["seq_len"]
    assert ("--sequence-parallel" in a) == (lay["sequence_parallel"] and tp > 1)
    sharded = lay["zero"] >= 1 or lay["fsdp"] or lay["distributed_optimizer"]
    assert ("--use-distributed-optimizer" in a) == bool(sharded)
    if lay["zero"] >= 2 or lay["fsdp"]:
        assert any("cannot be expressed" in w and ("ZeRO" in w or "fsdp" in w) for w in warnings)
    recompute = {"none": None, "selective": "selective", "full": "full"}[lay["recompute"]]
    assert a.get("--recompute-granularity") == recompute
    if recompute == "full":
        assert a["--recompute-method"] == "uniform" and a["--recompute-num-layers"] == 1
    layers = plan["model"].get("architecture", {}).get("layers")
    if lay["schedule"] == "interleaved" and pp > 1:
        assert a["--num-layers-per-virtual-pipeline-stage"] * pp * lay["virtual_stages"] == layers
    # every flag verified upstream; enumerated values among the verified choices
    for flag, value in a.items():
        assert flag in MEGATRON["arguments"], flag
        if flag in MEGATRON["values"]:
            assert value in MEGATRON["values"][flag], (flag, value)
    known = set(MEGATRON["arguments"]) | set(TORCHRUN["arguments"])
    for line in out.splitlines():
        if line.startswith("#"):
            for flag in FLAG.findall(line):
                assert flag in known, (flag, line)


def _check_deepspeed(plan: dict, out: str, warnings: list[str]) -> None:
    lay, gpus = plan["layout"], plan["hardware"]["gpus"]
    cfg = json.loads(out)
    jsonschema.validate(cfg, DS_SCHEMA)
    micro, gas, total = (cfg["train_micro_batch_size_per_gpu"], cfg["gradient_accumulation_steps"],
                         cfg["train_batch_size"])
    assert total % (micro * gas) == 0
    assert total // (micro * gas) == lay["data"]
    assert (micro, gas, total) == (lay["micro_batch"], lay["microbatches"], lay["global_batch"])
    assert cfg.get("tensor_parallel", {}).get("autotp_size", 1) == lay["tensor"]
    assert cfg.get("expert_parallel", {}).get("autoep_size", 1) == lay["expert"]
    tp = lay["tensor"]
    assert gpus // (tp * lay["pipeline"] * lay["context"]) == lay["data"]
    for dim in ("pipeline", "context"):  # not config keys: stated, never dropped
        if lay[dim] > 1:
            assert any(w.startswith(f"{dim} = {lay[dim]}") for w in warnings)
    stage = 3 if lay["fsdp"] else max(lay["zero"], 1 if lay["distributed_optimizer"] else 0)
    if stage == 0 and lay["offload"] != "none":
        stage = 1
        assert any("stage raised from 0 to 1" in w for w in warnings)
    assert cfg["zero_optimization"]["stage"] == stage
    assert ("offload_optimizer" in cfg["zero_optimization"]) == (lay["offload"] != "none")
    weights = plan["precision"]["weights"]
    assert cfg.get("bf16", {}).get("enabled", False) == (weights == "bf16")
    assert cfg.get("fp16", {}).get("enabled", False) == (weights == "fp16")
    if lay["recompute"] != "none":
        assert any(w.startswith("recompute = ") for w in warnings)


def _check_torchrun(plan: dict, out: str, warnings: list[str]) -> None:
    lay, gpus = plan["layout"], plan["hardware"]["gpus"]
    t = parse_torchrun(out)
    assert t["world_size"] == gpus
    for flag in t["torchrun"]:
        assert flag in TORCHRUN["arguments"], flag
    sa = t["script_args"]
    tp, pp = sa.get("--tensor-parallel-size", 1), sa.get("--pipeline-parallel-size", 1)
    cp, ep = sa.get("--context-parallel-size", 1), sa.get("--expert-parallel-size", 1)
    assert (tp, pp, cp, ep) == (lay["tensor"], lay["pipeline"], lay["context"], lay["expert"])
    dp = gpus // (tp * pp * cp)
    assert dp == lay["data"]
    assert sa["--micro-batch-size"] == lay["micro_batch"]
    assert sa["--gradient-accumulation-steps"] == lay["microbatches"]
    assert sa["--micro-batch-size"] * sa["--gradient-accumulation-steps"] * dp == lay["global_batch"]
    assert sa["--seq-len"] == lay["seq_len"]
    zero = 3 if lay["fsdp"] else lay["zero"]
    expected = "FULL_SHARD" if zero >= 3 else "SHARD_GRAD_OP" if zero == 2 else "NO_SHARD"
    assert sa["--sharding-strategy"] == expected
    assert ("--zero-redundancy-optimizer" in sa) == (zero == 1 or lay["distributed_optimizer"])
    for dim, value in (("tensor", tp), ("pipeline", pp), ("context", cp), ("expert", ep)):
        if value > 1:
            assert any(w.startswith(f"{dim} = {value}: plain FSDP/DDP") for w in warnings)
    if lay["recompute"] != "none":
        assert sa["--activation-checkpointing"] == lay["recompute"]


def _check_vllm(plan: dict, out: str, warnings: list[str]) -> None:
    lay, gpus = plan["layout"], plan["hardware"]["gpus"]
    v = parse_vllm_args(out)
    a = v["args"]
    assert (a["--tensor-parallel-size"], a["--pipeline-parallel-size"]) == (lay["tensor"], lay["pipeline"])
    assert a["--tensor-parallel-size"] * a["--pipeline-parallel-size"] == gpus
    assert a["--max-model-len"] == lay["context"]
    serving = plan.get("serving") or {}  # a plan with a request rate exports its operating point
    assert a["--max-num-seqs"] == (serving["best_batch"] if "requests_per_s" in serving else lay["batch"])
    assert a["--gpu-memory-utilization"] == pytest.approx(lay["memory_utilization"])
    for flag, value in a.items():
        assert flag in VLLM["arguments"], flag
        if flag in VLLM["values"]:
            assert value in VLLM["values"][flag], (flag, value)
    for line in out.splitlines():
        if line.startswith("#"):
            for flag in FLAG.findall(line):
                assert flag in VLLM["arguments"], (flag, line)


# ---------------------------------------------------------------- specific mappings

def test_llama70b_pretrain_to_megatron():
    code, out, err = run_export("specs/examples/llama3-70b-pretrain.plan", "llama70b_pretrain", "--to", "megatron")
    assert code == 0
    a = parse_megatron_args(out)["args"]
    assert a["--num-layers-per-virtual-pipeline-stage"] == 4       # 80 = 4 stages x 5 chunks x 4 layers
    assert a["--num-query-groups"] == 8 and "--group-query-attention" in a
    assert "--kv-channels" not in a                                  # 128 = 8192 / 64
    assert a["--normalization"] == "RMSNorm" and "--swiglu" in a and "--disable-bias-linear" in a
    assert "--untie-embeddings-and-output-weights" in a and a["--position-embedding-type"] == "rope"
    assert "--bf16" in a and "--accumulate-allreduce-grads-in-fp32" in a   # megatron_bf16: fp32 main grads
    assert a["--hidden-dropout"] == 0 and a["--attention-dropout"] == 0
    assert "--sequence-parallel" in a and "--use-distributed-optimizer" in a
    # the overlap the plan's step time assumes (Megatron-LM leaves both off unless asked)
    assert "--overlap-grad-reduce" in a and "--overlap-param-gather" in a and "--tp-comm-overlap" not in a
    assert err == ""                                                  # nothing it cannot express


def test_megatron_output_is_a_bash_array_bash_agrees_with_the_parser():
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash")
    for spec, name, target in CASES:
        if target != "megatron":
            continue
        out = run_export(spec, name, "--to", "megatron")[1]
        proc = subprocess.run([bash, "-c", 'eval "$1"; echo "$NNODES $NPROC_PER_NODE"; '
                               'printf "%s\\n" "${MEGATRON_ARGS[@]}"', "_", out],
                              capture_output=True, text=True, check=True)
        lines = proc.stdout.splitlines()
        parsed = parse_megatron_args(out)
        assert lines[0] == f"{parsed['nnodes']} {parsed['nproc_per_node']}"
        tokens = []
        for flag, value in parsed["args"].items():
            tokens += [flag] if value is True else [flag, str(value)]
        assert lines[1:] == tokens


def _layout_stages(layout: str) -> list[list[str]]:
    """Megatron's PipelineParallelLayerLayout.parse_str_to_list, for the test."""
    s = layout.replace(",", "")
    for pattern in (r"\(([^)]+)\)\*(\d+)", r"(.)\*(\d+)"):
        s = re.sub(pattern, lambda m: m.group(1) * int(m.group(2)), s)
    return [list(stage) for stage in s.split("|")]


SEQ = "seq_len = 4096 tokens\n  global_batch = 64\n  precision = megatron_bf16\n"


def _training(project, name: str, model: str, gpus: int, parallel: str, extra: str = "") -> Path:
    text = (f"training {name} {{\n  model = {model}\n  gpu = h100_sxm\n  gpus = {gpus}\n  {SEQ}"
            f"  parallel {{ {parallel} }}\n{extra}  require not fits or fits\n}}\n")
    return project(f"{name}.plan", text)


def test_uneven_split_first_and_last_stage(project):
    _training(project, "uneven", "llama3_1_70b", 32, "tensor = 8; pipeline = 4; layers_per_stage = [19, 20, 20, 21]")
    code, out, err = run_export("uneven.plan", "uneven", "--to", "megatron", cwd=project.root)
    assert code == 0, err
    a = parse_megatron_args(out)["args"]
    assert a["--decoder-first-pipeline-num-layers"] == 19
    assert a["--decoder-last-pipeline-num-layers"] == 21
    assert "--pipeline-model-parallel-layout" not in a


def test_uneven_split_with_unequal_middle_stages_is_an_explicit_layout(project):
    _training(project, "ragged", "llama3_1_70b", 32, "tensor = 8; pipeline = 4; layers_per_stage = [18, 22, 19, 21]")
    code, out, err = run_export("ragged.plan", "ragged", "--to", "megatron", cwd=project.root)
    assert code == 0, err
    a = parse_megatron_args(out)["args"]
    stages = _layout_stages(a["--pipeline-model-parallel-layout"])
    assert [s.count("t") for s in stages] == [18, 22, 19, 21]
    assert stages[0][0] == "E" and stages[-1][-1] == "L"
    assert "--decoder-first-pipeline-num-layers" not in a


def test_capplans_even_split_of_indivisible_layers_is_expressed(project):
    project("m.plan", "model thirty from llama2_7b { layers = 30 }\n")
    _training(project, "thirty_pp4", "thirty", 4, "pipeline = 4")
    (project.root / "thirty_pp4.plan").write_text('import "m.plan"\n' + (project.root / "thirty_pp4.plan").read_text())
    code, out, err = run_export("thirty_pp4.plan", "thirty_pp4", "--to", "megatron", cwd=project.root)
    assert code == 0, err
    a = parse_megatron_args(out)["args"]
    assert [s.count("t") for s in _layout_stages(a["--pipeline-model-parallel-layout"])] == [7, 7, 8, 8]


def test_interleaved_uneven_split_lists_every_chunk_virtual_stage_major(project):
    _training(project, "vuneven", "llama3_1_70b", 32,
              "tensor = 8; pipeline = 4; schedule = interleaved; virtual_stages = 2; "
              "layers_per_stage = [18, 22, 20, 20]")
    code, out, err = run_export("vuneven.plan", "vuneven", "--to", "megatron", cwd=project.root)
    assert code == 0, err
    stages = _layout_stages(parse_megatron_args(out)["args"]["--pipeline-model-parallel-layout"])
    assert len(stages) == 8                                  # pipeline x virtual stages
    per_rank = [stages[r].count("t") + stages[4 + r].count("t") for r in range(4)]
    assert per_rank == [18, 22, 20, 20]


def test_zero3_on_megatron_is_a_capplan_comment_and_a_warning():
    code, out, err = run_export("specs/examples/mixtral-finetune.plan", "mixtral_sft", "--to", "megatron")
    assert code == 0
    comment = [line for line in out.splitlines() if line.startswith("# capplan: ZeRO-3")]
    assert comment and "cannot be expressed" in comment[0]
    assert "capplan: warning: ZeRO-3" in err
    a = parse_megatron_args(out)["args"]
    assert a["--num-experts"] == 8 and a["--moe-router-topk"] == 2 and a["--moe-ffn-hidden-size"] == 14336
    assert "--optimizer-cpu-offload" in a and "--use-precision-aware-optimizer" in a


def test_gqa_head_dim_and_moe_dense_layers(project):
    project("m.plan", "model odd from llama3_1_70b { head_dim = 64; moe { experts = 16; experts_per_token = 2; "
                      "expert_ffn = 4096; dense_layers = 2; shared_experts = 1 } }\n")
    _training(project, "moe_plan", "odd", 16, "tensor = 8; expert = 2")
    path = project.root / "moe_plan.plan"
    path.write_text('import "m.plan"\n' + path.read_text())
    code, out, err = run_export("moe_plan.plan", "moe_plan", "--to", "megatron", cwd=project.root)
    assert code == 0, err
    a = parse_megatron_args(out)["args"]
    assert a["--kv-channels"] == 64
    assert a["--moe-layer-freq"] == "([0]*2+[1]*78)"
    assert a["--moe-shared-expert-intermediate-size"] == 4096
    assert a["--expert-model-parallel-size"] == 2 and a["--expert-tensor-parallel-size"] == 8


def test_mixtral_to_deepspeed():
    code, out, err = run_export("specs/examples/mixtral-finetune.plan", "mixtral_sft", "--to", "deepspeed")
    assert code == 0
    assert json.loads(out) == {
        "train_batch_size": 64, "train_micro_batch_size_per_gpu": 1, "gradient_accumulation_steps": 8,
        "bf16": {"enabled": True},
        "zero_optimization": {"stage": 3, "offload_optimizer": {"device": "cpu"}, "overlap_comm": True},
    }
    assert "recompute = full" in err                     # stated, not silently dropped


def test_deepspeed_param_offload_needs_stage_3(project):
    _training(project, "offp", "llama2_7b", 8, "zero = 3; offload = optimizer_and_params")
    _training(project, "offp2", "llama2_7b", 8, "zero = 2; offload = optimizer_and_params")
    code, out, _ = run_export("offp.plan", "offp", "--to", "deepspeed", cwd=project.root)
    assert code == 0 and json.loads(out)["zero_optimization"]["offload_param"] == {"device": "cpu"}
    code, out, err = run_export("offp2.plan", "offp2", "--to", "deepspeed", cwd=project.root)
    cfg = json.loads(out)
    jsonschema.validate(cfg, DS_SCHEMA)
    assert code == 0 and "offload_param" not in cfg["zero_optimization"]
    assert "offload_param needs ZeRO stage 3" in err


def test_deepspeed_schema_is_valid_and_strict():
    jsonschema.Draft202012Validator.check_schema(DS_SCHEMA)
    ok = {"train_batch_size": 8, "train_micro_batch_size_per_gpu": 1, "gradient_accumulation_steps": 8,
          "zero_optimization": {"stage": 0}}
    jsonschema.validate(ok, DS_SCHEMA)
    for bad in ({**ok, "zero_optimisation": {}},                                   # misspelt key
                {**ok, "zero_optimization": {"stage": 3, "offload_params": {}}},   # nested misspelling
                {**ok, "bf16": {"enabled": True}, "fp16": {"enabled": True}},      # documented exclusion
                {**ok, "zero_optimization": {"stage": 2, "offload_param": {"device": "cpu"}}}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, DS_SCHEMA)


def test_fsdp_plan_to_torchrun():
    code, out, err = run_export("specs/examples/custom-model.plan", "deep13b_sft", "--to", "torchrun")
    assert code == 0, err
    t = parse_torchrun(out)
    assert t["torchrun"] == {"--standalone": True, "--nnodes": 1, "--nproc-per-node": 8}
    assert t["script"] == "train.py"
    sa = t["script_args"]
    assert sa["--sharding-strategy"] == "FULL_SHARD"
    assert sa["--activation-checkpointing"] == "full"
    assert sa["--model-dtype"] == "float32" and sa["--autocast-dtype"] == "bfloat16"   # torch_amp_bf16
    assert "torchrun flags" in out and "training-script settings" in out


def test_qlora_to_torchrun_names_the_libraries():
    code, out, err = run_export("specs/examples/qlora-finetune.plan", "llama70b_qlora", "--to", "torchrun")
    assert code == 0
    sa = parse_torchrun(out)["script_args"]
    assert sa["--lora-rank"] == 64 and sa["--quantize-base"] == "nf4"
    assert "bnb_4bit_use_double_quant=True" in out
    assert "offload = optimizer" in err


def test_multi_node_torchrun_uses_c10d_rendezvous():
    code, out, _ = run_export("specs/examples/llama3-70b-pretrain.plan", "llama70b_pretrain", "--to", "torchrun")
    t = parse_torchrun(out)
    assert t["nnodes"] == 16 and t["nproc_per_node"] == 8 and t["torchrun"]["--rdzv-backend"] == "c10d"


def test_chat_serving_to_vllm():
    code, out, err = run_export("specs/examples/chat-serving.plan", "chat_70b_int4", "--to", "vllm")
    assert code == 0
    v = parse_vllm_args(out)
    assert v["model"] == "meta-llama/Llama-3.1-70B"
    a = v["args"]
    assert a["--tensor-parallel-size"] == 2 and a["--quantization"] == "gptq"
    assert a["--kv-cache-dtype"] == "fp8" and a["--dtype"] == "bfloat16"
    assert a["--block-size"] == 16 and a["--max-num-batched-tokens"] == 8192
    assert "GPTQ-quantized checkpoint" in err


@pytest.mark.parametrize("weights,kv,quant,kv_flag", [
    ("int4 { group = 128; zero_point = true }", "bf16", "awq", "auto"),
    ("int4 { group = 128 }", "fp8_e5m2", "gptq", "fp8_e5m2"),
    ("nf4", "bf16", "bitsandbytes", "auto"),
    ("fp8_e4m3", "fp8_e4m3", "fp8", "fp8_e4m3"),
    ("bf16", "bf16", None, "auto"),
])
def test_vllm_quantization_and_kv_cache_mapping(project, weights, kv, quant, kv_flag):
    project("s.plan", f"inference s {{\n  model = llama3_1_8b\n  gpu = h100_sxm\n  gpus = 1\n"
                      f"  weights = {weights}\n  kv_cache = {kv}\n  context = 4096 tokens\n  batch = 4\n"
                      f"  block_size = 32 tokens\n  prefill_chunk = 2048 tokens\n}}\n")
    code, out, err = run_export("s.plan", "s", "--to", "vllm", cwd=project.root)
    assert code == 0, err
    a = parse_vllm_args(out)["args"]
    assert a.get("--quantization") == quant
    assert a["--kv-cache-dtype"] == kv_flag
    assert a["--block-size"] == 32 and a["--max-num-batched-tokens"] == 2048


def test_vllm_export_of_a_plan_timed_for_another_scheduler_says_so(project):
    project("s.plan", "inference s {\n  model = llama3_1_8b\n  gpu = h100_sxm\n  gpus = 1\n  context = 4096 tokens\n"
                      "  framework { scheduler = sglang }\n}\n")
    code, out, err = run_export("s.plan", "s", "--to", "vllm", cwd=project.root)
    assert code == 0 and parse_vllm_args(out)["model"] == "meta-llama/Llama-3.1-8B"
    assert "assume sglang's batch scheduler" in err


def test_vllm_model_without_a_hub_id_is_a_placeholder_and_a_warning():
    code, out, err = run_export("specs/seeds/003-llama2-7b-weights.plan", "seed_7b_int4", "--to", "vllm")
    assert code == 0
    assert parse_vllm_args(out)["model"] == "/path/to/seed_7b"
    assert "names no Hugging Face repository" in err


def test_export_from_the_result_json_alone_says_what_it_assumed():
    plan = _plan("specs/examples/llama3-70b-pretrain.plan", "llama70b_pretrain")
    result = export(json.loads(json.dumps(plan)), "megatron")
    assert any("result JSON alone" in w for w in result.warnings)
    a = parse_megatron_args(result.text)["args"]
    assert a["--tensor-model-parallel-size"] == 8 and a["--num-layers"] == 80
    serving = _plan("specs/examples/chat-serving.plan", "chat_70b_int4")
    assert parse_vllm_args(export_plan(serving, "vllm"))["args"]["--quantization"] == "gptq"


def test_declaration_details_matches_the_engine_defaults():
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        comp = compile_files(["specs/examples/chat-serving.plan"])
    finally:
        os.chdir(old)
    d = declaration_details(comp.checked.objects["chat_70b_int4"])
    assert d["weights"]["name"] == "int4" and d["weights"]["group"] == 128
    assert d["kv_cache"]["name"] == "fp8" and d["activations"]["name"] == "bf16"
    json.dumps(d)  # plain data


# ---------------------------------------------------------------- errors

def test_wrong_kind_exits_1_with_a_message():
    code, out, err = run_export("specs/examples/llama3-70b-pretrain.plan", "llama70b_pretrain", "--to", "vllm")
    assert code == 1 and out == ""
    assert "is a training plan; --to vllm exports inference plans" in err
    assert "--to megatron" in err and "Traceback" not in err
    code, out, err = run_export("specs/examples/chat-serving.plan", "chat_70b_int4", "--to", "megatron")
    assert code == 1 and "is an inference plan" in err and "--to vllm" in err
    with pytest.raises(ExportError):
        export(_plan("specs/examples/chat-serving.plan", "chat_70b_int4"), "deepspeed")


def test_unknown_plan_lists_the_plans():
    code, out, err = run_export("specs/examples/chat-serving.plan", "chat_70b", "--to", "vllm")
    assert code == 1 and out == ""
    assert "no plan `chat_70b`" in err
    assert "chat_70b_int4 (inference)" in err and "chat_70b_bf16_single (inference)" in err


def test_a_declaration_that_is_not_a_plan():
    code, _, err = run_export("specs/examples/custom-model.plan", "lab_card", "--to", "megatron")
    assert code == 1 and "`lab_card` is a gpu, not a plan" in err


def test_spec_errors_are_rendered_and_exit_1(project):
    project("bad.plan", "training x {\n  model = nope\n}\n")
    out_file = project.root / "out.sh"
    code, out, err = run_export("bad.plan", "x", "--to", "megatron", "-o", str(out_file), cwd=project.root)
    assert code == 1 and out == ""
    assert "error[E0201]" in err and "--> bad.plan:2:" in err
    assert "Traceback" not in err
    assert not out_file.exists()


def test_missing_file_exits_1():
    code, _, err = run_export("no/such.plan", "x", "--to", "megatron")
    assert code == 1 and "cannot read" in err and "Traceback" not in err


def test_usage_errors_exit_2_without_a_traceback():
    code, _, err = run_export("specs/examples/chat-serving.plan", "chat_70b_int4")
    assert code == 2 and "--to" in err
    code, _, err = run_export("specs/examples/chat-serving.plan", "chat_70b_int4", "--to", "tgi")
    assert code == 2 and "invalid choice" in err
    code, out, _ = run_export("--help")
    assert code == 0 and "megatron" in out and "--to" in out


# ---------------------------------------------------------------- -o

def test_output_file_is_written_atomically(tmp_path):
    target = tmp_path / "ds_config.json"
    code, out, err = run_export("specs/examples/mixtral-finetune.plan", "mixtral_sft", "--to", "deepspeed",
                                "-o", str(target))
    assert code == 0 and out == ""
    assert json.loads(target.read_text())["zero_optimization"]["stage"] == 3
    assert target.read_text() == run_export("specs/examples/mixtral-finetune.plan", "mixtral_sft",
                                            "--to", "deepspeed")[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ds_config.json"]   # no temporary left


def test_failures_leave_the_output_file_alone(tmp_path):
    target = tmp_path / "args.sh"
    target.write_text("previous\n")
    for args in (("specs/examples/chat-serving.plan", "nope", "--to", "vllm"),
                 ("specs/examples/chat-serving.plan", "chat_70b_int4", "--to", "megatron")):
        code, out, _ = run_export(*args, "-o", str(target))
        assert code == 1 and out == ""
        assert target.read_text() == "previous\n"
    fresh = tmp_path / "fresh.sh"
    run_export("specs/examples/chat-serving.plan", "nope", "--to", "vllm", "-o", str(fresh))
    assert not fresh.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["args.sh"]


def test_unwritable_output_exits_1(tmp_path):
    code, _, err = run_export("specs/examples/chat-serving.plan", "chat_70b_int4", "--to", "vllm",
                              "-o", str(tmp_path / "no" / "such" / "dir" / "serve.sh"))
    assert code == 1 and "cannot write" in err and "Traceback" not in err


# ---------------------------------------------------------------- parsers

def test_parsers_reject_other_text():
    with pytest.raises(ValueError):
        parse_megatron_args("--tensor-model-parallel-size 8\n")
    with pytest.raises(ValueError):
        parse_vllm_args("python -m vllm.entrypoints.openai.api_server\n")
    with pytest.raises(ValueError):
        parse_torchrun("python train.py\n")


def test_master_weights_none_is_never_silent(project):
    _training(project, "pure", "llama2_7b", 8, "zero = 1")
    path = project.root / "pure.plan"
    path.write_text(path.read_text().replace("megatron_bf16", "pure_bf16"))
    code, out, err = run_export("pure.plan", "pure", "--to", "deepspeed", cwd=project.root)
    assert code == 0, err
    cfg = json.loads(out)
    jsonschema.validate(cfg, DS_SCHEMA)
    assert cfg["bf16"] == {"enabled": True, "bf16_master_weights_and_grads": True, "bf16_optimizer_states": True}
    assert "master_weights = none cannot be expressed" in err
    code, out, err = run_export("pure.plan", "pure", "--to", "megatron", cwd=project.root)
    assert code == 0 and "# capplan: master_weights = none cannot be expressed" in out
    assert "--grad-reduce-in-bf16" in parse_megatron_args(out)["args"]


def test_deepspeed_bucket_and_sub_group_sizes_stated_in_the_spec_are_exported(project):
    """framework.reduce_bucket_size / sub_group_size are DeepSpeed's own config keys: the memory engine
    uses them (validation/framework_lifetimes.md), and the exported config carries them."""
    _training(project, "dsk", "llama2_7b", 8, "zero = 3",
              "  framework { reduce_bucket_size = 2e8; sub_group_size = 1e8 }\n")
    code, out, err = run_export("dsk.plan", "dsk", "--to", "deepspeed", cwd=project.root)
    assert code == 0, err
    cfg = json.loads(out)
    jsonschema.validate(cfg, DS_SCHEMA)
    assert cfg["zero_optimization"]["reduce_bucket_size"] == 200_000_000
    assert cfg["zero_optimization"]["sub_group_size"] == 100_000_000


def test_the_exports_switch_on_the_overlap_the_plans_time_assumes(project):
    """Megatron-LM's --overlap-grad-reduce, --overlap-param-gather and --tp-comm-overlap are off by default
    (megatron/training/arguments.py, store_true), DeepSpeed's overlap_comm below stage 3 (zero/config.py
    overlap_comm_valid): an export of a plan whose time hides that traffic must ask for it, and one whose time
    does not must not."""
    fw = "  framework {{ implementation = megatron{extra} }}\n"
    _training(project, "hid", "llama2_7b", 16, "tensor = 2; data = 8; sequence_parallel = true; "
              "distributed_optimizer = true", fw.format(extra="; tp_comm_overlap = true"))
    _training(project, "shown", "llama2_7b", 16, "tensor = 2; data = 8; distributed_optimizer = true",
              fw.format(extra="; overlap_grad_reduce = false; tp_comm_overlap = true"))
    code, out, err = run_export("hid.plan", "hid", "--to", "megatron", cwd=project.root)
    a = parse_megatron_args(out)["args"]
    assert code == 0 and {"--overlap-grad-reduce", "--overlap-param-gather", "--tp-comm-overlap"} <= set(a)
    code, out, err = run_export("shown.plan", "shown", "--to", "megatron", cwd=project.root)
    a = parse_megatron_args(out)["args"]
    assert code == 0 and not {"--overlap-grad-reduce", "--overlap-param-gather", "--tp-comm-overlap"} & set(a)
    assert "tp_comm_overlap = true cannot be expressed without tensor > 1 and sequence parallelism" in err
    _training(project, "z2", "llama2_7b", 8, "data = 8; zero = 2", "  framework { overlap_grad_reduce = false }\n")
    _training(project, "z0", "llama2_7b", 8, "data = 8")
    code, out, _ = run_export("z2.plan", "z2", "--to", "deepspeed", cwd=project.root)
    cfg = json.loads(out)
    jsonschema.validate(cfg, DS_SCHEMA)
    assert cfg["zero_optimization"]["overlap_comm"] is False
    code, out, err = run_export("z0.plan", "z0", "--to", "deepspeed", cwd=project.root)
    assert "overlap_comm" not in json.loads(out)["zero_optimization"]
    assert "ZeRO stage 0: DeepSpeed all-reduces the gradients after the backward pass" in err


@pytest.mark.parametrize("gpu,attention,implementation,warned", [
    ("h100_sxm", "flash", "flash_attention_3", False),      # Hopper's native kernel: FlashAttention-3
    ("h100_sxm", "flash2", "flash_attention_2", False),
    ("a100_80gb", "flash", "flash_attention_2", False),     # FlashAttention-2 is the A100's native kernel
    ("b200", "flash", "flash_attention_2", True),           # transformers names no Blackwell-native kernel
])
def test_the_attention_kernel_reaches_torchrun_as_transformers_names_it(project, gpu, attention, implementation,
                                                                        warned):
    project("att.plan", f"training att {{\n  model = llama3_1_8b\n  gpu = {gpu}\n  gpus = 8\n  {SEQ}"
                        f"  parallel {{ data = 8; fsdp = true }}\n  framework {{ attention = {attention} }}\n}}\n")
    code, out, err = run_export("att.plan", "att", "--to", "torchrun", cwd=project.root)
    assert code == 0, err
    assert parse_torchrun(out)["script_args"]["--attn-implementation"] == implementation
    assert any("on a Blackwell GPU" in w for w in _warnings(err)) is warned


def test_flashattention2_to_megatron_says_which_library(project):
    _training(project, "fa2", "llama3_1_8b", 8, "tensor = 1; data = 8", "  framework { attention = flash2 }\n")
    code, out, err = run_export("fa2.plan", "fa2", "--to", "megatron", cwd=project.root)
    assert code == 0, err
    assert parse_megatron_args(out)["args"]["--attention-backend"] == "flash"
    assert "flash-attn 2.x installed and no flash_attn_3" in out


def test_a_fused_loss_reaches_torchrun_and_megatron_warns(project):
    _training(project, "fl", "llama3_1_8b", 8, "data = 8; fsdp = true", "  framework { loss_kernel = fused }\n")
    code, out, err = run_export("fl.plan", "fl", "--to", "torchrun", cwd=project.root)
    assert code == 0, err
    assert parse_torchrun(out)["script_args"]["--loss-kernel"] == "fused"
    assert "CrossEntropyLoss(inplace_backward=False)" in out
    code, out, err = run_export("fl.plan", "fl", "--to", "megatron", cwd=project.root)
    assert any(w.startswith("loss_kernel = fused") for w in _warnings(err))
