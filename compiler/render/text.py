"""Terminal output: the check summary and evaluated plans as aligned tables."""

from __future__ import annotations

from capplan.core.escape import terminal
from capplan.check.layout_rules import expert_tensor_note, megatron_fsdp, recompute_modules_note
from capplan.check.units import dims_of
from capplan.check.values import fmt_number, fmt_quantity
from capplan.render.fit import DEFAULT_WIDTH, fit_lines, table_lines

INFO = dims_of("information")


def _mem(x: float, unit: str = "GiB") -> str:
    return fmt_quantity(x, INFO, unit)


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def table(headers: list[str], rows: list[list[str]], right: set[int] | None = None, width: int | None = None,
          drop: tuple[str, ...] = ()) -> str:
    """An aligned table at most `width` columns wide (None: as wide as it is): cells wrap, then the columns in
    `drop` go first."""
    right = right if right is not None else set(range(1, len(headers)))
    return "\n".join(table_lines(headers, rows, right, width, drop))


def check_summary(comp, errors: int, warnings: int, color: bool) -> str:
    lines = []
    for plan in sorted(comp.plans, key=lambda p: p["name"]):
        mark = _paint("ok  ", "32", color) if plan["ok"] else _paint("FAIL", "31", color)
        note = " (as required)" if plan["ok"] and not plan["fits"] else ""
        lines.append(f"{mark} {plan['kind']} {plan['name']}: {plan['verdict']}{note}")
    for s in sorted(comp.searches, key=lambda x: x["name"]):
        best = "no layout left" if s["best"] is None else _layout_words(s["best"]["layout"])
        lines.append(f"     search {s['name']}: {s['accepted']} of {s['valid']} valid layouts accepted; best: {best}")
    for g in sorted(comp.goals, key=lambda x: x["name"]):
        first = next((o for o in g["options"] if o.get("rank") == 1), None)
        answer = f"{first['gpus']} x {first['gpu_name']}" if first else "no GPU type meets it"
        lines.append(f"     goal {g['name']}: {answer}")
    files = len(comp.program.entries)
    status = "ok" if not errors else f"{errors} error{'s' if errors != 1 else ''}"
    extra = f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""
    lines.append(f"checked {files} file{'s' if files != 1 else ''}, {len(comp.plans)} plan"
                 f"{'s' if len(comp.plans) != 1 else ''}: {status}{extra}")
    return terminal("\n".join(lines), color)


def _params(model: dict, width: int = DEFAULT_WIDTH) -> list[str]:
    p = model["params"]
    out = [f"model {model['name']} ({model['display_name']}): {fmt_number(p['total'])} parameters"
           + (f", {fmt_number(p['active'])} active per token" if p["active"] != p["total"] else "")
           + ("" if p["exact"] else " (as given)")]
    if p["components"]:
        rows = [[k, fmt_number(v)] for k, v in p["components"].items() if v]
        out.append(table(["component", "parameters"], rows, width=width))
    return out


def _training(plan: dict, width: int = DEFAULT_WIDTH) -> list[str]:
    lay = plan["layout"]
    unit = plan["hardware"]["memory_unit"]
    out = [f"layout: tensor {lay['tensor']} x pipeline {lay['pipeline']} x data {lay['data']} x context "
           f"{lay['context']} (expert {lay['expert']}{expert_tensor_note(lay)}), ZeRO {lay['zero']}, schedule {lay['schedule']}, "
           f"recompute {lay['recompute']}{recompute_modules_note(lay)}, micro-batch {lay['micro_batch']} x "
           f"{lay['microbatches']} micro-batches, seq {lay['seq_len']}"]
    fw = plan.get("framework")
    if fw:
        impl = fw["optimizer_impl"] + (" (stated)" if fw["optimizer_impl_basis"].startswith("stated") else
                                       f" (the {fw['runtime']} default)")
        out.append(f"runtime: {fw['runtime']} ({fw['runtime_basis']}); optimizer step: {impl}")
    prec = plan["precision"]
    out.append(f"precision: {prec['recipe']} ({prec['weights']} weights, {prec['gradients']} grads, "
               f"{prec['master_weights']} master, {prec['optimizer']} states in {prec['optimizer_states']}: "
               f"{fmt_number(prec['bytes_per_param'])} B/param)")
    keys = [k for k in ("weights", "gradients", "master_weights", "optimizer_states", "comm_buffers", "activations",
                        "logits", "temporary", "allocator_reserve", "cuda_context", "nccl")
            if any(r["memory"].get(k) for r in plan["ranks"])]  # columns that are zero everywhere are left out
    headers = ["stage", "layers", "in flight"] + [k.replace("_", " ") for k in keys] + ["peak", "phase", "fits"]
    rows = []
    for r in plan["ranks"]:
        rows.append([str(r["stage"]), str(r["layers"]), fmt_number(r["inflight_microbatches"])]
                    + [_mem(r["memory"][k], unit) for k in keys]
                    + [_mem(r["peak_bytes"], unit), r["peak_phase"], "yes" if r["fits"] else "NO"])
    # a narrow terminal keeps stage, peak, phase and fits: the layer and in-flight counts go first (the
    # memory breakdown is what the table is for), then the smallest components
    smallest = sorted(keys, key=lambda k: max(r["memory"][k] for r in plan["ranks"]))
    out.append(table(headers, rows, width=width,
                     drop=("layers", "in flight") + tuple(k.replace("_", " ") for k in smallest)))
    out += [f"note: {r['inflight_note']}" for r in plan["ranks"] if r.get("inflight_note")]
    out += _time_lines(plan.get("time"))
    out += _cost_lines(plan)
    return out


