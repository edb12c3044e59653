"""The China-market and rack-scale GPUs and the named NVIDIA systems (issue 15, item 9).

Figures are asserted against the data-sheet numbers cited in compiler/catalog/gpus_nvidia_china.plan,
gpus_nvidia.plan (RTX A6000, GB200)
and systems_nvidia.plan, preferably the sheet's own totals (a DGX's total GPU memory, an NVL72 rack's
aggregate bandwidth) checked against our per-GPU entries, so a mistyped entry cannot agree with itself.
"""

from __future__ import annotations

import json

import pytest

from conftest import run_cli
from capplan.tools.catalog import catalog_entries

NEW_GPUS = ["h800_sxm", "h800_pcie", "a800_80gb", "a800_80gb_pcie", "h20", "l20", "rtx4090d", "rtx_a6000", "gb200"]
NEW_CLUSTERS = ["dgx_h100", "dgx_h200", "dgx_b200", "hgx_h100", "hgx_h200", "hgx_b200", "gb200_nvl72",
                "dgx_superpod_h100_su"]
GiB = 2**30
GB, TB = 1e9, 1e12


@pytest.fixture(scope="module")
def objects():
    _, comp = catalog_entries()
    assert not comp.failed
    return comp.checked.objects


def test_catalog_lists_the_new_gpus_and_systems():
    code, out, _ = run_cli("catalog", "--kind", "gpu")
    assert code == 0
    listed = {line.split()[0] for line in out.splitlines()[2:]}
    assert set(NEW_GPUS) <= listed
    assert "NVIDIA H800 SXM5 80GB" in out and "NVIDIA GeForce RTX 4090 D" in out
    code, out, _ = run_cli("catalog", "--kind", "cluster", "--format", "json")
    clusters = {e["name"]: e for e in json.loads(out)}
    assert set(NEW_CLUSTERS) <= set(clusters)
    assert clusters["gb200_nvl72"]["gpus_per_node"] == 72 and clusters["gb200_nvl72"]["inter_node"] is None


def test_h800_and_a800_are_the_h100_and_a100_with_nvlink_cut(objects):
    # NVIDIA H800 / A800 data sheets: NVLink 400 GB/s; H800 SXM FP64 1 TFLOPS, H800 PCIe 0.8 TFLOPS.
    h800, h800p, a800 = objects["h800_sxm"], objects["h800_pcie"], objects["a800_80gb"]
    assert h800.link == 400 * GB and h800p.link == 400 * GB and a800.link == 400 * GB
    assert h800.fields["peak"].fields["fp64"] == 1 * TB and h800p.fields["peak"].fields["fp64"] == 0.8 * TB
    assert h800.memory_bandwidth == 3.35 * TB and a800.memory_bandwidth == 2039 * GB
    assert objects["a800_80gb_pcie"].memory_bandwidth == 1935 * GB
    # Sheet prints sparse "1,979 teraFLOPS*" for BF16 (H800 SXM): dense is half.
    assert h800.fields["peak"].fields["bf16"] * 2 == pytest.approx(1979 * TB, rel=1e-3)


def test_gb200_per_gpu_figures_add_up_to_the_nvl72_rack(objects):
    # GB200 NVL72 page, rack column: 576 TB/s HBM bandwidth, 130 TB/s NVLink, FP16/BF16 360 PFLOPS*
    # (sparse), FP4 1,440 PFLOPS*, FP64 3,240 TFLOPS; 72 GPUs.
    gpu = objects["gb200"]
    peak = gpu.fields["peak"].fields
    assert 72 * gpu.memory_bandwidth == pytest.approx(576 * TB)
    assert 72 * gpu.link == pytest.approx(130 * TB, rel=0.01)   # 129.6: the page rounds
    assert 72 * peak["bf16"] * 2 == pytest.approx(360e15)
    assert 72 * peak["fp4"] * 2 == pytest.approx(1440e15)
    assert 72 * peak["fp64"] == pytest.approx(3240 * TB)
    assert peak["fp32"] is None and gpu.power is None    # not published per GPU: left out


def test_dgx_totals_match_their_data_sheets(objects):
    # DGX H100: 640GB total GPU memory; DGX H200: 1,128GB; DGX B200: 1,440GB and 14.4 TB/s NVLink.
    for name, total_gb in (("dgx_h100", 640), ("dgx_h200", 1128), ("dgx_b200", 1440)):
        c = objects[name]
        assert c.fields["gpus_per_node"] * c.fields["gpu"].memory == total_gb * GiB, name
        assert c.fields["inter_node"] == 400e9 / 8       # one 400 Gb/s ConnectX-7 per GPU
    assert 8 * objects["dgx_b200"].fields["intra_node"] == pytest.approx(14.4 * TB)
    assert 8 * objects["hgx_h100"].fields["intra_node"] == pytest.approx(7.2 * TB)   # HGX: 7.2 TB/s total
    su = objects["dgx_superpod_h100_su"]
    assert su.fields["nodes"] * su.fields["gpus_per_node"] == 256                   # one SU: 32 DGX H100


def test_unpublished_figures_are_left_out(objects):
    # RTX 4090 D and L20: NVIDIA publishes no peak per precision; no driver totals for any new GPU.
    for name in ("rtx4090d", "l20"):
        assert all(v is None for k, v in objects[name].fields["peak"].fields.items() if not k.startswith("_"))
    assert all(objects[n].memory_usable is None for n in NEW_GPUS)


def test_a_derived_system_evaluates(project):
    path = project("pod.plan",
        "cluster pod from dgx_h100 {\n  nodes = 4\n}\n\n"
        "training t {\n  model        = llama3_1_8b\n  cluster      = pod\n  precision    = megatron_bf16\n"
        "  seq_len      = 4096 tokens\n  global_batch = 64\n\n  parallel {\n    tensor = 8\n  }\n}\n")
    code, out, err = run_cli("eval", "--format", "json", str(path), cwd=path.parent)
    assert code == 0, err
    plan = json.loads(out)["plans"][0]
    assert plan["hardware"]["gpus"] == 32


def test_catalog_models_show_their_architecture():
    # Llama-3.1-8B config.json: 32 layers, hidden 4096, 32 heads, 8 key/value heads, intermediate 14336,
    # vocab 128256. DeepSeek-V3 config.json: n_routed_experts 256, num_experts_per_tok 8, n_shared_experts 1.
    code, out, _ = run_cli("catalog", "--kind", "model", "--format", "json")
    models = {e["name"]: e for e in json.loads(out)}
    arch = models["llama3_1_8b"]["architecture"]
    assert (arch["layers"], arch["hidden"], arch["heads"], arch["kv_heads"], arch["ffn"], arch["vocab"]) == \
        (32, 4096, 32, 8, 14336, 128256)
    moe = models["deepseek_v3"]["architecture"]["moe"]
    assert (moe["experts"], moe["experts_per_token"], moe["shared_experts"]) == (256, 8, 1)
    code, out, _ = run_cli("catalog", "--kind", "model")
    line = next(x for x in out.splitlines() if x.startswith("llama3_1_8b "))
    assert "14,336" in line and "128,256" in line
    assert "256 (top 8 + 1 shared" in next(x for x in out.splitlines() if x.startswith("deepseek_v3 "))
    assert out.splitlines()[0].split()[3:6] == ["layers", "hidden", "heads"]
