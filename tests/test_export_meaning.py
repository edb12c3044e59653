"""Exports that launch the model of the checkpoint and the operating point of the plan (issue 14).

Expected values come from the checkpoints' published config.json (the catalog's `source`
URLs; tests/data/hf_configs/published_*.json for Mixtral) and from Megatron-LM's argument
definitions (tests/data/export/megatron_arguments.json: names, locations and argparse types
read from megatron/training/arguments.py at two commits).
"""

from __future__ import annotations

import argparse
import json
import re
import shlex

import pytest

from conftest import ROOT, run_cli

DATA = ROOT / "tests" / "data"
MEGATRON = json.loads((DATA / "export" / "megatron_arguments.json").read_text())


def export(path, plan, target):
    code, out, err = run_cli("export", str(path), plan, "--to", target)
    assert code == 0, err
    from capplan.tools.export.command import parse_megatron_args, parse_vllm_args

    return (parse_megatron_args if target == "megatron" else parse_vllm_args)(out)["args"], out


def _moe_freq(text: str):
    """Megatron's moe_freq_type: an int, or a list expression of 0s and 1s such as ([0]*3+[1]*58)."""
    if re.fullmatch(r"\d+", text):
        return int(text)
    if not re.fullmatch(r"\(?(\[[01](, *[01])*\](\*\d+)?)(\+\[[01](, *[01])*\](\*\d+)?)*\)?", text):
        raise ValueError(text)
    return text


def _tuple(text: str):
    return tuple(int(x) for x in text.split(","))


def megatron_parser() -> argparse.ArgumentParser:
    """An argparse parser rebuilt from Megatron-LM's own argument definitions (vendored, see the JSON)."""
    types = {"int": int, "float": float, "str": str, "moe_freq_type": _moe_freq, "tuple_type": _tuple}
    parser = argparse.ArgumentParser(allow_abbrev=False, exit_on_error=False)
    for flag, spec in MEGATRON["definitions"].items():
        if flag == "description":
            continue
        kw = {k: v for k, v in spec.items() if k in ("action", "nargs", "choices", "dest")}
        if "type" in spec:
            kw["type"] = types[spec["type"]]
        parser.add_argument(flag, **kw)
    return parser


def parse_with_megatron(text: str) -> argparse.Namespace:
    block = re.search(r"^MEGATRON_ARGS=\($(.*?)^\)$", text, re.M | re.S)
    return megatron_parser().parse_args(shlex.split(block.group(1), comments=True))


def _typed(text: str) -> None:
    """Megatron's argparse definitions accept the export: no unknown argument, every value converts."""
    parse_with_megatron(text)


def test_llama31_megatron_export_has_its_rope_base_scaling_and_epsilon():
    # Llama-3.1 config.json: rope_theta 500000.0, rope_scaling {rope_type llama3, factor 8.0}, rms_norm_eps 1e-05
    args, text = export(ROOT / "specs" / "examples" / "llama3-70b-pretrain.plan", "llama70b_pretrain", "megatron")
    _typed(text)
    assert args["--rotary-base"] == 500000 and args["--use-rope-scaling"] is True
    assert float(args["--rope-scaling-factor"]) == 8.0 and float(args["--norm-epsilon"]) == 1e-5
    # Megatron pads the vocabulary to a multiple of divisor x TP: 128256 = 2^8 x 501 and TP = 8, so 32
    divisor = int(args["--make-vocab-size-divisible-by"])
    assert 128256 % (divisor * 8) == 0 and 128256 % (2 * divisor * 8) != 0 and divisor == 32
    for flag in ("--rotary-base", "--use-rope-scaling", "--rope-scaling-factor", "--norm-epsilon",
                 "--make-vocab-size-divisible-by"):
        assert flag in MEGATRON["arguments"]


