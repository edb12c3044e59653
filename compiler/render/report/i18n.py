"""Languages of the reports: gettext catalogs and locale-aware numbers and units.

Messages live in GNU gettext catalogs under `templates/locale/<lang>/LC_MESSAGES/
capplan.po`; the compiled `capplan.mo` beside each is shipped in the package
(the tests check that it matches its `.po`). After editing templates or the
report's Python code:

    python -m capplan.render.report.i18n extract   # templates + report code -> templates/locale/capplan.pot,
                                            # and merge new messages into every .po
    (translate the new entries of templates/locale/zh/LC_MESSAGES/capplan.po)
    python -m capplan.render.report.i18n compile   # every .po -> .mo (deterministic bytes)

Numbers are formatted with Babel's CLDR data for the report's locale (digit
grouping, decimal sign, percent, and compact large counts: "70.55B" in English,
"705.54亿" in Chinese); units keep their international symbols (GiB, GB).
"""

from __future__ import annotations

import functools
import gettext
import io
import math
import sys
from importlib import resources
from pathlib import Path

from capplan.core.exits import EXIT_OK, EXIT_USAGE
from capplan.render.report import cldr

DOMAIN = "capplan"
LANGUAGES = {"en": "en_US", "zh": "zh_Hans_CN"}   # report language -> CLDR locale
HTML_LANG = {"en": "en", "zh": "zh-Hans"}


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


def NP_(context: str, message: str) -> tuple[str, str]:
    """Mark a message with a context (pgettext) for extraction; translated where it is shown."""
    return context, message


# TRANSLATORS: the values of the spec's enumerations, as the report shows them
ENUMERATIONS = {
    "recompute": {"none": NP_("recompute", "none"), "selective": NP_("recompute", "selective"),
                  "full": NP_("recompute", "full"), "selective_op": NP_("recompute", "selective_op")},
    "offload": {"none": NP_("offload", "none"), "optimizer": NP_("offload", "optimizer"),
                "optimizer_and_params": NP_("offload", "optimizer_and_params")},
}


def templates_dir() -> Path:
    return Path(str(resources.files("capplan.templates")))


def locale_dir() -> Path:
    return templates_dir() / "locale"


@functools.lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog for `lang`; English is the source language (no catalog)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; known: {', '.join(sorted(LANGUAGES))}")
    if lang == "en":
        return gettext.NullTranslations()
    mo = locale_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with open(mo, "rb") as fh:
        return gettext.GNUTranslations(fh)


def _babel_numbers():
    """babel.numbers, for what capplan.render.report.cldr leaves to it."""
    from babel import numbers

    return numbers


