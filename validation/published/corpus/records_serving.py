"""Serving figures: the transcription (same conventions as records_training.py).

Quotes are verbatim except that runs of whitespace are collapsed to one space. In the TensorRT-LLM
tables an empty leading cell repeats the value above it (model, GPU, TP, lengths); `location` names
the block each row belongs to.
"""
from __future__ import annotations

from corpus_schema import figure
from records_serving_nim import NIM
from records_training import model

TRT = "NVIDIA/TensorRT-LLM@258c7540c03517def55d9a5aadfa9288af474e1b"
TRT_PATH = "docs/source/performance/perf-overview.md"
TRT_SRC = {"ref": f"{TRT}:{TRT_PATH}",
           "url": f"https://github.com/NVIDIA/TensorRT-LLM/blob/{TRT.split('@')[1]}/{TRT_PATH}"}
GPUS = {  # column header in the source -> (catalog gpu, class)
    "H200 141GB HBM3": ("h200", "h200"), "H200 131GB HBM3": ("h200", "h200"),
    "H100 80GB HBM3": ("h100_sxm", "h100"), "A100-SXM4-80GB": ("a100_80gb", "a100"),
    "H200-SXM-141GB": ("h200", "h200"), "H100-80GB-SXM": ("h100_sxm", "h100"),
    "A100-80GB-SXM": ("a100_80gb", "a100"), "H800": (None, "h800"),
}
MODELS = {
    "LLaMA v3.1 8B": model("Llama 3.1 8B", catalog="llama3_1_8b"),
    "LLaMA v3.1 70B": model("Llama 3.1 70B", catalog="llama3_1_70b"),
    "LLaMA v3.1 405B": model("Llama 3.1 405B", catalog="llama3_1_405b"),
    "Mistral 7B": model("Mistral 7B", catalog="mistral_7b"),
    "Mixtral 8x7B": model("Mixtral 8x7B", catalog="mixtral_8x7b", moe=True),
    "Mixtral 8x22B": model("Mixtral 8x22B", moe=True),
}


def hardware(gpu, gpus, gpus_per_node=8):
    catalog_gpu, gpu_class = GPUS[gpu]
    return {"gpu": gpu, "catalog_gpu": catalog_gpu, "gpu_class": gpu_class, "gpus": gpus,
            "gpus_per_node": gpus_per_node, "interconnect": None}


def settings(**kw):
    base = {"engine": None, "engine_version": None, "precision": None, "kv_cache_precision": None,
            "tensor": None, "pipeline": 1, "replicas": 1, "input_tokens": None, "output_tokens": None,
            "dataset": None, "num_requests": None, "concurrency": None, "request_rate": None,
            "max_batch_size": None, "max_num_tokens": None, "latency_constraints": None}
    base.update(kw)
    return base


# ------------------------------------------------ TensorRT-LLM v0.17 offline max-throughput table
TRT_OFFLINE_HEADER = "All data in the table below was generated using version 0.17 and presents token throughput in tokens/second."
NUM_REQUESTS = {(128, 128): 30000, (128, 2048): 3000, (1000, 1000): 3000, (500, 2000): 3000,
                (2048, 2048): 1500, (5000, 500): 1500, (2048, 128): 3000, (20000, 2000): 1000}


