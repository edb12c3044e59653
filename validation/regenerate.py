"""Every published-vs-predicted table in validation/published/, regenerated (or checked) by one command.

Each table has its own scorer, which reads the published figures (training_runs.json, corpus/*.json,
llm_foundry_tables.json, torchtitan_performance.json), predicts them with the engine at the registry's constants
and writes a JSON and a Markdown file; this runs them in turn, each in its own interpreter (the scorers cache per-run choices at
import). The serving cross-validation refits the five serving constants once per source (about 18 minutes on two
cores) and runs only when asked.

Run from the repository root:
  python validation/regenerate.py                      # rewrite every table but the cross-validation
  python validation/regenerate.py --cross-validation   # and the serving cross-validation
  python validation/regenerate.py --check              # exit 1, naming each table a fresh run would change
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# scorer -> the tables it writes (validation/published/<stem>.json and .md)
SCORERS = {
    "score_training.py": "training_vs_published",
    "score_training_fp8.py": "training_fp8_vs_published",
    "score_foundry_tables.py": "foundry_tables_vs_published",
    "score_torchtitan.py": "torchtitan_vs_published",
    "compare_published.py": "predicted_vs_published",
    "score_serving.py": "serving_vs_published",
}
# written only on request; it has no --check (its JSON records the serving corpus's hash, which
# tests/test_serving_cross_validation.py compares with the corpus)
CROSS_VALIDATION = {"score_serving_cv.py": "serving_cross_validation"}


def run(scorer: str, check: bool) -> int:
    cmd = [sys.executable, str(HERE / scorer)] + (["--check"] if check else [])
    return subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL).returncode


def main(argv: list[str]) -> int:
    check = "--check" in argv
    scorers = dict(SCORERS)
    if "--cross-validation" in argv and not check:
        scorers.update(CROSS_VALIDATION)
    stale = []
    for scorer, stem in scorers.items():
        code = run(scorer, check)
        if code:
            stale.append(stem)
            print(f"{scorer}: {'differs from a fresh run' if check else f'failed (exit {code})'}: "
                  f"validation/published/{stem}.json, .md", file=sys.stderr)
        else:
            print(f"{scorer}: validation/published/{stem}.json, .md {'up to date' if check else 'written'}")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
