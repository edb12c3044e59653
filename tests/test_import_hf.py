"""`capplan import-hf`: Hugging Face config.json -> `model` block, checked against transformers.

Independent source: tests/data/hf_configs/EXPECTED.json, written by
tests/data/hf_configs/measure_expected.py, which instantiates each config's real
transformers class on the meta device and counts model.parameters() (its
provenance block records the torch/transformers versions and the command). No
torch here: the imported block is compiled by capplan and its parameter total
compared with the measured one, exactly.
"""

from __future__ import annotations

import io
import json
import os
import random
from pathlib import Path

import pytest

from capplan.lang.formatter import format_source
from capplan.tools.import_hf.command import SUPPORTED, import_config, main, sanitize_name
from capplan.tools.import_hf.registry import FAMILIES as REGISTERED
from capplan.pipeline import compile_files

from conftest import ROOT, run_cli

DATA = ROOT / "tests" / "data" / "hf_configs"
EXPECTED = json.loads((DATA / "EXPECTED.json").read_text())
CONFIGS = EXPECTED["configs"]
VALIDATION = json.loads((ROOT / "validation" / "data" / "params.json").read_text())["models"]
# encoders and hybrids: validation/measure_families.py's measurements (tests/test_families.py)
MEASURED_FAMILIES = json.loads((ROOT / "validation" / "data" / "families.json").read_text())["models"]

FAMILIES = {"llama", "mistral", "mixtral", "qwen2", "qwen2_moe", "qwen3", "gemma", "gemma2", "phi3", "gpt2",
            "opt", "falcon", "deepseek_v2", "deepseek_v3", "bert", "roberta", "nemotron_h"}

# Published configs copied verbatim from validation/data/params.json
PUBLISHED = {
    "published_llama_2_7b.json": "Llama-2-7B", "published_mixtral_8x7b.json": "Mixtral-8x7B-v0.1",
    "published_gpt2_124m.json": "GPT-2 (124M)", "published_deepseek_v3.json": "DeepSeek-V3",
    "published_falcon_7b.json": "Falcon-7B", "published_gemma_2_9b.json": "Gemma-2-9B",
    "published_qwen3_8b.json": "Qwen3-8B", "published_phi3_mini_4k.json": "Phi-3-mini-4k",
    "published_deepseek_v2_lite.json": "DeepSeek-V2-Lite",
}
# ... and from validation/data/families.json (the class import-hf counts)
PUBLISHED_FAMILIES = {
    "published_bert_base_uncased.json": "bert-base-uncased:BertForSequenceClassification",
    "published_roberta_base.json": "roberta-base:RobertaForSequenceClassification",
    "published_nemotron_h_8b.json": "Nemotron-H-8B-Base-8K:NemotronHForCausalLM",
}


def load(name: str) -> dict:
    return json.loads((DATA / name).read_text())


def imported(name: str):
    entry = CONFIGS[name]
    result = import_config(load(name), name.removesuffix(".json"), source=f"tests/data/hf_configs/{name}",
                           model_type=entry.get("model_type_override"))
    assert result.error is None, result.error
    return result


def compile_block(tmp_path: Path, text: str) -> dict:
    """Write the block into a fresh project (an empty capplan.toml) and compile it; the model's result."""
    project = tmp_path / "proj"
    project.mkdir(exist_ok=True)
    (project / "capplan.toml").write_text("")
    path = project / "imported.plan"
    path.write_text(text)
    comp = compile_files([str(path)])
    errors = [d.message for d in comp.diagnostics.items if d.severity == "error"]
    assert not errors, errors
    assert len(comp.models) == 1, [d.message for d in comp.diagnostics.items]
    return comp.models[0]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


# ------------------------------------------------------------------ ground truth and coverage

def test_expected_has_provenance():
    prov = EXPECTED["provenance"]
    for key in ("torch_version", "transformers_version", "date_utc", "command_line", "script"):
        assert prov[key], key
    assert "measure_expected.py" in prov["command_line"]
    assert "meta" in EXPECTED["method"]


def test_every_config_is_measured_and_every_family_covered():
    on_disk = {p.name for p in DATA.glob("*.json")} - {"EXPECTED.json"}
    assert on_disk == set(CONFIGS)
    assert {e["model_type"] for e in CONFIGS.values()} >= FAMILIES
    assert set(SUPPORTED) >= FAMILIES


