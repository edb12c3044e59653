"""HTML to PDF with WeasyPrint, hermetically.

The report's HTML is self-contained (inline CSS and SVG). WeasyPrint may
still be asked for a URL (an `<img>`, a `url()` in CSS); the fetcher below
serves only files shipped inside the capplan.templates package and refuses
everything else: no network, no `file:` outside the package, no `data:`.
Fonts come from the system's fontconfig (Noto CJK for Chinese) and are
embedded, subset, in the PDF.
"""

from __future__ import annotations

import logging
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


def html_to_pdf(html: str) -> bytes:
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html, base_url=templates_dir().as_uri() + "/", url_fetcher=_fetcher())
    return document.write_pdf(pdf_variant=None, uncompressed_pdf=False, full_fonts=False, hinting=False)
