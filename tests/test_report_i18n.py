"""Report languages: gettext catalogs complete and compiled, numbers per locale."""

from __future__ import annotations

import re
import string

import pytest


def test_the_shipped_mo_files_are_compiled_from_their_po_files():
    from capplan.report.i18n import compiled_mo, po_files

    pos = po_files()
    assert pos, "no catalogs under templates/locale"
    for po in pos:
        mo = po.with_suffix(".mo")
        assert mo.exists(), f"{mo} missing: python -m capplan.report.i18n compile"
        assert mo.read_bytes() == compiled_mo(po), f"{mo} is stale: python -m capplan.report.i18n compile"


def test_every_message_of_the_templates_and_code_is_translated():
    from babel.messages.pofile import read_po

    from capplan.report.i18n import extract_messages, po_files

    wanted = {m.id for m in extract_messages() if m.id}
    for po in po_files():
        with open(po, "rb") as fh:
            catalog = read_po(fh)
        have = {m.id: m.string for m in catalog if m.id}
        missing = sorted(str(k) for k in wanted if not have.get(k) or
                         (isinstance(have[k], tuple) and not all(have[k])))
        assert not missing, f"{po}: untranslated (python -m capplan.report.i18n extract): {missing}"
        unused = sorted(str(k) for k in have if k not in wanted)
        assert not unused, f"{po}: messages no longer used: {unused}"


def _fields(text: str) -> set[str]:
    brace = {f for _, f, _, _ in string.Formatter().parse(text) if f}
    percent = set(re.findall(r"%\((\w+)\)s", text))
    return brace | percent


def test_translations_keep_every_placeholder():
    from babel.messages.pofile import read_po

    from capplan.report.i18n import po_files

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
    from capplan.report.i18n import Numbers

    en, zh = Numbers("en"), Numbers("zh")
    assert en.int(70553706496) == "70,553,706,496" == zh.int(70553706496)
    assert en.params(70553706496) == "70.55B" and zh.params(70553706496) == "705.54亿"
    assert en.pct(0.5826) == "58.3%" and zh.pct(0.5826) == "58.3%"
    assert en.mem(66.09 * 2**30, "GiB") == "66.09 GiB" and en.mem(72.55e9, "GB") == "72.55 GB"
    assert en.mem(512 * 2**20, "GiB") == "512 MiB"
    assert en.tokens(8192) == "8,192 tokens" and zh.tokens(8192) == "8,192 个词元"
    assert en.list(["a", "b"]) == "a and b" and zh.list(["a", "b"]) == "a和b"
    assert en.num(1.0) == "1" and en.num(0.0) == "0" and en.num(1979.0) == "1,979" and en.num(2.0394) == "2.039"


def test_unknown_languages_are_refused():
    from capplan.report.i18n import translations

    with pytest.raises(ValueError):
        translations("fr")