def trt_offline(mdl, gpu, tp, isl, osl, printed, row):
    fp16 = gpu == "A100-SXM4-80GB"
    return {
        "id": f"trtllm017_{MODELS[mdl]['name'].lower().replace(' ', '_').replace('.', '_')}_{GPUS[gpu][1]}_tp{tp}_{isl}in_{osl}out",
        "kind": "serving", "family": "trtllm_perf_overview_offline",
        "model": MODELS[mdl], "hardware": hardware(gpu, tp),
        "settings": settings(engine="TensorRT-LLM (trtllm-bench throughput)", engine_version="0.17",
                             precision="FP16" if fp16 else "FP8", kv_cache_precision="FP16" if fp16 else "FP8",
                             tensor=tp, input_tokens=isl, output_tokens=osl,
                             dataset="synthetic, fixed lengths (prepare_dataset.py token-norm-dist, stdev 0)",
                             num_requests=NUM_REQUESTS[(isl, osl)], request_rate="infinite (all requests queued at once)"),
        "measured": [figure("token_throughput", printed, "tokens/s")],
        "source": {**TRT_SRC, "location": f"'Throughput Measurements' table, {mdl}, TP {tp}, ISL/OSL {isl}/{osl}, column {gpu}"},
        "quote": [TRT_OFFLINE_HEADER, row],
        "notes": ["Offline maximum-throughput scenario; 'token throughput' as printed by trtllm-bench ('Token Throughput (tokens/sec)'), which the document does not split into input and output tokens - compare it with output tokens/s * (ISL+OSL)/OSL only after checking trtllm-bench's definition.",
                  "max_batch_size and max_num_tokens were chosen by trtllm-bench build heuristics from the dataset (not printed); KV cache fraction 0.95 'in majority of cases', else 0.90.",
                  "FP8 means FP8 weights and FP8 KV cache ('If you specify FP8 quantization, the KV cache will automatically be set to FP8 as well'); A100 rows are FP16.",
                  *(["MoE model."] if MODELS[mdl]["moe"] else [])],
    }


TRT_OFFLINE = [
    trt_offline("LLaMA v3.1 8B", "H200 141GB HBM3", 1, 128, 128, "29526.04", "| LLaMA v3.1 8B | 1 | 128, 128 | 29526.04 | 28836.77 | 29852.96 | 9104.61 | 6627.27 |"),
    trt_offline("LLaMA v3.1 8B", "H100 80GB HBM3", 1, 128, 2048, "21109.38", "| | | 128, 2048 | 25398.86 | 21109.38 | 21769.55 | 5365.81 | 5255.99 |"),
    trt_offline("LLaMA v3.1 8B", "A100-SXM4-80GB", 1, 1000, 1000, "3786.83", "| | | 1000, 1000 | 17537.96 | 15244.78 | 16482.77 | 4054.71 | 3786.83 |"),
    trt_offline("LLaMA v3.1 70B", "H200 141GB HBM3", 1, 500, 2000, "3018.39", "| | | 500, 2000 | 3018.39 | 775.57 | 1973.86 | | |"),
    trt_offline("LLaMA v3.1 70B", "H100 80GB HBM3", 2, 2048, 2048, "2898.16", "| | | 2048, 2048 | 4183.88 | 2898.16 | | | 261.1 |"),
    trt_offline("LLaMA v3.1 70B", "A100-SXM4-80GB", 4, 128, 128, "2733.48", "| | 4 | 128, 128 | 11098.63 | 11127.53 | | 1523.52 | 2733.48 |"),
    trt_offline("LLaMA v3.1 70B", "H100 80GB HBM3", 8, 5000, 500, "2457.42", "| | | 5000, 500 | 2717.83 | 2457.42 | | 259.71 | 696.34 |"),
    trt_offline("LLaMA v3.1 405B", "H200 141GB HBM3", 8, 128, 2048, "5938.09", "| | | 128, 2048 | 5938.09 | | | | |"),
    trt_offline("Mistral 7B", "H100 80GB HBM3", 1, 20000, 2000, "1373.24", "| | | 20000, 2000 | 1822.69 | 1373.24 | 1601.28 | 337.83 | 332.3 |"),
    trt_offline("Mixtral 8x7B", "H200 141GB HBM3", 1, 128, 128, "17157.72", "| Mixtral 8x7B | 1 | 128, 128 | 17157.72 | 15962.49 | 16859.18 | | |"),
    trt_offline("Mixtral 8x7B", "H100 80GB HBM3", 2, 2048, 128, "3333.68", "| | | 2048, 128 | 3383.16 | 3333.68 | | | 649 |"),
    trt_offline("Mixtral 8x7B", "A100-SXM4-80GB", 4, 1000, 1000, "7122.84", "| | | 1000, 1000 | 33580.9 | 27784.74 | | 5251.49 | 7122.84 |"),
    trt_offline("Mixtral 8x22B", "H100 80GB HBM3", 8, 1000, 1000, "16573.24", "| | | 1000, 1000 | 19712.35 | 16573.24 | | | 4549.46 |"),
]


