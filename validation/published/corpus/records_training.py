"""Training figures: the transcription. Each record names its source, quotes the text that holds
every number under `measured`, and says in `notes` what was inferred and what the source leaves out.

Quotes are verbatim except that runs of whitespace (table padding, line breaks) are collapsed to one
space. Nothing here duplicates validation/published/training_runs.json (see README.md).
"""
from __future__ import annotations

from corpus_schema import figure

# ---------------------------------------------------------------- sources
FOUNDRY = {
    "ref": "mosaicml/llm-foundry@c90b9b312c644dbde5c9e6eef75c6f1c117d8782:scripts/train/benchmarking/README.md",
    "url": "https://github.com/mosaicml/llm-foundry/blob/c90b9b312c644dbde5c9e6eef75c6f1c117d8782/scripts/train/benchmarking/README.md",
}
DGXC = "NVIDIA/dgxc-benchmarking@35a9aecc8d5b17d99d80f52f38c75ade0dbab7ae"
DGXC_DSV3 = "NVIDIA/dgxc-benchmarking@4376eccbb63fb8c72cef3c4055fdb41e691c45de"
NEMO = {
    "ref": "NVIDIA/NeMo@070a0bb168d405d653b9734c0017cf5078e77c0d:docs/source/performance/performance_summary.md",
    "url": "https://github.com/NVIDIA/NeMo/blob/070a0bb168d405d653b9734c0017cf5078e77c0d/docs/source/performance/performance_summary.md",
}
MBRIDGE = {
    "ref": "NVIDIA-NeMo/Megatron-Bridge@067f987df03b8355b03192d88d70f1709fedf51a:docs/performance-summary-archive.md",
    "url": "https://github.com/NVIDIA-NeMo/Megatron-Bridge/blob/067f987df03b8355b03192d88d70f1709fedf51a/docs/performance-summary-archive.md",
}
LLAMA2_CARD = {
    "ref": "meta-llama/llama@0e3444bca7a3e02f25f2c9f9e778866fecdae567:MODEL_CARD.md",
    "url": "https://github.com/meta-llama/llama/blob/0e3444bca7a3e02f25f2c9f9e778866fecdae567/MODEL_CARD.md",
}
LLAMA31_CARD = {
    "ref": "meta-llama/llama-models@1b5892739868e5333fb7f022ba91218f0ae5f9c2:models/llama3_1/MODEL_CARD.md",
    "url": "https://github.com/meta-llama/llama-models/blob/1b5892739868e5333fb7f022ba91218f0ae5f9c2/models/llama3_1/MODEL_CARD.md",
}

# MPT architectures: validation/published/training_runs.json (mpt_* runs) transcribed them from
# scripts/train/yamls/pretrain/mpt-<size>.yaml; the NumParams column in every quoted row equals
# 12*L*d^2 + 13*L*d + (V + seq)*d + 2*d with these L, d, V (re-checked by the corpus test).
MPT_ARCH = {
    "7b": {"layers": 32, "hidden": 4096, "heads": 32, "ffn_hidden": 16384},
    "13b": {"layers": 40, "hidden": 5120, "heads": 40, "ffn_hidden": 20480},
    "30b": {"layers": 48, "hidden": 7168, "heads": 56, "ffn_hidden": 28672},
    "70b": {"layers": 80, "hidden": 8192, "heads": 64, "ffn_hidden": 32768},
}
MPT_TABLES = {
    "a100_80gb": ("A100-SXM 80GB", "a100_80gb", "a100", "1600 Gbps node-node interconnect (RoCE)",
                  "table 'A100 80GB with 1600 Gbps node-node interconnect (RoCE)'"),
    "a100_40gb": ("A100-SXM 40GB", "a100_40gb", "a100", "1600 Gbps node-node interconnect (RoCE)",
                  "table 'A100 40GB with 1600 Gbps node-node interconnect (RoCE)'"),
    "h100_80gb": ("H100 80GB", "h100_sxm", "h100", None,
                  "table 'H100 80GB BF16 (Large Scale, >= 128 GPUs)'"),
}


def model(name, catalog=None, moe=False, **arch):
    base = {"name": name, "catalog": catalog, "moe": moe, "parameters_billion": None,
            "active_parameters_billion": None, "layers": None, "hidden": None, "heads": None,
            "kv_heads": None, "ffn_hidden": None, "vocab": None, "experts": None,
            "experts_per_token": None}
    base.update(arch)
    return base


def hardware(gpu, catalog_gpu, gpu_class, gpus, gpus_per_node=None, interconnect=None):
    return {"gpu": gpu, "catalog_gpu": catalog_gpu, "gpu_class": gpu_class, "gpus": gpus,
            "gpus_per_node": gpus_per_node, "interconnect": interconnect}


def layout(**kw):
    base = {"tensor": None, "pipeline": None, "data": None, "context": None, "expert": None,
            "virtual_stages": None, "micro_batch": None, "gradient_accumulation": None,
            "global_batch": None, "global_batch_tokens": None, "seq_len": None,
            "recompute": None, "sharding": None, "precision": None, "framework": None}
    base.update(kw)
    return base


