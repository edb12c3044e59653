"""Issue 12, confinement: every file capplan reads is a regular file inside the project, of bounded size.

The attacks are the ones a pull request can commit: a symbolic link from the entry file to a
file outside the repository (/etc/passwd), to a device (/dev/zero grows without end), a named
pipe (a read that never returns), files over the size limit, and import chains deep enough to
exhaust Python's recursion.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from capplan.core import limits
from capplan.core.source import SourceRefused, read_bounded, read_config

from conftest import run_cli

SECRET = "TOP-SECRET-LINE-never-printed"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project directory (capplan.toml marks its root) inside its own parent folder."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "capplan.toml").write_text("")
    return root


def _check(project: Path, *files: str) -> tuple[int, str]:
    code, out, err = run_cli("check", "--color", "never", *files, cwd=project)
    return code, err + out


def test_entry_symlink_out_of_the_project_is_refused_without_reading_it(project):
    outside = project.parent / "outside"
    outside.mkdir()
    (outside / "secret.plan").write_text(f"# {SECRET}\nconst x = 1 GiB\nimport \"neighbour.plan\"\n")
    (outside / "neighbour.plan").write_text(f"# {SECRET}\n")
    (project / "x.plan").symlink_to(outside / "secret.plan")
    code, text = _check(project, "x.plan")
    assert code == 1
    assert "[E0508]" in text
    assert SECRET not in text          # neither the target nor an import next to it was read


def test_entry_symlink_to_etc_passwd(project):
    (project / "x.plan").symlink_to("/etc/passwd")
    code, text = _check(project, "x.plan")
    assert code == 1 and "[E0508]" in text
    assert "root:x:0:0" not in text         # /etc/passwd starts with root:x:0:0


def test_entry_symlink_to_dev_zero_ends_at_once(project):
    (project / "zero.plan").symlink_to("/dev/zero")
    started = time.monotonic()
    code, text = _check(project, "zero.plan")
    assert code == 1 and "[E0508]" in text
    assert time.monotonic() - started < 5


def test_a_device_is_not_read():
    with pytest.raises(SourceRefused) as info:
        read_bounded("/dev/zero", 1024)
    assert info.value.code == "E0506" and "character device" in str(info.value)


def test_a_directory_is_not_read(project):
    (project / "dir.plan").mkdir()
    (project / "main.plan").write_text('import "dir.plan"\n')
    code, text = _check(project, "main.plan")
    assert code == 1 and "[E0506]" in text and "a directory" in text


def _run_guarded(project: Path, *args: str) -> subprocess.CompletedProcess:
    """capplan in a subprocess with a timeout: a FIFO read would block forever."""
    return subprocess.run([sys.executable, "-m", "capplan", *args], cwd=project, capture_output=True, text=True,
                          timeout=60)


def test_imported_fifo_is_refused_without_blocking(project):
    os.mkfifo(project / "pipe.plan")
    (project / "main.plan").write_text('import "pipe.plan"\n')
    result = _run_guarded(project, "check", "--color", "never", "main.plan")
    assert result.returncode == 1
    assert "[E0506]" in result.stderr and "named pipe" in result.stderr


def test_entry_fifo_is_refused_without_blocking(project):
    os.mkfifo(project / "pipe.plan")
    result = _run_guarded(project, "check", "--color", "never", "pipe.plan")
    assert result.returncode == 1 and "[E0506]" in result.stderr


def test_default_size_limit_is_1_mib(project):
    line = "# " + "x" * 97 + "\n"     # 100 bytes
    (project / "big.plan").write_text(line * (1024 * 1024 // 100 + 1))
    code, text = _check(project, "big.plan")
    assert code == 1 and "[E0507]" in text and "1,048,576" in text


def test_size_limit_is_configurable_and_applies_to_imports(project, monkeypatch):
    monkeypatch.setenv("CAPPLAN_LIMIT_MAX_SPEC_BYTES", "1000")
    limits.reset()
    try:
        (project / "main.plan").write_text('import "big.plan"\n')
        (project / "big.plan").write_text("const y = 1 GiB\n" * 100)      # 1,600 bytes
        code, text = _check(project, "main.plan")
    finally:
        monkeypatch.undo()
        limits.reset()
    assert code == 1 and "[E0507]" in text and "1,600 bytes, over the limit of 1,000 bytes" in text


def test_bounded_read_stops_at_the_limit(tmp_path):
    path = tmp_path / "f.plan"
    path.write_bytes(b"a" * 10)
    assert read_bounded(str(path), 10) == b"a" * 10
    with pytest.raises(SourceRefused) as info:
        read_bounded(str(path), 9)
    assert info.value.code == "E0507"


def test_chain_of_1500_imports_is_a_diagnostic_not_a_recursion_error(project):
    for i in range(1500):
        (project / f"f{i}.plan").write_text(f'import "f{i + 1}.plan"\n' if i < 1499 else "const end = 1\n")
    code, text = _check(project, "f0.plan")
    assert code == 1
    assert "[E0509]" in text and "imports nested more than 64 deep" in text
    assert "internal error" not in text and "Recursion" not in text


def test_import_symlink_out_of_the_project_is_still_refused(project):
    (project / "passwd.plan").symlink_to("/etc/passwd")
    (project / "main.plan").write_text('import "passwd.plan"\n')
    code, text = _check(project, "main.plan")
    assert code == 1 and "[E0503]" in text and "root:x:0:0" not in text


def test_config_reader_refuses_a_fifo_and_large_files(tmp_path, monkeypatch):
    os.mkfifo(tmp_path / "config.json")
    with pytest.raises(SourceRefused) as info:
        read_config(str(tmp_path / "config.json"))     # returns at once: opened without blocking
    assert info.value.code == "E0506"
    (tmp_path / "big.json").write_text("{}" + " " * (16 * 1024 * 1024))
    with pytest.raises(SourceRefused) as info:
        read_config(str(tmp_path / "big.json"))
    assert info.value.code == "E0507" and "16,777,216" in str(info.value)


def test_fmt_and_import_hf_refuse_a_fifo_without_blocking(project):
    # The commands that read files outside the loader go through the same bounded reader.
    os.mkfifo(project / "pipe.plan")
    result = _run_guarded(project, "fmt", "--check", "pipe.plan")
    assert result.returncode == 1 and "[E0506]" in result.stderr and "named pipe" in result.stderr
    os.mkfifo(project / "config.json")
    result = _run_guarded(project, "import-hf", "config.json")
    assert result.returncode == 1 and "named pipe" in result.stderr


def test_fmt_refuses_a_spec_over_the_size_limit(project, monkeypatch):
    monkeypatch.setenv("CAPPLAN_LIMIT_MAX_SPEC_BYTES", "1000")
    limits.reset()
    (project / "big.plan").write_text("# " + "x" * 2000 + "\n")
    try:
        code, _, err = run_cli("fmt", "--check", "big.plan", cwd=project)
    finally:
        monkeypatch.delenv("CAPPLAN_LIMIT_MAX_SPEC_BYTES")
        limits.reset()
    assert code == 1 and "[E0507]" in err
