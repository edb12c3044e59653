"""Builds training_runs.json (same folder) from the values transcribed below.

The tables in this file are the transcription: every number under model/hardware/layout/measured was
copied from the source named in SRC; 'derived' values are arithmetic done here (formula named in the
field); 'inferred' values carry their reasoning. Run:  python3 validation/published/build_training_runs.py
(add --check to verify the committed JSON is what this script produces). Standard library only.
"""
import json, os, sys

PEAK_A100 = 312e12
PEAK_H100 = 989e12

def nar_F(B, L, s, h, V):  # Narayanan eq.3 (includes recompute forward)
    return 96 * B * s * L * h * h * (1 + s / (6 * h) + V / (16 * L * h))
def kor_model_F(B, L, s, h, V):  # Korthikanti eq.7
    return 72 * B * L * s * h * h * (1 + s / (6 * h) + V / (12 * h * L))
def kor_hw_F(B, L, s, h, V):  # Korthikanti eq.8 (selective recompute)
    return 72 * B * L * s * h * h * (1 + s / (3 * h) + V / (12 * h * L))
def r(x, n=3):
    return None if x is None else round(x, n)

# ---------------------------------------------------------------- sources
SRC = {
 "narayanan2021": {
  "title": "Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM",
  "authors": "Deepak Narayanan, Mohammad Shoeybi, Jared Casper, Patrick LeGresley, Mostofa Patwary, Vijay Korthikanti, Dmitri Vainbrand, Prethvi Kashinkunti, Julie Bernauer, Bryan Catanzaro, Amar Phanishayee, Matei Zaharia",
  "year": 2021, "venue": "SC21", "arxiv": "2104.04473",
  "read_at": [
   "full-text Markdown conversion of the paper (SC21 layout) in the stored GitHub-file index of the `search` tool, file id 63285939983 (the tool does not name the repository); Table 1, Table 2, Section 5 text, Eq. 2-4 read there",
   "NVIDIA/Megatron-LM README.md and images/cases_april2021.png at commit 50a4b5fa0280a160cc1b03a1c15faddbc1b1da9a (2021-04-08): same 10 rows (hidden, layers, params, model-parallel size = t*p, GPUs, batch, TFLOP/s per GPU, % of peak, aggregate PFLOP/s); agrees with the paper on every shared column"
  ]},
 "korthikanti2022": {
  "title": "Reducing Activation Recomputation in Large Transformer Models",
  "authors": "Vijay Korthikanti, Jared Casper, Sangkug Lym, Lawrence McAfee, Michael Andersch, Mohammad Shoeybi, Bryan Catanzaro",
  "year": 2022, "venue": "MLSys 2023", "arxiv": "2205.05198",
  "read_at": [
   "full-text conversion of the arXiv PDF in the stored GitHub-file index of the `search` tool, file id 69442322288 (front matter: '2022-Korthikanti-Reducing-Activation-Recomputation-NVIDIA'; repository not named by the tool); abstract, Section 6, Tables 3/4/5, Appendix A and C read there",
   "NVIDIA/Megatron-LM README.md at commit 2e90a342f5006a3e4f8cacf44002dbae0e10aa17 (2022-05-19): MFU/HFU table 22B 41.5/43.7, 175B 51.4/52.8, 530B 56.0/57.0, 1T 56.3/57.0 'measured using a data parallel size of one' (identical to Table 5)"
  ]},
 "megatron_h100_2024": {
  "title": "Megatron-LM README, 'Performance Benchmarking' / weak-scaling table on H100 (Megatron-Core r0.8.0)",
  "authors": "NVIDIA (README change authored by Deepak Narayanan)",
  "year": 2024, "venue": "GitHub README", "arxiv": None,
  "read_at": [
   "NVIDIA/Megatron-LM images/model_table.png (added in commit f2e5db402c44ae309aa6448bcb4ae87e8ae0f5f4, 2024-07-15; README text from commit 937571cfd49d0194c06123af93e310cd3637cf50); unchanged at the snapshot HEAD d98e8a64ddf34856e74b24714e3bedb2f5a39553. The table is an image; values were read off the PNG. images/weak_scaling.png and images/strong_scaling.png are plots only (legend: 'Megatron-Core r0.8.0')"
  ]},
 "llama3_2024": {
  "title": "The Llama 3 Herd of Models",
  "authors": "Llama Team, AI @ Meta (Abhimanyu Dubey et al.)",
  "year": 2024, "venue": "arXiv", "arxiv": "2407.21783",
  "read_at": [
   "full-text conversion of the arXiv PDF (dated July 23, 2024, i.e. v1 text) in the `search` tool's file index, file id 39822971701: Section 3.2 / Table 3 (architecture), Section 3.3.1-3.3.2 / Table 4",
   "two further conversions/notes in the same index (file ids 34692787445 and 70974299245, the latter quoting arXiv v3 of 23 Nov 2024, p. 10) print DP=8 for the long-context row where the v1 conversion prints DP=4"
  ]},
 "megascale_2024": {
  "title": "MegaScale: Scaling Large Language Model Training to More Than 10,000 GPUs",
  "authors": "Ziheng Jiang, Haibin Lin, Yinmin Zhong, Qi Huang, Yangrui Chen, Zhi Zhang, Yanghua Peng, Xiang Li, Cong Xie, Shibiao Nong, et al. (ByteDance, Peking University)",
  "year": 2024, "venue": "NSDI 2024", "arxiv": "2402.15627",
  "read_at": [
   "full-text conversion of arXiv 2402.15627v1 (23 Feb 2024) in the `search` tool's file index, file id 61225413316: abstract, Sections 3, 6.1, Table 1 (model configs), Table 2 (strong scaling), Table 3 (ablation)"
  ]},
 "bloom_tr11": {
  "title": "BigScience tr11-176B-ml training README (BLOOM 176B) -- training log line for iteration 85376",
  "authors": "BigScience Workshop (Stas Bekman et al.)",
  "year": 2022, "venue": "GitHub repository", "arxiv": "2211.05100 (BLOOM paper; not the source of these numbers)",
  "read_at": [
   "bigscience-workshop/bigscience train/tr11-176B-ml/README.md at commit 39ed8110482e9eb87d0e094ede05e4d02c40e298 (sections 'Replica setup', 'Throughput', 'Important checkpoints'); train/tr11-176B-ml/tr11-176B-ml.slurm at commit dc8d99ff23653ebef7cc6900c901833162ca19c9; math/README.md '## Calculate TFLOPs' (same snapshot, HEAD 9e64edec2ad1fb9263bf39ba616a84ff64b4d947)"
  ]},
 "opt_2022": {
  "title": "OPT: Open Pre-trained Transformer Language Models",
  "authors": "Susan Zhang, Stephen Roller, Naman Goyal, Mikel Artetxe, Moya Chen, Shuohui Chen, Christopher Dewan, Mona Diab, Xian Li, Xi Victoria Lin, et al.",
  "year": 2022, "venue": "arXiv", "arxiv": "2205.01068",
  "read_at": [
   "full-text conversion of arXiv 2205.01068v4 in the `search` tool's file index, file id 54793152459: Table 1 and Section 2.4 'Training Efficiency'",
   "facebookresearch/metaseq projects/OPT/chronicles/10_percent_update.md at commit e99de43c92b1e9f6dd9a2ad1c8e8027f17476b2f (snapshot HEAD f7ffa5fd61cf90f498a36d365c13dd7f1a912ff7): '8x Tensor Parallelism', 'Batch-size of 2M'"
  ]},
 "mpt_llmfoundry": {
  "title": "MPT Training Benchmarks (llm-foundry scripts/train/benchmarking/README.md)",
  "authors": "MosaicML / Databricks",
  "year": 2024, "venue": "GitHub README", "arxiv": None,
  "read_at": [
   "mosaicml/llm-foundry scripts/train/benchmarking/README.md at commit 495218376830947dce625efabc4d86be7c47cc45 (2024-04-22), tables 'H100 80GB BF16 (Large Scale, >= 128 GPUs)' and 'H100 80GB BF16'; model configs from scripts/train/yamls/pretrain/mpt-{7b,13b,30b,70b}.yaml and the MFU/HFU code in scripts/train/benchmarking/collect_results.py at the same commit"
  ]},
}

