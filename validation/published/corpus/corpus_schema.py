"""Shared vocabulary of the published-figures corpus: units, how a printed number becomes a value,
and the calibration/validation split rule. Standard library only.

Every measured figure is stored twice: `printed`, the number exactly as it appears in one of the
record's `quote` excerpts, and `value`, the same number in the corpus unit. `value` is always
`parse_printed(printed) * FACTOR[(printed_unit, unit)]`; nothing else is allowed between the two.
"""
from __future__ import annotations

# Units a `value` may carry. A figure in any other unit is a transcription error.
UNITS = {
    "fraction",                    # MFU/HFU: 0.5333 = 53.33 %
    "s",                           # step (iteration) time
    "min",                         # time to train (MLPerf)
    "ms",                          # TTFT, ITL, TPOT
    "days",                        # wall-clock days for a stated token count
    "TFLOP/s/GPU",                 # achieved model TFLOP/s per GPU (see README for what is counted)
    "tokens/s",                    # aggregate tokens per second over all GPUs of the run
    "tokens/s/GPU",                # tokens per second divided by the GPU count, as printed
    "requests/s",                  # completed requests (MLPerf: samples) per second
    "GPU-hours",                   # total GPU time for a stated token count
    "GPU-hours/trillion tokens",   # GPU time per 10^12 training tokens
}

# printed_unit -> unit conversion factors. Same unit on both sides is always factor 1.
FACTOR = {
    ("percent", "fraction"): 0.01,
    ("ns", "ms"): 1e-6,
}

# Suffixes the sources use inside numbers ("2664K GPU hours", "1.46M", "50K tokens per second").
SUFFIX = {"K": 1e3, "M": 1e6}


def parse_printed(printed: str) -> float:
    """The number a source printed, as a float: thousands separators dropped, K/M suffix applied."""
    text = printed.replace(",", "")
    scale = 1.0
    if text and text[-1] in SUFFIX:
        scale = SUFFIX[text[-1]]
        text = text[:-1]
    return float(text) * scale


def factor(printed_unit: str, unit: str) -> float:
    if printed_unit == unit:
        return 1.0
    return FACTOR[(printed_unit, unit)]


def figure(quantity: str, printed: str, unit: str, printed_unit: str | None = None,
           bound: str | None = None) -> dict:
    """One measured figure. `bound` is 'lower' when the source says 'exceeds'/'over', else None."""
    pu = printed_unit or unit
    value = parse_printed(printed) * factor(pu, unit)
    return {"quantity": quantity, "value": round(value, 9), "unit": unit,
            "printed": printed, "printed_unit": pu, "bound": bound}


def assign_splits(records: list[dict]) -> None:
    """The split rule (stated in README.md, re-derived by tests/test_published_corpus.py).

    Families are taken in sorted order of their name, f = 0, 1, 2, ...; inside a family the records
    are taken in sorted order of their id, k = 0, 1, 2, .... A record is `calibration` when
    (f + k) is even and `validation` when it is odd. Only names are used, never a figure's value.
    """
    families = sorted({r["family"] for r in records})
    for f, family in enumerate(families):
        members = sorted((r for r in records if r["family"] == family), key=lambda r: r["id"])
        for k, record in enumerate(members):
            record["split"] = "calibration" if (f + k) % 2 == 0 else "validation"