def test_mixtral_rope_base_is_a_million(project):
    published = json.loads((DATA / "hf_configs" / "published_mixtral_8x7b.json").read_text())
    project("m.plan", "training m {\n  model = mixtral_8x7b\n  gpu = h100_sxm\n  gpus = 8\n"
                      "  precision = megatron_bf16\n  seq_len = 4096 tokens\n  global_batch = 8\n"
                      "  parallel { tensor = 8 }\n  require not fits\n}\n")
    args, text = export(project.root / "m.plan", "m", "megatron")
    _typed(text)
    assert int(args["--rotary-base"]) == published["rope_theta"] == 1_000_000
    assert float(args["--norm-epsilon"]) == published["rms_norm_eps"]
    assert "--use-rope-scaling" not in args


def test_a_model_without_rope_base_or_epsilon_is_a_warning_never_silent(project):
    project("m.plan", "model tiny {\n  layers = 2\n  hidden = 256\n  heads = 4\n  ffn = 512\n  vocab = 1000\n}\n"
                      "training t {\n  model = tiny\n  gpu = h100_sxm\n  gpus = 1\n  precision = megatron_bf16\n"
                      "  seq_len = 512 tokens\n  global_batch = 8\n}\n")
    code, out, err = run_cli("export", str(project.root / "m.plan"), "t", "--to", "megatron")
    assert code == 0
    assert "gives no `rope_base`: Megatron uses --rotary-base 10000" in err
    assert "gives no `norm_eps`" in err and "--rotary-base" not in out.split("MEGATRON_ARGS")[-1]


def test_a_rope_scaling_megatron_cannot_express_is_reported(project):
    project("m.plan", "model y from llama2_7b { rope_scaling = yarn; rope_scaling_factor = 4 }\n"
                      "training t {\n  model = y\n  gpu = h100_sxm\n  gpus = 8\n  precision = megatron_bf16\n"
                      "  seq_len = 4096 tokens\n  global_batch = 8\n  parallel { tensor = 8 }\n}\n")
    code, out, err = run_cli("export", str(project.root / "m.plan"), "t", "--to", "megatron")
    assert code == 0 and "rope_scaling = yarn cannot be expressed" in err


def test_serving_export_takes_the_plans_operating_point():
    spec = ROOT / "specs" / "examples" / "chat-serving.plan"
    code, out, _ = run_cli("eval", "--format", "json", str(spec))
    [plan] = [p for p in json.loads(out)["plans"] if p["name"] == "chat_traffic"]
    args, text = export(spec, "chat_traffic", "vllm")
    assert int(args["--max-num-seqs"]) == plan["serving"]["best_batch"] != 1  # 265, not the default 1
    assert int(args["--tensor-parallel-size"]) == plan["layout"]["tensor"] == 2
    assert int(args["--pipeline-parallel-size"]) == plan["layout"]["pipeline"]
    assert float(args["--gpu-memory-utilization"]) == plan["layout"]["memory_utilization"]
    assert int(args["--max-num-batched-tokens"]) == 8192
    # a plan with a fixed batch and no request rate keeps its batch
    args, _ = export(spec, "chat_70b_int4", "vllm")
    assert args["--max-num-seqs"] == 32


def test_import_hf_maps_rope_and_epsilon_so_exports_carry_them(tmp_path):
    """The published configs' rope_theta, rope_scaling and norm epsilon become model fields."""
    from capplan.tools.import_hf.command import import_config

    cases = {"published_mixtral_8x7b.json": {"rope_base": 1e6, "norm_eps": 1e-5},
             "published_deepseek_v3.json": {"rope_base": 10000.0, "norm_eps": 1e-6, "rope_scaling": "yarn",
                                            "rope_scaling_factor": 40.0},
             "published_gpt2_124m.json": {"norm_eps": 1e-5}}
    for name, expected in cases.items():
        config = json.loads((DATA / "hf_configs" / name).read_text())
        result = import_config(config, "m", model_type="gpt2" if "gpt2" in name else None)
        assert result.error is None, result.error
        for key, value in expected.items():
            assert result.fields[key] == value, (name, key)
    # and the block round-trips through the checker and out to Megatron
    mixtral = json.loads((DATA / "hf_configs" / "published_mixtral_8x7b.json").read_text())
    block = import_config(mixtral, "mixtral_imported").text
    (tmp_path / "capplan.toml").write_text("")
    (tmp_path / "m.plan").write_text(block + "\ntraining t {\n  model = mixtral_imported\n  gpu = h100_sxm\n"
                                     "  gpus = 8\n  precision = megatron_bf16\n  seq_len = 4096 tokens\n"
                                     "  global_batch = 8\n  parallel { tensor = 8 }\n  require not fits\n}\n")
    args, _ = export(tmp_path / "m.plan", "t", "megatron")
    assert args["--rotary-base"] == 1000000 and args["--norm-epsilon"] == 1e-5