def mpt_record(table: str, row: str, notes: list[str]) -> dict:
    """One llm-foundry benchmark row. The row text is the quote; every field is read from it."""
    c = [x.strip() for x in row.strip().strip("|").split("|")]
    size, seq, gpus, gpu_col, mfu, hfu, tflop, mbs, ga, gbs = c[:10]
    tok_s, tok_s_gpu, gbs_tok, precision, mp_mode, sharding, ckpt, _offload, nparams = c[11:20]
    assert gpu_col == table, (gpu_col, table)
    gpu_name, catalog_gpu, gpu_class, interconnect, where = MPT_TABLES[table]
    arch = MPT_ARCH[size]
    return {
        "id": f"foundry_mpt{size}_{table}_seq{seq}_{gpus}gpu",
        "kind": "training", "family": "llm_foundry_mpt",
        "model": model(f"MPT-{size} (llm-foundry benchmark config)", vocab=50368,
                       parameters_billion=round(int(nparams) / 1e9, 3), **arch),
        "hardware": hardware(gpu_name, catalog_gpu, gpu_class, int(gpus), interconnect=interconnect),
        "layout": layout(tensor=1, pipeline=1, data=int(gpus), context=1, expert=1,
                         micro_batch=int(mbs), gradient_accumulation=int(ga), global_batch=int(gbs),
                         global_batch_tokens=int(gbs_tok), seq_len=int(seq),
                         recompute="full (activation checkpointing)" if ckpt == "True" else "none",
                         sharding=f"PyTorch FSDP {sharding}",
                         precision=f"{precision} (FSDP mixed precision {mp_mode})",
                         framework="llm-foundry / Composer on the MosaicML platform (versions not stated)"),
        "measured": [
            figure("mfu", mfu, "fraction", "percent"),
            figure("hfu", hfu, "fraction", "percent"),
            figure("model_tflops_per_gpu", tflop, "TFLOP/s/GPU"),
            figure("tokens_per_s", tok_s, "tokens/s"),
            figure("tokens_per_s_per_gpu", tok_s_gpu, "tokens/s/GPU"),
        ],
        "source": {**FOUNDRY, "location": f"{where}, row {size} / SeqLen {seq} / {gpus} GPUs"},
        "quote": [row.strip()],
        "notes": [
            "MFU convention (README 'MFU'): (3*2*n_params*seq + 3*n_layers*4*d_model*seq^2) * samples/s / (GPUs * peak); full (non-causal) attention counted; HFU uses 4 instead of 3 when activation checkpointing is on.",
            "Pure FSDP data parallelism (no tensor/pipeline parallelism in llm-foundry benchmarks): data = GPUs is inferred, not a column.",
            "GPUs per node and the peak TFLOP/s used are not printed; the README runs each config for 12 steps to get throughput numbers.",
            *notes,
        ],
    }


MPT_ROWS = [
    ("a100_80gb", "| 70b | 2048 | 64 | a100_80gb | 53.33 | 71.1 | 166 | 8 | 4 | 2048 | 12 | 26274 | 410 | 4194304 | bf16 | PURE | FULL_SHARD | True | False | 64862437376 |", []),
    ("a100_80gb", "| 30b | 2048 | 8 | a100_80gb | 55.3 | 73.74 | 172 | 3 | 21 | 504 | 3 | 7330 | 916 | 1032192 | amp_bf16 | DEFAULT | FULL_SHARD | True | False | 29975214080 |", []),
    ("a100_80gb", "| 13b | 2048 | 8 | a100_80gb | 59.57 | 59.57 | 185 | 2 | 3 | 48 | 8 | 18097 | 2262 | 98304 | amp_bf16 | DEFAULT | FULL_SHARD | False | False | 12853954560 |", []),
    ("a100_80gb", "| 7b | 2048 | 8 | a100_80gb | 64.23 | 64.23 | 200 | 6 | 2 | 96 | 18 | 37130 | 4641 | 196608 | amp_bf16 | DEFAULT | FULL_SHARD | False | False | 6658859008 |", []),
    ("a100_80gb", "| 7b | 65536 | 8 | a100_80gb | 46.97 | 62.63 | 146 | 1 | 2 | 16 | 0 | 8108 | 1013 | 1048576 | amp_bf16 | DEFAULT | FULL_SHARD | True | False | 6918905856 |",
     ["Long-sequence row (64K tokens): the s^2 attention term dominates, which is why it is kept."]),
    ("a100_40gb", "| 70b | 2048 | 128 | a100_40gb | 48.91 | 65.21 | 152 | 4 | 1 | 512 | 23 | 48194 | 376 | 1048576 | bf16 | PURE | FULL_SHARD | True | False | 64862437376 |", []),
    ("a100_40gb", "| 13b | 2048 | 128 | a100_40gb | 51.93 | 69.24 | 162 | 16 | 1 | 2048 | 123 | 252444 | 1972 | 4194304 | bf16 | PURE | FULL_SHARD | True | False | 12853954560 |", []),
    ("h100_80gb", "| 7b | 2048 | 512 | h100_80gb | 42.2 | 42.2 | 417 | 6 | 1 | 3072 | 2417 | 4951479 | 9670 | 6291456 | amp_bf16 | DEFAULT | FULL_SHARD | False | False | 6658859008 |", []),
    ("h100_80gb", "| 13b | 2048 | 512 | h100_80gb | 41.12 | 54.83 | 406 | 16 | 1 | 8192 | 1238 | 2535811 | 4952 | 16777216 | amp_bf16 | DEFAULT | FULL_SHARD | True | False | 12853954560 |", []),
    ("h100_80gb", "| 30b | 2048 | 512 | h100_80gb | 40.27 | 53.69 | 398 | 8 | 1 | 4096 | 528 | 1083366 | 2115 | 8388608 | amp_bf16 | DEFAULT | FULL_SHARD | True | False | 29975214080 |", []),
]


# ------------------------------------------------ NVIDIA DGX Cloud benchmarking recipes (v24.11.1)
def dgxc_record(rid, path, table_quote, rows, mdl, gpus, lay, step, tok_s, mfu, notes, location):
    return {
        "id": rid, "kind": "training", "family": "dgxc_benchmarking",
        "model": mdl,
        "hardware": hardware("H100 (DGX Cloud)", "h100_sxm", "h100", gpus),
        "layout": lay,
        "measured": [
            figure("step_time", step, "s"),
            figure("tokens_per_s", tok_s, "tokens/s"),
            figure("mfu", mfu, "fraction", "percent"),
        ],
        "source": {"ref": f"{DGXC}:{path}",
                   "url": f"https://github.com/NVIDIA/dgxc-benchmarking/blob/{DGXC.split('@')[1]}/{path}",
                   "location": location},
        "quote": [table_quote, *rows],
        "notes": [
            "Step time is the last logged train_step_timing of a 50- or 100-step benchmark run (README: 'we are using the last training step timing'); tokens/s = seq * GBS / step time and MFU = GBS * model FLOPs / step / GPUs / 989 TFLOP/s (BF16 peak) are the README's own formulas, printed by the source.",
            "Data-parallel degree inferred as GPUs / (TP*PP*CP); it reproduces GBS = MBS * GA * DP.",
            "GPUs per node, interconnect and the H100 variant (SXM assumed from DGX) are not stated in the table.",
            *notes,
        ],
    }


DGXC_ROWS = []
_LL70 = ("llama3.1/README_70b.md",
         "| Llama 3.1 70b 24.09 BF16 (TP=4, PP=4, CP=2, VP=5, MBS=1, GA=64) |",
         "| Training step time (seconds per step) | 14.72 | 14.73 | 14.8 | 14.89 | 14.92 | 14.98",
         "| Throughput in tokens per second | 71235 | 142373 | 283399 | 563372 | 1124478 | 2248957",
         "| Model flops utilization | 54.10% | 54.06% | 53.81% | 53.48% | 53.38% | 53.38%")