def _duration(seconds: float) -> str:
    return fmt_quantity(seconds, dims_of("time"))


def _cost_lines(plan: dict) -> list[str]:
    """The cost on each basis (engine/tco.py): per GPU-hour, and to train (training) or per month (serving)."""
    figs = plan.get("figures") or {}

    def v(key):
        return figs[key]["value"] if key in figs else None
    bases = [(b, v(f"cost.rate.{b}")) for b in ("on_demand", "reserved", "owned")]
    bases = [(b, r) for b, r in bases if r is not None]
    if len(bases) < 2:
        return []
    total = "cost.train" if plan["kind"] == "training" else "cost.month"
    parts = []
    for b, rate in bases:
        whole = v(total if (b == "on_demand" and total == "cost.train") else f"{total}.{b}")
        parts.append(f"{b.replace('_', ' ')} {fmt_number(rate)} USD/GPU-h"
                     + (f" ({fmt_number(whole)} USD {'to train' if total == 'cost.train' else 'per month'})"
                        if whole is not None else ""))
    even = v("cost.owned.break_even")
    tail = f"; owning costs less than on demand after {fmt_number(even)} months of use" if even else ""
    why = (plan.get("cost_unavailable") or {}).get("owned")
    return [f"cost bases: {', '.join(parts)}{tail}" + (f" (owned: {why})" if why else "")]


def _time_lines(t: dict | None) -> list[str]:
    if not t:
        return []
    if "unavailable" in t:
        return [f"time: not estimated ({t['unavailable']})"]
    comm = ", ".join([f"{k} {_duration(v)}" for k, v in t["communication_s"].items()
                      if v and not k.endswith("_total")]
                     + ([f"overlap slowdown {_duration(t['overlap_slowdown_s'])}"]
                        if t.get("overlap_slowdown_s") else []))
    lines = [f"time per step: {_duration(t['step_s'])} (compute {_duration(t['compute_s'])}, bubble "
             f"{_duration(t['bubble_s'])}{', ' + comm if comm else ''}); {fmt_number(t['tokens_per_s'])} tokens/s; "
             f"MFU {t['mfu']:.1%}, HFU {t['hfu']:.1%} ({t['compute_precision']} peak)"]
    if "band" in t:
        b = t["band"]
        train = (f", {_duration(b['train_low_s'])} to {_duration(b['train_high_s'])} to train"
                 if "train_low_s" in b else "")
        basis = b.get("basis", "")
        lines.append(f"time band: {_duration(b['step_low_s'])} to {_duration(b['step_high_s'])} per step{train} "
                     + ("(10th-90th percentile of this configuration's measured iterations, from its calibration)"
                        if basis == "measured" else
                        f"(10th-90th percentile of the errors on {basis.removeprefix('published: ')})"
                        if basis.startswith("published: ") else
                        "(10th-90th percentile of the published runs' errors)"))
    if "train_s" in t:
        extra = []
        if t.get("cost_usd") is not None:
            extra.append(f"{fmt_number(t['cost_usd'])} USD")
        if t.get("energy_kwh") is not None:
            extra.append(f"{fmt_number(t['energy_kwh'] / 1000)} MWh")
        lines.append(f"to train: {_duration(t['train_s'])}, {fmt_number(t['gpu_hours'])} GPU-hours"
                     + (f", {', '.join(extra)}" if extra else ""))
        lines += _goodput_lines(t.get("goodput") or {})
    return lines


