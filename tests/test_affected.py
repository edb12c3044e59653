"""`capplan affected --git REV`: specs whose plans change through their imports, in a scratch git repository."""

from __future__ import annotations

import json

from conftest import run_cli
from test_diff_semantic import diff_json, plan, repo, row  # noqa: F401  (the `repo` fixture)

CLUSTERS = """cluster dgx {{
  gpu           = {gpu}
  gpus_per_node = 8
  nodes         = 1
}}

cluster other {{
  gpu           = h100_sxm
  gpus_per_node = 8
  nodes         = 2
}}
"""

SFT = """import "../shared/clusters.plan"

training mixtral_sft {
  model        = mixtral_8x7b
  cluster      = dgx
  precision    = deepspeed_bf16
  seq_len      = 4096 tokens
  global_batch = 64
  parallel { data = 8; zero = 3; offload = optimizer; recompute = full }
  framework { optimizer_impl = fused }
  require not fits or fits
}
"""

ALONE = """training alone {
  model        = llama2_7b
  gpu          = h100_sxm
  gpus         = 8
  precision    = megatron_bf16
  seq_len      = 4096 tokens
  global_batch = 64
  parallel { tensor = 8 }
}
"""


def populate(repo):
    repo("shared/clusters.plan", CLUSTERS.format(gpu="a100_80gb"))
    repo("train/sft.plan", SFT)
    repo("train/alone.plan", ALONE)
    repo("serve/uses_other.plan", SFT.replace("cluster      = dgx", "cluster      = other")
         .replace("mixtral_sft", "on_other"))
    repo.commit()


def affected(repo, *args):
    code, out, err = run_cli("affected", "--git", "HEAD", *args, cwd=repo.root)
    assert code == 0, err
    return out.splitlines()


def test_a_cluster_change_in_an_import_affects_the_specs_that_use_it(repo):
    populate(repo)
    repo("shared/clusters.plan", CLUSTERS.format(gpu="a100_40gb"))
    # the file itself changed; sft.plan uses `dgx`; uses_other.plan imports the file but uses `other`
    assert affected(repo) == ["shared/clusters.plan", "train/sft.plan"]
    assert affected(repo, "train") == ["train/sft.plan"]
    code, out, _ = run_cli("affected", "--git", "HEAD", "--format", "json", cwd=repo.root)
    specs = {s["path"]: s for s in json.loads(out)["specs"]}
    assert specs["train/sft.plan"]["edited"] is False
    assert "cluster.gpu" in specs["train/sft.plan"]["plans"]["mixtral_sft"]
    # and `diff --git` without files diffs exactly those: the budget per GPU halves (80 -> 40 GiB cards)
    code, d = diff_json(repo)
    p = plan(d, "mixtral_sft")
    budget = row(p, "budget")
    assert (budget["shown_before"], budget["shown_after"]) == ("80 GiB", "40 GiB")  # A100 SXM4 80GB / 40GB
    assert [f["path"] for f in d["files"]] == ["shared/clusters.plan", "train/sft.plan"]
    assert "on_other" not in {q["name"] for q in d["plans"]}


def test_a_comment_in_an_import_affects_only_the_file_itself(repo):
    populate(repo)
    repo("shared/clusters.plan", "# shared clusters\n" + CLUSTERS.format(gpu="a100_80gb"))
    assert affected(repo) == ["shared/clusters.plan"]
    code, text, _ = run_cli("diff", "--git", "HEAD", cwd=repo.root)
    assert code == 0 and text.startswith("no change")


def test_added_deleted_and_untracked_specs_are_affected(repo):
    populate(repo)
    (repo.root / "train" / "alone.plan").unlink()
    repo("serve/new.plan", ALONE.replace("alone", "fresh"))
    assert affected(repo) == ["serve/new.plan", "train/alone.plan"]
    code, d = diff_json(repo)
    assert {f["path"]: f["status"] for f in d["files"]} == {"serve/new.plan": "added", "train/alone.plan": "deleted"}
    assert plan(d, "fresh")["status"] == "renamed" and plan(d, "fresh")["renamed_from"]["name"] == "alone"


def test_unknown_revision_and_outside_paths_are_user_errors(repo):
    populate(repo)
    code, _, err = run_cli("affected", "--git", "no-such-rev", cwd=repo.root)
    assert code == 1 and "unknown git revision `no-such-rev`" in err
    code, _, err = run_cli("affected", "--git=--upload-pack=x", cwd=repo.root)
    assert code in (1, 2)
    code, _, err = run_cli("affected", "--git", "HEAD", "/", cwd=repo.root)
    assert code == 1 and "outside the repository" in err


def test_a_catalog_kept_in_the_repository_is_read_at_the_revision(repo, monkeypatch):
    """capplan's own repository (or an editable install): a changed catalog entry affects its users."""
    import shutil

    import capplan.tools.affected
    from capplan.tools.affected import catalog_folder

    shutil.copytree(catalog_folder(), repo.root / "catalog", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.setattr(capplan.tools.affected, "catalog_folder", lambda: repo.root / "catalog")
    repo("uses_h100.plan", ALONE)
    repo("uses_a100.plan", ALONE.replace("h100_sxm", "a100_80gb").replace("alone", "on_a100"))
    repo.commit()
    nvidia = repo.root / "catalog" / "gpus_nvidia.plan"
    text = nvidia.read_text()
    start = text.index("gpu h100_sxm {")
    nvidia.write_text(text[:start] + text[start:].replace("80 GiB", "96 GiB", 1))
    assert affected(repo) == ["uses_h100.plan"]
    code, d = diff_json(repo)
    p = plan(d, "alone")
    assert ("gpu.memory", "80 GiB", "96 GiB") in {(i["field"], i["before"], i["after"]) for i in p["inputs"]}
    assert p["uses"]["h100_sxm"] == {"kind": "gpu", "file": "<catalog>/gpus_nvidia.plan"}
