"""Reports: every spec in every format and language, determinism, escaping, curves, the command."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, compile_text

SPECS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "specs").rglob("*.plan"))
SPEC_IDS = [Path(s).stem for s in SPECS]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)   # display paths (and so the reports) are relative to the working directory


_COMPILED: dict = {}


def compiled(spec: str):
    from capplan.pipeline import compile_files

    if spec not in _COMPILED:
        old = os.getcwd()
        os.chdir(ROOT)
        try:
            _COMPILED[spec] = compile_files([spec])
        finally:
            os.chdir(old)
    return _COMPILED[spec]


def render(spec: str, fmt: str, lang: str = "en", **kw):
    from capplan.render.report.render import render_report

    return render_report(compiled(spec), fmt, lang=lang, **kw)


# ------------------------------------------------------------------ every spec, every format

@pytest.mark.parametrize("spec", SPECS, ids=SPEC_IDS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_spec_renders_html_markdown_and_text(spec, lang):
    comp = compiled(spec)
    html = render(spec, "html", lang)
    md = render(spec, "md", lang)
    txt = render(spec, "txt", lang)
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    for plan in comp.plans:
        assert plan["name"] in html and plan["name"] in md and plan["name"] in txt
    for model in comp.models:
        assert model["name"] in html
    # what the engine could not estimate is said, with its reason, in every format; nothing is "not yet"
    missing = "Not available:" if lang == "en" else "不可用："
    for plan in comp.plans:
        result = plan.get("time") if plan["kind"] == "training" else plan.get("serving")
        if result and "unavailable" in result:
            for out in (html, md, txt):
                assert missing in out and result["unavailable"].split(":")[0] in out, plan["name"]
    for out in (html, md, txt):
        assert "Not available yet" not in out and "暂不可用" not in out
    for search in comp.searches:
        assert search["name"] in html and search["name"] in md and search["name"] in txt
    for goal in comp.goals:
        assert goal["name"] in html and goal["name"] in md and goal["name"] in txt
    assert "\x1b[" not in txt


@pytest.mark.parametrize("spec", SPECS, ids=SPEC_IDS)
def test_html_is_self_contained_and_safe(spec):
    html = render(spec, "html")
    assert "<script" not in html.lower()
    assert "<link" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//|file:)""", html, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:|//)", html, re.I)
    assert "@import" not in html
    assert "prefers-color-scheme: dark" in html and "@media print" in html
    assert 'name="viewport"' in html
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "element ids must be unique across the page (charts included)"
    for ref in set(re.findall(r'href="#([^"]+)"', html)) | set(re.findall(r"url\(#([^)]+)\)", html)):
        assert ref in ids, f"dangling reference #{ref}"


@pytest.mark.parametrize("spec", SPECS, ids=SPEC_IDS)
def test_markdown_fits_a_pull_request_comment(spec):
    md = render(spec, "md")
    assert len(md) < 65_536, "GitHub comments hold at most 65,536 characters"
    assert "<script" not in md
    # every table row has as many cells as its header
    for block in re.findall(r"((?:^\|.*\|\n)+)", md, re.M):
        rows = block.strip("\n").split("\n")
        widths = {len(re.findall(r"(?<!\\)\|", r)) for r in rows}
        assert len(widths) == 1, block


_BARE_NUMBER = re.compile(r"^\**-?[\d,]+(\.\d+)?\**$")