def _goodput_lines(g: dict) -> list[str]:
    if "goodput" not in g:
        return [f"with interruptions: not estimated ({g['unavailable']})"] if "unavailable" in g else []
    cost = f", {fmt_number(g['cost_usd'])} USD" if g.get("cost_usd") is not None else ""
    return [f"with interruptions: {_duration(g['train_s'])} to train{cost}; goodput {g['goodput']:.1%} "
            f"({fmt_number(g['interruptions'])} interruptions expected, one every "
            f"{_duration(g['job_interruption_interval_s'])}; restart {_duration(g['restart_s'])}; checkpoint "
            f"{_duration(g['checkpoint_save_s'])} every {_duration(g['checkpoint_interval_s'])})"]


def _serving_lines(sv: dict | None) -> list[str]:
    if not sv:
        return []
    if sv.get("not_applicable"):
        done = (f"one forward pass {_duration(sv['forward_s'])}, {fmt_number(sv['sequences_per_s'])} sequences/s; "
                if "forward_s" in sv else f"first token {_duration(sv['ttft_s'])}; " if "ttft_s" in sv else "")
        return [f"serving: {done}{sv['unavailable']}"]
    if "unavailable" in sv:
        return [f"serving: not estimated ({sv['unavailable']})"]
    lines = [f"serving, one request unloaded: first token {_duration(sv['ttft_s'])}, {_duration(sv['tpot_s'])} per output token "
             f"({sv['bound']}-bound), {fmt_number(sv['tokens_per_s'])} tokens/s per replica"
             + (f", {fmt_number(sv['cost_per_mtok_usd'])} USD per million tokens" if "cost_per_mtok_usd" in sv
                else "")]
    if sv.get("best_batch"):
        rps = f", {fmt_number(sv['best_requests_per_s'])} requests/s" if "best_requests_per_s" in sv else ""
        lines.append(f"best decode batch within memory and targets (other requests' prefills ignored): {sv['best_batch']} "
                     f"({fmt_number(sv['best_tokens_per_s'])} tokens/s{rps})")
    lines += _load_lines(sv.get("load"))
    if sv.get("replicas"):
        lines.append(f"replicas for the request rate: {sv['replicas']} ({sv['gpus_total']} GPUs; "
                     f"{sv['replicas_basis']})")
    elif sv.get("replicas_unavailable"):
        lines.append(f"replicas for the request rate: none ({sv['replicas_unavailable']})")
    return lines


SCHEDULER_NAMES = {"sglang": "SGLang", "tensorrt_llm": "TensorRT-LLM"}


def _load_lines(ld: dict | None) -> list[str]:
    """The simulated figures under the plan's load (capplan.engine.serving_load)."""
    if not ld:
        return []
    if "unavailable" in ld:
        return [f"under load: not simulated ({ld['unavailable']})"]
    wl = ld["workload"]
    how = (f"Poisson arrivals at {fmt_number(wl['rate_per_s'])} requests/s" if wl["rate_per_s"]
           else f"{wl['concurrency']} clients in a closed loop")
    if wl.get("scheduler", "vllm") != "vllm":  # vLLM's is the default; another is named
        how = f"{SCHEDULER_NAMES.get(wl['scheduler'], wl['scheduler'])}'s scheduler, {how}"
    def pct(key: str) -> str:
        p50, p99 = ld.get(f"{key}_p50_s"), ld.get(f"{key}_p99_s")
        return "n/a" if p50 is None else f"{_duration(p50)} / {_duration(p99)}"
    lines = [f"under load ({how}, {wl['prompt']:,} + {wl['output']:,} tokens, {wl['requests']:,} requests "
             f"simulated): TTFT p50/p99 {pct('ttft')}, TPOT p50/p99 {pct('tpot')}, "
             f"{fmt_number(ld['output_tokens_per_s'])} output tokens/s, {fmt_number(ld['requests_per_s'])} "
             f"requests/s, {ld['preemptions']:,} preemptions"]
    if ld.get("max_requests_per_s") is not None:
        within = (f"with {ld['slo_attainment_target']:.0%} of requests within the targets"
                  if ld.get("slo_attainment_target") is not None else "at saturation (no targets given)")
        lines.append(f"one replica serves {fmt_number(ld['max_requests_per_s'])} requests/s {within}")
    b = ld.get("band") or {}

    def rng(key: str, show) -> str | None:
        return f"{show(b[key]['low'])} to {show(b[key]['high'])}" if key in b else None
    parts = [f"{name} {r}" for name, r in (
        ("TTFT p50", rng("ttft_p50_s", _duration)), ("TPOT p50", rng("tpot_p50_s", _duration)),
        ("output tokens/s", rng("output_tokens_per_s", fmt_number)),
        ("requests/s per replica", rng("max_requests_per_s", fmt_number))) if r]
    if parts:
        basis = ("the errors on the published serving figures loaded by clients" if b.get("basis") == "closed loop"
                 else "the published serving figures' errors")
        lines.append(f"band: {', '.join(parts)} (10th-90th percentile of {basis})")
    return lines