for gpus, dp, gbs, step, tok, mfu in [(64, 2, 128, "14.72", "71235", "54.10"),
                                      (1024, 32, 2048, "14.92", "1124478", "53.38")]:
    DGXC_ROWS.append(dgxc_record(
        f"dgxc_llama3_1_70b_bf16_{gpus}gpu", _LL70[0], _LL70[1], list(_LL70[2:]),
        model("Llama 3.1 70B", catalog="llama3_1_70b"), gpus,
        layout(tensor=4, pipeline=4, context=2, data=dp, expert=1, virtual_stages=5, micro_batch=1,
               gradient_accumulation=64, global_batch=gbs, global_batch_tokens=gbs * 8192,
               seq_len=8192, precision="BF16", framework="NeMo 24.09 container"),
        step, tok, mfu,
        ["Sequence length 8192 is inferred from the README's worked example '8192 * 128 / 11.31'; it reproduces the tokens/s row.",
         "The 2048-GPU column is not used: its tokens/s (2248957) and MFU (53.38%) are exactly twice / equal to the 1024-GPU column's and do not follow from its own step time 14.98 s (8192*4096/14.98 = 2239949), so that column is internally inconsistent."],
        f"README_70b.md 'Expected Performance', table 'Llama 3.1 70b 24.09 BF16', column {gpus}x H100 (GBS={gbs})"))

_N340 = ("nemotron/README_340b.md",
         "| Nemotron4 340b 24.11 BF16 (TP=8, PP=8, MBS=1, GA=16, VP=12) |",
         "| Training step time (seconds per step) | 4.61 | 4.67 | 4.7 | 4.73 | 4.84 |",
         "| Throughput in tokens per second | 28432 | 56134 | 111551 | 221686 | 433296 |",
         "| Model flops utilization | 55.38% | 54.67% | 54.32% | 53.98% | 52.75% |")
for gpus, dp, gbs, step, tok, mfu in [(128, 2, 32, "4.61", "28432", "55.38"),
                                      (2048, 32, 512, "4.84", "433296", "52.75")]:
    DGXC_ROWS.append(dgxc_record(
        f"dgxc_nemotron4_340b_bf16_{gpus}gpu", _N340[0], _N340[1], list(_N340[2:]),
        model("Nemotron-4 340B", parameters_billion=340), gpus,
        layout(tensor=8, pipeline=8, context=1, data=dp, expert=1, virtual_stages=12, micro_batch=1,
               gradient_accumulation=16, global_batch=gbs, global_batch_tokens=gbs * 4096,
               seq_len=4096, precision="BF16", framework="NeMo 24.11 container"),
        step, tok, mfu,
        ["Not in the capplan catalog; layer shapes were not transcribed (the README gives model FLOPs 1.01e16 per sequence, not the architecture). Sequence length 4096 from the worked example '4096 * 256 / 3.59'."],
        f"README_340b.md 'Expected Performance', table 'Nemotron4 340b 24.11 BF16', column {gpus}x H100 (GBS={gbs})"))

_G175 = ("nemo_megatron/README_175b.md",
         "| NeMo Megatron 24.11 BF16 (TP=4,PP=8, MBS=1, VP=12, SEQ=2048) |",
         "| Training step time (seconds per step) | 8.91 | 8.95 | 9.09 | 9.01 | 9.02",
         "| Throughput in tokens per second | 58843 | 117159 | 230710 | 465517 | 930001",
         "| Model flops utilization | 49.93% | 49.71% | 48.94% | 49.38% | 49.32% |")
for gpus, dp, gbs, step, tok, mfu in [(128, 4, 256, "8.91", "58843", "49.93"),
                                      (2048, 64, 4096, "9.02", "930001", "49.32")]:
    DGXC_ROWS.append(dgxc_record(
        f"dgxc_gpt3_175b_bf16_{gpus}gpu", _G175[0], _G175[1], list(_G175[2:]),
        model("GPT-3 175B (NeMo Megatron config)", catalog="gpt3_175b"), gpus,
        layout(tensor=4, pipeline=8, context=1, data=dp, expert=1, virtual_stages=12, micro_batch=1,
               gradient_accumulation=gbs // dp, global_batch=gbs, global_batch_tokens=gbs * 2048,
               seq_len=2048, precision="BF16", framework="NeMo 24.11 container"),
        step, tok, mfu,
        ["Catalog match gpt3_175b is assumed from the name; the NeMo model config was not read. Gradient accumulation = GBS / DP (MBS=1) is inferred."],
        f"README_175b.md 'Expected Performance', table 'NeMo Megatron 24.11 BF16', column {gpus}x H100 (GBS={gbs})"))

_GROK = ("grok1/README_314b.md",
         "| Grok 1 314b Dev BF16 |",
         "| Training step time (seconds per step) | 24.03 | 21.52 | 10.64 | 20.64 | 20.64 | 20.7 | 20.83 | 21 | 21.09",
         "| Throughput in tokens per second | 174544 | 194903 | 394202 | 406425 | 406425 | 405247 | 402718 | 798915 | 1591011",
         "| Model flops utilization | 45.4% | 44.9% | 45.4% | 44.5% | 43.0% | 42.1% | 41.5% | 41.1% | 41.0%")
for gpus, dp, gbs, step, tok, mfu, lay_row in [
        (512, 8, 1024, "20.83", "402718", "41.5", "| 512 | 8192 | 64 | 4 | 8 | 2 | 8 | 1 | 8 | 1 | 1024 | 128 |"),
        (2048, 32, 4096, "21.09", "1591011", "41.0", "| 2048 | 8192 | 64 | 4 | 8 | 2 | 8 | 4 | 8 | 1 | 4096 | 128 |")]:
    DGXC_ROWS.append(dgxc_record(
        f"dgxc_grok1_314b_bf16_{gpus}gpu", _GROK[0], _GROK[1], [*_GROK[2:], lay_row],
        model("Grok-1 314B", moe=True, parameters_billion=314, layers=64), gpus,
        layout(tensor=4, pipeline=8, context=2, data=dp, expert=8, virtual_stages=8, micro_batch=1,
               gradient_accumulation=128, global_batch=gbs, global_batch_tokens=gbs * 8192,
               seq_len=8192, precision="BF16", framework="Grok-1 'Dev' recipe (NeMo/Megatron; container not named in the table)"),
        step, tok, mfu,
        ["MoE. The layout table's DP column (1 at 512 GPUs, 4 at 2048) is not GPUs/(TP*PP*CP) = 8 / 32; it equals that divided by EP=8, so it is read as the expert-data-parallel degree. data = 8 / 32 reproduces GBS = MBS*GA*DP.",
         "Not in the capplan catalog; experts, hidden size and heads were not transcribed (the table gives 64 layers and seq 8192 only). The README calls configs under 512 GPUs 'proxy configs', so only 512 and 2048 GPUs are kept."],
        f"README_314b.md layout table and 'Expected Performance' table 'Grok 1 314b Dev BF16', column {gpus}x H100"))