@pytest.mark.parametrize("spec", SPECS, ids=SPEC_IDS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_markdown_tables_give_the_unit_of_bare_measured_numbers_in_the_header(spec, lang):
    """A PR comment's table stands alone (no chart beside it, a caption easily missed): a column of bare
    numbers with fractions (memory per GPU in GiB or GB, micro-batches in flight) says its unit in its header,
    `weights (GiB)`, or is one (`tokens/s`)."""
    md = render(spec, "md", lang)
    for block in re.findall(r"((?:^\|.*\|\n)+)", md, re.M):
        rows = [[c.strip() for c in re.split(r"(?<!\\)\|", r)[1:-1]] for r in block.strip("\n").split("\n")]
        header, body = rows[0], rows[2:]
        for i, name in enumerate(header):
            cells = [r[i] for r in body if i < len(r) and r[i]]
            if cells and all(_BARE_NUMBER.match(c) for c in cells) and any("." in c for c in cells):
                assert name.endswith((")", "）")) or "/" in name, f"{spec}: column {name!r} of bare numbers has no unit: {cells[:3]}"


def test_a_training_plan_report_has_every_section():
    html = render("specs/examples/llama3-70b-pretrain.plan", "html")
    for text in ("Executive summary", "Memory per GPU by pipeline stage", "Memory per GPU vs sequence length",
                 "Memory per GPU vs micro-batch size", "Time, throughput and cost", "Time and cost",
                 "Time per step by part", "matrix multiplications", "tensor-parallel communication",
                 "Procurement", "Ranked options", "Cost to train by GPU type", "Architecture", "Hardware",
                 "Layout", "Precision", "Appendix: assumptions and provenance", "Appendix: source specs",
                 "Korthikanti", "for 15T tokens", "usable GPU memory", "51.34 GiB"):
        assert text in html, text
    # memory, step time, two curves, the goal's cost
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 5
    # each chart is followed by the table of its data
    assert len(re.findall(r"</figure>\s*<div class=\"scroll\"><table", html)) == 5


def test_an_inference_report_shows_serving_capacity_and_moe_active_parameters():
    html = render("specs/examples/chat-serving.plan", "html")
    assert "Serving capacity" in html and "largest batch at this context" in html
    assert "Memory per GPU vs context length" in html and "Memory per GPU vs batch size" in html
    mixtral = render("specs/examples/mixtral-finetune.plan", "md")
    assert "active per token" in mixtral and "12.88B" in mixtral


def test_a_spec_without_plans_gets_model_cards():
    md = render("specs/seeds/001-gpt2-small-params.plan", "md")
    assert "declare no training or inference plan" in md
    assert "123,417,600" in md


def test_rule_of_thumb_models_say_what_is_left_out():
    html = render("specs/seeds/003-llama2-7b-weights.plan", "html")
    assert "Curves are not available: the model is given by its parameter count alone" in html


# ------------------------------------------------------------------ determinism

@pytest.mark.parametrize("fmt", ["html", "md", "txt"])
def test_rendering_twice_is_byte_identical(fmt):
    spec = "specs/seeds/002-13b-megatron-pipeline.plan"
    first = render(spec, fmt)
    _COMPILED.clear()
    assert render(spec, fmt) == first


def test_separate_processes_with_other_hash_seeds_give_identical_html(tmp_path):
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"r{seed}.html"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run([sys.executable, "-m", "capplan.render.report", "specs/examples/chat-serving.plan",
                               "specs/examples/llama3-70b-pretrain.plan", "-o", str(out)],
                              cwd=ROOT, env=env, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_no_timestamps_and_commit_only_when_given():
    html = render("specs/seeds/004-llama2-7b-kv-cache.plan", "html")
    assert not re.search(r"20\d\d-\d\d-\d\d", html)
    assert 'data-commit=""' in html and "· commit" not in html
    with_commit = render("specs/seeds/004-llama2-7b-kv-cache.plan", "html", commit="abc1234")
    assert "abc1234" in with_commit


def test_charts_are_deterministic_svg_with_text_as_text():
    html = render("specs/examples/llama3-70b-pretrain.plan", "html")
    svgs = re.findall(r"<svg xmlns=.*?</svg>", html, re.S)
    assert len(svgs) == 5
    for svg in svgs:
        assert "<text" in svg and "<title" in svg      # labels are text, the chart is described
        assert "<metadata" not in svg and "dc:date" not in svg and "<style" not in svg   # no page-wide style
    assert "#0072b2" in html.lower() and "#e69f00" in html.lower()   # Okabe-Ito


# ------------------------------------------------------------------ escaping

EVIL = '''
model evil from llama2_7b { name = "<script>alert(1)</script>" }
inference serve_evil {
  model = evil
  gpu = rtx4090
  gpus = 1
  weights = fp16
  context = 2048 tokens
}
'''


def test_a_hostile_model_name_is_escaped(project):
    from capplan.render.report.render import render_report

    comp = compile_text(project, EVIL)
    assert not comp.failed, [d.message for d in comp.diagnostics.items]
    html = render_report(comp, "html")
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    md = render_report(comp, "md")
    prose = re.sub(r"^(`{3,})\n.*?^\1$", "", md, flags=re.S | re.M)   # fenced code shows text literally
    assert "<script" not in prose and "&lt;script&gt;" in prose
    assert '{ name = "<script>alert(1)</script>" }' in md              # the spec itself, in a code fence
    pdf_html = __import__("capplan.render.report.render", fromlist=["x"]).render_html(
        __import__("capplan.render.report.build", fromlist=["x"]).build_report(comp), "pdf")
    assert "<script" not in pdf_html.lower()


def test_control_characters_from_a_spec_never_reach_a_terminal(project):
    from capplan.render.report.render import render_report

    comp = compile_text(project, EVIL.replace("<script>alert(1)</script>", "evil\x1b[2J\x07name"))
    assert not comp.failed, [d.message for d in comp.diagnostics.items]
    for fmt in ("txt", "md", "html"):
        out = render_report(comp, fmt)
        assert "\x1b[2J" not in out and "\x07" not in out
        assert "evil\ufffd[2J\ufffdname" in out


# ------------------------------------------------------------------ curves

def _workload(spec: str, name: str):
    from capplan.render.report.workloads import workloads

    comp = compiled(spec)
    plan = next(p for p in comp.plans if p["name"] == name)
    return plan, workloads(comp)[(plan["file"], plan["name"])]


@pytest.mark.parametrize("spec,name", [("specs/examples/llama3-70b-pretrain.plan", "llama70b_pretrain"),
                                       ("specs/seeds/002-13b-megatron-pipeline.plan", "seed_pp4_dp2_zero1"),
                                       ("specs/examples/mixtral-finetune.plan", "mixtral_sft")])
def test_training_curves_pass_through_the_plan_and_bound_the_fit(spec, name):
    from dataclasses import replace

    from capplan.analyses.sweep import _training_peak, training_curves

    plan, w = _workload(spec, name)
    usable = plan["hardware"]["usable_bytes"]
    for curve in training_curves(w, usable):
        i = curve.xs.index(curve.current)
        assert curve.peaks[i] == pytest.approx(plan["peak_bytes"], rel=1e-12)
        assert curve.peaks == sorted(curve.peaks)                       # more tokens never need less memory
        if curve.boundary is not None and not curve.beyond:
            field = "seq_len" if curve.axis == "seq_len" else "micro_batch"
            step = 1
            M, dp = w.microbatches, w.layout.data

            def peak(x):
                changes = {field: float(x) if field == "seq_len" else x}
                if field == "micro_batch":
                    changes.update(global_batch=x * dp * M)
                return _training_peak(replace(w, **changes))[0]

            assert peak(curve.boundary) <= usable < peak(curve.boundary + step)


def test_inference_curves_agree_with_the_engines_limits():
    from capplan.analyses.sweep import inference_curves

    plan, w = _workload("specs/examples/chat-serving.plan", "chat_70b_int4")
    context, batch = inference_curves(w, plan)
    assert batch.boundary == plan["max_batch"]
    # the context boundary comes from the same re-evaluation as the curve; the engine's own search holds the
    # prefill activations at the plan's context, so it may only be as long or longer
    assert context.boundary <= plan["max_context"]
    assert (context.engine_boundary is None) == (context.boundary == plan["max_context"])
    assert batch.peaks[batch.xs.index(plan["layout"]["batch"])] == pytest.approx(plan["peak_bytes"])
    for curve in (context, batch):
        for i, x in enumerate(curve.xs):
            assert curve.fits(i) == (x <= curve.boundary)


def test_sweeps_leave_the_plan_alone():
    from capplan.pipeline import compile_files
    from capplan.render.report.render import render_report

    comp = compile_files(["specs/examples/llama3-70b-pretrain.plan"])
    before = dict(comp.workloads)
    plans = [dict(p) for p in comp.plans]
    render_report(comp, "md")
    assert comp.workloads == before and [dict(p) for p in comp.plans] == plans


def test_several_files_each_get_their_curves():
    from capplan.pipeline import compile_files
    from capplan.render.report.build import build_report

    comp = compile_files(["specs/examples/llama3-70b-pretrain.plan", "specs/examples/chat-serving.plan"])
    report = build_report(comp)
    for plan in report.plans:
        assert plan.curves or plan.curves_note, plan.name
        assert "could not be re-evaluated" not in (plan.curves_note or "")


# ------------------------------------------------------------------ text

def test_text_tables_align_by_display_width_in_chinese():
    from capplan.render.report.render import display_width

    txt = render("specs/examples/mixtral-finetune.plan", "txt", "zh")
    lines = txt.splitlines()
    i = next(k for k, line in enumerate(lines) if line.startswith("计划") and "类型" in line)
    # a header may wrap onto more lines when the table is narrowed to the text width (100 columns)
    header, rule = lines[i], next(line for line in lines[i + 1:] if line and set(line) <= {"-", " "})
    assert display_width(header) <= display_width(rule) + 8
    # the columns of the rule line start where the header's columns start
    starts = [m.start() for m in re.finditer(r"-+", rule)]
    prefix_widths = {display_width(header[:k]) for k in range(len(header) + 1)}
    assert all(s in prefix_widths for s in starts)


def test_colour_only_when_asked():
    plain = render("specs/examples/chat-serving.plan", "txt")
    coloured = render("specs/examples/chat-serving.plan", "txt", color=True)
    assert "\x1b[" not in plain and "\x1b[" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured).replace("\n", "") != ""


# ------------------------------------------------------------------ the command

def run_report(*args, cwd=ROOT, tty=False):
    from capplan.render.report.command import main

    class Out(io.StringIO):
        def isatty(self):
            return tty

    out, err = Out(), Out()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        code = main(list(args), out, err)
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("ext,marker", [(".html", "<!DOCTYPE html>"), (".md", "## Capacity plan"),
                                        (".txt", "Capacity plan: chat-serving.plan\n=")])
def test_the_format_follows_the_extension(tmp_path, ext, marker):
    out = tmp_path / f"report{ext}"
    code, _, err = run_report("specs/examples/chat-serving.plan", "-o", str(out))
    assert code == 0, err
    assert out.read_text(encoding="utf-8").startswith(marker)
    assert [p.name for p in tmp_path.iterdir()] == [out.name]    # no temporary file left behind


def test_format_flag_wins_and_unknown_extensions_are_usage_errors(tmp_path):
    out = tmp_path / "report.out"
    assert run_report("specs/examples/chat-serving.plan", "-o", str(out))[0] == 2
    assert not out.exists()
    code, _, err = run_report("specs/examples/chat-serving.plan", "-o", str(out), "--format", "md")
    assert code == 0, err and out.read_text().startswith("## ")
    assert run_report("specs/examples/chat-serving.plan", "--format", "pdf")[0] == 2   # PDF needs -o
    assert run_report("specs/examples/chat-serving.plan", "--lang", "fr")[0] == 2
    code, out_text, _ = run_report("--help")
    assert code == 0 and "--paper" in out_text


def test_spec_errors_write_nothing_and_print_diagnostics(project, tmp_path):
    project("bad.plan", "gpu g {\n  memory = 80 GB/s\n  memory_bandwidth = 1 TB/s\n}\n")
    out = tmp_path / "report.html"
    code, stdout, err = run_report("bad.plan", "-o", str(out), cwd=project.root)
    assert code == 1
    assert "error[E0301]" in err and "not written" in err and "Traceback" not in err
    assert not out.exists() and not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".capplan-*"))
    code, _, err = run_report("missing.plan", "-o", str(out), cwd=project.root)
    assert code == 1 and "E0505" in err and not out.exists()


