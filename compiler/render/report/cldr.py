"""Babel's number, currency and list formatting for the report's languages, without Babel's locale data.

Loading Babel's data for one locale (its CLDR pickles, merged from root) costs a report about 12 ms, for a
handful of symbols and patterns. `capplan.render.report.cldr_data` holds those, for each language of
the report, written from Babel by

    .venv/bin/python scripts/cldr_data.py       # after a Babel upgrade (tests/test_report_cldr.py says so)

and the functions here follow Babel's own steps (babel.numbers: parse_pattern, NumberPattern.apply,
_get_compact_format; babel.lists.format_list) on them, step for step, in the same decimal arithmetic.
Each returns None for what they do not cover (a value that is not finite or is 10^15 or more, a
pattern with a negative part, an exponent or significant digits, a compact currency without a currency
sign); capplan.render.report.i18n then asks Babel. tests/test_report_cldr.py checks that every answer
is Babel's. Pure functions; the parsed patterns are cached (immutable, deterministic).
"""

from __future__ import annotations

import decimal
import functools
import math
import re

from capplan.core.records import Record, record
from capplan.render.report.cldr_data import LOCALES

LARGEST = 1e15    # at and above: Babel (quantizing may run out of the decimal context's 28 digits)
_NUMBER_PATTERN = re.compile(r"(?P<prefix>(?:[^'0-9@#.,]|'[^']*')*)(?P<number>[0-9@#.,E+]*)(?P<suffix>.*)")
_QUOTED = re.compile(r"'([^']*)'")


@record
class Pattern(Record):
    """A parsed CLDR number pattern, as babel.numbers.parse_pattern parses one without `;`, `E` or `@`."""

    text: str
    prefix: tuple[str, str]      # positive, negative
    suffix: tuple[str, str]
    grouping: tuple[int, int]
    int_min: int
    frac: tuple[int, int]        # fraction digits: at least, at most
    number: str
    scale: int                   # 2 for a percent, 3 for per mille

    def __init__(self, text: str, prefix: tuple[str, str], suffix: tuple[str, str], grouping: tuple[int, int],
                 int_min: int, frac: tuple[int, int], number: str, scale: int) -> None:
        self.__dict__.update(text=text, prefix=prefix, suffix=suffix, grouping=grouping, int_min=int_min, frac=frac,
                             number=number, scale=scale)


def _precision(text: str) -> tuple[int, int]:
    low = high = 0
    for c in text:
        if c in "@0":
            low, high = low + 1, high + 1
        elif c == "#":
            high += 1
        elif c != ",":
            break
    return low, high


def _grouping(integer: str) -> tuple[int, int]:
    width, g1 = len(integer), integer.rfind(",")
    if g1 == -1:
        return 1000, 1000
    g1 = width - g1 - 1
    g2 = integer[: -g1 - 1].rfind(",")
    return (g1, g1) if g2 == -1 else (g1, width - g1 - g2 - 2)


@functools.lru_cache(maxsize=64)
def pattern(text: str) -> Pattern | None:
    """`text` parsed; None for a pattern with a negative part, an exponent or significant digits."""
    if ";" in text:
        return None
    prefix, number, suffix = _NUMBER_PATTERN.search(text).groups()
    if "E" in number or "@" in number:
        return None
    integer, _, fraction = number.rpartition(".") if "." in number else (number, "", "")
    affixes = prefix + suffix
    scale = 2 if "%" in affixes else 3 if "‰" in affixes else 0
    return Pattern(text, (prefix, "-" + prefix), (suffix, suffix), _grouping(integer), _precision(integer)[0],
                   _precision(fraction), number, scale)