def _family_configs(model_type: str) -> list[str]:
    return sorted(n for n, e in CONFIGS.items() if e["model_type"] == model_type)


@pytest.mark.parametrize("family", REGISTERED, ids=lambda f: f.model_type)
def test_every_family_writes_what_fmt_check_accepts(tmp_path, family):
    """Each registered family has test configs, and its blocks are in `capplan fmt`'s layout as written."""
    names = _family_configs(family.model_type)
    assert names, f"no config in {DATA} exercises the {family.model_type} family"
    for name in names:
        text = imported(name).text
        assert format_source(text, name)[0] == text, name
        path = tmp_path / f"{name.removesuffix('.json')}.plan"
        extra = ("--model-type", CONFIGS[name]["model_type_override"]) if "model_type_override" in CONFIGS[name] \
            else ()
        code, _, err = run_cli("import-hf", str(DATA / name), *extra, "-o", str(path))
        assert code == 0, err
        assert run_cli("fmt", "--check", str(path)) == (0, "", ""), name


def _json_infinity_as_text(value):
    """families.json stores config.json's bare `Infinity` (Nemotron-H time_step_limit) as the string."""
    if isinstance(value, dict):
        return {k: _json_infinity_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_infinity_as_text(v) for v in value]
    return "Infinity" if value == float("inf") else value


def test_published_copies_are_verbatim_and_agree_with_validation():
    for name, label in PUBLISHED.items():
        assert load(name) == VALIDATION[label]["published_config"], name
        assert CONFIGS[name]["total_params"] == VALIDATION[label]["total_params"], name
    for name, label in PUBLISHED_FAMILIES.items():
        assert _json_infinity_as_text(load(name)) == MEASURED_FAMILIES[label]["published_config"], name
        assert CONFIGS[name]["total_params"] == MEASURED_FAMILIES[label]["total_params"], name
        assert CONFIGS[name]["hf_class"] == MEASURED_FAMILIES[label]["hf_class"], name


# Configs whose parameters the schema cannot express: the key must be reported, and the difference
# must be exactly what that key adds in transformers (computed here from the config).
def _opt_projection_delta(cfg: dict) -> int:
    v, h, p = cfg["vocab_size"], cfg["hidden_size"], cfg["word_embed_proj_dim"]
    return v * (p - h) + 2 * h * p  # narrower embedding (tied head) + project_in + project_out


def _nemotron_moe_delta(cfg: dict) -> int:
    """NemotronHMoE (routed experts over the latent width, router, shared MLP, latent projections, no
    biases) minus the NemotronHMLP of intermediate_size the block counts for each E layer."""
    h, ffn, e = cfg["hidden_size"], cfg["intermediate_size"], cfg["n_routed_experts"]
    latent, expert, shared = cfg["moe_latent_size"], cfg["moe_intermediate_size"], \
        cfg["moe_shared_expert_intermediate_size"]
    moe = e * 2 * latent * expert + e * h + 2 * h * shared + 2 * h * latent
    return cfg["hybrid_override_pattern"].count("E") * (moe - 2 * h * ffn)


SCHEMA_GAPS = {"opt_350m_style.json": ("word_embed_proj_dim", _opt_projection_delta),
               "nemotron_h_moe_mixed.json": ("hybrid_override_pattern", _nemotron_moe_delta)}


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_parameters_equal_transformers(tmp_path, name):
    result = imported(name)
    assert result.hf_class == CONFIGS[name]["hf_class"]
    model = compile_block(tmp_path, result.text)
    total = model["params"]["total"]
    if name in SCHEMA_GAPS:
        key, delta = SCHEMA_GAPS[name]
        assert key in result.unmapped
        assert total + delta(load(name)) == CONFIGS[name]["total_params"]
        assert f"UNMAPPED {key}" in result.text
    else:
        assert total == CONFIGS[name]["total_params"]


@pytest.mark.parametrize("label", sorted(VALIDATION))
def test_every_validation_config_imports_exactly(tmp_path, label):
    """All of validation/data/params.json's published configs, not only the copies."""
    entry = VALIDATION[label]
    cfg = entry["published_config"]
    override = None if "model_type" in cfg else {"GPT2LMHeadModel": "gpt2"}[entry["hf_class"]]
    result = import_config(cfg, "m", source=label, model_type=override)
    assert result.error is None, result.error
    assert result.hf_class == entry["hf_class"]
    assert compile_block(tmp_path, result.text)["params"]["total"] == entry["total_params"]


