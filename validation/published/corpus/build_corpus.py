"""Writes training.json and serving.json (same folder) from records_training.py and records_serving.py.

    python3 validation/published/corpus/build_corpus.py          # rewrite both files
    python3 validation/published/corpus/build_corpus.py --check  # exit 1 if a committed file differs

Standard library only; output is byte-identical on every run (records sorted by id, fixed indent).
"""
from __future__ import annotations

import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from corpus_schema import UNITS, assign_splits  # noqa: E402
from records_serving import SERVING  # noqa: E402
from records_training import TRAINING  # noqa: E402

DESCRIPTION = {
    "training": "Published LLM training figures (step time, tokens/s, TFLOP/s per GPU, MFU, GPU-hours, time to train) with the layouts their sources state, for calibrating and validating capplan's time model. Complements ../training_runs.json, which it does not repeat.",
    "serving": "Published LLM serving figures (throughput, TTFT, ITL/TPOT at a stated load) with their engine settings, for calibrating and validating capplan's serving estimates.",
}
CONVENTIONS = {
    "value": "the printed number converted to `unit`: value = printed (commas dropped, K=1e3, M=1e6) * factor(printed_unit -> unit); factors: percent->fraction 0.01, ns->ms 1e-6",
    "quote": "one or more verbatim excerpts (<= 300 characters each; runs of whitespace collapsed to one space); every `printed` number appears in one of them",
    "bound": "'lower' when the source says 'exceeds'/'over'; otherwise null (a measured value)",
    "split": "calibration or validation, by the rule in README.md ('Split rule'); never by a figure's value",
    "null": "not stated by the source; anything reasoned out is said in `notes`",
}


def document(kind: str, records: list[dict]) -> dict:
    records = sorted(records, key=lambda r: r["id"])
    return {
        "schema_version": 1,
        "kind": kind,
        "description": DESCRIPTION[kind],
        "conventions": CONVENTIONS,
        "units": sorted(UNITS),
        "counts": {s: sum(r["split"] == s for r in records) for s in ("calibration", "validation")},
        "records": records,
    }


def render(doc: dict) -> str:
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def write_atomically(path: str, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def main(argv: list[str]) -> int:
    check = "--check" in argv
    assign_splits(TRAINING)
    assign_splits(SERVING)
    stale = []
    for kind, records in (("training", TRAINING), ("serving", SERVING)):
        path = os.path.join(HERE, f"{kind}.json")
        text = render(document(kind, records))
        if check:
            current = open(path, encoding="utf-8").read() if os.path.exists(path) else None
            if current != text:
                stale.append(path)
        else:
            write_atomically(path, text)
    if stale:
        print("out of date (run build_corpus.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