def src(key, where):
    s = dict(SRC[key]); s["table_or_figure"] = where; return s

runs = []

# ------------------------------------------------------------- Narayanan Table 1
NAR_FLOPS = ("Narayanan et al. Eq. 3: F = 96*B*s*l*h^2*(1 + s/(6h) + V/(16*l*h)) FLOPs per iteration, GEMMs only "
             "(transformer + logit layers), counts the extra forward pass of full activation recomputation "
             "(=> HFU-like); peak 312 TFLOP/s (A100, 16-bit). Throughput is end-to-end (data loading, optimizer, "
             "communication, logging included).")
T1 = [  # params_B, heads, hidden, layers, t, p, gpus, batch, tflops, pct, agg
 (1.7, 24, 2304, 24, 1, 1, 32, 512, 137, 44, 4.4),
 (3.6, 32, 3072, 30, 2, 1, 64, 512, 138, 44, 8.8),
 (7.5, 32, 4096, 36, 4, 1, 128, 512, 142, 46, 18.2),
 (18.4, 48, 6144, 40, 8, 1, 256, 1024, 135, 43, 34.6),
 (39.1, 64, 8192, 48, 8, 2, 512, 1536, 138, 44, 70.8),
 (76.1, 80, 10240, 60, 8, 4, 1024, 1792, 140, 45, 143.8),
 (145.6, 96, 12288, 80, 8, 8, 1536, 2304, 148, 47, 227.1),
 (310.1, 128, 16384, 96, 8, 16, 1920, 2160, 155, 50, 297.4),
 (529.6, 128, 20480, 105, 8, 35, 2520, 2520, 163, 52, 410.2),
 (1008.0, 160, 25600, 128, 8, 64, 3072, 3072, 163, 52, 502.0),
]
A100_SELENE = {"gpu": "NVIDIA A100 80GB (SXM, DGX A100)", "gpus_total": None, "gpus_per_node": 8,
  "interconnect": "NVLink + NVSwitch within node; 8x Mellanox 200 Gb/s HDR InfiniBand HCAs per node for application traffic (+2 for storage); three-level fat tree (850 switches) -- Selene",
  "peak_tflops_per_gpu_used_by_source": 312}
for (P, a, h, l, t, p, g, B, x, pct, agg) in T1:
    dp = g // (t * p)
    F = nar_F(B, l, 2048, h, 51200)
    runs.append({
      "id": f"narayanan2021_t1_{P:g}B".replace(".", "p"),
      "source": src("narayanan2021", "Table 1 (weak scaling), Section 5.1"),
      "model": {"name": f"GPT {P:g}B (Table 1)", "parameters_billion": P, "layers": l, "hidden": h, "heads": a,
                "kv_heads": None, "ffn_hidden": 4 * h, "vocab": 51200, "seq_len": 2048,
                "architecture": "GPT-3-style decoder (MHA, 4h GELU MLP, learned positions); parameter count per Eq. 2: P = 12*l*h^2*(1 + 13/(12h) + (V+s)/(12*l*h))"},
      "hardware": dict(A100_SELENE, gpus_total=g),
      "layout": {"tensor": t, "pipeline": p, "data": dp, "context": 1, "expert": 1,
                 "virtual_stages_per_pipeline_rank": None,
                 "pipeline_schedule": "interleaved 1F1B with scatter/gather optimization ('we use the interleaved pipeline schedule with the scatter/gather optimization enabled', Sec. 5.1); number of virtual stages not stated" if p > 1 else "no pipeline (p=1)",
                 "micro_batch": None, "global_batch": B, "global_batch_tokens": B * 2048,
                 "sequence_parallel": False, "activation_recompute": "full (per transformer layer)",
                 "zero_or_distributed_optimizer": "none stated", "precision": "mixed precision, 16-bit (fp16 per Megatron-LM of the time; 'peak device throughput of an A100 GPU with 16-bit precision is 312 teraFLOP/s')"},
      "measured": {"tflops_per_gpu": x, "tflops_kind": "hardware-like (Eq. 3 includes recompute forward)",
                   "percent_of_peak": pct, "mfu": None, "hfu": None,
                   "aggregate_pflops": agg, "iteration_time_s": None, "tokens_per_s": None,
                   "flop_counting": NAR_FLOPS},
      "derived": {"note": "computed here, NOT reported by the source",
                  "iteration_time_s_from_eq3": r(F / (g * x * 1e12), 2),
                  "tokens_per_s": r(B * 2048 / (F / (g * x * 1e12)), 0),
                  "model_flops_tflops_per_gpu_eq7_no_recompute": r(x * kor_model_F(B, l, 2048, h, 51200) / F, 1),
                  "mfu_eq7_no_recompute_312": r(x * kor_model_F(B, l, 2048, h, 51200) / F / 312, 3)},
      "inferred": {
        "data": f"GPUs/(t*p) = {g}/({t}*{p}); not a column of Table 1",
        "sequence_parallel": "sequence parallelism was introduced a year later (Korthikanti et al. 2022); not used here",
        "activation_recompute": "Table 1 does not have a recompute column; Eq. 3, used for the TFLOP/s column, 'assumes activation recomputation'",
        "kv_heads/ffn/vocab/seq": "vocab 51,200 and s=2048 stated in Sec. 5.1; FFN 4h is the GPT architecture the paper assumes in its FLOP/parameter formulas",
        **({"pipeline_schedule": "Megatron-LM README (2022) says the interleaved schedule is not supported for 2 pipeline stages, so the p=2 row probably ran non-interleaved"} if p == 2 else {}),
      },
    })

