"""Serving figures from NVIDIA NIM for LLMs 1.8.0's benchmarking page: a second serving campaign.

The page (docs.nvidia.com/nim/benchmarking/llm, "Performance") prints, per model and GPU, tables of
TTFT, ITL and throughput at client concurrencies 1 to 250 for fixed input/output lengths. The stored
copy of the page shows only part of it (the search tool's excerpt of the HTML and Markdown pages); the
rows here are transcribed from a third-party CSV copy of the page (zivbeker42/llm-guesstimator,
tested_benchmarks/, whose README names the page), and every row the stored copy also shows matches it
digit for digit: the 8B table's 200/200 block (all eight concurrencies, setup labels not visible in the
copy) and the 70B table's 5000/500 block (all eight rows, with its "2 x H100 80G / fp8 TP2" heading) and
the first two rows of its 500/2000 block. Quotes are the CSV's lines, verbatim.
"""
from __future__ import annotations

from corpus_schema import figure
from records_training import model

NIM_PAGE = "https://docs.nvidia.com/nim/benchmarking/llm/latest/performance.html"
NIM_COPY = "zivbeker42/llm-guesstimator"
NIM_TABLES = {  # family -> (model, transcription commit, path, the CSV's header line)
    "nim_llama3_1_8b": (model("Llama 3.1 8B Instruct", catalog="llama3_1_8b_instruct"),
                        "9fa7c3b7aa790c7530c1eec64f37bf2a03d7a865",
                        "tested_benchmarks/nim_llama3.1_8b_v1.8.0_1xH100_80GB.csv",
                        "version,hardware,hardware_count,data_type,input_tokens,output_tokens,concurrency,TTFT_ms,"
                        "ITL_ms,Throughput_tokens_per_s"),
    "nim_llama3_3_70b": (model("Llama 3.3 70B Instruct (the Llama 3.1 70B architecture)",
                               catalog="llama3_1_70b_instruct"),
                         "cf11e664a85abf1f5cb811e7c7798581aadb1290",
                         "tested_benchmarks/nim_llama33_70b_v1.8.0_2xH100_fp8TP2.csv",
                         "version,hardware,hardware count,data_type,input_tokens,output_tokens,concurrency,TTFT_ms,"
                         "ITL_ms,Throughput_tokens_per_s"),
}