def _inference(plan: dict, width: int = DEFAULT_WIDTH) -> list[str]:
    lay, prec, mem = plan["layout"], plan["precision"], plan["memory"]
    unit = plan["hardware"]["memory_unit"]
    out = [f"layout: tensor {lay['tensor']} x pipeline {lay['pipeline']}, batch {lay['batch']}, context "
           f"{lay['context']} tokens; weights {prec['weights']}, KV cache {prec['kv_cache']}"]
    rec = plan.get("recipe")
    if rec and (rec["mode"] != "generate" or rec["cache"] != "paged"):
        cache = f"{rec['cache']} KV cache" if rec["cache"] else "no KV cache"
        loss = ", with the loss" if rec.get("loss") else ""
        out.append(f"recipe: {rec['mode']}{loss}, {cache} (transformers); peak in the {rec['peak_phase']}")
    rows = [[k.replace("_", " "), _mem(v, unit)] for k, v in mem.items()]
    rows.append(["total", _mem(plan["peak_bytes"], unit)])
    rows.append(["budget", _mem(plan["budget_bytes"], unit)])
    out.append(table(["per GPU", "memory"], rows, width=width))
    out.append(f"largest batch at this context: {plan['max_batch']}{_cap_words(plan, 'max_batch')}; "
               f"longest context at this batch: {fmt_number(plan['max_context'])} tokens"
               f"{_cap_words(plan, 'max_context')}")
    kv = plan["kv_capacity"]
    if rec and (rec["mode"] != "generate" or rec["cache"] != "paged"):  # transformers' caches are not paged
        out.append(f"KV cache capacity at this batch: {fmt_number(kv['tokens'])} tokens "
                   f"({_mem(kv['per_token_bytes'], 'MiB')} per token)")
    else:
        out.append(f"KV cache capacity at this batch: {fmt_number(kv['tokens'])} tokens in {fmt_number(kv['blocks'])} "
                   f"blocks of {kv['block_tokens']} tokens ({_mem(kv['block_bytes'], 'MiB')} per block)")
    cap = plan["caps"]["max_context"]
    if cap["by"] == "max_seq" and lay["context"] > cap["limit"]:
        out.append(f"note: the plan's context ({fmt_number(lay['context'])} tokens) exceeds the model's max_seq "
                   f"({fmt_number(cap['limit'])} tokens); positions past it are untrained")
    out += _serving_lines(plan.get("serving"))
    out += _cost_lines(plan)
    return out


CAP_WORDS = {"max_seq": "the model's max_seq", "max_context_factor": "the search bound max_context_factor x 2^20",
             "search_bound": "the search bound"}


def _cap_words(plan: dict, key: str) -> str:
    """' (capped at ...)' when a capacity figure stopped at its bound rather than at the budget."""
    cap = plan["caps"][key]
    if not cap["reached"]:
        return ""
    return f" (capped at {CAP_WORDS[cap['by']]}, {fmt_number(cap['limit'])}; memory would allow more)"


def _layout_words(lay: dict) -> str:
    extra = []
    if lay["sequence_parallel"]:
        extra.append("SP")
    if lay["distributed_optimizer"]:
        extra.append("dist-opt")
    if lay["virtual_stages"] > 1:
        extra.append(f"v{lay['virtual_stages']}")
    return (f"{lay['gpus']} GPUs: TP {lay['tensor']} x PP {lay['pipeline']} x DP {lay['data']}"
            + (f" x CP {lay['context']}" if lay["context"] > 1 else "") + (f", EP {lay['expert']}" if lay["expert"] > 1 else "")
            + f", ZeRO {lay['zero']}, recompute {lay['recompute']}, micro-batch {lay['micro_batch']}"
            + (f", {', '.join(extra)}" if extra else ""))