# ------------------------------------------------------------- Narayanan Table 2 (PTD-P rows)
T2 = [(174.6, 96, 12288, 96, 96, 1536, 384, 153, 84), (174.6, 96, 12288, 96, 96, 1536, 768, 149, 43),
      (174.6, 96, 12288, 96, 96, 1536, 1536, 141, 23), (529.6, 128, 20480, 105, 280, 2240, 560, 171, 156),
      (529.6, 128, 20480, 105, 280, 2240, 1120, 167, 80), (529.6, 128, 20480, 105, 280, 2240, 2240, 159, 42)]
for (P, a, h, l, mp, B, g, x, days) in T2:
    tp, pp = 8, mp // 8
    F = nar_F(B, l, 2048, h, 51200)
    runs.append({
      "id": f"narayanan2021_t2_ptdp_{int(P)}B_{g}gpu",
      "source": src("narayanan2021", "Table 2 (PTD Parallelism rows; comparison to ZeRO-3), Section 5.2"),
      "model": {"name": "GPT-3 175B (174.6B)" if P < 200 else "GPT 530B (529.6B)", "parameters_billion": P, "layers": l, "hidden": h, "heads": a,
                "kv_heads": None, "ffn_hidden": 4 * h, "vocab": 51200, "seq_len": 2048,
                "architecture": "GPT-3-style decoder; 174.6B = standard GPT-3 (96 layers, 96 heads, h=12288); 529.6B = the Table 1 530B model"},
      "hardware": dict(A100_SELENE, gpus_total=g),
      "layout": {"tensor": tp, "pipeline": pp, "data": g // mp, "context": 1, "expert": 1,
                 "virtual_stages_per_pipeline_rank": None, "pipeline_schedule": "not stated for Table 2",
                 "micro_batch": 1, "global_batch": B, "global_batch_tokens": B * 2048,
                 "sequence_parallel": False, "activation_recompute": "full (per transformer layer)",
                 "zero_or_distributed_optimizer": "none (PTD-P rows)", "precision": "mixed precision (16-bit)",
                 "model_parallel_size_as_stated": mp},
      "measured": {"tflops_per_gpu": x, "tflops_kind": "hardware-like (Eq. 3)", "percent_of_peak": None,
                   "mfu": None, "hfu": None, "aggregate_pflops": None, "iteration_time_s": None, "tokens_per_s": None,
                   "training_time_days_for_300B_tokens": days, "flop_counting": NAR_FLOPS},
      "derived": {"note": "computed here, NOT reported by the source",
                  "percent_of_peak_312": r(100 * x / 312, 1),
                  "iteration_time_s_from_eq3": r(F / (g * x * 1e12), 2)},
      "inferred": {"tensor/pipeline": f"Table 2 gives only the model-parallel size {mp}; split as t=8 x p={pp} following the paper's t=8 rule and the Table 1 530B layout (8 x 35)",
                   "data": f"GPUs/model-parallel size = {g}/{mp}",
                   "activation_recompute": "same Eq. 3 accounting as Table 1"},
    })

# ------------------------------------------------------------- Korthikanti Table 5
K = [  # name, heads, hidden, layers, tp, pp, gpus, gbs, mbs, vpp, t_full, t_present, incr, mfu, hfu
 ("22B", 64, 6144, 48, 8, 1, 8, 4, 4, None, 1.42, 1.10, 29.0, 41.5, 43.7),
 ("175B", 96, 12288, 96, 8, 8, 64, 64, 1, 3, 18.13, 13.75, 31.8, 51.4, 52.8),
 ("530B", 128, 20480, 105, 8, 35, 280, 280, 1, 3, 49.05, 37.83, 29.7, 56.0, 57.0),
 ("1T", 160, 25600, 128, 8, 64, 512, 512, 1, None, 94.42, 71.49, 32.1, 56.3, 57.0),
]
KOR_FLOPS = ("Korthikanti et al. Appendix A: model FLOPs/iteration = 72*B*L*s*h^2*(1 + s/(6h) + v/(12*h*L)) (Eq. 7, no "
             "recompute; B = global batch); hardware FLOPs with selective recompute = 72*B*L*s*h^2*(1 + s/(3h) + v/(12*h*L)) (Eq. 8). "
             "MFU/HFU = (FLOPs / iteration time) / accelerator peak; definitions follow Chowdhery et al. (PaLM). Peak value is in a "
             "footnote not present in the conversion read; 312 TFLOP/s reproduces every MFU/HFU in Table 5 to within 0.2 points.")
KOR_HW = {"gpu": "NVIDIA A100 80GB (Selene)", "gpus_total": None, "gpus_per_node": 8,
  "interconnect": "NVLink + NVSwitch within node; 8x Mellanox 200 Gb/s HDR InfiniBand HCAs per node for application communication (Selene)",
  "peak_tflops_per_gpu_used_by_source": None}
