"""`capplan diff --fail-on no-fit,requirement,regression[=5%]`: when a change fails CI.

- `no-fit`: a plan that fitted (or is new) no longer fits, unless it says `require not fits`.
- `requirement`: a `require` that held (or is new) fails.
- `regression[=P%]`: a figure got worse by more than P % (default 5 %) of its old value in
  the direction that matters (peak memory, step time, cost and latency up; tokens/s,
  MFU, max batch, headroom down). Fractions (MFU, headroom) compare relatively too.
"""

from __future__ import annotations

from capplan.tools.diff.semantic import BETTER

POLICIES = ("no-fit", "requirement", "regression")
DEFAULT_REGRESSION = 0.05


def parse_fail_on(text: str) -> tuple[dict | None, str | None]:
    """({policy: threshold or None}, error)."""
    out = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name, _, arg = part.partition("=")
        if name not in POLICIES:
            return None, f"--fail-on: unknown policy `{name}` (choose from {', '.join(POLICIES)})"
        if name != "regression":
            if arg:
                return None, f"--fail-on: `{name}` takes no value"
            out[name] = None
            continue
        if not arg:
            out[name] = DEFAULT_REGRESSION
            continue
        try:
            value = float(arg.rstrip("%")) / 100
        except ValueError:
            return None, f"--fail-on: `regression={arg}` is not a percentage (e.g. regression=5%)"
        if not 0 <= value < 100:
            return None, f"--fail-on: `regression={arg}` must be between 0% and 10000%"
        out[name] = value
    return out, None


def _rows(plan: dict):
    yield from plan["outputs"]
    for rank in plan["ranks"]:
        for row in rank["figures"]:
            yield {**row, "label": f"{rank['rank']} {row['label']}"}


def failures(d: dict, policies: dict) -> list[dict]:
    out = []
    for p in d["plans"]:
        if p["status"] in ("removed", "unchanged", "renamed"):
            continue
        expected_no_fit = any(r["after"] is not None and r["text"].split() == ["not", "fits"]
                              for r in p["requirements"])
        if "no-fit" in policies and p["fits"]["after"] is False and p["fits"]["before"] is not False \
                and not expected_no_fit:
            was = "is new" if p["fits"]["before"] is None else "fitted before"
            out.append({"policy": "no-fit", "plan": p["name"],
                        "message": f"{p['kind']} {p['name']} does not fit ({was}): {p['verdict']['after']}"})
        if "requirement" in policies:
            for r in p["requirements"]:
                if r["after"] == "failed" and r["before"] != "failed":
                    was = f" as `{r['before_text']}`" if r.get("before_text") else ""
                    out.append({"policy": "requirement", "plan": p["name"],
                                "message": f"{p['name']}: `require {r['text']}` fails (before: "
                                           f"{r['before'] or 'new plan'}{was})"})
        limit = policies.get("regression")
        if limit is None or p["status"] != "changed":
            continue
        for row in _rows(p):
            better = BETTER.get(row["figure"])  # memory components may trade places: only the peak counts
            change = row["change"]
            if better is None or not change or row["before"] in (None, 0) or row["after"] is None:
                continue
            relative = (row["after"] - row["before"]) / abs(row["before"])
            worse = relative if better == "lower" else -relative
            if worse > limit:
                out.append({"policy": "regression", "plan": p["name"],
                            "message": f"{p['name']}: {row['label']} {row['shown_before']} -> {row['shown_after']} "
                                       f"({worse * 100:.1f}% worse, limit {limit * 100:g}%)"})
    return out
