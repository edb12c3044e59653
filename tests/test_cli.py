"""The command line: commands, exit codes, formats, atomic output, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources

import jsonschema
import pytest

from conftest import ROOT, run_cli

SPEC = str(ROOT / "specs" / "examples" / "chat-serving.plan")
SCHEMA = json.loads(resources.files("capplan").joinpath("schema/result.schema.json").read_text())


def test_help_lists_every_command():
    proc = subprocess.run([sys.executable, "-m", "capplan", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0
    for command in ("check", "eval", "catalog", "explain"):
        assert command in proc.stdout


def test_python_dash_m_runs_check():
    proc = subprocess.run([sys.executable, "-m", "capplan", "check", SPEC], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "checked 1 file, 3 plans: ok" in proc.stdout


def test_usage_errors_exit_2():
    proc = subprocess.run([sys.executable, "-m", "capplan", "check"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert run_cli("explain", "nonsense")[0] == 2


def test_eval_json_validates_against_the_published_schema():
    for spec in sorted((ROOT / "specs").rglob("*.plan")):
        code, out, err = run_cli("eval", "--format", "json", str(spec))
        assert code == 0, err
        jsonschema.validate(json.loads(out), SCHEMA)


def test_eval_json_reports_parameter_counts_of_models_declared():
    code, out, _ = run_cli("eval", "--format", "json", str(ROOT / "specs" / "seeds" / "001-gpt2-small-params.plan"))
    doc = json.loads(out)
    assert doc["schema"] == "capplan/result/v1"
    assert doc["models"][0]["params"]["total"] == 123_417_600


def test_check_json_and_github_formats(project):
    bad = project("bad.plan", "gpu g {\n  memory = 80 GB/s\n  memory_bandwidth = 1 TB/s\n}\n")
    code, out, _ = run_cli("check", "--format", "json", "bad.plan", cwd=project.root)
    assert code == 1 and json.loads(out)["diagnostics"][0]["code"] == "E0301"
    code, out, _ = run_cli("check", "--format", "github", "bad.plan", cwd=project.root)
    assert code == 1
    assert out.startswith("::error file=bad.plan,line=2,col=12,title=E0301 unit-mismatch::unit mismatch for `memory`")
    assert bad.exists()


def test_eval_output_file_is_written_atomically(tmp_path):
    target = tmp_path / "plan.json"
    code, _, _ = run_cli("eval", "--format", "json", "-o", str(target), SPEC)
    assert code == 0 and json.loads(target.read_text())["plans"]
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]  # no temporary file left


def test_a_failed_eval_leaves_no_output_file(project, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("out")
    project("bad.plan", "gpu g {\n")
    target = tmp_path / "out.json"
    target_existing = tmp_path / "kept.json"
    target_existing.write_text("previous")
    code, _, err = run_cli("eval", "--format", "json", "-o", str(target), "bad.plan", cwd=project.root)
    assert code == 1 and "E0103" in err and "not written" in err
    assert not target.exists()
    code, _, _ = run_cli("eval", "-o", str(target_existing), "bad.plan", cwd=project.root)
    assert target_existing.read_text() == "previous"  # an earlier report is not clobbered
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.json"]


def test_catalog_lists_gpus_and_models_with_exact_counts():
    code, out, _ = run_cli("catalog", "--format", "json")
    entries = {e["name"]: e for e in json.loads(out)}
    assert entries["llama2_7b"]["params"] == 6_738_415_616
    assert entries["h100_sxm"]["kind"] == "gpu"
    kinds = {e["kind"] for e in entries.values()}
    assert {"gpu", "model", "precision"} <= kinds
    code, out, _ = run_cli("catalog", "--kind", "gpu")
    assert "mi300x" in out and "llama2_7b" not in out


REQUIRED_GPUS = ["a10", "a100_40gb", "a100_80gb", "h100_sxm", "h100_pcie", "h200", "b200", "l40s", "rtx3090",
                 "rtx4090", "mi300x"]
REQUIRED_MODELS = ["llama2_7b", "llama2_13b", "llama2_70b", "llama3_1_8b", "llama3_1_70b", "llama3_1_405b",
                   "mistral_7b", "mixtral_8x7b", "qwen2_5_7b", "qwen2_5_72b", "gemma2_9b", "gpt3_175b",
                   "deepseek_v3"]


def test_catalog_holds_what_the_issue_asks_for():
    names = {e["name"] for e in json.loads(run_cli("catalog", "--format", "json")[1])}
    assert set(REQUIRED_GPUS + REQUIRED_MODELS) <= names


@pytest.mark.parametrize("topic,needle", [("E0301", "unit-mismatch"), ("e0503", "project root"),
                                          ("model", "kv_heads")])
def test_explain(topic, needle):
    code, out, _ = run_cli("explain", topic)
    assert code == 0 and needle in out


def test_internal_errors_are_reported_as_such(monkeypatch):
    import capplan.pipeline

    def boom(*a, **k):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(capplan.pipeline, "compile_files", boom)
    code, out, err = run_cli("check", SPEC)
    assert code == 3
    assert "internal error, please report" in err and "Traceback" not in err


def test_bad_input_never_gives_a_traceback(project):
    for text in ["}", "gpu {", "model m { layers = [1, 2 }", "training t { model = 5 GB }", "const a = a",
                 'import 5', "gpu g { peak = 3 }", "model m from m2 {}\nmodel m2 from m {}",
                 "inference i { model = llama2_7b; gpu = h100_sxm; gpus = 3; context = 1 tokens }",
                 "training t { model = llama2_7b; gpu = h100_sxm; gpus = 8; precision = fp32; "
                 "seq_len = 4096 tokens; parallel { pipeline = 64 } }",
                 # found by the language-server work: invalid fields used to reach the engine
                 "gpu g from h100_sxm { price = 2.10 GiB }\n"
                 "inference i { model = llama2_7b; gpu = g; gpus = 1; context = 1024 tokens }",
                 "training t { model = llama2_7b; gpu = h100_sxm; gpus = 1; precision = pure_bf16 }",
                 "cluster c { gpu = h100_sxm; nodes = 4.5 }\n"
                 "training t { model = llama2_7b; cluster = c; precision = pure_bf16; seq_len = 1024 tokens }",
                 "search s for nothing { vary tensor in [1] }",
                 "goal g for llama2_7b { gpus = [h100_sxm] }"]:
        project("x.plan", text + "\n")
        code, out, err = run_cli("check", "x.plan", cwd=project.root)
        assert code == 1, text
        assert "Traceback" not in err and "internal error" not in err, (text, err)


def test_dash_output_is_standard_output(tmp_path):
    """`-o -` writes to standard output, never a file named `-` (issue 13)."""
    code, out, err = run_cli("eval", "--format", "json", "-o", "-", SPEC, cwd=tmp_path)
    assert code == 0, err
    assert json.loads(out)["plans"]
    code, out, err = run_cli("report", "--format", "md", "-o", "-", SPEC, cwd=tmp_path)
    assert code == 0, err
    assert out.startswith("## ") or out.startswith("# ")
    code, out, err = run_cli("report", "-o", "-", SPEC, cwd=tmp_path)  # no --format: text
    assert code == 0 and "=====" in out, err
    code, out, err = run_cli("export", SPEC, "chat_70b_int4", "--to", "vllm", "-o", "-", cwd=tmp_path)
    assert code == 0 and out.strip(), err
    assert list(tmp_path.iterdir()) == []


def test_dash_output_writes_a_pdf_as_bytes_to_standard_output(tmp_path):
    spec = str(ROOT / "specs" / "seeds" / "004-llama2-7b-kv-cache.plan")
    proc = subprocess.run([sys.executable, "-m", "capplan", "report", "--format", "pdf", "-o", "-", spec],
                          capture_output=True, cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.startswith(b"%PDF-") and proc.stdout.rstrip().endswith(b"%%EOF")
    assert list(tmp_path.iterdir()) == []