# The CSV copies' rows, verbatim
NIM_ROWS = {
    "nim_llama3_1_8b": """
1.8.0,H100_80G,1,fp8 TP1,200,200,1,10.26,4.63,214.56
1.8.0,H100_80G,1,fp8 TP1,200,200,5,16.81,4.58,1076.88
1.8.0,H100_80G,1,fp8 TP1,200,200,25,36.34,5.19,4678.88
1.8.0,H100_80G,1,fp8 TP1,200,200,50,67.41,5.91,8018.23
1.8.0,H100_80G,1,fp8 TP1,200,200,100,119.97,7.57,12214.97
1.8.0,H100_80G,1,fp8 TP1,200,200,150,346.53,9.81,12988.89
1.8.0,H100_80G,1,fp8 TP1,200,200,200,465.18,12.65,13348.4
1.8.0,H100_80G,1,fp8 TP1,200,200,250,605.6,16.14,12964.72
1.8.0,H100_80G,1,fp8 TP1,500,2000,1,13.84,4.56,218.86
1.8.0,H100_80G,1,fp8 TP1,500,2000,5,30.88,4.81,1035.85
1.8.0,H100_80G,1,fp8 TP1,500,2000,25,97.07,5.82,4263.49
1.8.0,H100_80G,1,fp8 TP1,500,2000,50,135.26,7.06,7009.01
1.8.0,H100_80G,1,fp8 TP1,500,2000,100,239.92,9.51,10379.22
1.8.0,H100_80G,1,fp8 TP1,500,2000,150,376.95,13.34,11053.75
1.8.0,H100_80G,1,fp8 TP1,500,2000,200,1664.34,14.96,12549.74
1.8.0,H100_80G,1,fp8 TP1,500,2000,250,6550.46,16.97,12268.82
1.8.0,H100_80G,1,fp8 TP1,1000,1000,1,19.03,4.53,220.1
1.8.0,H100_80G,1,fp8 TP1,1000,1000,5,55.87,4.8,1031.3
1.8.0,H100_80G,1,fp8 TP1,1000,1000,25,268.42,5.84,4098.01
1.8.0,H100_80G,1,fp8 TP1,1000,1000,50,414.87,7.26,6514.66
1.8.0,H100_80G,1,fp8 TP1,1000,1000,100,615.16,10.04,9392.43
1.8.0,H100_80G,1,fp8 TP1,1000,1000,150,885.53,14.14,9982.74
1.8.0,H100_80G,1,fp8 TP1,1000,1000,200,1258.79,16.02,11553.34
1.8.0,H100_80G,1,fp8 TP1,1000,1000,250,1885.04,19.68,11527.61
1.8.0,H100_80G,1,fp8 TP1,5000,500,1,77.45,4.62,209.96
1.8.0,H100_80G,1,fp8 TP1,5000,500,5,279.92,5.42,838.03
1.8.0,H100_80G,1,fp8 TP1,5000,500,25,724.14,9.67,2251.44
1.8.0,H100_80G,1,fp8 TP1,5000,500,50,817.73,16.47,2765.71
1.8.0,H100_80G,1,fp8 TP1,5000,500,100,915.15,29.67,3180.16
1.8.0,H100_80G,1,fp8 TP1,5000,500,150,1080,43.35,3301.68
1.8.0,H100_80G,1,fp8 TP1,5000,500,200,4361.35,50.41,3378.48
1.8.0,H100_80G,1,fp8 TP1,5000,500,250,11717.42,50.53,3372
1.8.0,H100_80G,1,fp8 TP1,20000,2000,1,403.2,5.06,189.96
1.8.0,H100_80G,1,fp8 TP1,20000,2000,5,1141.22,7.39,627.76
1.8.0,H100_80G,1,fp8 TP1,20000,2000,25,2371.46,19.35,1217.04
1.8.0,H100_80G,1,fp8 TP1,20000,2000,50,11071.41,30.73,1330.57
1.8.0,H100_80G,1,fp8 TP1,20000,2000,100,78187.07,31.08,1336.09
1.8.0,H100_80G,1,fp8 TP1,20000,2000,150,145290.54,31.31,1337
1.8.0,H100_80G,1,fp8 TP1,20000,2000,200,211735.71,31.46,1338.24
1.8.0,H100_80G,1,fp8 TP1,20000,2000,250,278580.85,31.62,1337.66
""",
    "nim_llama3_3_70b": """
1.8.0,H100_80G,2,fp8 TP2,5000,500,1,406.77,18.58,51.67
1.8.0,H100_80G,2,fp8 TP2,5000,500,5,546.7,21.83,218.48
1.8.0,H100_80G,2,fp8 TP2,5000,500,25,688.69,38.75,623.4
1.8.0,H100_80G,2,fp8 TP2,5000,500,50,834.51,59.73,814.37
1.8.0,H100_80G,2,fp8 TP2,5000,500,100,7996.25,92.91,917.26
1.8.0,H100_80G,2,fp8 TP2,5000,500,150,34794.22,92.86,920.9
1.8.0,H100_80G,2,fp8 TP2,5000,500,200,61680.22,93.06,920.54
1.8.0,H100_80G,2,fp8 TP2,5000,500,250,88605.32,93.2,920.12
1.8.0,H100_80G,2,fp8 TP2,500,2000,1,47.77,18.91,52.85
1.8.0,H100_80G,2,fp8 TP2,500,2000,5,126.53,19.04,261.83
1.8.0,H100_80G,2,fp8 TP2,500,2000,25,147.63,21.69,1149.05
1.8.0,H100_80G,2,fp8 TP2,500,2000,50,181.64,23.97,2078.43
1.8.0,H100_80G,2,fp8 TP2,500,2000,100,229.77,29.98,3322.87
1.8.0,H100_80G,2,fp8 TP2,500,2000,150,296.74,37.85,3948.26
1.8.0,H100_80G,2,fp8 TP2,500,2000,200,4867.89,40.72,4624.14
1.8.0,H100_80G,2,fp8 TP2,200,200,1,31.22,18.8,53
1.8.0,H100_80G,2,fp8 TP2,200,200,5,88.7,18.83,260.67
1.8.0,H100_80G,2,fp8 TP2,200,200,25,138.98,20.61,1178.68
1.8.0,H100_80G,2,fp8 TP2,200,200,50,156.28,23.33,2081.24
1.8.0,H100_80G,2,fp8 TP2,200,200,100,176.8,29.87,3263.31
1.8.0,H100_80G,2,fp8 TP2,200,200,150,195.51,37.75,3883.1
1.8.0,H100_80G,2,fp8 TP2,200,200,200,253.36,42.95,4534.54
1.8.0,H100_80G,2,fp8 TP2,200,200,250,264.22,48.16,5067.05
1.8.0,H100_80G,2,fp8 TP2,1000,1000,1,82.46,18.67,53.37
1.8.0,H100_80G,2,fp8 TP2,1000,1000,5,145.62,19.07,260.48
1.8.0,H100_80G,2,fp8 TP2,1000,1000,25,250.49,22.45,1102.23
1.8.0,H100_80G,2,fp8 TP2,1000,1000,50,278.62,25.87,1912.93
1.8.0,H100_80G,2,fp8 TP2,1000,1000,100,334.23,34.21,2895.49
1.8.0,H100_80G,2,fp8 TP2,1000,1000,150,428.54,44.44,3342.67
1.8.0,H100_80G,2,fp8 TP2,1000,1000,200,558.23,50.66,3901.74
1.8.0,H100_80G,2,fp8 TP2,1000,1000,250,3499.83,56.3,4167.39
1.8.0,H100_80G,2,fp8 TP2,20000,2000,1,1833.01,19.58,48.8
1.8.0,H100_80G,2,fp8 TP2,20000,2000,5,2910.33,25.24,186.8
1.8.0,H100_80G,2,fp8 TP2,20000,2000,25,18781.26,48.26,415.33
1.8.0,H100_80G,2,fp8 TP2,20000,2000,50,123969.71,49.22,418.65
1.8.0,H100_80G,2,fp8 TP2,20000,2000,100,333564.85,49.81,425.1
1.8.0,H100_80G,2,fp8 TP2,20000,2000,150,543226.4,50.01,423.95
1.8.0,H100_80G,2,fp8 TP2,20000,2000,200,753417.03,50.06,425.74
1.8.0,H100_80G,2,fp8 TP2,20000,2000,250,963222.96,50.13,427.06
""",
}
# Rows the stored copy of NVIDIA's page shows too (family, input, output): all their concurrencies, except the
# 70B 500/2000 block, whose first two rows only
SEEN_ON_PAGE = {("nim_llama3_1_8b", 200, 200): None, ("nim_llama3_3_70b", 5000, 500): None,
                ("nim_llama3_3_70b", 500, 2000): (1, 5)}
