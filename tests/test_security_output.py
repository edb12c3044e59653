"""Issue 12, output boundaries: spec strings cannot inject into CI logs, PR comments or terminals;
`-o` writes regular files only and leaves no temporary file behind.

The GitHub escaping is checked against GitHub's own definition (@actions/toolkit,
packages/core/src/command.ts: escapeData replaces % \\r \\n with %25 %0D %0A; escapeProperty
also : and , with %3A %2C), on the examples worked out by hand from those rules.
"""

from __future__ import annotations

import os
import signal
import stat

import pytest

from capplan.core import atomic
from capplan.core.escape import github_command, github_data, github_property, markdown_text, terminal
from capplan.render.report.render import md_code, md_escape

from conftest import run_cli

ESC = "\x1b"
HOSTILE_GPU = """gpu evil {{
  name             = "{name}"
  memory           = 80 GiB
  memory_bandwidth = 3 TB/s
}}

inference serve {{
  model = llama2_13b; gpu = evil; gpus = 1; weights = bf16
  context = 4096 tokens; batch = 1
}}
"""
NAME = "@everyone <img src=x onerror=alert(1)> \x1b]0;owned\x07\x1b[2J done"


# ------------------------------------------------------------------ GitHub workflow commands

def test_github_escaping_follows_the_toolkit():
    assert github_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert github_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    assert github_data("a:b,c") == "a:b,c"     # data keeps : and ,
    assert github_command("error", {"file": "x,y.plan", "line": 3}, "bad\n::add-mask::s") == \
        "::error file=x%2Cy.plan,line=3::bad%0A::add-mask::s"


def test_check_format_github_cannot_inject_workflow_commands(project):
    project("a,b:c.plan", 'import "x\\n::add-mask::secret\\n::error::forged.plan"\n')
    code, out, err = run_cli("check", "--format", "github", "a,b:c.plan", cwd=project.root)
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 1 and lines[0].startswith("::error file=a%2Cb%3Ac.plan,line=1,col=8,title=E0501 ")
    assert "%0A::add-mask::secret%0A::error::forged.plan" in lines[0]


def test_github_annotation_without_a_span_is_well_formed(project):
    code, out, _ = run_cli("check", "--format", "github", "missing.plan", cwd=project.root)
    assert code == 1 and out.startswith("::error title=E0505 unreadable-file::")


# ------------------------------------------------------------------ Markdown

def test_markdown_neutralises_mentions_html_and_controls():
    text = md_escape(NAME)
    assert "@everyone" not in text and "@\u2060everyone" in text
    assert "<img" not in text and "&lt;img" in text
    assert ESC not in text and "\x07" not in text
    assert "@" + "\u2060" + "org" in markdown_text("cc @org/team")
    assert ESC not in md_code("a\x1b[31mb")


def test_markdown_report_of_a_hostile_spec(project, tmp_path):
    project("main.plan", HOSTILE_GPU.format(name=NAME))
    out_file = tmp_path / "r.md"
    code, out, err = run_cli("report", "main.plan", "--format", "md", "-o", str(out_file), cwd=project.root)
    assert code == 0, err
    text = out_file.read_text()
    prose = _outside_code_blocks(text)
    assert "\u2060everyone" in prose                       # the name is in the report...
    assert "@everyone" not in prose                         # ...but pings nobody
    assert "<img" not in prose                              # and renders no HTML
    assert ESC not in text and "\x07" not in text           # nowhere, code blocks included


def _outside_code_blocks(markdown: str) -> str:
    """The Markdown without its fenced code blocks (GitHub renders no mentions or HTML inside them)."""
    out, fence = [], None
    for line in markdown.splitlines():
        stripped = line.lstrip()
        if fence is None and stripped.startswith("```"):
            fence = stripped[:len(stripped) - len(stripped.lstrip("`"))]
        elif fence is not None and stripped.startswith(fence) and not stripped.strip("`"):
            fence = None
        elif fence is None:
            out.append(line)
    return "\n".join(out)


# ------------------------------------------------------------------ terminals

def test_terminal_shows_controls_as_symbols_and_keeps_only_our_colours():
    assert terminal("a\x1b[2Jb\x07\x00") == "a\u241b[2Jb\u2407\u2400"
    assert terminal("\x1b[1mtitle\x1b[0m \x1b]8;;http://x\x1b\\", color=True) == \
        "\x1b[1mtitle\x1b[0m \u241b]8;;http://x\u241b\\"
    assert terminal("tab\tand\nnewline") == "tab\tand\nnewline"
    assert terminal("\u202eevil") == "\ufffdevil"          # a bidi override cannot reorder the line


