"""Predicted vs published serving figures: capplan's continuous-batching simulation against the
serving half of the published corpus (validation/published/corpus/serving.json).

Each record the simulation can express becomes a capplan `inference` plan (the catalog's model and
GPU, the record's tensor parallelism, weight and KV-cache formats, input/output lengths) and a
workload: Poisson arrivals at the record's request rate with seed 0, all requests at once for an
infinite rate or an offline benchmark (the record's request count), or a closed loop of the record's
`concurrency` clients measured in its steady state (the engine's `figures` with `clients`); the
simulation's figures are set next to the published ones. Records it cannot express are listed with the
reason.

The five fitted constants, `iteration_overhead`, `serving_matmul_efficiency`, `allreduce_wait`,
`sequence_overhead` and `request_overhead`, are fitted on the calibration half only (`--fit` prints the
grid and the point minimising the mean |log(predicted/published)| over the calibration figures, less the
closed-loop TTFTs under contention, which the simulation does not model); the registry holds the values, and
both halves are scored with them. A request-rate record whose published completions rule out its stated
lengths being every request's own (`variable_lengths`) is listed with the records the simulation cannot
express, with its whole sweep.

Run from the repository root:
  python validation/score_serving.py          # write validation/published/serving_vs_published.{json,md}
  python validation/score_serving.py --check  # exit 1 if the committed files differ from a fresh run
  python validation/score_serving.py --fit    # the calibration-half fit of the five constants
"""

from __future__ import annotations

import hashlib
import json
import math
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "validation"))
from score_training import percentile  # noqa: E402  (the training corpus's percentile: one definition)
PUBLISHED = ROOT / "validation" / "published"
CORPUS = PUBLISHED / "corpus" / "serving.json"
OUT_JSON, OUT_MD = PUBLISHED / "serving_vs_published.json", PUBLISHED / "serving_vs_published.md"

# published quantity -> (figure kind scored, simulated figure); the others are shown, not scored
FIGURES = {
    "token_throughput": ("throughput", "output_tokens_per_s"),
    "output_tokens_per_s": ("throughput", "output_tokens_per_s"),
    "mean_ttft": ("ttft", "ttft_mean_s"),
    "mean_itl": ("itl", "tpot_mean_s"),
    "total_tokens_per_s": (None, "total_tokens_per_s"),
    "requests_per_s": (None, "requests_per_s"),
}
UNIT = {"tokens/s": 1.0, "requests/s": 1.0, "ms": 1e-3, "s": 1.0}
FORMATS = {"FP8": ("fp8_e4m3", "fp8_e4m3"), "BF16": ("bf16", "bf16"), "FP16": ("fp16", "fp16")}


def unsupported(rec: dict) -> str | None:
    """Why the simulation cannot express a record, or None."""
    s, m, h = rec["settings"], rec["model"], rec["hardware"]
    if not m["catalog"]:
        return f"model `{m['name']}` is not in the capplan catalog"
    if not h["catalog_gpu"]:
        return f"GPU `{h['gpu']}` is not in the capplan catalog"
    if not s["input_tokens"] or not s["output_tokens"]:
        return (f"the request lengths are a dataset's distribution ({s['dataset'] or 'not named'}) that the "
                "corpus does not record; the simulation needs the lengths")
    if (s["precision"] or "").split()[0] not in FORMATS:
        return f"precision `{s['precision']}` not mapped"
    return None


# A request-rate record's lengths are taken as every request's own; its completions can rule that out. With
# fixed lengths a run of N requests arriving as a Poisson process at rate q ends when its last request, sent
# about (N - 1) / q after the first (standard deviation sqrt(N - 1) / q), is answered: at the published mean
# TTFT and ITL that takes at most 2 x TTFT + (output - 1) x ITL (twice the mean TTFT, for a queue that grew
# through the run). A completed rate so low that the run must have gone on LENGTHS_Z standard deviations of
# the arrival span longer than that means some requests generated far more than the stated output: the stated
# lengths are a distribution's means, and every record of that shape (the same campaign, model, GPU,
# parallelism and lengths: one dataset swept over rates) is listed as one the simulation cannot express
LENGTHS_Z = 3.0


