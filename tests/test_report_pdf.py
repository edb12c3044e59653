"""PDF reports (WeasyPrint): text, fonts, pages, Chinese, rasterising, and the hermetic URL fetcher.

pdftotext, pdffonts, pdfinfo and pdftoppm come from poppler-utils; a test that needs one
skips, saying so, only when that binary is not installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from test_report_timecost import check_format

SPECS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "specs").rglob("*.plan"))


def need(binary: str) -> str:
    path = shutil.which(binary)
    if path is None:
        pytest.skip(f"{binary} is not installed (Debian package poppler-utils)")
    return path


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def pdf_of(spec: str, tmp_path: Path, lang: str = "en", paper: str = "A4", name: str = "report.pdf",
           appendix: bool | None = None) -> Path:
    from capplan.pipeline import compile_files
    from capplan.render.report.render import render_report

    data = render_report(compile_files([spec]), "pdf", lang=lang, paper=paper, commit="abc1234", appendix=appendix)
    assert isinstance(data, bytes) and data.startswith(b"%PDF-")
    out = tmp_path / name
    out.write_bytes(data)
    return out


def text_of(pdf: Path, *args: str, order: str = "-layout") -> str:
    """The PDF's text: in its visual layout, or (order="-raw") in content-stream order, where a table
    cell that wraps onto two lines stays one run of text."""
    return subprocess.run([need("pdftotext"), order, *args, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def pages_of(pdf: Path) -> int:
    info = subprocess.run([need("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


@pytest.mark.parametrize("spec", SPECS, ids=[Path(s).stem for s in SPECS])
def test_every_spec_renders_a_pdf(spec, tmp_path):
    from capplan.pipeline import compile_files

    pdf = pdf_of(spec, tmp_path)
    comp = compile_files([spec])
    text = re.sub(r"\s+", " ", text_of(pdf, order="-raw"))
    for plan in comp.plans:
        assert plan["name"] in text
    # time and cost, each search's best layout, each goal's ranking (tests/test_report_timecost.py)
    check_format(comp, text)
    pages = pages_of(pdf)
    assert 3 <= pages <= 8 + 8 * len(comp.plans), pages    # cover, contents, summary ... appendix


def test_pdf_key_figures_header_footer_and_contents(tmp_path):
    pdf = pdf_of("specs/examples/llama3-70b-pretrain.plan", tmp_path, appendix=True)
    text = text_of(pdf)
    flat = re.sub(r"\s+", " ", text)
    for figure in ("llama70b_pretrain", "51.34 GiB", "79.65 GiB", "70,553,706,496", "Time and cost",
                   "Time per step by part", "matrix multiplications", "longest time to train", "MATMUL_EFFICIENCY",
                   "Procurement pretrain_in_120_days", "First choice:", "Cost to train by GPU type",
                   "Memory per GPU by pipeline stage", "Appendix: assumptions and provenance", "Korthikanti"):
        assert figure in flat, figure
    pages = text.split("\f")
    # the cover holds the decision page (issue 13) and may run onto a second page; the contents follow it
    toc = next(i for i, page in enumerate(pages) if re.search(r"^\s*Contents\s*$", page, re.M))
    body = pages[toc + 1]
    assert "specs/examples/llama3-70b-pretrain.plan" in body and "commit abc1234" in body   # running header
    assert "specs/examples/llama3-70b-pretrain.plan" not in pages[0].split("Specs:")[0]     # not on the cover
    assert re.search(rf"page {toc + 2} of \d+", body)
    contents = pages[toc]
    assert "Contents" in contents and re.search(r"training llama70b_pretrain\s*\.*\s*\d+", contents)


def test_pdf_fonts_are_embedded(tmp_path):
    pdf = pdf_of("specs/seeds/004-llama2-7b-kv-cache.plan", tmp_path)
    fonts = subprocess.run([need("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.strip().splitlines()[2:]
    assert rows
    for row in rows:
        assert re.search(r"\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$", row), f"font not embedded: {row}"


def test_chinese_pdf_has_cjk_text_and_fonts(tmp_path):
    pdf = pdf_of("specs/examples/chat-serving.plan", tmp_path, lang="zh", appendix=True)
    text = re.sub(r"\s+", "", text_of(pdf))
    for words in ("摘要", "每块GPU的显存", "首词元时间（TTFT）", "延迟、吞吐量与成本", "采购", "首选：", "附录：假设与出处",
                  "放得下"):
        assert words in text, words
    fonts = subprocess.run([need("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts


def test_letter_and_a4_paper(tmp_path):
    a4 = pdf_of("specs/seeds/004-llama2-7b-kv-cache.plan", tmp_path, name="a4.pdf")
    letter = pdf_of("specs/seeds/004-llama2-7b-kv-cache.plan", tmp_path, paper="letter", name="letter.pdf")
    info = lambda p: subprocess.run([need("pdfinfo"), str(p)], capture_output=True, text=True).stdout  # noqa: E731
    assert re.search(r"Page size:\s+595\.\d* x 841\.\d* pts \(A4\)", info(a4))
    assert re.search(r"Page size:\s+612 x 792 pts \(letter\)", info(letter))


def test_page_one_rasterises(tmp_path):
    pdf = pdf_of("specs/examples/llama3-70b-pretrain.plan", tmp_path)
    subprocess.run([need("pdftoppm"), "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True, capture_output=True)
    png = next(tmp_path.glob("page*.png"))
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 5_000


def test_the_command_writes_a_pdf_atomically(tmp_path):
    from capplan.render.report.command import main
    import io

    out = tmp_path / "plan.pdf"
    code = main(["specs/seeds/004-llama2-7b-kv-cache.plan", "-o", str(out), "--paper", "letter"],
                io.StringIO(), io.StringIO())
    assert code == 0 and out.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in tmp_path.iterdir()] == ["plan.pdf"]


# ------------------------------------------------------------------ the fetcher

def test_the_url_fetcher_serves_only_the_package(tmp_path):
    from capplan.render.report.i18n import templates_dir
    from capplan.render.report.pdf import FetchRefused, package_url_fetcher

    css = templates_dir() / "report.css"
    got = package_url_fetcher(css.as_uri())
    assert got["mime_type"] == "text/css" and b"capplan report" in got["string"]
    outside = tmp_path / "secret.css"
    outside.write_text("body { color: red }")
    for url in ("https://example.com/x.css", "http://127.0.0.1/x.png", "ftp://example.com/a", outside.as_uri(),
                (templates_dir() / ".." / ".." / "pyproject.toml").as_uri(), "file:///etc/passwd",
                "data:text/css,body{}", "file://otherhost/etc/passwd"):
        with pytest.raises(FetchRefused):
            package_url_fetcher(url)


def test_weasyprint_refuses_what_the_html_asks_from_outside(tmp_path, monkeypatch):
    """An image or stylesheet pointing outside the package is not fetched (and nothing fails)."""
    import capplan.render.report.pdf as pdf_module

    asked, refused = [], []
    real = pdf_module.package_url_fetcher

    def spy(url, *a, **k):
        asked.append(url)
        try:
            return real(url, *a, **k)
        except pdf_module.FetchRefused:
            refused.append(url)
            raise

    monkeypatch.setattr(pdf_module, "package_url_fetcher", spy)
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n")
    html = (f'<html><head><link rel="stylesheet" href="https://example.com/x.css"></head><body>'
            f'<img src="{secret.as_uri()}"><img src="http://127.0.0.1:9/x.png"><p>ok</p></body></html>')
    data = pdf_module.html_to_pdf(html)
    assert data.startswith(b"%PDF-")
    wanted = {"https://example.com/x.css", secret.as_uri(), "http://127.0.0.1:9/x.png"}
    assert wanted <= set(asked) and set(asked) == set(refused)   # every URL goes through ours, and is refused


DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def test_the_column_widths_measure_text_with_the_pdfs_own_fonts():
    """font_advances (the PDF column widths' metrics) is what scripts/font_advances.py reads from the
    installed DejaVu fonts (Debian's fonts-dejavu-core, which WeasyPrint sets the PDF in)."""
    import importlib.util

    from capplan.render.report import font_advances
    from capplan.render.report.pdf_tables import _advance

    if not (DEJAVU / "DejaVuSans.ttf").exists():
        pytest.skip("DejaVu fonts are not installed (Debian package fonts-dejavu-core)")
    spec = importlib.util.spec_from_file_location("font_advances_script", ROOT / "scripts" / "font_advances.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.source(DEJAVU) == (ROOT / "compiler" / "render" / "report" / "font_advances.py").read_text(
        encoding="utf-8"), "run: .venv/bin/python scripts/font_advances.py"
    # DejaVu Sans: digits are 1303/2048 em, `m` 1995, bold `m` 2134; Mono: every glyph 1233 (0.88 em for code)
    assert _advance("0", False, False) == pytest.approx(1303 / 2048)
    assert _advance("m", False, False) == pytest.approx(1995 / 2048)
    assert _advance("m", True, False) == pytest.approx(2134 / 2048)
    assert _advance("m", False, True) == pytest.approx(1233 / 2048 * 0.88)
    assert font_advances.VERSIONS["regular"].startswith("Version 2.")


# ------------------------------------------------------------------ importing WeasyPrint

_LIBRARIES = """
import ctypes.util, json, sys
real = ctypes.util.find_library
import capplan.render.report.pdf as pdf
{setup}
pdf.import_weasyprint()
maps = open("/proc/self/maps").read().split()
libs = sorted({{p.rsplit("/", 1)[-1] for p in maps if "/lib" in p and any(
    k in p for k in ("gobject", "pango", "harfbuzz", "fontconfig"))}})
print(json.dumps({{"libs": libs, "restored": ctypes.util.find_library is real,
                  "weasyprint": "weasyprint.text.ffi" in sys.modules}}))
"""


def _libraries(setup: str = "") -> dict:
    import json
    import sys as _sys

    proc = subprocess.run([_sys.executable, "-c", _LIBRARIES.format(setup=setup)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_the_quick_weasyprint_import_finds_what_find_library_finds():
    import ctypes.util
    import sys as _sys

    from capplan.render.report.pdf import _find_in, _ldconfig_listing

    if not _sys.platform.startswith("linux") or _ldconfig_listing() is None:
        pytest.skip("Linux with /sbin/ldconfig only")
    find = _find_in(_ldconfig_listing())
    for name in ("gobject-2.0", "libgobject-2.0-0", "pango-1.0", "libpango-1.0-0", "harfbuzz", "harfbuzz-subset",
                 "fontconfig", "pangoft2-1.0", "c", "m", "no-such-library-at-all"):
        if find(name) is not None:
            assert find(name) == ctypes.util.find_library(name), name


def test_the_quick_weasyprint_import_loads_the_same_libraries():
    """Pango, HarfBuzz, fontconfig and GObject as the plain import loads them; find_library restored; and
    with an empty listing (every name missed) WeasyPrint still reaches its libraries by their sonames,
    and with a failing lookup the import is done again the usual way."""
    import sys as _sys

    if not _sys.platform.startswith("linux"):
        pytest.skip("Linux only")
    plain = _libraries("import weasyprint")
    quick = _libraries()
    assert plain["libs"] and quick == plain and quick["restored"] and quick["weasyprint"]
    assert _libraries("pdf._ldconfig_listing = lambda: b''") == plain

    failing = "def _fail(name):\n    raise ImportError('simulated')\npdf._find_in = lambda listing: _fail"
    assert _libraries(failing) == plain
