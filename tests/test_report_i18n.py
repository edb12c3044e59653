"""Report languages: gettext catalogs complete and compiled, numbers per locale."""

from __future__ import annotations

import re
import string

import pytest


def test_the_shipped_mo_files_are_compiled_from_their_po_files():
    # Compared by content, not bytes: the .mo header names the Babel version that wrote it,
    # and a Babel release must not fail this test (it did: 2.18.0 -> 2.19.0).
    from capplan.render.report.i18n import compiled_mo, mo_messages, po_files

    pos = po_files()
    assert pos, "no catalogs under templates/locale"
    for po in pos:
        mo = po.with_suffix(".mo")
        assert mo.exists(), f"{mo} missing: python -m capplan.render.report.i18n compile"
        shipped, fresh = mo_messages(mo.read_bytes()), mo_messages(compiled_mo(po))
        assert len(shipped["messages"]) > 100, "the shipped catalog lost its messages"
        assert shipped == fresh, f"{mo} is stale: python -m capplan.render.report.i18n compile"


def test_a_stale_mo_file_is_detected(tmp_path):
    # The content comparison above must still fail when a translation changes.
    from capplan.render.report.i18n import compiled_mo, mo_messages, po_files

    po = po_files()[0]
    text = po.read_text(encoding="utf-8")
    changed = text.replace('msgstr "（标记面积：每步成本）"', 'msgstr "（changed）"', 1)
    assert changed != text
    edited = tmp_path / po.name
    edited.write_text(changed, encoding="utf-8")
    assert mo_messages(compiled_mo(edited)) != mo_messages(po.with_suffix(".mo").read_bytes())


def test_every_message_of_the_templates_and_code_is_translated():
    from babel.messages.pofile import read_po

    from capplan.render.report.i18n import extract_messages, po_files

    wanted = {m.id for m in extract_messages() if m.id}
    for po in po_files():
        with open(po, "rb") as fh:
            catalog = read_po(fh)
        have = {m.id: m.string for m in catalog if m.id}
        missing = sorted(str(k) for k in wanted if not have.get(k) or
                         (isinstance(have[k], tuple) and not all(have[k])))
        assert not missing, f"{po}: untranslated (python -m capplan.render.report.i18n extract): {missing}"
        unused = sorted(str(k) for k in have if k not in wanted)
        assert not unused, f"{po}: messages no longer used: {unused}"


def _fields(text: str) -> set[str]:
    brace = {f for _, f, _, _ in string.Formatter().parse(text) if f}
    percent = set(re.findall(r"%\((\w+)\)s", text))
    return brace | percent


def test_translations_keep_every_placeholder():
    from babel.messages.pofile import read_po

    from capplan.render.report.i18n import po_files

    for po in po_files():
        with open(po, "rb") as fh:
            catalog = read_po(fh)
        for m in catalog:
            if not m.id:
                continue
            ids = m.id if isinstance(m.id, tuple) else (m.id,)
            strs = m.string if isinstance(m.string, tuple) else (m.string,)
            for s in strs:
                assert _fields(s) == _fields(ids[-1]), f"{po}: {m.id!r} -> {s!r}"


def test_numbers_follow_the_locale():
    from capplan.render.report.i18n import Numbers

    en, zh = Numbers("en"), Numbers("zh")
    assert en.int(70553706496) == "70,553,706,496" == zh.int(70553706496)
    assert en.params(70553706496) == "70.55B" and zh.params(70553706496) == "705.54亿"
    assert en.pct(0.5826) == "58.3%" and zh.pct(0.5826) == "58.3%"
    assert en.mem(66.09 * 2**30, "GiB") == "66.09 GiB" and en.mem(72.55e9, "GB") == "72.55 GB"
    assert en.mem(512 * 2**20, "GiB") == "512 MiB"
    assert en.tokens(8192) == "8,192 tokens" and zh.tokens(8192) == "8,192 个词元"
    assert en.list(["a", "b"]) == "a and b" and zh.list(["a", "b"]) == "a和b"
    assert en.num(1.0) == "1" and en.num(0.0) == "0" and en.num(1979.0) == "1,979" and en.num(2.0394) == "2.039"


