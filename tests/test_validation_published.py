"""The time model against published Megatron-LM results (issue 4's validation table).

Independent source: validation/published/training_runs.json (transcribed from
Narayanan et al. 2021 Table 2, Korthikanti et al. 2022 Table 5, the BLOOM
training log; see validation/published/README.md). The committed comparison
table must be what the engine predicts today.
"""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

TABLE = ROOT / "validation" / "published" / "predicted_vs_published.json"


def test_the_committed_table_is_current():
    proc = subprocess.run([sys.executable, "validation/compare_published.py", "--check"], cwd=ROOT)
    assert proc.returncode == 0, "run `python validation/compare_published.py` and commit the result"


def test_at_least_six_published_configurations_with_errors_stated():
    doc = json.loads(TABLE.read_text())
    assert doc["summary"]["configurations"] >= 6
    assert doc["summary"]["step_time"]["n"] >= 6
    for key in ("step_time", "mfu"):
        stats = doc["summary"][key]
        assert 0 <= stats["median"] <= stats["worst"]
    md = TABLE.with_suffix(".md").read_text()
    assert "median error" in md and "worst" in md