def _decimal_precision(value: decimal.Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return 0 if not isinstance(exponent, int) or exponent >= 0 else -exponent


def _integer(digits: str, p: Pattern, group: str) -> str:
    if len(digits) < p.int_min:
        digits = "0" * (p.int_min - len(digits)) + digits
    size, out = p.grouping[0], ""
    while len(digits) > size:
        out = group + digits[-size:] + out
        digits = digits[:-size]
        size = p.grouping[1]
    return digits + out


def _fraction(digits: str, low: int, high: int, point: str) -> str:
    if len(digits) < low:
        digits += "0" * (low - len(digits))
    if high == 0 or (low == 0 and int(digits) == 0):
        return ""
    while len(digits) > low and digits[-1] == "0":
        digits = digits[:-1]
    return point + digits


def apply(p: Pattern, value, lang: str, *, currency: str | None = None, currency_digits: bool = True,
          quantize: bool = True) -> str:
    """NumberPattern.apply of pattern `p` to a finite `value` in `lang` (`currency`: only "USD")."""
    data = LOCALES[lang]
    if not isinstance(value, decimal.Decimal):
        value = decimal.Decimal(str(value))
    value = value.scaleb(p.scale)
    negative = int(value.is_signed())
    value = abs(value).normalize()
    low, high = (data["usd_digits"],) * 2 if currency and currency_digits else p.frac
    if not quantize:
        high = max(high, _decimal_precision(value))
    rounded = value.quantize(decimal.Decimal(10) ** (-high))
    whole, _, fraction = f"{rounded:f}".partition(".")
    number = _integer(whole, p, data["group"]) + _fraction(fraction or "0", low, high, data["decimal"])
    text = "".join((p.prefix[negative], number if p.number != "" else "", p.suffix[negative]))
    if "¤" in text and currency is not None:
        text = text.replace("¤", data["usd_symbol"])
    return _QUOTED.sub(lambda m: m.group(1) or "'", text)


def _covered(x, lang: str) -> bool:
    return lang in LOCALES and isinstance(x, (int, float)) and math.isfinite(x) and abs(x) < LARGEST


def format_decimal(x, text: str, lang: str) -> str | None:
    """babel.numbers.format_decimal(x, format=text, locale=lang's, decimal_quantization=True);
    format_percent likewise (a percent pattern scales by 100)."""
    p = pattern(text)
    return apply(p, x, lang) if p is not None and _covered(x, lang) else None


def format_currency(x, lang: str, text: str | None = None, currency_digits: bool = True) -> str | None:
    """babel.numbers.format_currency(x, "USD", format=text, locale=lang's, currency_digits=...)."""
    p = pattern(text or LOCALES[lang]["currency_pattern"]) if lang in LOCALES else None
    return apply(p, x, lang, currency="USD", currency_digits=currency_digits) \
        if p is not None and _covered(x, lang) else None


def _compact(number: decimal.Decimal, formats: dict[int, str], fraction_digits: int):
    """babel.numbers._get_compact_format, for formats alike in every plural form (cldr_data checks that)."""
    chosen = None
    magnitudes = sorted(formats, reverse=True)
    for index, magnitude in enumerate(magnitudes):
        if abs(number) < magnitude:
            continue
        chosen = formats[magnitude]
        if chosen == "0":
            break
        divisor = magnitude // (10 ** (chosen.count("0") - 1))
        rounded = round(number / divisor, fraction_digits)
        if index > 0 and abs(rounded) * divisor >= magnitudes[index - 1]:   # rounded up into the next magnitude
            return _compact(decimal.Decimal(magnitudes[index - 1]).copy_sign(number), formats, fraction_digits)
        number = rounded
        break
    return number, chosen


def format_compact_decimal(x, lang: str, fraction_digits: int = 0) -> str | None:
    """babel.numbers.format_compact_decimal(x, locale=lang's, fraction_digits=...), short."""
    if not _covered(x, lang):
        return None
    number, chosen = _compact(decimal.Decimal(str(x)), LOCALES[lang]["compact_decimal"], fraction_digits)
    p = pattern(chosen or LOCALES[lang]["decimal_pattern"])
    return apply(p, number, lang, quantize=False) if p is not None else None


def format_compact_currency(x, lang: str, fraction_digits: int = 0) -> str | None:
    """babel.numbers.format_compact_currency(x, "USD", locale=lang's, fraction_digits=...), short; None
    where Babel would fall back to another magnitude's currency pattern."""
    if not _covered(x, lang):
        return None
    number, chosen = _compact(decimal.Decimal(str(x)), LOCALES[lang]["compact_currency"], fraction_digits)
    p = pattern(chosen) if chosen and "¤" in chosen else None
    return apply(p, number, lang, currency="USD", currency_digits=False, quantize=False) if p is not None else None


def format_list(items: list[str], lang: str) -> str:
    """babel.lists.format_list(items, style="standard", locale=lang's)."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    patterns = LOCALES[lang]["list"]
    if len(items) == 2 and "2" in patterns:
        return patterns["2"].format(*items)
    result = patterns["start"].format(items[0], items[1])
    for item in items[2:-1]:
        result = patterns["middle"].format(result, item)
    return patterns["end"].format(result, items[-1])


# ------------------------------------------------------------------ the table, from Babel

def locale_table(tag: str) -> dict:
    """What the functions above read of CLDR locale `tag` (e.g. "en_US"), from Babel's data."""
    from babel import Locale
    from babel.numbers import get_currency_precision, get_currency_symbol

    locale = Locale.parse(tag)

    def compact(kind: str) -> dict[int, str]:
        forms = {form: {int(m): p.pattern for m, p in by.items()} for form, by in locale._data[kind]["short"].items()}
        if "1" in forms or any(by != forms["other"] for by in forms.values()):
            raise ValueError(f"{tag}: {kind} differ by plural form: capplan.render.report.cldr does not choose one")
        return dict(sorted(forms["other"].items()))

    symbols = locale.number_symbols["latn"]
    return {"decimal": symbols["decimal"], "group": symbols["group"],
            "decimal_pattern": locale.decimal_formats[None].pattern,
            "currency_pattern": locale.currency_formats["standard"].pattern,
            "usd_symbol": get_currency_symbol("USD", locale), "usd_digits": get_currency_precision("USD"),
            "compact_decimal": compact("compact_decimal_formats"),
            "compact_currency": compact("compact_currency_formats"),
            "list": dict(sorted(locale.list_patterns["standard"].items()))}


def data_module(languages: dict[str, str]) -> str:
    """The text of capplan/render/report/cldr_data.py for `languages` ({report language: CLDR locale})."""
    import babel

    lines = ['"""CLDR data of the report\'s languages, as Babel has it: GENERATED by `scripts/cldr_data.py`, do not',
             "edit.", "", "Read by capplan.render.report.cldr; BABEL is the version it was written from.", '"""', "",
             f"BABEL = {babel.__version__!r}", "", "LOCALES = {"]
    for lang, tag in languages.items():
        lines.append(f"    {lang!r}: {{  # {tag}")
        for key, value in locale_table(tag).items():
            if isinstance(value, dict):
                lines += [f"        {key!r}: {{"] + [f"            {k!r}: {v!r}," for k, v in value.items()] + ["        },"]
            else:
                lines.append(f"        {key!r}: {value!r},")
        lines.append("    },")
    return "\n".join(lines + ["}", ""])