def test_durations_money_and_energy_follow_the_locale():
    from capplan.render.report.i18n import Numbers

    en, zh = Numbers("en"), Numbers("zh")
    assert [en.duration(x) for x in (1e-5, 0.017, 29.23368, 203.9, 104547800.47)] == [
        "10 µs", "17 ms", "29.23 s", "3.398 min", "1,210 d"]         # 1,210 d: the integer part is kept whole
    assert en.duration_unit(203.9) == (60, "min") and en.duration_unit(0.5) == (1e-3, "ms")
    assert en.usd(14051224.38) == "$14.05M" and zh.usd(14051224.38) == "US$1405.12万"
    assert en.usd(1.133) == "$1.13" and en.usd(0.0760146) == "$0.076" and en.usd(1234.5) == "$1,234.50"
    assert en.count(3717255.1) == "3.72M" and zh.count(3717255.1) == "371.73万" and en.count(4172.3) == "4,172"
    assert en.si(481434796032.0, "FLOP") == "481.4 GFLOP" and en.si(989.5e12, "FLOP/s") == "989.5 TFLOP/s"
    assert en.energy(2602078.6) == "2.602 GWh" and en.energy(12.3) == "12.3 kWh" and en.energy(None) == "?"


def test_unknown_languages_are_refused():
    from capplan.render.report.i18n import translations

    with pytest.raises(ValueError):
        translations("fr")


def test_zh_llama3_report_has_no_english_duration_unit_or_recompute_value():
    """issue 13: "1,210 d" and "重计算 none" were left in English in zh reports. The appendix (the spec's
    source and the engine's formulas, quoted as written) is left out here."""
    import re

    from capplan.pipeline import compile_files
    from capplan.render.report.i18n import ENUMERATIONS
    from capplan.render.report.render import render_report
    from conftest import ROOT

    comp = compile_files([str(ROOT / "specs" / "examples" / "llama3-70b-pretrain.plan")])
    for fmt in ("md", "txt", "html"):
        text = render_report(comp, fmt, lang="zh", appendix=False)
        if fmt == "html":
            text = re.sub(r"<svg.*?</svg>", "", text, flags=re.S)   # chart geometry
        assert not re.search(r"\d d\b", text), (fmt, re.search(r".{40}\d d\b.{20}", text))
        assert "天" in text
        for value in ENUMERATIONS["recompute"]:
            assert not re.search(rf"重计算\s*\|?\s*{value}\b", text), (fmt, value)
        assert not re.search(r"激活重计算\s*\|\s*(none|selective|full)\b", text), fmt
        if fmt != "html":  # the layout table (the HTML body shows the layout in its headline)
            assert re.search(r"激活重计算\s*\|?\s*选择性", text), fmt
        if fmt != "txt":   # the terminal text leaves the goal table's layout column out to fit 100 columns
            assert "重计算 无" in text, fmt                               # the goal's layouts


def test_durations_and_enumerations_in_chinese():
    from capplan.render.report.i18n import Numbers

    zh, en = Numbers("zh"), Numbers("en")
    assert zh.duration(1514 * 86400) == "1,514 天" and en.duration(1514 * 86400) == "1,514 d"
    assert zh.duration(3 * 3600) == "3 小时" and zh.duration(2.5) == "2.5 s"
    assert zh.duration_unit(5 * 86400)[1] == "天" and en.duration_unit(5 * 86400)[1] == "d"
    assert zh.choice("recompute", "selective") == "选择性" and en.choice("recompute", "selective") == "selective"
    assert zh.choice("offload", "none") == "无" and zh.choice("recompute", "unknown") == "unknown"
