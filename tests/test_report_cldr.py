"""capplan.render.report.cldr writes the report's numbers, money and lists exactly as Babel does, from the
generated table of the report's languages (cldr_data.py), which is current; a report loads no Babel."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capplan.render.report import cldr
from capplan.render.report.i18n import LANGUAGES

from conftest import ROOT

DECIMALS = ["#,##0", "0"] + [g + "." + "#" * n for g in ("#,##0", "0") for n in range(1, 7)]
PERCENTS = ["#,##0%"] + ["#,##0." + "0" * n + "%" for n in range(1, 4)]
CURRENCIES = ["¤#,##0.00" + "#" * n for n in range(5)]
EDGES = [0, 0.0, -0.0, 1, -1, 0.5, 1.5, 2.5, -2.5, 0.125, 0.0049, 9.995, 999.9995, 999_999, 999_999.5, 999_995,
         -999_995.0, 1e3, 9_999.5, 99_995.0, 1e6, 1e9, 70553706496, 7.05537e10, 123456789.123, 1e14, 9.99999e14,
         -1e14, 1e-7, 5e-324, 1 / 3, 2 / 3, 1234.5678, 0.0760146, 14051224.38, 3717255.1, 1 << 40]
numbers = st.one_of(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15)
                    .filter(lambda x: abs(x) < cldr.LARGEST),
                    st.integers(min_value=-10**15 + 1, max_value=10**15 - 1),
                    st.sampled_from(EDGES))


def babel_locale(lang: str):
    from babel import Locale

    return Locale.parse(LANGUAGES[lang])


def test_the_table_is_current():
    import babel

    from capplan.render.report import cldr_data

    assert cldr_data.LOCALES == {lang: cldr.locale_table(tag) for lang, tag in LANGUAGES.items()}, (
        "run .venv/bin/python scripts/cldr_data.py")
    if babel.__version__ == cldr_data.BABEL:
        text = (ROOT / "compiler" / "render" / "report" / "cldr_data.py").read_text(encoding="utf-8")
        assert text == cldr.data_module(LANGUAGES), "run .venv/bin/python scripts/cldr_data.py"


def check_all(x) -> None:
    from babel import numbers

    for lang in LANGUAGES:
        locale = babel_locale(lang)
        for pattern in DECIMALS:
            assert cldr.format_decimal(x, pattern, lang) == numbers.format_decimal(
                x, format=pattern, locale=locale, decimal_quantization=True), (x, pattern, lang)
        for pattern in PERCENTS:
            assert cldr.format_decimal(x, pattern, lang) == numbers.format_percent(
                x, format=pattern, locale=locale, decimal_quantization=True), (x, pattern, lang)
        assert cldr.format_currency(x, lang) == numbers.format_currency(x, "USD", locale=locale), (x, lang)
        for pattern in CURRENCIES:
            assert cldr.format_currency(x, lang, pattern, currency_digits=False) == numbers.format_currency(
                x, "USD", format=pattern, locale=locale, currency_digits=False), (x, pattern, lang)
        for digits in (0, 1, 2):
            assert cldr.format_compact_decimal(x, lang, digits) == numbers.format_compact_decimal(
                x, locale=locale, fraction_digits=digits), (x, digits, lang)
            fast = cldr.format_compact_currency(x, lang, digits)
            if fast is not None:   # None: Babel's own fallback pattern, left to Babel
                assert fast == numbers.format_compact_currency(x, "USD", locale=locale, fraction_digits=digits), (
                    x, digits, lang)


@pytest.mark.parametrize("x", EDGES)
def test_edge_values_are_written_as_babel_writes_them(x):
    check_all(x)


@settings(max_examples=300, deadline=None)
@given(numbers)
def test_any_value_is_written_as_babel_writes_it(x):
    check_all(x)


def test_what_is_not_covered_is_left_to_babel():
    assert cldr.format_decimal(float("inf"), "#,##0", "en") is None
    assert cldr.format_decimal(float("nan"), "#,##0", "en") is None
    assert cldr.format_decimal(1e15, "#,##0", "en") is None
    assert cldr.format_decimal(1.5, "#,##0;(#,##0)", "en") is None
    assert cldr.format_decimal(1.5, "#,##0", "fr") is None
    assert cldr.format_compact_currency(5000, "zh", 2) is None   # Babel borrows another magnitude's pattern


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="ab{}、 ,", max_size=4), max_size=6))
def test_lists_are_joined_as_babel_joins_them(items):
    from babel.lists import format_list

    for lang in LANGUAGES:
        assert cldr.format_list(items, lang) == format_list(items, style="standard", locale=babel_locale(lang))


def test_a_report_loads_no_babel():
    code = ("import sys\nfrom capplan.pipeline import compile_files\n"
            "from capplan.render.report.render import render_report\n"
            "render_report(compile_files(['specs/examples/llama3-70b-pretrain.plan']), 'html')\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'babel'))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