def drain_excess(rec: dict) -> dict | None:
    """For a record loaded at a finite request rate that publishes its request count, completed rate, mean TTFT
    and mean ITL: the shortest time from the last arrival to the last completion its completed rate allows
    (the printed rate rounded up by half its last digit), the longest a request of the stated lengths takes,
    and the difference in standard deviations of the Poisson arrival span (`z`)."""
    s = rec["settings"]
    m = {x["quantity"]: x for x in rec["measured"]}
    rate, n = s["request_rate"], s["num_requests"]
    if (not isinstance(rate, (int, float)) or not math.isfinite(rate) or not n or n < 2
            or not all(q in m for q in ("requests_per_s", "mean_ttft", "mean_itl"))):
        return None
    printed = m["requests_per_s"]["printed"]
    half_digit = 0.5 * 10.0 ** -(len(printed.partition(".")[2]))
    completed = m["requests_per_s"]["value"] + half_digit
    ttft = m["mean_ttft"]["value"] * UNIT[m["mean_ttft"]["unit"]]
    itl = m["mean_itl"]["value"] * UNIT[m["mean_itl"]["unit"]]
    drain = n / completed - (n - 1) / rate
    longest = 2 * ttft + (s["output_tokens"] - 1) * itl
    return {"rate": rate, "requests": n, "completed": m["requests_per_s"]["value"], "drain_s": drain,
            "longest_s": longest, "z": (drain - longest) / (math.sqrt(n - 1) / rate)}


def _shape(rec: dict) -> tuple:
    s, h = rec["settings"], rec["hardware"]
    return (rec["family"], rec["model"]["catalog"], h["catalog_gpu"], s["tensor"], s["input_tokens"],
            s["output_tokens"])


def variable_lengths(records: list[dict]) -> dict[tuple, tuple[str, str]]:
    """The shapes whose published completions rule out fixed lengths: the record that rules it out most
    strongly, and the reason."""
    worst: dict[tuple, tuple[float, dict, dict]] = {}
    for rec in records:
        d = drain_excess(rec)
        if d is not None and d["z"] > LENGTHS_Z and d["z"] > worst.get(_shape(rec), (-math.inf,))[0]:
            worst[_shape(rec)] = (d["z"], rec, d)
    out = {}
    for shape, (z, rec, d) in worst.items():
        s = rec["settings"]
        out[shape] = rec["id"], (
            f"the published completions rule out fixed lengths: at {d['rate']:g} requests/s, {d['requests']} "
            f"requests completed at {d['completed']:g}/s, so the last finished at least {d['drain_s']:.1f} s after "
            f"the last arrival, where a {s['input_tokens']} / {s['output_tokens']}-token request takes at most "
            f"{d['longest_s']:.1f} s at the published TTFT and ITL ({z:.1f} standard deviations of the Poisson "
            "arrival span beyond it): the lengths are means of a distribution the source does not give, and the "
            "simulation needs the lengths")
    return out


Fitted = tuple[float, float, float, float, float]  # iteration_overhead s, serving_matmul_efficiency,
#                                                   allreduce_wait s, sequence_overhead s, request_overhead s


def spec(rec: dict, fitted: Fitted | None) -> str:
    """The record's plan; `fitted` overrides the registry's five fitted constants."""
    from capplan.core import constants as K

    s, h = rec["settings"], rec["hardware"]
    weights, kv = FORMATS[s["precision"].split()[0]]
    tp = s["tensor"] or 1
    fields = {}
    if fitted is not None:  # K.SERVING_FITTED's order: times in seconds, written in us
        fields = {c.name: f"{v * 1e6:g} us" if c.dims == "time" else f"{v:g}" for c, v in zip(K.SERVING_FITTED, fitted)}
    if in_process(rec):   # no API server, so no host time per sequence or per request: stated by the record
        fields.update(sequence_overhead="0 us", request_overhead="0 us")
    if "TensorRT" in s["engine"]:   # TensorRT-LLM admits with its default GUARANTEED_NO_EVICT capacity policy
        fields["scheduler"] = "tensorrt_llm"
    fw = f"\n  framework {{ {'; '.join(f'{k} = {v}' for k, v in fields.items())} }}" if fields else ""
    return f"""
inference served {{
  model    = {rec['model']['catalog']}
  gpu      = {h['catalog_gpu']}
  gpus     = {tp}
  weights  = {weights}
  kv_cache = {kv}
  context  = {s['input_tokens'] + s['output_tokens']} tokens
  prompt   = {s['input_tokens']} tokens
  output   = {s['output_tokens']} tokens
  parallel {{ tensor = {tp} }}{fw}
}}
"""