# ------------------------------------------ TensorRT-LLM v0.14 online serving (Triton backend)
TRT_ONLINE_HEADER = "All data in the table below was generated using version 0.14.0, with 500 requests and BF16 precision."


def trt_online(mdl, gpu, tp, isl, osl, qps, row, tput, ttft, itl, total, out):
    qps_value = None if qps == "INF" else float(qps)
    return {
        "id": f"trtllm014_online_{MODELS[mdl]['name'].lower().replace(' ', '_').replace('.', '_')}_{GPUS[gpu][1]}_tp{tp}_{isl}in_{osl}out_qps{qps.lower()}",
        "kind": "serving", "family": "trtllm_perf_overview_online",
        "model": MODELS[mdl], "hardware": hardware(gpu, tp),
        "settings": settings(engine="TensorRT-LLM via Triton tensorrtllm_backend", engine_version="0.14.0",
                             precision="BF16", tensor=tp, input_tokens=isl, output_tokens=osl,
                             num_requests=500, request_rate="infinite" if qps_value is None else qps_value),
        "measured": [figure("requests_per_s", tput, "requests/s"),
                     figure("mean_ttft", ttft, "ms"),
                     figure("mean_itl", itl, "ms"),
                     figure("total_tokens_per_s", total, "tokens/s"),
                     figure("output_tokens_per_s", out, "tokens/s")],
        "source": {**TRT_SRC, "location": f"'Online Serving Measurements' table, {mdl}, {gpu}, TP {tp}, ISL/OSL {isl}/{osl}, QPS {qps}"},
        "quote": [TRT_ONLINE_HEADER, row],
        "notes": ["Request-rate sweep: QPS is the offered load (arrival process not stated), Tput(req/s) the completed rate; TTFT and ITL are means. Batch limits and KV-cache fraction of this run are not stated.",
                  "The H200 block's header reads '131GB' (sic) in the source; treated as the 141 GB H200.",
                  "KV cache precision not stated (BF16 run)."],
    }


# The whole 'Online Serving Measurements' table (72 rows; verbatim, one row per line). A blank leading cell
# repeats the value above it; the table's model names map onto MODELS' keys.
TRT_ONLINE_TABLE = """
|LLaMA 3.1 70B|H100 80GB HBM3|4|467|256|2|2|62|21|1406|498||
||||||4|4|68|24|2750|973|
||||||8|7|92|32|5256|1860|
||||||16|12|175|66|8941|3164|
||||||32|16|1229|86|11537|4083|
||||||INF|16|9123|85|11593|4103|
||||467|16|2|2|53|18|844|28|
||||||4|4|58|20|1908|63|
||||||8|8|71|24|3795|126|
||||||16|16|109|38|7492|248|
||||||32|28|1197|482|13655|452|
||||||INF|28|9126|548|13719|454|
||||202|214|2|2|48|20|780|401|
||||||4|4|51|22|1499|771|
||||||8|7|57|25|2702|1390|
||||||16|11|74|32|4364|2245|
||||||32|14|116|42|5837|3003|
||||||INF|16|4482|50|6725|3459|
|LLaMA 3.1 8B||1|467|256|2|2|23|8|1423|504|
||||||4|4|24|9|2624|929|
||||||8|8|26|9|5535|1959|
||||||16|15|30|11|10636|3765|
||||||32|26|50|19|19138|6774|
||||||INF|37|3335|39|26614|9420|
||||467|16|2|2|19|7|956|32|
||||||4|4|20|7|1910|63|
||||||8|8|22|7|3808|126|
||||||16|16|24|8|7567|251|
||||||32|31|29|10|14894|493|
||||||INF|79|3280|193|38319|1269|
||||202|214|2|2|19|7|809|416|
||||||4|4|20|8|1586|816|
||||||8|7|21|9|3047|1568|
||||||16|13|23|10|5597|2879|
||||||32|23|27|11|9381|4825|
||||||INF|39|1657|21|16117|8291|
|LLaMA 3.1 70B|H200 131GB HBM3|4|467|256|2|2|58|18|1411|499|
||||||4|4|63|20|2770|980|
||||||8|7|84|27|5328|1886|
||||||16|13|165|60|9224|3264|
||||||32|16|1279|83|11800|4176|
||||||INF|16|9222|83|11826|4185|
||||467|16|2|2|50|15|956|32|
||||||4|4|55|16|1909|63|
||||||8|8|67|20|3799|126|
||||||16|16|103|33|7499|248|
||||||32|28|1259|485|13586|450|
||||||INF|29|9074|546|13792|457|
||||202|214|2|2|43|17|793|408|
||||||4|4|46|18|1524|784|
||||||8|7|51|21|2796|1438|
||||||16|11|67|28|4639|2386|
||||||32|15|112|39|6288|3235|
||||||INF|17|4480|48|7230|3719|
|LLaMA 3.1 8B|H200 131GB HBM3|1|467|256|2|2|21|6|1425|504|
||||||4|4|23|7|2828|1001|
||||||8|8|24|7|5567|1971|
||||||16|15|27|9|10761|3809|
||||||32|27|44|16|19848|7025|
||||||INF|40|3237|36|28596|10121|
||||467|16|2|2|18|5|956|32|
||||||4|4|19|6|1910|63|
||||||8|8|20|6|3810|126|
||||||16|16|22|7|7567|250|
||||||32|31|27|9|14927|494|
||||||INF|81|3227|190|39007|1291|
||||202|214|2|2|17|6|812|418|
||||||4|4|18|6|1597|822|
||||||8|7|19|7|3088|1589|
||||||16|14|20|8|5771|2969|
||||||32|24|24|9|9931|5109|
||||||INF|43|1665|19|17861|9189|
"""
TRT_ONLINE_MODELS = {"LLaMA 3.1 70B": "LLaMA v3.1 70B", "LLaMA 3.1 8B": "LLaMA v3.1 8B"}


