"""`capplan diff` in a scratch git repository: each pull-request case of issue 14.

The figures a diff shows must be the ones `capplan eval` computes for each version on its
own (the diff is a comparison, not a second estimator): every test takes its expected
before/after values from evaluating the two versions separately, and the hardware facts
from the catalog's sources (NVIDIA's H100 and H200 datasheets: 80 GB and 141 GB).
"""

from __future__ import annotations

import json
import subprocess
from importlib import resources

import jsonschema
import pytest

from conftest import run_cli

SCHEMA = json.loads(resources.files("capplan").joinpath("schema/diff.schema.json").read_text())

CHAT = """inference chat {{
  model              = llama3_1_70b
  gpu                = {gpu}
  gpus               = 2
  weights            = int4 {{ group = 128 }}
  kv_cache           = fp8
  context            = 8192 tokens
  batch              = 32
  memory_utilization = 90 %
  parallel {{ tensor = 2 }}
  require fits
  require max_batch >= {min_batch}
}}
"""

TRAIN = """training sft {{
  model        = llama2_13b
  gpu          = a100_80gb
  gpus         = 8
  precision    = {precision}
  seq_len      = 4096 tokens
  global_batch = 64
  tokens       = {tokens}
  parallel {{ tensor = {tp}; data = {dp}; zero = {zero}; offload = {offload} }}
  require {fits}
}}
"""


def train(precision="megatron_bf16", tp=8, dp=1, zero=0, offload="none", fits="fits", tokens="1 Gtoken"):
    return TRAIN.format(precision=precision, tp=tp, dp=dp, zero=zero, offload=offload, fits=fits, tokens=tokens)


@pytest.fixture
def repo(project):
    """A scratch git repository with a project marker; `repo.commit()` commits everything."""
    root = project.root

    def git(*args):
        return subprocess.run(["git", "-c", "user.email=t@t", "-c", "user.name=t", *args], cwd=root,
                              capture_output=True, text=True, check=True).stdout

    git("init", "-q")
    project.git = git
    project.commit = lambda msg="c": (git("add", "-A"), git("commit", "-qm", msg))
    return project


def diff_json(repo, *args):
    code, out, err = run_cli("diff", "--git", "HEAD", "--format", "json", *args, cwd=repo.root)
    assert code in (0, 1), err
    d = json.loads(out)
    jsonschema.validate(d, SCHEMA)
    return code, d


def evaluated(repo, text, name="x.plan"):
    """A version evaluated on its own by `capplan eval` (the independent side of each comparison)."""
    repo("side/" + name, text)
    code, out, err = run_cli("eval", "--format", "json", "side/" + name, cwd=repo.root)
    assert code in (0, 1), err
    (repo.root / "side" / name).unlink()
    return {p["name"]: p for p in json.loads(out)["plans"]}


def plan(d, name):
    [p] = [p for p in d["plans"] if p["name"] == name]
    return p


def row(p, key):
    [r] = [r for r in p["outputs"] if r["figure"] == key]
    return r


def field(p, path):
    [i] = [i for i in p["inputs"] if i["field"] == path]
    return i["before"], i["after"]


def test_precision_change_shows_the_recipe_per_tensor_class_and_the_memory(repo):
    # deepspeed_bf16: 2 + 2 + 4 + 8 = 16 B/param (ZeRO paper, sec. 3.1); pure_bf16: no fp32 master, states in bf16
    old = train("deepspeed_bf16", tp=1, dp=8, zero=3, offload="optimizer")
    new = train("pure_bf16", tp=1, dp=8, zero=3, offload="optimizer")
    repo("a.plan", old)
    repo.commit()
    repo("a.plan", new)
    code, d = diff_json(repo, "a.plan")
    p = plan(d, "sft")
    assert code == 0 and p["status"] == "changed"
    assert field(p, "precision") == ("deepspeed_bf16", "pure_bf16")
    assert field(p, "precision.master_weights") == ("fp32", "none")
    assert field(p, "precision.optimizer_states") == ("fp32", "bf16")
    # the case: with the optimizer offloaded and ZeRO-3, the GPU holds the same bf16 weights and
    # gradients either way, so no output moves: the change is visible in the inputs or not at all
    before, after = evaluated(repo, old)["sft"], evaluated(repo, new)["sft"]
    assert before["peak_bytes"] == after["peak_bytes"] and p["outputs"] == []
    code, text, _ = run_cli("diff", "--git", "HEAD", "a.plan", cwd=repo.root)
    assert "precision: deepspeed_bf16 -> pure_bf16" in text and "no change" not in text