NOTES = [
    "Closed loop: `concurrency` clients, each sending its next request when the last one finishes (GenAI-Perf's "
    "concurrency mode, which the page's 'Using AIPerf to Benchmark' link describes); the request count and the "
    "measurement window are not stated. TTFT and ITL are taken as means (the page does not name the statistic); "
    "Throughput(Tokens/s) is output tokens per second (it equals concurrency x output / (TTFT + (output - 1) x ITL) "
    "within 1% at concurrency 1).",
    "The serving engine is not named on the page; NIM's optimized profiles for H100 run TensorRT-LLM (NIM docs, "
    "'Optimization': 'The NVIDIA TensorRT-LLM accelerated NIM backend provides support for optimized versions of "
    "common models'). fp8 is read as FP8 weights and FP8 KV cache, as TensorRT-LLM's FP8 quantization sets both; "
    "max batch size, token budget and KV-cache fraction are not stated.",
]


def nim_record(family: str, line: str) -> dict:
    mdl, commit, path, header = NIM_TABLES[family]
    version, _, count, data_type, isl, osl, conc, ttft, itl, tput = line.split(",")
    isl, osl, conc = int(isl), int(osl), int(conc)
    tp = int(data_type.split("TP")[1])
    seen = (family, isl, osl) in SEEN_ON_PAGE and conc in (SEEN_ON_PAGE[(family, isl, osl)] or (conc,))
    return {
        "id": f"nim{version.replace('.', '')}_{family.removeprefix('nim_')}_h100_tp{tp}_{isl}in_{osl}out_c{conc:03d}",
        "kind": "serving", "family": family, "model": mdl,
        "hardware": {"gpu": "H100 80G", "catalog_gpu": "h100_sxm", "gpu_class": "h100", "gpus": int(count),
                     "gpus_per_node": 8, "interconnect": None},
        "settings": {"engine": "NVIDIA NIM for LLMs (engine not named; TensorRT-LLM profiles on H100)",
                     "engine_version": f"NIM container {version}", "precision": "FP8", "kv_cache_precision": "FP8",
                     "tensor": tp, "pipeline": 1, "replicas": 1, "input_tokens": isl, "output_tokens": osl,
                     "dataset": "synthetic, fixed lengths", "num_requests": None, "concurrency": conc,
                     "request_rate": None, "max_batch_size": None, "max_num_tokens": None,
                     "latency_constraints": None},
        "measured": [figure("mean_ttft", ttft, "ms"), figure("mean_itl", itl, "ms"),
                     figure("output_tokens_per_s", tput, "tokens/s")],
        "source": {"ref": f"{NIM_COPY}@{commit}:{path}", "url": NIM_PAGE,
                   "location": f"NIM {version} performance table, {mdl['name']}, {count} x H100 80G, {data_type}, "
                               f"{isl} input / {osl} output tokens, concurrency {conc}",
                   "read_at": f"transcribed from the CSV copy {NIM_COPY}@{commit}:{path}; "
                              + ("the stored copy of the page shows the same row" if seen else
                                 "this row is not in the stored copy's excerpt of the page")},
        "quote": [header, line],
        "notes": NOTES,
    }


NIM = [nim_record(family, line) for family, rows in NIM_ROWS.items() for line in rows.strip().splitlines()]