DSV3_PATH = "deepseek_v3/pretrain/README.md"
DGXC_ROWS.append({
    "id": "dgxc_deepseek_v3_bf16_1024gpu", "kind": "training", "family": "dgxc_benchmarking",
    "model": model("DeepSeek-V3 671B", catalog="deepseek_v3", moe=True, parameters_billion=671,
                   active_parameters_billion=37, layers=61),
    "hardware": hardware("H100 (DGX Cloud)", "h100_sxm", "h100", 1024),
    "layout": layout(tensor=1, pipeline=8, context=1, data=128, expert=64, virtual_stages=2,
                     micro_batch=1, gradient_accumulation=64, global_batch=8192,
                     global_batch_tokens=8192 * 4096, seq_len=4096,
                     recompute="selective (modules mla_up_proj, mlp, moe)", precision="BF16",
                     framework="Megatron-Bridge/NeMo recipe, llmb release 25.08.01"),
    "measured": [figure("step_time", "36.189", "s"),
                 figure("model_tflops_per_gpu", "235.43", "TFLOP/s/GPU"),
                 figure("mfu", "23.80", "fraction", "percent")],
    "source": {"ref": f"{DGXC_DSV3}:{DSV3_PATH}",
               "url": f"https://github.com/NVIDIA/dgxc-benchmarking/blob/{DGXC_DSV3.split('@')[1]}/{DSV3_PATH}",
               "location": "'Performance Measurement and Analysis': parse_train_timing.sh example output and MFU example"},
    "quote": ["pretrain_deepseek_v3_bf16_gpus1024_tp1_pp8_cp1_vp2_ep64_mbs1_gbs8192_3418260 Success 36.189 0.300 235.43 1.95",
              "| 671B | BF16/FP8-DS | 1024 | 4096 | 61 | 1 | 8 | 1 | 64 | 1 | 128 | 2 | 1 | 8192 | 64 | mla_up_proj,mlp,moe |",
              "MFU = 235.43e+12 / 989e+12 = 23.80%"],
    "notes": ["MoE (671B total, 37B active per token, per the DeepSeek-V3 report). The figure is printed as the README's example output of its timing parser (mean of iterations 35-44), not as a results table; treat it as one real run of the recipe.",
              "Layout from the job name (tp1 pp8 cp1 vp2 ep64 mbs1 gbs8192) and the H100 configuration table row (DP 128, GA 64, recompute modules); seq 4096 from the table.",
              "MFU here is TFLOPS_per_GPU / 989 with the recipe's own FLOP count (not printed); the ratio to DeepSeek's own H800 training is not comparable (different framework and precision)."],
})


# --------------------------------------------------------- NeMo 24.07 performance summary (FP8)
def nemo_record(rid, mdl, gpus, row, tp, pp, cp, vp, mbs, gbs, seq, tok_gpu, tflops, notes):
    dp = gpus // (tp * pp * cp)
    return {
        "id": rid, "kind": "training", "family": "nemo_performance_summary",
        "model": mdl,
        "hardware": hardware("H100 (DGX-H100)", "h100_sxm", "h100", gpus, gpus_per_node=8),
        "layout": layout(tensor=tp, pipeline=pp, context=cp, data=dp, expert=1,
                         virtual_stages=None if vp == 1 else vp, micro_batch=mbs,
                         gradient_accumulation=gbs // (mbs * dp), global_batch=gbs,
                         global_batch_tokens=gbs * seq, seq_len=seq, precision="FP8",
                         framework="NeMo 24.07 container"),
        "measured": [figure("tokens_per_s_per_gpu", tok_gpu, "tokens/s/GPU"),
                     figure("model_tflops_per_gpu", tflops, "TFLOP/s/GPU")],
        "source": {**NEMO, "location": "'Pretraining' table (FP8, NeMo24.07, DGX-H100)"},
        "quote": ["The results in the table below show pre-training performance for various tasks at FP8 precision.", row],
        "notes": ["DP and gradient accumulation are inferred (GPUs/(TP*PP*CP) and GBS/(MBS*DP)); VP=1 in the table is read as no interleaving.",
                  "Model TFLOP/s counting is not stated in the document; FP8 run, so any MFU must state which peak (989 BF16 or 1979 FP8) it uses.",
                  "DGX-H100 implies 8 H100 SXM per node; interconnect not stated.", *notes],
    }


NEMO_ROWS = [
    nemo_record("nemo2407_gpt3_175b_fp8_512gpu", model("GPT-3 175B (NeMo config)", catalog="gpt3_175b"), 512,
                "| GPT3-175B | 512 | 2048 | 2 | 2048 | 4 | 8 | 1 | 6 | 782 | [842](https://mlcommons.org/benchmarks/training/) | **145** |",
                4, 8, 1, 6, 2, 2048, 2048, "782", "842",
                ["The 842 TFLOP/s cell links to the MLPerf Training page; catalog match gpt3_175b assumed from the name."]),
    nemo_record("nemo2407_llama2_70b_fp8_64gpu", model("Llama 2 70B", catalog="llama2_70b"), 64,
                "| LLAMA2-70B | 64 | 128 | 1 | 4096 | 4 | 4 | 1 | 20 | 1707 | 759 | ***66*** |",
                4, 4, 1, 20, 1, 128, 4096, "1707", "759", []),
    nemo_record("nemo2407_llama2_7b_fp8_8gpu", model("Llama 2 7B", catalog="llama2_7b"), 8,
                "| LLAMA2-7B | 8 | 128 | 1 | 4096 | 1 | 1 | 1 | 1 | 16847 | 776 | ***7*** |",
                1, 1, 1, 1, 1, 128, 4096, "16847", "776", []),
    nemo_record("nemo2407_llama3_70b_fp8_64gpu", model("Llama 3 70B"), 64,
                "| LLAMA3-70B | 64 | 128 | 1 | 8192 | 4 | 4 | 2 | 5 | 1533 | 738 | ***74*** |",
                4, 4, 2, 5, 1, 128, 8192, "1533", "738",
                ["Llama 3 (not 3.1) 70B: the catalog holds llama3_1_70b only; layer shapes were not re-read for Llama 3, so no catalog name is given."]),
    nemo_record("nemo2407_nemotron4_340b_fp8_128gpu", model("Nemotron-4 340B", parameters_billion=340), 128,
                "| Nemotron-340B | 128 | 32 | 1 | 4096 | 8 | 8 | 1 | 12 | 322 | 678 | ***351*** |",
                8, 8, 1, 12, 1, 32, 4096, "322", "678", ["Not in the capplan catalog; architecture not transcribed."]),
]