def in_process(rec: dict) -> bool:
    """A benchmark that drives the engine in its own process (trtllm-bench throughput): no API server, so no
    host time per sequence for detokenising and streaming each token (`sequence_overhead` = 0) and none for
    receiving and tokenising each request (`request_overhead` = 0)."""
    return "trtllm-bench" in rec["settings"]["engine"]


# A closed loop (`concurrency` clients) whose request count the source does not state: so many requests per
# client, and at least CLOSED_LOOP_MIN in all, of which the first and the last `concurrency` are not measured
CLOSED_LOOP_PER_CLIENT, CLOSED_LOOP_MIN = 4, 10


def workload(rec: dict):
    from capplan.engine.serving_sim import Workload

    s = rec["settings"]
    if s["concurrency"]:
        c = s["concurrency"]
        return Workload(input=s["input_tokens"], output=s["output_tokens"], concurrency=c,
                        requests=s["num_requests"] or max(CLOSED_LOOP_PER_CLIENT * c, CLOSED_LOOP_MIN, 2 * c + 1))
    rate = s["request_rate"]
    rate = float(rate) if isinstance(rate, (int, float)) else math.inf  # "infinite", offline: all at once
    return Workload(input=s["input_tokens"], output=s["output_tokens"], requests=s["num_requests"], rate=rate,
                    seed=0)


def predict(rec: dict, fitted: Fitted | None = None) -> dict:
    """The simulation's figures for the record's plan under the record's load. The plan is checked and lowered,
    not evaluated: its own figures (`serving.load`'s simulation of the plan's load and its rate search) are
    not the record's and would cost most of the time."""
    from capplan.engine.inference import inference_memory
    from capplan.engine.serving_sim import simulate
    from capplan.pipeline import compile_files

    text = spec(rec, fitted)
    comp = compile_files(["served.plan"], read=lambda path: text, evaluate=False)
    errors = [d.message for d in comp.diagnostics.errors]
    if errors:
        return {"error": "; ".join(errors)}
    w = comp.lowered("served")
    return simulate(w, inference_memory(w), workload(rec))


def scored_figures(rec: dict, sim: dict) -> list[dict]:
    """The record's published figures set next to the simulation's: value, prediction, signed error."""
    figs = []
    for m in rec["measured"]:
        kind, key = FIGURES.get(m["quantity"], (None, None))
        if key is None:
            continue
        published = m["value"] * UNIT[m["unit"]]
        predicted = sim[key]
        figs.append({"quantity": m["quantity"], "kind": kind, "published": published, "predicted": predicted,
                     "error": (predicted - published) / published})
    return figs


def contended_ttft(row: dict, figure: dict) -> bool:
    """A closed loop's TTFT with more than one client: NIM's grows with its clients far faster than the
    simulated engine's iterations do (a queue outside the engine the simulation does not model), so a plan
    loaded by clients carries that error as its band (`band.closed_loop`) instead."""
    return row["closed_loop"] and figure["kind"] == "ttft" and row["load"] != "1 clients"


def log_loss(table: list[dict]) -> float:
    """The fits' objective: mean |log(predicted / published)| over the rows' scored figures, but for the
    contended closed-loop TTFTs, which no constant here models: in the loss they pulled the time per request
    towards that queue (7.5 ms, where the other figures ask for 5; stop 35)."""
    return statistics.fmean(abs(math.log(1 + f["error"])) for r in table for f in r["figures"]
                            if f["kind"] and not contended_ttft(r, f))


def abs_stats(errs: list[float]) -> dict | None:
    """Count, median and worst of absolute errors (None for none)."""
    return {"n": len(errs), "median": statistics.median(errs), "worst": max(errs)} if errs else None