class Numbers:
    """Locale-aware formatting of the report's numbers and quantities: Babel's, from the table of the two
    languages' CLDR data in capplan.render.report.cldr (Babel itself for what that does not cover)."""

    def __init__(self, lang: str):
        self.lang = lang
        self._ = translations(lang).gettext
        self._texts: dict[tuple, str] = {}   # what was written: a report formats many numbers more than once

    @functools.cached_property
    def locale(self):
        """Babel's locale (its data loaded on first use: only where cldr answers None)."""
        from babel import Locale

        return Locale.parse(LANGUAGES[self.lang])

    def _kept(self, key: tuple, x, fast, slow) -> str:
        """`fast(x)` (cldr), or `slow(x)` (Babel) where that is None; once per `key` and value. Both format a
        Decimal of str(x), so (type, str(x)) is all of x that the text depends on; the dict is this
        instance's own (one report), not shared by threads."""
        key += (x.__class__, str(x))
        text = self._texts.get(key)
        if text is None:
            text = fast(x)
            self._texts[key] = text = slow(x) if text is None else text
        return text

    def _decimal(self, x: float, decimals: int, group: bool = True) -> str:
        pattern = ("#,##0" if group else "0") + ("." + "#" * decimals if decimals > 0 else "")
        return self._kept(("decimal", pattern), x, lambda v: cldr.format_decimal(v, pattern, self.lang),
                          lambda v: _babel_numbers().format_decimal(v, format=pattern, locale=self.locale,
                                                                    decimal_quantization=True))

    def num(self, x: float | int | None, digits: int = 4) -> str:
        """`digits` significant digits (at least the integer part), grouped; integers exactly."""
        if x is None:
            return "?"
        if isinstance(x, float) and not math.isfinite(x):
            return str(x)
        if x == 0:
            return "0"
        if float(x).is_integer() and abs(x) < 1e15:
            return self._decimal(int(x), 0)
        mag = math.floor(math.log10(abs(x)))
        return self._decimal(x, max(0, digits - 1 - mag))

    def int(self, x: float | int) -> str:
        return self._decimal(int(round(x)), 0)

    def pct(self, x: float, decimals: int = 1) -> str:
        pattern = "#,##0." + "0" * decimals + "%" if decimals else "#,##0%"
        return self._kept(("percent", pattern), x, lambda v: cldr.format_decimal(v, pattern, self.lang),
                          lambda v: _babel_numbers().format_percent(v, format=pattern, locale=self.locale,
                                                                    decimal_quantization=True))

    def mem(self, nbytes: float | None, unit: str = "GiB") -> str:
        """Bytes in the plan's unit family: GiB (2^30) or GB (10^9), stepping down for small values."""
        if nbytes is None:
            return "?"
        scale = MEM_UNITS["GB" if unit in ("GB", "TB", "MB") else "GiB"]
        for factor, name in scale:
            if abs(nbytes) >= factor * 0.9995 or factor == scale[-1][0]:
                value = nbytes / factor
                return f"{self.num(value)} {name}"
        return f"{self.num(nbytes)} B"  # pragma: no cover

    def mem_value(self, nbytes: float, unit: str) -> float:
        """Bytes in `unit` (GiB or GB), for chart axes."""
        return nbytes / (2**30 if unit == "GiB" else 1e9)

    def params(self, n: float) -> str:
        """A parameter count, compact per locale (70.55B / 705.54亿)."""
        if abs(n) < 1e4:
            return self.int(n)
        return self._compact(n)

    def _compact(self, n: float) -> str:
        text = cldr.format_compact_decimal(n, self.lang, 2)
        return _babel_numbers().format_compact_decimal(n, locale=self.locale, fraction_digits=2) \
            if text is None else text

    def list(self, items: list[str]) -> str:
        """A list in the locale's style: "a, b and c" / "a、b和c"; two items for the specs' file names too."""
        return cldr.format_list(list(items), self.lang) if items else ""

    def choice(self, kind: str, value) -> str:
        """A value of one of the spec's enumerations (ENUMERATIONS) in the report's language."""
        pair = ENUMERATIONS.get(kind, {}).get(value)
        return translations(self.lang).pgettext(*pair) if pair else str(value)

    def _duration_symbol(self, name: str) -> str:
        words = DURATION_WORDS.get(name)
        return self._(words).replace("{n}", "").strip() if words else name

    def tokens(self, n: float) -> str:
        return self._("{n} tokens").format(n=self.int(n))

    def duration(self, seconds: float | None) -> str:
        """A time in the largest unit it reaches (d, h, min, s, ms, µs), as the engine's text output does."""
        if seconds is None:
            return "?"
        for factor, name in DURATIONS:
            if abs(seconds) >= factor * 0.9995 or factor == DURATIONS[-1][0]:
                words = DURATION_WORDS.get(name)
                if words:
                    return self._(words).format(n=self.num(seconds / factor))
                return f"{self.num(seconds / factor)} {name}"
        return ""  # pragma: no cover

    def duration_unit(self, seconds: float) -> tuple[float, str]:
        """The unit `duration` would write `seconds` in: (factor, symbol), for a chart's axis."""
        for factor, name in DURATIONS:
            if abs(seconds) >= factor * 0.9995:
                return factor, self._duration_symbol(name)
        return DURATIONS[-1]

    def usd(self, x: float | None) -> str:
        """An amount in US dollars in the locale's currency style; millions and more compact
        ("$14.05M" / "US$1405.12万"), small amounts to three significant digits ("$0.076")."""
        if x is None:
            return "?"
        if abs(x) >= 1e6:
            text = cldr.format_compact_currency(x, self.lang, 2)
            return _babel_numbers().format_compact_currency(x, "USD", locale=self.locale, fraction_digits=2) \
                if text is None else text
        if abs(x) >= 1 or x == 0:
            return self._kept(("currency",), x, lambda v: cldr.format_currency(v, self.lang),
                              lambda v: _babel_numbers().format_currency(v, "USD", locale=self.locale))
        decimals = min(6, max(2, 2 - math.floor(math.log10(abs(x)))))
        pattern = "¤#,##0.00" + "#" * (decimals - 2)
        text = cldr.format_currency(x, self.lang, pattern, currency_digits=False)
        return _babel_numbers().format_currency(x, "USD", format=pattern, locale=self.locale,
                                                currency_digits=False) if text is None else text

    def count(self, n: float) -> str:
        """A large count, compact per locale (3.72M / 371.73万); below 100,000 in full."""
        if abs(n) < 1e5:
            return self.num(n)
        return self._compact(n)

    def si(self, x: float | None, unit: str) -> str:
        """A quantity with an SI prefix: 481.4 GFLOP, 989.5 TFLOP/s, 2,602 MWh."""
        if x is None:
            return "?"
        for factor, prefix in SI_PREFIXES:
            if abs(x) >= factor * 0.9995 or factor == 1:
                return f"{self.num(x / factor)} {prefix}{unit}"
        return ""  # pragma: no cover

    def energy(self, kwh: float | None) -> str:
        """Energy from kWh: kWh, MWh or GWh."""
        return "?" if kwh is None else self.si(kwh * 1e3, "Wh")