FAMILY_CLASSES = {f.hf_class for f in REGISTERED}


@pytest.mark.parametrize("label", sorted(k for k, v in MEASURED_FAMILIES.items() if v["hf_class"] in FAMILY_CLASSES))
def test_every_measured_family_config_imports_exactly(tmp_path, label):
    """validation/data/families.json's published encoder and hybrid configs, for the class import-hf counts."""
    entry = MEASURED_FAMILIES[label]
    cfg = json.loads(json.dumps(entry["published_config"]).replace('"Infinity"', "Infinity"))
    result = import_config(cfg, "m", source=label)
    assert result.error is None, result.error
    assert result.hf_class == entry["hf_class"] and result.unmapped == []
    assert compile_block(tmp_path, result.text)["params"]["total"] == entry["total_params"]


@pytest.mark.parametrize("name, catalog_model", [("published_bert_base_uncased.json", "bert_base"),
                                                 ("published_roberta_base.json", "roberta_base"),
                                                 ("published_nemotron_h_8b.json", "nemotron_h_8b")])
def test_imported_blocks_equal_the_catalog_entries(tmp_path, name, catalog_model):
    """The mapper writes what compiler/catalog/models_encoder.plan and models_hybrid.plan say by hand."""
    catalog = compile_files([], evaluate=False).checked.objects[catalog_model]
    project = tmp_path / "proj"
    project.mkdir()
    (project / "capplan.toml").write_text("")
    (project / "imported.plan").write_text(imported(name).text)
    mine = compile_files([str(project / "imported.plan")], evaluate=False).checked.objects[name.removesuffix(".json")]

    def shown(obj):
        return {k: repr(v) for k, v in obj.fields.items() if not k.startswith("_") and k not in ("name", "source")}
    assert shown(mine) == shown(catalog)


# ------------------------------------------------------------------ every key accounted for

@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_every_key_is_mapped_ignored_or_unmapped(name):
    result = imported(name)
    ignored = {k for k, _ in result.ignored}
    mapped, unmapped = set(result.mapped), set(result.unmapped)
    assert mapped | ignored | unmapped == set(load(name))
    assert not (mapped & ignored) and not (mapped & unmapped) and not (ignored & unmapped)
    for key in unmapped:
        assert any(k == key for k, _ in result.warnings), key
        assert f"UNMAPPED {key}" in result.text


def test_unknown_key_is_reported_never_dropped(tmp_path):
    result = imported("llama_unknown_key.json")
    assert result.unmapped == ["my_new_feature_size"]
    assert "UNMAPPED my_new_feature_size = 7" in result.text
    code, out, err = run(str(DATA / "llama_unknown_key.json"))
    assert code == 0 and "model llama_unknown_key {" in out
    assert "warning: my_new_feature_size: unmapped" in err


def test_strict_makes_unmapped_keys_an_error(tmp_path):
    target = tmp_path / "out.plan"
    code, out, err = run(str(DATA / "llama_unknown_key.json"), "--strict", "-o", str(target))
    assert code == 1
    assert "--strict" in err and "my_new_feature_size" in err and "Traceback" not in err
    assert out == "" and not target.exists()
    # a config with every key known passes --strict
    code, out, err = run(str(DATA / "llama_tiny.json"), "--strict")
    assert code == 0 and out.startswith("# Imported")


def test_schema_gaps_fail_strict():
    for name in ("published_deepseek_v3.json", "opt_350m_style.json", "qwen2_moe_interleaved.json",
                 "nemotron_h_moe_mixed.json"):
        assert run(str(DATA / name), "--strict")[0] == 1, name


def test_ignored_keys_are_listed_only_when_asked():
    code, _, err = run(str(DATA / "llama_tiny.json"))
    assert code == 0 and "ignored" not in err
    code, _, err = run(str(DATA / "llama_tiny.json"), "--show-ignored")
    assert code == 0 and "ignored: use_cache:" in err and "ignored: torch_dtype:" in err
    assert "ignored: rope_theta:" not in err  # mapped to rope_base (tests/test_export_meaning.py)
    reasons = dict(imported("gemma2_tiny.json").ignored)
    assert "no parameters" in reasons["attn_logit_softcapping"]