# The systems of Megatron-Bridge's tables: (name, catalog GPU, class, GPUs per NVLink domain used, network). DGX H100
# and DGX B200: 8 GPUs per node, one 400 Gb/s ConnectX-7 per GPU (NVIDIA DGX H100 / B200 user guides). DGX GB200:
# NVL72 racks of which the launcher uses 64 GPUs (16 trays of 4) per NVLink domain (Megatron-Bridge v0.2.0
# scripts/performance executors.py --segment, docs/performance-guide.md "use 64 GPUs out of the 72"); the network
# per GPU is not in the repository: one 400 Gb/s ConnectX-7 per GPU assumed, as DGX B200.
SYSTEMS = {"DGX-H100": ("H100 (DGX-H100)", "h100_sxm", "h100", 8, "8 x 400 Gb/s InfiniBand per node"),
           "DGX-B200": ("B200 (DGX-B200)", "b200", "b200", 8, "8 x 400 Gb/s per node (assumed)"),
           "DGX-GB200": ("GB200 (DGX-GB200 NVL72)", "gb200", "gb200", 64, "400 Gb/s per GPU (assumed)")}


def nemo_bridge_record(rid, mdl, container, gpus, row, tp, pp, cp, vp, mbs, gbs, seq, tok_gpu, tflops, recipe, notes,
                       system="DGX-H100"):
    """A row of the NeMo container performance tables Megatron-Bridge keeps (FP8 = FP8 current scaling in these
    containers' recipes, `fp8_cs`)."""
    dp = gpus // (tp * pp * cp)
    name, catalog_gpu, gpu_class, per_domain, network = SYSTEMS[system]
    return {
        "id": rid, "kind": "training", "family": "nemo_performance_summary",
        "model": mdl,
        "hardware": hardware(name, catalog_gpu, gpu_class, gpus, gpus_per_node=min(per_domain, gpus),
                             interconnect=network),
        "layout": layout(tensor=tp, pipeline=pp, context=cp, data=dp, expert=1, virtual_stages=vp, micro_batch=mbs,
                         gradient_accumulation=gbs // (mbs * dp), global_batch=gbs, global_batch_tokens=gbs * seq,
                         seq_len=seq, recompute="none", precision="FP8-CS",
                         framework=f"NeMo {container} container (Megatron-Bridge)"),
        "measured": [figure("tokens_per_s_per_gpu", tok_gpu, "tokens/s/GPU"),
                     figure("model_tflops_per_gpu", tflops, "TFLOP/s/GPU")],
        "source": {**MBRIDGE, "location": f"'{container} NeMo Container', 'Pre-Training Performance' table, {system} row"},
        "quote": [row],
        "notes": ["DP and gradient accumulation are inferred (GPUs/(TP*PP*CP) and GBS/(MBS*DP)).",
                  "Precision 'FP8' in these tables is the recipes' fp8_cs: Megatron-Bridge perf_recipes _perf_precision"
                  "('fp8_cs') = bf16_with_fp8_current_scaling_mixed (training/mixed_precision.py: fp8 hybrid, tensorwise "
                  "scaling, fp8_param_gather True) with first/last layers in FP8 too and grad_reduce_in_fp32 False "
                  "(perf_recipes/_common.py), read at the same commit.",
                  f"Recipe ({recipe}): no recomputation; TP communication overlap with userbuffers and sequence "
                  "parallelism where TP > 1; alltoall dispatcher setting irrelevant (dense).",
                  f"{system}: {SYSTEMS[system][3]} GPUs per NVLink domain, {SYSTEMS[system][4]}.", *notes],
    }


