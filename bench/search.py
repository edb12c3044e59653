"""Strategy-search benchmark. Run: python bench/search.py [--quick]

1. Search every default layout family for Llama-3.1-70B on 1,024 H100s (128 nodes)
   in-process: candidate layouts evaluated per second (target >= 100,000 on one
   core) and the whole search, enumeration to verified answer (target < 2 s).
2. The same layouts evaluated one by one through llm-analysis's Python API
   (`pip install llm-analysis`, PyPI), on a sample, in the same run; the speed
   ratio is reported. llm-analysis is not a dependency of capplan: if it is not
   installed, that part is skipped and says so.
"""

from __future__ import annotations

import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SPEC = """
cluster pod {
  gpu           = h100_sxm
  gpus_per_node = 8
  nodes         = 128
  inter_node    = 400 Gbit/s
}

training pretrain {
  model        = llama3_1_70b
  cluster      = pod
  precision    = megatron_bf16
  seq_len      = 4096 tokens
  global_batch = 1024
  framework { implementation = megatron }
  require not fits or fits
}
"""


def load_plan():
    from capplan.pipeline import compile_files

    folder = Path(tempfile.mkdtemp())
    (folder / "capplan.toml").write_text("")
    (folder / "bench.plan").write_text(SPEC)
    comp = compile_files([str(folder / "bench.plan")], evaluate=False)
    assert not comp.diagnostics.has_errors, [d.message for d in comp.diagnostics.items]
    return comp.checked.workloads[0]


SPACE = {
    "tensor": [1, 2, 4, 8], "pipeline": [1, 2, 4, 8, 16], "zero": [0, 1, 2, 3],
    "recompute": ["none", "selective", "full"], "micro_batch": [1, 2, 4, 8], "virtual_stages": [1, 2, 4, 5],
    "context": [1, 2, 4], "sequence_parallel": [False, True], "distributed_optimizer": [False, True],
    "gpus": [1024],
}


def bench_capplan(w, repeats: int) -> dict:
    from capplan.analyses import search as S
    from capplan.analyses.planner import run_search

    per_node = w._per_node
    space = S.default_space(w, per_node, 128)
    space.update(SPACE)
    cands, _ = S.enumerate_layouts(w, space, per_node, False)
    evaluator = S.Evaluator(w, per_node)
    evaluator.evaluate(cands)  # warm the per-key tables
    times = []
    for _ in range(repeats):
        ev = S.Evaluator(w, per_node)
        start = time.perf_counter()
        ev.evaluate(cands)
        times.append(time.perf_counter() - start)
    whole = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = run_search(w, SPACE, ("minimize", "step_time"), [("headroom", ">=", 0.05)])
        whole.append(time.perf_counter() - start)
    return {"valid": len(cands), "eval_s": statistics.median(times), "search_s": statistics.median(whole),
            "considered": result["considered"], "accepted": result["accepted"], "best": result["best"],
            "cands": cands}


def bench_llm_analysis(w, cands, sample: int):
    try:
        from llm_analysis.analysis import ActivationRecomputation, DSZeRO, LLMAnalysis
        from llm_analysis.config import DtypeConfig, ModelConfig, ParallelismConfig, get_dtype_config_by_name, \
            get_gpu_config_by_name
    except ImportError:
        return None
    logging.disable(logging.CRITICAL)
    m = w.model
    # llm-analysis asserts ffn % hidden == 0; Llama-3.1-70B's 28672 is 3.5 x 8192, so its model is given
    # ffn = 3 x hidden: this comparison measures speed, not figures
    model = ModelConfig(name="llama3_1_70b", num_layers=m.layers, n_head=m.heads, hidden_dim=m.hidden,
                        vocab_size=m.vocab, max_seq_len=int(m.max_seq), num_key_value_heads=m.kv_heads,
                        ffn_embed_dim=(m.ffn // m.hidden) * m.hidden)
    gpu = get_gpu_config_by_name("h100-sxm-80gb")
    dtype = get_dtype_config_by_name("w16a16e16")
    recompute = [ActivationRecomputation.NONE, ActivationRecomputation.SELECTIVE, ActivationRecomputation.FULL]
    zero = [DSZeRO.NONE, DSZeRO.STAGE_1, DSZeRO.STAGE_2, DSZeRO.STAGE_3]
    step = max(1, len(cands) // sample)
    idx = list(range(0, len(cands), step))[:sample]
    ok = 0
    start = time.perf_counter()
    for i in idx:
        par = ParallelismConfig(tp_size=int(cands["tensor"][i]), pp_size=int(cands["pipeline"][i]),
                                dp_size=int(cands["data"][i]) * int(cands["context"][i]))
        try:
            LLMAnalysis(model, gpu, dtype, par).training(
                batch_size_per_gpu=int(cands["micro_batch"][i]), global_batch_size=w.global_batch,
                seq_len=int(w.seq_len), activation_recomputation=recompute[int(cands["recompute"][i])],
                ds_zero=zero[int(cands["zero"][i])], flash_attn=True, mlp_gated_linear_units=True)
            ok += 1
        except Exception:  # noqa: BLE001 - llm-analysis rejects some layouts; still timed
            pass
    elapsed = time.perf_counter() - start
    return {"evaluated": len(idx), "completed": ok, "per_s": len(idx) / elapsed}


def main() -> None:
    quick = "--quick" in sys.argv
    w = load_plan()
    ours = bench_capplan(w, 3 if quick else 7)
    per_s = ours["valid"] / ours["eval_s"]
    print(f"Llama-3.1-70B on 1,024 H100 (128 nodes): {ours['considered']:,} layouts considered, "
          f"{ours['valid']:,} valid, {ours['accepted']:,} fit with 5% headroom")
    print(f"  capplan: {per_s:,.0f} candidate layouts evaluated per second (memory per stage + step time), "
          f"target >= 100,000")
    print(f"  capplan: whole search (enumerate, evaluate, filter, rank, verify best/top/Pareto) "
          f"{ours['search_s'] * 1000:.0f} ms, target < 2000 ms")
    b = ours["best"]["layout"]
    print(f"  best: TP {b['tensor']} x PP {b['pipeline']} x DP {b['data']} x CP {b['context']}, ZeRO {b['zero']}, "
          f"recompute {b['recompute']}, micro-batch {b['micro_batch']}, v{b['virtual_stages']}: "
          f"{ours['best']['step_s']:.2f} s/step, MFU {ours['best']['mfu']:.1%}")
    other = bench_llm_analysis(w, ours["cands"], 100 if quick else 300)
    if other is None:
        print("  llm-analysis: not installed (pip install llm-analysis) - comparison skipped")
        return
    print(f"  llm-analysis {other['evaluated']} of the same layouts one by one: {other['per_s']:,.1f} layouts/s "
          f"({other['completed']} completed)")
    print(f"  ratio: capplan evaluates {per_s / other['per_s']:,.0f}x as many layouts per second")


if __name__ == "__main__":
    main()