def test_failed_requirements_are_reported_not_refused(project, tmp_path):
    project("tight.plan", "inference tight {\n  model = llama3_1_70b\n  gpu = h100_sxm\n  gpus = 1\n"
                          "  weights = bf16\n  context = 8192 tokens\n  require fits\n}\n")
    out = tmp_path / "tight.md"
    code, _, err = run_report("tight.plan", "-o", str(out), cwd=project.root)
    assert code == 0, err
    assert "E0601" in err
    md = out.read_text()
    assert "❌" in md and "some requirements fail" in md and "does not hold" in md


def test_text_to_a_terminal_is_coloured_and_to_a_pipe_is_not():
    code, out, _ = run_report("specs/examples/chat-serving.plan", tty=True)
    assert code == 0 and "\x1b[" in out
    code, out, _ = run_report("specs/examples/chat-serving.plan", tty=False)
    assert code == 0 and "\x1b[" not in out
    code, out, _ = run_report("specs/examples/chat-serving.plan", "--color", "never", tty=True)
    assert "\x1b[" not in out


def test_an_internal_error_is_one_line_never_a_traceback(monkeypatch):
    import capplan.render.report.render as render_module

    def boom(*a, **k):
        raise RuntimeError("kaput")

    monkeypatch.setattr(render_module, "build_report", boom)
    code, _, err = run_report("specs/examples/chat-serving.plan", "--format", "md")
    assert code == 3 and "internal error" in err and "Traceback" not in err


def test_git_commit_is_found_in_a_repository_and_absent_elsewhere(tmp_path):
    from capplan.render.report.command import git_commit

    (tmp_path / "x.plan").write_text("")
    assert git_commit([str(tmp_path / "x.plan")]) is None
    commit = git_commit([str(ROOT / "specs" / "examples" / "chat-serving.plan")])
    if (ROOT / ".git").exists():
        assert commit and re.fullmatch(r"[0-9a-f]{4,40}", commit)


def test_capplan_report_through_the_main_command_line(tmp_path):
    from conftest import run_cli

    out = tmp_path / "r.md"
    code, _, err = run_cli("report", "specs/examples/chat-serving.plan", "-o", str(out), cwd=ROOT)
    assert code == 0, err
    assert out.read_text(encoding="utf-8").startswith("## Capacity plan")