NEMO_BRIDGE_ROWS = [
    nemo_bridge_record("nemo2604_llama3_70b_fp8cs_64gpu", model("Llama 3 70B"), "26.04.01", 64,
                       "| DGX-H100 | 64 | FP8 | 256 | 1 | 8192 | 0 | 4 | 8 | 1 | 5 | n/a | 1664 | 731 |",
                       4, 8, 1, 5, 1, 256, 8192, "1664", "731",
                       "perf_recipes/llama/h100/llama3.py llama3_70b_pretrain_64gpu_h100_fp8cs_config: "
                       "pipeline_model_parallel_layout 'Et*2|(t*2|)*34,t*3|(t*2|)*3,tL'",
                       ["Llama 3 (not 3.1) 70B: same layer shapes and vocabulary as the catalog's llama3_1_70b."]),
    nemo_bridge_record("nemo2606_llama31_405b_fp8cs_1024gpu", model("Llama 3.1 405B", catalog="llama3_1_405b"),
                       "26.06", 1024,
                       "| DGX-H100 | 1024 | FP8 | 1536 | 1 | 8192 | 8 | 8 | 2 | 8 | n/a | 326 | 822 |",
                       8, 8, 2, 8, 1, 1536, 8192, "326", "822",
                       "perf_recipes/llama/h100/llama31.py llama31_405b_pretrain_1024gpu_h100_fp8cs_config on "
                       "recipes/llama/h100/llama3.py's 405B config: account_for_embedding_in_pipeline_split and "
                       "account_for_loss_in_pipeline_split True",
                       []),
    # NeMo 25.11 (Megatron-Bridge v0.2.0, 7af9601c, the container's branch r0.2.0; the table itself first ships in
    # v0.2.1). Recipes: scripts/performance/configs/llama/llama3_workload_base_configs.py and
    # llama31_workload_base_configs.py, utils/helpers.py and comm_overlap.py at v0.2.0: fp8_cs with every layer in
    # FP8, grad_reduce_in_fp32 False, TE cross-entropy fusion, distributed optimizer with overlapped gradient
    # reduction and parameter gather, overlap_p2p_comm with the interleaved schedule; the 405B configs count the
    # embedding and the loss as pipeline layers (account_for_*_in_pipeline_split).
    *(nemo_bridge_record(rid, model(name, catalog=cat), "25.11", gpus, row, tp, pp, cp, vp, mbs, gbs, 8192, tok, tf,
                         recipe, notes, system=system)
      for rid, system, name, cat, gpus, row, tp, pp, cp, vp, mbs, gbs, tok, tf, recipe, notes in (
        ("nemo2511_llama3_70b_fp8cs_64gpu_h100", "DGX-H100", "Llama 3 70B", None, 64,
         "| LLAMA3_70B | 64 | FP8-CS | 128 | 1 | 8192 | 0 | 4 | 8 | 1 | 5 | 1 | 64 | 1602 | 719 |",
         4, 8, 1, 5, 1, 128, "1602", "719", "llama3_workload_base_configs.py:140-145, userbuffers "
         "userbuffers_fp8_h100_h8192_tp4_mbs1_seqlen8192; 80 layers split evenly",
         ["Llama 3 (not 3.1) 70B: same layer shapes and vocabulary as the catalog's llama3_1_70b."]),
        ("nemo2511_llama31_405b_fp8cs_1024gpu_h100", "DGX-H100", "Llama 3.1 405B", "llama3_1_405b", 1024,
         "| LLAMA3.1_405B | 1024 | FP8-CS | 512 | 1 | 8192 | 0 | 8 | 8 | 2 | 8 | 1 | 64 | 292 | 737 |",
         8, 8, 2, 8, 1, 512, "292", "737", "llama31_workload_base_configs.py:159-167, userbuffers "
         "userbuffers_fp8_h100_h16384_tp8_cp2_mbs1_seqlen8192", []),
        ("nemo2511_llama3_8b_fp8cs_8gpu_b200", "DGX-B200", "Llama 3 8B", None, 8,
         "| LLAMA3_8B | 8 | FP8-CS (FP8-MX) | 128 | 2 | 8192 | 0 | 1 | 1 | 1 | n/a | 1 | 8 | 30624 (29521) | 1576 (1519) |",
         1, 1, 1, None, 2, 128, "30624", "1576", "llama3_workload_base_configs.py:207-212: CUDA graph `local`, "
         "scope full_iteration",
         ["Llama 3 (not 3.1) 8B: same layer shapes and vocabulary as the catalog's llama3_1_8b.",
          "The figure outside parentheses is FP8-CS; the one in parentheses (FP8-MX) is not transcribed."]),
        ("nemo2511_llama31_405b_fp8cs_128gpu_b200", "DGX-B200", "Llama 3.1 405B", "llama3_1_405b", 128,
         "| LLAMA3.1_405B | 128 | FP8-CS (FP8-MX) | 64 | 1 | 8192 | 0 | 4 | 8 | 2 | 8 | 1 | 32 | 661 (624) | 1667 (1576) |",
         4, 8, 2, 8, 1, 64, "661", "1667", "llama31_workload_base_configs.py:125-133, userbuffers "
         "userbuffers_fp8_b200_h16384_tp4_cp2_mbs1_seqlen8192",
         ["The figure outside parentheses is FP8-CS; the one in parentheses (FP8-MX) is not transcribed."]),
        ("nemo2511_llama3_8b_fp8cs_8gpu_gb200", "DGX-GB200", "Llama 3 8B", None, 8,
         "| LLAMA3_8B | 8 | FP8-CS (FP8-MX) | 128 | 2 | 8192 | 0 | 1 | 1 | 1 | n/a | 1 | 8 | 31508 (29789) | 1622 (1533) |",
         1, 1, 1, None, 2, 128, "31508", "1622", "llama3_workload_base_configs.py:182-187: CUDA graph `local`, "
         "scope full_iteration",
         ["Llama 3 (not 3.1) 8B: same layer shapes and vocabulary as the catalog's llama3_1_8b.",
          "The figure outside parentheses is FP8-CS; the one in parentheses (FP8-MX) is not transcribed."]),
        ("nemo2511_llama31_405b_fp8cs_256gpu_gb200", "DGX-GB200", "Llama 3.1 405B", "llama3_1_405b", 256,
         "| LLAMA3.1_405B | 256 | FP8-CS | 1536 | 1 | 8192 | 0 | 4 | 16 | 1 | 4 | 1 | 384 | 813 | 2053 |",
         4, 16, 1, 4, 1, 1536, "813", "2053", "the published layout is v0.3.0's "
         "LLAMA31_405B_PRETRAIN_CONFIG_GB200_FP8_CS_V2 (commit d419154f3, 2026-01-09: TP4 PP16 VP4, GBS 1536, no "
         "FSDP, offload or recomputation); v0.2.0's GB200 preset is a different one (128 GPUs, Megatron FSDP), so "
         "the run's settings are taken from the V2 preset that matches it",
         ["Layout from a preset recorded after the container (see the recipe note)."]),
    )),
]


# ------------------------------------------------------------------- model cards: GPU-hours
def card_record(rid, family, src, location, mdl, gpu, catalog_gpu, gpu_class, hours, tokens_quote, quotes, notes, tokens):
    return {
        "id": rid, "kind": "training", "family": family, "model": mdl,
        "hardware": hardware(gpu, catalog_gpu, gpu_class, None),
        "layout": layout(global_batch_tokens=tokens.get("batch_tokens"), precision=None,
                         framework="Meta custom training libraries (not named)"),
        "tokens_trained": tokens["tokens"],
        "measured": [figure("gpu_hours", hours, "GPU-hours")],
        "source": {**src, "location": location},
        "quote": [*quotes, tokens_quote],
        "notes": notes,
    }


LLAMA2_Q_TOK = "Llama 2 was pretrained on 2 trillion tokens of data from publicly available sources."
LLAMA2_Q_HW = "Pretraining utilized a cumulative 3.3M GPU hours of computation on hardware of type A100-80GB (TDP of 350-400W)."
LLAMA2_NOTES = ["GPU count, layout and step time are not published in the model card; only total GPU-hours for pretraining on 2.0T tokens with a 4M-token global batch ('All models are trained with a global batch-size of 4M tokens').",
                "Use: GPU-hours = tokens * FLOPs/token / (achieved FLOP/s per GPU) / 3600. The time includes restarts and any idle or failed time of the production run."]
