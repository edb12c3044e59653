"""`capplan diff`: what a change to specs does to every plan, inputs and outputs.

For each plan (matched by file and name): the resolved inputs that changed (model and
architecture fields, GPU and cluster, precision per tensor class, layout, framework,
catalog entries used; `compiler/diff_inputs.py`), and the outputs before -> after with
units: the verdict, the memory budget, the peak and every memory component per rank,
headroom, max batch and context, requirement results, time, cost and serving figures.
Fractions (MFU, headroom) change in percentage points. A change under the noise
threshold (0.05 % by default) or under one display unit is hidden and counted.
Added plans show their full figures; removed plans their last ones; a removed and an
added plan with identical inputs and outputs are one renamed plan. The JSON form
follows `compiler/schema/diff.schema.json`; `--fail-on` turns changes into an exit
status for CI (`compiler/diff_policy.py`).
"""

from __future__ import annotations

import json

from capplan.check.units import dims_of
from capplan.check.values import fmt_number, fmt_quantity
from capplan.tools.diff.inputs import plan_inputs

SCHEMA = "capplan/diff/v1"
DEFAULT_THRESHOLD = 0.0005  # 0.05 %

# (key, path in the evaluated plan, label, unit, better): unit is the canonical unit of the JSON
# value; better is "lower", "higher" or None (a regression is a change the other way)
OUTPUTS = [
    ("gpus", ("hardware", "gpus"), "GPUs", "count", None),
    ("budget", ("_budget",), "memory budget per GPU", "B", "higher"),
    ("peak", ("peak_bytes",), "peak memory per GPU", "B", "lower"),
    ("headroom", ("headroom",), "headroom", "fraction", "higher"),
    ("max_batch", ("max_batch",), "max batch", "count", "higher"),
    ("max_context", ("max_context",), "max context", "tokens", "higher"),
    ("step_time", ("time", "step_s"), "step time", "s", "lower"),
    ("tokens_per_s", ("time", "tokens_per_s"), "tokens/s", "tokens/s", "higher"),
    ("mfu", ("time", "mfu"), "MFU", "fraction", "higher"),
    ("hfu", ("time", "hfu"), "HFU", "fraction", "higher"),
    ("bubble", ("time", "bubble_s"), "pipeline bubble", "s", "lower"),
    ("comm_tensor", ("time", "communication_s", "tensor"), "tensor-parallel communication", "s", "lower"),
    ("comm_pipeline", ("time", "communication_s", "pipeline"), "pipeline communication", "s", "lower"),
    ("comm_data", ("time", "communication_s", "data"), "data-parallel communication (exposed)", "s", "lower"),
    ("overlap_slowdown", ("time", "overlap_slowdown_s"), "compute slowed by overlapped data-parallel traffic", "s",
     "lower"),
    ("comm_expert", ("time", "communication_s", "expert"), "expert-parallel communication", "s", "lower"),
    ("train_time", ("time", "train_s"), "time to train", "s", "lower"),
    ("gpu_hours", ("time", "gpu_hours"), "GPU-hours", "GPU-h", "lower"),
    ("cost", ("time", "cost_usd"), "cost", "USD", "lower"),
    ("energy", ("time", "energy_kwh"), "energy", "kWh", "lower"),
    ("ttft", ("serving", "ttft_s"), "time to first token", "s", "lower"),
    ("tpot", ("serving", "tpot_s"), "time per output token", "s", "lower"),
    ("serving_tokens_per_s", ("serving", "tokens_per_s"), "tokens/s per replica", "tokens/s", "higher"),
    ("requests_per_s", ("serving", "requests_per_s"), "requests/s per replica", "req/s", "higher"),
    ("best_batch", ("serving", "best_batch"), "best batch", "count", "higher"),
    ("best_tokens_per_s", ("serving", "best_tokens_per_s"), "tokens/s at best batch", "tokens/s", "higher"),
    ("replicas", ("serving", "replicas"), "replicas", "count", None),
    ("serving_gpus", ("serving", "gpus_total"), "GPUs for the request rate", "count", "lower"),
    ("cost_per_mtok", ("serving", "cost_per_mtok_usd"), "cost per million tokens", "USD", "lower"),
]
BETTER = {key: better for key, _, _, _, better in OUTPUTS}  # per-rank peaks: the plan's peak is their maximum
COMPONENTS = ("weights", "gradients", "master_weights", "optimizer_states", "comm_buffers", "activations", "logits",
              "temporary",
              "kv_cache", "allocator_reserve", "cuda_context", "nccl", "cuda_graphs")


def _get(plan: dict, path: tuple):
    if path == ("_budget",):
        return plan.get("budget_bytes", plan["hardware"].get("usable_bytes"))
    value = plan
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


# ------------------------------------------------------------------ display

