"""Reality checks: figures that a reader should not take at face value, found by pure functions.

Each check takes evaluated plans and goals (as `capplan eval --format json` gives them, and the
typed plan where a field is only there) and returns `Finding`s: a stable code, the plan or goal it
concerns, and the numbers it rests on. The report words them (capplan.render.report.sections.decision);
nothing here formats text for a reader or raises.

- `expected_to_fail`: a plan whose requirements say it must fail (`require not fits`): documented
  as a counter-example, it never feeds a headline figure or a recommendation.
- `deadline_findings`: a training plan whose time to train exceeds the deadline a goal gives it.
- `mfu_findings`: an MFU above what published large-scale training runs report (`MFU_NORMS`).
- `context_findings`: a context or sequence length past the model's max_position_embeddings
  (the catalog's `max_seq`), where positions are untrained.
"""

from __future__ import annotations

from capplan.core.records import Record, record


@record
class Norm(Record):
    """A published model FLOPs utilisation: `low`..`high` of peak, on `gpus` accelerators."""
    source: str
    low: float
    high: float
    gpus: int

    def __init__(self, source: str, low: float, high: float, gpus: int) -> None:
        self.__dict__.update(source=source, low=low, high=high, gpus=gpus)


# Published MFU of large training runs (fractions of dense peak), the figures as each paper states them.
MFU_NORMS = (
    Norm("Megatron-LM (Narayanan et al. 2021, arXiv:2104.04473): 44-52% of peak, GPT models on up to 3,072 A100s",
         0.44, 0.52, 3072),
    Norm("PaLM (Chowdhery et al. 2022, arXiv:2204.02311): 46.2% MFU, 540B on 6,144 TPU v4", 0.462, 0.462, 6144),
    Norm("MegaScale (Jiang et al. 2024, arXiv:2402.15627): 55.2% MFU, 175B on 12,288 GPUs", 0.552, 0.552, 12288),
    Norm("Llama 3 (Dubey et al. 2024, arXiv:2407.21783): 38-43% BF16 MFU on 8,192-16,384 H100s",
         0.38, 0.43, 16384),
)
MFU_CEILING = max(n.high for n in MFU_NORMS)          # the highest published figure, at any scale
LARGE_SCALE_GPUS = 8192                               # from here, Llama 3's 38-43% is the nearest published scale
LARGE_SCALE_CEILING = 0.43


@record
class Finding(Record):
    code: str                 # "deadline-missed" | "mfu-above-published" | "context-over-max-positions"
    subject: str              # the plan (or goal option) it concerns
    values: dict              # the numbers it rests on, by name
    level: str = "warning"

    def __init__(self, code: str, subject: str, values: dict, level: str = "warning") -> None:
        self.__dict__.update(code=code, subject=subject, values=values, level=level)


def expected_to_fail(plan: dict) -> bool:
    """The plan declares that it must fail: some requirement is a negation (`require not fits`)."""
    return any(str(r.get("text", "")).strip().startswith("not ") for r in plan.get("requirements") or ())


def deadline_findings(plans: list[dict], goals: list[dict]) -> list[Finding]:
    """Each training plan whose time to train (as declared, with the expected interruptions) exceeds the
    deadline of a goal for it."""
    by_name = {p["name"]: p for p in plans}
    out = []
    for g in goals:
        plan = by_name.get(g.get("target"))
        within = g.get("within_s")
        if plan is None or not within or plan["kind"] != "training" or expected_to_fail(plan):
            continue
        t = plan.get("time") or {}
        # the expected wall time: with interruptions, restarts and checkpoints where the engine gives them
        train_s = ((t.get("goodput") or {}).get("train_s")) or t.get("train_s")
        if train_s is not None and train_s > within:
            out.append(Finding("deadline-missed", plan["name"], {
                "goal": g["name"], "train_s": train_s, "within_s": within, "late_s": train_s - within,
                "ratio": train_s / within}))
    return out


def mfu_findings(plans: list[dict], goals: list[dict] = ()) -> list[Finding]:
    """Each training plan (and training goal's option) whose MFU is above the published norms for its scale."""
    out = []
    for p in plans:
        t = p.get("time") or {}
        if p["kind"] == "training" and t.get("mfu") is not None and not expected_to_fail(p):
            out += _mfu(p["name"], t["mfu"], p["hardware"]["gpus"])
    for g in goals:
        if g.get("kind") != "training":
            continue
        for o in g.get("options") or ():
            if o.get("mfu") is not None and o.get("gpus"):
                out += _mfu(f"{g['name']}: {o.get('gpu', '')}", o["mfu"], o["gpus"])
    return out


def _mfu(subject: str, mfu: float, gpus: int) -> list[Finding]:
    ceiling = LARGE_SCALE_CEILING if gpus >= LARGE_SCALE_GPUS else MFU_CEILING
    if mfu <= ceiling:
        return []
    source = MFU_NORMS[3].source if gpus >= LARGE_SCALE_GPUS else MFU_NORMS[2].source
    return [Finding("mfu-above-published", subject, {"mfu": mfu, "gpus": gpus, "ceiling": ceiling,
                                                     "source": source})]


def context_findings(plans: list[dict], workloads: dict) -> list[Finding]:
    """Each plan whose context (inference) or sequence length (training) exceeds the model's max_seq;
    `workloads` maps (file, name) to the typed plan (capplan.render.report.workloads)."""
    out = []
    for p in plans:
        w = workloads.get((p["file"], p["name"]))
        max_seq = getattr(getattr(w, "model", None), "max_seq", None)
        if not max_seq:
            continue
        length = getattr(w, "context", None) if p["kind"] == "inference" else getattr(w, "seq_len", None)
        if length and length > max_seq:
            out.append(Finding("context-over-max-positions", p["name"], {
                "tokens": int(length), "max_seq": int(max_seq), "model": p["model"]["display_name"]}))
        longest = p.get("max_context")
        if p["kind"] == "inference" and longest and longest > max_seq:
            out.append(Finding("context-over-max-positions", p["name"], {
                "tokens": int(longest), "max_seq": int(max_seq), "model": p["model"]["display_name"]}))
    return out


def sensitivity(costs: dict[str, float], swing: float = 0.3) -> dict[str, tuple[str, str]]:
    """For each option (name -> cost, lower is better), the first choice when that option's price
    alone is `swing` lower and `swing` higher (cost scales with the price per GPU-hour)."""
    out = {}
    for name in sorted(costs):
        firsts = []
        for factor in (1 - swing, 1 + swing):
            scaled = {k: v * (factor if k == name else 1.0) for k, v in costs.items()}
            firsts.append(min(sorted(scaled), key=lambda k: scaled[k]))
        out[name] = (firsts[0], firsts[1])
    return out