CARD_ROWS = [
    card_record(f"llama2_card_{s}", "llama2_model_card", LLAMA2_CARD, "'Hardware and Software' CO2 table, Time (GPU hours)",
                model(f"Llama 2 {s.upper()}", catalog=f"llama2_{s}"), "A100-80GB", "a100_80gb", "a100", h,
                LLAMA2_Q_TOK, [f"|Llama 2 {s.upper()}|{h}|400|{co2}|", LLAMA2_Q_HW], LLAMA2_NOTES,
                {"tokens": 2.0e12, "batch_tokens": 4_000_000})
    for s, h, co2 in [("7b", "184320", "31.22"), ("13b", "368640", "62.44"), ("70b", "1720320", "291.42")]
]
LLAMA31_Q_TOK = "Llama 3.1 was pretrained on ~15 trillion tokens of data from publicly available sources."
LLAMA31_Q_HW = "Training utilized a cumulative of 39.3M GPU hours of computation on H100-80GB (TDP of 700W) type hardware, per the table below."
CARD_ROWS += [
    card_record(f"llama3_1_card_{s}", "llama3_1_model_card", LLAMA31_CARD, "'Hardware and Software' table, Training Time (GPU hours)",
                model(f"Llama 3.1 {s.upper()}", catalog=f"llama3_1_{s}"), "H100-80GB (700 W)", "h100_sxm", "h100", h,
                LLAMA31_Q_TOK, [f"<td>Llama 3.1 {s.upper()} </td> <td>{h}", LLAMA31_Q_HW],
                ["The card says training time is 'the total GPU time required for training each model'; whether post-training is included is not stated, so treat it as an upper bound on pretraining GPU-hours for ~15T tokens.",
                 "GPU count and layout are not in the card (for 405B see llama3_405b_t4_* in training_runs.json: 8K-16K H100).",
                 "The quote around 39.3 carries bold markup in the source ('**39.3**M'); markup removed."],
                {"tokens": 15e12, "batch_tokens": None})
    for s, h in [("8b", "1.46M"), ("70b", "7.0M"), ("405b", "30.84M")]
]


# ------------------------------------------------------------- DeepSeek technical reports (H800)
DSV3_SRC = {"ref": "DeepSeek-AI, DeepSeek-V3 Technical Report, arXiv:2412.19437",
            "url": "https://arxiv.org/abs/2412.19437",
            "read_at": "full-text conversion in the search tool's GitHub-file index, file id 60572378208 (repository not named by the tool); Section 1 (training costs) and Section 3.1-3.2 read there"}
DSV2_SRC = {"ref": "DeepSeek-AI, DeepSeek-V2 Technical Report, arXiv:2405.04434",
            "url": "https://arxiv.org/abs/2405.04434",
            "read_at": "full-text conversions in the search tool's GitHub-file index, file ids 53994610483 (Sections 3.2.3, abstract) and 55210529641 (Section 3.1.3, PDF layout); repositories not named by the tool"}
DEEPSEEK_ROWS = [
    {
        "id": "deepseek_v3_pretraining_h800", "kind": "training", "family": "deepseek_reports",
        "model": model("DeepSeek-V3 671B", catalog="deepseek_v3", moe=True, parameters_billion=671,
                       active_parameters_billion=37),
        "hardware": hardware("H800", None, "h800", 2048, gpus_per_node=8,
                             interconnect="NVLink + NVSwitch inside nodes, InfiniBand across nodes"),
        "layout": layout(pipeline=16, expert=64, tensor=1, sharding="ZeRO-1 data parallelism",
                         precision="FP8 mixed precision", framework="HAI-LLM (in-house)"),
        "tokens_trained": 14.8e12,
        "measured": [figure("gpu_hours_per_trillion_tokens", "180K", "GPU-hours/trillion tokens"),
                     figure("days_per_trillion_tokens", "3.7", "days"),
                     figure("gpu_hours", "2664K", "GPU-hours")],
        "source": {**DSV3_SRC, "location": "Section 1 (Introduction), training-cost paragraph; Section 3.1 (cluster), 3.2 (framework)"},
        "quote": ["training DeepSeek-V3 on each trillion tokens requires only 180K H800 GPU hours, i.e., 3.7 days on our cluster with 2048 H800 GPUs. Consequently, our pretraining stage is completed in less than two months and costs 2664K GPU hours.",
                  "DeepSeek-V3 applies 16-way Pipeline Parallelism (PP) (Qi et al., 2023a), 64-way Expert Parallelism (EP) (Lepikhin et al., 2021) spanning 8 nodes, and ZeRO-1 Data Parallelism (DP) (Rajbhandari et al., 2020)."],
        "notes": ["MoE: 671B total, 37B activated per token (report introduction). Production run: pre-training 2664K GPU-hours for 14.8T tokens; context extension (119K) and post-training (5K) excluded here.",
                  "DP degree is not printed; 2048/(16*64) = 2 would hold only if EP spans data-parallel ranks (Megatron-style); not inferred into the layout. No tensor parallelism (the report avoids TP). Batch size ramps from 3072 to 15360 sequences of 4K (report Section 4.2, not transcribed).",
                  "H800 is not in the capplan catalog (catalog_gpu null): H100-class compute with reduced NVLink bandwidth; its peak must be stated by whoever compares.",
                  "3.7 days = 180K / 2048 / 24 is the authors' arithmetic, kept because it is printed."],
    },
    {
        "id": "deepseek_v2_pretraining_h800", "kind": "training", "family": "deepseek_reports",
        "model": model("DeepSeek-V2 236B", moe=True, parameters_billion=236, active_parameters_billion=21),
        "hardware": hardware("H800", None, "h800", None),
        "layout": layout(pipeline=16, expert=8, tensor=1, sharding="ZeRO-1 data parallelism",
                         recompute="partial (some operators recomputed)", framework="HAI-LLM (in-house)"),
        "tokens_trained": 1e12,
        "measured": [figure("gpu_hours_per_trillion_tokens", "172.8K", "GPU-hours/trillion tokens")],
        "source": {**DSV2_SRC, "location": "Section 3.2.3 (Training and Inference Efficiency); Section 3.1.3 (Infrastructures)"},
        "quote": ["During our practical training on the H800 cluster, for training on each trillion tokens, DeepSeek 67B requires 300.6K GPU hours, while DeepSeek-V2 needs only 172.8K GPU hours",
                  "It employs a 16-way zero-bubble pipeline parallelism (Qi et al., 2023), an 8-way expert parallelism (Lepikhin et al., 2021), and ZeRO-1 data parallelism (Rajbhandari et al., 2020)."],
        "notes": ["MoE: 236B total, 21B activated per token (abstract). GPU count, precision and batch size are not given next to the figure; the figure is a per-trillion-token rate, so tokens_trained is 1e12 by definition.",
                  "No tensor parallelism ('it can be trained without the necessity of tensor parallelism')."],
    },
    {
        "id": "deepseek_67b_pretraining_h800", "kind": "training", "family": "deepseek_reports",
        "model": model("DeepSeek 67B (dense)", parameters_billion=67),
        "hardware": hardware("H800", None, "h800", None),
        "layout": layout(framework="HAI-LLM (in-house)"),
        "tokens_trained": 1e12,
        "measured": [figure("gpu_hours_per_trillion_tokens", "300.6K", "GPU-hours/trillion tokens")],
        "source": {**DSV2_SRC, "location": "Section 3.2.3 (Training and Inference Efficiency)"},
        "quote": ["During our practical training on the H800 cluster, for training on each trillion tokens, DeepSeek 67B requires 300.6K GPU hours, while DeepSeek-V2 needs only 172.8K GPU hours"],
        "notes": ["Dense baseline quoted in the DeepSeek-V2 report; its layout is not given there. Architecture is not in the capplan catalog and was not transcribed."],
    },
]