for (n, a, h, l, tp, pp, g, B, mb, vpp, tf, tpw, inc, mfu, hfu) in K:
    names = {"175B": "GPT-3 175B", "530B": "MT-NLG 530B"}
    model = {"name": names.get(n, n), "parameters_billion_nominal_label": {"22B": 22, "175B": 175, "530B": 530, "1T": 1000}[n], "parameters_billion": None, "layers": l, "hidden": h, "heads": a, "kv_heads": None,
             "ffn_hidden": 4 * h, "vocab": 51200, "seq_len": 2048,
             "architecture": "GPT-3-style single-stack transformer (MHA, 4h GeLU MLP, learned positional embeddings, shared input/output embedding)"}
    for mode in ("full_recompute", "selective_recompute_sp"):
        present = mode != "full_recompute"
        t_it = tpw if present else tf
        Fm = kor_model_F(B, l, 2048, h, 51200)
        d = {"note": "computed here, NOT reported by the source",
             "model_tflops_per_gpu_eq7": r(Fm / t_it / g / 1e12, 1),
             "mfu_eq7_at_312": r(Fm / t_it / g / PEAK_A100, 4),
             "tokens_per_s": r(B * 2048 / t_it, 0)}
        if present:
            d["hfu_eq8_at_312"] = r(kor_hw_F(B, l, 2048, h, 51200) / t_it / g / PEAK_A100, 4)
        runs.append({
          "id": f"korthikanti2022_t5_{n}_{mode}",
          "source": src("korthikanti2022", "Table 5 (end-to-end iteration time); configuration from Table 3; Section 6"),
          "model": model,
          "hardware": dict(KOR_HW, gpus_total=g),
          "layout": {"tensor": tp, "pipeline": pp, "data": 1, "context": 1, "expert": 1,
                     "virtual_stages_per_pipeline_rank": vpp,
                     "pipeline_schedule": "interleaved, 3 interleaving stages ('m = 3') for 175B and 530B (Sec. 6)" if vpp else ("no pipeline" if pp == 1 else "not stated for the 1T model (interleaving stated only for 175B and 530B)"),
                     "micro_batch": mb, "global_batch": B, "global_batch_tokens": B * 2048,
                     "sequence_parallel": present,
                     "activation_recompute": "selective (attention QK^T/softmax/dropout/attention-over-V recomputed)" if present else "full (per transformer layer)",
                     "zero_or_distributed_optimizer": "none (no data parallelism)", "precision": "mixed precision (16-bit; fp16/bf16 not stated)"},
          "measured": {"iteration_time_s": t_it,
                       "mfu": (round(mfu / 100, 4)) if present else None, "hfu": (round(hfu / 100, 4)) if present else None,
                       "throughput_increase_present_vs_full_pct": inc,
                       "tflops_per_gpu": None, "percent_of_peak": None, "tokens_per_s": None, "aggregate_pflops": None,
                       "flop_counting": KOR_FLOPS},
          "derived": d,
          "inferred": {"data": "'no data parallelism is used in our evaluations' (Table 3 caption) -> data = 1",
                       "sequence_parallel": "Table 5 'Full Recompute' column = full recomputation without sequence parallelism (Sec. 6.3 text); 'Present Work' = sequence parallelism + selective recomputation",
                       "peak": "footnote 5 (the peak) is not in the conversion read; 312 TFLOP/s (A100 dense 16-bit) reproduces every MFU/HFU in Table 5 within 0.2 points"},
        })
# 530B with DP=8 and the abstract's full-recompute figure
g, B = 2240, 2240
Fm = kor_model_F(B, 105, 2048, 20480, 51200)
runs.append({
  "id": "korthikanti2022_530B_dp8_selective_recompute_sp",
  "source": src("korthikanti2022", "Abstract and Section 6.3 text (530B scaled to 8-way data parallelism)"),
  "model": {"name": "MT-NLG 530B", "parameters_billion_nominal_label": 530, "parameters_billion": None, "layers": 105, "hidden": 20480, "heads": 128, "kv_heads": None,
            "ffn_hidden": 4 * 20480, "vocab": 51200, "seq_len": 2048, "architecture": "GPT-3-style (as Table 3)"},
  "hardware": dict(KOR_HW, gpus_total=g),
  "layout": {"tensor": 8, "pipeline": 35, "data": 8, "context": 1, "expert": 1, "virtual_stages_per_pipeline_rank": 3,
             "pipeline_schedule": "interleaved, 3 stages (as Table 3 530B)", "micro_batch": 1, "global_batch": B,
             "global_batch_tokens": B * 2048, "sequence_parallel": True, "activation_recompute": "selective",
             "zero_or_distributed_optimizer": "none stated; 'we do not use any overlapping of gradient all-reduces with back-propagation'",
             "precision": "mixed precision (16-bit)"},
  "measured": {"iteration_time_s": 39.15, "mfu": 0.542, "hfu": None, "tflops_per_gpu": None, "percent_of_peak": None,
               "tokens_per_s": None, "aggregate_pflops": None, "flop_counting": KOR_FLOPS,
               "comparison_stated": "abstract: 54.2% MFU is '29% faster than the 42.1% we achieve using recomputation' (full recompute, same 2240 GPUs; iteration time for that case not given)"},
  "derived": {"note": "computed here, NOT reported by the source", "mfu_eq7_at_312": r(Fm / 39.15 / g / PEAK_A100, 4),
              "full_recompute_iteration_time_s_implied_by_42.1pct": r(Fm / (0.421 * PEAK_A100 * g), 2)},
  "inferred": {"global_batch": "'batch size is also multiplied by the data parallel size' -> 280 x 8 = 2240", "peak": "312 TFLOP/s, as for Table 5",
               "micro_batch/virtual stages": "carried over from the Table 3 530B configuration"},
})

# ------------------------------------------------------------- Megatron-LM README H100 table
MH = [("1.7B", 16, 2048, 24, 1, 1, 48, 48, 192, 408.8, 41, 19.6),
      ("7.1B", 32, 4096, 30, 2, 1, 48, 96, 192, 465.9, 47, 44.7),
      ("16B", 48, 6144, 32, 4, 1, 48, 192, 192, 489.1, 49, 93.9),
      ("32B", 56, 7168, 48, 8, 1, 48, 384, 192, 459.6, 46, 176.5),
      ("70B", 64, 8192, 84, 8, 2, 48, 768, 384, 419.7, 42, 322.3),
      ("119B", 80, 10240, 92, 8, 4, 48, 1536, 768, 420.5, 43, 645.9),
      ("177B", 96, 12288, 96, 8, 6, 48, 2304, 1152, 432.8, 44, 997.2),
      ("314B", 128, 16384, 96, 8, 8, 48, 3072, 1536, 474.4, 48, 1457.4),
      ("462B", 144, 18432, 112, 8, 16, 48, 6144, 3072, 459.9, 47, 2825.6)]
