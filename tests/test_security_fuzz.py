"""Issue 12, fuzzing: the CI-sized run of tests/fuzz/run.py, and the replay of its past findings.

The long run is one command: `python tests/fuzz/run.py --n 100000` (see tests/fuzz/run.py).
Here a small budget runs on every test run: CAPPLAN_FUZZ_N inputs (default 500, about a
minute on two busy cores), each checked in a worker process under the memory budget, with
the wall-clock watchdog, for: no internal error, a diagnostic or a result, CPU time <= 2 s,
memory <= 500 MB, strict JSON, clean workflow commands, and fmt idempotent and
meaning-preserving. A Hypothesis property (token soup from the language's words and the
hostile values) runs the same checks in-process, so a failure shrinks to its few tokens.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from fuzz import harness, run  # noqa: E402
from fuzz.generate import JUNK, NUMBERS, STRINGS, UNITS, make_input, seed_texts  # noqa: E402

REGRESSIONS = sorted((HERE / "fuzz" / "regressions").glob("*.plan"))
CI_INPUTS = int(os.environ.get("CAPPLAN_FUZZ_N", "500"))


@pytest.mark.parametrize("case", REGRESSIONS, ids=[c.stem for c in REGRESSIONS])
def test_past_findings_stay_fixed(case, tmp_path):
    text = case.read_text(encoding="utf-8")
    harness.prepare(str(tmp_path))
    assert harness.check_input(text, str(tmp_path)) == []
    expected = re.search(r"^# expect: (\w+)", text, re.M)
    code, out, _ = harness._run(["eval", "--format", "json", str(tmp_path / "main.plan")])
    assert expected and expected.group(1) in {d["code"] for d in json.loads(out)["diagnostics"]}


def test_inputs_are_deterministic():
    seeds = seed_texts()
    assert [make_input(7, i, seeds) for i in range(20)] == [make_input(7, i, seeds) for i in range(20)]


def test_the_harness_reports_an_internal_error(tmp_path, monkeypatch):
    """The oracle can fail: a crash planted in the pipeline is reported as exit 3."""
    import capplan.pipeline

    def crash(*args, **kwargs):
        raise ZeroDivisionError("planted")

    monkeypatch.setattr(capplan.pipeline, "run_engine", crash)
    harness.prepare(str(tmp_path))
    problems = harness.check_input("const x = 1 GiB\n", str(tmp_path), github=False)
    assert problems and "exit 3" in problems[0]


def test_ci_sized_fuzz_run(tmp_path):
    result = run.run(CI_INPUTS, seed=12, jobs=2, timeout=30.0, save=tmp_path, quiet=True)
    counts = result["counts"]
    assert counts["inputs"] == CI_INPUTS
    assert result["findings"] == [], json.dumps(result["findings"][:5], indent=1)


# Token soup for Hypothesis: the language's own words, hostile numbers, units and strings, so that
# a failure shrinks to the few tokens that cause it.
_WORDS = ["training", "inference", "model", "gpu", "cluster", "precision", "search", "goal", "t", "i", "m",
          "llama2_13b", "h100_sxm", "megatron_bf16", "layers", "gpus", "global_batch", "seq_len", "parallel",
          "tensor", "pipeline", "fits", "peak_memory", "require", "vary", "in", "from", "for", "minimize",
          "cost", "const", "x", "import", "{", "}", "=", "[", "]", ",", "(", ")", "+", "*", "/", "-", "<=",
          "\n", ";", "not", "and", "true"]
_TOKENS = st.one_of(st.sampled_from(_WORDS), st.sampled_from(NUMBERS),
                    st.builds(lambda n, u: f"{n} {u}", st.sampled_from(NUMBERS), st.sampled_from(UNITS)),
                    st.sampled_from(STRINGS), st.sampled_from(JUNK))


@settings(max_examples=int(os.environ.get("CAPPLAN_HYPOTHESIS_N", "150")), deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(tokens=st.lists(_TOKENS, max_size=80))
def test_token_soup_behaves(tokens, tmp_path):
    harness.prepare(str(tmp_path))
    assert harness.check_input(" ".join(tokens), str(tmp_path), github=False) == []
