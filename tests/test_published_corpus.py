"""The published-figures corpus (validation/published/corpus/): structure, provenance and split.

Independent source: the figures were transcribed from the papers, model cards and repositories named
in each record's `source`; every number must appear verbatim in the record's own quote, so a typo in
`value` cannot pass. These tests re-derive everything they check (number parsing, unit factors, the
split rule, parameter counts) instead of importing the corpus code, and they read the capplan catalog
to make sure every catalog name a record uses exists.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter

import pytest
from conftest import ROOT

CORPUS = ROOT / "validation" / "published" / "corpus"
CATALOG = ROOT / "compiler" / "catalog"
EXISTING = ROOT / "validation" / "published" / "training_runs.json"

KNOWN_UNITS = {"fraction", "s", "min", "ms", "days", "TFLOP/s/GPU", "tokens/s", "tokens/s/GPU",
               "requests/s", "GPU-hours", "GPU-hours/trillion tokens"}
CONVERSION = {("percent", "fraction"): 0.01, ("ns", "ms"): 1e-6}
SUFFIX = {"K": 1e3, "M": 1e6}


def load(kind):
    return json.loads((CORPUS / f"{kind}.json").read_text())


TRAINING = load("training")["records"]
SERVING = load("serving")["records"]
ALL = TRAINING + SERVING


def number(printed):
    text = printed.replace(",", "")
    scale = SUFFIX.get(text[-1], 1.0)
    return float(text.rstrip("KM")) * scale


def appears(printed, quotes):
    pattern = re.compile(r"(?<![\d.])" + re.escape(printed) + r"(?![\d])")
    return any(pattern.search(q) for q in quotes)


def catalog_names(keyword):
    text = "\n".join(p.read_text() for p in CATALOG.glob("*.plan"))
    return set(re.findall(rf"^{keyword} ([a-z0-9_]+)\b", text, flags=re.M))


def test_the_committed_json_is_what_the_transcription_builds():
    proc = subprocess.run([sys.executable, str(CORPUS / "build_corpus.py"), "--check"], cwd=ROOT)
    assert proc.returncode == 0, "run `python validation/published/corpus/build_corpus.py` and commit"


def test_enough_figures_of_each_kind():
    assert len(TRAINING) >= 30
    assert len(SERVING) >= 20
    assert all(r["kind"] == "training" for r in TRAINING)
    assert all(r["kind"] == "serving" for r in SERVING)


def test_ids_are_unique_and_stable_names():
    ids = [r["id"] for r in ALL]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9_]+", i) for i in ids)


@pytest.mark.parametrize("record", ALL, ids=lambda r: r["id"])
def test_every_record_names_its_source_and_quotes_it(record):
    source = record["source"]
    assert source["ref"] and source["location"]
    assert source.get("url", "").startswith("https://")
    assert record["quote"] and all(0 < len(q) <= 300 for q in record["quote"])
    assert record["notes"], "say what was inferred and what the source leaves out"
    assert record["model"]["name"] and record["hardware"]["gpu"] and record["hardware"]["gpu_class"]


@pytest.mark.parametrize("record", ALL, ids=lambda r: r["id"])
def test_every_figure_is_printed_in_the_quote_and_converted_exactly(record):
    assert record["measured"]
    for fig in record["measured"]:
        assert fig["unit"] in KNOWN_UNITS, fig
        assert fig["bound"] in (None, "lower")
        assert appears(fig["printed"], record["quote"]), f"{fig['printed']} not in the quote"
        factor = 1.0 if fig["printed_unit"] == fig["unit"] else CONVERSION[(fig["printed_unit"], fig["unit"])]
        assert fig["value"] == pytest.approx(number(fig["printed"]) * factor, rel=1e-12)


def split_rule(records):
    """README 'Split rule': families in sorted order f, ids in sorted order k; (f + k) even -> calibration."""
    families = sorted({r["family"] for r in records})
    expected = {}
    for f, family in enumerate(families):
        members = sorted(r["id"] for r in records if r["family"] == family)
        for k, rid in enumerate(members):
            expected[rid] = "calibration" if (f + k) % 2 == 0 else "validation"
    return expected


@pytest.mark.parametrize("records", [TRAINING, SERVING], ids=["training", "serving"])
def test_the_split_follows_the_stated_rule(records):
    expected = split_rule(records)
    assert {r["id"]: r["split"] for r in records} == expected
    counts = Counter(r["split"] for r in records)
    assert abs(counts["calibration"] - counts["validation"]) <= len({r["family"] for r in records})


@pytest.mark.parametrize("records", [TRAINING, SERVING], ids=["training", "serving"])
def test_both_halves_cover_moe_and_several_gpu_generations(records):
    for half in ("calibration", "validation"):
        part = [r for r in records if r["split"] == half]
        assert any(r["model"]["moe"] for r in part), half
        assert len({r["hardware"]["gpu_class"] for r in part}) >= 2, half


def test_coverage_of_models_gpus_and_scale():
    assert sum(r["model"]["moe"] for r in TRAINING) >= 5
    assert sum(r["model"]["moe"] for r in SERVING) >= 5
    assert {"a100", "h100", "h800"} <= {r["hardware"]["gpu_class"] for r in TRAINING}
    assert {"a100", "h100", "h200"} <= {r["hardware"]["gpu_class"] for r in SERVING}
    gpus = [r["hardware"]["gpus"] for r in TRAINING if r["hardware"]["gpus"]]
    assert min(gpus) <= 8 and max(gpus) >= 10_000


def test_catalog_names_exist():
    models, gpus = catalog_names("model"), catalog_names("gpu")
    for r in ALL:
        if r["model"]["catalog"]:
            assert r["model"]["catalog"] in models, (r["id"], r["model"]["catalog"])
        if r["hardware"]["catalog_gpu"]:
            assert r["hardware"]["catalog_gpu"] in gpus, (r["id"], r["hardware"]["catalog_gpu"])


@pytest.mark.parametrize("record", TRAINING, ids=lambda r: r["id"])
def test_training_layouts_are_consistent(record):
    lay, gpus = record["layout"], record["hardware"]["gpus"]
    t, p, d, c = lay["tensor"], lay["pipeline"], lay["data"], lay["context"] or 1
    if None not in (t, p, d, gpus):
        assert t * p * c * d == gpus
    if None not in (lay["micro_batch"], lay["gradient_accumulation"], d, lay["global_batch"]):
        assert lay["micro_batch"] * lay["gradient_accumulation"] * d == lay["global_batch"]
    if None not in (lay["global_batch"], lay["seq_len"], lay["global_batch_tokens"]):
        assert lay["global_batch"] * lay["seq_len"] == lay["global_batch_tokens"]


def figures(record):
    return {f["quantity"]: f["value"] for f in record["measured"]}


def test_sources_agree_with_themselves_on_throughput():
    """Where a source prints both, tokens/s = batch tokens / step time and tokens/s/GPU * GPUs = tokens/s."""
    checked = 0
    for r in TRAINING:
        fig, lay, gpus = figures(r), r["layout"], r["hardware"]["gpus"]
        if "step_time" in fig and "tokens_per_s" in fig and lay["global_batch_tokens"]:
            assert lay["global_batch_tokens"] / fig["step_time"] == pytest.approx(fig["tokens_per_s"], rel=2e-3)
            checked += 1
        if "tokens_per_s_per_gpu" in fig and "tokens_per_s" in fig:
            assert fig["tokens_per_s_per_gpu"] * gpus == pytest.approx(fig["tokens_per_s"], rel=2e-3)
            checked += 1
    assert checked >= 15


def test_mpt_architectures_reproduce_the_printed_parameter_counts():
    """NumParams (last column of each quoted llm-foundry row) = 12Ld^2 + 13Ld + (V + s)d + 2d."""
    rows = [r for r in TRAINING if r["family"] == "llm_foundry_mpt"]
    assert rows
    for r in rows:
        m, s = r["model"], r["layout"]["seq_len"]
        printed = int(r["quote"][0].strip("| ").split("|")[-1])
        L, d, V = m["layers"], m["hidden"], m["vocab"]
        assert 12 * L * d * d + 13 * L * d + (V + s) * d + 2 * d == printed, r["id"]


def test_no_figure_repeats_training_runs_json():
    existing = json.loads(EXISTING.read_text())["runs"]
    assert not {r["id"] for r in existing} & {r["id"] for r in TRAINING}
    seen = {(r["model"]["name"].split()[0].lower(), r["model"]["seq_len"], r["hardware"]["gpus_total"])
            for r in existing if r["id"].startswith("mpt_")}
    for r in TRAINING:
        if r["family"] == "llm_foundry_mpt" and r["hardware"]["gpu_class"] == "h100":
            key = (r["model"]["name"].split()[0].lower(), r["layout"]["seq_len"], r["hardware"]["gpus"])
            assert key not in seen, r["id"]


@pytest.mark.parametrize("record", SERVING, ids=lambda r: r["id"])
def test_serving_records_state_their_settings(record):
    s = record["settings"]
    assert s["engine"]
    assert s["tensor"] or s["dataset"], "layout or workload must be stated"
    assert (s["input_tokens"] and s["output_tokens"]) or s["dataset"]
    assert s["request_rate"] is not None or s["concurrency"] is not None or record["family"] == "deepseek_reports"


def test_readme_names_every_source_family_and_the_split_rule():
    readme = (CORPUS / "README.md").read_text()
    assert "Split rule" in readme
    for family in {r["family"] for r in ALL}:
        assert f"`{family}`" in readme, family