for (n, a, h, l, t, p, d, g, B, x, mfu, agg) in MH:
    s, V = 4096, 131072
    Fm = kor_model_F(B, l, s, h, V)
    P_est = (12 * l * h * h + 2 * V * h) / 1e9
    runs.append({
      "id": f"megatron_h100_2024_{n}",
      "source": src("megatron_h100_2024", "README 'Performance Benchmarking' model table (images/model_table.png)"),
      "model": {"name": f"GPT {n} (Megatron weak-scaling)", "parameters_billion": float(n[:-1]), "layers": l, "hidden": h, "heads": a,
                "kv_heads": None, "ffn_hidden": None, "vocab": 131072, "seq_len": 4096,
                "architecture": "GPT-style decoder; README: 'Varied hidden size, attention heads, and layers to achieve target parameter counts'"},
      "hardware": {"gpu": "NVIDIA H100", "gpus_total": g, "gpus_per_node": None, "interconnect": None,
                   "peak_tflops_per_gpu_used_by_source": None},
      "layout": {"tensor": t, "pipeline": p, "data": d, "context": None, "expert": None,
                 "virtual_stages_per_pipeline_rank": None, "pipeline_schedule": None,
                 "micro_batch": None, "global_batch": B, "global_batch_tokens": B * s,
                 "sequence_parallel": None, "activation_recompute": None,
                 "zero_or_distributed_optimizer": "README: --overlap-grad-reduce --overlap-param-gather (DP), --tp-comm-overlap (TP), PP overlap on by default",
                 "precision": None, "software": "Megatron-Core r0.8.0 (plot legend)"},
      "measured": {"tflops_per_gpu": x, "tflops_kind": "model FLOPs (column paired with 'MFU')", "mfu": round(mfu / 100, 4), "hfu": None,
                   "percent_of_peak": None, "aggregate_pflops": agg, "iteration_time_s": None, "tokens_per_s": None,
                   "flop_counting": "not stated in README. Megatron-LM's own logger (megatron/training/training.py num_floating_point_operations, commit 937571cf) uses 12*B*s*L*h^2*[(1 + g/a + s/h)*(q/h) + (ffn/h)*k*glu + V/(2*L*h)], which for MHA, ffn=4h, no GLU equals 72*B*s*L*h^2*(1 + s/(6h) + V/(12*L*h)) -- model FLOPs, no recompute, causal attention counted as full. Throughput is end-to-end (data loading, optimizer, communication, logging)."},
      "derived": {"note": "computed here, NOT reported by the source",
                  "implied_peak_tflops": r(x / (round(mfu / 100, 4)), 0),
                  "iteration_time_s_if_megatron_formula": r(Fm / (g * x * 1e12), 2),
                  "tokens_per_s_if_megatron_formula": r(B * s / (Fm / (g * x * 1e12)), 0),
                  "params_12Lh2_plus_2Vh_billion": r(P_est, 2)},
      "inferred": {"architecture": f"12*L*h^2 + 2*V*h = {P_est:.2f}B approximately matches the stated size label, i.e. MHA, non-gated 4h MLP, untied input/output embeddings; ffn size itself is not stated",
                   "peak": "per-GPU TFLOP/s / MFU = 978-999 (MFU printed as whole percent) -> H100 SXM dense BF16 peak (989 TFLOP/s) presumably; precision (BF16 vs FP8) is not stated",
                   "zero_or_distributed_optimizer": "--overlap-param-gather requires Megatron's distributed optimizer, so it was presumably on"},
    })

# ------------------------------------------------------------- Llama 3 405B Table 4
LL = [(8192, 8, 1, 16, 64, 8192, 32, 430, 43), (16384, 8, 1, 16, 128, 8192, 16, 400, 41), (16384, 8, 16, 16, 8, 131072, 16, 380, 38)]
for (g, t, cp, p, d, s, bpd, x, mfu) in LL:
    # assumption-laden estimate: PaLM model FLOPs/token = 6N + 12*L*H*Q*T with N=405e9, H*Q = d_model
    fpt = 6 * 405e9 + 12 * 126 * 16384 * s
    tokens = d * bpd * s
    it = tokens * fpt / (g * x * 1e12)
    inf = {"global_batch": f"DP x 'Batch size/DP' = {d} x {bpd} = {d*bpd} sequences of {s} = {tokens:,} tokens ('16M' in the table)",
           "peak": f"{x}/989 = {100*x/989:.1f}% (table prints {mfu}%); H100 SXM dense BF16 peak 989 TFLOP/s presumably"}
    if s == 131072:
        inf["data"] = "arXiv v1 text prints DP=4; 8*16*16*4 = 8,192 != 16,384 GPUs and 4*16*131,072 = 8.4M != 16M tokens/batch; DP=8 (as printed in v3 per a second conversion) is the only value consistent with both"
    runs.append({
      "id": f"llama3_405b_t4_{g}gpu_seq{s}",
      "source": src("llama3_2024", "Table 4 (scaling configurations and MFU for each stage of Llama 3 405B pre-training); Table 3 (architecture); Section 3.3"),
      "model": {"name": "Llama 3 405B", "parameters_billion": 405, "layers": 126, "hidden": 16384, "heads": 128, "kv_heads": 8,
                "ffn_hidden": 53248, "vocab": 128000, "seq_len": s,
                "architecture": "Llama-style dense decoder (Table 3): GQA with 8 KV heads, SwiGLU, RoPE theta=500,000; attention mask preventing attention across documents"},
      "hardware": {"gpu": "NVIDIA H100 80GB HBM3, 700 W TDP (Grand Teton servers)", "gpus_total": g, "gpus_per_node": 8,
                   "interconnect": "NVLink within server; RoCE (400 Gb/s per GPU) three-layer Clos: 3,072-GPU pods with full bisection, 1:7 oversubscribed aggregation layer across pods",
                   "peak_tflops_per_gpu_used_by_source": None},
      "layout": {"tensor": t, "pipeline": p, "data": d, "context": cp, "expert": 1,
                 "virtual_stages_per_pipeline_rank": None,
                 "pipeline_schedule": "interleaved (V stages per pipeline rank, V not stated) with modified schedule (flexible N), first/last stage one layer fewer",
                 "micro_batch": None, "global_batch": d * bpd, "global_batch_tokens": tokens, "global_batch_tokens_as_printed": "16M",
                 "batch_size_per_dp_group": bpd,
                 "sequence_parallel": None,
                 "activation_recompute": "none ('we could pre-train Llama 3 on sequences of 8K tokens without activation checkpointing')" if s == 8192 else None,
                 "zero_or_distributed_optimizer": "FSDP sharding optimizer states and gradients; parameters not resharded after forward (ZeRO-2-like)",
                 "precision": "BF16"},
      "measured": {"tflops_per_gpu": x, "tflops_kind": "model FLOPs (MFU per Chowdhery et al.)", "mfu": round(mfu / 100, 4), "hfu": None,
                   "percent_of_peak": None, "iteration_time_s": None, "tokens_per_s": None, "aggregate_pflops": None,
                   "flop_counting": "'BF16 Model FLOPs Utilization (MFU; Chowdhery et al. (2023))'; the per-token FLOP formula and the peak used are not given"},
      "derived": {"note": "computed here, NOT reported by the source; rough: assumes PaLM model FLOPs/token = 6*N + 12*L*d_model*s with N = 405e9",
                  "step_time_s_estimate": r(it, 1), "tokens_per_s_estimate": r(tokens / it, 0)},
      "inferred": inf,
    })

