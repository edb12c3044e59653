"""`capplan diff OLD NEW`: what a change to a spec does to every plan.

Plans are matched by name. For each plan: the verdict, the GPUs, the peak per
GPU and, per GPU rank (pipeline stage), each memory component before -> after
with deltas. Unchanged plans are summarised in one line. `--git REV FILE`
compares FILE with its version at a git revision: the old version and the old
versions of what it imports are read from git, not from the working tree.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .units import dims_of
from .values import fmt_quantity

INFO = dims_of("information")
COMPONENTS = ("weights", "gradients", "master_weights", "optimizer_states", "activations", "logits", "temporary",
              "kv_cache", "allocator_reserve", "cuda_context")


def git_reader(rev: str, cwd: str | None = None):
    """A loader `read` hook serving files as they were at `rev` (FileNotFoundError if absent there)."""
    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True, cwd=cwd)
    if top.returncode != 0:
        raise ValueError("not inside a git repository")
    root = Path(top.stdout.strip()).resolve()

    def read(path: str) -> str:
        rel = Path(path).resolve().relative_to(root).as_posix()
        shown = subprocess.run(["git", "show", f"{rev}:{rel}"], capture_output=True, cwd=root)
        if shown.returncode != 0:
            raise FileNotFoundError(path)
        return shown.stdout.decode("utf-8")

    check = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], capture_output=True,
                           cwd=root)
    if check.returncode != 0:
        raise ValueError(f"unknown git revision `{rev}`")
    return read


def _ranks(plan: dict) -> list[dict]:
    if plan["kind"] == "training":
        return [{"rank": f"stage {r['stage']}", "memory": r["memory"], "peak": r["peak_bytes"], "fits": r["fits"]}
                for r in plan["ranks"]]
    return [{"rank": "each GPU", "memory": plan["memory"], "peak": plan["peak_bytes"], "fits": plan["fits"]}]


def diff_plans(old: list[dict], new: list[dict]) -> dict:
    """The structured difference (the JSON output)."""
    before = {p["name"]: p for p in old}
    after = {p["name"]: p for p in new}
    out = {"changed": [], "unchanged": [], "added": sorted(set(after) - set(before)),
           "removed": sorted(set(before) - set(after))}
    for name in sorted(set(before) & set(after)):
        a, b = before[name], after[name]
        ranks = []
        for ra, rb in zip(_ranks(a), _ranks(b)):
            comps = {}
            for key in COMPONENTS:
                x, y = ra["memory"].get(key), rb["memory"].get(key)
                if x is None and y is None:
                    continue
                x, y = x or 0.0, y or 0.0
                if x != y:
                    comps[key] = {"before": x, "after": y, "delta": y - x}
            ranks.append({"rank": rb["rank"], "peak_before": ra["peak"], "peak_after": rb["peak"],
                          "delta": rb["peak"] - ra["peak"], "fits_before": ra["fits"], "fits_after": rb["fits"],
                          "components": comps})
        if len(_ranks(a)) != len(_ranks(b)):
            ranks.append({"rank": "layout", "note": f"{len(_ranks(a))} -> {len(_ranks(b))} distinct ranks"})
        entry = {"name": name, "kind": b["kind"], "fits_before": a["fits"], "fits_after": b["fits"],
                 "gpus_before": a["hardware"]["gpus"], "gpus_after": b["hardware"]["gpus"],
                 "peak_before": a["peak_bytes"], "peak_after": b["peak_bytes"], "ranks": ranks,
                 "figures": _figures(a, b)}
        same = (a["peak_bytes"] == b["peak_bytes"] and a["fits"] == b["fits"] and entry["gpus_before"] ==
                entry["gpus_after"] and not entry["figures"]
                and all(not r.get("components") and r.get("delta", 0) == 0 for r in ranks))
        (out["unchanged"] if same else out["changed"]).append(entry if not same else name)
    return out


# time and cost figures compared per plan: (result path, label, unit)
FIGURES = [(("time", "step_s"), "step time", "s"), (("time", "tokens_per_s"), "tokens/s", ""),
           (("time", "mfu"), "MFU", "%"), (("time", "train_s"), "time to train", "s"),
           (("time", "cost_usd"), "cost", "USD"), (("time", "energy_kwh"), "energy", "kWh"),
           (("serving", "ttft_s"), "time to first token", "s"), (("serving", "tpot_s"), "time per token", "s"),
           (("serving", "tokens_per_s"), "tokens/s per replica", ""),
           (("serving", "cost_per_mtok_usd"), "cost per million tokens", "USD")]


def _get(plan: dict, path: tuple):
    value = plan
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _figures(a: dict, b: dict) -> dict:
    out = {}
    for path, label, unit in FIGURES:
        x, y = _get(a, path), _get(b, path)
        if x is None and y is None or x == y:
            continue
        out[label] = {"before": x, "after": y, "unit": unit,
                      "delta": (y - x) if x is not None and y is not None else None}
    return out


def _fig(value, unit: str) -> str:
    from .values import fmt_number

    if value is None:
        return "-"
    if unit == "%":
        return f"{value:.1%}"
    if unit == "s":
        return fmt_quantity(value, dims_of("time"))
    return f"{fmt_number(value)} {unit}".rstrip()


def _q(x: float) -> str:
    return fmt_quantity(x, INFO, "GiB")


def _delta(x: float) -> str:
    sign = "+" if x > 0 else "-" if x < 0 else "±"
    return sign + _q(abs(x))


def _pct(before: float, after: float) -> str:
    return f"{(after - before) / before:+.1%}" if before else "new"


def render_text(d: dict) -> str:
    lines = []
    for c in d["changed"]:
        fit = ("fits" if c["fits_after"] else "DOES NOT FIT") if c["fits_before"] == c["fits_after"] else (
            f"{'fits' if c['fits_before'] else 'did not fit'} -> {'fits' if c['fits_after'] else 'DOES NOT FIT'}")
        lines.append(f"{c['kind']} {c['name']}: {fit}; GPUs {c['gpus_before']} -> {c['gpus_after']}; peak "
                     f"{_q(c['peak_before'])} -> {_q(c['peak_after'])} ({_delta(c['peak_after'] - c['peak_before'])}, "
                     f"{_pct(c['peak_before'], c['peak_after'])})")
        for label, v in c["figures"].items():
            lines.append(f"  {label}: {_fig(v['before'], v['unit'])} -> {_fig(v['after'], v['unit'])}"
                         + (f" ({_pct(v['before'], v['after'])})" if v["delta"] is not None and v["before"] else ""))
        for r in c["ranks"]:
            if "note" in r:
                lines.append(f"  {r['rank']}: {r['note']}")
                continue
            if not r["components"] and not r["delta"]:
                continue
            lines.append(f"  {r['rank']}: {_q(r['peak_before'])} -> {_q(r['peak_after'])} ({_delta(r['delta'])})")
            for key, v in r["components"].items():
                lines.append(f"    {key.replace('_', ' ')}: {_q(v['before'])} -> {_q(v['after'])} "
                             f"({_delta(v['delta'])}, {_pct(v['before'], v['after'])})")
    for name in d["added"]:
        lines.append(f"added: {name}")
    for name in d["removed"]:
        lines.append(f"removed: {name}")
    if d["unchanged"]:
        lines.append(f"unchanged: {len(d['unchanged'])} plan{'s' if len(d['unchanged']) != 1 else ''} "
                     f"({', '.join(d['unchanged'])})")
    if not d["changed"] and not d["added"] and not d["removed"]:
        lines.insert(0, "no change")
    return "\n".join(lines) + "\n"


def render_markdown(d: dict) -> str:
    """The PR-comment form, rendered with the report templates' Jinja2 environment."""
    from importlib import resources

    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    folder = str(resources.files("capplan.templates"))
    env = Environment(loader=FileSystemLoader(folder), autoescape=False, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(q=_q, delta=_delta, fig=_fig, pct=_pct)
    return env.get_template("diff.md.j2").render(d=d)


def compile_pair(old: str, new: str, rev: str | None):
    """Compile the two versions; with `rev`, OLD is NEW's path read at that revision."""
    from .pipeline import compile_files

    if rev is not None:
        read = git_reader(rev, cwd=os.path.dirname(os.path.abspath(new)) or ".")
        return compile_files([new], read=read), compile_files([new])
    return compile_files([old]), compile_files([new])
