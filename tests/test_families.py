"""Encoder (BERT, RoBERTa) and hybrid (Nemotron-H) families: exact parameter counts.

The expected counts are transformers' own, measured on the meta device by
validation/measure_families.py (validation/data/families.json), never capplan's formulas.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from capplan.engine.inference import kv_bytes
from capplan.engine.params import count
from capplan.ir.lower import lower_model
from capplan.pipeline import compile_files

ROOT = Path(__file__).resolve().parents[1]
MEASURED = json.loads((ROOT / "validation" / "data" / "families.json").read_text())["models"]
CASES = {  # catalog model -> measured model
    "bert_base": "bert-base-uncased:BertForSequenceClassification",
    "bert_large": "bert-large-uncased:BertForSequenceClassification",
    "roberta_base": "roberta-base:RobertaForSequenceClassification",
    "roberta_large": "roberta-large:RobertaForSequenceClassification",
    "nemotron_h_8b": "Nemotron-H-8B-Base-8K:NemotronHForCausalLM",
    "nemotron_h_56b": "Nemotron-H-56B-Base-8K:NemotronHForCausalLM",
}


@pytest.fixture(scope="module")
def catalog():
    comp = compile_files([], evaluate=False)
    assert not comp.diagnostics.has_errors
    return comp.checked.objects


@pytest.mark.parametrize("name", sorted(CASES))
def test_exact_parameter_count(catalog, name):
    measured = MEASURED[CASES[name]]
    pc = count(lower_model(catalog[name]))
    assert pc.total == measured["breakdown_sum"]
    b, parts = measured["breakdown"], pc.components()
    assert parts["attention"] == b["attention"]
    assert parts["mlp"] == b["mlp"]
    mixer = sum(v for k, v in b.items() if k.startswith("mamba_"))
    assert parts.get("mixer", 0) == mixer
    head = b["head"] + b["pooler"] * (name.startswith("bert"))
    assert parts["head"] == head
    embeddings = b["embedding"] + b["position_embedding"] + b["token_type_embedding"] + b["embedding_norm"]
    assert parts["embedding"] == embeddings


def test_hybrid_layers_keep_state_not_kv_cache(catalog):
    """A Mamba-2 layer's serving cache is a fixed state per sequence; only the `*` layers grow with context."""
    m = lower_model(catalog["nemotron_h_8b"])
    short, long = kv_bytes(m, "bf16", 1, 1, 1024), kv_bytes(m, "bf16", 1, 1, 2048)
    attention_layers = m.attention_layers
    assert attention_layers == 4 and m.ssm_layers == 24
    # the growth per token is 2 (K, V) x 8 KV heads x 128 x 2 bytes per attention layer
    assert long - short == 1024 * attention_layers * 2 * 8 * 128 * 2
    # the fixed part: per Mamba layer, (conv_kernel - 1) x (inner + 2 groups state) + heads x head_dim x state
    per_layer = (3 * (8192 + 2 * 8 * 128) + 128 * 64 * 128) * 2
    assert short - 1024 * attention_layers * 2 * 8 * 128 * 2 == m.ssm_layers * per_layer