# ------------------------------------------------------------- MegaScale Table 2
MS = [("megatron", 768, [(256, 40.0, 39.3, 88.35, 53.0, 43.3), (512, 21.2, 74.1, 46.86, 49.9, 77.6), (768, 15.2, 103.8, 33.45, 46.7, 111.9), (1024, 11.9, 132.7, 26.17, 44.7, 131.9)]),
      ("megascale", 768, [(256, 32.0, 49.0, 70.86, 65.3, 52.2), (512, 16.5, 95.1, 36.51, 63.5, 101.4), (768, 11.5, 136.7, 25.40, 61.3, 146.9), (1024, 8.9, 176.9, 19.62, 59.0, 188.5)]),
      ("megatron", 6144, [(3072, 29.02, 433.6, 8.01, 48.7, 466.8), (6144, 14.78, 851.6, 4.08, 47.8, 916.3), (8192, 12.24, 1027.9, 3.38, 43.3, 1106.7), (12288, 8.57, 1466.8, 2.37, 41.2, 1579.5)]),
      ("megascale", 6144, [(3072, 23.66, 531.9, 6.53, 59.1, 566.5), (6144, 12.21, 1030.9, 3.37, 57.3, 1098.4), (8192, 9.56, 1315.6, 2.64, 54.9, 1400.6), (12288, 6.34, 1984.0, 1.75, 55.2, 2166.3)])]
for sysname, B, rows in MS:
    for (g, it, ktok, days, mfu, agg) in rows:
        ms = sysname == "megascale"
        Fm = kor_model_F(B, 96, 2048, 12288, 64000)
        runs.append({
          "id": f"megascale2024_t2_{sysname}_175B_{g}gpu",
          "source": src("megascale_2024", "Table 2 (strong scaling, 175B); Table 1 (model configuration); Section 6.1"),
          "model": {"name": "175B GPT-3-size model (MegaScale Table 1)", "parameters_billion": 175, "layers": 96, "hidden": 12288, "heads": 128,
                    "kv_heads": None, "ffn_hidden": None, "vocab": 64000, "seq_len": 2048,
                    "architecture": ("GPT-3-size decoder with MegaScale's algorithmic changes: parallel transformer block, sliding-window attention (window size not given), LAMB optimizer option"
                                     if ms else "GPT-3-size decoder, stock Megatron-LM (commit 285068c8) -- standard serial block, full causal attention")},
          "hardware": {"gpu": "NVIDIA Ampere GPUs (exact SKU not stated in the text read)", "gpus_total": g, "gpus_per_node": None,
                       "interconnect": "8x 200 Gb/s NICs per server, multi-rail to 8 ToR switches; three-layer CLOS of Broadcom Tomahawk 4 (64x400G) switches, 1:1 down/up; NCCL/network tuning on for both systems",
                       "peak_tflops_per_gpu_used_by_source": None},
          "layout": {"tensor": 8, "pipeline": 8, "data": g // 64, "context": 1, "expert": 1,
                     "virtual_stages_per_pipeline_rank": 6, "pipeline_schedule": "interleaved 1F1B, six interleaving stages for 175B (Sec. 6.1)",
                     "micro_batch": None, "global_batch": B, "global_batch_tokens": B * 2048,
                     "sequence_parallel": True if ms else None, "activation_recompute": None,
                     "zero_or_distributed_optimizer": "ZeRO-2 data parallelism (Fig. 1, Sec. 3.2)" if ms else None,
                     "precision": None},
          "measured": {"iteration_time_s": it, "tokens_per_s": round(ktok * 1000), "tokens_per_s_as_printed": f"{ktok}k", "mfu": round(mfu / 100, 4), "hfu": None,
                       "aggregate_pflops": agg, "tflops_per_gpu": None, "percent_of_peak": None,
                       "training_days_for_300B_tokens": days,
                       "flop_counting": "MFU = 'ratio of the observed throughput to the theoretical maximum throughput assuming 100% of peak FLOPs' citing Megatron-LM [Narayanan et al.]; formula and peak not given"},
          "derived": {"note": "computed here, NOT reported by the source",
                      "aggregate_pflops_eq7_v64000": r(Fm / it / 1e15, 1),
                      "implied_peak_tflops_from_agg_and_mfu": r(agg * 1e3 / g / (round(mfu / 100, 4)), 1),
                      "tokens_per_s_from_batch_and_time": r(B * 2048 / it, 0)},
          "inferred": {"data": f"{g} GPUs / (TP 8 x PP 8)",
                       "peak": "aggregate PFLOP/s / GPUs / MFU ~= 312 TFLOP/s in most rows -> A100-class dense 16-bit peak; Korthikanti Eq. 7 with v=64,000 reproduces the aggregate column within ~2%",
                       "heads": "Table 1 prints 128 heads for 175B (GPT-3 itself has 96)",
                       **({"algorithm": "Sec. 6.2: 'we turn on all the algorithmic optimizations in production training'; Table 2 does not list which were on for the benchmark; the same batch size is used for both systems"} if ms else {})},
        })

