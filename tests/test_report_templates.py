"""The report's templates compiled ahead of time (capplan.render.report.jinja): the generated package is
current, it is what a report uses, it renders exactly what compiling the templates does, and a stale
module is never used."""

from __future__ import annotations

import pytest

from conftest import ROOT

SPEC = "specs/examples/llama3-70b-pretrain.plan"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def _same_jinja2() -> bool:
    """Whether the installed Jinja2 is the one that generated the package (the lock's, normally)."""
    import jinja2

    from capplan.render.report.compiled import JINJA2

    return jinja2.__version__ == JINJA2


def test_the_compiled_templates_are_current():
    import hashlib

    from capplan.render.report.compiled import SOURCES
    from capplan.render.report.jinja import TARGET, TEMPLATES, generate
    from capplan.render.report.render import environment

    env = environment("en")
    # the templates' text, whatever Jinja2 is installed: an edited template means regenerating
    for template in TEMPLATES:
        source, _f, _u = env.loader.get_source(env, template)
        assert SOURCES[template] == hashlib.sha256(source.encode("utf-8")).hexdigest(), (
            f"{template} changed: run .venv/bin/python scripts/compile_templates.py")
    if not _same_jinja2():   # another Jinja2 generates other code: the fingerprints send reports to the source
        return
    files = generate(env)
    assert sorted(p.name for p in TARGET.glob("*.py")) == sorted(files)
    stale = [n for n, text in files.items() if (TARGET / n).read_text(encoding="utf-8") != text]
    assert not stale, f"{stale} not current: run .venv/bin/python scripts/compile_templates.py"


def test_the_generated_code_does_not_depend_on_the_language():
    from capplan.render.report.jinja import generate
    from capplan.render.report.render import environment

    assert generate(environment("en")) == generate(environment("zh"))


def test_reports_use_the_compiled_templates(monkeypatch):
    import capplan.render.report.jinja as jinja
    from capplan.pipeline import compile_files
    from capplan.render.report.render import environment, render_report

    used = []
    real = jinja._compiled_code

    def spy(env, template, source):
        code = real(env, template, source)
        used.append((template, code is not None))
        return code

    monkeypatch.setattr(jinja, "_compiled_code", spy)
    environment.cache_clear()
    try:
        for fmt in ("html", "md", "txt"):
            render_report(compile_files([SPEC]), fmt)
    finally:
        environment.cache_clear()
    # under another Jinja2 than the generator's, every template is compiled from its source instead
    assert sorted(used) == sorted((t, _same_jinja2()) for t in jinja.TEMPLATES)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_compiled_and_freshly_compiled_templates_render_the_same(lang, monkeypatch):
    import capplan.render.report.jinja as jinja
    from capplan.pipeline import compile_files
    from capplan.render.report.render import environment, render_report

    def render_all():
        environment.cache_clear()
        try:
            return [render_report(compile_files([SPEC]), fmt, lang=lang, appendix=appendix)
                    for fmt in ("html", "md", "txt") for appendix in (True, False)]
        finally:
            environment.cache_clear()

    ahead = render_all()
    monkeypatch.setattr(jinja, "_compiled_code", lambda env, template, source: None)
    assert render_all() == ahead


def test_a_stale_module_is_not_used():
    from capplan.render.report.jinja import _compiled_code
    from capplan.render.report.render import environment

    env = environment("en")
    source, _f, _u = env.loader.get_source(env, "report.md.j2")
    assert (_compiled_code(env, "report.md.j2", source) is not None) == _same_jinja2()
    assert _compiled_code(env, "report.md.j2", source + "{{ 1 }}") is None     # the template was edited
    assert _compiled_code(env, "diff.md.j2", source) is None                   # not one of the report's


def test_an_edited_template_renders_its_new_text(tmp_path):
    """A template edited after the package was generated is compiled from its source."""
    from jinja2 import Environment

    from capplan.render.report.jinja import PrecompiledLoader
    from capplan.render.report.render import environment

    real = environment("en")
    (tmp_path / "report.md.j2").write_text("edited {{ x }}\n")
    env = Environment(loader=PrecompiledLoader(str(tmp_path)), extensions=["jinja2.ext.i18n"],
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, autoescape=real.autoescape)
    assert env.get_template("report.md.j2").render(x=1) == "edited 1\n"


def test_under_another_jinja2_the_templates_compile_from_source(monkeypatch):
    import jinja2

    import capplan.render.report.jinja as jinja
    from capplan.pipeline import compile_files
    from capplan.render.report.render import environment, render_report

    environment.cache_clear()
    try:
        ahead = render_report(compile_files([SPEC]), "md")
        monkeypatch.setattr(jinja2, "__version__", "0.0.0")   # what a different Jinja2 release looks like
        env = environment.__wrapped__("en") if hasattr(environment, "__wrapped__") else environment("en")
        source, _f, _u = env.loader.get_source(env, "report.md.j2")
        assert jinja._compiled_code(env, "report.md.j2", source) is None
        environment.cache_clear()
        assert render_report(compile_files([SPEC]), "md") == ahead
    finally:
        environment.cache_clear()