def show(value, unit: str) -> str:
    """A figure as the reports print it."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if unit == "B":
        return fmt_quantity(value, dims_of("information"))
    if unit == "s":
        return fmt_quantity(value, dims_of("time"))
    if unit == "fraction":
        return f"{value * 100:.1f}%"
    if unit == "count":
        return fmt_number(value)
    return f"{fmt_number(value)} {unit}"


def _change(before, after, unit: str) -> dict | None:
    if before is None or after is None or isinstance(before, bool):
        return None
    if unit == "fraction":
        return {"pp": (after - before) * 100}
    return {"relative": (after - before) / before if before else None, "delta": after - before}


def show_change(change: dict | None, unit: str) -> str:
    if not change:
        return ""
    if "pp" in change:
        return f"{change['pp']:+.1f} pp"
    sign = "+" if change["delta"] > 0 else "-" if change["delta"] < 0 else "±"
    delta = sign + show(abs(change["delta"]), unit)
    if change["relative"] is None:
        return delta
    return f"{delta}, {change['relative'] * 100:+.1f}%"


def _row(key: str, label: str, unit: str, before, after) -> dict:
    return {"figure": key, "label": label, "unit": unit, "before": before, "after": after,
            "shown_before": show(before, unit), "shown_after": show(after, unit),
            "change": _change(before, after, unit)}


def _visible(row: dict, threshold: float) -> bool:
    """False for a change a reader could not see: under the threshold or under one display unit."""
    before, after = row["before"], row["after"]
    if before == after:
        return False
    if before is None or after is None or isinstance(before, bool) or isinstance(before, str):
        return True
    if row["shown_before"] == row["shown_after"]:
        return False
    if row["unit"] == "fraction":
        return abs(after - before) * 100 >= 0.05  # a tenth of the displayed 0.1 pp, rounded half up
    return not before or abs(after - before) / abs(before) >= threshold


# ------------------------------------------------------------------ one plan

def plan_outputs(plan: dict | None) -> list[dict]:
    """Every output figure of one evaluated plan as (before=None) rows: what an added plan shows."""
    return _rows(None, plan)


def _rows(a: dict | None, b: dict | None) -> list[dict]:
    rows = []
    for key, path, label, unit, _ in OUTPUTS:
        x = _get(a, path) if a else None
        y = _get(b, path) if b else None
        if x is None and y is None:
            continue
        rows.append(_row(key, label, unit, x, y))
    return rows


def _ranks(plan: dict | None) -> list[tuple[str, dict, float, bool]]:
    if plan is None:
        return []
    if plan["kind"] == "training":
        return [(f"stage {r['stage']}", r["memory"], r["peak_bytes"], r["fits"]) for r in plan["ranks"]]
    return [("each GPU", plan["memory"], plan["peak_bytes"], plan["fits"])]


def _rank_rows(a: dict | None, b: dict | None, threshold: float) -> tuple[list[dict], int]:
    before = {name: (mem, peak) for name, mem, peak, _ in _ranks(a)}
    after = {name: (mem, peak) for name, mem, peak, _ in _ranks(b)}
    names = [n for n, *_ in _ranks(b)] + [n for n, *_ in _ranks(a) if n not in after]
    out, hidden = [], 0
    for name in names:
        (ma, pa), (mb, pb) = before.get(name, ({}, None)), after.get(name, ({}, None))
        rows = [_row("rank_peak", "peak", "B", pa, pb)]
        for comp in COMPONENTS:
            x, y = ma.get(comp), mb.get(comp)
            if x is None and y is None:
                continue
            if name in before and name in after:
                x, y = x or 0.0, y or 0.0
            rows.append(_row(comp, comp.replace("_", " "), "B", x, y))
        if a is not None and b is not None:
            shown = [r for r in rows if _visible(r, threshold)]
            hidden += sum(1 for r in rows if r["before"] != r["after"]) - len(shown)
            rows = shown
        if rows:
            out.append({"rank": name, "figures": rows})
    return out, hidden


def _requirements(a: dict | None, b: dict | None) -> list[dict]:
    def status(plan):
        return {r["text"]: ("ok" if r["ok"] else "failed") for r in (plan or {}).get("requirements", [])}

    sa, sb = status(a), status(b)
    if a is None or b is None:
        return [{"text": t, "before": sa.get(t) if a else None, "after": sb.get(t) if b else None}
                for t in (sb or sa)]
    # a requirement rewritten in place (`max_batch >= 64` -> `max_batch >= 300`) is one row: a line that
    # went away pairs with the first line that came about the same result (its first word)
    gone = [t for t in sa if t not in sb]
    rows = []
    for t in sb:
        if t in sa:
            if sa[t] != sb[t]:
                rows.append({"text": t, "before": sa[t], "after": sb[t]})
            continue
        old = next((g for g in gone if g.split()[:1] == t.split()[:1]), None)
        if old is None:
            rows.append({"text": t, "before": "absent", "after": sb[t]})
        else:
            gone.remove(old)
            rows.append({"text": t, "before_text": old, "before": sa[old], "after": sb[t]})
    rows += [{"text": t, "before": sa[t], "after": "absent"} for t in gone]
    return rows


def _verdict(plan: dict | None) -> str | None:
    return None if plan is None else plan["verdict"]


def compare_plan(a: dict | None, b: dict | None, ia: dict | None, ib: dict | None,
                 threshold: float = DEFAULT_THRESHOLD) -> dict:
    """One plan's entry: `a`/`b` the evaluated plans (None if absent), `ia`/`ib` their inputs."""
    plan = b or a
    entry = {"name": plan["name"], "kind": plan["kind"], "file": plan["file"], "line": plan["line"],
             "fits": {"before": a["fits"] if a else None, "after": b["fits"] if b else None},
             "verdict": {"before": _verdict(a), "after": _verdict(b)}}
    inputs_a, inputs_b = (ia or {}).get("inputs", {}), (ib or {}).get("inputs", {})
    if a is not None and b is not None:
        keys = list(inputs_b) + [k for k in inputs_a if k not in inputs_b]
        entry["inputs"] = [{"field": k, "before": inputs_a.get(k), "after": inputs_b.get(k)}
                           for k in keys if inputs_a.get(k) != inputs_b.get(k)]
        rows = _rows(a, b)
        outputs = [r for r in rows if _visible(r, threshold)]
        hidden = sum(1 for r in rows if r["before"] != r["after"]) - len(outputs)
        ranks, hidden_ranks = _rank_rows(a, b, threshold)
        entry.update(outputs=outputs, ranks=ranks, requirements=_requirements(a, b), hidden=hidden + hidden_ranks)
        visible = entry["inputs"] or outputs or ranks or entry["requirements"] or a["fits"] != b["fits"]
        entry["status"] = "changed" if visible else "unchanged"
    else:
        entry["inputs"] = [{"field": k, "before": v if b is None else None, "after": v if a is None else None}
                           for k, v in (inputs_a if b is None else inputs_b).items()]
        entry.update(outputs=_rows(a, b), ranks=_rank_rows(a, b, threshold)[0], requirements=_requirements(a, b),
                     hidden=0, status="removed" if b is None else "added")
    entry["uses"] = (ib or ia or {}).get("uses", {})
    return entry