def test_a_broken_require_is_a_change_and_fails_with_fail_on_requirement(repo):
    repo("chat.plan", CHAT.format(gpu="h100_sxm", min_batch=64))
    repo.commit()
    repo("chat.plan", CHAT.format(gpu="h100_sxm", min_batch=300))
    code, d = diff_json(repo, "chat.plan")
    p = plan(d, "chat")
    assert code == 0 and p["status"] == "changed"
    assert p["requirements"] == [{"text": "max_batch >= 300", "before_text": "max_batch >= 64", "before": "ok",
                                  "after": "failed"}]
    code, text, err = run_cli("diff", "--git", "HEAD", "--fail-on", "requirement", "chat.plan", cwd=repo.root)
    assert code == 1 and "require max_batch >= 300 (was `max_batch >= 64`): ok -> failed" in text
    assert "`require max_batch >= 300` fails (before: ok as `max_batch >= 64`)" in err
    code, md, _ = run_cli("diff", "--git", "HEAD", "--format", "md", "chat.plan", cwd=repo.root)
    assert "No plan changes" not in md
    assert "| `require max_batch >= 300` (was `max_batch >= 64`) | ok | failed |" in md
    # a requirement added, one removed, one unchanged
    repo("chat.plan", CHAT.format(gpu="h100_sxm", min_batch=64).replace("  require fits\n", "")
         .replace("require max_batch >= 64", "require max_batch >= 64\n  require headroom >= 10 %"))
    code, d = diff_json(repo, "chat.plan")
    assert plan(d, "chat")["requirements"] == [{"text": "headroom >= 10 %", "before": "absent", "after": "ok"},
                                               {"text": "fits", "before": "ok", "after": "absent"}]


def test_gpu_swap_shows_the_hardware_the_budget_and_the_max_batch(repo):
    repo("chat.plan", CHAT.format(gpu="h100_sxm", min_batch=64))
    repo.commit()
    repo("chat.plan", CHAT.format(gpu="h200", min_batch=64))
    code, d = diff_json(repo, "chat.plan")
    p = plan(d, "chat")
    assert field(p, "gpu") == ("h100_sxm", "h200")
    assert field(p, "gpu.memory") == ("80 GiB", "141 GiB")  # NVIDIA datasheets: 80 GB HBM3, 141 GB HBM3e
    before = evaluated(repo, CHAT.format(gpu="h100_sxm", min_batch=64))["chat"]
    after = evaluated(repo, CHAT.format(gpu="h200", min_batch=64))["chat"]
    budget = row(p, "budget")
    assert (budget["before"], budget["after"]) == (before["budget_bytes"], after["budget_bytes"])
    assert (budget["shown_before"], budget["shown_after"]) == ("71.68 GiB", "126.4 GiB")  # as in the issue
    batch = row(p, "max_batch")
    assert (batch["before"], batch["after"]) == (before["max_batch"], after["max_batch"]) == (78, 165)
    assert not any(r["figure"] == "gpus" for r in p["outputs"])  # "GPUs 2 -> 2" is not a change
    code, text, _ = run_cli("diff", "--git", "HEAD", "chat.plan", cwd=repo.root)
    assert "gpu: h100_sxm -> h200" in text and "memory budget per GPU: 71.68 GiB -> 126.4 GiB" in text
    assert "max batch: 78 -> 165" in text