def trt_online_rows() -> list[dict]:
    """Every row of the online table, its blank leading cells filled from the rows above."""
    out, held = [], ["", "", "", "", ""]
    for row in TRT_ONLINE_TABLE.strip().splitlines():
        cells = row.split("|")[1:12]
        held = [c or h for c, h in zip(cells[:5], held)]
        mdl, gpu, tp, isl, osl = held
        qps, tput, ttft, itl, total, out_tok = cells[5:11]
        out.append(trt_online(TRT_ONLINE_MODELS[mdl], gpu, int(tp), int(isl), int(osl), qps,
                              row, tput, ttft, itl, total, out_tok))
    return out


TRT_ONLINE = trt_online_rows()


# --------------------------------------------- MLPerf Inference v4.1, Llama 2 70B, 8x H200 (NVIDIA)
MLPERF = "mlcommons/inference_results_v4.1@a2f5d66d17e8f75c02fd74dfe810ecca6a046696"
MLPERF_DIR = "closed/NVIDIA/results/H200-SXM-141GBx8_TRT/llama2-70b-99"


def mlperf(scenario, measured, quotes, batch, extra_notes):
    path = f"{MLPERF_DIR}/{scenario}/performance/run_1/mlperf_log_summary.txt"
    return {
        "id": f"mlperf_inf_v4_1_llama2_70b_h200x8_{scenario.lower()}", "kind": "serving",
        "family": "mlperf_inference",
        "model": model("Llama 2 70B", catalog="llama2_70b"),
        "hardware": {**hardware("H200-SXM-141GB", 8), "interconnect": "18x 4th Gen NVLink, 900GB/s"},
        "settings": settings(engine="NVIDIA MLPerf harness (TensorRT 10.2.0 + TensorRT-LLM; version of the latter not stated)",
                             engine_version="MLPerf Inference v4.1, closed division", precision="FP8 (use_fp8 = True)",
                             tensor=1, replicas=8, max_batch_size=batch,
                             dataset="MLPerf llama2-70b (input/output length distribution not transcribed)",
                             latency_constraints={"ttft_ms": 2000, "tpot_ms": 200},
                             request_rate="server scenario, target_qps 101 (scheduled 101.25 samples/s)" if scenario == "Server" else "offline scenario (samples_per_query 274560)"),
        "measured": measured,
        "source": {"ref": f"{MLPERF}:{path}", "url": f"https://github.com/mlcommons/inference_results_v4.1/blob/{MLPERF.split('@')[1]}/{path}",
                   "location": "MLPerf Results Summary", "settings_ref": f"{MLPERF}:closed/NVIDIA/configs/llama2-70b/{scenario}/__init__.py (class H200_SXM_141GBx8 inherits H200_SXM_141GBx1: tensor_parallelism = 1, use_fp8 = True); system from closed/NVIDIA/systems/H200-SXM-141GBx8_TRT.json"},
        "quote": quotes,
        "notes": ["TP=1 with 8 independent replicas is inferred from the config class inheritance (H200_SXM_141GBx8 sets only system and target QPS). MLPerf 'samples' are requests.",
                  "Latency limits are the benchmark's: ttft_latency (ns): 2000000000, tpot_latency (ns): 200000000 (from the same summary).",
                  *extra_notes],
    }


