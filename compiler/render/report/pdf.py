"""HTML to PDF with WeasyPrint, hermetically.

The report's HTML is self-contained (inline CSS and SVG). WeasyPrint may
still be asked for a URL (an `<img>`, a `url()` in CSS); the fetcher below
serves only files shipped inside the capplan.templates package and refuses
everything else: no network, no `file:` outside the package, no `data:`.
Fonts come from the system's fontconfig (Noto CJK for Chinese) and are
embedded, subset, in the PDF.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import struct
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from capplan.render.report.i18n import templates_dir


class FetchRefused(ValueError):
    pass


def package_url_fetcher(url: str, timeout: int = 10, ssl_context=None, **kwargs):
    """WeasyPrint url_fetcher: only `file:` URLs of files inside the templates package."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise FetchRefused(f"capplan reports fetch nothing outside the package: {url}")
    root = templates_dir().resolve()
    path = Path(unquote(parts.path)).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise FetchRefused(f"capplan reports fetch only files shipped in the package: {url}")
    data = path.read_bytes()
    mime = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}.get(path.suffix,
                                                                                 "application/octet-stream")
    return {"string": data, "mime_type": mime, "redirected_url": path.as_uri()}


def _fetcher():
    """WeasyPrint >= 68 takes a URLFetcher instance; older versions a function."""
    try:
        from weasyprint.urls import URLFetcher, URLFetcherResponse
    except ImportError:  # pragma: no cover - WeasyPrint < 68
        return package_url_fetcher

    class PackageFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            result = package_url_fetcher(url)
            return URLFetcherResponse(result["redirected_url"], result["string"],
                                      headers={"Content-Type": result["mime_type"]})

    return PackageFetcher(allowed_protocols=("file",), allow_redirects=False)


def _ldconfig_listing() -> bytes | None:
    """`/sbin/ldconfig -p`, the dynamic linker's cache, as ctypes.util.find_library reads it on Linux."""
    try:
        proc = subprocess.run(["/sbin/ldconfig", "-p"], stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, env={"LC_ALL": "C", "LANG": "C"}, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout if proc.returncode == 0 and proc.stdout else None


def _find_in(listing: bytes):
    """ctypes.util.find_library's first step on Linux (the linker's cache, same pattern and ABI), on one
    listing, without its fallbacks (`gcc -l...`, `ld -l...`: processes for every name it misses)."""
    machine = os.uname().machine + ("-32" if struct.calcsize("l") == 4 else "-64")
    abi = {"x86_64-64": "libc6,x86-64", "ppc64-64": "libc6,64bit", "sparc64-64": "libc6,64bit",
           "s390x-64": "libc6,64bit", "ia64-64": "libc6,IA-64"}.get(machine, "libc6")

    def find_library(name: str) -> str | None:
        found = re.search(os.fsencode(r"\s+(lib%s\.[^\s]+)\s+\(%s" % (re.escape(name), abi)), listing)
        return os.fsdecode(found.group(1)) if found else None

    return find_library


def import_weasyprint():
    """`import weasyprint`, without the ~50 processes its import starts on Linux.

    WeasyPrint opens Pango, HarfBuzz, fontconfig... through cffi, trying several names for each
    (`libgobject-2.0-0`, `gobject-2.0-0`, `gobject-2.0`, ..., `libgobject-2.0.so.0`); cffi asks
    ctypes.util.find_library for each, which on Linux runs `ldconfig -p` and, for every name the
    linker's cache lacks, `gcc` and `ld` too: some 0.1 s. During the import, find_library answers
    from one `ldconfig -p` listing instead (the same answer for every name the cache holds; a name it
    lacks is tried by WeasyPrint's next one, down to the plain soname, which dlopen finds on its own).
    Should WeasyPrint fail to load a library that way, the import is done again the usual way."""
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        import weasyprint
        return weasyprint
    listing = _ldconfig_listing()
    if listing is not None:
        import ctypes.util

        real = ctypes.util.find_library
        ctypes.util.find_library = _find_in(listing)
        try:
            with contextlib.redirect_stdout(io.StringIO()):   # WeasyPrint prints when a library is missing
                import weasyprint
            return weasyprint
        except (OSError, ImportError):
            for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
                del sys.modules[name]
        finally:
            ctypes.util.find_library = real
    import weasyprint
    return weasyprint


def html_to_pdf(html: str) -> bytes:
    import logging   # here: WeasyPrint loads it anyway, and an HTML report need not (~1.3 ms)

    weasyprint = import_weasyprint()

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html, base_url=templates_dir().as_uri() + "/", url_fetcher=_fetcher())
    return document.write_pdf(pdf_variant=None, uncompressed_pdf=False, full_fonts=False, hinting=False)