def rows(fitted: Fitted | None = None, half: str | None = None) -> tuple[list[dict], list[dict]]:
    records = json.loads(CORPUS.read_text())["records"]
    distributions = variable_lengths(records)
    table, skipped = [], []
    for rec in records:
        if half and rec["split"] != half:
            continue
        why = unsupported(rec)
        if not why and _shape(rec) in distributions:
            ruling, reason = distributions[_shape(rec)]
            why = reason if rec["id"] == ruling else (f"the lengths of its sweep are a distribution's means, as "
                                                       f"`{ruling}`'s completions show")
        if why:
            skipped.append({"id": rec["id"], "split": rec["split"], "reason": why})
            continue
        sim = predict(rec, fitted)
        if "error" in sim or "unavailable" in sim:
            skipped.append({"id": rec["id"], "split": rec["split"],
                            "reason": sim.get("error") or sim.get("unavailable")})
            continue
        figs = scored_figures(rec, sim)
        s = rec["settings"]
        closed = bool(s["concurrency"])
        table.append({"id": rec["id"], "split": rec["split"], "campaign": CAMPAIGNS[rec["family"]],
                      "model": rec["model"]["catalog"],
                      "gpu": rec["hardware"]["catalog_gpu"], "tensor": s["tensor"], "precision": s["precision"],
                      "input": s["input_tokens"], "output": s["output_tokens"], "closed_loop": closed,
                      "load": f"{s['concurrency']} clients" if closed else s["request_rate"],
                      "requests": sim["requests"], "figures": figs,
                      "simulated": {k: sim[k] for k in ("kv_blocks", "max_num_seqs", "iterations", "preemptions",
                                                        "ttft_p50_s", "ttft_p99_s", "tpot_p50_s",
                                                        "tpot_p99_s")}})
    return table, skipped


# The campaigns the summary reports apart (a family's records were measured alike)
CAMPAIGNS = {"trtllm_perf_overview_offline": "TensorRT-LLM 0.17 offline", "trtllm_perf_overview_online":
             "TensorRT-LLM 0.14 online (request rate)", "nim_llama3_1_8b": "NIM 1.8.0 (concurrency)",
             "nim_llama3_3_70b": "NIM 1.8.0 (concurrency)", "mlperf_inference": "MLPerf Inference",
             "lambda_vllm": "Lambda vLLM 0.5.4", "deepseek_reports": "DeepSeek reports"}


def summary(table: list[dict]) -> dict:
    """Median and worst |error| per half and figure kind, over all records and per campaign."""
    out = {}
    for campaign in (None, *sorted({r["campaign"] for r in table})):
        for half in ("calibration", "validation", "all"):
            for kind in ("throughput", "ttft", "itl"):
                errs = [abs(f["error"]) for r in table if half in ("all", r["split"])
                        and campaign in (None, r["campaign"]) for f in r["figures"] if f["kind"] == kind]
                key = f"{half}.{kind}" if campaign is None else f"{campaign} | {half}.{kind}"
                out[key] = abs_stats(errs)
    return out


BAND = (0.1, 0.9)   # percentiles of the validation half's signed errors that make the serving bands


def bands(table: list[dict]) -> dict:
    """Per figure kind, the 10th and 90th percentiles of the validation half's signed errors
    (predicted - published) / published over the records loaded at a request rate (an open loop, as the
    serving goals load a plan): `serving.load.band` of a plan loaded at a rate, and the goals' pessimistic
    end; `closed_loop`: the same over the records loaded by clients at a fixed concurrency (NIM's tables),
    the band of a plan loaded by its `batch` of clients."""
    def of(closed: bool) -> dict:
        out = {}
        for kind in ("throughput", "ttft", "itl"):
            errs = [f["error"] for r in table if r["split"] == "validation" and r["closed_loop"] == closed
                    for f in r["figures"] if f["kind"] == kind]
            out[kind] = {"low": round(percentile(errs, BAND[0]), 3), "high": round(percentile(errs, BAND[1]), 3),
                         "n": len(errs)}
        return out
    return {"percentiles": list(BAND), **of(False), "closed_loop": of(True)}