MLPERF_ROWS = [
    mlperf("Server",
           [figure("tokens_per_s", "29228.22", "tokens/s"), figure("requests_per_s", "100.35", "requests/s"),
            figure("mean_ttft", "198269106", "ms", "ns"), figure("p99_ttft", "452744202", "ms", "ns"),
            figure("mean_tpot", "123263268", "ms", "ns")],
           ["Completed samples per second : 100.35 Completed tokens per second: 29228.22",
            "Mean First Token latency (ns) : 198269106",
            "99.00 percentile first token latency (ns) : 452744202",
            "Mean Time to Output Token (ns) : 123263268"],
           896, ["gpu_batch_size 896 per replica (Server config). The log's target_qps 101 differs from the config class's server_target_qps 102.5; the measurements/.../user.conf that may override it was not read."]),
    mlperf("Offline",
           [figure("tokens_per_s", "31302.7", "tokens/s"), figure("requests_per_s", "107.477", "requests/s")],
           ["Samples per second: 107.477 Tokens per second: 31302.7"],
           806, ["gpu_batch_size 806 per replica (Offline config). The summary does not say whether 'Tokens per second' counts generated tokens only."]),
]


# --------------------------------------------------- Lambda Labs vLLM 0.5.4 benchmark (ShareGPT)
LAMBDA = "LambdaLabsML/vllm-benchmark@0e8fc5d0f9865a326666cb82aeb2d8dc74c82c5e"
LAMBDA_PATH = "benchmark_v0.md"
LAMBDA_INTRO = "with `--num-prompts` fixed at 320 to ensure a large batch size and fully utilize the compute"


def lambda_vllm(name, mdl, precision, gpu, n, printed_tput, printed_lat, row):
    return {
        "id": f"lambda_vllm054_{name}_{GPUS[gpu][1]}x{n}", "kind": "serving", "family": "lambda_vllm",
        "model": mdl, "hardware": hardware(gpu, n),
        "settings": settings(engine="vLLM (benchmarks/benchmark_serving.py)", engine_version="0.5.4 (vllm/vllm-openai:v0.5.4)",
                             precision=precision, tensor=n, dataset="ShareGPT_V3_unfiltered_cleaned_split (variable lengths)",
                             num_requests=320, request_rate="not stated"),
        "measured": [figure("output_tokens_per_s", printed_tput, "tokens/s"),
                     figure("inter_token_latency", printed_lat, "ms")],
        "source": {"ref": f"{LAMBDA}:{LAMBDA_PATH}", "url": f"https://github.com/LambdaLabsML/vllm-benchmark/blob/{LAMBDA.split('@')[1]}/{LAMBDA_PATH}",
                   "location": f"section 'Tensor Parallel v.s. Data Parallel', table 'throughput/latency', row {n}x{gpu}"},
        "quote": [LAMBDA_INTRO, row],
        "notes": ["Cells are 'throughput/latency'. The report's metrics are 'Output token throughput' and 'Inter-token Latency'; the latency unit (ms) and statistic (mean or median) are not printed in the table - ms inferred from magnitudes, statistic unknown.",
                  "TP = GPU count is inferred from the text ('the throughputs of tensor parallelism still scale far from linearly'). Dataset from the repository README (wget of ShareGPT_V3_unfiltered_cleaned_split.json); input/output lengths vary per request and are not summarised.",
                  *(["MoE model."] if mdl["moe"] else [])],
    }