SPECS = sorted((ROOT / "specs").rglob("*.plan"))


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_every_megatron_export_parses_with_megatrons_argument_definitions(spec):
    """Megatron-LM's add_argument definitions (types, actions, choices) accept every export of every training
    plan: an unknown argument, a missing value or a value of the wrong type fails here as in pretrain_gpt.py."""
    code, out, _ = run_cli("eval", "--format", "json", str(spec))
    plans = [p["name"] for p in json.loads(out)["plans"] if p["kind"] == "training"]
    for name in plans:
        code, text, err = run_cli("export", str(spec), name, "--to", "megatron")
        if code != 0:
            assert "nothing exported" in err  # a plan the spec expects not to fit
            continue
        args = parse_with_megatron(text)
        assert args.tensor_model_parallel_size >= 1 and args.num_layers >= 1
        assert args.rotary_base is None or isinstance(args.rotary_base, int)


def test_the_rebuilt_parser_rejects_what_megatron_rejects():
    parser = megatron_parser()
    with pytest.raises(argparse.ArgumentError):
        parser.parse_args(["--rotary-base", "1e+06"])         # type=int
    with pytest.raises((argparse.ArgumentError, SystemExit)):
        parser.parse_args(["--no-such-argument", "1"])
    with pytest.raises(argparse.ArgumentError):
        parser.parse_args(["--normalization", "BatchNorm"])   # choices=['LayerNorm', 'RMSNorm']
    with pytest.raises(argparse.ArgumentError):
        parser.parse_args(["--num-layers", "two"])


def test_deepseek_v3_recipe_exports_its_dispatcher_routing_groups_and_recompute_modules(project):
    # DeepSeek-V3's config.json: n_group 8, topk_group 4; NVIDIA's DGX Cloud recipe (dgxc-benchmarking
    # deepseek_v3/pretrain/launch.sh @4376ecc, H100): RM="mla_up_proj mlp moe", and NeMo's
    # pretrain_deepseek_v3.py @9244b1ec: moe_token_dispatcher_type "flex" with moe_enable_deepep on H100
    published = json.loads((DATA / "hf_configs" / "published_deepseek_v3.json").read_text())
    project("d.plan", (ROOT / "tests" / "data" / "recipes" / "deepseek_v3_dgxc_h100.plan").read_text())
    _, text = export(project.root / "d.plan", "deepseek_v3_dgxc", "megatron")
    ns = parse_with_megatron(text)
    assert ns.moe_router_num_groups == published["n_group"] == 8
    assert ns.moe_router_group_topk == published["topk_group"] == 4
    assert ns.moe_token_dispatcher_type == "flex" and ns.moe_enable_deepep is True
    assert ns.recompute_granularity == "selective" and ns.recompute_modules == "mla_up_proj mlp moe".split()


def test_an_moe_export_names_the_all_to_all_dispatcher_the_estimate_assumes(project):
    # Megatron-LM's default dispatcher is allgather (arguments.py, --moe-token-dispatcher-type); the step time
    # models the all-to-all one, so the export states it
    project("m.plan", "training m {\n  model = mixtral_8x7b\n  gpu = h100_sxm\n  gpus = 8\n"
                      "  precision = megatron_bf16\n  seq_len = 4096 tokens\n  global_batch = 8\n"
                      "  parallel { tensor = 2; expert = 4 }\n  framework { implementation = megatron }\n"
                      "  require not fits or fits\n}\n")
    _, text = export(project.root / "m.plan", "m", "megatron")
    ns = parse_with_megatron(text)
    assert ns.moe_token_dispatcher_type == "alltoall" and not ns.moe_enable_deepep
    assert ns.moe_router_num_groups is None