GRID_OVERHEAD_US = range(1000, 2501, 500)                  # 1 ... 2.5 ms
# shares of the GPU's achievable matmul rate: 0.45 ... 0.60 of the dense peak of an H100 or H200 (matmul_achievable
# 0.803), the GPUs of every record the simulation can express but the offline A100 ones (0.869: 0.49 ... 0.65)
GRID_EFFICIENCY = [0.5604, 0.6227, 0.6849, 0.7472]
GRID_WAIT_US = range(20, 51, 10)                           # 20 ... 50 us
GRID_SEQUENCE_US = range(10, 31, 10)                       # 10 ... 30 us
GRID_REQUEST_US = range(0, 12501, 2500)                    # 0 ... 12.5 ms

Point = tuple[int, float, int, int, int]   # the grid's units: us, efficiency, us, us, us


def fitted_of(point: Point) -> Fitted:
    """A grid point as the constants `spec` takes (seconds)."""
    us, eff, ar, seq, req = point
    return us * 1e-6, eff, ar * 1e-6, seq * 1e-6, req * 1e-6


def grid() -> list[Point]:
    return [(us, eff, ar, seq, req) for us in GRID_OVERHEAD_US for eff in GRID_EFFICIENCY for ar in GRID_WAIT_US
            for seq in GRID_SEQUENCE_US for req in GRID_REQUEST_US]


def _grid_point(point: Point) -> tuple[float, int, float, int, int, int]:
    table, _ = rows(fitted_of(point), half="calibration")
    return (log_loss(table), *point)


def fit() -> Fitted:
    """Grid search of (iteration_overhead, serving_matmul_efficiency, allreduce_wait, sequence_overhead,
    request_overhead) on the calibration half only: the point with the least mean |log(predicted / published)|
    over its scored figures but the contended closed-loop TTFTs (`log_loss`) (grid 1-2.5 ms by 0.5 ms x
    0.5604-0.7472 of the achievable matmul rate, 0.45-0.60 of an
    H100's or H200's peak by 0.05 x 20-50 us by 10 us x 10-30 us by 10 us x
    0-12.5 ms by 2.5 ms; evaluated on the machine's processors, in grid order). Until the NIM campaign joined the
    corpus a third constant was not fitted: on one engine's campaign, where tensor parallelism and model size never
    vary apart, it did not generalise; the host's times per sequence and per request joined at stop 29, each
    tried at zero first (validation/README.md)."""
    from multiprocessing import Pool

    with Pool() as pool:
        scores = pool.map(_grid_point, grid())
    for score, us, eff, ar, seq, req in scores:
        print(f"iteration_overhead = {us:5d} us, serving_matmul_efficiency = {eff:.2f}, allreduce_wait = "
              f"{ar:3d} us, sequence_overhead = {seq:3d} us, request_overhead = {req:5d} us: mean |log error| "
              f"{score:.4f}")
    best = min(scores)   # the least score; ties go to the smaller overhead, efficiency, waits
    print(f"best: iteration_overhead = {best[1]} us, serving_matmul_efficiency = {best[2]:.2f}, allreduce_wait = "
          f"{best[3]} us, sequence_overhead = {best[4]} us, request_overhead = {best[5]} us (mean |log error| "
          f"{best[0]:.4f})")
    return fitted_of(best[1:])


