"""Internal consistency of the encoder / hybrid measurement files (no torch, no capplan engine).

validation/data/families.json and validation/data/families_activations.json are written by
validation/measure_families.py from Hugging Face transformers models (BERT, RoBERTa, Nemotron-H,
Mamba-2). These tests only check that each file agrees with itself: the component breakdown sums to
the total, the layer kinds times their counts plus the non-layer parameters give the total, every
recorded shape multiplies out to its numel and to the breakdown, and the memory snapshots add up.
"""

from __future__ import annotations

import json
import math

import pytest

from conftest import ROOT

DATA_DIR = ROOT / "validation" / "data"
PARAMS = json.loads((DATA_DIR / "families.json").read_text())
MODELS = PARAMS["models"]
ACT_PATH = DATA_DIR / "families_activations.json"
ACT = json.loads(ACT_PATH.read_text()) if ACT_PATH.exists() else None


def test_params_file_has_models_and_no_failures():
    assert PARAMS["failures"] == {}
    families = {m["family"] for m in MODELS.values()}
    assert {"encoder", "hybrid", "ssm"} <= families
    for key in ("torch_version", "transformers_version", "script"):
        assert PARAMS["provenance"][key]


@pytest.mark.parametrize("name", sorted(MODELS))
def test_breakdown_sums_to_total(name):
    m = MODELS[name]
    assert m["uncategorized_param_names"] == []
    assert set(m["breakdown"]) == set(PARAMS["method"]["categories"])
    assert sum(m["breakdown"].values()) == m["total_params"] == m["breakdown_sum"]


@pytest.mark.parametrize("name", sorted(MODELS))
def test_layer_kinds_times_counts_plus_rest_is_total(name):
    m = MODELS[name]
    kinds = m["layer_kinds"]
    assert sum(k["count"] for k in kinds) == m["num_layers_instantiated"]
    layers = sorted(i for k in kinds for i in k["layers"])
    assert layers == list(range(m["num_layers_instantiated"]))
    for k in kinds:
        assert k["count"] == len(k["layers"])
    in_layers = sum(k["count"] * k["per_layer_total"] for k in kinds)
    assert in_layers + m["non_layer"]["total"] == m["total_params"]
    # per category: kinds * counts + non-layer = model breakdown
    for cat, total in m["breakdown"].items():
        got = sum(k["count"] * k["per_layer_breakdown"].get(cat, 0) for k in kinds)
        got += m["non_layer"]["breakdown"].get(cat, 0)
        assert got == total, cat


@pytest.mark.parametrize("name", sorted(MODELS))
def test_shapes_multiply_to_the_breakdown(name):
    m = MODELS[name]
    for k in m["layer_kinds"]:
        per_cat: dict[str, int] = {}
        for p in k["parameter_shapes"]:
            assert math.prod(p["shape"]) == p["numel"], p
            per_cat[p["category"]] = per_cat.get(p["category"], 0) + p["numel"]
        assert per_cat == k["per_layer_breakdown"]
        assert sum(per_cat.values()) == k["per_layer_total"]
    per_cat = {}
    for p in m["non_layer"]["parameter_shapes"]:
        assert math.prod(p["shape"]) == p["numel"], p
        per_cat[p["category"]] = per_cat.get(p["category"], 0) + p["numel"]
    assert per_cat == m["non_layer"]["breakdown"]
    assert sum(per_cat.values()) == m["non_layer"]["total"]


@pytest.mark.parametrize("name", sorted(n for n, m in MODELS.items() if m["family"] == "hybrid"))
def test_hybrid_pattern_matches_layer_kinds(name):
    m = MODELS[name]
    pattern = m["hybrid_override_pattern"]
    assert len(pattern) == m["num_layers_instantiated"]
    assert m["pattern_counts"] == {s: pattern.count(s) for s in "M*-E" if pattern.count(s)}
    for k in m["layer_kinds"]:
        assert all(pattern[i] == k["pattern_symbol"] for i in k["layers"]), k["kind"]
    by_symbol: dict[str, int] = {}
    for k in m["layer_kinds"]:
        by_symbol[k["pattern_symbol"]] = by_symbol.get(k["pattern_symbol"], 0) + k["count"]
    assert by_symbol == m["pattern_counts"]


@pytest.mark.parametrize("name", sorted(MODELS))
def test_tied_heads_are_counted_once(name):
    m = MODELS[name]
    names = {p["name"] for p in m["non_layer"]["parameter_shapes"]}
    for group in m["tied_parameter_aliases"]:
        assert len(names & set(group)) <= 1, group  # only one alias of a shared tensor is listed
    if m["output_head_tied_to_input_embedding"]:
        assert any(len(g) > 1 for g in m["tied_parameter_aliases"])


def test_anchors_match():
    anchored = [m for m in MODELS.values() if "anchor_total_params" in m]
    assert anchored
    for m in anchored:
        assert m["anchor_match"] and m["anchor_total_params"] == m["total_params"]


# ---------------------------------------------------------------------------------------------
needs_act = pytest.mark.skipif(ACT is None, reason="validation/data/families_activations.json not written yet")


@needs_act
def test_activation_file_records_versions_and_code_path():
    assert ACT["versions"]["torch"] and ACT["versions"]["transformers"]
    cp = ACT["mamba2_code_path"]
    if not cp["packages_importable"]["mamba_ssm"]:
        assert "torch fallback" in cp["path"]
    assert ACT["failures"] == []
    assert ACT["activation_runs"] and ACT["peak_runs"]


@needs_act
def test_activation_runs_are_self_consistent():
    for r in ACT["activation_runs"]:
        per_layer = r["per_layer"]
        kinds = r["per_layer_kind"]
        assert sorted(i for k in kinds.values() for i in k["layers"]) == sorted(
            int(p.split(".")[1]) for p in per_layer), r["run_id"]
        for k, v in kinds.items():
            vals = {per_layer[f"layer.{i}"]["activation_first_save_dedup_bytes"] for i in v["layers"]}
            assert sorted(vals) == v["activation_first_save_dedup_bytes_distinct_values"], (r["run_id"], k)
        # first-save attribution partitions the de-duplicated activation bytes over the parts
        first = sum(p["first_save_attributed_dedup_bytes_by_kind"].get("activation", 0) for p in r["by_part"].values())
        assert first == r["totals"]["activation"]["dedup_bytes"], r["run_id"]
        for t in (t for k in r["first_layer_of_each_kind_saved_tensors"].values() for t in k["saved_tensors"]):
            assert t["storage_nbytes"] >= 0 and t["tensor_nbytes"] >= 0
        if r["backward_sanity_check_all_params_have_grad"] is not None:
            assert r["backward_sanity_check_all_params_have_grad"], r["run_id"]


@needs_act
def test_peak_snapshots_add_up():
    for r in ACT["peak_runs"]:
        peak = r["peak_by_category"]
        assert sum(v for k, v in peak.items() if k != "Total") == peak["Total"] == r["peak_bytes"], r["run_id"]
        for name, snap in r["snapshots"].items():
            assert sum(v for k, v in snap.items() if k != "Total") == snap["Total"], (r["run_id"], name)
        assert max(s["Total"] for s in r["snapshots"].values()) <= r["peak_bytes"]
        assert max(p["total"] for p in r["per_phase_peaks"].values()) == r["peak_bytes"], r["run_id"]


@needs_act
def test_fake_and_real_agree():
    assert ACT["fake_vs_real_crosscheck"]
    for c in ACT["fake_vs_real_crosscheck"]:
        assert c["identical"], c["spec"]