def _fingerprint(plan: dict, inputs: dict | None) -> str:
    """What a plan is, without its name and place: identical fingerprints make a rename."""
    body = {k: v for k, v in plan.items() if k not in ("name", "file", "line", "figures", "requirements")}
    body["requirements"] = [(r["text"], r["ok"]) for r in plan.get("requirements", [])]
    return json.dumps([body, (inputs or {}).get("inputs")], sort_keys=True, default=str)


# ------------------------------------------------------------------ a set of files

def diff_units(pairs: list[dict], threshold: float = DEFAULT_THRESHOLD) -> dict:
    """The structured difference (the JSON output) of file pairs.

    Each pair: {"path", "status" (added|deleted|modified|unchanged), "before", "after"} where
    before/after are compilations (None for an absent side).
    """
    olds, news = {}, {}  # (pair index, plan name) -> (plan, inputs): plans match by name within a pair
    for index, pair in enumerate(pairs):
        for side, store in (("before", olds), ("after", news)):
            comp = pair[side]
            if comp is None:
                continue
            inputs = plan_inputs(comp)
            for plan in comp.plans:
                store[(index, plan["name"])] = (plan, inputs.get(plan["name"]))
    entries = []
    for key in sorted(set(olds) | set(news)):
        (a, ia), (b, ib) = olds.get(key, (None, None)), news.get(key, (None, None))
        entries.append(compare_plan(a, b, ia, ib, threshold))
        entries[-1]["_key"] = key
    entries = _detect_renames(entries, olds, news)
    summary = {s: sum(1 for e in entries if e["status"] == s)
               for s in ("changed", "added", "removed", "renamed", "unchanged")}
    files = [{"path": p["path"], "status": p["status"], **({"old_path": p["old_path"]} if p.get("old_path") else {})}
             for p in pairs]
    return {"schema": SCHEMA, "threshold": threshold, "files": files, "plans": entries, "summary": summary,
            "failures": []}


def _detect_renames(entries: list[dict], olds: dict, news: dict) -> list[dict]:
    by_print = {}
    for e in entries:
        if e["status"] == "removed":
            by_print.setdefault(_fingerprint(*olds[e["_key"]]), []).append(e)
    taken = set()
    for e in entries:
        if e["status"] != "added":
            continue
        plan, inputs = news[e["_key"]]
        candidates = [r for r in by_print.get(_fingerprint(plan, inputs), []) if id(r) not in taken]
        if candidates:
            old = candidates[0]
            taken.add(id(old))
            e.update(status="renamed", renamed_from={"name": old["name"], "file": old["file"]},
                     inputs=[], outputs=[], ranks=[], requirements=[],
                     fits={"before": plan["fits"], "after": plan["fits"]},
                     verdict={"before": plan["verdict"], "after": plan["verdict"]})
    for e in entries:
        del e["_key"]
    return [e for e in entries if id(e) not in taken]