def test_quantization_is_a_warning_and_mtp_is_unmapped():
    result = imported("published_deepseek_v3.json")
    assert "quantization_config" not in result.unmapped
    assert any(k == "quantization_config" and "fp8" in m for k, m in result.warnings)
    assert result.unmapped == ["num_nextn_predict_layers"]


# ------------------------------------------------------------------ transformers' defaults and mappings

def test_defaults_transformers_applies_when_keys_are_absent():
    f = imported("falcon_tiny_mq.json").fields
    assert f["ffn"] == 4 * 64 and f["kv_heads"] == 1 and f["tied_embeddings"] is True
    assert f["norms_per_layer"] == 1 and f["parallel_block"] is True and f["max_seq"] == 2048
    assert imported("gpt2_tiny.json").fields["ffn"] == 4 * 64
    f = imported("llama_defaults.json").fields
    assert f["kv_heads"] == f["heads"] == 2 and f["vocab"] == 32000 and f["max_seq"] == 2048
    assert "head_dim" not in f and f["tied_embeddings"] is False
    f = imported("mistral_tiny.json").fields   # MistralConfig: num_key_value_heads 8, sliding_window 4096
    assert f["kv_heads"] == 8 and f["sliding_window"] == 4096 and "sliding_window_layers" not in f
    assert imported("qwen3_tiny.json").fields["head_dim"] == 128     # Qwen3Config default, not 64 / 4
    f = imported("gemma_tiny.json").fields
    assert f["head_dim"] == 256 and f["tied_embeddings"] is True and f["activation"] == "gelu_tanh"
    f = imported("published_gpt2_124m.json").fields                 # GPT2Config dropouts 0.1
    assert f["dropout"] == 0.1 and "attention_dropout" not in f


def test_family_mapping_decisions():
    f = imported("qwen2_tiny_tied_sliding.json").fields
    assert (f["qkv_bias"], f["out_bias"], f["mlp_bias"]) == (True, False, False)
    assert f["tied_embeddings"] is True and f["sliding_window"] == 512 and f["sliding_window_layers"] == 3
    moe = imported("qwen2_moe_tiny.json").fields["moe"]
    assert moe == {"experts": 6, "experts_per_token": 2, "expert_ffn": 48, "shared_experts": 1,
                   "shared_ffn": 160, "shared_gate": True, "dense_layers": 1, "router_bias": False}
    f = imported("qwen3_tiny.json").fields
    assert f["qk_norm"] is True and f["qkv_bias"] is False
    f = imported("gemma2_tiny.json").fields
    assert f["norms_per_layer"] == 4 and f["sliding_window_layers"] == 3 and f["head_dim"] == 32
    f = imported("gpt2_tiny.json").fields
    assert f["code_path"] == "gpt2" and f["activation"] == "gelu_new" and f["position"] == "learned"
    assert f["mlp"] == "plain" and f["qkv_bias"] and f["out_bias"] and f["mlp_bias"]
    f = imported("opt_tiny.json").fields
    assert f["position_offset"] == 2 and f["activation"] == "relu" and "final_norm" not in f
    assert imported("opt_350m_style.json").fields["final_norm"] is False
    f = imported("falcon_new_arch.json").fields
    assert f["kv_heads"] == 2 and "norms_per_layer" not in f and f["qkv_bias"] is True
    f = imported("falcon_sequential_alibi.json").fields
    assert f["position"] == "alibi" and "parallel_block" not in f and f["kv_heads"] == 4
    f = imported("deepseek_v2_tiny_no_q_lora.json").fields
    assert f["attention"] == "mla" and "q_lora_rank" not in f["mla"]
    assert f["moe"]["shared_experts"] == 2 and f["moe"]["router_bias"] is False
    f = imported("deepseek_v3_tiny.json").fields
    assert f["mla"]["q_lora_rank"] == 48 and f["moe"]["router_bias"] is True and f["moe"]["dense_layers"] == 1
    f = imported("llama_gqa_tied_bias.json").fields
    assert (f["kv_heads"], f["head_dim"], f["qkv_bias"], f["out_bias"], f["mlp_bias"]) == (2, 16, True, True, True)
    assert imported("llama_mqa.json").fields["kv_heads"] == 1
    assert imported("mixtral_tiny.json").fields["moe"]["experts"] == 4