def test_eval_text_strips_controls_even_with_color_never(project):
    project("main.plan", HOSTILE_GPU.format(name=NAME))
    code, out, err = run_cli("eval", "--color", "never", "main.plan", cwd=project.root)
    assert code == 0, err
    assert ESC not in out and "\x07" not in out and "\u241b]0;owned" in out


def test_diagnostics_strip_controls_from_the_quoted_source(project):
    project("main.plan", "# \x1b[2J\x1b]0;title\x07 a comment\nconst x = = 1\n")
    code, out, err = run_cli("check", "--color", "never", "main.plan", cwd=project.root)
    project("other.plan", "const z = 1 GiB^9  # \x1b[2J\n")
    code2, out2, err2 = run_cli("check", "--color", "always", "other.plan", cwd=project.root)
    assert code == 1 and ESC not in err + out
    assert code2 == 1 and "\x1b[2J" not in err2 and "\u241b[2J" in err2


# ------------------------------------------------------------------ -o

@pytest.fixture
def spec(project):
    project("main.plan", HOSTILE_GPU.format(name="plain"))
    return project


def _eval_to(spec, target: str) -> tuple[int, str]:
    code, out, err = run_cli("eval", "--format", "json", "main.plan", "-o", target, cwd=spec.root)
    return code, err


def test_output_into_a_missing_directory_is_a_usage_error(spec):
    code, err = _eval_to(spec, "no/such/dir/out.json")
    assert code == 2 and "directory no/such/dir does not exist" in err


def test_output_onto_a_directory_is_a_usage_error(spec):
    (spec.root / "d").mkdir()
    code, err = _eval_to(spec, "d")
    assert code == 2 and "it is a directory" in err


def test_output_onto_a_character_device_leaves_it_a_device(spec):
    code, err = _eval_to(spec, "/dev/null")
    assert code == 2 and "a device" in err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_output_onto_a_symlink_leaves_the_link(spec):
    (spec.root / "target.json").write_text("old")
    (spec.root / "link.json").symlink_to("target.json")
    code, err = _eval_to(spec, "link.json")
    assert code == 2 and "symbolic link" in err
    assert os.path.islink(spec.root / "link.json") and (spec.root / "target.json").read_text() == "old"


def test_output_onto_a_regular_file_replaces_it(spec):
    (spec.root / "out.json").write_text("old")
    code, err = _eval_to(spec, "out.json")
    assert code == 0, err
    assert (spec.root / "out.json").read_text().startswith("{")


def _temporaries(folder) -> list[str]:
    return [n for n in os.listdir(folder) if n.startswith(".capplan-")]


def test_interrupted_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic.write_atomically(str(tmp_path / "out.txt"), "data")
    assert _temporaries(tmp_path) == [] and not (tmp_path / "out.txt").exists()


def test_sigterm_during_a_write_removes_the_temporary_file(tmp_path, monkeypatch):
    before = signal.getsignal(signal.SIGTERM)

    def terminated(fd):
        os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(atomic.os, "fsync", terminated)
    with pytest.raises(SystemExit) as info:
        atomic.write_atomically(str(tmp_path / "out.txt"), "data")
    assert info.value.code == 128 + signal.SIGTERM
    assert _temporaries(tmp_path) == [] and not (tmp_path / "out.txt").exists()
    assert signal.getsignal(signal.SIGTERM) == before


def test_diff_with_an_empty_git_revision_is_a_usage_error(spec):
    code, out, err = run_cli("diff", "--git=", "main.plan", cwd=spec.root)
    assert code == 2 and "REV not empty" in err and "internal error" not in err


def test_fmt_on_a_symlinked_spec_is_a_usage_error_not_a_crash(project):
    project("real.plan", "const  x =  1 GiB\n")
    (project.root / "link.plan").symlink_to("real.plan")
    code, out, err = run_cli("fmt", "link.plan", cwd=project.root)
    assert code == 2 and "cannot write link.plan: it is a symbolic link" in err
    assert os.path.islink(project.root / "link.plan")
    assert (project.root / "real.plan").read_text() == "const  x =  1 GiB\n"


def test_check_format_github_shows_escape_sequences_as_symbols(project):
    project("main.plan", 'import "\x1b[2Jx.plan"\n')
    code, out, _ = run_cli("check", "--format", "github", "main.plan", cwd=project.root)
    assert code == 1 and ESC not in out and "\u241b[2Jx.plan" in out
