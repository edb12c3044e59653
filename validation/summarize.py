"""Print Markdown summary tables of validation/data/*.json (read-only; writes nothing).

    /work/.venv-val/bin/python validation/summarize.py [params|activations|peak]
"""

from __future__ import annotations

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name):
    with open(os.path.join(HERE, "data", name), encoding="utf-8") as fh:
        return json.load(fh)


def params() -> None:
    d = load("params.json")
    print("| model | total params | embedding | attention | mlp | experts | shared_experts | router | norms | head |"
          " layer0 | moe layer | anchor |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for name, m in d["models"].items():
        b = m["breakdown"]
        moe = m["moe_layer"]["total"] if m["moe_layer"] else ""
        anchor = ("ok" if m.get("anchor_match") else "MISMATCH") if "anchor_match" in m else ""
        print(f"| {name} | {m['total_params']:,} | {b['embedding']:,} | {b['attention']:,} | {b['mlp']:,} | "
              f"{b['experts']:,} | {b['shared_experts']:,} | {b['router']:,} | {b['norms']:,} | {b['head']:,} | "
              f"{m['layer0']['total']:,} | {moe if moe == '' else format(moe, ',')} | {anchor} |")
    if d["failures"]:
        print("failures:", d["failures"])


def activations(arch: str = "llama") -> None:
    d = load("activations.json")
    print(f"### {arch}: activation bytes saved for backward (b={d['method']['batch']})")
    print("| seq | recipe | attn | ckpt | layer.0 act (first-save dedup) | layer.0 param-cast | embedding+other |"
          " final_norm | lm_head | loss | total act dedup | MemTracker ACT after fwd | attention kernel |")
    print("|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in d["runs"]:
        if r["arch"] != arch:
            continue
        bp = r["by_part"]

        def fs(p, kind="activation"):
            return bp.get(p, {}).get("first_save_attributed_dedup_bytes_by_kind", {}).get(kind, 0)

        l0 = r["per_layer"].get("layer.0", {})
        print(f"| {r['seq']} | {r['recipe']} | {r['attn_implementation']} | {r['gradient_checkpointing']} | "
              f"{l0.get('activation_first_save_dedup_bytes', 0):,} | {l0.get('parameter_cast_dedup_bytes_saved_in_part', 0):,} | "
              f"{fs('embedding') + fs('other'):,} | {fs('final_norm'):,} | {fs('lm_head'):,} | {fs('loss'):,} | "
              f"{r['totals']['activation']['dedup_bytes']:,} | {r['memtracker_after_forward'].get('Activation', 0):,} | "
              f"{','.join(k.split('.')[1] for k in r['attention_kernel_ops']) or 'eager (matmul+softmax)'} |")


def layer0(arch="llama", seq=128, recipe="bf16_weights", attn="sdpa", ckpt=False) -> None:
    d = load("activations.json")
    for r in d["runs"]:
        if (r["arch"], r["seq"], r["recipe"], r["attn_implementation"], r["gradient_checkpointing"]) == (
                arch, seq, recipe, attn, ckpt):
            print(f"### layer.0 saved tensors: {r['run_id']}")
            print("| saved_by | module | kind | shape | dtype | storage bytes | storage id | first save |")
            print("|---|---|---|---|---|---:|---:|---|")
            for x in r["layer0_saved_tensors"]:
                print(f"| {', '.join(x['saved_by'])} | {x['module']} | {x['kind']} | {x['shape']} | {x['dtype']} | "
                      f"{x['storage_nbytes']:,} | {x['storage_id']} | {x['first_save_of_storage']} |")


def peak() -> None:
    d = load("peak_memory.json")
    print("| run | params | peak total | at phase | Param | Grad | Act | Temp | Opt | steady opt state |")
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    for r in d["runs"]:
        p = r["peak_by_category"]
        ss = r.get("steady_state_after_iter1", {})
        print(f"| {r['run_id']} | {r.get('num_params', '')} | {r['peak_bytes']:,} | "
              f"{r['peak_reached_at'].get('phase')} | {p.get('Parameter', 0):,} | {p.get('Gradient', 0):,} | "
              f"{p.get('Activation', 0):,} | {p.get('Temp', 0):,} | {p.get('Optstate', 0):,} | "
              f"{ss.get('optimizer_state_bytes', '')} |")
    print("failures:", [f["run_id"] + ": " + f["error"][:100] for f in d["failures"]])
    print("crosscheck identical:", [(c["arch"], c.get("recipe"), c.get("identical")) for c in d["fake_vs_real_crosscheck"]])


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    if what in ("params", "all"):
        params()
    if what in ("activations", "all"):
        for a in ("llama", "mixtral", "qwen2", "gpt2"):
            activations(a)
        layer0()
    if what in ("peak", "all"):
        peak()