def test_interleaved_moe_layers_are_counted_and_reported():
    result = imported("qwen2_moe_interleaved.json")
    assert result.fields["moe"]["dense_layers"] == 2        # layers 0 and 2 (decoder_sparse_step 2)
    assert result.unmapped == ["decoder_sparse_step"]


def test_encoder_mapping_decisions():
    f = imported("bert_tiny.json").fields       # BertConfig / PretrainedConfig defaults where keys are absent
    assert (f["post_norm"], f["bidirectional"], f["final_norm"], f["embedding_norm"], f["pooler"]) == \
        (True, True, False, True, True)
    assert f["classes"] == 2 and f["token_types"] == 2 and f["max_seq"] == 128 and "position_offset" not in f
    assert (f["qkv_bias"], f["out_bias"], f["mlp_bias"], f["norm"], f["mlp"]) == (True, True, True, "layernorm",
                                                                                    "plain")
    assert f["dropout"] == 0.1 and "attention_dropout" not in f and f["norm_eps"] == 1e-12
    f = imported("bert_labels_relu.json").fields
    assert f["classes"] == 5 and f["activation"] == "relu" and f["token_types"] == 3
    assert f["dropout"] == 0.2 and f["attention_dropout"] == 0.0
    f = imported("roberta_tiny.json").fields    # 130 rows = 128 positions after pad_token_id 1 and the pad row
    assert (f["max_seq"], f["position_offset"], f["token_types"], f["classes"]) == (128, 2, 1, 3)
    f = imported("roberta_pad0_defaults.json").fields
    assert (f["max_seq"], f["position_offset"], f["token_types"], f["norm_eps"]) == (39, 1, 2, 1e-12)
    result = import_config({**load("bert_tiny.json"), "id2label": {"0": "a"}, "num_labels": 3}, "b")
    assert result.error and "id2label" in result.error
    result = import_config({**load("roberta_tiny.json"), "max_position_embeddings": 2}, "r")
    assert result.error and "pad_token_id + 1" in result.error
    result = import_config({**load("bert_tiny.json"), "position_embedding_type": "relative_key"}, "b")
    assert result.unmapped == ["position_embedding_type"]


def test_hybrid_mapping_decisions():
    f = imported("nemotron_h_tiny.json").fields
    assert f["pattern"] == "M-M*-M-" and f["layers"] == 7 and f["position"] == "none"
    assert (f["mlp"], f["activation"], f["tied_embeddings"], f["qkv_bias"]) == ("plain", "relu2", False, False)
    assert f["mamba"] == {"heads": 8, "head_dim": 12, "state": 16, "groups": 2, "conv_kernel": 4, "chunk": 32,
                          "bias": False, "conv_bias": True}
    result = imported("nemotron_h_block_types_biases.json")      # layers_block_type, legacy mamba_* names
    f = result.fields
    assert f["pattern"] == "M*-M-*" and f["head_dim"] == 128 and f["mlp_bias"] is True   # NemotronHConfig default
    assert f["mamba"]["groups"] == 3 and f["mamba"]["conv_kernel"] == 3 and f["mamba"]["chunk"] == 64
    assert f["mamba"]["bias"] is True and f["mamba"]["conv_bias"] is False
    assert f["tied_embeddings"] is False                        # transformers 5.23 ties nothing here
    assert any(k == "tie_word_embeddings" and "no tied weights" in m for k, m in result.warnings)
    f = imported("nemotron_h_moe_tiny.json").fields              # every MLP layer is MoE: `-` + moe block
    assert f["pattern"] == "M-M*-M-"
    assert f["moe"] == {"experts": 6, "experts_per_token": 2, "expert_ffn": 40, "shared_experts": 1,
                        "shared_ffn": 56, "router_bias": True}
    f = imported("published_nemotron_h_8b.json").fields          # attention_head_dim and rms_norm_eps: remote code
    assert f["head_dim"] == 128 and f["norm_eps"] == 1e-5 and f["max_seq"] == 8192
    cfg = {**load("nemotron_h_tiny.json"), "attention_head_dim": 8}
    result = import_config(cfg, "n")
    assert result.fields["head_dim"] == 24 and any(k == "attention_head_dim" for k, _ in result.warnings)
    result = import_config({**load("nemotron_h_tiny.json"), "num_nextn_predict_layers": 1}, "n")
    assert result.unmapped == ["num_nextn_predict_layers"]
    result = import_config({**load("nemotron_h_tiny.json"), "hybrid_override_pattern": "M-X"}, "n")
    assert result.error and "hybrid_override_pattern" in result.error