DURATIONS = [(86400, "d"), (3600, "h"), (60, "min"), (1, "s"), (1e-3, "ms"), (1e-6, "µs")]
# TRANSLATORS: a duration in days, hours, minutes ({n} is the number); s, ms and µs stay SI symbols
DURATION_WORDS = {"d": N_("{n} d"), "h": N_("{n} h"), "min": N_("{n} min")}
SI_PREFIXES = [(1e18, "E"), (1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1, "")]

MEM_UNITS = {
    "GiB": [(2**40, "TiB"), (2**30, "GiB"), (2**20, "MiB"), (2**10, "KiB"), (1, "B")],
    "GB": [(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB"), (1, "B")],
}


# ------------------------------------------------------------------ catalog maintenance

REPORT_TEMPLATES = ("report*.j2", "_macros.html.j2")


def _report_code_dir() -> Path:
    return Path(__file__).resolve().parent


def extract_messages():
    """Every message of the report's templates and Python code, as a Babel catalog."""
    import datetime

    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    fixed = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)   # no dates: stable files
    catalog = Catalog(project="capplan", domain=DOMAIN, charset="utf-8", fuzzy=False, version=None,
                      creation_date=fixed, revision_date=fixed, msgid_bugs_address="",
                      copyright_holder="capplan contributors")
    sources = [
        # the report's templates only: other commands' templates (diff.md.j2, ...) are not translated
        (templates_dir(), [(pattern, "jinja2") for pattern in REPORT_TEMPLATES],
         {pattern: {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true", "trimmed": "true"}
          for pattern in REPORT_TEMPLATES}),
        (_report_code_dir(), [("**.py", "python")], {}),
    ]
    keywords = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2), "NP_": ((1, "c"), 2),
                "pgettext": ((1, "c"), 2)}
    for folder, method_map, options in sources:
        for filename, lineno, message, comments, context in extract_from_dir(
                str(folder), method_map, options_map=options, keywords=keywords,
                comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
            where = f"{folder.name}/{filename}"
            catalog.add(message, None, [(where, lineno)], auto_comments=comments, context=context)
    return catalog


def _write_po(catalog, path: Path) -> None:
    from babel.messages.pofile import write_po

    buf = io.BytesIO()
    write_po(buf, catalog, width=100, sort_output=True, omit_header=False, include_lineno=False)
    path.write_bytes(buf.getvalue())


def compiled_mo(po_path: Path) -> bytes:
    """The .mo bytes for a .po file (deterministic: messages sorted, no dates)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(po_path, "rb") as fh:
        catalog = read_po(fh)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def mo_messages(mo_bytes: bytes) -> dict:
    """What a compiled catalog says, independent of the tool that wrote it: every message
    (context, id) -> translation, and the header fields that change behaviour (the
    `Generated-By` line names the Babel version and is left out)."""
    from babel.messages.mofile import read_mo

    catalog = read_mo(io.BytesIO(mo_bytes))
    def frozen(x):   # plural messages come back as lists
        return tuple(x) if isinstance(x, (list, tuple)) else x

    messages = {(m.context, frozen(m.id)): frozen(m.string) for m in catalog if m.id}
    headers = {k: v for k, v in catalog.mime_headers if k.lower() != "generated-by"}
    return {"messages": messages, "headers": headers}


def po_files() -> list[Path]:
    return sorted(locale_dir().glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def command(argv: list[str]) -> int:
    if argv == ["extract"]:
        from babel.messages.pofile import read_po

        template = extract_messages()
        _write_po(template, locale_dir() / f"{DOMAIN}.pot")
        for po in po_files():
            with open(po, "rb") as fh:
                catalog = read_po(fh)
            catalog.update(template, no_fuzzy_matching=True)
            _write_po(catalog, po)
            missing = [m.id for m in catalog if m.id and not m.string]
            print(f"{po}: {len(missing)} untranslated")
        return EXIT_OK
    if argv == ["compile"]:
        for po in po_files():
            po.with_suffix(".mo").write_bytes(compiled_mo(po))
            print(f"compiled {po.with_suffix('.mo')}")
        return EXIT_OK
    print("usage: python -m capplan.render.report.i18n extract|compile", file=sys.stderr)
    return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(command(sys.argv[1:]))