def _search(s: dict, color: bool, width: int = DEFAULT_WIDTH) -> str:
    lines = [_paint(f"search {s['name']} for {s['target']}", "1", color) + f"  ({s['file']}:{s['line']})",
             f"{s['considered']} layouts considered, {s['valid']} valid, {s['accepted']} fit and meet the "
             f"requirements; {s['objective']['direction']} {s['objective']['metric']}"]
    if s["best"] is None:
        lines.append(s["empty_reason"])
    else:
        rows = []
        for i, r in enumerate(s["top"]):
            rows.append([str(i + 1), _layout_words(r["layout"]), _mem(r["peak_bytes"]), f"{r['headroom']:.0%}",
                         _duration(r["step_s"]) if r["step_s"] else "-", f"{r['mfu']:.1%}" if r["mfu"] else "-"])
        lines.append(table(["#", "layout", "peak", "headroom", "step", "MFU"], rows, {2, 3, 4, 5}, width))
        if len(s.get("pareto", [])) > 1:
            lines.append("Pareto front (GPUs, step time, cost):")
            for r in s["pareto"]:
                cost = f", {fmt_number(r['cost_per_step_usd'])} USD/step" if r.get("cost_per_step_usd") else ""
                lines.append(f"  {_layout_words(r['layout'])}: {_duration(r['step_s'])}/step{cost}")
    if s["rejected"]:
        lines.append("rejected:")
        for r in s["rejected"][:12]:
            lines.append(f"  {r['count']:>6}  {r['reason']}")
        if len(s["rejected"]) > 12:
            lines.append(f"  ... and {len(s['rejected']) - 12} more reasons (see --format json)")
    return "\n".join(lines)


def _goal(g: dict, color: bool, width: int = DEFAULT_WIDTH) -> str:
    head = _paint(f"goal {g['name']} for {g['target']}", "1", color) + f"  ({g['file']}:{g['line']})"
    lines = [head]
    if g["kind"] == "training":
        within = f" within {_duration(g['within_s'])}" if g.get("within_s") else ""
        lines.append(f"train the plan's tokens{within}; {g['objective']} first")
        rows = []
        for o in g["options"]:
            if "unavailable" in o:
                rows.append(["-", o["gpu_name"], "-", "-", "-", "-", o["unavailable"]])
                continue
            lay = o["layout"]
            cost = ("no price" if o.get("cost_usd") is None else f"{fmt_number(o['cost_usd'])} USD"
                    if o.get("cost_low_usd") is None else
                    f"{fmt_number(o['cost_low_usd'])} to {fmt_number(o['cost_usd'])} USD")
            days = (f"{o['days']:.1f} d" if o.get("days_low") is None else
                    f"{o['days_low']:.1f} to {o['days']:.1f} d")
            rows.append([str(o["rank"]), o["gpu_name"], f"{o['gpus']} ({o['nodes']} node{'s' if o['nodes'] != 1 else ''})",
                         days, cost, f"{o['mfu']:.0%}",
                         f"TP {lay['tensor']} x PP {lay['pipeline']} x DP {lay['data']}, {_zero_text(o)}"
                         f"{', dist-opt' if lay['distributed_optimizer'] else ''}, recompute {lay['recompute']}, "
                         f"mb {lay['micro_batch']}, global batch {o['global_batch']}"])
        lines.append(table(["#", "GPU", "GPUs", "time", "cost", "MFU", "layout"], rows, {2, 3, 4, 5}, width))
        if any(o.get("days_model") is not None for o in g["options"]):
            lines.append("time and cost run from the optimistic to the pessimistic end of the time band (10th-90th "
                         "percentile of the published runs' errors), with the expected interruptions, restarts and "
                         "checkpoints; sized at the pessimistic end (`days_model` in --format json: the central "
                         "estimate without them)")
        lines += _rejections(g["options"])
    else:
        lines.append(f"serve {fmt_number(g['requests_per_s'])} requests/s within the plan's targets; "
                     f"{g['objective']} first")
        rows = []
        for o in g["options"]:
            if "unavailable" in o:
                rows.append(["-", o["gpu_name"], "-", "-", "-", "-", o["unavailable"]])
                continue
            per_h = f"{fmt_number(o['cost_per_hour_usd'])} USD/h" if o.get("cost_per_hour_usd") is not None else "-"
            per_m = f"{fmt_number(o['cost_per_mtok_usd'])}" if o.get("cost_per_mtok_usd") is not None else "-"
            point = (f"{fmt_number(o['requests_per_s_per_replica'])} requests/s per replica (simulated)"
                     if o.get("sized_by") == "simulation" else
                     f"batch {o['batch']}, TTFT {_duration(o['ttft_s'])}, {_duration(o['tpot_s'])}/token")
            rows.append([str(o["rank"]), o["gpu_name"], str(o["gpus"]), f"{o['replicas']} x TP {o['tensor']}",
                         per_h, per_m, point])
        lines.append(table(["#", "GPU", "GPUs", "replicas", "cost", "USD per Mtok", "operating point"], rows,
                           {2, 4, 5}, width))
        k = next((o["sized_at"] for o in g["options"] if o.get("sized_at")), None)
        if k:
            lines.append(f"sized at the pessimistic end of the serving bands: the load x {k['requests']:.3g}, the "
                         f"TTFT target x {k['ttft']:.3g}, the TPOT target x {k['tpot']:.3g} (the validation half's "
                         "error percentiles)")
    return "\n".join(lines)


