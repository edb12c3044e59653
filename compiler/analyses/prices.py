"""Where each GPU's price comes from: the `price = X USD/h  # source` lines of the catalog and specs.

The catalog cites every price on its line (compiler/catalog/gpus_*.plan: an assumption, a public
cloud list price per GPU-hour, with where and when it was listed). `parse_prices` reads those lines
from a spec's text (a pure function); `catalog_prices` reads the shipped catalog once. The same functions
read the `purchase_price = X USD  # source` lines (field="purchase_price"), the owned cost's basis.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from capplan.core.records import Record, record

_GPU = re.compile(r"^\s*gpu\s+([A-Za-z_][A-Za-z0-9_]*)\b[^{]*\{")
_LINES = {
    "price": re.compile(r"^\s*price\s*=\s*([0-9][0-9_.]*)\s*USD\s*/\s*h\b[^#]*(?:#\s*(.*))?$"),
    "purchase_price": re.compile(r"^\s*purchase_price\s*=\s*([0-9][0-9_.]*)\s*USD\b(?!\s*/)[^#]*(?:#\s*(.*))?$"),
}
_DATE = re.compile(r"\b(20\d\d(?:-[01]\d(?:-[0-3]\d)?)?)\b")


@record
class PriceSource(Record):
    gpu: str
    usd_per_hour: float     # the line's value: USD per GPU-hour (price), USD per GPU (purchase_price)
    source: str         # the comment on the price line ("" when none)
    date: str           # the latest date the comment names (YYYY, YYYY-MM or YYYY-MM-DD; "" when none)
    file: str
    line: int

    def __init__(self, gpu: str, usd_per_hour: float, source: str, date: str, file: str, line: int) -> None:
        self.__dict__.update(gpu=gpu, usd_per_hour=usd_per_hour, source=source, date=date, file=file, line=line)


def parse_prices(text: str, file: str, field: str = "price") -> list[PriceSource]:
    """Every `price` (or `purchase_price`) line inside a `gpu NAME { ... }` block of `text`, with its comment."""
    line_re = _LINES[field]
    out, current, depth = [], None, 0
    for n, line in enumerate(text.splitlines(), 1):
        m = _GPU.match(line)
        if m and depth == 0:
            current = m.group(1)
        code = line.split("#", 1)[0]
        depth += code.count("{") - code.count("}")
        p = line_re.match(line)
        if p and current and depth >= 1:
            comment = (p.group(2) or "").strip()
            comment = re.sub(r"^assumption:\s*", "", comment)
            dates = sorted(_DATE.findall(comment))
            out.append(PriceSource(current, float(p.group(1).replace("_", "")), comment,
                                   dates[-1] if dates else "", file, n))
        if depth <= 0:
            current, depth = None, 0
    return out


@functools.lru_cache(maxsize=2)
def catalog_prices(field: str = "price") -> dict[str, PriceSource]:
    """The shipped catalog's GPU prices (or purchase prices), by GPU name."""
    folder = Path(__file__).resolve().parent.parent / "catalog"
    out = {}
    for path in sorted(folder.glob("gpus_*.plan")):
        for p in parse_prices(path.read_text(encoding="utf-8"), f"catalog/{path.name}", field):
            out[p.gpu] = p
    return out