def test_tp_change_names_the_layout_field_and_percentages_move_in_points(repo):
    repo("a.plan", train(tp=8))
    repo.commit()
    repo("a.plan", train(tp=4, dp=2))
    code, d = diff_json(repo, "a.plan")
    p = plan(d, "sft")
    assert field(p, "parallel.tensor") == ("8", "4") and field(p, "parallel.data") == ("1", "2")
    before, after = evaluated(repo, train(tp=8))["sft"], evaluated(repo, train(tp=4, dp=2))["sft"]
    mfu = row(p, "mfu")
    assert mfu["unit"] == "fraction" and (mfu["before"], mfu["after"]) == (before["time"]["mfu"],
                                                                          after["time"]["mfu"])
    assert mfu["change"] == {"pp": pytest.approx((after["time"]["mfu"] - before["time"]["mfu"]) * 100)}
    code, text, _ = run_cli("diff", "--git", "HEAD", "a.plan", cwd=repo.root)
    shown = f"MFU: {before['time']['mfu'] * 100:.1f}% -> {after['time']['mfu'] * 100:.1f}% "
    assert shown + f"({mfu['change']['pp']:+.1f} pp)" in text


def test_changes_under_the_noise_threshold_are_hidden_and_counted(repo):
    # the token count that trains for 1.0161 days (shown "1.016 d"), so that +0.02 % (1.0163 d) stays under
    # one display unit whatever the time model's constants: time to train is proportional to tokens
    days = evaluated(repo, train(tokens="1 Gtoken"))["sft"]["time"]["train_s"] / 86400
    tokens = 1e9 * 1.0161 / days
    repo("a.plan", train(tokens=f"{tokens:.0f} token"))
    repo.commit()
    repo("a.plan", train(tokens=f"{tokens * 1.0002:.0f} token"))  # time, GPU-hours, cost, energy: +0.02 %
    code, d = diff_json(repo, "a.plan")
    p = plan(d, "sft")
    assert [i["field"] for i in p["inputs"]] == ["tokens"]
    assert p["outputs"] == [] and p["hidden"] == 4
    code, d = diff_json(repo, "--threshold", "0.001%", "a.plan")
    shown = {r["figure"] for r in plan(d, "sft")["outputs"]}
    assert {"cost", "energy"} <= shown  # e.g. 487.6 -> 487.7 USD
    assert "train_time" not in shown    # the same 4 digits of days either way: under one display unit, hidden


def test_a_plan_that_stops_fitting_fails_with_fail_on_no_fit(repo):
    repo("a.plan", train(tp=8))
    repo.commit()
    repo("a.plan", train(tp=1, dp=8, zero=0))
    code, d = diff_json(repo, "a.plan")
    p = plan(d, "sft")
    assert code == 0 and p["fits"] == {"before": True, "after": False}
    code, text, err = run_cli("diff", "--git", "HEAD", "--fail-on", "no-fit,requirement", "a.plan", cwd=repo.root)
    assert code == 1 and "fits -> DOES NOT FIT" in text and "sft does not fit (fitted before)" in err
    code, _, err = run_cli("diff", "--git", "HEAD", "--fail-on", "regression=10%", "a.plan", cwd=repo.root)
    assert code == 1 and "peak memory per GPU" in err
    assert run_cli("diff", "--git", "HEAD", "--fail-on", "nofit", "a.plan", cwd=repo.root)[0] == 2


def test_an_added_file_shows_its_plans_with_full_figures(repo):
    repo("old.plan", train())
    repo.commit()
    repo("new.plan", CHAT.format(gpu="h100_sxm", min_batch=64))
    code, d = diff_json(repo, "new.plan")
    assert code == 0 and d["files"] == [{"path": "new.plan", "status": "added"}]
    p = plan(d, "chat")
    after = evaluated(repo, CHAT.format(gpu="h100_sxm", min_batch=64))["chat"]
    assert p["status"] == "added" and row(p, "peak")["after"] == after["peak_bytes"]
    assert row(p, "max_batch")["after"] == 78 and field(p, "gpu") == (None, "h100_sxm")
    assert {"text": "fits", "before": None, "after": "ok"} in p["requirements"]
    code, text, _ = run_cli("diff", "--git", "HEAD", "new.plan", cwd=repo.root)
    assert "file added: new.plan" in text and "added: inference chat" in text and "max batch: 78" in text