def markdown(table: list[dict], skipped: list[dict], s: dict, b: dict) -> str:
    from capplan.core import constants as K

    lines = ["# Predicted vs published serving figures", "",
             "Generated by `python validation/score_serving.py` from `corpus/serving.json`: capplan's "
             "continuous-batching simulation (`compiler/engine/serving_sim.py`) with the registry's constants; "
             f"`iteration_overhead` = {K.ITERATION_OVERHEAD.value * 1e3:g} ms, `serving_matmul_efficiency` = "
             f"{K.SERVING_MATMUL_EFFICIENCY.value:g}, `allreduce_wait` = {K.ALLREDUCE_WAIT.value * 1e6:g} us, "
             f"`sequence_overhead` = {K.SEQUENCE_OVERHEAD.value * 1e6:g} us and `request_overhead` = "
             f"{K.REQUEST_OVERHEAD.value * 1e3:g} ms were fitted on the calibration half only (`--fit`); "
             "trtllm-bench's offline records, which drive the engine in its own process, are scored with no host time "
             "per sequence or per request. Errors are (predicted - published) / published. "
             "ITL is compared with the simulation's mean per-request TPOT ((finish - first token) / (output - 1)), as "
             "genai-perf reports it; TensorRT-LLM's offline `token_throughput` is compared with output tokens/s. A "
             "load of N clients is a closed loop measured in its steady state (the engine's `figures` with "
             "`clients`: clients spread over one request's time, the first and last N requests not measured, "
             "throughput by Little's law).", "",
             "| record | half | model | GPU x TP | in / out | load | figure | published | predicted | error |",
             "| --- | --- | --- | --- | --- | --- | --- | ---: | ---: | ---: |"]
    for r in table:
        for f in r["figures"]:
            scale, unit = (1e3, "ms") if f["quantity"] in ("mean_ttft", "mean_itl") else (1.0, "")
            lines.append(f"| {r['id']} | {r['split']} | {r['model']} | {r['gpu']} x {r['tensor']} | "
                         f"{r['input']} / {r['output']} | {r['load']} | {f['quantity']}{'' if f['kind'] else ' *'} | "
                         f"{f['published'] * scale:.4g} {unit} | {f['predicted'] * scale:.4g} {unit} | "
                         f"{f['error']:+.1%} |")
    lines += ["", "\\* shown, not scored (the request rate is the load itself; total tokens follow output).", "",
              "| records | half | figure | n | median abs error | worst abs error |",
              "| --- | --- | --- | ---: | ---: | ---: |"]
    for key, v in s.items():
        if v:
            campaign, _, rest = key.rpartition(" | ")
            half, kind = rest.split(".")
            lines.append(f"| {campaign or 'all'} | {half} | {kind} | {v['n']} | {v['median']:.1%} | {v['worst']:.1%} |")
    lines += ["", f"Serving bands (`serving.load.band`, and the pessimistic end serving goals are sized at): the "
              f"validation half's signed errors over the records loaded at a request rate, "
              f"{b['percentiles'][0]:.0%} / {b['percentiles'][1]:.0%} percentiles (linear interpolation).", "",
              "| figure | n | low | high |", "| --- | ---: | ---: | ---: |"]
    lines += [f"| {kind} | {b[kind]['n']} | {b[kind]['low']:+.1%} | {b[kind]['high']:+.1%} |"
              for kind in ("throughput", "ttft", "itl")]
    c = b["closed_loop"]
    lines += ["", "Closed-loop bands (`serving.load.band` of a plan loaded by its `batch` of clients): the same "
              "percentiles over the validation half's records loaded by clients at a fixed concurrency (NIM's "
              "tables, whose TTFT grows with the clients far faster than the simulation's: "
              f"{s['NIM 1.8.0 (concurrency) | validation.ttft']['median']:.0%} |error| at the median).",
              "",
              "| figure | n | low | high |", "| --- | ---: | ---: | ---: |"]
    lines += [f"| {kind} | {c[kind]['n']} | {c[kind]['low']:+.1%} | {c[kind]['high']:+.1%} |"
              for kind in ("throughput", "ttft", "itl")]
    lines += ["", "## Records the simulation cannot express", ""]
    lines += [f"- `{x['id']}` ({x['split']}): {x['reason']}" for x in skipped]
    return "\n".join(lines) + "\n"


def main() -> int:
    if "--fit" in sys.argv:
        fit()
        return 0
    table, skipped = rows()
    s = summary(table)
    b = bands(table)
    doc = json.dumps({"corpus_sha256": hashlib.sha256(CORPUS.read_bytes()).hexdigest(),
                      "script": "validation/score_serving.py", "rows": table, "skipped": skipped, "summary": s,
                      "band": b},
                     indent=1, sort_keys=True) + "\n"
    md = markdown(table, skipped, s, b)
    if "--check" in sys.argv:
        return 0 if OUT_JSON.exists() and OUT_JSON.read_text() == doc and OUT_MD.read_text() == md else 1
    OUT_JSON.write_text(doc)
    OUT_MD.write_text(md)
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