# ------------------------------------------------------- MLPerf Training GPT-3 175B (time to train)
MLPERF_QUOTE = "NVIDIA improved its GPT-3 175B training time from 10.9 minutes using 3,584 H100 GPUs to just 3.4 minutes using 11,616 H100 GPUs, demonstrating near-linear performance scaling."
MLPERF_SRC = {"ref": "llmreporter.com summary of NVIDIA's MLPerf Training v4.0 blog",
              "url": "https://llmreporter.com/posts/nvidia-breaks-records-in-generative-ai-with-mlperf-training-v40",
              "primary": "https://developer.nvidia.com/blog/nvidia-sets-new-generative-ai-performance-and-scale-records-in-mlperf-training-v4-0/ (not readable through the tools; official scores on mlcommons.org)"}
MLPERF_ROWS = [
    {
        "id": "mlperf_train_v4_0_gpt3_175b_11616gpu", "kind": "training", "family": "mlperf_training",
        "model": model("GPT-3 175B (MLPerf gpt3 benchmark)", catalog="gpt3_175b"),
        "hardware": hardware("H100-SXM5-80GB (Eos-dfw_n1452)", "h100_sxm", "h100", 11616, gpus_per_node=8,
                             interconnect="NVLink Gen4 900 GB/s + NVSwitch Gen3 inside nodes; 8x ConnectX-7 IB NDR 400Gb/s per node"),
        "layout": layout(tensor=4, pipeline=6, virtual_stages=8, micro_batch=1, data=484,
                         precision="FP8 (config_fp8.sh)", seq_len=2048,
                         framework="NVIDIA NeMo Framework Release 24.04 (ngc24.04_nemo)"),
        "measured": [figure("time_to_train", "3.4", "min")],
        "source": {**MLPERF_SRC, "location": "paragraph 'NVIDIA Hopper GPUs'",
                   "layout_ref": "mlcommons/training_results_v4.0@62f111b7690f163b269f32e4f93dcaaa13717c9c:NVIDIA/benchmarks/gpt3/implementations/nemo/config_DGXH100_1452x8x6x4x6_mbs1_cg.sh; hardware from the :::SYSJSON line of NVIDIA/results/eos-dfw_n1452_ngc24.04_nemo/gpt3/result_0.txt"},
        "quote": [MLPERF_QUOTE,
                  'export TENSOR_MODEL_PARALLEL="${TP:=4}" # training.model.tensor_model_parallel_size export PIPELINE_MODEL_PARALLEL="${PP:=6}" # training.model.pipeline_model_parallel_size export DGXNNODES="${DGXNNODES:=1452}"',
                  'export INTERLEAVED_PIPELINE=8'],
        "notes": ["Time to train is the MLPerf score: from a fixed GPT-3 checkpoint until the benchmark's target log-perplexity, so the token count depends on convergence and is not stated here; do not derive a step time without the run's step count (in the MLLOG result files, not transcribed).",
                  "The time comes from a secondary summary of NVIDIA's blog, not the MLCommons results table (not readable through the tools). 1452 nodes x 8 = 11,616 GPUs matches.",
                  "data = 11616/(4*6) = 484 is inferred. The config's MINIBS=6 is read as the per-replica batch in sequences (GBS = 6*484 = 2904), not confirmed, so global_batch is left null. Seq 2048 is the GPT-3 benchmark's context length, assumed, not read in the config."],
    },
    {
        "id": "mlperf_train_v3_0_gpt3_175b_3584gpu", "kind": "training", "family": "mlperf_training",
        "model": model("GPT-3 175B (MLPerf gpt3 benchmark)", catalog="gpt3_175b"),
        "hardware": hardware("H100 (NVIDIA + CoreWeave submission, MLPerf Training v3.0)", "h100_sxm", "h100", 3584),
        "layout": layout(),
        "measured": [figure("time_to_train", "10.9", "min")],
        "source": {**MLPERF_SRC, "location": "paragraph 'NVIDIA Hopper GPUs' (the v3.0 comparison point)"},
        "quote": [MLPERF_QUOTE,
                  "CoreWeave used 3,584 Nvidia HGX-H100s to train a representative portion of GPT-3 in 10.94 minutes"],
        "notes": ["Second quote: EE Times (26 June 2023) as reposted at https://climateerinvest.blogspot.com/2023/06/chips-nvidia-leads-habana-challenges-on.html; it gives 10.94 min, the first 10.9.",
                  "Layout and precision of this v3.0 submission were not read (mlcommons/training_results_v3.0 not consulted; EE Times only says H100 software lowers precision to FP8 where possible); the same caveat on tokens-to-target applies."],
    },
]

TRAINING = [*(mpt_record(t, row, n) for t, row, n in MPT_ROWS), *DGXC_ROWS, *NEMO_ROWS, *NEMO_BRIDGE_ROWS, *CARD_ROWS,
            *DEEPSEEK_ROWS, *MLPERF_ROWS]
