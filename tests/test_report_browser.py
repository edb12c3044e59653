"""The HTML report in a real browser: headless Chromium through Playwright.

It loads with no console messages, no page errors and no network request but the file
itself; light, dark, print and a phone-sized screen are screenshotted into pytest's tmp
dir. Needs Debian's chromium (/usr/bin/chromium, or CAPPLAN_CHROMIUM); the test skips,
saying so, only when that binary is absent. Playwright's own browser download is never
used.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"]


def chromium() -> str:
    path = os.environ.get("CAPPLAN_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path or not Path(path).exists():
        pytest.skip("chromium is not installed (Debian package chromium); set CAPPLAN_CHROMIUM to use another")
    return path


@pytest.fixture(scope="module")
def browser():
    exe = chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # a missing test dependency is a failure, not a skip
        pytest.fail("the Python package playwright is missing: pip install -e '.[test]'")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_FLAGS, headless=True)
        yield b
        b.close()


def write_report(tmp_path: Path, specs: list[str], lang: str = "en") -> Path:
    from capplan.pipeline import compile_files
    from capplan.render.report.render import render_report

    old = os.getcwd()
    os.chdir(ROOT)
    try:
        html = render_report(compile_files(specs), "html", lang=lang, commit="abc1234")
    finally:
        os.chdir(old)
    out = tmp_path / f"report-{lang}.html"
    out.write_text(html, encoding="utf-8")
    return out


def load(browser, url: str, **context):
    ctx = browser.new_context(**context)
    page = ctx.new_page()
    requests, console, errors = [], [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="load")
    page.wait_for_timeout(100)
    return ctx, page, requests, console, errors


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_report_loads_cleanly_with_no_network_requests(browser, tmp_path, lang):
    report = write_report(tmp_path, ["specs/examples/llama3-70b-pretrain.plan", "specs/examples/chat-serving.plan"],
                          lang)
    url = report.as_uri()
    ctx, page, requests, console, errors = load(browser, url, viewport={"width": 1280, "height": 900})
    try:
        assert errors == [], errors
        assert console == [], console
        assert requests == [url], f"requests besides the report itself: {[r for r in requests if r != url]}"
        page.screenshot(path=str(tmp_path / f"light-{lang}.png"), full_page=True)
        assert (tmp_path / f"light-{lang}.png").stat().st_size > 20_000
        # the charts are laid out and visible, with their text as text
        boxes = page.eval_on_selector_all("svg.chart", "els => els.map(e => e.getBoundingClientRect().width)")
        assert len(boxes) >= 9 and min(boxes) > 300
        assert page.locator("svg.chart text").count() > 50
        # nothing is wider than the screen but the scrolling table wrappers
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        # the table of contents links to sections that exist
        targets = page.eval_on_selector_all("nav.toc a", "els => els.map(e => e.getAttribute('href').slice(1))")
        for target in targets:
            assert page.locator(f"[id='{target}']").count() == 1, target
    finally:
        ctx.close()


def test_dark_mode_print_and_a_phone(browser, tmp_path):
    report = write_report(tmp_path, ["specs/examples/llama3-70b-pretrain.plan"])
    url = report.as_uri()
    ctx, page, requests, console, errors = load(browser, url, viewport={"width": 1280, "height": 900},
                                                color_scheme="dark")
    try:
        bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
        fg = page.evaluate("getComputedStyle(document.querySelector('svg.chart')).color")
        assert bg != "rgb(255, 255, 255)" and fg != "rgb(29, 33, 37)"      # dark page, light chart text
        page.screenshot(path=str(tmp_path / "dark.png"), full_page=False)
        page.emulate_media(media="print", color_scheme="light")
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") in ("rgb(255, 255, 255)",
                                                                                 "rgba(0, 0, 0, 0)")
        assert errors == [] and console == [] and requests == [url]
    finally:
        ctx.close()
    ctx, page, requests, console, errors = load(browser, url, viewport={"width": 390, "height": 844},
                                                device_scale_factor=2, is_mobile=True)
    try:
        page.screenshot(path=str(tmp_path / "phone.png"), full_page=False)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, "the page scrolls sideways on a phone"
        assert errors == [] and requests == [url]
    finally:
        ctx.close()


def test_scripts_cannot_run_from_a_hostile_spec(browser, tmp_path, project):
    from capplan.render.report.render import render_report
    from conftest import compile_text

    comp = compile_text(project, 'model evil from llama2_7b { name = "<img src=x onerror=alert(1)><script>'
                                 'alert(2)</script>" }\ninference s {\n  model = evil\n  gpu = rtx4090\n'
                                 '  gpus = 1\n  weights = fp16\n  context = 2048 tokens\n}\n')
    out = tmp_path / "evil.html"
    out.write_text(render_report(comp, "html"), encoding="utf-8")
    ctx, page, requests, console, errors = load(browser, out.as_uri())
    try:
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.reload()
        page.wait_for_timeout(200)
        assert dialogs == [] and errors == []
        assert page.locator("script").count() == 0 and page.locator("img").count() == 0
        assert "<script>alert(2)</script>" in page.inner_text("body")
    finally:
        ctx.close()
