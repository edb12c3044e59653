"""`capplan fmt` and line endings (CRLF from Windows checkouts), and `import-hf` output that is already canonical."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

CANONICAL = """# clusters
cluster pod {
  gpu           = h100_sxm             # NVLink island
  gpus_per_node = 8
  nodes         = 2
}
"""
UNFORMATTED = "# clusters\ncluster pod {\n gpu = h100_sxm # NVLink island\n  gpus_per_node=8\n  nodes = 2\n}\n"


def crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode()


@pytest.fixture
def spec(tmp_path):
    def write(data: bytes) -> Path:
        path = tmp_path / "c.plan"
        path.write_bytes(data)
        return path
    return write


def test_the_canonical_text_is_what_this_file_calls_canonical():
    from capplan.lang.formatter import format_source

    assert format_source(CANONICAL)[0] == CANONICAL
    assert format_source(UNFORMATTED)[0] == CANONICAL


def test_a_canonical_crlf_file_passes_check_and_is_left_alone(spec):
    path = spec(crlf(CANONICAL))
    assert run_cli("fmt", "--check", str(path)) == (0, "", "")
    assert run_cli("fmt", str(path))[0] == 0
    assert path.read_bytes() == crlf(CANONICAL)


def test_formatting_a_crlf_file_keeps_crlf_and_check_shows_only_the_changed_lines(spec):
    path = spec(crlf(UNFORMATTED))
    code, out, _ = run_cli("fmt", "--check", str(path))
    changed = [line for line in out.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert code == 1 and "\r" not in out
    assert sorted(changed) == ["+  gpu           = h100_sxm             # NVLink island", "+  gpus_per_node = 8",
                               "+  nodes         = 2", "-  gpus_per_node=8", "-  nodes = 2",
                               "- gpu = h100_sxm # NVLink island"]  # three lines, not the whole file
    assert run_cli("fmt", str(path))[0] == 0
    assert path.read_bytes() == crlf(CANONICAL)


def test_mixed_endings_are_normalised_to_the_majority_with_a_note(spec):
    lines = CANONICAL.splitlines(keepends=True)
    mixed = "".join(line.replace("\n", "\r\n") if i < 4 else line for i, line in enumerate(lines))
    path = spec(mixed.encode())
    assert run_cli("fmt", "--check", str(path))[0] == 0  # line endings only: not a formatting difference
    code, _, err = run_cli("fmt", str(path))
    assert code == 0 and "mixed line endings (4 CRLF, 2 LF) normalised to CRLF" in err
    assert path.read_bytes() == crlf(CANONICAL)


def test_eol_makes_line_endings_part_of_the_check_and_converts(spec):
    path = spec(crlf(CANONICAL))
    code, out, _ = run_cli("fmt", "--check", "--eol", "lf", str(path))
    assert code == 1 and out == f"{path}: line endings: 6 CRLF and 0 LF, expected LF (--eol lf)\n"
    assert run_cli("fmt", "--check", "--eol", "crlf", str(path))[0] == 0
    assert run_cli("fmt", "--eol", "lf", str(path))[0] == 0
    assert path.read_bytes() == CANONICAL.encode()


def test_an_autocrlf_checkout_is_canonical_and_unchanged_for_diff_and_affected(tmp_path):
    root = tmp_path
    (root / "capplan.toml").write_text("")
    (root / "c.plan").write_text(CANONICAL)
    git = lambda *a: subprocess.run(["git", "-c", "user.email=t@t", "-c", "user.name=t", *a], cwd=root,  # noqa: E731
                                    check=True, capture_output=True)
    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "lf in the repository")
    git("config", "core.autocrlf", "true")
    (root / "c.plan").unlink()
    git("checkout", "--", "c.plan")
    assert (root / "c.plan").read_bytes() == crlf(CANONICAL)  # what a Windows checkout holds
    assert run_cli("fmt", "--check", "c.plan", cwd=root)[0] == 0
    assert run_cli("affected", "--git", "HEAD", cwd=root) == (0, "", "")
    code, out, _ = run_cli("diff", "--git", "HEAD", cwd=root)
    assert code == 0 and out.startswith("no change")


HF = ROOT / "tests" / "data" / "hf_configs"


@pytest.mark.parametrize("config", sorted(p.name for p in HF.glob("*.json") 
                                          if p.name != "EXPECTED.json" and '"model_type"' in p.read_text()))
def test_import_hf_output_passes_fmt_check(tmp_path, config):
    out = tmp_path / "m.plan"
    code, _, err = run_cli("import-hf", str(HF / config), "-o", str(out))
    assert code == 0, err
    assert run_cli("fmt", "--check", str(out)) == (0, "", "")