# ------------------------------------------------------------- BLOOM
B, g, it = 2048, 384, 104.70
Fn = nar_F(B, 70, 2048, 14336, 250880)
runs.append({
  "id": "bloom176b_tr11_iter85376",
  "source": src("bloom_tr11", "train/tr11-176B-ml/README.md 'Important checkpoints' log line (iteration 85376, end of epoch 1, 2022-06-28); 'Replica setup'; 'Throughput'"),
  "model": {"name": "BLOOM 176B", "parameters_billion": 176, "layers": 70, "hidden": 14336, "heads": 112, "kv_heads": None,
            "ffn_hidden": 4 * 14336, "vocab": 250880, "seq_len": 2048,
            "architecture": "GPT-style decoder with ALiBi positions (--position-embedding-type alibi), embedding LayerNorm, GeLU, tied embeddings; tokenizer vocab 250,680 padded to 250,880"},
  "hardware": {"gpu": "NVIDIA A100 80GB", "gpus_total": 384, "gpus_per_node": 8,
               "interconnect": "NVLink within node ('NVLink 4 inter-gpu connects'), 4 Omni-Path links per node; inter-node Omni-Path Architecture, dedicated NCCL subnet (Jean Zay)",
               "peak_tflops_per_gpu_used_by_source": None},
  "layout": {"tensor": 4, "pipeline": 12, "data": 8, "context": 1, "expert": 1, "virtual_stages_per_pipeline_rank": 1,
             "pipeline_schedule": "DeepSpeed pipeline (1F1B); partition 'type:transformer|embedding' (embeddings counted as a layer: 5+embed on first/last stage, 6 blocks elsewhere)",
             "micro_batch": 2, "global_batch": 2048, "global_batch_tokens": 2048 * 2048,
             "sequence_parallel": False, "activation_recompute": "full (--checkpoint-activations)",
             "zero_or_distributed_optimizer": "DeepSpeed BF16_Optimizer implementing ZeRO stage-1-equivalent sharding (ZERO_STAGE=0 in config)",
             "precision": "BF16 (fp32 optimizer states and master weights)"},
  "measured": {"iteration_time_s": 104.70, "samples_per_s": 19.561, "tflops_per_gpu": 149.77,
               "tflops_kind": "hardware TFLOPs (includes activation-recompute forward)", "mfu": None, "hfu": None, "percent_of_peak": None,
               "tokens_per_s": None, "aggregate_pflops": None,
               "flop_counting": "README 'Throughput': hardware TFLOPs using a 4*2 coefficient instead of 3*2 because of activation checkpointing; math/README.md gives the approximation P*4*2*s*GBS/(t*GPUs) and says the exact formula is Narayanan Eq. 3 (Megatron-DeepSpeed PR 251). Eq. 3 with V=250,880 reproduces 149.77 exactly."},
  "derived": {"note": "computed here, NOT reported by the source",
              "tflops_eq3_check": r(Fn / it / g / 1e12, 2),
              "tokens_per_s": r(B * 2048 / it, 0),
              "model_tflops_per_gpu_eq7": r(kor_model_F(B, 70, 2048, 14336, 250880) / it / g / 1e12, 1),
              "mfu_eq7_at_312": r(kor_model_F(B, 70, 2048, 14336, 250880) / it / g / PEAK_A100, 4),
              "hfu_eq3_at_312": r(Fn / it / g / PEAK_A100, 4)},
  "inferred": {"gpus_total": "the log line is from 2022-06-28; the README says training used 48 nodes (384 GPUs) until the switch to 24 nodes on 2022-07-04; Eq. 3 with 384 GPUs reproduces the logged 149.77",
               "sequence_parallel": "not available in Megatron-DeepSpeed at the time"},
})

# ------------------------------------------------------------- OPT-175B
runs.append({
  "id": "opt175b_2022",
  "source": src("opt_2022", "Section 2.4 'Training Efficiency' and Table 1; metaseq chronicles (10% update)"),
  "model": {"name": "OPT-175B", "parameters_billion": 175, "layers": 96, "hidden": 12288, "heads": 96, "kv_heads": None,
            "ffn_hidden": None, "vocab": None, "seq_len": 2048,
            "architecture": "GPT-3-style decoder, ReLU activation, learned positions, GPT-2 byte-level BPE tokenizer"},
  "hardware": {"gpu": "NVIDIA A100 80GB", "gpus_total": 992, "gpus_per_node": None, "interconnect": None,
               "peak_tflops_per_gpu_used_by_source": None},
  "layout": {"tensor": 8, "pipeline": 1, "data": 124, "context": 1, "expert": 1, "virtual_stages_per_pipeline_rank": None,
             "pipeline_schedule": "none", "micro_batch": None, "global_batch": None, "global_batch_tokens": None, "global_batch_tokens_as_printed": "2M (Table 1)",
             "sequence_parallel": None, "activation_recompute": None,
             "zero_or_distributed_optimizer": "Fully Sharded Data Parallel (FSDP) with Megatron-LM tensor parallelism; FP32 Adam state sharded across hosts",
             "precision": "FP16 weights, FP32 Adam state, dynamic loss scaling"},
  "measured": {"tflops_per_gpu": 147, "tflops_qualifier": "'up to 147 TFLOP/s per GPU'", "tflops_kind": "not stated",
               "mfu": None, "hfu": None, "percent_of_peak": None, "iteration_time_s": None, "tokens_per_s": None,
               "aggregate_pflops": None, "flop_counting": "not stated"},
  "derived": {"note": "computed here, NOT reported by the source", "percent_of_312": r(100 * 147 / 312, 1)},
  "inferred": {"tensor": "paper says only 'Megatron-LM Tensor Parallelism'; the metaseq logbook lists '8x Tensor Parallelism' for the 11.xx lineage and says the 12.xx (final) checkpoints are 'sharded along an additional TP dimension'",
               "data": "992 / 8 = 124 FSDP ranks (if TP=8)",
               "pipeline": "no pipeline parallelism is mentioned",
               "ffn_hidden": "4h (49,152) if it follows GPT-3 as the paper says ('largely follow Brown et al.'); not in Table 1"},
})