# ------------------------------------------------------------------ output text

def test_output_is_stable_and_independent_of_key_order():
    for name in sorted(CONFIGS):
        cfg = load(name)
        override = CONFIGS[name].get("model_type_override")
        first = import_config(cfg, "m", source=name, model_type=override).text
        assert import_config(cfg, "m", source=name, model_type=override).text == first
        keys = list(cfg)
        random.Random(7).shuffle(keys)
        assert import_config({k: cfg[k] for k in keys}, "m", source=name, model_type=override).text == first


def test_block_layout():
    text = imported("llama_tiny.json").text
    lines = text.splitlines()
    assert lines[0] == "# Imported by `capplan import-hf` from tests/data/hf_configs/llama_tiny.json"
    assert 'model_type = "llama"' in lines[1] and "LlamaForCausalLM" in lines[1]
    assert lines[2] == "model llama_tiny {" and lines[-1] == "}"
    fields = [ln for ln in lines[3:-1] if "=" in ln and not ln.lstrip().startswith("#")]
    assert len({ln.index("=") for ln in fields}) == 1            # aligned `=`
    assert any(ln.split("#")[0].strip() == "layers          = 3" for ln in fields)
    assert 'name            = "tiny/llama-tiny"' in text


def test_cli_prints_what_import_config_returns():
    code, out, err = run(str(DATA / "gemma2_tiny.json"))
    assert code == 0 and err == ""
    assert out == import_config(load("gemma2_tiny.json"), "gemma2_tiny", source=str(DATA / "gemma2_tiny.json")).text


def test_default_names(tmp_path):
    code, out, _ = run(str(DATA / "opt_tiny.json"))          # _name_or_path facebook/opt-tiny
    assert "model opt_tiny {" in out
    folder = tmp_path / "Llama-3.1-8B"
    folder.mkdir()
    cfg = load("mistral_tiny.json")
    (folder / "config.json").write_text(json.dumps(cfg))
    assert "model llama_3_1_8b {" in run(str(folder / "config.json"))[1]
    assert "model llama_3_1_8b {" in run(str(folder))[1]      # a folder holding config.json
    code, out, err = run(str(DATA / "mistral_tiny.json"), "--name", "My Model-2")
    assert code == 0 and "model my_model_2 {" in out and "not an identifier" in err
    assert sanitize_name("/data/hub/models--meta-llama--Llama-3.1-405B/snapshots/be67f3/") == "llama_3_1_405b"
    assert sanitize_name("7b") == "m_7b" and sanitize_name("true") == "true_model"


# ------------------------------------------------------------------ -o, errors