L_ROW_1H = "| 1xH100-80GB-SXM | 3400.4/19.75 | 418.92/35.84 | N/A | 3281.19/27.23 | N/A | N/A | 2414.81/31.16 | N/A |"
L_ROW_1A = "| 1xA100-80GB-SXM | 1517.54/42.85 | 208.79/58.26 | N/A | 1591.4/56.51 | N/A | N/A | 1277.85/61.48 | N/A |"
L_ROW_2H = "| 2xH100-80GB-SXM | 3688.64/18.83 | 1727.69/49.33 | N/A | 3758.54/24.26 | 1430.42/38.08 | N/A | 3064.06/24.44 | N/A |"
L_ROW_8H = "| 8xH100-80GB-SXM | 3931.83/17.61 | 2572.8/33.71 | 1230.74/73.54 | 4397.11/21.56 | 2073.9/25.88 | 1558.66/39.25 | 3686.29/22.85 | 1734.19/46.23 |"
LAMBDA_ROWS = [
    lambda_vllm("llama3_1_8b_fp8", model("Meta-Llama-3.1-8B-FP8", catalog="llama3_1_8b"), "FP8 weights (checkpoint name)", "H100-80GB-SXM", 1, "3400.4", "19.75", L_ROW_1H),
    lambda_vllm("llama3_1_8b_fp8", model("Meta-Llama-3.1-8B-FP8", catalog="llama3_1_8b"), "FP8 weights (checkpoint name)", "A100-80GB-SXM", 1, "1517.54", "42.85", L_ROW_1A),
    lambda_vllm("llama3_1_70b_fp8", model("Meta-Llama-3.1-70B-Instruct-FP8", catalog="llama3_1_70b_instruct"), "FP8 weights (checkpoint name)", "H100-80GB-SXM", 2, "1727.69", "49.33", L_ROW_2H),
    lambda_vllm("mixtral_8x7b", model("Mixtral-8x7B-Instruct-v0.1", catalog="mixtral_8x7b", moe=True), None, "H100-80GB-SXM", 2, "1430.42", "38.08", L_ROW_2H),
    lambda_vllm("hermes3_llama3_1_405b_fp8", model("Hermes-3-Llama-3.1-405B-FP8 (Llama 3.1 405B fine-tune)", catalog="llama3_1_405b"), "FP8 weights (checkpoint name)", "H100-80GB-SXM", 8, "1230.74", "73.54", L_ROW_8H),
]


# ------------------------------------------------------- DeepSeek-V2 report: deployment throughput
DSV2_SERVING = {
    "id": "deepseek_v2_generation_h800x8", "kind": "serving", "family": "deepseek_reports",
    "model": model("DeepSeek-V2 236B", moe=True, parameters_billion=236, active_parameters_billion=21),
    "hardware": hardware("H800", 8),
    "settings": settings(engine="DeepSeek in-house deployment (not named)", precision="FP8 weights",
                         kv_cache_precision="quantized, about 6 bits per element on average",
                         dataset="prompt and generation length distribution of the deployed DeepSeek 67B service"),
    "measured": [figure("output_tokens_per_s", "50K", "tokens/s", bound="lower"),
                 figure("prompt_tokens_per_s", "100K", "tokens/s", bound="lower")],
    "source": {"ref": "DeepSeek-AI, DeepSeek-V2 Technical Report, arXiv:2405.04434", "url": "https://arxiv.org/abs/2405.04434",
               "read_at": "full-text conversion in the search tool's GitHub-file index, file id 53994610483 (repository not named)",
               "location": "Section 3.2.3, 'Inference Efficiency'"},
    "quote": ["On a single node with 8 H800 GPUs, DeepSeek-V2 achieves a generation throughput exceeding 50K tokens per second, which is 5.76 times the maximum generation throughput of DeepSeek 67B.",
              "In addition, the prompt input throughput of DeepSeek-V2 exceeds 100K tokens per second."],
    "notes": ["Both figures are lower bounds ('exceeding'); parallel layout, batch size, latency and the length distribution itself are not given. MoE (236B total, 21B active).",
              "H800 is not in the capplan catalog."],
}

SERVING = [*TRT_OFFLINE, *TRT_ONLINE, *MLPERF_ROWS, *LAMBDA_ROWS, DSV2_SERVING, *NIM]