# ------------------------------------------------------------- MPT (llm-foundry)
MPT_CFG = {"70b": (80, 8192, 64), "30b": (48, 7168, 56), "13b": (40, 5120, 40), "7b": (32, 4096, 32)}
MPT = [  # model, seq, gpus, mfu, hfu, model_tflop, mbs, ga, gbs, S/s, T/s, T/s/gpu, gbs_T, shard, ac, nparams, table
 ("70b", 2048, 512, 41.25, 55.0, 408, 8, 1, 4096, 251, 515636, 1007, 8388608, "FULL_SHARD", True, 64862437376, "H100 80GB BF16 (Large Scale, >= 128 GPUs)"),
 ("70b", 2048, 64, 42.57, 56.76, 421, 8, 4, 2048, 32, 66523, 1039, 4194304, "FULL_SHARD", True, 64862437376, "H100 80GB BF16"),
 ("30b", 2048, 128, 41.85, 55.8, 414, 8, 1, 1024, 137, 281491, 2199, 2097152, "FULL_SHARD", True, 29975214080, "H100 80GB BF16 (Large Scale, >= 128 GPUs)"),
 ("13b", 2048, 64, 39.86, 39.86, 394, 2, 1, 128, 150, 307209, 4800, 262144, "FULL_SHARD", False, 12853954560, "H100 80GB BF16"),
 ("7b", 2048, 8, 46.44, 46.44, 459, 6, 1, 48, 41, 85144, 10643, 98304, "FULL_SHARD", False, 6658859008, "H100 80GB BF16"),
 ("7b", 8192, 8, 37.14, 49.52, 367, 8, 2, 128, 6, 55481, 6935, 1048576, "FULL_SHARD", True, 6684024832, "H100 80GB BF16"),
]
for (m, s, g, mfu, hfu, mt, mbs, ga, gbs, sps, tps, tpsg, gbsT, shard, ac, npar, tab) in MPT:
    L, h, a = MPT_CFG[m]
    runs.append({
      "id": f"mpt_{m}_seq{s}_{g}gpu",
      "source": src("mpt_llmfoundry", f"table '{tab}', row {m} / SeqLen {s} / {g} GPUs"),
      "model": {"name": f"MPT-{m} (benchmark config)", "parameters_billion": r(npar / 1e9, 3), "layers": L, "hidden": h, "heads": a,
                "kv_heads": None, "ffn_hidden": 4 * h, "vocab": 50368, "seq_len": s,
                "architecture": "MPT decoder (mpt_causal_lm): MHA, expansion_ratio 4, FlashAttention (attn_impl: flash), low_precision_layernorm set by the benchmark script"},
      "hardware": {"gpu": "NVIDIA H100 80GB (h100_80gb, MosaicML platform)", "gpus_total": g, "gpus_per_node": None, "interconnect": None,
                   "peak_tflops_per_gpu_used_by_source": "composer GPU_AVAILABLE_FLOPS['h100-sxm']['amp_bf16'] (value not printed; Model TFLOP / MFU ~= 989)"},
      "layout": {"tensor": 1, "pipeline": 1, "data": g, "context": 1, "expert": 1, "virtual_stages_per_pipeline_rank": None,
                 "pipeline_schedule": "none", "micro_batch": mbs, "gradient_accumulation": ga, "global_batch": gbs, "global_batch_tokens": gbsT,
                 "sequence_parallel": False, "activation_recompute": "full (FSDP activation_checkpointing=True)" if ac else "none",
                 "zero_or_distributed_optimizer": f"PyTorch FSDP {shard} ({'ZeRO-3-like' if shard == 'FULL_SHARD' else 'ZeRO-2-like'}); activation CPU offload False",
                 "precision": "amp_bf16 (FSDP mixed_precision DEFAULT)"},
      "measured": {"mfu": round(mfu / 100, 4), "hfu": round(hfu / 100, 4), "tflops_per_gpu": mt, "tflops_kind": "model FLOPs ('Model TFLOP' column)",
                   "samples_per_s": sps, "tokens_per_s": tps, "tokens_per_s_per_gpu": tpsg, "iteration_time_s": None,
                   "percent_of_peak": None, "aggregate_pflops": None,
                   "flop_counting": "collect_results.py: flops_per_token = 2*n_params (all params incl. embeddings); attn_flops_per_seq = n_layers*2*2*d_model*seq_len^2 (full, non-causal attention); MFU = (3*flops_per_seq + 3*attn_flops_per_seq)*samples_per_s/(GPUs*peak); HFU uses 4 instead of 3 when activation checkpointing is on, else HFU = MFU. Excludes norm/activation/residual FLOPs and FlashAttention's internal recompute."},
      "derived": {"note": "computed here, NOT reported by the source", "iteration_time_s": r(gbsT / tps, 3),
                  "implied_peak_tflops": r(mt / (round(mfu / 100, 4)), 0)},
      "inferred": {"layout": "pure FSDP data parallelism: no tensor/pipeline parallelism in llm-foundry benchmarks",
                   "positions": "NumParams grows with SeqLen by d_model x delta(seq) in the tables -> learned absolute position embeddings of size max_seq_len (no ALiBi in these configs)",
                   "model_config": "read from scripts/train/yamls/pretrain/mpt-<size>.yaml at the README commit; the table's NumParams equals 12*L*d^2 + 13*L*d + (V + seq)*d + 2*d exactly (checked for 7b/2048: 6,658,859,008), i.e. linear and LayerNorm biases present, tied input/output embedding, learned positions"},
    })

doc = {
  "schema_version": 1,
  "description": "Published LLM training-throughput measurements with their stated parallel layouts, transcribed for validating capplan's training-time model (step time, MFU, throughput). Every value under model/hardware/layout/measured is as printed by the source, or null when the source does not state it; anything reasoned out is listed under 'inferred' with the reasoning; everything under 'derived' is arithmetic done here from the transcribed values (formula named) and is NOT a published number.",
  "conventions": {
    "global_batch": "sequences per optimizer step", "global_batch_tokens": "global_batch * seq_len unless the source prints tokens",
    "mfu/hfu": "fractions (0.563 = 56.3%)", "percent_of_peak": "percent as printed",
    "tflops_per_gpu": "achieved TFLOP/s per GPU as printed; see tflops_kind and flop_counting for what FLOPs were counted",
    "virtual_stages_per_pipeline_rank": "model chunks per pipeline rank in an interleaved schedule (Megatron --virtual-pipeline-model-parallel-size); Korthikanti and MegaScale call it 'interleaving stages'",
    "data": "data-parallel degree; where not printed it is GPUs/(TP*PP*CP) and recorded under 'inferred'"},
  "sources": SRC,
  "runs": runs,
}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "training_runs.json")
text = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
if "--check" in sys.argv:
    with open(out, encoding="utf-8") as f:
        same = f.read() == text
    print(f"{out}: {'up to date' if same else 'DIFFERS from the transcription'} ({len(runs)} runs)")
    sys.exit(0 if same else 1)
with open(out, "w", encoding="utf-8") as f:
    f.write(text)
print(f"wrote {out} ({len(runs)} runs)")