def test_output_file_is_written_atomically(tmp_path, monkeypatch):
    target = tmp_path / "model.plan"
    code, out, err = run(str(DATA / "qwen3_tiny.json"), "-o", str(target))
    assert code == 0 and out == "" and "wrote model `qwen3_tiny`" in err
    assert target.read_text() == run(str(DATA / "qwen3_tiny.json"))[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.plan"]     # no temporary left
    # the file is replaced in one step: a failing rename leaves the old file and no temporary
    target.write_text("old\n")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    code, out, err = run(str(DATA / "qwen3_tiny.json"), "-o", str(target))
    assert code == 1 and "cannot write" in err and "Traceback" not in err
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.plan"]


def test_output_written_file_compiles(tmp_path):
    (tmp_path / "capplan.toml").write_text("")
    target = tmp_path / "ds.plan"
    assert run(str(DATA / "deepseek_v3_tiny.json"), "-o", str(target))[0] == 0
    comp = compile_files([str(target)])
    assert not comp.failed and comp.models[0]["params"]["total"] == CONFIGS["deepseek_v3_tiny.json"]["total_params"]


def test_output_into_missing_folder(tmp_path):
    code, _, err = run(str(DATA / "qwen3_tiny.json"), "-o", str(tmp_path / "nope" / "m.plan"))
    assert code == 1 and "cannot write" in err and "Traceback" not in err


@pytest.mark.parametrize("content, message", [
    ("{not json", "is not valid JSON"),
    ('{"model_type": "llama",}', "is not valid JSON"),
    ("", "is not valid JSON"),
    ("[1, 2]", "not an object"),
    (b"\xff\xfe\x00", "cannot read"),
])
def test_invalid_json_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "config.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    code, out, err = run(str(path))
    assert code == 1 and out == ""
    assert message in err and "Traceback" not in err and err.startswith("capplan import-hf: error:")


def test_missing_file_is_a_clear_error(tmp_path):
    code, out, err = run(str(tmp_path / "absent.json"))
    assert code == 1 and out == "" and "cannot read" in err and "No such file" in err
    assert "Traceback" not in err


def test_unsupported_model_type():
    result = import_config({"model_type": "electra", "hidden_size": 768}, "b")
    assert result.error and "'electra' is not supported" in result.error
    assert all(f in result.error for f in FAMILIES)
    assert result.text == ""


def test_unsupported_model_type_cli(tmp_path):
    path = tmp_path / "t5.json"
    path.write_text(json.dumps({"model_type": "t5", "d_model": 512}))
    code, out, err = run(str(path))
    assert code == 1 and out == "" and "'t5' is not supported" in err and "llama" in err


def test_missing_model_type():
    cfg = load("published_gpt2_124m.json")                 # GPT-2's first config.json has no model_type
    result = import_config(cfg, "gpt2")
    assert result.error and "--model-type" in result.error
    assert import_config(cfg, "gpt2", model_type="gpt2").error is None
    cfg = {k: v for k, v in load("llama_tiny.json").items() if k != "model_type"}
    result = import_config(cfg, "l")                        # architectures names LlamaForCausalLM
    assert result.error is None and result.model_type == "llama" and "taken from architectures" in result.text


@pytest.mark.parametrize("key, value", [("hidden_size", "64"), ("num_hidden_layers", True),
                                        ("num_attention_heads", 0), ("vocab_size", -5), ("vocab_size", 1.5),
                                        ("tie_word_embeddings", "yes")])
def test_wrong_types_are_errors(tmp_path, key, value):
    cfg = load("llama_tiny.json")
    cfg[key] = value
    result = import_config(cfg, "x")
    assert result.error and key in result.error
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(cfg))
    code, _, err = run(str(path))
    assert code == 1 and key in err and "Traceback" not in err


def test_usage_errors():
    code, out, err = run()
    assert code == 2 and "usage:" in err
    code, out, err = run("--help")
    assert code == 0 and "--strict" in out
    code, out, err = run(str(DATA / "llama_tiny.json"), "--bogus")
    assert code == 2 and "--bogus" in err


def test_model_type_option():
    code, out, err = run(str(DATA / "published_gpt2_124m.json"))
    assert code == 1 and "--model-type" in err and "Traceback" not in err
    code, out, err = run(str(DATA / "published_gpt2_124m.json"), "--model-type", "gpt2")
    assert code == 0 and "model published_gpt2_124m {" in out and 'model_type = "gpt2"' in out


def test_hostile_keys_and_strings_stay_inside_comments_and_strings(tmp_path):
    cfg = load("llama_tiny.json")
    cfg["x\nmodel injected { params = 1 Gparam }\n#"] = 'y\n"}'
    cfg["_name_or_path"] = 'a"b\\c\nmodel injected2 { params = 2 Gparam }'
    result = import_config(cfg, "hostile", source='s"\nmodel injected3 {}')
    assert result.error is None
    model = compile_block(tmp_path, result.text)          # exactly one model, and it compiles
    assert model["name"] == "hostile"
    assert model["params"]["total"] == CONFIGS["llama_tiny.json"]["total_params"]


def test_wired_into_the_capplan_command():
    code, out, err = run_cli("import-hf", str(DATA / "mixtral_tiny.json"), "--strict")
    assert code == 0 and "model mixtral_tiny {" in out and "moe {" in out


def test_dash_output_is_standard_output(tmp_path, monkeypatch):
    """`-o -` prints the block instead of writing a file named `-` (issue 13)."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run(str(DATA / "gemma2_tiny.json"), "-o", "-")
    assert code == 0 and "model gemma2_tiny {" in out, err
    assert list(tmp_path.iterdir()) == []