def test_a_deleted_file_lists_its_plans_as_removed(repo):
    repo("old.plan", train())
    repo.commit()
    (repo.root / "old.plan").unlink()
    code, d = diff_json(repo, "old.plan")
    assert d["files"] == [{"path": "old.plan", "status": "deleted"}]
    assert plan(d, "sft")["status"] == "removed"


def test_renamed_plans_and_moved_files_are_detected_by_identical_content(repo):
    repo("a.plan", train() + "\n" + CHAT.format(gpu="h100_sxm", min_batch=64))
    repo.commit()
    repo("a.plan", train().replace("training sft", "training sft_13b") + "\n" +
         train(tp=4, dp=2).replace("training sft", "training sft_tp4"))
    repo("b.plan", CHAT.format(gpu="h100_sxm", min_batch=64).replace("inference chat", "inference chat_70b"))
    code, d = diff_json(repo)  # every affected spec
    by_name = {p["name"]: p for p in d["plans"]}
    assert by_name["sft_13b"]["status"] == "renamed"
    assert by_name["sft_13b"]["renamed_from"] == {"name": "sft", "file": "a.plan"}
    assert by_name["chat_70b"]["renamed_from"] == {"name": "chat", "file": "a.plan"}
    assert by_name["sft_tp4"]["status"] == "added" and row(by_name["sft_tp4"], "peak")["after"] > 0
    assert "sft" not in by_name and "chat" not in by_name
    assert d["summary"] == {"changed": 0, "added": 1, "removed": 0, "renamed": 2, "unchanged": 0}
    code, text, _ = run_cli("diff", "--git", "HEAD", cwd=repo.root)
    assert "renamed: inference chat -> chat_70b (from a.plan)" in text


def test_output_is_deterministic_and_markdown_is_a_sticky_safe_comment(repo):
    repo("chat.plan", CHAT.format(gpu="h100_sxm", min_batch=64))
    repo.commit()
    hostile = CHAT.format(gpu="h200", min_batch=64).replace(
        "inference chat {", 'model evil from llama3_1_70b { name = "<img src=x> | @team `x` **b**" }\n'
                           "inference chat {").replace("llama3_1_70b\n  gpu", "evil\n  gpu")
    repo("chat.plan", hostile)
    runs = [run_cli("diff", "--git", "HEAD", "--format", fmt, cwd=repo.root)[1] for fmt in ("md", "md", "json")]
    assert runs[0] == runs[1]
    md = runs[0]
    assert md.startswith("<!-- capplan-diff -->\n")
    assert "<img" not in md and "@team" not in md and "&lt;img src=x&gt; &#124; &#64;team" in md
    assert json.loads(runs[2]) == json.loads(run_cli("diff", "--git", "HEAD", "--format", "json",
                                                     cwd=repo.root)[1])


def test_the_pull_request_comment_golden(repo):
    """The Markdown comment of the GPU-swap and broken-require change, reviewed like code
    (CAPPLAN_UPDATE_GOLDENS=1 refreshes it)."""
    from conftest import GOLDEN, check_golden

    repo("chat.plan", CHAT.format(gpu="h100_sxm", min_batch=64) + "\n" + train(tp=8))
    repo.commit()
    repo("chat.plan", CHAT.format(gpu="h200", min_batch=300) + "\n" + train(tp=4, dp=2))
    code, md, _ = run_cli("diff", "--git", "HEAD", "--format", "md", "--fail-on", "no-fit,requirement",
                          cwd=repo.root)
    assert code == 1
    check_golden(GOLDEN / "diff" / "gpu-swap-and-require.md", md)
    code, text, _ = run_cli("diff", "--git", "HEAD", "--fail-on", "no-fit,requirement", cwd=repo.root)
    check_golden(GOLDEN / "diff" / "gpu-swap-and-require.txt", text)