def _zero_text(o: dict) -> str:
    """A goal option's ZeRO stage; under Megatron, stages 2 and 3 are Megatron-FSDP."""
    zero = o["layout"]["zero"]
    return f"Megatron-FSDP (ZeRO {zero})" if megatron_fsdp(o.get("runtime"), zero) else f"ZeRO {zero}"


def _rejections(options: list[dict]) -> list[str]:
    """Why the sizes below each answer were rejected: the nearest one for a GPU type that has an answer,
    every one (up to 8) for a GPU type that has none; all of them are in --format json (`tried`)."""
    lines = []
    for o in options:
        tried = [t for t in o.get("tried", ()) if t.get("reason")]
        if "unavailable" not in o:
            tried = [t for t in tried if t.get("nodes", t.get("to", 0)) < o["nodes"]][-1:]
        elif len(tried) > 8:
            tried = tried[-8:]
        for t in tried:
            n = t["nodes"] if "nodes" in t else (t["from"] if t["from"] == t["to"] else None)
            sizes = (f"{n} node{'s' if n != 1 else ''}" if n is not None else f"{t['from']}-{t['to']} nodes")
            lines.append(f"  {o['gpu_name']}: {sizes}: {t['reason']}")
    return ["sizes rejected (the nearest below each answer; all under `tried` in --format json):"] + lines \
        if lines else []


def _calibration(c: dict | None) -> list[str]:
    if not c:
        return []
    fitted = ", ".join(f"{k} = {v:.4g}" for k, v in sorted(c["constants"].items())) or "no constant in use"
    error = f"; fit error {c['fit_error'] * 100:.2g}%" if c.get("fit_error") is not None else ""
    return [f"calibrated ({c['name']}): {fitted}, fitted to {c['fitted_from']}{error}"]


def render_plans(comp, color: bool = False, width: int = DEFAULT_WIDTH) -> str:
    """The evaluated plans, searches and goals as terminal text, every line at most `width` columns wide
    (the CLI passes capplan.render.fit.terminal_width: COLUMNS, else the terminal's, else 100)."""
    blocks = []
    for model in sorted(comp.models, key=lambda m: m["name"]):
        blocks.append("\n".join(_params(model, width)))
    for plan in sorted(comp.plans, key=lambda p: p["name"]):
        head = _paint(f"{plan['kind']} {plan['name']}", "1", color)
        hw = plan["hardware"]
        lines = [f"{head}  ({plan['file']}:{plan['line']})",
                 f"hardware: {hw['gpus']} x {hw['gpu_name']} ({_mem(hw['usable_bytes'], hw['memory_unit'])} "
                 "usable each)",
                 f"model: {plan['model']['name']}, {fmt_number(plan['model']['params']['total'])} parameters"]
        lines += _calibration(plan.get("calibration"))
        lines += _training(plan, width) if plan["kind"] == "training" else _inference(plan, width)
        verdict = _paint(plan["verdict"], "32" if plan["fits"] else "31", color)
        lines.append(f"verdict: {verdict}")
        for req in plan["requirements"]:
            lines.append(f"  require {req['text']}: {'ok' if req['ok'] else 'FAILED'}")
        blocks.append("\n".join(lines))
    for s in sorted(comp.searches, key=lambda x: x["name"]):
        blocks.append(_search(s, color, width))
    for g in sorted(comp.goals, key=lambda x: x["name"]):
        blocks.append(_goal(g, color, width))
    return fit_lines(terminal("\n\n".join(blocks) + "\n", color), width)
