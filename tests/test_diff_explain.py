"""`capplan diff` and `capplan explain FILE PLAN FIGURE`."""

from __future__ import annotations

import json
import subprocess

from conftest import ROOT, run_cli

PLAN = """training t {{
  model        = llama2_13b
  gpu          = a100_80gb
  gpus         = 8
  precision    = megatron_bf16
  seq_len      = 4096 tokens
  global_batch = 64
  parallel {{ tensor = {tp}; pipeline = 2 }}
  require not fits or fits
}}

inference i {{
  model   = llama2_7b
  gpu     = a100_80gb
  gpus    = 1
  context = 4096 tokens
}}
"""


def test_diff_of_a_spec_with_itself_reports_no_change(project):
    project("a.plan", PLAN.format(tp=2))
    code, out, _ = run_cli("diff", "a.plan", "a.plan", cwd=project.root)
    assert code == 0 and out.startswith("no change") and "unchanged: 2 plans (i, t)" in out
    code, out, _ = run_cli("diff", "--format", "json", "a.plan", "a.plan", cwd=project.root)
    d = json.loads(out)
    assert [(p["name"], p["status"]) for p in d["plans"]] == [("i", "unchanged"), ("t", "unchanged")]


def test_doubling_tp_halves_sharded_weights_per_rank(project):
    project("old.plan", PLAN.format(tp=2))
    project("new.plan", PLAN.format(tp=4))
    code, out, _ = run_cli("diff", "--format", "json", "old.plan", "new.plan", cwd=project.root)
    d = json.loads(out)
    [change] = [p for p in d["plans"] if p["status"] == "changed"]
    assert change["name"] == "t" and [p["name"] for p in d["plans"] if p["status"] == "unchanged"] == ["i"]
    for rank in change["ranks"]:
        [w] = [f for f in rank["figures"] if f["figure"] == "weights"]
        assert abs(w["after"] / w["before"] - 0.5) < 1e-3  # norms are not sharded: a hair above half
    code, text, _ = run_cli("diff", "old.plan", "new.plan", cwd=project.root)
    assert "weights:" in text and "-50.0%" in text and "unchanged: 1 plan (i)" in text
    assert "parallel.tensor: 2 -> 4" in text
    code, md, _ = run_cli("diff", "--format", "md", "old.plan", "new.plan", cwd=project.root)
    assert "| stage 0 | **peak** |" in md and "`i`" in md


def test_diff_against_a_git_revision(project):
    root = project.root
    project("plan.plan", PLAN.format(tp=2))
    git = lambda *a: subprocess.run(["git", *a], cwd=root, capture_output=True, check=True)  # noqa: E731
    git("init", "-q")
    git("-c", "user.email=t@t", "-c", "user.name=t", "add", ".")
    git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "v1")
    project("plan.plan", PLAN.format(tp=4))
    code, out, err = run_cli("diff", "--git", "HEAD", "--format", "json", "plan.plan", cwd=root)
    assert code == 0, err
    assert [p["name"] for p in json.loads(out)["plans"] if p["status"] == "changed"] == ["t"]
    code, _, err = run_cli("diff", "--git", "nonexistent-rev", "plan.plan", cwd=root)
    assert code == 1 and "unknown git revision" in err


def test_diff_reports_spec_errors(project):
    project("old.plan", PLAN.format(tp=2))
    project("new.plan", "training t {\n")
    code, _, err = run_cli("diff", "old.plan", "new.plan", cwd=project.root)
    assert code == 1 and "new version of new.plan has errors" in err and "E0103" in err
    assert run_cli("diff", "old.plan", cwd=project.root)[0] == 2


def test_explain_a_figure_shows_formula_values_source_and_terms():
    spec = str(ROOT / "specs" / "seeds" / "002-13b-megatron-pipeline.plan")
    code, out, _ = run_cli("explain", spec, "llama2_13b_pp4_dp2_zero1", "stage0.activations")
    assert code == 0
    assert "4 micro-batches in flight" in out and "Korthikanti" in out
    assert "queries" in out and "MLP up projection output" in out  # per saved tensor
    code, _, err = run_cli("explain", spec, "llama2_13b_pp4_dp2_zero1", "stage0.activation")
    assert code == 1 and "did you mean `stage0.activations`" in err.lower()
    code, _, err = run_cli("explain", spec, "nope", "stage0.activations")
    assert code == 1 and "no plan `nope`" in err


def test_diff_shows_time_and_cost_changes(project):
    priced = PLAN.replace("  global_batch = 64\n", "  global_batch = 64\n  tokens       = 1 Gtoken\n")
    project("old.plan", priced.format(tp=2))
    project("new.plan", priced.format(tp=4))
    code, out, _ = run_cli("diff", "--format", "json", "old.plan", "new.plan", cwd=project.root)
    [change] = [p for p in json.loads(out)["plans"] if p["status"] == "changed"]
    figures = {r["label"]: r for r in change["outputs"]}
    assert {"step time", "MFU", "time to train", "cost"} <= set(figures)
    cost = figures["cost"]
    assert cost["change"]["delta"] == cost["after"] - cost["before"]
    code, md, _ = run_cli("diff", "--format", "md", "old.plan", "new.plan", cwd=project.root)
    assert "| step time |" in md and "| cost |" in md
